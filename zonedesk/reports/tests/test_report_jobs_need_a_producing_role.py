"""Only leaders, officers and admins of an organisation (or above it) start its report jobs
— request a document or retry a failed one — in the service, on the page and through the
API. Viewers (city and province offices reading the roll-ups) and statisticians (entering
the indicators) read the documents but start none: the page hides the buttons and a request
is refused, 403. An organisation outside one's reach is not found."""

import pytest
from django.core.exceptions import PermissionDenied

from zonedesk.reports import services
from zonedesk.reports.models import ReportJob

from .conftest import YEAR
from .documents import fresh_user, generate
from .test_access import api_client

MONTHLY = {"kind": "monthly", "year": YEAR, "month": 7}
BUTTON = "生成报告</button>"
RETRY = "重试</button>"


def readers(seeded):
    return {"viewer": seeded.world.viewer, "statistician": seeded.statistician}


def request_page(client, org):
    return client.post("/reports/", {**MONTHLY, "org": org.pk})


def request_api(user, org):
    return api_client(user).post(
        "/api/v1/reports", {**MONTHLY, "org_id": org.pk}, content_type="application/json"
    )


@pytest.fixture
def failed_job(seeded):
    """A zone document whose build failed, e.g. its worker died."""
    job = generate(seeded.leader, seeded.world.zone)
    ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED, message="中断")
    return ReportJob.objects.get(pk=job.pk)


@pytest.mark.parametrize("who", ["leader", "member", "owner", "county_leader"])
def test_leaders_officers_and_admins_start_report_jobs_on_the_page_and_through_the_api(
    seeded, client_for, who
):
    user = getattr(seeded, who, None) or getattr(seeded.world, who)
    client = client_for(user)
    assert BUTTON in client.get("/reports/").content.decode()
    assert request_page(client, seeded.world.zone).status_code == 302
    response = request_api(user, seeded.world.zone)
    assert response.status_code == 201, response.content
    assert ReportJob.objects.filter(user=user, org=seeded.world.zone).count() == 1  # the same


@pytest.mark.parametrize("who", ["viewer", "statistician"])
def test_viewers_and_statisticians_read_documents_but_start_no_report_job(seeded, client_for, who):
    user = readers(seeded)[who]
    document = generate(seeded.leader, seeded.world.zone)
    client = client_for(user)
    page = client.get("/reports/")
    assert page.status_code == 200
    html = page.content.decode()
    assert BUTTON not in html and 'name="kind"' not in html
    assert document.title in html  # the organisation's documents, to read
    assert client.get(f"/reports/{document.pk}/report.docx").status_code == 200

    assert request_page(client, seeded.world.zone).status_code == 403
    response = request_api(user, seeded.world.zone)
    assert response.status_code == 403
    assert response.json()["detail"] == "无权为该范围生成报告"
    with pytest.raises(PermissionDenied):
        services.request_report(fresh_user(user), seeded.world.zone, "monthly", YEAR, 7)
    assert not ReportJob.objects.filter(user=user).exists()


@pytest.mark.parametrize("who", ["viewer", "statistician"])
def test_viewers_and_statisticians_cannot_retry_a_failed_document(
    seeded, client_for, failed_job, who
):
    user = readers(seeded)[who]
    client = client_for(user)
    page = client.get(f"/reports/{failed_job.pk}/").content.decode()
    assert "中断" in page and RETRY not in page
    assert client.post(f"/reports/{failed_job.pk}/retry/").status_code == 403
    response = api_client(user).post(f"/api/v1/reports/{failed_job.pk}/retry")
    assert response.status_code == 403
    assert ReportJob.objects.get(pk=failed_job.pk).status == ReportJob.Status.FAILED


def test_a_leader_retries_a_failed_document_and_it_is_built_again(seeded, client_for, failed_job):
    from zonedesk.audit.models import AuditEvent

    client = client_for(seeded.leader)
    assert RETRY in client.get(f"/reports/{failed_job.pk}/").content.decode()
    assert client.post(f"/reports/{failed_job.pk}/retry/").status_code == 302
    job = ReportJob.objects.get(pk=failed_job.pk)
    assert (job.status, job.progress, job.message) == ("queued", 0, "")
    assert AuditEvent.objects.get(action="reports.retry", target_id=str(job.pk)).actor == (
        seeded.leader
    )
    services.build_report.call_local(job.pk)
    assert ReportJob.objects.get(pk=job.pk).status == ReportJob.Status.DONE

    # Only a failed document is retried: one done is refused, saying why.
    response = api_client(seeded.leader).post(f"/api/v1/reports/{job.pk}/retry")
    assert response.status_code == 409
    assert response.json()["detail"] == "只有失败的报告可以重试（当前：已完成）"
    assert client.post(f"/reports/{job.pk}/retry/").status_code == 409


def test_an_admin_of_another_zone_starts_no_job_for_this_one(seeded, client_for, failed_job):
    outsider = seeded.world.outsider
    client = client_for(outsider)
    response = request_page(client, seeded.world.zone)
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert request_api(outsider, seeded.world.zone).status_code == 404
    assert client.post(f"/reports/{failed_job.pk}/retry/").status_code == 404
    assert api_client(outsider).post(f"/api/v1/reports/{failed_job.pk}/retry").status_code == 404
    assert not ReportJob.objects.filter(user=outsider).exists()
    assert ReportJob.objects.get(pk=failed_job.pk).status == ReportJob.Status.FAILED


def test_retrying_a_document_that_is_not_failed_answers_the_documented_409(seeded, failed_job):
    client = api_client(seeded.leader)
    assert client.post(f"/api/v1/reports/{failed_job.pk}/retry").status_code == 200
    again = client.post(f"/api/v1/reports/{failed_job.pk}/retry")
    assert again.status_code == 409
    assert again.json() == {"detail": "只有失败的报告可以重试（当前：排队中）"}
    documented = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert documented["ConflictOut"]["required"] == ["detail"]
