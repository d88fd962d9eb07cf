"""Bad input anywhere in the marketplace API gets a 4xx with a message, never a 500.

Each write endpoint receives malformed JSON, JSON that is not an object, wrong types
(a string for an integer, an object for a list, a list for a string), unknown enum
values, out-of-range numbers and strings with NUL characters. Query parameters of the
list endpoints get the same treatment.
"""

from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework_simplejwt.tokens import RefreshToken

from tests import factories
from tests.conftest import client_for
from tests.marketplace.helpers import pdf_bytes

pytestmark = pytest.mark.django_db

HUGE = 2**70
NUL = "a\x00b"


@dataclass
class Endpoint:
    client: object
    method: str
    url: str


def _own_company(anonymous) -> Endpoint:
    recruiter = factories.RecruiterFactory()
    return Endpoint(client_for(recruiter), "patch", f"/api/companies/{recruiter.company_id}/")


def _own_job(anonymous) -> Endpoint:
    recruiter = factories.RecruiterFactory()
    job = factories.JobFactory(company=recruiter.company)
    return Endpoint(client_for(recruiter), "patch", f"/api/jobs/{job.pk}/")


def _application(*, as_recruiter: bool):
    def build(anonymous) -> Endpoint:
        recruiter, seeker = factories.RecruiterFactory(), factories.SeekerFactory()
        application = factories.ApplicationFactory(
            job=factories.JobFactory(company=recruiter.company), candidate=seeker
        )
        return Endpoint(
            client_for(recruiter if as_recruiter else seeker), "patch", f"/api/applications/{application.pk}/"
        )

    return build


def _as_seeker(method: str, url: str):
    def build(anonymous) -> Endpoint:
        job = factories.JobFactory() if "{job}" in url else None
        return Endpoint(client_for(factories.SeekerFactory()), method, url.format(job=job and job.pk))

    return build


# Every write endpoint, called by someone allowed to use it, on an object that exists.
BUILD = {
    "register": lambda anonymous: Endpoint(anonymous, "post", "/api/auth/register/"),
    "token": lambda anonymous: Endpoint(anonymous, "post", "/api/auth/token/"),
    "token_refresh": lambda anonymous: Endpoint(anonymous, "post", "/api/auth/token/refresh/"),
    "company_create": lambda anonymous: Endpoint(
        client_for(factories.RecruiterFactory(company=None)), "post", "/api/companies/"
    ),
    "company_update": _own_company,
    "job_create": lambda anonymous: Endpoint(client_for(factories.RecruiterFactory()), "post", "/api/jobs/"),
    "job_update": _own_job,
    "apply": _as_seeker("post", "/api/jobs/{job}/apply/"),
    "bookmark": _as_seeker("post", "/api/jobs/{job}/bookmark/"),
    "application_update": _application(as_recruiter=True),
    "application_withdraw": _application(as_recruiter=False),
    "profile_patch": _as_seeker("patch", "/api/profile/"),
    "profile_put": _as_seeker("put", "/api/profile/"),
    "documents": _as_seeker("post", "/api/documents/"),
}


class Endpoints(dict):
    """BUILD's endpoints, each made when a test first asks for it: a test uses one, and making all of them
    for each of ~300 tests cost a third of this file's time."""

    def __init__(self, anonymous):
        super().__init__()
        self.anonymous = anonymous

    def __missing__(self, name: str) -> Endpoint:
        self[name] = BUILD[name](self.anonymous)
        return self[name]


@pytest.fixture
def endpoints(api_client):
    return Endpoints(api_client)


def assert_client_error(response):
    """A 4xx whose JSON body carries a message a person can read."""
    assert 400 <= response.status_code < 500, (response.status_code, response.content[:500])
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body = response.json()
    assert isinstance(body, dict) and body, body
    assert any(_has_text(value) for value in body.values()), body


def _has_text(value) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, list):
        return any(_has_text(item) for item in value)
    if isinstance(value, dict):
        return any(_has_text(item) for item in value.values())
    return False


def send_raw(endpoint: Endpoint, body: str, content_type: str = "application/json"):
    return getattr(endpoint.client, endpoint.method)(endpoint.url, data=body, content_type=content_type)


def send_json(endpoint: Endpoint, body):
    return getattr(endpoint.client, endpoint.method)(endpoint.url, body, format="json")


ALL = list(BUILD)
WITH_A_BODY = [name for name in ALL if name != "bookmark"]  # a bookmark has no fields to get wrong


# --- malformed and non-object JSON ------------------------------------------------------------
@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("body", ["{bad", '{"email": ', "\x00\x01", "{'single': 'quotes'}", "[1, 2"])
def test_malformed_json(endpoints, name, body):
    assert_client_error(send_raw(endpoints[name], body))


@pytest.mark.parametrize("name", WITH_A_BODY)
@pytest.mark.parametrize("body", ["[]", "[1, 2]", '"text"', "42", "true", "null"])
def test_json_that_is_not_an_object(endpoints, name, body):
    assert_client_error(send_raw(endpoints[name], body))


@pytest.mark.parametrize("name", WITH_A_BODY)
def test_a_body_in_a_format_nobody_parses(endpoints, name):
    assert_client_error(send_raw(endpoints[name], "<xml/>", content_type="application/xml"))


# --- wrong types, unknown enums, out-of-range values --------------------------------------------
CASES = {
    "register": [
        {"email": ["a@example.com"], "password": "s3cret-Passw0rd!", "user_type": "job_seeker"},
        {"email": {"a": 1}, "password": "s3cret-Passw0rd!", "user_type": "job_seeker"},
        {"email": 12345, "password": "s3cret-Passw0rd!", "user_type": "job_seeker"},
        {"email": "a@example.com", "password": ["s3cret-Passw0rd!"], "user_type": "job_seeker"},
        {"email": "a@example.com", "password": {"p": 1}, "user_type": "job_seeker"},
        {"email": "a@example.com", "password": "s3cret-Passw0rd!", "user_type": "wizard"},
        {"email": "a@example.com", "password": "s3cret-Passw0rd!", "user_type": ["job_seeker"]},
        {"email": "a@example.com", "password": "s3cret-Passw0rd!", "user_type": {"x": 1}},
        {"email": "a@example.com", "password": "s3cret-Passw0rd!", "user_type": None},
        {"email": "a@example.com", "password": "s3cret-Passw0rd!", "user_type": "job_seeker", "first_name": ["A"]},
        {"email": "a@example.com", "password": "s3cret-Passw0rd!", "user_type": "job_seeker", "last_name": NUL},
        {"email": "a@example.com", "password": "x" * 500, "user_type": "job_seeker"},
        {"email": "a" * 300 + "@example.com", "password": "s3cret-Passw0rd!", "user_type": "job_seeker"},
    ],
    "token": [
        {"email": ["a@example.com"], "password": "x"},
        {"email": {"a": 1}, "password": "x"},
        {"email": "a@example.com", "password": ["x"]},
        {"email": "a@example.com", "password": None},
        {"email": NUL, "password": "x"},
        {"email": 123, "password": 456},
        {},
    ],
    "token_refresh": [
        {"refresh": ["x"]},
        {"refresh": {"a": 1}},
        {"refresh": 123},
        {"refresh": None},
        {"refresh": NUL},
        {},
    ],
    "company_create": [
        {"name": ["Acme"]},
        {"name": {"a": 1}},
        {"name": 123, "website": ["https://a.example"]},
        {"name": "Acme", "website": "ftp:/nope"},
        {"name": "Acme", "slug": "not a slug!"},
        {"name": "Acme", "slug": ["acme"]},
        {"name": "Acme", "location": {"city": "Nairobi"}},
        {"name": "Acme", "description": NUL},
        {"name": "x" * 500},
        {"name": None},
    ],
    "company_update": [
        {"name": ["Acme"]},
        {"website": 42},
        {"slug": "not a slug!"},
        {"slug": {"a": 1}},
        {"description": ["a"]},
        {"name": ""},
    ],
    "job_create": [
        {"title": ["Engineer"]},
        {"title": {"a": 1}},
        {"title": "Engineer", "salary_min": "lots"},
        {"title": "Engineer", "salary_min": HUGE},
        {"title": "Engineer", "salary_max": -5},
        {"title": "Engineer", "salary_min": 1.5},
        {"title": "Engineer", "salary_min": True},
        {"title": "Engineer", "salary_min": {"v": 1}},
        {"title": "Engineer", "skills_required": {"Python": True}},
        {"title": "Engineer", "skills_required": "Python"},
        {"title": "Engineer", "skills_required": [{"name": "Python"}]},
        {"title": "Engineer", "skills_required": [""]},
        {"title": "Engineer", "skills_required": ["x" * 101]},
        {"title": "Engineer", "skills_required": ["Python"] * 101},
        {"title": "Engineer", "employment_type": "gig"},
        {"title": "Engineer", "employment_type": ["full_time"]},
        {"title": "Engineer", "experience_level": "guru"},
        {"title": "Engineer", "status": "published"},
        {"title": "Engineer", "status": {"open": True}},
        {"title": "Engineer", "remote": "maybe"},
        {"title": "Engineer", "remote": ["yes"]},
        {"title": "Engineer", "remote": {"a": 1}},
        {"title": "Engineer", "currency": "dollars"},
        {"title": "Engineer", "currency": 840},
        {"title": "Engineer", "category": "Not A Slug!"},
        {"title": "Engineer", "location": ["Nairobi"]},
        {"title": "Engineer", "description": {"text": "x"}},
        {"title": NUL},
        {"title": "x" * 500},
        {"title": "Engineer", "company": "acme"},
        {"title": "Engineer", "salary_min": 9, "salary_max": 1},
    ],
    "job_update": [
        {"title": ["Engineer"]},
        {"title": ""},
        {"salary_min": "lots"},
        {"salary_max": HUGE},
        {"salary_min": 10**7 * 5, "salary_max": 1},
        {"skills_required": {"Python": 1}},
        {"employment_type": "gig"},
        {"experience_level": 3},
        {"status": "archived"},
        {"status": None},
        {"remote": "sometimes"},
        {"created_at": "yesterday", "title": ["x"]},
        {"description": NUL},
    ],
    "apply": [
        {"cover_letter": ["Hire me"]},
        {"cover_letter": {"text": "Hire me"}},
        {"cover_letter": NUL},
        {"cover_letter": "x" * 20_001},
        {"resume": "not-a-uuid"},
        {"resume": ["00000000-0000-0000-0000-000000000000"]},
        {"resume": {"id": 1}},
        {"resume": -1},
        {"resume": HUGE * HUGE},
        {"resume": "00000000-0000-0000-0000-000000000000"},
        {"resume": 1.5},
    ],
    "application_update": [
        {"status": "hired"},
        {"status": ["reviewing"]},
        {"status": {"to": "reviewing"}},
        {"status": 1},
        {"status": None},
        {"status": ""},
        {"status": NUL},
        {},
        {"status": "withdrawn"},
    ],
    "application_withdraw": [
        {"status": "gone"},
        {"status": ["withdrawn"]},
        {"status": "accepted"},
        {},
    ],
    "profile_patch": [
        {"skills": {"Python": "expert"}},
        {"skills": "Python"},
        {"skills": [1, 2]},
        {"skills": [["Python"]]},
        {"skills": [None]},
        {"skills": [{"name": ["Python"]}]},
        {"skills": [{"name": "Python", "years": "many"}]},
        {"skills": [{"name": "Python", "years": HUGE}]},
        {"skills": [{"name": "Python", "level": "guru"}]},
        {"skills": [{"name": ""}]},
        {"skills": [{"name": NUL}]},
        {"skills": ["x"] * 201},
        {"experience_years": "many"},
        {"experience_years": HUGE},
        {"experience_years": [3]},
        {"experience_level": "wizard"},
        {"availability": "someday"},
        {"availability": ["immediate"]},
        {"preferred_employment_types": "full_time"},
        {"preferred_employment_types": {"full_time": True}},
        {"preferred_employment_types": ["gig"]},
        {"preferred_locations": {"city": "Nairobi"}},
        {"preferred_locations": [["Nairobi"]]},
        {"desired_salary_min": "lots"},
        {"desired_salary_max": -1},
        {"desired_salary_min": HUGE},
        {"desired_salary_min": 10, "desired_salary_max": 5},
        {"remote": "perhaps"},
        {"headline": ["Dev"]},
        {"headline": "x" * 500},
        {"summary": {"a": 1}},
        {"location": NUL},
        {"currency": "DOLLARS"},
    ],
}
CASES["profile_put"] = CASES["profile_patch"]


def _cases():
    for name, bodies in CASES.items():
        for index, body in enumerate(bodies):
            yield pytest.param(name, body, id=f"{name}-{index}")


@pytest.mark.parametrize(("name", "body"), list(_cases()))
def test_wrong_types_unknown_enums_and_out_of_range_values(endpoints, name, body):
    response = send_json(endpoints[name], body)
    assert_client_error(response)


# --- documents: multipart ---------------------------------------------------------------------
def _pdf(name="cv.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


@pytest.mark.parametrize(
    "data",
    [
        {"document_type": "resume", "file": "not a file"},
        {"document_type": "resume"},
        {"file": "__pdf__"},
        {"document_type": "passport", "file": "__pdf__"},
        {"document_type": "", "file": "__pdf__"},
        {"document_type": NUL, "file": "__pdf__"},
        {},
    ],
    ids=["file-as-text", "no-file", "no-type", "unknown-type", "blank-type", "nul-type", "empty"],
)
def test_document_upload_with_bad_fields(endpoints, data):
    data = {key: (_pdf() if value == "__pdf__" else value) for key, value in data.items()}
    response = endpoints["documents"].client.post("/api/documents/", data, format="multipart")
    assert_client_error(response)


def test_document_upload_with_a_broken_multipart_body(endpoints):
    response = send_raw(endpoints["documents"], "garbage", content_type="multipart/form-data")
    assert_client_error(response)


def test_document_upload_with_a_truncated_multipart_body(endpoints):
    body = '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n%PDF-1.4 trunc'
    response = send_raw(endpoints["documents"], body, content_type="multipart/form-data; boundary=XyZ")
    assert_client_error(response)


@pytest.mark.parametrize("name", ["cv\x00.pdf", "\x00", "a" * 400 + ".pdf", "..pdf", ".pdf", "résumé ☃.pdf"])
def test_odd_upload_file_names_never_break_the_upload(endpoints, name):
    response = endpoints["documents"].client.post(
        "/api/documents/", {"document_type": "resume", "file": _pdf(name)}, format="multipart"
    )
    if response.status_code == 201:
        assert "\x00" not in response.data["original_name"]
        assert len(response.data["original_name"]) <= 255
        download = endpoints["documents"].client.get(f"/api/documents/{response.data['id']}/download/")
        assert download.status_code == 200
    else:
        assert_client_error(response)


# --- query parameters of the list endpoints --------------------------------------------------------
LIST_QUERIES = {
    "/api/jobs/": [
        {"salary_min": "lots"},
        {"salary_min": "1e400"},
        {"salary_max": "NaN"},
        {"salary_min": str(HUGE)},
        {"salary_max": str(-HUGE)},
        {"company": str(HUGE)},
        {"company": "1.5"},
        {"remote": "perhaps"},
        {"status": "archived"},
        {"employment_type": "gig"},
        {"experience_level": NUL},
        {"location": NUL},
        {"category": NUL},
        {"skills": NUL},
        {"skills": "," * 500},
        {"search": NUL},
        {"search": "x" * 5000},
        {"ordering": NUL},
        {"ordering": "-" * 10},
        {"page": "abc"},
        {"page": str(HUGE)},
        {"page_size": "-1"},
        {"page_size": str(HUGE)},
    ],
    "/api/applications/": [
        {"status": "hired"},
        {"job": "abc"},
        {"job": str(HUGE)},
        {"search": NUL},
        {"ordering": NUL},
        {"page": "0"},
    ],
    "/api/candidates/": [
        {"experience_min": "many"},
        {"experience_max": str(HUGE)},
        {"experience_min": "2.5"},
        {"salary_min": "1e400"},
        {"salary_max": "lots"},
        {"availability": "someday"},
        {"skills": NUL},
        {"location": NUL},
        {"search": NUL},
        {"ordering": NUL},
    ],
    "/api/documents/": [
        {"document_type": "passport"},
        {"status": "exploded"},
        {"ordering": NUL},
        {"page": "last"},
    ],
    "/api/companies/": [
        {"search": NUL},
        {"ordering": NUL},
        {"page": "-1"},
    ],
}


def _queries():
    for path, queries in LIST_QUERIES.items():
        for index, query in enumerate(queries):
            yield pytest.param(path, query, id=f"{path.strip('/').replace('/', '-')}-{index}")


@pytest.mark.parametrize(("path", "query"), list(_queries()))
def test_bad_query_parameters(path, query):
    admin = factories.AdminFactory()
    factories.ApplicationFactory()
    response = client_for(admin).get(path, query)
    if response.status_code == 200:
        assert "results" in response.json()
    else:
        assert_client_error(response)


@pytest.mark.parametrize(
    "path",
    [
        "/api/jobs/{huge}/",
        "/api/jobs/{huge}/apply/",
        "/api/jobs/{huge}/bookmark/",
        "/api/applications/{huge}/",
        "/api/candidates/{huge}/",
        "/api/companies/{huge}/",
        "/api/documents/{huge}/",
        "/api/jobs/%00/",
        "/api/documents/%00/download/",
    ],
)
def test_nonsense_ids_in_paths_are_404(path):
    user = factories.RecruiterFactory() if "candidates" in path else factories.SeekerFactory()
    client = client_for(user)
    url = path.format(huge=HUGE)
    response = client.post(url, {}, format="json") if url.endswith(("apply/", "bookmark/")) else client.get(url)
    assert response.status_code == 404
    assert_client_error(response)


# --- credentials ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "header",
    ["Bearer", "Bearer ", "Bearer a b", "Bearer \u00e9\u00e9", "Basic Zm9vOmJhcg==", "Bearer " + "x" * 5000],
)
def test_odd_authorization_headers_are_401_not_500(api_client, header):
    api_client.credentials(HTTP_AUTHORIZATION=header)
    response = api_client.get("/api/auth/me/")
    assert response.status_code in (401, 403)
    assert_client_error(response)


def test_a_token_for_a_deleted_user_is_401(api_client):
    user = factories.SeekerFactory()
    token = RefreshToken.for_user(user)
    user.delete()
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token.access_token}")
    assert api_client.get("/api/auth/me/").status_code == 401
    refreshed = api_client.post("/api/auth/token/refresh/", {"refresh": str(token)}, format="json")
    assert_client_error(refreshed)
