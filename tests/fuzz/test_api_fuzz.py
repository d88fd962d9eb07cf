"""Schemathesis over the project's own OpenAPI schema: no request, however malformed, gets a 5xx.

The schema is loaded from the Django WSGI application (GET /api/schema/); every operation in it is one
test, run against a small world of objects (jobs, an application, a conversation, an interview, a
document, notifications...) so that ids in paths can name real objects, owned or not. The callers are
an anonymous client, a job seeker and a recruiter with a company, each with their JWT. Only the
`not_a_server_error` check runs: any 4xx (bad input, 401/403/404, 409, a 429) is a fine answer.

- Fuzzing phase: KAZI_FUZZ_EXAMPLES cases per operation (default 10), positive and negative, in every
  media type the schema declares, each sent as all three callers.
- Coverage phase: boundary values, wrong types, missing fields, unexpected HTTP methods and content types,
  bodies as JSON, sent as the one caller that gets past the operation's permission checks (_coverage_roles).

Kept repeatable and bounded for `make test`:
- generation is derandomized with a fixed seed, without an example database and without shrinking:
  every run sends the same requests, and a failure costs no more than a pass;
- every request, writes included, runs in a savepoint rolled back after it: each one meets the same
  world, so POST/PATCH/DELETE are fuzzed without changing what the next request sees;
- throttling is off (it would answer 429 to most of an operation's cases);
- a wall-clock budget (KAZI_FUZZ_BUDGET_SECONDS, default 120) skips the operations left once it is
  spent: a safety net for an overloaded machine. The run itself takes about a minute on two cores.

A deeper run: `KAZI_FUZZ_EXAMPLES=200 KAZI_FUZZ_BUDGET_SECONDS=3600 .venv/bin/python -m pytest tests/fuzz`.
"""

import os
import time
import traceback
from datetime import timedelta

import pytest
import schemathesis
from django.core import signals
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import strategies as st
from rest_framework.throttling import SimpleRateThrottle
from schemathesis.checks import not_a_server_error
from schemathesis.core import NOT_SET
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation.meta import CoverageScenario, TestPhase

from chat import services as chat_services
from config.wsgi import application
from interviews.models import Recording
from marketplace import services as marketplace_services
from marketplace import teams
from marketplace.choices import JobStatus
from marketplace.models import Bookmark, SavedSearch
from notifications.broadcaster import broadcaster
from privacy.export import download_token
from privacy.models import DataExport, ExportStatus
from resumes.models import BulkImport, CandidateRecord
from tests import factories
from tests.conftest import client_for
from tests.interviews.helpers import at, book, shortlisted
from tests.marketplace.helpers import pdf_bytes

EXAMPLES = int(os.environ.get("KAZI_FUZZ_EXAMPLES", "10"))
BUDGET_SECONDS = float(os.environ.get("KAZI_FUZZ_BUDGET_SECONDS", "120"))
ROLES = ("anonymous", "seeker", "recruiter")

schema = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    application,
    config=schemathesis.Config.from_dict(
        {
            "seed": 20260101,
            # Too-slow generation and the function-scoped world fixture are expected here: each example
            # is rolled back to the same world, so sharing the fixture between examples is the point.
            "suppress-health-check": ["all"],
            # Strings PostgreSQL or a hand-written parser may choke on, drawn into string values now and then:
            # random text rarely holds a NUL character (the kind of 500 this run has found).
            "dictionaries": {"hostile": {"values": ["a\x00b", "\x00", "NaN", "1e309", "-0"]}},
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES,
                "deterministic": True,
                "database": "none",
                # A failure is reported as found: shrinking it could cost more than the whole run.
                "no-shrink": True,
                # The roles' tokens are set per request; a generated `Authorization: Bearer ` would make
                # every anonymous request a 401, even on open routes.
                "with-security-parameters": False,
                "dictionaries": {"string": {"dictionary": "hostile", "probability": 0.2}},
            },
        }
    ),
)

# What the run did, for the terminal summary (conftest.py) and the budget.
RUN = {"operations": 0, "requests": 0, "started": None, "skipped": 0}


class World:
    """Ids of the objects a path parameter may name, the first one shared by the seeker and the recruiter."""

    ids: dict[str, list] = {}
    headers: dict[str, dict[str, str]] = {}
    server_errors: list[str] = []
    # The role the running operation's coverage cases are sent as, once known (see _coverage_roles).
    coverage_roles: list[str] | None = None


PATH_RESOURCES = (
    ("/api/jobs/", "jobs"),
    ("/api/applications/", "applications"),
    ("/api/candidate-records/", "records"),
    ("/api/candidates/", "seekers"),
    ("/api/chat/conversations/", "conversations"),
    ("/api/companies/", "companies"),
    ("/api/documents/bulk/", "imports"),
    ("/api/documents/", "documents"),
    ("/api/interview/", "interviews"),
    ("/api/notifications/", "notifications"),
    ("/api/saved-searches/", "saved_searches"),
    ("/api/auth/export/download/", "export_tokens"),
    ("/api/invitations/", "invitation_tokens"),
)


def _ids_for(path: str, parameter: str) -> list:
    if parameter == "message_id":
        return World.ids["messages"]
    if parameter == "job_id":
        return World.ids["jobs"]
    if parameter == "user_id":
        return World.ids["users"]
    if parameter == "recording_id":
        return World.ids["recordings"]
    if parameter == "sequence":
        return [0, 1]
    kind = next((kind for prefix, kind in PATH_RESOURCES if path.startswith(prefix)), None)
    return World.ids.get(kind, [])


@schema.hook("flatmap_path_parameters")
def _sometimes_real_objects(context, path_parameters):
    # Generated ids almost never exist, so without this a detail route would answer 404 before reading
    # the body. Drawn at run time, from the world of the running test.
    if not path_parameters:
        return st.just(path_parameters)
    return st.fixed_dictionaries(
        {
            name: st.sampled_from([value, *_ids_for(context.operation.path, name)])
            for name, value in path_parameters.items()
        }
    )


HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
CONTENT_TYPE_PROBES = {CoverageScenario.UNSUPPORTED_CONTENT_TYPE, CoverageScenario.MALFORMED_CONTENT_TYPE}


@schema.hook("filter_case")
def _coverage_bodies_as_json(context, case):
    # drf-spectacular declares JSON, form and multipart bodies for every write; the coverage phase would
    # walk the same boundary values through each of them (a third of the run each). The fuzzing phase
    # still sends all three.
    meta = case.meta
    if meta is None or meta.phase.name != TestPhase.COVERAGE:
        return True
    if meta.phase.data.scenario in CONTENT_TYPE_PROBES:
        return True
    if meta.phase.data.scenario == CoverageScenario.UNSPECIFIED_HTTP_METHOD:
        # The same requests for every operation of a path: send them once, with its first operation.
        methods = context.operation.schema.raw_schema["paths"][context.operation.path]
        return context.operation.method.lower() == next(m for m in methods if m in HTTP_METHODS)
    if case.media_type is None:
        return True
    declared = {body.media_type for body in context.operation.body}
    return case.media_type == "application/json" or "application/json" not in declared


def _admits_anonymous(operation) -> bool:
    security = operation.definition.raw.get("security")
    return security is None or {} in security


def _is_coverage(case) -> bool:
    return case.meta is not None and case.meta.phase.name == TestPhase.COVERAGE


def _real_path_parameters(operation, path_parameters) -> dict | None:
    real = {name: _ids_for(operation.path, name) for name in path_parameters}
    if not all(real.values()):
        return None
    return {name: str(ids[0]) for name, ids in real.items()}


def _send(case, role: str):
    """The case sent as `role`, in a savepoint rolled back after it: every request meets the same world."""
    World.server_errors.clear()
    RUN["requests"] += 1
    with transaction.atomic():
        response = case.call(headers=World.headers[role])
        transaction.set_rollback(True)
    if response.status_code >= 500:
        # Shown with the failure (captured stdout): who sent it, and where the server broke.
        print(f"{case.method} {case.formatted_path} as {role}: {response.status_code}")
        print(World.server_errors[-1] if World.server_errors else "(no server traceback)")
    return response


def _coverage_roles(operation) -> list[str]:
    """The role the coverage phase sends its cases as: the first, of a recruiter, a seeker and an anonymous
    caller, that an empty request gets past the permission checks (a 400 or a 2xx, not a 401, 403 or 404),
    on the first real object of the path. The coverage phase walks the body and query value by value, which
    only matters behind those checks, and whoever gets there meets the same validation; the fuzzing cases
    still go out as every role. Recruiters first: where a view validates before it checks the role, both
    get past an empty request, and most such routes are theirs (a company, an assessment, a status)."""
    path_parameters = _real_path_parameters(operation, [parameter.name for parameter in operation.path_parameters])
    wants_body = any(body.media_type == "application/json" for body in operation.body)
    probe = operation.Case(
        path_parameters=path_parameters or {},
        body={} if wants_body else NOT_SET,
        media_type="application/json" if wants_body else None,
    )
    for role in ("recruiter", "seeker", "anonymous") if _admits_anonymous(operation) else ("recruiter", "seeker"):
        response = _send(probe, role)
        probe.validate_response(response, checks=[not_a_server_error])
        if response.status_code not in (401, 403, 404):
            return [role]
    return []


def _roles(case) -> list[str]:
    """Who sends the case: a fuzzing case every role, a coverage case the role of _coverage_roles."""
    if not _is_coverage(case):
        return list(ROLES)
    if World.coverage_roles is None:
        World.coverage_roles = _coverage_roles(case.operation)
    return World.coverage_roles


def _on_real_objects(case):
    """A coverage case about the body, query or method, sent to the first real object of its path."""
    if not case.path_parameters or not _is_coverage(case):
        return case
    if case.meta.phase.data.parameter_location == ParameterLocation.PATH:
        return case
    real = _real_path_parameters(case.operation, case.path_parameters)
    if real is None:
        return case
    derived = case.derive(keep_auth=True)
    derived.path_parameters = real
    return derived


def build_world() -> None:
    seeker = factories.SeekerFactory()
    other_seeker = factories.SeekerFactory()
    recruiter = factories.RecruiterFactory()
    rival = factories.RecruiterFactory()
    company = recruiter.company
    job = factories.JobFactory(company=company, posted_by=recruiter)
    draft = factories.JobFactory(company=company, posted_by=recruiter, status=JobStatus.DRAFT)
    foreign_job = factories.JobFactory(company=rival.company, posted_by=rival)
    application_ = shortlisted(job, seeker)
    foreign_application = factories.ApplicationFactory(job=foreign_job, candidate=other_seeker)
    Bookmark.objects.create(user=seeker, job=job)
    conversation, _ = chat_services.conversation_start_direct(initiator=recruiter, other=seeker)
    message = chat_services.message_send(conversation=conversation, sender=recruiter, content="Hello")
    foreign_conversation, _ = chat_services.conversation_start_direct(initiator=rival, other=other_seeker)
    interview = book(application_, by=recruiter, start=at(10))
    interview.recording_enabled = True
    interview.save(update_fields=["recording_enabled"])
    # Running, so that chunks sent to it reach the content and size checks (the room itself is not open yet).
    recording = Recording.objects.create(interview=interview, started_by=recruiter)
    document = marketplace_services.document_create(
        owner=seeker,
        uploaded_file=SimpleUploadedFile("cv.pdf", pdf_bytes(), content_type="application/pdf"),
        document_type="resume",
    )
    record = CandidateRecord.objects.create(company=company, name="Imported One", email="one@example.com")
    bulk = BulkImport.objects.create(company=company, created_by=recruiter, total=1)
    saved_search = SavedSearch.objects.create(seeker=seeker, name="Python jobs", query="python")
    invitation = teams.company_invitation_create(company=company, inviter=recruiter, email="invited@example.com")
    export = DataExport.objects.create(
        user=seeker, status=ExportStatus.READY, expires_at=timezone.now() + timedelta(days=1)
    )
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + bytes(18)), save=True)
    notes = broadcaster.publish(
        user_ids=[seeker.pk, recruiter.pk], event_type="notification", notification_type="info", message="Hi"
    )
    World.ids = {
        "jobs": [job.pk, draft.pk, foreign_job.pk],
        "applications": [application_.pk, foreign_application.pk],
        "records": [record.pk],
        "seekers": [seeker.pk, other_seeker.pk],
        "conversations": [conversation.pk, foreign_conversation.pk],
        "messages": [message.pk],
        "companies": [company.pk, rival.company.pk],
        "imports": [str(bulk.pk)],
        "documents": [str(document.pk)],
        "interviews": [interview.pk],
        "recordings": [recording.pk],
        "notifications": [note.pk for note in notes],
        "saved_searches": [saved_search.pk],
        "users": [recruiter.pk, rival.pk, seeker.pk],
        "export_tokens": [download_token(export)],
        "invitation_tokens": [invitation.token],
    }
    users = {"anonymous": None, "seeker": seeker, "recruiter": recruiter}
    World.headers = {
        role: {} if user is None else {"Authorization": client_for(user)._credentials["HTTP_AUTHORIZATION"]}
        for role, user in users.items()
    }


def _server_error(sender, request=None, **kwargs):
    World.server_errors.append(traceback.format_exc())


@pytest.fixture
def world(db, monkeypatch):
    now = time.monotonic()
    RUN["started"] = RUN["started"] or now
    if now - RUN["started"] > BUDGET_SECONDS:
        RUN["skipped"] += 1
        pytest.skip(f"the API fuzz spent its {BUDGET_SECONDS:.0f} s budget (KAZI_FUZZ_BUDGET_SECONDS)")
    RUN["operations"] += 1
    # Throttling would answer 429 to most of an operation's cases; a raised rate would still cost two
    # Redis round trips per throttle and request.
    monkeypatch.setattr(SimpleRateThrottle, "allow_request", lambda throttle, request, view: True)
    World.coverage_roles = None
    # The application runs in this thread, inside the test's transaction: Django must not close the
    # connection at the end of each request (its own test client disconnects the same handler).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    signals.got_request_exception.connect(_server_error)
    try:
        build_world()
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
        signals.got_request_exception.disconnect(_server_error)


@schema.parametrize()
def test_no_server_error(case, world):
    case = _on_real_objects(case)
    for role in _roles(case):
        response = _send(case, role)
        case.validate_response(response, checks=[not_a_server_error])
