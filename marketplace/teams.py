"""Writes of company teams: a company's recruiters invite addresses, an invitation is accepted by its mailed
link (by a signed-in recruiter, or by a new one registering through it), the owner removes members.
Split off services.py, which holds the rest of the marketplace's writes; each change of membership sends a
signal that events.py turns into stored events for the company's recruiters."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from accounts import services as account_services
from accounts.choices import UserType
from accounts.models import User
from core.exceptions import Conflict
from core.mail import mail_queue
from marketplace import signals
from marketplace.models import Company, CompanyInvitation

INVITATION_NOT_FOUND = "This invitation does not exist."


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_company_recruiter(user: User, company: Company) -> bool:
    return user.is_active and user.user_type == UserType.RECRUITER and user.company_id == company.pk


@transaction.atomic
def company_invitation_create(*, company: Company, inviter: User, email: str) -> CompanyInvitation:
    """Invite `email` to recruit for the company, and mail the link. The raw token is on the returned
    invitation as `.token` (it is stored only hashed) for the caller that needs the link itself."""
    if not is_company_recruiter(inviter, company):
        raise PermissionDenied("Only the company's recruiters can invite.")
    email = User.objects.normalize_email(email).strip().lower()
    if User.objects.filter(email__iexact=email, company=company).exists():
        raise ValidationError({"email": ["This address already recruits for this company."]})
    token = secrets.token_urlsafe(32)
    invitation = CompanyInvitation.objects.create(
        company=company,
        email=email,
        token_hash=token_hash(token),
        invited_by=inviter,
        expires_at=timezone.now() + timedelta(days=settings.KAZI_INVITATION_DAYS),
    )
    mail_queue(
        key=f"company-invitation:{invitation.pk}",
        to=email,
        template="marketplace/company_invitation",
        context={
            "company": company.name,
            "inviter": inviter.full_name,
            "accept_url": f"{settings.KAZI_SITE_URL}/invitations/{token}/",
            "expires_at": invitation.expires_at.strftime("%Y-%m-%d %H:%M UTC"),
        },
    )
    invitation.token = token
    return invitation


def company_invitation_for_token(token: str, *, lock: bool = False) -> CompanyInvitation:
    invitations = CompanyInvitation.objects.select_related("company", "invited_by")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise Http404(INVITATION_NOT_FOUND)
    return invitation


def invitation_problem(invitation: CompanyInvitation) -> str:
    """Why the invitation cannot be accepted any more, or "" when it can."""
    if invitation.accepted_at is not None:
        return "This invitation has been accepted already."
    if invitation.expires_at <= timezone.now():
        return "This invitation has expired; ask the company for a new one."
    return ""


@transaction.atomic
def company_invitation_accept(*, token: str, user: User) -> CompanyInvitation:
    """A signed-in recruiter accepts: they join the company. Only the invited address may accept it (a
    forwarded link is no key to the company)."""
    invitation = company_invitation_for_token(token, lock=True)
    if invitation.accepted_by_id == user.pk:
        return invitation  # a second click on the same link changes nothing
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError({"detail": [problem]})
    if user.user_type != UserType.RECRUITER:
        raise PermissionDenied("Only recruiter accounts can join a company.")
    if user.email.lower() != invitation.email:
        raise PermissionDenied("This invitation was sent to another address.")
    member = User.objects.select_for_update().get(pk=user.pk)
    if member.company_id not in (None, invitation.company_id):
        raise Conflict("You already recruit for another company; a recruiter acts for one company.")
    invitation.accepted_at, invitation.accepted_by = timezone.now(), member
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if member.company_id != invitation.company_id:
        member.company = invitation.company
        member.save(update_fields=["company"])
        signals.company_member_joined.send(
            sender=Company, company=invitation.company, member=member, invited_by=invitation.invited_by
        )
    user.company = member.company
    return invitation


@transaction.atomic
def company_invitation_accept_new(
    *, token: str, password: str, first_name: str = "", last_name: str = ""
) -> tuple[User, CompanyInvitation]:
    """Someone without an account accepts: a recruiter account for the invited address (verified: the link
    reached it), which joins the company."""
    invitation = company_invitation_for_token(token, lock=True)
    problem = invitation_problem(invitation)
    if problem:
        raise ValidationError({"detail": [problem]})
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError({"detail": ["An account uses this address already: log in, then accept."]})
    user = account_services.user_register(
        email=invitation.email,
        password=password,
        user_type=UserType.RECRUITER,
        first_name=first_name,
        last_name=last_name,
        email_verified=True,
    )
    return user, company_invitation_accept(token=token, user=user)


@transaction.atomic
def company_member_remove(*, company: Company, actor: User, member_id: int) -> User:
    """The owner takes a recruiter off the company (not themselves: a company keeps its owner)."""
    if not (actor.is_admin or (company.owner_id == actor.pk and is_company_recruiter(actor, company))):
        raise PermissionDenied("Only the company's owner can remove members.")
    member = User.objects.select_for_update().filter(pk=member_id, company=company).first()
    if member is None:
        raise Http404("No such member of this company.")
    if member.pk == actor.pk:
        raise ValidationError({"detail": ["The owner cannot remove themselves."]})
    member.company = None
    member.save(update_fields=["company"])
    if company.owner_id == member.pk:
        company.owner = None
        company.save(update_fields=["owner"])
    signals.company_member_removed.send(sender=Company, company=company, member=member, removed_by=actor)
    return member
