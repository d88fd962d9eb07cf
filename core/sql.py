"""Raw SQL: tables named through the models, so a table renamed by a model change cannot go stale; the hot
writes' statements sent in one round trip."""

import contextlib
from string import Template

import psycopg
from django.conf import settings
from django.db import connection


def sql_tables(template: str, **models) -> str:
    """`template` with each `$name` replaced by the quoted table of `models[name]` (`$job` → "marketplace_job")."""
    return Template(template).substitute(
        {name: connection.ops.quote_name(model._meta.db_table) for name, model in models.items()}
    )


_NEVER_BY_COUNT = 2**31


def run_pipelined(*statements: tuple[str, object]) -> list[list[tuple]]:
    """The rows of each (sql, params) statement, run in order in the caller's transaction; several are sent at
    once (pipelined), in one round trip.

    For the hot writes (a chat message and its events). Parameters are bound by the server, so Python does not
    quote them into the text, and, on this process's own pooled connections (KAZI_DB_POOL_SIZE), each statement
    is parsed and planned once per connection (a pooler in front, without a pool here, may not keep prepared
    statements). Django's query log and execute wrappers do not see these statements."""
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    prepare = bool(settings.KAZI_DB_POOL_SIZE)
    pg = connection.connection
    if prepare and pg.prepare_threshold is None:
        # Django switches psycopg's preparing off, and then it ignores prepare=True too. A threshold never reached
        # prepares only what asks for it: Django's own cursors bind on the client and never prepare.
        pg.prepare_threshold = _NEVER_BY_COUNT
    with connection.wrap_database_errors:
        cursors = [psycopg.Cursor(pg) for _ in statements]
        # psycopg's pipeline mode costs about as much Python as a round trip saves: not for one statement.
        with pg.pipeline() if len(statements) > 1 else contextlib.nullcontext():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params, prepare=prepare)
        return [cursor.fetchall() if cursor.description else [] for cursor in cursors]
