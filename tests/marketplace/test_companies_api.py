"""Companies: public to read; recruiters create theirs (and join it) and manage it."""

import pytest

from marketplace.models import Company
from tests import factories
from tests.conftest import client_for
from tests.marketplace.helpers import ids

pytestmark = pytest.mark.django_db

ACME = {
    "name": "Acme Robotics",
    "website": "https://acme.example",
    "location": "Nairobi",
    "description": "Robots that farm.",
}


@pytest.fixture
def free_recruiter():
    return factories.RecruiterFactory(company=None)


def test_recruiter_creates_a_company_and_joins_it(free_recruiter):
    client = client_for(free_recruiter)

    response = client.post("/api/companies/", ACME, format="json")

    assert response.status_code == 201, response.content
    assert response.data["name"] == "Acme Robotics"
    assert response.data["slug"] == "acme-robotics"
    assert response.data["website"] == "https://acme.example"
    assert client.get("/api/auth/me/").data["company"] == response.data["id"]


def test_a_given_slug_is_kept(free_recruiter):
    response = client_for(free_recruiter).post("/api/companies/", {**ACME, "slug": "acme"}, format="json")
    assert response.status_code == 201
    assert response.data["slug"] == "acme"


def test_the_new_company_can_post_jobs_at_once(free_recruiter):
    client = client_for(free_recruiter)
    company = client.post("/api/companies/", ACME, format="json").data
    job = client.post("/api/jobs/", {"title": "Robot wrangler", "status": "open"}, format="json")
    assert job.status_code == 201
    assert job.data["company"] == company["id"]


def test_a_second_company_for_the_same_recruiter_is_409(free_recruiter):
    client = client_for(free_recruiter)
    assert client.post("/api/companies/", ACME, format="json").status_code == 201

    response = client.post("/api/companies/", {**ACME, "name": "Other Co"}, format="json")

    assert response.status_code == 409
    assert "detail" in response.data
    assert not Company.objects.filter(name="Other Co").exists()


def test_a_recruiter_who_already_has_a_company_gets_409(recruiter_client):
    assert recruiter_client.post("/api/companies/", ACME, format="json").status_code == 409


def test_seeker_cannot_create_a_company(seeker_client):
    response = seeker_client.post("/api/companies/", ACME, format="json")
    assert response.status_code == 403
    assert not Company.objects.filter(name="Acme Robotics").exists()


def test_anonymous_cannot_create_a_company(api_client):
    assert api_client.post("/api/companies/", ACME, format="json").status_code == 401


def test_admin_creates_a_company_without_joining(admin_client_jwt):
    response = admin_client_jwt.post("/api/companies/", ACME, format="json")
    assert response.status_code == 201
    assert admin_client_jwt.get("/api/auth/me/").data["company"] is None


def test_duplicate_slug_is_400(free_recruiter):
    factories.CompanyFactory(name="Acme Robotics", slug="acme-robotics")
    response = client_for(free_recruiter).post("/api/companies/", ACME, format="json")
    assert response.status_code == 400
    assert "slug" in response.data


def test_a_name_that_makes_no_slug_needs_one(free_recruiter):
    response = client_for(free_recruiter).post("/api/companies/", {"name": "!!!"}, format="json")
    assert response.status_code == 400
    assert "slug" in response.data


def test_name_is_required(free_recruiter):
    response = client_for(free_recruiter).post("/api/companies/", {"website": "https://x.example"}, format="json")
    assert response.status_code == 400
    assert "name" in response.data


def test_invalid_website_is_400(free_recruiter):
    response = client_for(free_recruiter).post("/api/companies/", {**ACME, "website": "not a url"}, format="json")
    assert response.status_code == 400
    assert "website" in response.data


def test_anyone_lists_and_reads_companies(api_client):
    company = factories.CompanyFactory(name="Zed Labs")
    assert ids(api_client.get("/api/companies/")) == {company.pk}
    assert api_client.get(f"/api/companies/{company.pk}/").data["name"] == "Zed Labs"


def test_company_search(seeker_client):
    acme = factories.CompanyFactory(name="Acme Robotics")
    factories.CompanyFactory(name="Zed Labs")
    assert ids(seeker_client.get("/api/companies/", {"search": "acme"})) == {acme.pk}


def test_member_updates_the_company(recruiter_client, recruiter):
    response = recruiter_client.patch(
        f"/api/companies/{recruiter.company_id}/", {"description": "We hire."}, format="json"
    )
    assert response.status_code == 200
    assert response.data["description"] == "We hire."


def test_member_cannot_take_another_companys_slug(recruiter_client, recruiter):
    factories.CompanyFactory(slug="taken")
    response = recruiter_client.patch(f"/api/companies/{recruiter.company_id}/", {"slug": "taken"}, format="json")
    assert response.status_code == 400
    assert "slug" in response.data


def test_non_member_patch_is_403(recruiter_client):
    other = factories.CompanyFactory(name="Theirs")

    response = recruiter_client.patch(f"/api/companies/{other.pk}/", {"name": "Mine"}, format="json")

    assert response.status_code == 403
    other.refresh_from_db()
    assert other.name == "Theirs"


def test_seeker_patch_is_403(seeker_client):
    other = factories.CompanyFactory(name="Theirs")
    assert seeker_client.patch(f"/api/companies/{other.pk}/", {"name": "Mine"}, format="json").status_code == 403


def test_companies_cannot_be_deleted_or_replaced_over_the_api(recruiter_client, recruiter):
    url = f"/api/companies/{recruiter.company_id}/"
    assert recruiter_client.delete(url).status_code == 405
    assert recruiter_client.put(url, ACME, format="json").status_code == 405
    assert Company.objects.filter(pk=recruiter.company_id).exists()
