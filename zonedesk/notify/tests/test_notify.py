"""notify(): the in-app message at once, e-mail per preferences after commit, once per key."""

from django.core import mail
from django.db import transaction

from zonedesk.notify import services
from zonedesk.notify.models import Delivery, Message, Preference


def test_notify_writes_one_message_per_user_and_key(world):
    for _ in range(2):
        services.notify(
            [world.member, world.owner, world.member],
            event="blocker.overdue",
            key="blocker:1:overdue:1",
            title="问题逾期",
            body="土地指标",
            url="/supervision/1/",
            org=world.zone,
        )
    assert Message.objects.filter(key="blocker:1:overdue:1").count() == 2
    msg = Message.objects.get(user=world.member)
    assert (msg.title, msg.url, msg.org, msg.read_at) == (
        "问题逾期",
        "/supervision/1/",
        world.zone,
        None,
    )


def test_notify_queues_email_only_for_users_with_address_and_group_on(world):
    world.member.email = "member@example.com"
    world.member.save()
    world.owner.email = "owner@example.com"
    world.owner.save()
    Preference.objects.create(user=world.owner, email_off=["blocker"])
    services.notify(
        [world.member, world.owner, world.unit_user], event="blocker.overdue", key="k1", title="t"
    )
    assert list(Delivery.objects.values_list("user__username", "channel", "status")) == [
        ("member", "email", "pending")
    ]


def test_rolled_back_transaction_leaves_no_message(world):
    try:
        with transaction.atomic():
            services.notify([world.member], event="appeal.assigned", key="a:1", title="t")
            raise RuntimeError
    except RuntimeError:
        pass
    assert not Message.objects.exists()


def test_javascript_link_is_dropped(world):
    services.notify([world.member], event="x", key="k", title="t", url="javascript:alert(1)")
    services.notify([world.member], event="x", key="k2", title="t", url="//evil.example/")
    assert set(Message.objects.values_list("url", flat=True)) == {""}


def test_email_is_sent_by_the_worker_after_commit(world, django_capture_on_commit_callbacks):
    world.member.email = "member@example.com"
    world.member.save()
    with django_capture_on_commit_callbacks() as callbacks:
        services.notify(
            [world.member], event="lead.next_step", key="lead:1", title="跟进", body="b"
        )
    assert len(callbacks) == 1 and not mail.outbox
    assert services.sweep() == 1
    assert [m.subject for m in mail.outbox] == ["跟进"]
    assert services.sweep() == 0 and len(mail.outbox) == 1
