import pytest

pytestmark = pytest.mark.django_db


def test_register_then_token_then_me(api_client):
    response = api_client.post(
        "/api/auth/register/",
        {
            "email": "Ada@Example.com",
            "password": "s3cret-Passw0rd!",
            "user_type": "job_seeker",
            "first_name": "Ada",
            "last_name": "Lovelace",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert response.data["email"] == "ada@example.com"
    token = api_client.post(
        "/api/auth/token/", {"email": "ada@example.com", "password": "s3cret-Passw0rd!"}, format="json"
    )
    assert token.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.data['access']}")
    me = api_client.get("/api/auth/me/")
    assert me.status_code == 200
    assert me.data["user_type"] == "job_seeker"
