"""Who may generate and read period documents, on the pages and through the API.

Leaders, officers and admins generate and read; viewers and statisticians read (see
test_report_jobs_need_a_producing_role.py); units and enterprise contacts do neither;
nobody reads a document of an organisation outside their scope, not even by its id.
"""

import pytest
from django.test import Client

from zonedesk.orgs.services import create_token
from zonedesk.reports.models import ReportJob

from .conftest import YEAR
from .documents import fresh_user, generate

PAGES = [
    "/reports/{pk}/",
    "/reports/{pk}/progress/",
    "/reports/{pk}/report.docx",
    "/reports/{pk}/report.xlsx",
]
API = ["/api/v1/reports/{pk}", "/api/v1/reports/{pk}/docx", "/api/v1/reports/{pk}/xlsx"]


def api_client(user):
    _token, secret = create_token(user, "测试")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    client.raise_request_exception = False
    return client


@pytest.fixture
def zone_job(seeded):
    return generate(seeded.leader, seeded.world.zone)


@pytest.mark.parametrize("who", ["leader", "member", "county_leader", "city_leader", "owner"])
def test_generating_roles_open_the_page_and_request_a_document(seeded, client_for, who):
    user = getattr(seeded, who, None) or getattr(seeded.world, who)
    client = client_for(user)
    assert client.get("/reports/").status_code == 200
    response = client.post(
        "/reports/", {"kind": "monthly", "org": seeded.world.zone.pk, "year": YEAR, "month": 7}
    )
    job = ReportJob.objects.get(user=user)
    assert response.status_code == 302 and response.url == f"/reports/{job.pk}/"
    assert (job.org, job.kind, job.month, job.status) == (seeded.world.zone, "monthly", 7, "queued")


@pytest.mark.parametrize("who", ["unit_user", "enterprise_user"])
def test_units_and_enterprises_may_not_generate(seeded, client_for, who):
    client = client_for(getattr(seeded.world, who))
    assert client.get("/reports/").status_code == 403
    data = {"kind": "monthly", "org": seeded.world.zone.pk, "year": YEAR, "month": 7}
    assert client.post("/reports/", data).status_code == 403
    response = api_client(getattr(seeded.world, who)).post(
        "/api/v1/reports",
        {"org_id": seeded.world.zone.pk, "kind": "monthly", "year": YEAR, "month": 7},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not ReportJob.objects.exists()


@pytest.mark.parametrize("who", ["unit_user", "enterprise_user", "outsider"])
def test_others_cannot_open_or_download_a_zone_document_by_id(seeded, zone_job, client_for, who):
    user = getattr(seeded.world, who)
    client, api = client_for(user), api_client(user)
    for url in PAGES:
        assert client.get(url.format(pk=zone_job.pk)).status_code == 404, url
    for url in API:
        response = api.get(url.format(pk=zone_job.pk))
        assert response.status_code == 404, url
        assert response.json()["detail"] == "记录不存在或无权查看"


def test_viewer_above_and_statistician_of_the_zone_read_the_leaders_document(
    seeded, zone_job, client_for
):
    for user in (seeded.world.viewer, seeded.statistician, seeded.county_leader):
        client = client_for(user)
        response = client.get(f"/reports/{zone_job.pk}/report.docx")
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"PK")
        assert "attachment" in response["Content-Disposition"]
    # A leader's list shows only what they asked for; a reader's the organisations' documents.
    assert zone_job.title not in client_for(seeded.county_leader).get("/reports/").content.decode()
    assert zone_job.title in client_for(seeded.world.viewer).get("/reports/").content.decode()


def test_zone_leader_cannot_request_a_document_for_the_city_above(seeded, client_for):
    client = client_for(seeded.leader)
    response = client.post(
        "/reports/", {"kind": "monthly", "org": seeded.world.city.pk, "year": YEAR, "month": 7}
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    response = api_client(seeded.leader).post(
        "/api/v1/reports",
        {"org_id": seeded.world.other_zone.pk, "kind": "annual", "year": YEAR},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert not ReportJob.objects.exists()


def test_api_requests_and_reports_progress_then_download_urls(seeded):
    api = api_client(seeded.leader)
    response = api.post(
        "/api/v1/reports",
        {"org_id": seeded.world.zone.pk, "kind": "quarterly", "year": YEAR, "quarter": 2},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["progress"], body["docx_url"]) == ("queued", 0, None)
    assert body["title"] == "寿阳经济技术开发区2025年第2季度季分析"
    from zonedesk.reports import services

    services.build_report.call_local(body["id"])
    body = api.get(f"/api/v1/reports/{body['id']}").json()
    assert (body["status"], body["progress"]) == ("done", 100)
    assert body["docx_url"] == f"/api/v1/reports/{body['id']}/docx"
    download = api.get(body["xlsx_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"PK")
    assert [r["id"] for r in api.get("/api/v1/reports").json()] == [body["id"]]


def test_api_refuses_a_bad_period_naming_the_field(seeded):
    api = api_client(seeded.leader)
    response = api.post(
        "/api/v1/reports",
        {"org_id": seeded.world.zone.pk, "kind": "monthly", "year": YEAR},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "month：月汇总须选择1—12月"
    response = api.post(
        "/api/v1/reports",
        {"org_id": seeded.world.zone.pk, "kind": "weekly", "year": YEAR},
        content_type="application/json",
    )
    assert response.status_code == 422


def test_page_query_counts_are_bounded(seeded, client_for, django_assert_max_num_queries):
    s = seeded
    client = client_for(s.city_leader)
    for _ in range(3):
        generate(s.city_leader, s.world.zone)
        generate(s.city_leader, s.world.city, "annual")
    job = ReportJob.objects.filter(user=s.city_leader).first()
    with django_assert_max_num_queries(10):
        assert client.get("/reports/").status_code == 200
    for url in PAGES:
        with django_assert_max_num_queries(8):
            assert client.get(url.format(pk=job.pk)).status_code == 200
    api = api_client(fresh_user(s.city_leader))
    with django_assert_max_num_queries(8):
        assert api.get(f"/api/v1/reports/{job.pk}").status_code == 200
    with django_assert_max_num_queries(8):
        assert len(api.get("/api/v1/reports").json()) == 6


def test_the_pages_speak_english(seeded, client_for):
    client = client_for(seeded.leader)
    client.cookies["django_language"] = "en"
    page = client.get("/reports/").content.decode()
    assert "Monthly summary" in page and "My documents" in page
    job = generate(seeded.leader, seeded.world.zone)
    assert "Download Word document" in client.get(f"/reports/{job.pk}/").content.decode()


def test_a_superuser_reports_on_any_organisation(seeded, client_for):
    from zonedesk.orgs.models import User

    root = User.objects.create_superuser("root", password="x")
    job = generate(root, seeded.world.province, "annual")
    assert job.org == seeded.world.province
    response = client_for(root).get(f"/reports/{job.pk}/report.xlsx")
    assert response.status_code == 200
