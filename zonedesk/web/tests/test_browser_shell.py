"""The login page, home page, menu and language switch in real Chromium at phone width."""

import pytest

from zonedesk.conftest import login

pytestmark = pytest.mark.browser


def test_login_page_is_chinese_and_loads_nothing_from_outside(phone, live_server, world):
    requested = []
    phone.on("request", lambda r: requested.append(r.url))
    phone.goto(f"{live_server.url}/login/")
    assert phone.locator("html").get_attribute("lang") == "zh-hans"
    assert phone.locator("h1").inner_text() == "登录"
    assert phone.evaluate("typeof window.htmx") == "object"  # served from our own static files
    assert requested and all(u.startswith(live_server.url) for u in requested)


def test_owner_logs_in_on_a_phone_and_sees_name_role_and_zone(phone, live_server, world):
    login(phone, live_server, "owner")
    hello = phone.locator("section.hello").inner_text()
    assert "Owner" in hello and "系统管理员" in hello and "寿阳经济技术开发区" in hello
    # Nothing is wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(live_server_artifact("home-375.png")))
    phone.click("summary")
    menu = phone.locator("details.menu nav")
    assert menu.is_visible()
    assert "用户管理" in menu.inner_text()


def test_officer_menu_has_no_admin_pages(phone, live_server, world):
    login(phone, live_server, "member")
    phone.click("summary")
    menu = phone.locator("details.menu nav").inner_text()
    assert "组织机构" in menu and "用户管理" not in menu and "审计日志" not in menu


def test_language_switch_goes_to_english_and_back(phone, live_server, world):
    login(phone, live_server, "owner")
    phone.click("footer button[value=en]")
    phone.wait_for_selector("html[lang=en]")
    phone.click("summary")
    assert "Home" in phone.locator("details.menu nav").inner_text()
    assert phone.locator("footer button[value=zh-hans]").inner_text() == "简体中文"
    phone.click("summary")  # close the menu, which covers the page while open
    phone.click("footer button[value=zh-hans]")
    phone.wait_for_selector("html[lang=zh-hans]")
    phone.click("summary")
    assert "首页" in phone.locator("details.menu nav").inner_text()


def live_server_artifact(name):
    from pathlib import Path

    out = Path(__file__).resolve().parents[3] / "var" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    return out / name
