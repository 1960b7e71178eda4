"""Robots: the exact 企业微信 / 钉钉 JSON, DingTalk signing, back-off, giving up, admins see it."""

import base64
import datetime
import hashlib
import hmac

from django.utils import timezone

from zonedesk.notify import services
from zonedesk.notify.models import Delivery, Webhook


def hook(world, robot, kind="wecom", secret="", path="/send", **extra):
    return services.create_webhook(
        world.owner,
        unit=world.unit,
        kind=kind,
        name="群",
        url=robot.url + path,
        secret=secret,
        **extra,
    )


def group(world, key="k1", title="土地指标逾期", body="请 自然资源所 处理", url="/supervision/1/"):
    services.notify_group(
        unit=world.unit, event="blocker.overdue", key=key, title=title, body=body, url=url
    )


def test_wecom_post_is_the_markdown_format(world, robot, settings):
    settings.NOTIFY_SITE_URL = "https://zd.example.cn"
    hook(world, robot)
    group(world)
    assert services.sweep() == 1
    [req] = robot.requests
    assert req.content_type.startswith("application/json")
    assert req.json == {
        "msgtype": "markdown",
        "markdown": {
            "content": "**土地指标逾期**\n\n请 自然资源所 处理\n\n"
            "[查看详情](https://zd.example.cn/supervision/1/)"
        },
    }
    assert Delivery.objects.get().status == "sent"


def test_dingtalk_post_is_signed_and_has_title_and_text(world, robot):
    hook(world, robot, kind="dingtalk", secret="SEC123", path="/robot/send?access_token=abc")
    group(world, url="")
    assert services.sweep() == 1
    [req] = robot.requests
    assert req.json == {
        "msgtype": "markdown",
        "markdown": {"title": "土地指标逾期", "text": "**土地指标逾期**\n\n请 自然资源所 处理"},
    }
    assert req.query["access_token"] == "abc"
    ts = req.query["timestamp"]
    expected = base64.b64encode(
        hmac.new(b"SEC123", f"{ts}\nSEC123".encode(), hashlib.sha256).digest()
    ).decode()
    assert req.query["sign"] == expected


def test_dingtalk_without_secret_is_not_signed(world, robot):
    hook(world, robot, kind="dingtalk")
    group(world)
    services.sweep()
    assert "sign" not in robot.requests[0].query


def test_user_text_cannot_inject_links_or_markup(world, robot, settings):
    settings.NOTIFY_SITE_URL = "http://127.0.0.1:8000"
    hook(world, robot)
    group(
        world,
        title="[点我](http://evil.example)",
        body="![x](http://evil/x.png) <font>**粗**</font>\n# 标题",
    )
    services.sweep()
    content = robot.requests[0].json["markdown"]["content"]
    own_link = "\n\n[查看详情](http://127.0.0.1:8000/supervision/1/)"
    assert content.endswith(own_link)
    content = content.removesuffix(own_link)
    assert "](" not in content and "<" not in content and "http://evil" not in content
    assert "**粗**" not in content and "\n# " not in content
    assert "［点我］（http：//evil.example）" in content


def test_same_key_posts_once_per_webhook(world, robot):
    hook(world, robot)
    hook(world, robot, kind="dingtalk")
    group(world)
    group(world)
    assert services.sweep() == 2 and services.sweep() == 0
    assert len(robot.requests) == 2


def test_inactive_webhook_and_other_unit_get_nothing(world, robot):
    hook(world, robot, active=False)
    services.create_webhook(world.outsider, unit=world.other_unit, kind="wecom", url=robot.url)
    group(world)
    assert services.sweep() == 0 and robot.requests == []


def test_failure_backs_off_1_2_4_minutes_then_succeeds(world, robot):
    hook(world, robot)
    group(world)
    robot.fail = "http"
    t0 = timezone.now()
    d = Delivery.objects.get()
    waits = []
    now = t0
    for _ in range(3):
        assert services.deliver(d.pk, now) == "failed"
        d.refresh_from_db()
        waits.append(d.next_attempt - now)
        # Not due a moment before the back-off ends: nothing is sent.
        assert services.deliver(d.pk, d.next_attempt - datetime.timedelta(seconds=1)) is None
        now = d.next_attempt
    assert waits == [datetime.timedelta(minutes=m) for m in (1, 2, 4)]
    assert "HTTP Error 500" in d.last_error and d.attempts == 3
    robot.fail = None
    assert services.deliver(d.pk, now) == "sent"
    d.refresh_from_db()
    assert (d.status, d.attempts, d.last_error) == ("sent", 4, "")
    assert len(robot.requests) == 4


def test_backoff_is_capped():
    assert services.backoff(1) == datetime.timedelta(minutes=1)
    assert services.backoff(7) == datetime.timedelta(minutes=60)
    assert services.backoff(30) == datetime.timedelta(minutes=60)


def test_errcode_answer_is_a_failure(world, robot):
    hook(world, robot)
    group(world)
    robot.fail = "errcode"
    services.sweep()
    d = Delivery.objects.get()
    assert d.status == "failed" and "310000" in d.last_error and d.next_attempt is not None


def test_gives_up_after_max_attempts_and_stays_visible(world, robot, settings):
    hook(world, robot)
    group(world)
    robot.fail = "http"
    d = Delivery.objects.get()
    now = timezone.now()
    for _ in range(services.MAX_ATTEMPTS):
        services.deliver(d.pk, now)
        d.refresh_from_db()
        now = d.next_attempt or now
    assert (d.status, d.next_attempt, d.attempts) == ("failed", None, services.MAX_ATTEMPTS)
    assert services.sweep(now + datetime.timedelta(days=1)) == 0
    assert len(robot.requests) == services.MAX_ATTEMPTS
    # "Retry now" gives one more attempt.
    robot.fail = None
    assert services.retry_now(world.owner, d)
    assert services.sweep() == 1
    d.refresh_from_db()
    assert d.status == "sent"


def test_unreachable_robot_fails_without_raising(world):
    services.create_webhook(world.owner, unit=world.unit, kind="wecom", url="http://127.0.0.1:9/x")
    group(world)
    assert services.sweep() == 0
    assert Delivery.objects.get().status == "failed"


def test_webhook_of_team(world, robot):
    services.create_webhook(world.owner, team=world.team, kind="wecom", url=robot.url)
    services.notify_group(team=world.team, event="progress.late", key="p", title="月报逾期")
    assert services.sweep() == 1 and len(robot.requests) == 1


def test_webhook_needs_unit_or_team(world, robot):
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.create_webhook(world.owner, kind="wecom", url=robot.url)
    assert not Webhook.objects.exists()


def test_delivery_left_sending_by_a_dead_worker_is_retried(world, robot):
    hook(world, robot)
    group(world)
    d = Delivery.objects.get()
    assert services.claim(d.pk)  # a worker claimed it, then died before sending
    assert services.sweep() == 0  # still within the grace period: not touched
    later = timezone.now() + services.STALE_SENDING + datetime.timedelta(minutes=1)
    assert services.sweep(later) == 1 and len(robot.requests) == 1
    d.refresh_from_db()
    assert (d.status, d.attempts) == ("sent", 2)
