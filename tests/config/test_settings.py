import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from config import settings as kazi_settings

LOAD_SETTINGS = "import django; from django.conf import settings; django.setup(); print('DEBUG', settings.DEBUG)"


def load_settings_in_subprocess(**env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key != "DJANGO_SECRET_KEY"}
    # The services this run already uses, so that no embedded server is started.
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings", DATABASE_URL=settings.DATABASE_URL, REDIS_URL=settings.REDIS_URL
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", LOAD_SETTINGS],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "secret_key", [None, kazi_settings._DEV_SECRET_KEY], ids=["secret-key-unset", "development-secret-key"]
)
def test_debug_off_refuses_the_development_secret_key(secret_key):
    env = {"DJANGO_DEBUG": "0"}
    if secret_key is not None:
        env["DJANGO_SECRET_KEY"] = secret_key

    result = load_settings_in_subprocess(**env)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off" in result.stderr


def test_debug_off_loads_with_a_secret_key():
    result = load_settings_in_subprocess(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="a-real-secret-" + "x" * 40)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "DEBUG False"


def test_api_docs_and_schema_are_served(client):
    assert client.get("/api/docs/").status_code == 200

    response = client.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert "post" in schema["paths"]["/api/jobs/{id}/apply/"]
