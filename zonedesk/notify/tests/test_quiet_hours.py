"""Quiet hours: the inbox at once, e-mail and robot posts when the quiet hours end."""

import datetime

from django.core import mail
from django.utils import timezone

from zonedesk.notify import services
from zonedesk.notify.models import Delivery, Message, Preference


def local(h, m=0, day=10):
    return timezone.make_aware(datetime.datetime(2026, 3, day, h, m))


def test_quiet_until_within_a_day():
    assert services.quiet_until("12:00", "14:00", local(13)) == local(14)
    assert services.quiet_until("12:00", "14:00", local(14)) is None
    assert services.quiet_until("12:00", "14:00", local(11, 59)) is None


def test_quiet_until_across_midnight():
    assert services.quiet_until("22:00", "07:00", local(23, 30)) == local(7, day=11)
    assert services.quiet_until("22:00", "07:00", local(6, 59)) == local(7)
    assert services.quiet_until("22:00", "07:00", local(7)) is None
    assert services.quiet_until("22:00", "07:00", local(21)) is None


def test_no_quiet_hours():
    assert services.quiet_until("", "", local(3)) is None
    assert services.quiet_until("08:00", "08:00", local(8)) is None


def quiet_around_now(hours=1):
    """Quiet hours from an hour ago to an hour ahead (whatever the clock says now)."""
    now = timezone.localtime()
    start, end = now - datetime.timedelta(hours=hours), now + datetime.timedelta(hours=hours)
    return f"{start:%H:%M}", f"{end:%H:%M}"


def test_email_waits_for_the_end_of_quiet_hours_but_inbox_does_not(world):
    world.member.email = "m@example.com"
    world.member.save()
    start, end = quiet_around_now()
    Preference.objects.create(user=world.member, quiet_start=start, quiet_end=end)
    services.notify([world.member], event="blocker.overdue", key="b:1", title="逾期")
    assert Message.objects.filter(user=world.member).exists()
    d = Delivery.objects.get()
    wait = d.next_attempt - timezone.now()
    assert datetime.timedelta(minutes=58) < wait <= datetime.timedelta(hours=1)
    assert f"{timezone.localtime(d.next_attempt):%H:%M}" == end
    assert services.sweep() == 0 and not mail.outbox
    assert services.sweep(d.next_attempt) == 1
    assert [m.to for m in mail.outbox] == [["m@example.com"]]


def test_robot_quiet_hours_hold_the_post(world, robot):
    start, end = quiet_around_now()
    services.create_webhook(
        world.owner, unit=world.unit, kind="wecom", url=robot.url, quiet_start=start, quiet_end=end
    )
    services.notify_group(unit=world.unit, event="blocker.overdue", key="b", title="逾期")
    d = Delivery.objects.get()
    assert services.sweep() == 0 and robot.requests == []
    assert services.sweep(d.next_attempt) == 1 and len(robot.requests) == 1


def test_retry_falling_into_quiet_hours_waits_without_spending_an_attempt(world):
    world.member.email = "m@example.com"
    world.member.save()
    services.notify([world.member], event="lead.next_step", key="l", title="跟进")
    start, end = quiet_around_now()
    Preference.objects.create(user=world.member, quiet_start=start, quiet_end=end)
    d = Delivery.objects.get()
    assert services.deliver(d.pk) == "pending"
    d.refresh_from_db()
    assert (d.attempts, d.status) == (0, "pending") and d.next_attempt > timezone.now()
    assert not mail.outbox
