import importlib.util
import json

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import embedded
from config import settings as kazi_settings


def load_settings(monkeypatch, **env: str | None):
    """config/settings.py run afresh, as a module of its own, in the environment changed by `env` (None unsets)."""
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    for name, value in env.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("kazi_settings_under_test", kazi_settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    "secret_key", [None, kazi_settings._DEV_SECRET_KEY], ids=["secret-key-unset", "development-secret-key"]
)
def test_debug_off_refuses_the_development_secret_key(monkeypatch, secret_key):
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off"):
        load_settings(monkeypatch, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secret_key)


_PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-real-secret-" + "x" * 40,
    "EMAIL_URL": "smtp+tls://kazi%40example.com:p%40ss@smtp.example.com",
    "KAZI_SITE_URL": "https://kazi.example.com/",
}


def test_debug_off_loads_with_a_secret_key(monkeypatch):
    loaded = load_settings(monkeypatch, **_PRODUCTION)

    assert loaded.DEBUG is False
    assert loaded.SIMPLE_JWT["SIGNING_KEY"] == "a-real-secret-" + "x" * 40
    assert (loaded.EMAIL_HOST, loaded.EMAIL_PORT, loaded.EMAIL_USE_TLS) == ("smtp.example.com", 587, True)
    assert (loaded.EMAIL_HOST_USER, loaded.EMAIL_HOST_PASSWORD) == ("kazi@example.com", "p@ss")
    assert loaded.KAZI_SITE_URL == "https://kazi.example.com"


@pytest.mark.parametrize("unset", ["EMAIL_URL", "KAZI_SITE_URL"])
def test_production_never_falls_back_to_the_development_mail_catcher(monkeypatch, unset):
    with pytest.raises(ImproperlyConfigured, match=unset):
        load_settings(monkeypatch, **{**_PRODUCTION, unset: None})


def test_a_malformed_email_url_stops_the_process(monkeypatch):
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL must start with smtp://"):
        load_settings(monkeypatch, **{**_PRODUCTION, "EMAIL_URL": "mail.example.com:25"})


def test_development_without_email_url_sends_to_the_local_catcher(monkeypatch):
    loaded = load_settings(monkeypatch, DJANGO_DEBUG="1", EMAIL_URL=None, KAZI_MAIL_CATCHER_PORT="2025")

    assert loaded.KAZI_MAIL_CAUGHT_LOCALLY is True
    assert (loaded.EMAIL_HOST, loaded.EMAIL_PORT, loaded.EMAIL_USE_TLS) == ("127.0.0.1", 2025, False)


@pytest.mark.parametrize("unset", [["DATABASE_URL"], ["REDIS_URL"], ["DATABASE_URL", "REDIS_URL"]])
def test_settings_without_a_service_url_fail_naming_it_and_start_nothing(monkeypatch, unset):
    def started(*args, **kwargs):
        raise AssertionError("loading the settings started an embedded server")

    monkeypatch.setattr(embedded, "postgres_url", started)
    monkeypatch.setattr(embedded, "redis_url", started)

    with pytest.raises(ImproperlyConfigured, match=f"^{' and '.join(unset)} not set.*config.embedded start"):
        load_settings(monkeypatch, **dict.fromkeys(unset))


def test_api_docs_and_schema_are_served(client):
    assert client.get("/api/docs/").status_code == 200

    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "post" in schema["paths"]["/api/jobs/{id}/apply/"]
