"""On a 375-px phone in real Chromium: the enterprise's own user opens 本企业, lands on its
own page, adds a contact; an officer opens the 90-day renewal list and the funds totals.
No page scrolls sideways."""

from pathlib import Path

import pytest

from zonedesk.conftest import login
from zonedesk.enterprises.models import Contact

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375


def screenshot(page, name):
    out = Path(__file__).resolve().parents[3] / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / name), full_page=True)


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide"


def test_the_enterprise_keeps_its_contacts_from_a_phone(phone, live_server, world, registry):
    login(phone, live_server, "qiangwei")
    phone.locator("summary").first.click()
    phone.locator(".menu .nav").get_by_role("link", name="本企业").click()
    phone.wait_for_url(f"{live_server.url}/enterprises/{world.enterprise.pk}/")
    assert phone.get_by_role("heading", name="山西强伟纸业有限公司").is_visible()
    assert phone.get_by_text("高新技术企业").first.is_visible()
    assert_no_sideways_scroll(phone)
    screenshot(phone, "enterprise-own-page-375.png")

    phone.get_by_role("link", name="+ 联系人").click()
    phone.fill("input[name=name]", "李娜")
    phone.fill("input[name=title]", "办公室主任")
    phone.fill("input[name=phone]", "13835400102")
    phone.get_by_role("button", name="保存").click()
    phone.wait_for_url(f"{live_server.url}/enterprises/{world.enterprise.pk}/#contacts")
    assert phone.locator("#contacts").get_by_text("13835400102").is_visible()
    assert Contact.objects.filter(enterprise=world.enterprise, name="李娜").exists()
    assert_no_sideways_scroll(phone)

    phone.goto(f"{live_server.url}/enterprises/{world.other_enterprise.pk}/")
    assert "亮拓" not in phone.content()
    phone.goto(f"{live_server.url}/enterprises/funds/")
    assert "惠企资金" not in phone.title()


def test_an_officer_reads_renewals_and_fund_totals_on_a_phone(phone, live_server, world, registry):
    login(phone, live_server, "member")
    phone.goto(f"{live_server.url}/enterprises/designations/")
    phone.get_by_role("link", name="90 天内到期").click()
    phone.wait_for_load_state()
    assert phone.locator("table.list tbody tr").count() == 1
    assert_no_sideways_scroll(phone)
    screenshot(phone, "enterprise-renewals-375.png")

    phone.goto(f"{live_server.url}/enterprises/funds/")
    phone.locator("#by-chain").get_by_role("link", name="2,800.50").click()
    phone.wait_for_load_state()
    assert phone.locator("#rows table.list tbody tr").count() == 2
    assert_no_sideways_scroll(phone)
    screenshot(phone, "enterprise-funds-375.png")
