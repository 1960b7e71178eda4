"""An officer in the field files the month's progress from a 375-px phone in real Chromium;
the list, project and progress pages never scroll sideways; the cockpit's red KPI leads to
the list of exactly those projects."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from zonedesk.conftest import login
from zonedesk.projects.models import ProgressReport
from zonedesk.projects.tests.fixtures import (  # noqa: F401  (fixtures)
    RED,
    png_bytes,
    projects,
    warnings,
)

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375


def screenshot(page, name):
    out = Path(__file__).resolve().parents[3] / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / name), full_page=True)


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "工地.png"
    path.write_bytes(png_bytes(size=(320, 240), color=(90, 140, 60)))
    return path


def open_project_from_list(phone, live_server, projects):
    phone.goto(f"{live_server.url}/projects/")
    phone.get_by_role("link", name=projects.a.name).click()
    phone.wait_for_url(f"{live_server.url}/projects/{projects.a.pk}/")


def fill_report(phone, live_server, projects, amount, text):
    phone.get_by_role("link", name="填报月报").click()
    phone.wait_for_url(f"{live_server.url}/projects/{projects.a.pk}/progress/")
    period = f"{projects.year}-{projects.month:02d}"
    assert phone.locator("input[name=period]").input_value() == period
    phone.fill("input[name=invested]", amount)
    phone.fill("textarea[name=progress]", text)


def submit_report(phone, live_server, projects):
    phone.get_by_role("button", name="提交月报").click()
    phone.wait_for_load_state()


def report_row(phone, projects):
    period = f"{projects.year}年{projects.month}月"
    return phone.locator("table.list tbody tr", has_text=period).first


def test_officer_files_the_months_report_on_a_phone(phone, live_server, world, projects, media):
    login(phone, live_server, "member")
    open_project_from_list(phone, live_server, projects)
    fill_report(phone, live_server, projects, "1280.5", "主厂房钢结构吊装完成，设备基础浇筑中")
    screenshot(phone, "projects-progress-filled-375.png")
    submit_report(phone, live_server, projects)

    assert phone.url == f"{live_server.url}/projects/{projects.a.pk}/"
    period = f"{projects.year}年{projects.month}月"
    assert f"{period}的月报已提交" in phone.locator("p.flash.success").inner_text()
    row = report_row(phone, projects)
    assert "主厂房钢结构吊装完成" in row.inner_text()
    assert "1,280.50" in row.inner_text()
    saved = ProgressReport.objects.get(
        project=projects.a, period=datetime.date(projects.year, projects.month, 1)
    )
    assert (saved.invested, saved.filed_by) == (Decimal("1280.50"), world.member)
    screenshot(phone, "projects-detail-after-report-375.png")


def test_officer_attaches_a_site_photo_and_sees_the_thumbnail(
    phone, live_server, world, projects, media, photo_file
):
    """Fails while forms.ProgressForm.photos refuses every upload (see
    test_project_pages.test_officer_files_progress_with_a_photo)."""
    login(phone, live_server, "member")
    open_project_from_list(phone, live_server, projects)
    fill_report(phone, live_server, projects, "800", "设备安装")
    phone.set_input_files("input[name=photos]", str(photo_file))
    submit_report(phone, live_server, projects)

    errors = phone.locator(".error, .errors").all_inner_texts()
    assert phone.url == f"{live_server.url}/projects/{projects.a.pk}/", f"form refused: {errors}"
    row = report_row(phone, projects)
    assert "设备安装" in row.inner_text() and "现场照片1张" in row.inner_text()
    thumb = phone.locator("#photos img")
    assert thumb.count() == 1
    thumb.scroll_into_view_if_needed()
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    # the gallery's picture is the thumbnail drawn for phones, never wider than 480 px
    assert 0 < thumb.evaluate("img => img.naturalWidth") <= 480
    screenshot(phone, "projects-detail-with-photo-375.png")


def test_list_detail_and_progress_pages_fit_a_phone(phone, live_server, world, projects, warnings):
    """On a 375-px phone no page is wider than the screen, even with KPI tiles holding 万元
    amounts such as "12000.00"."""
    login(phone, live_server, "member")
    pages = {
        "projects-list-375.png": "/projects/",
        "projects-list-filtered-375.png": f"/projects/?{warnings.query}&in_plan=on",
        "projects-detail-375.png": f"/projects/{projects.a.pk}/",
        "projects-progress-375.png": f"/projects/{projects.a.pk}/progress/",
    }
    widths = {}
    for shot, path in pages.items():
        phone.goto(f"{live_server.url}{path}")
        assert phone.locator("h1").first.is_visible()
        widths[path] = phone.evaluate("document.documentElement.scrollWidth")
        screenshot(phone, shot)
    too_wide = {path: w for path, w in widths.items() if w > PHONE_WIDTH}
    assert not too_wide, f"pages wider than the phone: {too_wide}"
    # The 填报月报 button is a comfortable tap target.
    phone.goto(f"{live_server.url}/projects/{projects.a.pk}/")
    box = phone.get_by_role("link", name="填报月报").bounding_box()
    assert box["height"] >= 32


def test_cockpit_red_kpi_leads_to_the_red_projects(phone, live_server, world, projects, warnings):
    login(phone, live_server, "owner")
    phone.goto(f"{live_server.url}/projects/cockpit/?{warnings.query}")
    assert_no_sideways_scroll(phone)
    screenshot(phone, "projects-cockpit-375.png")
    kpi = phone.locator("a.kpi.bad")
    assert "红色预警" in kpi.inner_text()
    red = int(kpi.locator("span").inner_text())
    assert red == 1
    kpi.click()
    phone.wait_for_url("**/projects/?*warning=red*")
    assert f"year={warnings.year}" in phone.url and "month=12" in phone.url
    shown = int(phone.locator("section.totals .kpi span").first.inner_text())
    rows = phone.locator("table.projects tbody tr td a")
    assert shown == red == rows.count()
    assert rows.first.inner_text() == RED
    assert phone.locator("select[name=warning]").input_value() == "red"
    assert_no_sideways_scroll(phone)
    screenshot(phone, "projects-list-red-375.png")
