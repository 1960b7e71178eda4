"""A zone leader requests the month's document from a 375-px phone in real Chromium, watches
the progress bar fill as the job runs, and downloads the Word document."""

import pytest

from zonedesk.conftest import login
from zonedesk.reports import services
from zonedesk.reports.models import ReportJob

pytestmark = pytest.mark.browser


def test_leader_requests_a_monthly_document_and_downloads_it_on_a_phone(seeded, phone, live_server):
    login(phone, live_server, "leader")
    phone.goto(f"{live_server.url}/reports/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.select_option("select[name=kind]", "monthly")
    phone.select_option("select[name=org]", str(seeded.world.zone.pk))
    phone.fill("input[name=year]", "2025")
    phone.select_option("select[name=month]", "7")
    phone.get_by_role("button", name="生成报告").click()
    job = ReportJob.objects.get()
    phone.wait_for_url(f"{live_server.url}/reports/{job.pk}/")
    assert phone.locator("#job-progress .tag").inner_text() == "排队中"
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375

    services.build_report.call_local(job.pk)  # what the worker does; the page polls for it
    link = phone.get_by_role("link", name="下载 Word 文档")
    link.wait_for(timeout=15_000)
    assert phone.locator("progress").get_attribute("value") == "100"
    with phone.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "寿阳经济技术开发区2025年7月月汇总.docx"
    with open(download.value.path(), "rb") as f:
        assert f.read(2) == b"PK"
    phone.goto(f"{live_server.url}/reports/")
    assert phone.get_by_role("link", name="Word").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
