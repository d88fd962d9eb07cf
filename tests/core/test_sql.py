"""core.sql.pipelined_transaction: a transaction sent by hand, committed only by commit()."""

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from core.sql import pipelined_transaction

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def table():
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE kazi_test_sql (x integer)")
    yield
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE kazi_test_sql")


def _rows() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT x FROM kazi_test_sql ORDER BY x")
        return [x for (x,) in cursor.fetchall()]


def test_what_runs_before_commit_is_stored_with_what_commit_sends(table):
    with pipelined_transaction() as tx:
        [first] = tx.run(("INSERT INTO kazi_test_sql VALUES (%s) RETURNING x", [1]))
        [second] = tx.commit(("INSERT INTO kazi_test_sql VALUES (%s) RETURNING x", [2]))
    assert (first, second) == ([(1,)], [(2,)])
    assert _rows() == [1, 2]


def test_a_block_that_raises_or_ends_without_commit_is_rolled_back(table):
    with pytest.raises(ValueError), pipelined_transaction() as tx:
        tx.run(("INSERT INTO kazi_test_sql VALUES (%s)", [1]))
        raise ValueError
    with pipelined_transaction() as tx:
        tx.run(("INSERT INTO kazi_test_sql VALUES (%s)", [2]))
    assert _rows() == []
    assert connection.connection.info.transaction_status == 0  # idle: the connection goes back clean


def test_it_refuses_to_run_inside_an_atomic_block():
    with pytest.raises(TransactionManagementError), transaction.atomic(), pipelined_transaction():
        pass
