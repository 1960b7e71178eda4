"""Working days: China's official calendar as seeded from chinesecalendar, Monday–Friday
for unpublished years, and the arithmetic deadlines are built on."""

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zonedesk.catalog import calendar
from zonedesk.catalog.models import CalendarDay, CalendarYear

D = dt.date
pytestmark = pytest.mark.django_db

DATES = st.dates(min_value=D(2003, 1, 1), max_value=D(2033, 12, 31))
HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def days(start, end):
    day = start
    while day <= end:
        yield day
        day += dt.timedelta(days=1)


# --- the seeded calendar ------------------------------------------------------------


def test_every_year_the_package_knows_is_seeded_and_published():
    years = {d.year for d in chinese_calendar.constants.holidays}
    assert min(years) == 2004 and max(years) >= 2026
    published = set(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
    assert published == set(range(2004, 2027))
    assert set(CalendarYear.objects.values_list("source", flat=True)) == {"chinese-calendar"}


def test_only_days_that_differ_from_monday_to_friday_are_stored():
    for day in CalendarDay.objects.all():
        assert day.is_workday == (day.date.weekday() >= 5), day


def test_the_seeded_calendar_agrees_with_the_package_on_every_day():
    cal = calendar.WorkCalendar()
    for day in days(D(2004, 1, 1), D(2026, 12, 31)):
        assert cal.is_workday(day) == chinese_calendar.is_workday(day), day


def test_names_are_chinese():
    assert CalendarDay.objects.get(date=D(2024, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=D(2024, 2, 4)).name == "春节调休上班"
    assert CalendarDay.objects.get(date=D(2015, 9, 3)).name == "抗战胜利70周年纪念日"


# --- known facts ----------------------------------------------------------------------


@pytest.mark.parametrize("day", [D(2024, 2, 4), D(2024, 2, 18), D(2024, 9, 29), D(2024, 10, 12)])
def test_adjusted_weekend_workdays_of_2024(day):
    assert day.weekday() >= 5
    assert calendar.is_workday(day)


def test_national_day_2024_is_a_week_off():
    assert not any(calendar.is_workday(day) for day in days(D(2024, 10, 1), D(2024, 10, 7)))
    assert calendar.is_workday(D(2024, 10, 8))
    assert calendar.working_days_between(D(2024, 9, 30), D(2024, 10, 8)) == 1
    assert calendar.add_working_days(D(2024, 9, 30), 1) == D(2024, 10, 8)
    assert calendar.add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)  # a Sunday


def test_spring_festival_2025():
    assert [calendar.is_workday(d) for d in days(D(2025, 1, 28), D(2025, 2, 4))] == [False] * 8
    assert calendar.is_workday(D(2025, 1, 26)) and calendar.is_workday(D(2025, 2, 8))
    # Monday 27 January, then nothing until Wednesday 5 February.
    assert calendar.add_working_days(D(2025, 1, 24), 2) == D(2025, 1, 27)
    assert calendar.add_working_days(D(2025, 1, 24), 3) == D(2025, 2, 5)
    assert calendar.working_days_between(D(2025, 1, 24), D(2025, 2, 9)) == 2 + 4


def test_an_ordinary_week():
    assert calendar.working_days_between(D(2024, 3, 1), D(2024, 3, 8)) == 5
    assert calendar.add_working_days(D(2024, 3, 8), 5) == D(2024, 3, 15)
    assert calendar.add_working_days(D(2024, 3, 9), 0) == D(2024, 3, 9)


def test_end_on_or_before_start_is_zero():
    assert calendar.working_days_between(D(2024, 3, 8), D(2024, 3, 8)) == 0
    assert calendar.working_days_between(D(2024, 3, 8), D(2024, 3, 1)) == 0


def test_negative_n_is_refused():
    with pytest.raises(ValueError):
        calendar.add_working_days(D(2024, 3, 8), -1)


def test_datetimes_count_as_their_local_day():
    moment = dt.datetime(2024, 9, 30, 23, 0, tzinfo=dt.UTC)  # 07:00 on 1 October in Beijing
    assert not calendar.is_workday(moment)


# --- unpublished years -------------------------------------------------------------------


def test_an_unpublished_year_counts_monday_to_friday_and_is_estimated():
    assert not CalendarYear.objects.filter(year=2031).exists()
    assert calendar.is_workday(D(2031, 1, 1))  # a Wednesday: 元旦 is not known yet
    assert not calendar.is_workday(D(2031, 1, 4))  # Saturday
    assert calendar.working_days_between(D(2031, 1, 1), D(2031, 1, 31)) == 22
    assert calendar.add_working_days(D(2031, 1, 3), 1) == D(2031, 1, 6)
    assert calendar.estimated(D(2031, 1, 1), D(2031, 3, 1))
    assert calendar.estimate_note(D(2031, 1, 1)) == "按周一至周五估算：2031年节假日安排尚未发布"


def test_estimated_looks_at_every_year_of_the_range():
    assert not calendar.estimated(D(2024, 12, 1), D(2025, 1, 31))
    assert calendar.estimated(D(2026, 12, 1), D(2027, 1, 15))
    assert calendar.estimated(D(2027, 1, 15), D(2026, 12, 1))  # either order
    assert calendar.unpublished_years(D(2025, 6, 1), D(2028, 6, 1)) == [2027, 2028]
    assert calendar.estimate_note(D(2025, 1, 1), D(2028, 1, 1)) == (
        "按周一至周五估算：2027、2028年节假日安排尚未发布"
    )
    assert calendar.estimate_note(D(2025, 1, 1)) == ""


def test_a_year_marked_unpublished_is_estimated():
    CalendarYear.objects.filter(year=2025).update(published=False)
    assert calendar.estimated(D(2025, 5, 1))


# --- queries -----------------------------------------------------------------------------


def test_each_function_makes_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        calendar.is_workday(D(2024, 10, 1))
    with django_assert_num_queries(1):
        calendar.working_days_between(D(2020, 1, 1), D(2026, 12, 31))
    with django_assert_num_queries(1):
        calendar.add_working_days(D(2024, 12, 20), 250)
    with django_assert_num_queries(1):
        calendar.estimated(D(2020, 1, 1), D(2030, 1, 1))


def test_a_work_calendar_loads_each_year_once(django_assert_num_queries):
    cal = calendar.WorkCalendar()
    with django_assert_num_queries(1):
        cal.load(2024, 2025)
    with django_assert_num_queries(0):
        for day in days(D(2024, 1, 1), D(2025, 12, 31)):
            cal.is_workday(day)
        cal.working_days_between(D(2024, 1, 1), D(2025, 12, 31))
        cal.add_working_days(D(2024, 1, 1), 200)


def test_working_days_in_a_year():
    assert calendar.working_days_between(D(2023, 12, 31), D(2024, 12, 31)) == 251
    assert calendar.working_days_between(D(2024, 12, 31), D(2025, 12, 31)) == 248


# --- properties ----------------------------------------------------------------------


@HYPOTHESIS
@given(start=DATES, n=st.integers(min_value=1, max_value=400))
def test_a_deadline_is_the_nth_working_day_after_start(start, n):
    deadline = calendar.add_working_days(start, n)
    assert deadline > start
    assert calendar.is_workday(deadline)
    assert calendar.working_days_between(start, deadline) == n
    # … and the first such day: the day before it still lacks one working day.
    assert calendar.working_days_between(start, deadline - dt.timedelta(days=1)) == n - 1


@HYPOTHESIS
@given(a=DATES, b=DATES)
def test_counting_agrees_with_asking_day_by_day(a, b):
    start, end = min(a, b), max(a, b)
    if (end - start).days > 800:
        end = start + dt.timedelta(days=800)
    cal = calendar.WorkCalendar()
    expected = sum(cal.is_workday(d) for d in days(start + dt.timedelta(days=1), end))
    assert calendar.working_days_between(start, end) == expected


@HYPOTHESIS
@given(dates=st.lists(DATES, min_size=3, max_size=3))
def test_counts_add_up(dates):
    a, b, c = sorted(dates)
    cal = calendar.WorkCalendar()
    assert cal.working_days_between(a, b) + cal.working_days_between(
        b, c
    ) == cal.working_days_between(a, c)


@HYPOTHESIS
@given(start=st.dates(min_value=D(2028, 1, 1), max_value=D(2040, 12, 31)), n=st.integers(0, 60))
def test_unpublished_years_are_monday_to_friday(start, n):
    deadline = calendar.add_working_days(start, n)
    weekdays = [d for d in days(start + dt.timedelta(days=1), deadline) if d.weekday() < 5]
    assert len(weekdays) == n
    assert calendar.estimated(start, deadline)


def test_a_work_calendar_reads_the_published_years_once(django_assert_num_queries):
    cal = calendar.WorkCalendar()
    with django_assert_num_queries(1):
        assert not cal.estimated(D(2024, 1, 1), D(2026, 12, 31))
        assert cal.estimated(D(2026, 12, 1), D(2027, 1, 31))
        assert cal.estimate_note(D(2027, 1, 1)) == "按周一至周五估算：2027年节假日安排尚未发布"
