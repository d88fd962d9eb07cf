"""The interview endpoints of CONTRACT.md are in the OpenAPI schema, with integer ids."""

import pytest
from drf_spectacular.generators import SchemaGenerator

PATHS = [
    "/api/interview/",
    "/api/interview/schedule/",
    "/api/interview/{id}/",
    "/api/interview/{id}/join/",
    "/api/interview/{id}/leave/",
    "/api/interview/{id}/cancel/",
    "/api/interview/{id}/assessment/",
    "/api/interview/{id}/calendar.ics",
]


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("path", PATHS)
def test_every_interview_path_is_documented_with_an_integer_id(schema, path):
    assert path in schema["paths"], sorted(p for p in schema["paths"] if "interview" in p)
    for operation in schema["paths"][path].values():
        for parameter in operation.get("parameters", []):
            if parameter["name"] == "id":
                assert parameter["schema"]["type"] == "integer"


def test_the_schedule_conflict_and_the_calendar_media_type_are_documented(schema):
    schedule = schema["paths"]["/api/interview/schedule/"]["post"]["responses"]
    assert {"201", "409"} <= set(schedule)
    assert "text/calendar" in schema["paths"]["/api/interview/{id}/calendar.ics"]["get"]["responses"]["200"]["content"]
    assert schema["components"]["schemas"]["InterviewStatusEnum"]["enum"] == [
        "scheduled",
        "in_progress",
        "completed",
        "cancelled",
        "no_show",
    ]
