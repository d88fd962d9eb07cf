"""The OpenAPI schema generates without a warning and documents every /api/ path of CONTRACT.md."""

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

CONTRACT_PATHS = [
    "/api/auth/register/",
    "/api/auth/token/",
    "/api/auth/token/refresh/",
    "/api/auth/me/",
    "/api/companies/",
    "/api/jobs/",
    "/api/jobs/{id}/",
    "/api/jobs/{id}/apply/",
    "/api/jobs/{id}/bookmark/",
    "/api/applications/",
    "/api/applications/{id}/",
    "/api/candidates/",
    "/api/profile/",
    "/api/documents/",
    "/api/documents/{id}/",
    "/api/ai/recommendations/",
    "/api/ai/recommendations/{job_id}/explanation/",
    "/api/ai/jobs/{job_id}/similar/",
    "/api/ai/jobs/{job_id}/candidates/",
    "/api/ai/trending/",
    "/api/ai/feedback/",
    "/api/ai/preferences/update/",
    "/api/chat/conversations/",
    "/api/chat/conversations/{id}/",
    "/api/chat/conversations/{id}/messages/",
    "/api/chat/conversations/{id}/mark-as-read/",
    "/api/chat/conversations/{id}/archive/",
    "/api/chat/search/",
    "/api/notifications/",
    "/api/notifications/unread-count/",
    "/api/notifications/{id}/read/",
    "/api/notifications/read-all/",
    "/api/notifications/preferences/",
]


@pytest.fixture(scope="module")
def generated():
    """The schema as `manage.py spectacular` builds it, with the warnings and errors it raised."""
    GENERATOR_STATS.reset()
    try:
        schema = SchemaGenerator().get_schema(request=None, public=True)
        warnings, errors = dict(GENERATOR_STATS._warn_cache), dict(GENERATOR_STATS._error_cache)
    finally:
        GENERATOR_STATS.reset()
    return schema, warnings, errors


def test_schema_generates_without_warnings_or_errors(generated):
    _, warnings, errors = generated
    assert not warnings, "\n".join(warnings)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("path", CONTRACT_PATHS)
def test_every_contract_path_is_documented(generated, path):
    schema, _, _ = generated
    assert path in schema["paths"], sorted(schema["paths"])


def test_path_ids_are_typed_and_status_enums_are_named(generated):
    schema, _, _ = generated
    expected = {
        "/api/applications/{id}/": {"type": "integer"},
        "/api/candidates/{id}/": {"type": "integer"},
        "/api/documents/{id}/": {"type": "string", "format": "uuid"},
        "/api/notifications/{id}/read/": {"type": "integer"},
    }
    for path, id_schema in expected.items():
        parameters = next(iter(schema["paths"][path].values()))["parameters"]
        assert next(p for p in parameters if p["name"] == "id")["schema"] == id_schema, path
    components = schema["components"]["schemas"]
    assert components["JobStatusEnum"]["enum"] == ["draft", "open", "closed"]
    assert "withdrawn" in components["ApplicationStatusEnum"]["enum"]
    assert components["DocumentStatusEnum"]["enum"] == ["uploaded", "processing", "completed", "failed"]
