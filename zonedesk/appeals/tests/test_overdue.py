"""Appeals past their deadline escalate and notify once per appeal, round and level."""

import datetime

from zonedesk.appeals import services, tasks
from zonedesk.appeals.models import Appeal
from zonedesk.notify.models import Message

from .conftest import raise_one


def overdue_messages(user):
    return Message.objects.filter(user=user, event="appeal.overdue").count()


def test_overdue_appeal_escalates_once_per_level(ap):
    appeal = raise_one(ap, category="水电气暖")  # 3 working days: deadline Mon 17 Nov 2025
    assert appeal.deadline == datetime.date(2025, 11, 17)
    assert tasks.overdue_sweep(datetime.date(2025, 11, 17)) == 0
    assert tasks.overdue_sweep(datetime.date(2025, 11, 18)) == 1
    appeal.refresh_from_db()
    assert appeal.level == Appeal.Level.OVERDUE
    assert overdue_messages(ap.w.unit_user) == 1 and overdue_messages(ap.leader) == 1
    # Running again the same day or the next changes nothing.
    assert tasks.overdue_sweep(datetime.date(2025, 11, 18)) == 0
    assert tasks.overdue_sweep(datetime.date(2025, 11, 19)) == 0
    assert overdue_messages(ap.leader) == 1
    # Three working days late: escalated, told again.
    assert tasks.overdue_sweep(datetime.date(2025, 11, 20)) == 1
    appeal.refresh_from_db()
    assert appeal.level == Appeal.Level.ESCALATED
    assert overdue_messages(ap.leader) == 2
    assert tasks.overdue_sweep(datetime.date(2025, 11, 28)) == 0
    assert list(appeal.steps.filter(action="escalate").values_list("text", flat=True)) == [
        "已逾期",
        "逾期升级",
    ]


def test_the_periodic_task_runs_the_sweep(ap):
    raise_one(ap, category="水电气暖")
    ap.clock.today = datetime.date(2025, 11, 25)
    tasks.overdue_appeals.call_local()
    assert overdue_messages(ap.leader) == 2  # six working days late: both levels, in order


def test_a_first_sweep_three_days_late_passes_level_one_with_its_notice(ap):
    appeal = raise_one(ap, category="水电气暖")  # deadline Mon 17 Nov 2025
    assert tasks.overdue_sweep(datetime.date(2025, 11, 20)) == 1
    assert tasks.overdue_sweep(datetime.date(2025, 11, 20)) == 0
    appeal.refresh_from_db()
    assert appeal.level == Appeal.Level.ESCALATED
    titles = Message.objects.filter(user=ap.leader, event="appeal.overdue").order_by("pk")
    assert [t.split("：")[0] for t in titles.values_list("title", flat=True)] == [
        "诉求已逾期",
        "诉求逾期升级",
    ]
    assert list(appeal.steps.filter(action="escalate").values_list("text", flat=True)) == [
        "已逾期",
        "逾期升级",
    ]


def test_closed_appeals_do_not_escalate_and_a_reopened_round_escalates_afresh(ap):
    appeal = raise_one(ap, category="水电气暖")
    services.accept(ap.w.unit_user, appeal)
    tasks.overdue_sweep(datetime.date(2025, 11, 18))
    services.answer(ap.w.unit_user, appeal, text="已恢复供电")
    ap.clock.today = datetime.date(2025, 11, 18)
    services.close(ap.w.unit_user, appeal)
    appeal.refresh_from_db()
    assert appeal.on_time is False
    assert tasks.overdue_sweep(datetime.date(2025, 11, 28)) == 0
    services.rate(ap.w.enterprise_user, appeal, rating="unsatisfied", comment="仍经常停电")
    appeal.refresh_from_db()
    assert appeal.level == 0 and appeal.deadline == datetime.date(2025, 11, 21)
    assert tasks.overdue_sweep(datetime.date(2025, 11, 24)) == 1
    assert overdue_messages(ap.leader) == 2  # a new key for the new round
