"""Fixtures of the platform tests."""

import uuid

import psycopg
import pytest
from django.db import connection


@pytest.fixture
def empty_database():
    """A database of its own, dropped afterwards: `migrate` must build the schedule from nothing."""
    params = connection.settings_dict
    name = f"{params['NAME']}_fresh_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        host=params["HOST"] or None, port=params["PORT"] or None, user=params["USER"], password=params["PASSWORD"],
        dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'CREATE DATABASE "{name}"')
    user = params["USER"] or "postgres"
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    try:
        yield name, f"postgres://{user}{password}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
