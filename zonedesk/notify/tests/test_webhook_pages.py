"""/messages/webhooks/: admins and leaders of the zone manage robots and see failures."""

import re

from django.urls import reverse
from django.utils.timezone import localtime

from zonedesk.audit.models import AuditEvent
from zonedesk.catalog.templatetags.figures import moment
from zonedesk.conftest import make_user
from zonedesk.notify import services
from zonedesk.notify.models import Delivery, Webhook
from zonedesk.orgs.models import Role


def failing_hook(world, url="http://127.0.0.1:9/robot"):
    hook = services.create_webhook(world.owner, unit=world.unit, kind="wecom", url=url)
    services.notify_group(unit=world.unit, event="blocker.overdue", key="b:1", title="逾期")
    services.sweep()
    return hook, Delivery.objects.get(webhook=hook)


def test_admin_sees_failed_delivery_with_error_and_next_retry(world, client_for):
    _hook, d = failing_hook(world)
    html = client_for(world.owner).get(reverse("notify:webhooks")).content.decode()
    assert "逾期" in html and "URLError" in html
    assert moment(localtime(d.next_attempt)) in html  # 2026年12月8日 14:05, as every page writes it
    assert reverse("notify:retry", args=[d.pk]) in html


def test_leader_of_the_zone_may_manage(world, client_for):
    leader = make_user("leader", world.zone, Role.Name.LEADER)
    failing_hook(world)
    assert "URLError" in client_for(leader).get(reverse("notify:webhooks")).content.decode()


def test_officer_and_unit_user_may_not(world, client_for):
    for user in (world.member, world.unit_user, world.enterprise_user, world.viewer):
        client = client_for(user)
        assert client.get(reverse("notify:webhooks")).status_code == 403
        assert client.get(reverse("notify:webhook_create")).status_code == 403


def test_admin_of_other_zone_sees_nothing_of_this_zone(world, client_for):
    hook, d = failing_hook(world)
    client = client_for(world.outsider)
    html = client.get(reverse("notify:webhooks")).content.decode()
    assert "URLError" not in html and "企业服务中心" not in html
    assert client.get(reverse("notify:webhook_edit", args=[hook.pk])).status_code == 404
    assert client.post(reverse("notify:retry", args=[d.pk])).status_code == 404


def test_retry_now_makes_it_due_and_is_audited(world, client_for, robot):
    hook, d = failing_hook(world)
    Webhook.objects.filter(pk=hook.pk).update(url=robot.url)
    response = client_for(world.owner).post(reverse("notify:retry", args=[d.pk]))
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="notify.retry").count() == 1
    assert services.sweep() == 1 and len(robot.requests) == 1


def test_create_webhook_for_a_unit_of_the_zone(world, client_for):
    client = client_for(world.owner)
    form = client.get(reverse("notify:webhook_create")).content.decode()
    assert "企业服务中心" in form and "招商局" not in form  # other zone's unit not offered
    response = client.post(
        reverse("notify:webhook_create"),
        {
            "target": f"unit:{world.unit.pk}",
            "kind": "dingtalk",
            "name": "服务群",
            "url": "https://oapi.dingtalk.com/robot/send?access_token=x",
            "secret": "SECabc",
            "quiet_start": "22:00",
            "quiet_end": "07:00",
            "active": "on",
        },
    )
    assert response.status_code == 302
    hook = Webhook.objects.get()
    assert (hook.unit, hook.secret, hook.quiet_start) == (world.unit, "SECabc", "22:00")
    event = AuditEvent.objects.get(action="notify.webhook.create")
    assert "SECabc" not in str(event.changes)


def test_cannot_create_webhook_for_other_zones_unit(world, client_for):
    response = client_for(world.owner).post(
        reverse("notify:webhook_create"),
        {"target": f"unit:{world.other_unit.pk}", "kind": "wecom", "url": "https://x.example/"},
    )
    # The form comes back: the other zone's unit is not among the targets offered.
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["target"]
    assert world.other_unit.name not in response.content.decode()
    assert not Webhook.objects.exists()


def test_edit_keeps_secret_when_blank_and_never_audits_it(world, client_for):
    hook = services.create_webhook(
        world.owner, unit=world.unit, kind="dingtalk", url="https://x.example/", secret="OLD"
    )
    client = client_for(world.owner)
    url = reverse("notify:webhook_edit", args=[hook.pk])
    assert "OLD" not in client.get(url).content.decode()
    data = {"kind": "dingtalk", "url": "https://x.example/", "version": hook.version}
    assert client.post(url, data | {"name": "新名"}).status_code == 302
    hook.refresh_from_db()
    assert (hook.name, hook.secret) == ("新名", "OLD")
    assert (
        client.post(
            url, data | {"name": "新名", "version": hook.version, "secret": "NEW"}
        ).status_code
        == 302
    )
    hook.refresh_from_db()
    assert hook.secret == "NEW"
    assert not any(
        "NEW" in str(e.changes) or "OLD" in str(e.changes) for e in AuditEvent.objects.all()
    )


def test_stale_edit_is_refused(world, client_for):
    hook = services.create_webhook(
        world.owner, unit=world.unit, kind="wecom", url="https://x.example/"
    )
    stale = hook.version
    services.update_webhook(world.owner, hook, {"name": "甲"})
    response = client_for(world.owner).post(
        reverse("notify:webhook_edit", args=[hook.pk]),
        {"kind": "wecom", "url": "https://x.example/", "name": "乙", "version": stale},
    )
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    hook.refresh_from_db()
    assert hook.name == "甲"


def test_bad_url_is_refused_naming_the_field(world, client_for):
    response = client_for(world.owner).post(
        reverse("notify:webhook_create"),
        {"target": f"unit:{world.unit.pk}", "kind": "wecom", "url": "javascript:alert(1)"},
    )
    assert response.status_code == 200 and not Webhook.objects.exists()
    assert response.context["form"].errors == {"url": ["输入一个有效的 URL。"]}
    # On the page the one field marked invalid is the one labelled Webhook 地址, with the
    # message under it.
    [field] = re.findall(r'<div class="field invalid">(.*?)</div>', response.content.decode(), re.S)
    assert '<label for="id_url">Webhook 地址</label>' in field
    assert '<small class="error">输入一个有效的 URL。</small>' in field


def test_webhooks_page_queries_are_bounded(world, client_for, django_assert_max_num_queries):
    for i in range(5):
        services.create_webhook(
            world.owner, unit=world.unit, kind="wecom", url=f"http://127.0.0.1:9/{i}"
        )
        services.create_webhook(
            world.owner, team=world.team, kind="dingtalk", url=f"http://127.0.0.1:9/t{i}"
        )
    for k in range(5):
        services.notify_group(unit=world.unit, event="x", key=f"k{k}", title="t")
        services.notify_group(team=world.team, event="x", key=f"k{k}", title="t")
    services.sweep()
    client = client_for(world.owner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("notify:webhooks"))
    assert response.content.decode().count("立即重试") == 30  # 50 failed, one page of 30
