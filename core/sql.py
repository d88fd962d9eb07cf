"""Raw SQL: tables named through the models, so a table renamed by a model change cannot go stale; the hot
writes' statements sent in one round trip."""

import contextlib
from collections.abc import Iterator
from string import Template

import psycopg
from django.conf import settings
from django.db import connection
from django.db.transaction import TransactionManagementError


def sql_tables(template: str, **models) -> str:
    """`template` with each `$name` replaced by the quoted table of `models[name]` (`$job` → "marketplace_job")."""
    return Template(template).substitute(
        {name: connection.ops.quote_name(model._meta.db_table) for name, model in models.items()}
    )


_NEVER_BY_COUNT = 2**31


def _psycopg_connection() -> tuple[psycopg.Connection, bool]:
    """This thread's Django connection as psycopg's, and whether its statements are prepared."""
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    prepare = bool(settings.KAZI_DB_POOL_SIZE)
    pg = connection.connection
    if prepare and pg.prepare_threshold is None:
        # Django switches psycopg's preparing off, and then it ignores prepare=True too. A threshold never reached
        # prepares only what asks for it: Django's own cursors bind on the client and never prepare.
        pg.prepare_threshold = _NEVER_BY_COUNT
    return pg, prepare


def _execute(pg: psycopg.Connection, prepare: bool, statements) -> list[list[tuple]]:
    with connection.wrap_database_errors:
        cursors = [psycopg.Cursor(pg) for _ in statements]
        # psycopg's pipeline mode costs about as much Python as a round trip saves: not for one statement.
        with pg.pipeline() if len(statements) > 1 else contextlib.nullcontext():
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                # BEGIN and COMMIT are not worth a prepared statement of their own on every connection.
                cursor.execute(sql, params, prepare=prepare and params is not None)
        return [cursor.fetchall() if cursor.description else [] for cursor in cursors]


def run_pipelined(*statements: tuple[str, object]) -> list[list[tuple]]:
    """The rows of each (sql, params) statement, run in order in the caller's transaction; several are sent at
    once (pipelined), in one round trip.

    For the hot writes (a chat message and its events). Parameters are bound by the server, so Python does not
    quote them into the text, and, on this process's own pooled connections (KAZI_DB_POOL_SIZE), each statement
    is parsed and planned once per connection (a pooler in front, without a pool here, may not keep prepared
    statements). Django's query log and execute wrappers do not see these statements."""
    pg, prepare = _psycopg_connection()
    return _execute(pg, prepare, statements)


class PipelinedTransaction:
    """A transaction whose BEGIN travels with its first statements and whose COMMIT with its last: a write of
    two round trips is two round trips, not four. See pipelined_transaction()."""

    def __init__(self, pg: psycopg.Connection, prepare: bool) -> None:
        self._pg, self._prepare = pg, prepare
        self.begun = self.ended = False

    def run(self, *statements: tuple[str, object]) -> list[list[tuple]]:
        """The rows of each statement, run in order in the transaction (begun by the first call)."""
        if self.ended:
            raise TransactionManagementError("the pipelined transaction has ended")
        begin = () if self.begun else (("BEGIN", None),)
        self.begun = True
        return _execute(self._pg, self._prepare, (*begin, *statements))[len(begin) :]

    def commit(self, *statements: tuple[str, object]) -> list[list[tuple]]:
        """run() the last statements and COMMIT, in one round trip."""
        rows = self.run(*statements, ("COMMIT", None))[:-1]
        self.ended = True
        return rows

    def rollback(self) -> None:
        if self.begun and not self.ended:
            self.ended = True
            _execute(self._pg, False, (("ROLLBACK", None),))


@contextlib.contextmanager
def pipelined_transaction() -> Iterator[PipelinedTransaction]:
    """A transaction on this thread's Django connection, sent by hand: BEGIN with the first statements, COMMIT
    with the last (PipelinedTransaction). Django's transaction machinery (its BEGIN and COMMIT round trips,
    on_commit hooks, autocommit switches) is not involved, so nothing here may use it: no ORM write, no
    transaction.on_commit; what is to happen after the commit happens after `commit()` returns. Rolled back
    when the block raises, or ends without commit(). Not inside an atomic block (Django's transaction would
    be ended under it)."""
    if connection.in_atomic_block:
        raise TransactionManagementError("pipelined_transaction() inside an atomic block")
    pg, prepare = _psycopg_connection()
    transaction = PipelinedTransaction(pg, prepare)
    try:
        yield transaction
    except BaseException:
        with contextlib.suppress(Exception):  # a broken connection is dropped by the pool; the error is what counts
            transaction.rollback()
        raise
    transaction.rollback()
