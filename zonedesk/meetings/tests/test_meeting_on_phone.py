"""In the meeting room, on a 375-px phone in real Chromium: the zone leader opens the weekly
meeting, reads the agenda, types the minutes, records a decision and turns it into a blocker
for a unit with a deadline in working days, without leaving the page."""

from pathlib import Path

import pytest

from zonedesk.conftest import login
from zonedesk.meetings.tests.conftest import RED, fresh, weekly
from zonedesk.supervision.models import Blocker

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375


def screenshot(page, name):
    out = Path(__file__).resolve().parents[3] / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / name), full_page=True)


def test_leader_takes_minutes_and_turns_a_decision_into_a_blocker_on_a_phone(
    phone, live_server, world, agenda_data, leader
):
    meeting = weekly(world, actor=leader, chair=leader)
    login(phone, live_server, "leader")
    phone.goto(f"{live_server.url}/meetings/")
    phone.get_by_role("link", name=meeting.title).click()
    phone.wait_for_url(f"{live_server.url}/meetings/{meeting.pk}/")
    assert phone.locator("#agenda").get_by_text(RED).first.is_visible()

    phone.fill("textarea[name=minutes]", "一、听取红色预警项目汇报。\n二、明确电力迁改责任。")
    phone.get_by_role("button", name="保存纪要").click()
    phone.locator("#minutes").get_by_text("会议纪要已保存").wait_for()
    assert fresh(meeting).minutes.startswith("一、听取红色预警项目汇报")

    phone.fill("#decisions textarea[name=text]", "协调供电公司本周完成线路迁改")
    phone.get_by_role("button", name="记录", exact=True).click()
    phone.locator("#decisions").get_by_text("决定事项已记录").wait_for()

    decision = meeting.decisions.get()
    row = phone.locator(f"#decision-{decision.pk}")
    row.get_by_text("转为督办").click()
    row.locator("select[name=unit]").select_option(label=world.unit.name)
    row.locator("input[name=working_days]").fill("3")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    row.get_by_role("button", name="交办").click()
    phone.locator("#decisions").get_by_text("已转为督办").wait_for()
    screenshot(phone, "meeting-decision-blocker.png")

    blocker = Blocker.objects.get(decision=decision)
    assert blocker.unit == world.unit
    assert str(blocker.deadline) == "2025-08-20"
    assert meeting.title in blocker.source_note
    assert phone.locator(f"#decision-{decision.pk}").get_by_role("link", name="待办理").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
