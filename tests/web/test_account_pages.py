"""The signed-out account pages: forgot password, the reset link, email confirmation."""

import pytest

from accounts.tokens import email_verification_tokens, password_reset_tokens, uid_of
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_login_page_links_to_forgot_password(client):
    page = client.get("/login/").content.decode()
    assert 'href="/forgot-password/"' in page


def test_forgot_password_page_posts_the_address_to_the_api(client):
    response = client.get("/forgot-password/")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-api="/api/auth/password/reset/"' in page and 'name="email"' in page
    assert "account-forms.js" in page


def test_a_live_reset_link_shows_the_new_password_form(client):
    user = factories.SeekerFactory()
    uid, token = uid_of(user), password_reset_tokens.make_token(user)

    page = client.get(f"/reset/{uid}/{token}/").content.decode()

    assert 'name="new_password"' in page
    assert f"&quot;token&quot;: &quot;{token}&quot;" in page


@pytest.mark.parametrize("path", ["/reset/xx/yy/", "/reset/MQ/1-2/", "/verify-email/MQ/zz/"])
def test_a_dead_link_says_so_and_offers_no_form(client, path):
    factories.SeekerFactory()
    response = client.get(path)
    assert response.status_code == 404
    assert "invalid" in response.content.decode() and "<form" not in response.content.decode()


def test_a_live_verification_link_shows_a_confirm_button(client):
    user = factories.SeekerFactory(email_verified_at=None)
    uid, token = uid_of(user), email_verification_tokens.make_token(user)
    page = client.get(f"/verify-email/{uid}/{token}/").content.decode()
    assert 'data-api="/api/auth/email/verify/"' in page and "Confirm my address" in page


def test_the_account_page_offers_password_export_and_deletion(client):
    client.force_login(factories.SeekerFactory())
    page = client.get("/account/").content.decode()
    assert 'data-api="/api/auth/password/change/"' in page
    assert 'data-api="/api/auth/export/"' in page
    assert 'data-api="/api/auth/me/" data-method="DELETE"' in page
    assert 'id="team"' not in page


def test_a_recruiter_s_account_page_shows_the_team_and_who_owns_it(client):
    owner = factories.RecruiterFactory()
    owner.company.owner = owner
    owner.company.save()
    member = factories.RecruiterFactory(company=owner.company)
    client.force_login(owner)
    assert 'data-owner="true"' in client.get("/account/").content.decode()
    client.force_login(member)
    page = client.get("/account/").content.decode()
    assert 'data-owner="false"' in page and f'data-api="/api/companies/{owner.company_id}/invitations/"' in page


def test_the_header_links_the_name_to_the_account_page(client):
    client.force_login(factories.SeekerFactory(first_name="Amina", last_name="W"))
    assert 'href="/account/" title="Your account">Amina W</a>' in client.get("/jobs/").content.decode()


def test_the_account_page_needs_a_login(client):
    response = client.get("/account/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
