"""Registration and JWT tokens (CONTRACT.md "Auth")."""

import pytest
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User
from marketplace.models import JobSeekerProfile
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

STRONG = "s3cret-Passw0rd!"


def register(client, **overrides):
    body = {
        "email": "grace@example.com",
        "password": STRONG,
        "user_type": "job_seeker",
        "first_name": "Grace",
        "last_name": "Hopper",
        **overrides,
    }
    return client.post("/api/auth/register/", body, format="json")


# --- registration -----------------------------------------------------------------
@pytest.mark.parametrize("user_type", ["job_seeker", "recruiter"])
def test_register_creates_the_account_and_returns_tokens(api_client, user_type):
    response = register(api_client, user_type=user_type)

    assert response.status_code == 201, response.content
    assert response.data["email"] == "grace@example.com"
    assert response.data["user_type"] == user_type
    assert response.data["first_name"] == "Grace"
    assert "password" not in response.data
    assert response.data["access"] and response.data["refresh"]
    user = User.objects.get(email="grace@example.com")
    assert user.check_password(STRONG)
    assert user.is_staff is False
    # The returned access token works straight away.
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.data['access']}")
    assert api_client.get("/api/auth/me/").data["email"] == "grace@example.com"


def test_a_registered_job_seeker_has_a_profile(api_client):
    register(api_client)
    assert JobSeekerProfile.objects.filter(user__email="grace@example.com").exists()


def test_admin_cannot_self_register(api_client):
    response = register(api_client, user_type="admin")

    assert response.status_code == 400
    assert "user_type" in response.data
    assert not User.objects.filter(email="grace@example.com").exists()


def test_unknown_user_type_is_refused(api_client):
    response = register(api_client, user_type="superhero")
    assert response.status_code == 400
    assert "user_type" in response.data


def test_duplicate_email_is_refused_whatever_its_letter_case(api_client):
    assert register(api_client).status_code == 201

    again = register(api_client, email="GRACE@Example.COM")

    assert again.status_code == 400
    assert "email" in again.data
    assert User.objects.filter(email__iexact="grace@example.com").count() == 1


@pytest.mark.parametrize("password", ["123", "password", "12345678901", "grace@example.com"])
def test_weak_password_is_refused_with_a_password_error(api_client, password):
    response = register(api_client, password=password)

    assert response.status_code == 400
    assert "password" in response.data, response.data
    assert response.data["password"]
    assert not User.objects.filter(email="grace@example.com").exists()


@pytest.mark.parametrize("missing", ["email", "password", "user_type"])
def test_required_fields(api_client, missing):
    body = {"email": "grace@example.com", "password": STRONG, "user_type": "job_seeker"}
    del body[missing]
    response = api_client.post("/api/auth/register/", body, format="json")
    assert response.status_code == 400
    assert missing in response.data


def test_invalid_email_is_refused(api_client):
    response = register(api_client, email="not-an-email")
    assert response.status_code == 400
    assert "email" in response.data


def test_registration_ignores_an_attempt_to_become_staff(api_client):
    response = register(api_client, is_staff=True, is_superuser=True)
    assert response.status_code == 201
    user = User.objects.get(email="grace@example.com")
    assert not user.is_staff and not user.is_superuser
    assert user.user_type == "job_seeker"


# --- tokens ---------------------------------------------------------------------------
def test_obtain_token_pair_with_email_and_password(api_client, seeker):
    response = api_client.post("/api/auth/token/", {"email": seeker.email, "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert set(response.data) >= {"access", "refresh"}


def test_login_with_the_email_as_it_was_typed_at_registration(api_client):
    """Register as Ada@Example.com, log in as Ada@Example.com: the user typed the same thing twice."""
    assert register(api_client, email="Ada@Example.com").status_code == 201

    response = api_client.post("/api/auth/token/", {"email": "Ada@Example.com", "password": STRONG}, format="json")

    assert response.status_code == 200, response.data


def test_login_is_case_insensitive_for_accounts_made_outside_the_api(api_client):
    """An account created in the admin as Bob@Example.com logs in as bob@example.com (and vice versa)."""
    factories.SeekerFactory(email="Bob@Example.com")

    for typed in ("bob@example.com", "BOB@EXAMPLE.COM"):
        response = api_client.post("/api/auth/token/", {"email": typed, "password": PASSWORD}, format="json")
        assert response.status_code == 200, (typed, response.data)


def test_wrong_password_is_401(api_client, seeker):
    response = api_client.post("/api/auth/token/", {"email": seeker.email, "password": "wrong"}, format="json")
    assert response.status_code == 401
    assert "detail" in response.data
    assert "access" not in response.data


def test_unknown_email_is_401(api_client):
    response = api_client.post("/api/auth/token/", {"email": "nobody@example.com", "password": STRONG}, format="json")
    assert response.status_code == 401


def test_inactive_user_cannot_obtain_a_token(api_client):
    user = factories.SeekerFactory(is_active=False)
    response = api_client.post("/api/auth/token/", {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 401


def test_refresh_gives_a_new_working_access_token(api_client, seeker):
    pair = api_client.post("/api/auth/token/", {"email": seeker.email, "password": PASSWORD}, format="json").data

    response = api_client.post("/api/auth/token/refresh/", {"refresh": pair["refresh"]}, format="json")

    assert response.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.data['access']}")
    assert api_client.get("/api/auth/me/").data["id"] == seeker.pk


def test_refresh_with_an_access_token_is_401(api_client, seeker):
    access = str(RefreshToken.for_user(seeker).access_token)
    response = api_client.post("/api/auth/token/refresh/", {"refresh": access}, format="json")
    assert response.status_code == 401


def test_refresh_with_garbage_is_401(api_client):
    response = api_client.post("/api/auth/token/refresh/", {"refresh": "not.a.jwt"}, format="json")
    assert response.status_code == 401
    assert "detail" in response.data


# --- me ---------------------------------------------------------------------------------
def test_me_shows_the_current_user(seeker_client, seeker):
    response = seeker_client.get("/api/auth/me/")

    assert response.status_code == 200
    assert response.data["id"] == seeker.pk
    assert response.data["email"] == seeker.email
    assert response.data["user_type"] == "job_seeker"
    assert response.data["company"] is None


def test_me_shows_a_recruiters_company(recruiter_client, recruiter):
    assert recruiter_client.get("/api/auth/me/").data["company"] == recruiter.company_id


def test_me_for_an_admin(admin_client_jwt):
    assert admin_client_jwt.get("/api/auth/me/").data["user_type"] == "admin"


def test_me_without_a_token_is_401(api_client):
    response = api_client.get("/api/auth/me/")
    assert response.status_code == 401
    assert "detail" in response.data


def test_me_with_a_forged_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.forged")
    assert api_client.get("/api/auth/me/").status_code == 401


def test_me_with_a_refresh_token_is_401(api_client, seeker):
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(seeker)}")
    assert api_client.get("/api/auth/me/").status_code == 401
