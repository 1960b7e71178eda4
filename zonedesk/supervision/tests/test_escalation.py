import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.notify.models import Message
from zonedesk.supervision import services, tasks
from zonedesk.supervision.models import Blocker

D = datetime.date
Level = Blocker.Level


def overdue(blocker, deadline):
    Blocker.objects.filter(pk=blocker.pk).update(
        raised_on=deadline - datetime.timedelta(days=7), deadline=deadline
    )


def escalations(blocker):
    return AuditEvent.objects.filter(target_id=str(blocker.pk), action="blocker.escalate").count()


def test_escalation_never_skips_a_level_and_runs_once_when_the_task_runs_twice(sup, blocker):
    overdue(blocker, D(2026, 3, 2))  # a Monday
    first = tasks.run(today=D(2026, 3, 20))  # weeks late, yet one level only
    second = tasks.run(today=D(2026, 3, 20))
    blocker.refresh_from_db()
    assert (first["escalated"], second["escalated"]) == (1, 0)
    assert blocker.level == Level.COUNTY and escalations(blocker) == 1
    assert blocker.supervisor == sup.county_leader
    assert Message.objects.filter(user=sup.county_leader, event="blocker.escalated").count() == 1
    assert not Message.objects.filter(user=sup.city_leader).exists()
    # Still overdue at county level: the city takes over only after the grace period.
    tasks.run(today=D(2026, 3, 26))  # 4 working days later
    blocker.refresh_from_db()
    assert blocker.level == Level.COUNTY
    tasks.run(today=D(2026, 3, 27))
    tasks.run(today=D(2026, 3, 27))
    blocker.refresh_from_db()
    assert blocker.level == Level.CITY and escalations(blocker) == 2
    assert Message.objects.filter(user=sup.city_leader, event="blocker.escalated").count() == 1
    tasks.run(today=D(2026, 5, 1))
    assert escalations(blocker) == 2  # city is the top


def test_the_periodic_task_itself_runs_idempotently(sup, blocker):
    overdue(blocker, datetime.date.today() - datetime.timedelta(days=10))
    tasks.daily.call_local()
    tasks.daily.call_local()
    blocker.refresh_from_db()
    assert blocker.level == Level.COUNTY and escalations(blocker) == 1


def test_no_escalation_until_a_working_day_has_passed(sup, blocker, calendar_2026):
    overdue(blocker, D(2026, 9, 30))  # the last working day before National Day
    tasks.run(today=D(2026, 10, 7))  # the holiday: not yet
    blocker.refresh_from_db()
    assert blocker.level == Level.GENERAL
    tasks.run(today=D(2026, 10, 8))
    blocker.refresh_from_db()
    assert blocker.level == Level.COUNTY


def test_resolved_blockers_do_not_escalate(sup, blocker):
    services.resolve(sup.unit_user, blocker, text="done")
    overdue(blocker, D(2026, 3, 2))
    tasks.run(today=D(2026, 3, 20))
    assert escalations(blocker) == 0


def test_manual_escalation_by_a_leader_one_level_with_a_reason(sup, blocker):
    b, leaders = services.escalate(sup.leader, blocker, reason="涉及县级审批")
    assert b.level == Level.COUNTY and leaders == [sup.county_leader]
    b, leaders = services.escalate(sup.county_leader, b, reason="需市里协调")
    assert b.level == Level.CITY and leaders == [sup.city_leader]
    with pytest.raises(ValidationError):
        services.escalate(sup.city_leader, b, reason="再升")
    with pytest.raises(PermissionDenied):
        services.escalate(sup.member, b, reason="x")


def test_reminders_near_and_past_deadline_are_sent_once_per_channel(sup, blocker, calendar_2026):
    sup.unit_user.email = "unit@example.cn"
    sup.unit_user.save()
    Blocker.objects.filter(pk=blocker.pk).update(raised_on=D(2026, 9, 1), deadline=D(2026, 10, 9))
    # 09-30 → 10-09: 10-08 and 10-09 are the only working days between: near.
    assert tasks.run(today=D(2026, 9, 30))["near"] == 1
    tasks.run(today=D(2026, 9, 30))
    msgs = Message.objects.filter(user=sup.unit_user, event="blocker.due")
    assert msgs.count() == 1
    assert tasks.run(today=D(2026, 9, 29))["near"] == 0  # 3 working days ahead
    tasks.run(today=D(2026, 10, 12))
    tasks.run(today=D(2026, 10, 13))
    assert Message.objects.filter(user=sup.unit_user, event="blocker.overdue").count() == 1
    assert Message.objects.filter(user=sup.member, event="blocker.overdue").count() == 1
    assert Message.objects.filter(user=sup.leader, event="blocker.overdue").count() == 1
    assert len([m for m in mail.outbox if "unit@example.cn" in m.to]) <= 3
