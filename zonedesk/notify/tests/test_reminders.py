"""Reminders: each once per event and user, caught up after the worker missed runs."""

import datetime

from django.core import mail
from django.utils import timezone

from zonedesk.conftest import make_user
from zonedesk.leads.models import Lead
from zonedesk.leads.reminders import lead_reminders
from zonedesk.leads.tests.conftest import make_lead
from zonedesk.notify import reminders, services
from zonedesk.notify.models import Delivery, Message
from zonedesk.orgs.models import Role, Team
from zonedesk.orgs.services import create_team
from zonedesk.projects.models import ZoneSettings
from zonedesk.projects.reminders import progress_reminders
from zonedesk.projects.tests.fixtures import make_project, report, start

# Zone A's report day is the 5th: February's report is due on 2026-03-05 (a Thursday).
DUE = datetime.date(2026, 3, 3)  # two working days before
EARLY = datetime.date(2026, 3, 1)  # four working days before
LATE = datetime.date(2026, 3, 10)


def started_project(world, name="强伟纸业包装纸项目"):
    p = make_project(world.zone, name, team=world.team)
    return start(p, datetime.date(2025, 6, 1))


def keys(user):
    return sorted(Message.objects.filter(user=user).values_list("key", flat=True))


def test_progress_due_then_late_each_once(world, robot):
    p = started_project(world)
    services.create_webhook(world.owner, team=world.team, kind="wecom", url=robot.url)
    assert progress_reminders(EARLY) == 0
    progress_reminders(DUE)
    progress_reminders(DUE)
    assert keys(world.member) == [f"progress:{p.pk}:2026-02:due"]
    # The worker was down from the 4th to the 9th: the run on the 10th catches up, twice over.
    progress_reminders(LATE)
    progress_reminders(LATE)
    assert keys(world.member) == [f"progress:{p.pk}:2026-02:due", f"progress:{p.pk}:2026-02:late"]
    assert not Message.objects.exclude(user=world.member).exists()
    # The late one also goes to the task force's robot, once.
    assert services.sweep() == 1 and services.sweep() == 0
    assert "月度进展逾期未报" in robot.requests[0].json["markdown"]["content"]


def test_a_missed_due_window_sends_only_the_late_reminder(world):
    p = started_project(world)
    progress_reminders(LATE)
    assert keys(world.member) == [f"progress:{p.pk}:2026-02:late"]


def test_filed_report_stops_the_reminders(world):
    p = started_project(world)
    report(p, 2026, 2, "100")
    assert progress_reminders(DUE) == 0
    assert progress_reminders(LATE) == 0
    assert not Message.objects.exists()


def test_zone_report_day_moves_the_window(world):
    started_project(world)
    ZoneSettings.objects.create(org=world.zone, report_day=20)
    assert progress_reminders(LATE) == 0  # 2026-03-10 is well before the 20th


def test_due_reminder_is_mailed_once_to_officers_with_email(world):
    world.member.email = "member@example.com"
    world.member.save()
    started_project(world)
    progress_reminders(DUE)
    progress_reminders(DUE)
    assert services.sweep() == 1 and services.sweep() == 0
    [m] = mail.outbox
    assert m.to == ["member@example.com"] and "月度进展即将到期" in m.subject
    assert "/projects/" in m.body and "/progress/" in m.body


def test_lead_next_step_due_goes_to_the_team_once_per_date(world):
    promoter = make_user("zhaoshang", world.zone, Role.Name.PROMOTER)
    team = create_team(
        None, org=world.zone, kind=Team.Kind.INVESTMENT, name="造纸招商战队", members=[promoter]
    )
    today = timezone.localdate()
    lead = make_lead(team, next_step_on=today)
    make_lead(team, next_step_on=today + datetime.timedelta(days=30))
    dropped = make_lead(team, next_step_on=today - datetime.timedelta(days=3))
    Lead.objects.filter(pk=dropped.pk).update(stage=Lead.Stage.DROPPED)
    assert lead_reminders(today) == 1
    lead_reminders(today)
    # Missed days later, the same step is still the same reminder.
    lead_reminders(today + datetime.timedelta(days=4))
    assert keys(promoter) == [f"lead:{lead.pk}:next:{today:%Y-%m-%d}"]
    assert "线索今日跟进" in Message.objects.get(user=promoter).title
    assert not Delivery.objects.exists()  # no e-mail address, no e-mail


def test_demo_load_runs_twice_without_repeating(world):
    from zonedesk.notify import demo

    demo.load()
    demo.load()
    assert (
        Message.objects.filter(key="demo:welcome").count()
        == Message.objects.values("user").distinct().count()
    )
    assert Message.objects.filter(user=world.member, key="demo:welcome").count() == 1


def test_the_hourly_run_sends_the_reminders_every_app_registered(world):
    """projects and leads register their jobs in ready(); the worker's one task runs both."""
    p = started_project(world)
    promoter = make_user("zhaoshang", world.zone, Role.Name.PROMOTER)
    team = create_team(
        None, org=world.zone, kind=Team.Kind.INVESTMENT, name="造纸招商战队", members=[promoter]
    )
    lead = make_lead(team, next_step_on=DUE)
    assert reminders.send_all(DUE) == {"progress_reminders": 1, "lead_reminders": 1}
    assert keys(world.member) == [f"progress:{p.pk}:2026-02:due"]
    assert keys(promoter) == [f"lead:{lead.pk}:next:{DUE:%Y-%m-%d}"]
