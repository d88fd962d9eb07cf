"""Query counts of list endpoints: a page of many rows runs exactly the queries of a page of two (no N+1)."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, path: str, expected_rows: int, **params) -> tuple[list[str], object]:
    """The SQL of one GET of a page of up to 50 rows, and the response (which must hold `expected_rows`)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"page_size": 50, **params})
    assert response.status_code == 200, response.content
    assert len(response.data["results"]) == expected_rows
    return [query["sql"] for query in captured.captured_queries], response


def assert_fixed_query_count(
    client, path: str, make_rows: Callable[[int], object], *, most: int, more: int = 18, **params
):
    """make_rows(2), then a page of those 2 runs at most `most` queries; make_rows(more), then the page of all
    2 + more runs exactly as many. Returns the last response, for checks of its rows."""
    make_rows(2)
    client.get(path, params)  # warm up anything cached per process
    with_two, _ = page_queries(client, path, 2, **params)
    assert len(with_two) <= most, with_two

    make_rows(more)

    with_all, response = page_queries(client, path, 2 + more, **params)
    assert len(with_all) == len(with_two), "\n".join(with_all)
    return response
