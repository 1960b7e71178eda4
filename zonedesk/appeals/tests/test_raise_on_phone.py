"""An enterprise contact raises an appeal with a photo from a 375-px phone in real Chromium,
then follows it in 我的诉求; the unit sees it in its inbox."""

import pytest

from zonedesk.appeals import services
from zonedesk.appeals.models import Appeal
from zonedesk.conftest import login

from .conftest import jpeg_bytes

pytestmark = pytest.mark.browser
PHONE_WIDTH = 375


@pytest.fixture
def phone_world(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    services.seed_categories(None, world.zone, unit=world.unit)
    photo = tmp_path / "路面.jpg"
    photo.write_bytes(jpeg_bytes(size=(640, 480)))
    return photo


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} is {width}px wide"


def test_enterprise_raises_an_appeal_with_a_photo_on_a_phone(
    phone, live_server, world, phone_world
):
    login(phone, live_server, "qiangwei")
    phone.goto(f"{live_server.url}/appeals/new/")
    fits(phone)
    phone.select_option("select[name=category]", label="水电气暖")
    phone.fill("textarea[name=description]", "厂区<b>停水</b>两天，影响生产，请协调恢复供水。")
    phone.set_input_files("input[name=attachments]", str(phone_world))
    phone.get_by_role("button", name="提交").click()
    phone.wait_for_url(f"{live_server.url}/appeals/mine/")
    assert "诉求已提交" in phone.locator("p.flash.success").inner_text()
    fits(phone)
    appeal = Appeal.objects.get()
    assert appeal.unit == world.unit and appeal.channel == "self"
    card = phone.locator(f"#appeal-{appeal.pk}")
    # Typed markup is shown as text, not rendered.
    assert "<b>停水</b>" in card.inner_text()
    assert appeal.attachments.get().kind == "image"

    phone.get_by_role("link", name=appeal.title).click()
    phone.wait_for_url(f"{live_server.url}/appeals/{appeal.pk}/")
    fits(phone)
    thumb = phone.locator("img.thumb")
    thumb.scroll_into_view_if_needed()
    phone.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=thumb.element_handle()
    )
    assert thumb.evaluate("img => img.naturalWidth") == 640
    assert "提出" in phone.locator("ol.timeline").inner_text()


def test_unit_accepts_and_answers_in_place_with_htmx(phone, live_server, world, phone_world):
    appeal = services.raise_appeal(
        world.enterprise_user,
        enterprise=world.enterprise,
        category=world.zone.appeal_categories.get(name="用工"),
        description="急需焊工20名",
    )
    login(phone, live_server, "unituser")
    phone.goto(f"{live_server.url}/appeals/inbox/")
    fits(phone)
    phone.get_by_role("link", name=appeal.title).click()
    phone.wait_for_url(f"{live_server.url}/appeals/{appeal.pk}/")
    phone.get_by_role("button", name="受理").click()
    phone.locator("#appeal h1 .tag", has_text="办理中").wait_for()
    phone.fill("textarea[name=text]", "已对接县人社局，下周举办专场招聘会。")
    phone.uncheck("input[name=close_too]")  # answered only: it waits for 办结, and says so
    phone.get_by_role("button", name="提交答复").click()
    phone.locator("#appeal h1 .tag", has_text="已答复").wait_for()
    assert "待办结" in phone.locator("#awaiting-close").inner_text()
    assert phone.url == f"{live_server.url}/appeals/{appeal.pk}/"
    assert "已对接县人社局" in phone.locator("ol.timeline").inner_text()
    fits(phone)
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.ANSWERED
