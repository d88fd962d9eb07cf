"""Company teams: a company's recruiters invite addresses, the invitation is accepted by its link (signed in,
or registering), the owner removes members; each membership change is a stored event for the recruiters.
Following the mailed link end to end: tests/accounts/test_mail_links.py."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from marketplace import teams
from marketplace.models import CompanyInvitation
from notifications import groups
from notifications.models import Notification
from tests import factories
from tests.conftest import client_for
from tests.notifications.redis_listener import RedisListener, frame

pytestmark = pytest.mark.django_db

STRONG = "a-Brand-new-passw0rd"


@pytest.fixture
def company():
    return factories.CompanyFactory(name="Savanna Pay")


@pytest.fixture
def owner(company):
    user = factories.RecruiterFactory(company=company, first_name="Wanjiku", last_name="Kamau")
    company.owner = user
    company.save()
    return user


@pytest.fixture
def colleague(company, owner):
    return factories.RecruiterFactory(company=company, first_name="Otieno", last_name="Odhiambo")


def invite(company, inviter, email="new.hire@example.com"):
    return teams.company_invitation_create(company=company, inviter=inviter, email=email)


# --- inviting -----------------------------------------------------------------------------
def test_a_recruiter_of_the_company_invites_an_address(company, colleague):
    response = client_for(colleague).post(
        f"/api/companies/{company.pk}/invitations/", {"email": "New.Hire@Example.com"}, format="json"
    )

    assert response.status_code == 201, response.content
    assert response.data["email"] == "new.hire@example.com"
    assert response.data["company"]["id"] == company.pk
    assert response.data["invited_by"] == colleague.pk
    assert response.data["accepted_at"] is None
    assert "token" not in response.data and "token_hash" not in response.data
    assert CompanyInvitation.objects.get().expires_at > timezone.now() + timedelta(days=6)


@pytest.mark.parametrize("who", ["other_recruiter", "seeker"])
def test_nobody_else_invites(company, owner, who):
    other = factories.RecruiterFactory() if who == "other_recruiter" else factories.SeekerFactory()
    response = client_for(other).post(f"/api/companies/{company.pk}/invitations/", {"email": "x@example.com"})
    assert response.status_code == 403
    assert not CompanyInvitation.objects.exists()


def test_inviting_needs_a_signed_in_caller(company, owner):
    response = APIClient().post(f"/api/companies/{company.pk}/invitations/", {"email": "x@example.com"})
    assert response.status_code == 401


@pytest.mark.parametrize("body", [{}, {"email": "not-an-address"}, {"email": ""}, {"email": ["a@b.c"]}])
def test_inviting_with_a_bad_address_is_a_400(company, owner, body):
    response = client_for(owner).post(f"/api/companies/{company.pk}/invitations/", body, format="json")
    assert response.status_code == 400 and "email" in response.data


def test_inviting_a_current_member_is_a_400(company, owner, colleague):
    response = client_for(owner).post(f"/api/companies/{company.pk}/invitations/", {"email": colleague.email})
    assert response.status_code == 400 and "email" in response.data


def test_inviting_to_an_unknown_company_is_a_404(owner):
    response = client_for(owner).post("/api/companies/999999/invitations/", {"email": "x@example.com"})
    assert response.status_code == 404


def test_recruiters_of_the_company_list_its_invitations_and_others_do_not(company, owner, colleague):
    invite(company, colleague)
    listed = client_for(owner).get(f"/api/companies/{company.pk}/invitations/")
    assert listed.status_code == 200 and [i["email"] for i in listed.data] == ["new.hire@example.com"]
    assert client_for(factories.RecruiterFactory()).get(f"/api/companies/{company.pk}/invitations/").status_code == 403


# --- accepting ----------------------------------------------------------------------------
def test_the_invited_recruiter_accepts_and_joins_and_the_team_hears_of_it(
    company, owner, colleague, django_capture_on_commit_callbacks
):
    invitation = invite(company, owner, email="drifter@example.com")
    drifter = factories.RecruiterFactory(email="drifter@example.com", company=None, first_name="Amani", last_name="J")
    listener = RedisListener()
    listener.subscribe(groups.user_group(owner.pk), groups.user_group(colleague.pk))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client_for(drifter).post(f"/api/invitations/{invitation.token}/accept/")
        received = listener.received()
    finally:
        listener.close()

    assert response.status_code == 200, response.content
    assert response.data["company"]["id"] == company.pk
    drifter.refresh_from_db()
    assert drifter.company == company
    stored = Notification.objects.filter(notification_type="company_member_joined")
    assert {n.recipient_id for n in stored} == {owner.pk, colleague.pk, drifter.pk}
    assert stored.first().title == "Amani J joined Savanna Pay"
    pushed = {(group, frame(envelope)["notification_type"]) for group, envelope in received}
    assert pushed == {
        (groups.user_group(owner.pk), "company_member_joined"),
        (groups.user_group(colleague.pk), "company_member_joined"),
    }
    assert client_for(owner).get(f"/api/companies/{company.pk}/members/").data[-1]["id"] in {drifter.pk, colleague.pk}


def test_someone_new_registers_through_the_invitation_and_joins(company, owner):
    invitation = invite(company, owner)

    response = APIClient().post(
        f"/api/invitations/{invitation.token}/accept/",
        {"password": STRONG, "first_name": "Neema", "last_name": "Achieng"},
        format="json",
    )

    assert response.status_code == 201, response.content
    user = User.objects.get(email="new.hire@example.com")
    assert (user.user_type, user.company, user.first_name) == ("recruiter", company, "Neema")
    assert user.email_verified_at is not None  # the link reached the address
    assert response.data["access"] and response.data["refresh"]
    assert client_for(user).get("/api/auth/me/").data["company"] == company.pk


def test_an_invitation_works_once(company, owner):
    invitation = invite(company, owner)
    first = APIClient().post(f"/api/invitations/{invitation.token}/accept/", {"password": STRONG})
    second = APIClient().post(f"/api/invitations/{invitation.token}/accept/", {"password": STRONG})
    assert first.status_code == 201
    assert second.status_code == 400 and "accepted already" in second.data["detail"]


def test_a_second_click_by_the_same_recruiter_changes_nothing(company, owner):
    invitation = invite(company, owner, email="again@example.com")
    joiner = factories.RecruiterFactory(email="again@example.com", company=None)
    assert client_for(joiner).post(f"/api/invitations/{invitation.token}/accept/").status_code == 200
    assert client_for(joiner).post(f"/api/invitations/{invitation.token}/accept/").status_code == 200
    assert Notification.objects.filter(notification_type="company_member_joined", recipient=owner).count() == 1


def test_an_expired_invitation_is_refused(company, owner):
    invitation = invite(company, owner)
    CompanyInvitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = APIClient().post(f"/api/invitations/{invitation.token}/accept/", {"password": STRONG})
    assert response.status_code == 400 and "expired" in response.data["detail"]
    assert not User.objects.filter(email="new.hire@example.com").exists()


def test_an_unknown_token_is_a_404(company, owner):
    assert APIClient().post("/api/invitations/nope/accept/", {"password": STRONG}).status_code == 404
    assert client_for(owner).post("/api/invitations/nope/accept/").status_code == 404


def test_a_forwarded_link_does_not_let_another_recruiter_in(company, owner):
    invitation = invite(company, owner, email="invited@example.com")
    stranger = factories.RecruiterFactory(company=None)
    response = client_for(stranger).post(f"/api/invitations/{invitation.token}/accept/")
    assert response.status_code == 403
    stranger.refresh_from_db()
    assert stranger.company is None


def test_a_job_seeker_cannot_join_a_company(company, owner):
    invitation = invite(company, owner, email="seeker@example.com")
    seeker = factories.SeekerFactory(email="seeker@example.com")
    assert client_for(seeker).post(f"/api/invitations/{invitation.token}/accept/").status_code == 403


def test_a_recruiter_of_another_company_gets_a_409(company, owner):
    invitation = invite(company, owner, email="busy@example.com")
    busy = factories.RecruiterFactory(email="busy@example.com")
    response = client_for(busy).post(f"/api/invitations/{invitation.token}/accept/")
    assert response.status_code == 409
    busy.refresh_from_db()
    assert busy.company != company


def test_registering_through_an_invitation_for_an_address_with_an_account_says_to_log_in(company, owner):
    factories.RecruiterFactory(email="new.hire@example.com", company=None)
    invitation = invite(company, owner)
    response = APIClient().post(f"/api/invitations/{invitation.token}/accept/", {"password": STRONG})
    assert response.status_code == 400 and "log in" in response.data["detail"]


@pytest.mark.parametrize("body", [{}, {"password": "123"}, {"password": STRONG, "first_name": "x" * 200}])
def test_registering_through_an_invitation_with_bad_input_is_a_400(company, owner, body):
    invitation = invite(company, owner)
    response = APIClient().post(f"/api/invitations/{invitation.token}/accept/", body, format="json")
    assert response.status_code == 400
    assert not User.objects.filter(email="new.hire@example.com").exists()


# --- removing members ---------------------------------------------------------------------
def test_the_owner_removes_a_member_and_the_team_and_the_member_hear_of_it(company, owner, colleague):
    third = factories.RecruiterFactory(company=company)

    response = client_for(owner).delete(f"/api/companies/{company.pk}/members/{colleague.pk}/")

    assert response.status_code == 204, response.content
    colleague.refresh_from_db()
    assert colleague.company is None
    stored = Notification.objects.filter(notification_type="company_member_removed")
    assert {n.recipient_id for n in stored} == {owner.pk, third.pk, colleague.pk}
    # The removed recruiter no longer acts for the company.
    assert (
        client_for(colleague).post(f"/api/companies/{company.pk}/invitations/", {"email": "a@b.co"}).status_code == 403
    )


def test_only_the_owner_removes_members(company, owner, colleague):
    response = client_for(colleague).delete(f"/api/companies/{company.pk}/members/{owner.pk}/")
    assert response.status_code == 403
    outsider = factories.RecruiterFactory()
    assert client_for(outsider).delete(f"/api/companies/{company.pk}/members/{colleague.pk}/").status_code == 403
    colleague.refresh_from_db()
    assert colleague.company == company


def test_the_owner_cannot_remove_themselves(company, owner):
    response = client_for(owner).delete(f"/api/companies/{company.pk}/members/{owner.pk}/")
    assert response.status_code == 400
    owner.refresh_from_db()
    assert owner.company == company


@pytest.mark.parametrize("member", ["999999", "stranger"])
def test_removing_someone_who_is_not_a_member_is_a_404(company, owner, member):
    user_id = factories.RecruiterFactory().pk if member == "stranger" else int(member)
    assert client_for(owner).delete(f"/api/companies/{company.pk}/members/{user_id}/").status_code == 404


def test_the_creator_of_a_company_owns_it():
    recruiter = factories.RecruiterFactory(company=None)
    response = client_for(recruiter).post("/api/companies/", {"name": "Acacia Labs"}, format="json")
    assert response.status_code == 201
    assert response.data["owner"] == recruiter.pk


def test_an_invitation_page_lets_a_new_person_register(client, company, owner):
    invitation = invite(company, owner)
    page = client.get(f"/invitations/{invitation.token}/").content.decode()
    assert "Join Savanna Pay" in page and 'name="password"' in page
    assert f'data-api="/api/invitations/{invitation.token}/accept/"' in page


def test_an_invitation_page_offers_the_signed_in_invitee_a_join_button(client, company, owner):
    invitation = invite(company, owner, email="joiner@example.com")
    client.force_login(factories.RecruiterFactory(email="joiner@example.com", company=None))
    page = client.get(f"/invitations/{invitation.token}/").content.decode()
    assert "Join Savanna Pay</button>" in page and 'name="password"' not in page


def test_an_unknown_invitation_page_is_a_404(client):
    assert client.get("/invitations/unknown/").status_code == 404
