"""The API docs open with no internet: Swagger UI and ReDoc come from this server's static files
(drf-spectacular-sidecar), not from a CDN. The browser resolves no host but 127.0.0.1 (conftest LAUNCH_ARGS),
and the test also fails if the page so much as asks for another host."""

from urllib.parse import urlparse

import pytest

from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# ReDoc's "API docs by Redocly" badge is an <img> from its CDN that the bundle writes in itself; offline it is a
# missing decorative image and nothing else.
BADGE = "https://cdn.redoc.ly/redoc/logo-mini.svg"


def outside_requests(page) -> list[str]:
    asked: list[str] = []

    def record(request):
        if urlparse(request.url).hostname not in {"127.0.0.1", None} and request.url != BADGE:
            asked.append(request.url)

    page.on("request", record)
    return asked


@pytest.mark.parametrize(
    ("path", "rendered"),
    [
        ("/api/docs/", ".swagger-ui .opblock-tag-section"),
        ("/api/redoc/", ".redoc-wrap"),
    ],
)
def test_the_api_docs_render_from_local_files(live, pages, path, rendered):
    pages.allow(r"redoc/.*Failed to load resource: net::ERR_NAME_NOT_RESOLVED")
    context = pages.context(factories.RecruiterFactory(), live["a"])
    page = context.new_page()
    pages.watch(page)
    asked = outside_requests(page)

    page.goto(path)

    page.locator(rendered).first.wait_for(timeout=15_000)
    page.get_by_text("/api/jobs/").first.wait_for()
    assert asked == []
