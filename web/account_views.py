"""The account pages a person reaches from a mail: forgot password, the reset link, email confirmation, a
company invitation. The forms post to the API (static/kazi/account-forms.js); these views only say whether the
link can still work, so a dead link says so before anyone types a password."""

import json

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.models import User
from accounts.tokens import email_verification_tokens, password_reset_tokens, user_of_uid
from marketplace import teams
from web.access import page


def _link_context(uid: str, token: str, generator) -> dict:
    user = user_of_uid(uid)
    valid = user is not None and user.is_active and generator.check_token(user, token)
    return {"link_valid": valid, "link_json": json.dumps({"uid": uid, "token": token})}


@require_GET
def forgot_password(request):
    return render(request, "web/forgot_password.html", {"valid_minutes": settings.PASSWORD_RESET_TIMEOUT // 60})


@require_GET
def reset_password(request, uid: str, token: str):
    context = _link_context(uid, token, password_reset_tokens)
    return render(request, "web/reset_password.html", context, status=200 if context["link_valid"] else 404)


@require_GET
def verify_email(request, uid: str, token: str):
    context = _link_context(uid, token, email_verification_tokens)
    return render(request, "web/verify_email.html", context, status=200 if context["link_valid"] else 404)


@require_GET
def invitation(request, token: str):
    """The accept link of a company invitation: join (signed in as the invited recruiter), or create the
    recruiter account for the invited address and join."""
    found = teams.company_invitation_for_token(token)
    user = request.user
    context = {
        "invitation": found,
        "problem": teams.invitation_problem(found),
        "token": token,
        "api_path": f"/api/invitations/{token}/accept/",
        "is_invitee": user.is_authenticated and user.email.lower() == found.email,
        "is_member": user.is_authenticated and user.company_id == found.company_id,
        "has_account": User.objects.filter(email__iexact=found.email).exists(),
    }
    return render(request, "web/invitation.html", context)


@page()
def account(request):
    """The signed-in person's account: password, team (recruiters), data export, deletion; all over the API."""
    company = request.user.company
    return render(
        request,
        "web/account.html",
        {
            "is_owner": company is not None and company.owner_id == request.user.pk,
            "grace_days": settings.KAZI_ACCOUNT_DELETION_GRACE_DAYS,
            "invitation_days": settings.KAZI_INVITATION_DAYS,
        },
    )
