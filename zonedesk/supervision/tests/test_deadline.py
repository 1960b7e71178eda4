import datetime

from zonedesk.catalog.models import CalendarYear
from zonedesk.supervision import services
from zonedesk.supervision.tests.conftest import raise_one

D = datetime.date


def test_deadline_in_working_days_skips_the_holiday_and_counts_the_adjusted_workday(
    calendar_2026,
):
    # From Tuesday 09-29: 09-30 (1), National Day 10-01..07 off, 10-08 (2), 10-09 (3),
    # Saturday 10-10 is a 调休 workday (4).
    assert services.deadline_from(4, D(2026, 9, 29)) == D(2026, 10, 10)
    # Sunday 09-20 is a workday too: from Friday 09-18, one working day is that Sunday.
    assert services.deadline_from(1, D(2026, 9, 18)) == D(2026, 9, 20)


def test_raise_with_working_days_uses_the_calendar(sup, calendar_2026, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: D(2026, 9, 29))
    b = raise_one(sup, "x", deadline=4)
    assert b.deadline == D(2026, 10, 10) and b.raised_on == D(2026, 9, 29)


def test_unpublished_year_shows_the_estimate_note(sup, blocker, client_for):
    from django.urls import reverse

    from zonedesk.supervision.models import Blocker

    Blocker.objects.filter(pk=blocker.pk).update(deadline=D(2031, 1, 6))
    CalendarYear.objects.filter(year=2031).delete()
    page = client_for(sup.member).get(reverse("supervision:detail", args=[blocker.pk]))
    assert "按周一至周五估算：2031年节假日安排尚未发布" in page.content.decode()
