"""Logging in and out through the real login view, the lockout after five failures
(django-axes), and changing one's own password."""

import json

import pytest
from django.test import Client

from zonedesk.audit.models import AuditEvent
from zonedesk.conftest import PASSWORD
from zonedesk.orgs.models import User

NEW_PASSWORD = "Jinzhong#Kaifaqu2026"
WRONG_LOGIN = "请输入一个正确的用户名和密码。注意，两者都区分大小写。"


def log_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def is_logged_in(client):
    response = client.get("/")
    return response.status_code == 200


# --- the login page -------------------------------------------------------------------------


def test_the_login_page_is_chinese_by_default(db):
    response = Client().get("/login/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "<h1>登录</h1>" in html
    assert "连续 5 次密码错误后，账号将被锁定 30 分钟。" in html


def test_a_correct_login_lands_on_home(world):
    client = Client()
    response = log_in(client, "member", PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    home = client.get("/")
    assert home.status_code == 200 and "您好，Member" in home.content.decode()


def test_a_login_follows_next_to_the_page_asked_for(world):
    client = Client()
    response = client.post(
        "/login/?next=/enterprises/",
        {"username": "member", "password": PASSWORD, "next": "/enterprises/"},
    )
    assert response["Location"] == "/enterprises/"


def test_a_login_never_follows_next_to_another_site(world):
    client = Client()
    response = client.post(
        "/login/", {"username": "member", "password": PASSWORD, "next": "https://evil.example.com/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("username, password", [("member", "wrong-password"), ("nobody", PASSWORD)])
def test_a_wrong_password_or_unknown_user_gets_the_same_message(world, username, password):
    client = Client()
    response = log_in(client, username, password)
    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()
    assert not is_logged_in(client)


def test_a_logged_in_user_is_sent_from_the_login_page_to_home(world, client_for):
    response = client_for(world.member).get("/login/")
    assert response.status_code == 302 and response["Location"] == "/"


# --- lockout ----------------------------------------------------------------------------


def test_after_five_failures_even_the_right_password_is_refused(world):
    client = Client()
    for _ in range(5):
        log_in(client, "member", "wrong-password")

    response = log_in(client, "member", PASSWORD)

    assert response.status_code == 429
    html = response.content.decode()
    assert "账号已锁定" in html and "请 30 分钟后再试" in html
    assert not is_logged_in(client)


def test_four_failures_do_not_lock_and_a_success_resets_the_count(world):
    client = Client()
    for _ in range(4):
        assert WRONG_LOGIN in log_in(client, "member", "wrong-password").content.decode()
    assert log_in(client, "member", PASSWORD).status_code == 302

    other = Client()
    for _ in range(4):
        log_in(other, "member", "wrong-password")
    assert log_in(other, "member", PASSWORD).status_code == 302


def test_the_lock_holds_for_that_account_only(world):
    client = Client()
    for _ in range(5):
        log_in(client, "member", "wrong-password")

    assert log_in(Client(), "owner", PASSWORD).status_code == 302
    assert log_in(Client(), "member", PASSWORD).status_code == 429


# --- logout -----------------------------------------------------------------------------


def test_logout_by_post_ends_the_session(world):
    client = Client()
    log_in(client, "member", PASSWORD)
    assert is_logged_in(client)

    response = client.post("/logout/")

    assert response.status_code == 302 and response["Location"] == "/login/"
    assert not is_logged_in(client)


def test_logout_by_get_is_refused(world, client_for):
    client = client_for(world.member)
    assert client.get("/logout/").status_code == 405
    assert is_logged_in(client)


# --- password change --------------------------------------------------------------------


def change_password(client, old, new, repeat=None):
    return client.post(
        "/profile/password/",
        {
            "old_password": old,
            "new_password1": new,
            "new_password2": new if repeat is None else repeat,
        },
    )


def test_changing_the_password_keeps_the_session_and_the_new_password_works(world):
    client = Client()
    log_in(client, "member", PASSWORD)

    response = change_password(client, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 302 and response["Location"] == "/profile/"
    assert "密码已修改" in client.get("/profile/").content.decode()
    assert is_logged_in(client)
    assert log_in(Client(), "member", NEW_PASSWORD).status_code == 302
    assert WRONG_LOGIN in log_in(Client(), "member", PASSWORD).content.decode()


def test_a_password_change_leaves_one_event_without_the_hash(world, client_for):
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    change_password(client_for(world.member), PASSWORD, NEW_PASSWORD)

    [event] = AuditEvent.objects.filter(id__gt=last)
    assert (event.action, event.actor, event.target_id, event.org) == (
        "user.password",
        world.member,
        str(world.member.pk),
        world.zone,
    )
    stored_hash = User.objects.get(pk=world.member.pk).password
    recorded = json.dumps(event.changes, ensure_ascii=False)
    assert stored_hash not in recorded and NEW_PASSWORD not in recorded and PASSWORD not in recorded
    assert "pbkdf2" not in recorded and "argon2" not in recorded


@pytest.mark.parametrize(
    "old, new, repeat, field",
    [
        ("wrong-password", NEW_PASSWORD, None, "old_password"),
        (PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x", "new_password2"),
        (PASSWORD, "12345678", None, "new_password2"),
    ],
)
def test_a_refused_password_change_changes_nothing(world, client_for, old, new, repeat, field):
    before = AuditEvent.objects.count()
    response = change_password(client_for(world.member), old, new, repeat)

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert AuditEvent.objects.count() == before
    assert User.objects.get(pk=world.member.pk).check_password(PASSWORD)


def test_the_password_page_needs_a_login(world, client):
    response = client.get("/profile/password/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
