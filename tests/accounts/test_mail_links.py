"""The mails of the account lifecycle and of company teams, through a real SMTP server on loopback: each mail
is parsed as the recipient's client would, and its link is followed (the page, then the API call the page
makes) until it did what it promised."""

import re
from urllib.parse import urlsplit

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from marketplace import teams
from tests import factories
from tests.mail import parts_of

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-Brand-new-passw0rd"


@pytest.fixture
def mail(smtp_server, settings, django_capture_on_commit_callbacks):
    """Send through the real SMTP server: the Celery task runs in this process once the transaction commits."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.KAZI_SITE_URL = "http://testserver"

    def sent(action):
        before = len(smtp_server.messages)
        with django_capture_on_commit_callbacks(execute=True):
            result = action()
        return result, smtp_server.messages[before:]

    return sent


def only_link(message) -> str:
    """The one site link of a mail, the same in its text and HTML parts."""
    parts = parts_of(message)
    [text_link] = set(re.findall(r"http://testserver/\S+/", parts["text/plain"]))
    html_links = set(re.findall(r'href="(http://testserver/[^"]+)"', parts["text/html"]))
    assert html_links == {text_link}
    return urlsplit(text_link).path


def test_forgot_password_mail_resets_the_password(mail, client):
    user = factories.SeekerFactory(email="ada@example.com", first_name="Ada")
    old_refresh = APIClient().post("/api/auth/token/", {"email": "ada@example.com", "password": factories.PASSWORD})
    old_refresh = old_refresh.data["refresh"]

    response, messages = mail(lambda: APIClient().post("/api/auth/password/reset/", {"email": "ADA@example.com"}))

    assert response.status_code == 202
    [message] = messages
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Reset your Kazi password"
    assert "Hello Ada" in parts_of(message)["text/plain"]
    path = only_link(message)
    match = re.fullmatch(r"/reset/(?P<uid>[^/]+)/(?P<token>[^/]+)/", path)
    assert match, path
    page = client.get(path)
    assert page.status_code == 200 and 'name="new_password"' in page.content.decode()

    confirmed = APIClient().post(
        "/api/auth/password/reset/confirm/", {**match.groupdict(), "new_password": NEW_PASSWORD}, format="json"
    )

    assert confirmed.status_code == 204, confirmed.content
    assert APIClient().post("/api/auth/token/", {"email": user.email, "password": NEW_PASSWORD}).status_code == 200
    old_login = APIClient().post("/api/auth/token/", {"email": user.email, "password": factories.PASSWORD})
    assert old_login.status_code == 401
    assert APIClient().post("/api/auth/token/refresh/", {"refresh": old_refresh}).status_code == 401
    # The used link's page now says it is dead.
    assert client.get(path).status_code == 404


def test_an_unknown_address_gets_the_same_answer_and_no_mail(mail):
    factories.SeekerFactory(email="ada@example.com")
    response, messages = mail(lambda: APIClient().post("/api/auth/password/reset/", {"email": "eve@example.com"}))
    assert response.status_code == 202
    assert messages == []


def test_an_invitation_mail_lets_someone_new_register_and_join(mail, client):
    company = factories.CompanyFactory(name="Savanna Pay")
    owner = factories.RecruiterFactory(company=company, first_name="Wanjiku", last_name="Kamau")
    owner_client = APIClient()
    owner_client.force_authenticate(owner)

    response, messages = mail(
        lambda: owner_client.post(f"/api/companies/{company.pk}/invitations/", {"email": "neema@example.com"})
    )

    assert response.status_code == 201
    [message] = messages
    assert message["To"] == "neema@example.com"
    assert message["Subject"] == "Join Savanna Pay on Kazi"
    assert "Wanjiku Kamau invites you" in parts_of(message)["text/plain"]
    path = only_link(message)
    page = client.get(path).content.decode()
    assert "Join Savanna Pay" in page and "neema@example.com" in page
    token = re.fullmatch(r"/invitations/([^/]+)/", path).group(1)

    accepted = APIClient().post(
        f"/api/invitations/{token}/accept/", {"password": NEW_PASSWORD, "first_name": "Neema"}, format="json"
    )

    assert accepted.status_code == 201, accepted.content
    assert User.objects.get(email="neema@example.com").company == company
    assert "accepted already" in client.get(path).content.decode()  # the link is spent


def test_an_invitation_mail_lets_a_signed_in_recruiter_join(mail, client):
    company = factories.CompanyFactory(name="Acacia Labs")
    owner = factories.RecruiterFactory(company=company)
    joiner = factories.RecruiterFactory(email="joiner@example.com", company=None)

    _, [message] = mail(
        lambda: teams.company_invitation_create(company=company, inviter=owner, email="joiner@example.com")
    )
    path = only_link(message)
    client.force_login(joiner)
    assert "Join Acacia Labs</button>" in client.get(path).content.decode()
    token = path.split("/")[2]
    csrf_client = APIClient()
    csrf_client.force_authenticate(joiner)

    assert csrf_client.post(f"/api/invitations/{token}/accept/").status_code == 200
    joiner.refresh_from_db()
    assert joiner.company == company


def test_with_verification_required_registration_mails_a_link_and_login_waits_for_it(mail, settings, client):
    settings.KAZI_REQUIRE_EMAIL_VERIFICATION = True
    body = {"email": "grace@example.com", "password": NEW_PASSWORD, "user_type": "job_seeker", "first_name": "Grace"}

    registered, [message] = mail(lambda: APIClient().post("/api/auth/register/", body, format="json"))

    assert registered.status_code == 201, registered.content
    assert registered.data["email_verification_required"] is True
    assert registered.data["access"] is None and registered.data["refresh"] is None
    login = {"email": "grace@example.com", "password": NEW_PASSWORD}
    refused = APIClient().post("/api/auth/token/", login)
    assert refused.status_code == 401 and "Confirm your email address" in refused.data["detail"]
    page = client.post("/login/", {"username": "grace@example.com", "password": NEW_PASSWORD})
    assert page.status_code == 200 and "Confirm your email address" in page.content.decode()
    assert message["Subject"] == "Confirm your email address for Kazi"
    path = only_link(message)
    match = re.fullmatch(r"/verify-email/(?P<uid>[^/]+)/(?P<token>[^/]+)/", path)
    assert match and "Confirm my address" in client.get(path).content.decode()

    assert APIClient().post("/api/auth/email/verify/", match.groupdict()).status_code == 204

    assert APIClient().post("/api/auth/token/", login).status_code == 200
    assert APIClient().post("/api/auth/email/verify/", match.groupdict()).status_code == 400  # once only


def test_without_verification_registration_sends_no_mail_and_signs_in_at_once(mail):
    body = {"email": "grace@example.com", "password": NEW_PASSWORD, "user_type": "job_seeker"}
    registered, messages = mail(lambda: APIClient().post("/api/auth/register/", body, format="json"))
    assert registered.status_code == 201
    assert registered.data["email_verification_required"] is False and registered.data["access"]
    assert messages == []


def test_a_new_verification_link_can_be_asked_for(mail, settings):
    settings.KAZI_REQUIRE_EMAIL_VERIFICATION = True
    body = {"email": "grace@example.com", "password": NEW_PASSWORD, "user_type": "recruiter"}
    mail(lambda: APIClient().post("/api/auth/register/", body, format="json"))

    resent, messages = mail(lambda: APIClient().post("/api/auth/email/verify/resend/", {"email": "grace@example.com"}))
    unknown, none = mail(lambda: APIClient().post("/api/auth/email/verify/resend/", {"email": "eve@example.com"}))

    assert resent.status_code == unknown.status_code == 202
    assert len(messages) == 1 and none == []
