"""Issue 12: the optional second login step (TOTP) for leaders and admins — turned on under
个人设置 with a real authenticator code, asked for after the password, counted by the
lockout, never accepted twice, and turned off only with a current code (or by an admin)."""

import re
import time

import pyotp
import pytest
from django.test import Client
from django.urls import reverse

from zonedesk.audit.models import AuditEvent
from zonedesk.conftest import PASSWORD, login, make_user
from zonedesk.orgs import services
from zonedesk.orgs import totp as totp_module
from zonedesk.orgs.models import Role, Totp, User

SECRET = re.compile(r'<code class="secret">([A-Z2-7 ]+)</code>')
WRONG_CODE = "验证码不正确或已用过，请输入验证器上当前的 6 位数字"


@pytest.fixture
def leader(world):
    return make_user("leader", world.zone, Role.Name.LEADER)


def now_code(secret):
    return pyotp.TOTP(secret).now()


def next_code(secret):
    """The code of the coming 30-second step: still accepted now (one step of drift), and
    later than any step already used, so a test can log in after turning the step on."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def wrong_code(secret):
    otp = pyotp.TOTP(secret)
    near = {otp.at(time.time() + 30 * i) for i in range(-2, 3)}
    return next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in near)


def setup_secret(client):
    page = client.get(reverse("totp_setup"))
    assert page.status_code == 200
    return SECRET.search(page.content.decode()).group(1).replace(" ", "")


def turn_on(client):
    secret = setup_secret(client)
    response = client.post(reverse("totp_setup"), {"code": now_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    return secret


def password_step(client, username="leader", password=PASSWORD, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def code_step(client, code):
    return client.post(reverse("login_code"), {"code": code})


def is_logged_in(client):
    return client.get("/").status_code == 200


# --- turning it on -----------------------------------------------------------------------------


def test_the_setup_page_shows_the_secret_as_text_and_an_inline_qr_code(leader, client_for):
    page = client_for(leader).get(reverse("totp_setup")).content.decode()
    secret = SECRET.search(page).group(1).replace(" ", "")
    assert len(secret) == 32
    assert "<svg" in page and 'class="segno"' in page  # drawn on the server
    assert "<img" not in page and "https://" not in page  # nothing fetched from elsewhere
    assert "扫描下面的二维码" in page and "开启两步验证" in page
    assert not Totp.objects.exists()  # nothing stored before a code confirms it


def test_the_setup_page_keeps_its_secret_on_reload(leader, client_for):
    client = client_for(leader)
    assert setup_secret(client) == setup_secret(client)


def test_a_leader_turns_it_on_with_a_current_code_and_it_is_audited(leader, client_for):
    client = client_for(leader)
    secret = turn_on(client)

    device = Totp.objects.get(user=leader)
    assert secret not in device.secret  # stored encrypted
    assert totp_module.decrypt(device.secret) == secret
    (event,) = AuditEvent.objects.filter(action="user.totp_on")
    assert (event.actor, event.target_id, event.org) == (
        leader,
        str(leader.pk),
        leader.roles.get().org,
    )
    assert event.changes == {"totp": [False, True]}
    profile = client.get(reverse("profile")).content.decode()
    assert "两步验证已开启" in profile and "已开启：登录时除密码外" in profile


def test_after_turning_on_the_secret_is_never_shown_again(leader, client_for):
    client = client_for(leader)
    secret = turn_on(client)
    page = client.get(reverse("totp_setup")).content.decode()
    assert not SECRET.search(page) and "<svg" not in page
    assert secret not in page and totp_module.grouped(secret) not in page
    assert "关闭两步验证" in page


@pytest.mark.parametrize("code", ["", "12345", "abcdef", "wrong"])
def test_a_wrong_or_malformed_code_does_not_turn_it_on(leader, client_for, code):
    client = client_for(leader)
    secret = setup_secret(client)
    response = client.post(reverse("totp_setup"), {"code": code or wrong_code(secret)})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not Totp.objects.exists()
    assert not AuditEvent.objects.filter(action="user.totp_on").exists()
    assert setup_secret(client) == secret  # the same QR code can still be finished


def test_an_admin_and_a_superuser_may_turn_it_on(world, client_for):
    root = User.objects.create_superuser("root", password="x")
    for user in (world.owner, root):
        client = client_for(user)
        assert "开启两步验证" in client.get(reverse("profile")).content.decode()
        turn_on(client)
    assert Totp.objects.count() == 2


@pytest.mark.parametrize("who", ["member", "viewer", "unit_user", "enterprise_user"])
def test_others_neither_see_the_entry_nor_may_open_the_setup(world, client_for, who):
    client = client_for(getattr(world, who))
    assert "两步验证" not in client.get(reverse("profile")).content.decode()
    assert client.get(reverse("totp_setup")).status_code == 403
    assert client.post(reverse("totp_setup"), {"code": "123456"}).status_code == 403
    assert not Totp.objects.exists()


def test_the_service_refuses_an_officer_too(world):
    secret = totp_module.new_secret()
    with pytest.raises(services.PermissionDenied):
        services.enable_totp(world.member, secret, now_code(secret))
    assert not Totp.objects.exists()


# --- logging in ----------------------------------------------------------------------------------


def test_without_totp_the_password_alone_still_logs_in(leader):
    client = Client()
    assert password_step(client)["Location"] == "/"
    assert is_logged_in(client)


def test_with_totp_the_password_leads_to_the_code_step_and_no_session(leader, client_for):
    secret = turn_on(client_for(leader))
    client = Client()

    response = password_step(client)

    assert response.status_code == 302 and response["Location"] == reverse("login_code")
    assert not is_logged_in(client)
    page = client.get(reverse("login_code")).content.decode()
    assert "两步验证" in page and 'autocomplete="one-time-code"' in page

    response = code_step(client, next_code(secret))

    assert response.status_code == 302 and response["Location"] == "/"
    assert is_logged_in(client)


def test_the_page_asked_for_is_reached_after_the_code(leader, client_for):
    secret = turn_on(client_for(leader))
    client = Client()
    password_step(client, next="/enterprises/")
    assert code_step(client, next_code(secret))["Location"] == "/enterprises/"


def test_a_wrong_code_is_refused_and_the_session_stays_anonymous(leader, client_for):
    secret = turn_on(client_for(leader))
    client = Client()
    password_step(client)

    response = code_step(client, wrong_code(secret))

    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert not is_logged_in(client)


def test_the_code_that_turned_it_on_cannot_log_in(leader, client_for):
    secret = totp_module.new_secret()
    code = now_code(secret)
    services.enable_totp(leader, secret, code)
    client = Client()
    password_step(client)
    assert WRONG_CODE in code_step(client, code).content.decode()
    assert not is_logged_in(client)


def test_a_code_is_accepted_once_a_replay_is_refused(leader, client_for):
    secret = turn_on(client_for(leader))
    code = next_code(secret)
    first, second = Client(), Client()
    password_step(first)
    password_step(second)

    assert code_step(first, code).status_code == 302
    replay = code_step(second, code)

    assert WRONG_CODE in replay.content.decode()
    assert is_logged_in(first) and not is_logged_in(second)


def test_the_code_step_cannot_be_reached_without_the_password(leader, client_for):
    secret = turn_on(client_for(leader))
    client = Client()
    response = code_step(client, next_code(secret))
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert not is_logged_in(client)


def test_a_wrong_password_never_reaches_the_code_step(leader, client_for):
    turn_on(client_for(leader))
    client = Client()
    response = password_step(client, password="wrong-password")
    assert response.status_code == 200
    assert client.get(reverse("login_code"))["Location"] == reverse("login")


def test_a_half_done_login_expires(leader, client_for):
    secret = turn_on(client_for(leader))
    client = Client()
    password_step(client)
    session = client.session
    session["zd_totp_pending"]["at"] -= 301
    session.save()

    response = code_step(client, next_code(secret))

    assert response["Location"] == reverse("login")
    assert not is_logged_in(client)


def test_five_wrong_codes_lock_the_account_like_wrong_passwords(leader, client_for):
    secret = turn_on(client_for(leader))
    client = Client()
    password_step(client)
    for _ in range(4):
        assert code_step(client, wrong_code(secret)).status_code == 200

    locked = code_step(client, wrong_code(secret))

    assert locked.status_code == 429 and "账号已锁定" in locked.content.decode()
    # Locked: neither the password step nor a right code gets in now.
    assert password_step(Client()).status_code == 429
    again = Client()
    assert password_step(again).status_code == 429
    assert not is_logged_in(again)


def test_wrong_codes_and_wrong_passwords_add_up_to_the_lockout(leader, client_for):
    secret = turn_on(client_for(leader))
    client = Client()
    for _ in range(3):
        password_step(client, password="wrong-password")
    password_step(client)
    code_step(client, wrong_code(secret))

    assert code_step(client, wrong_code(secret)).status_code == 429


def test_a_full_login_resets_the_failure_count(leader, client_for):
    secret = turn_on(client_for(leader))
    client = Client()
    password_step(client)
    for _ in range(4):
        code_step(client, wrong_code(secret))
    assert code_step(client, next_code(secret)).status_code == 302

    other = Client()
    for _ in range(4):
        password_step(other, password="wrong-password")
    assert password_step(other).status_code == 302  # to the code step, not locked


# --- turning it off -------------------------------------------------------------------------------


def test_turning_it_off_needs_a_current_code(leader, client_for):
    client = client_for(leader)
    secret = turn_on(client)

    refused = client.post(reverse("totp_disable"), {"code": wrong_code(secret)})

    assert refused.status_code == 200 and WRONG_CODE in refused.content.decode()
    assert Totp.objects.filter(user=leader).exists()
    assert not AuditEvent.objects.filter(action="user.totp_off").exists()

    done = client.post(reverse("totp_disable"), {"code": next_code(secret)})

    assert done.status_code == 302 and done["Location"] == reverse("profile")
    assert not Totp.objects.filter(user=leader).exists()
    (event,) = AuditEvent.objects.filter(action="user.totp_off")
    assert event.actor == leader and event.changes == {"totp": [True, False]}
    assert password_step(Client())["Location"] == "/"  # the password alone is enough again


def test_turning_it_off_by_get_is_refused(leader, client_for):
    client = client_for(leader)
    turn_on(client)
    assert client.get(reverse("totp_disable")).status_code == 405
    assert Totp.objects.filter(user=leader).exists()


def test_an_admin_turns_it_off_for_a_user_who_lost_the_phone(world, leader, client_for):
    turn_on(client_for(leader))
    admin = client_for(world.owner)
    detail = admin.get(reverse("orgs:user", args=[leader.pk])).content.decode()
    assert "两步验证" in detail and "关闭两步验证" in detail

    response = admin.post(reverse("orgs:user_totp_off", args=[leader.pk]), follow=True)

    assert "两步验证已关闭" in response.content.decode()
    assert not Totp.objects.filter(user=leader).exists()
    (event,) = AuditEvent.objects.filter(action="user.totp_off")
    assert event.actor == world.owner and event.target_id == str(leader.pk)


def test_an_admin_of_another_zone_cannot_turn_it_off(world, leader, client_for):
    turn_on(client_for(leader))
    response = client_for(world.outsider).post(reverse("orgs:user_totp_off", args=[leader.pk]))
    assert response.status_code == 404
    assert Totp.objects.filter(user=leader).exists()


# --- language and cost ----------------------------------------------------------------------------


def test_the_pages_work_in_english(leader, client_for):
    client = client_for(leader)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("totp_setup")).content.decode()
    assert "Two-step verification" in page and "Turn on two-step verification" in page
    assert not re.search(r"[\u4e00-\u9fff]", page.split("<main>")[1].split("</main>")[0])


def test_the_new_pages_read_a_bounded_number_of_queries(
    leader, client_for, django_assert_max_num_queries
):
    client = client_for(leader)
    with django_assert_max_num_queries(8):
        client.get(reverse("totp_setup"))
    secret = turn_on(client)
    with django_assert_max_num_queries(10):
        client.get(reverse("profile"))
    anonymous = Client()
    password_step(anonymous)
    with django_assert_max_num_queries(6):
        anonymous.get(reverse("login_code"))
    with django_assert_max_num_queries(20):
        assert code_step(anonymous, next_code(secret)).status_code == 302


# --- in a phone's browser --------------------------------------------------------------------------


@pytest.mark.browser
def test_a_leader_turns_it_on_and_logs_in_with_it_on_a_phone(phone, live_server, leader):
    login(phone, live_server, "leader")
    phone.goto(f"{live_server.url}/profile/")
    phone.click("text=开启两步验证")
    assert phone.locator("figure.qr svg").is_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    secret = phone.locator("code.secret").inner_text().replace(" ", "")
    phone.fill("input[name=code]", now_code(secret))
    phone.click("button.primary")
    phone.wait_for_url(f"{live_server.url}/profile/")
    assert "两步验证已开启" in phone.content()

    phone.context.clear_cookies()  # a fresh visit, logged out
    phone.goto(f"{live_server.url}/login/")
    phone.fill("input[name=username]", "leader")
    phone.fill("input[name=password]", PASSWORD)
    phone.click("button.primary")
    phone.wait_for_url(f"{live_server.url}/login/code/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.fill("input[name=code]", next_code(secret))
    phone.click("button.primary")
    phone.wait_for_url(f"{live_server.url}/")
    assert "您好" in phone.content()
