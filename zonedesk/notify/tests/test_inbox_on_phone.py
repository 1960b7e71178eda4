"""An officer reads the inbox on a 375-px phone in real Chromium: the badge counts the
unread messages, marking one read updates its row and the badge without a reload."""

from pathlib import Path

import pytest

from zonedesk.conftest import login
from zonedesk.notify import services
from zonedesk.notify.models import Message

pytestmark = pytest.mark.browser

PHONE_WIDTH = 375


@pytest.mark.django_db(transaction=True)
def test_inbox_on_a_phone_marks_read_and_updates_the_badge(world, phone, live_server):
    for i in range(3):
        services.notify(
            [world.member],
            event="blocker.overdue",
            key=f"b:{i}",
            title=f"问题{i}已逾期 <b>",
            body="请自然资源所于三日内答复",
            url="/projects/",
        )
    login(phone, live_server, "member")
    badge = phone.locator("#notify-badge [data-unread]")
    assert badge.inner_text() == "3"
    phone.locator("#notify-badge").click()
    phone.wait_for_url(f"{live_server.url}/messages/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    assert phone.get_by_text("问题2已逾期 <b>").is_visible()  # shown as text, not markup
    out = Path(__file__).resolve().parents[3] / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(out / "notify-inbox.png"), full_page=True)
    first = Message.objects.get(key="b:2")
    phone.locator(f"#message-{first.pk} button").click()
    phone.locator(f"#message-{first.pk}:not(.unread)").wait_for()
    phone.locator("#notify-badge [data-unread='2']").wait_for()
    assert phone.url == f"{live_server.url}/messages/"  # no reload, no navigation
    first.refresh_from_db()
    assert first.read_at is not None
    phone.get_by_role("button", name="全部标为已读").click()
    phone.wait_for_load_state()
    assert phone.locator("#notify-badge [data-unread]").count() == 0
    assert not Message.objects.filter(read_at__isnull=True).exists()
