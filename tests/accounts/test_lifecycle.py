"""Logout, logout everywhere, password change, password reset confirmation and account deletion
(CONTRACT.md "Version 2 additions", Accounts). The mailed links themselves: test_mail_links.py."""

from datetime import datetime, timedelta

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils import timezone
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from accounts.models import User
from accounts.services import tokens_flush_expired
from accounts.tokens import password_reset_tokens, uid_of
from tests import factories
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-Brand-new-passw0rd"


def login(email: str, password: str) -> dict:
    response = APIClient().post("/api/auth/token/", {"email": email, "password": password}, format="json")
    return response


def tokens_of(user, password=PASSWORD) -> dict:
    response = login(user.email, password)
    assert response.status_code == 200, response.content
    return response.data


def refresh_works(refresh: str) -> bool:
    response = APIClient().post("/api/auth/token/refresh/", {"refresh": refresh}, format="json")
    assert response.status_code in (200, 401), response.content
    return response.status_code == 200


def bearer(access: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client


# --- logout -------------------------------------------------------------------------------
def test_logout_stops_that_refresh_token_at_once_and_leaves_the_others():
    user = factories.SeekerFactory()
    phone, laptop = tokens_of(user), tokens_of(user)

    response = bearer(phone["access"]).post("/api/auth/logout/", {"refresh": phone["refresh"]}, format="json")

    assert response.status_code == 205, response.content
    assert not refresh_works(phone["refresh"])
    assert refresh_works(laptop["refresh"])


def test_logout_twice_answers_205_both_times():
    user = factories.SeekerFactory()
    tokens = tokens_of(user)
    client = bearer(tokens["access"])
    assert client.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json").status_code == 205
    assert client.post("/api/auth/logout/", {"refresh": tokens["refresh"]}, format="json").status_code in (205, 400)


@pytest.mark.parametrize("body", [{}, {"refresh": ""}, {"refresh": "not-a-token"}, {"refresh": ["x"]}])
def test_logout_with_a_bad_refresh_token_is_a_400_naming_the_field(body):
    user = factories.SeekerFactory()
    response = bearer(tokens_of(user)["access"]).post("/api/auth/logout/", body, format="json")
    assert response.status_code == 400
    assert "refresh" in response.data


def test_nobody_logs_out_someone_elses_refresh_token():
    owner, other = factories.SeekerFactory(), factories.SeekerFactory()
    owners = tokens_of(owner)

    response = bearer(tokens_of(other)["access"]).post("/api/auth/logout/", {"refresh": owners["refresh"]})

    assert response.status_code == 400
    assert refresh_works(owners["refresh"])


def test_logout_needs_a_signed_in_caller():
    user = factories.SeekerFactory()
    response = APIClient().post("/api/auth/logout/", {"refresh": tokens_of(user)["refresh"]}, format="json")
    assert response.status_code == 401


def test_logout_all_stops_every_refresh_token_of_the_caller_and_no_one_elses():
    user, other = factories.SeekerFactory(), factories.RecruiterFactory()
    sessions = [tokens_of(user) for _ in range(3)]
    registered = APIClient().post(
        "/api/auth/register/",
        {"email": "new@example.com", "password": NEW_PASSWORD, "user_type": "job_seeker"},
        format="json",
    )
    others = tokens_of(other)

    assert bearer(sessions[0]["access"]).post("/api/auth/logout-all/").status_code == 205
    new_user_client = bearer(registered.data["access"])
    assert new_user_client.post("/api/auth/logout-all/").status_code == 205

    assert not any(refresh_works(session["refresh"]) for session in sessions)
    assert not refresh_works(registered.data["refresh"])  # registration's tokens are recorded too
    assert refresh_works(others["refresh"])
    # Signing in again works as before.
    assert refresh_works(tokens_of(user)["refresh"])


# --- password change ----------------------------------------------------------------------
def test_password_change_takes_the_new_password_and_signs_out_other_devices():
    user = factories.SeekerFactory()
    other_device = tokens_of(user)
    client = bearer(tokens_of(user)["access"])

    response = client.post(
        "/api/auth/password/change/", {"old_password": PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 204, response.content
    assert login(user.email, PASSWORD).status_code == 401
    assert login(user.email, NEW_PASSWORD).status_code == 200
    assert not refresh_works(other_device["refresh"])


@pytest.mark.parametrize(
    "body, field",
    [
        ({"old_password": "wrong", "new_password": NEW_PASSWORD}, "old_password"),
        ({"old_password": PASSWORD, "new_password": "123"}, "new_password"),
        ({"old_password": PASSWORD, "new_password": "password"}, "new_password"),
        ({"new_password": NEW_PASSWORD}, "old_password"),
        ({"old_password": PASSWORD, "new_password": None}, "new_password"),
    ],
)
def test_password_change_with_bad_input_is_a_400_and_keeps_the_password(body, field):
    user = factories.SeekerFactory()
    response = bearer(tokens_of(user)["access"]).post("/api/auth/password/change/", body, format="json")
    assert response.status_code == 400
    assert field in response.data
    assert login(user.email, PASSWORD).status_code == 200


def test_password_change_keeps_the_web_session_signed_in(client):
    user = factories.SeekerFactory()
    client.force_login(user)
    response = client.post(
        "/api/auth/password/change/",
        {"old_password": PASSWORD, "new_password": NEW_PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 204
    assert client.get("/api/auth/me/").status_code == 200


# --- password reset confirmation (the mail itself: test_mail_links.py) --------------------
def reset_link(user) -> dict:
    user.refresh_from_db()  # the token hashes last_login, which signing in just changed
    return {"uid": uid_of(user), "token": password_reset_tokens.make_token(user)}


def test_reset_confirm_sets_the_password_and_stops_the_old_refresh_tokens():
    user = factories.SeekerFactory()
    old_tokens = tokens_of(user)
    link = reset_link(user)

    response = APIClient().post(
        "/api/auth/password/reset/confirm/", {**link, "new_password": NEW_PASSWORD}, format="json"
    )

    assert response.status_code == 204, response.content
    assert login(user.email, PASSWORD).status_code == 401
    assert login(user.email, NEW_PASSWORD).status_code == 200
    assert not refresh_works(old_tokens["refresh"])
    # The link works once.
    again = APIClient().post("/api/auth/password/reset/confirm/", {**link, "new_password": "An0ther-passw0rd"})
    assert again.status_code == 400
    assert "token" in again.data


def test_a_reset_link_expires(settings):
    user = factories.SeekerFactory()

    class MadeLongAgo(PasswordResetTokenGenerator):
        # The same key and salt as the real generator: only the clock it stamps the token with differs.
        def _now(self):
            return datetime.now() - timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 5)

    link = {"uid": uid_of(user), "token": MadeLongAgo().make_token(user)}

    response = APIClient().post("/api/auth/password/reset/confirm/", {**link, "new_password": NEW_PASSWORD})

    assert response.status_code == 400
    assert "expired" in response.data["token"][0]
    assert login(user.email, PASSWORD).status_code == 200


@pytest.mark.parametrize(
    "uid, token",
    [("bm9wZQ", "abc-def"), ("", ""), ("!!!", "x"), ("MTIzNDU2Nzg5MDEyMzQ1Njc4OTA", "1-2"), ("AAAA", "a" * 100)],
)
def test_a_bad_reset_link_is_a_400_never_a_500(uid, token):
    factories.SeekerFactory()
    response = APIClient().post(
        "/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": NEW_PASSWORD}
    )
    assert response.status_code == 400


def test_a_weak_new_password_is_refused_and_the_link_still_works():
    user = factories.SeekerFactory()
    link = reset_link(user)
    weak = APIClient().post("/api/auth/password/reset/confirm/", {**link, "new_password": "12345678"})
    assert weak.status_code == 400 and "new_password" in weak.data
    strong = APIClient().post("/api/auth/password/reset/confirm/", {**link, "new_password": NEW_PASSWORD})
    assert strong.status_code == 204


def test_password_reset_answers_202_whether_or_not_the_address_exists():
    factories.SeekerFactory(email="known@example.com")
    known = APIClient().post("/api/auth/password/reset/", {"email": "known@example.com"}, format="json")
    unknown = APIClient().post("/api/auth/password/reset/", {"email": "nobody@example.com"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content


def test_password_reset_with_no_email_is_a_400():
    response = APIClient().post("/api/auth/password/reset/", {"email": "not an address"}, format="json")
    assert response.status_code == 400 and "email" in response.data


def test_password_reset_is_rate_limited_per_client_and_per_address(monkeypatch):
    rates = {**SimpleRateThrottle.THROTTLE_RATES, "email": "2/hour", "password_reset": "3/hour"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    same_address = [
        APIClient(REMOTE_ADDR=f"10.0.0.{n}").post("/api/auth/password/reset/", {"email": "a@example.com"})
        for n in range(3)
    ]
    one_client = [
        APIClient(REMOTE_ADDR="10.0.1.1").post("/api/auth/password/reset/", {"email": f"b{n}@example.com"})
        for n in range(4)
    ]
    assert [r.status_code for r in same_address] == [202, 202, 429]
    assert [r.status_code for r in one_client] == [202, 202, 202, 429]
    assert one_client[-1].headers["Retry-After"]


# --- deletion -----------------------------------------------------------------------------
def test_deleting_the_account_deactivates_it_at_once():
    user = factories.SeekerFactory()
    tokens = tokens_of(user)
    client = bearer(tokens["access"])

    response = client.delete("/api/auth/me/", {"password": PASSWORD}, format="json")

    assert response.status_code == 202, response.content
    user.refresh_from_db()
    assert not user.is_active and user.deletion_requested_at is not None
    assert login(user.email, PASSWORD).status_code == 401
    assert not refresh_works(tokens["refresh"])
    assert client.get("/api/auth/me/").status_code == 401  # the access token dies with the account


@pytest.mark.parametrize("body", [{}, {"password": "wrong"}, {"password": ""}])
def test_deleting_the_account_needs_its_password(body):
    user = factories.SeekerFactory()
    response = bearer(tokens_of(user)["access"]).delete("/api/auth/me/", body, format="json")
    assert response.status_code == 400 and "password" in response.data
    user.refresh_from_db()
    assert user.is_active and user.deletion_requested_at is None


def test_a_deleted_account_cannot_reset_its_password():
    user = factories.SeekerFactory()
    link = reset_link(user)
    bearer(tokens_of(user)["access"]).delete("/api/auth/me/", {"password": PASSWORD}, format="json")

    response = APIClient().post("/api/auth/password/reset/confirm/", {**link, "new_password": NEW_PASSWORD})

    assert response.status_code == 400
    assert not User.objects.get(pk=user.pk).is_active


def test_expired_refresh_tokens_are_forgotten_and_live_ones_kept():
    user = factories.SeekerFactory()
    live = tokens_of(user)
    OutstandingToken.objects.create(user=user, jti="old", token="x", expires_at=timezone.now() - timedelta(days=1))

    assert tokens_flush_expired() == 1
    assert refresh_works(live["refresh"])
