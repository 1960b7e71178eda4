"""The monthly report's deadline and its reminders follow China's calendar: a report day on
a holiday moves to the next working day (a zone setting, on by default), the "due" window is
the last working days before the deadline whatever month they fall in, and nothing goes out
on a holiday."""

import datetime

from django.urls import reverse

from zonedesk.notify.models import Message
from zonedesk.projects import formulas
from zonedesk.projects.models import ZoneSettings
from zonedesk.projects.reminders import progress_reminders
from zonedesk.projects.tests.fixtures import make_project, report, start

SEPTEMBER = datetime.date(2026, 9, 1)  # report day the 5th: 2026-10-05, inside 国庆节


def day(m, d):
    return datetime.date(2026, m, d)


def test_a_report_day_on_a_holiday_moves_to_the_next_working_day(db):
    assert formulas.deadline(SEPTEMBER, 5) == day(10, 8)
    assert formulas.deadline(SEPTEMBER, 5, shift=False) == day(10, 5)
    assert formulas.deadline(datetime.date(2026, 2, 1), 5) == day(3, 5)  # a Thursday stays


def sent(world, pk):
    return sorted(Message.objects.filter(user=world.member).values_list("key", flat=True))


def project_missing_september(world):
    p = start(make_project(world.zone, "强伟纸业包装纸项目", team=world.team), day(6, 1))
    report(p, 2026, 8, "100")  # August is filed: only September's report is pending
    return p


def test_due_goes_on_the_last_working_days_of_september_before_the_october_deadline(world):
    p = project_missing_september(world)
    assert progress_reminders(day(9, 24)) == 0  # four working days before 10-08
    assert progress_reminders(day(9, 25)) == 0  # 中秋节: nobody is reminded on a holiday
    progress_reminders(day(9, 28))
    progress_reminders(day(9, 30))
    assert sent(world, p.pk) == [f"progress:{p.pk}:2026-09:due"]
    for holiday in (day(10, 1), day(10, 6), day(10, 7)):
        assert progress_reminders(holiday) == 0
    assert progress_reminders(day(10, 8)) == 1  # the deadline itself: still due, sent once
    assert sent(world, p.pk) == [f"progress:{p.pk}:2026-09:due"]
    progress_reminders(day(10, 9))
    assert sent(world, p.pk) == [f"progress:{p.pk}:2026-09:due", f"progress:{p.pk}:2026-09:late"]


def test_without_the_shift_late_waits_for_the_first_working_day(world):
    p = project_missing_september(world)
    ZoneSettings.objects.create(org=world.zone, shift_deadline=False)
    assert progress_reminders(day(10, 6)) == 0  # past 10-05 but a holiday
    progress_reminders(day(10, 8))
    assert sent(world, p.pk) == [f"progress:{p.pk}:2026-09:late"]


def test_the_progress_page_shows_the_moved_deadline(world, client, clock):
    clock.today = day(10, 3)
    p = start(make_project(world.zone, "强伟纸业包装纸项目", team=world.team), day(6, 1))
    client.force_login(world.member)
    html = client.get(reverse("projects:progress", args=[p.pk])).content.decode()
    assert "截止日期：2026年10月8日" in html
    assert "原定2026年10月5日，逢节假日顺延至下一个工作日" in html
    ZoneSettings.objects.create(org=world.zone, shift_deadline=False)
    html = client.get(reverse("projects:progress", args=[p.pk])).content.decode()
    assert "截止日期：2026年10月5日" in html and "顺延" not in html
