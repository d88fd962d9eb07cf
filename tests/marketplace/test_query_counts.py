"""List endpoints run a fixed number of queries whatever the page size (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.models import Document
from tests import factories
from tests.conftest import client_for
from tests.marketplace.helpers import pdf_bytes
from tests.queries import assert_fixed_query_count

pytestmark = pytest.mark.django_db

MAX_QUERIES = 6  # auth user + count + page, with a little room; anything per row breaks it at once


def document_for(owner, document_type="resume"):
    from django.core.files.base import ContentFile

    document = Document(
        owner=owner,
        document_type=document_type,
        original_name="cv.pdf",
        content_type="application/pdf",
        size=100,
        sha256="0" * 64,
    )
    document.file.save("cv.pdf", ContentFile(pdf_bytes()), save=False)
    document.save()
    return document


def test_jobs_list(seeker_client):
    def make(n):
        for _ in range(n):
            factories.JobFactory()  # each with its own company

    assert_fixed_query_count(seeker_client, "/api/jobs/", make, most=MAX_QUERIES)


def test_jobs_list_for_a_recruiter_with_drafts(recruiter_client, recruiter):
    def make(n):
        for index in range(n):
            factories.JobFactory(company=recruiter.company, status="draft" if index % 2 else "open")

    assert_fixed_query_count(recruiter_client, "/api/jobs/", make, most=MAX_QUERIES)


def test_jobs_list_anonymous(api_client):
    assert_fixed_query_count(api_client, "/api/jobs/", factories.JobFactory.create_batch, most=MAX_QUERIES)


def test_applications_list_for_a_recruiter(recruiter_client, recruiter):
    def make(n):
        for _ in range(n):
            seeker = factories.SeekerFactory()
            job = factories.JobFactory(company=recruiter.company)
            factories.ApplicationFactory(job=job, candidate=seeker, resume=document_for(seeker))

    assert_fixed_query_count(recruiter_client, "/api/applications/", make, most=MAX_QUERIES)


def test_applications_list_for_a_seeker(seeker_client, seeker):
    def make(n):
        for _ in range(n):
            factories.ApplicationFactory(candidate=seeker, resume=document_for(seeker))

    assert_fixed_query_count(seeker_client, "/api/applications/", make, most=MAX_QUERIES)


def test_candidates_list(recruiter_client):
    def make(n):
        for _ in range(n):
            factories.SeekerFactory()

    assert_fixed_query_count(recruiter_client, "/api/candidates/", make, most=MAX_QUERIES)


def test_candidates_search(recruiter_client, django_assert_num_queries):
    # Rank and highlight (with the latest resume's text) come in the page query, not one query per row.
    def make(n):
        for _ in range(n):
            seeker = factories.SeekerFactory()
            resume = document_for(seeker)
            resume.extracted_text, resume.parsed_at = "Kotlin on Android", resume.created_at
            resume.save()

    def page():
        response = recruiter_client.get("/api/candidates/", {"search": "kotlin", "page_size": 50})
        assert response.status_code == 200, response.content
        return response.data

    make(2)
    with CaptureQueriesContext(connection) as captured:
        assert page()["count"] == 2
    assert len(captured) <= MAX_QUERIES
    make(18)
    with django_assert_num_queries(len(captured)):
        data = page()
    assert len(data["results"]) == 20
    assert all("<mark>Kotlin</mark>" in item["search_highlight"] for item in data["results"])


def test_candidates_list_with_every_visibility(recruiter):
    def make(n):
        for index in range(n):
            seeker = factories.SeekerFactory()
            seeker.profile.visibility = "applied" if index % 2 else "public"
            seeker.profile.save()
            factories.ApplicationFactory(job=factories.JobFactory(company=recruiter.company), candidate=seeker)
            hidden = factories.SeekerFactory()
            hidden.profile.visibility = "hidden"
            hidden.profile.save()

    assert_fixed_query_count(client_for(recruiter), "/api/candidates/", make, most=MAX_QUERIES)


def test_documents_list_for_the_owner(seeker_client, seeker):
    def make(n):
        for _ in range(n):
            document_for(seeker)

    assert_fixed_query_count(seeker_client, "/api/documents/", make, most=MAX_QUERIES)


def test_documents_list_for_a_recruiter_of_an_applied_company(recruiter):
    client = client_for(recruiter)

    def make(n):
        for _ in range(n):
            seeker = factories.SeekerFactory()
            factories.ApplicationFactory(job=factories.JobFactory(company=recruiter.company), candidate=seeker)
            document_for(seeker)

    assert_fixed_query_count(client, "/api/documents/", make, most=MAX_QUERIES)


def test_companies_list(seeker_client):
    assert_fixed_query_count(seeker_client, "/api/companies/", factories.CompanyFactory.create_batch, most=MAX_QUERIES)


def test_default_page_size_is_twenty(seeker_client):
    factories.JobFactory.create_batch(25)
    response = seeker_client.get("/api/jobs/")
    assert response.data["count"] == 25
    assert len(response.data["results"]) == 20


def test_page_size_is_capped_at_one_hundred(seeker_client):
    factories.CompanyFactory.create_batch(105)
    response = seeker_client.get("/api/companies/", {"page_size": 1000})
    assert len(response.data["results"]) == 100
