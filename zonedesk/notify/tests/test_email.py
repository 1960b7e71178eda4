"""E-mail: plain text with the link, subject on one line, per the user's groups."""

from django.core import mail

from zonedesk.notify import services
from zonedesk.notify.models import Delivery, Preference


def test_email_is_plain_text_with_a_link(world, settings):
    settings.NOTIFY_SITE_URL = "https://zd.example.cn"
    world.member.email = "m@example.com"
    world.member.save()
    services.notify(
        [world.member],
        event="appeal.assigned",
        key="appeal:1",
        title="新诉求\n Bcc: x@evil.example",
        body="<b>请处理</b>",
        url="/appeals/1/",
    )
    services.sweep()
    [m] = mail.outbox
    assert m.subject == "新诉求 Bcc: x@evil.example" and m.to == ["m@example.com"]
    assert m.body == "<b>请处理</b>\n\nhttps://zd.example.cn/appeals/1/"
    assert not m.alternatives  # no HTML part to inject into


def test_group_turned_off_gets_no_email_but_other_groups_do(world):
    world.member.email = "m@example.com"
    world.member.save()
    Preference.objects.create(user=world.member, email_off=["lead"])
    services.notify([world.member], event="lead.next_step", key="l", title="线索")
    services.notify([world.member], event="appeal.assigned", key="a", title="诉求")
    services.sweep()
    assert [m.subject for m in mail.outbox] == ["诉求"]
    assert world.member.inbox.count() == 2


def test_mail_server_down_is_recorded_not_raised(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    world.member.email = "m@example.com"
    world.member.save()
    services.notify([world.member], event="blocker.near", key="b", title="即将到期")
    assert services.sweep() == 0
    d = Delivery.objects.get()
    assert d.status == "failed" and d.last_error and d.next_attempt is not None
