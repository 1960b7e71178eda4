"""A unit's staff member, on a 375-px phone in real Chromium, opens the 待办 inbox, answers
a blocker and resolves it; the page updates in place (htmx) and never scrolls sideways."""

from pathlib import Path

import pytest

from zonedesk.conftest import login
from zonedesk.supervision.models import Blocker

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375


def assert_no_sideways_scroll(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide"


def screenshot(page, name):
    out = Path(__file__).resolve().parents[3] / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / name), full_page=True)


def test_unit_user_answers_and_resolves_a_blocker_on_a_phone(
    sup, blocker, phone, live_server, transactional_db
):
    login(phone, live_server, "unituser")
    phone.goto(f"{live_server.url}/supervision/inbox/")
    assert_no_sideways_scroll(phone)
    phone.get_by_role("link", name="用地指标未落实").click()
    phone.wait_for_url(f"{live_server.url}/supervision/{blocker.pk}/")
    assert_no_sideways_scroll(phone)
    phone.fill("#answer-text", "已对接县自然资源局，下周上会研究")
    phone.get_by_role("button", name="答复", exact=True).click()
    phone.locator("#status", has_text="已答复").wait_for()
    assert phone.url == f"{live_server.url}/supervision/{blocker.pk}/"  # updated in place
    assert "下周上会研究" in phone.locator(".timeline").inner_text()
    phone.fill("#answer-text", "用地指标已下达")
    phone.get_by_role("button", name="办结", exact=True).click()
    phone.locator("#status", has_text="已办结").wait_for()
    assert_no_sideways_scroll(phone)
    screenshot(phone, "blocker-resolved.png")
    blocker.refresh_from_db()
    assert blocker.status == Blocker.Status.RESOLVED and blocker.on_time
    phone.goto(f"{live_server.url}/supervision/inbox/")
    assert "用地指标未落实" not in phone.content()
    for page in ("", "today/"):
        phone.goto(f"{live_server.url}/supervision/{page}")
        assert_no_sideways_scroll(phone)
