"""Fixtures of the platform tests."""

import uuid
from urllib.parse import quote, urlencode

import psycopg
import pytest

from tests.e2e import servers


@pytest.fixture
def empty_schema():
    """An empty schema of the test database, dropped afterwards: `migrate` must build the schedule from nothing.
    Not a database of its own: DROP DATABASE waits for a checkpoint of the whole cluster (15 s on a busy one)."""
    name = f"fresh_{uuid.uuid4().hex[:8]}"
    database_url = servers.test_database_url()
    search_path = urlencode({"options": f"-c search_path={name}"}, quote_via=quote)
    url = database_url + ("&" if "?" in database_url else "?") + search_path
    with psycopg.connect(database_url, autocommit=True) as admin:
        admin.execute(f'CREATE SCHEMA "{name}"')
        try:
            yield url
        finally:
            admin.execute(f'DROP SCHEMA "{name}" CASCADE')
