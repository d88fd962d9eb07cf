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


def test_debug_off_loads_with_a_secret_key(monkeypatch):
    loaded = load_settings(monkeypatch, DJANGO_DEBUG="0", DJANGO_SECRET_KEY="a-real-secret-" + "x" * 40)

    assert loaded.DEBUG is False
    assert loaded.SIMPLE_JWT["SIGNING_KEY"] == "a-real-secret-" + "x" * 40


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
