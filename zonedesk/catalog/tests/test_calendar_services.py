"""Changing the calendar: admins only, audited, all-or-nothing imports."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.catalog import calendar, services
from zonedesk.catalog.models import CalendarDay, CalendarYear

D = dt.date
SCHEDULE_2027 = [
    ("2027-01-01", "放假", "元旦"),  # Friday
    ("2027-01-02", "放假", "元旦"),  # Saturday: part of the notice, not stored
    ("2027-02-06", "放假", "春节"),  # Saturday
    ("2027-02-08", "放假", "春节"),
    ("2027-02-09", "放假", "春节"),
    ("2027-02-20", "上班", "春节调休上班"),  # Saturday
]


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


def messages_of(excinfo):
    return excinfo.value.messages


# --- permissions ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["member", "viewer", "unit_user", "enterprise_user"])
def test_only_admins_may_change_the_calendar(world, who):
    user = getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.set_day(user, D(2027, 1, 1), False, "元旦")
    with pytest.raises(PermissionDenied):
        services.import_year(user, 2027, SCHEDULE_2027)
    with pytest.raises(PermissionDenied):
        services.set_published(user, 2027, True)
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_an_admin_of_any_zone_and_a_superuser_may(world, django_user_model):
    services.set_day(world.outsider, D(2027, 1, 1), False, "元旦")
    root = django_user_model.objects.create_superuser(username="root", password="x")
    services.set_day(root, D(2027, 2, 8), False, "春节")
    assert CalendarDay.objects.filter(date__year=2027).count() == 2


# --- set_day ------------------------------------------------------------------------------


def test_set_day_stores_a_holiday_and_records_it(world):
    day = services.set_day(world.owner, D(2027, 1, 1), False, "元旦")
    assert (day.is_workday, day.name, day.source) == (False, "元旦", "manual")
    assert not calendar.is_workday(D(2027, 1, 1))
    year = CalendarYear.objects.get(year=2027)
    assert not year.published and year.source == "manual"
    assert calendar.estimated(D(2027, 1, 1))  # one known day is not a schedule
    (event,) = events("calendar.set_day")
    assert event.actor == world.owner and event.org is None
    assert event.target_id == str(year.pk) and event.target_repr == "2027年工作日历"
    assert event.changes == {"2027-01-01": [None, "放假 · 元旦"]}


def test_set_day_changes_and_then_removes_an_exception(world):
    services.set_day(world.owner, D(2024, 10, 1), False, "国庆")
    assert CalendarDay.objects.get(date=D(2024, 10, 1)).name == "国庆"
    # A Tuesday made a workday is simply the Monday–Friday rule again.
    assert services.set_day(world.owner, D(2024, 10, 1), True, "") is None
    assert not CalendarDay.objects.filter(date=D(2024, 10, 1)).exists()
    assert calendar.is_workday(D(2024, 10, 1))
    assert [e.changes for e in events("calendar.set_day")] == [
        {"2024-10-01": ["放假 · 国庆节", "放假 · 国庆"]},
        {"2024-10-01": ["放假 · 国庆", None]},
    ]


def test_set_day_makes_a_weekend_a_workday(world):
    services.set_day(world.owner, D(2027, 2, 20), True, "春节调休上班")
    assert calendar.is_workday(D(2027, 2, 20))


def test_set_day_that_changes_nothing_records_nothing(world):
    services.set_day(world.owner, D(2024, 10, 1), False, "国庆节")  # already so
    services.set_day(world.owner, D(2031, 3, 3), True, "")  # a Monday, no year row
    assert not events("calendar.set_day")
    assert not CalendarYear.objects.filter(year=2031).exists()


def test_set_day_refuses_a_long_name_on_its_field(world):
    with pytest.raises(ValidationError) as e:
        services.set_day(world.owner, D(2027, 1, 1), False, "节" * 51)
    assert "name" in e.value.error_dict


# --- import_year ----------------------------------------------------------------------------


def test_import_replaces_the_year_and_publishes_it(world):
    services.set_day(world.owner, D(2027, 3, 1), False, "试验")
    year = services.import_year(world.owner, 2027, SCHEDULE_2027)
    assert year.published and year.source == "import"
    stored = {d.date: (d.is_workday, d.name) for d in CalendarDay.objects.filter(date__year=2027)}
    assert stored == {
        D(2027, 1, 1): (False, "元旦"),
        D(2027, 2, 8): (False, "春节"),
        D(2027, 2, 9): (False, "春节"),
        D(2027, 2, 20): (True, "春节调休上班"),
    }
    assert not calendar.estimated(D(2027, 1, 1), D(2027, 12, 31))
    assert calendar.add_working_days(D(2027, 2, 5), 1) == D(2027, 2, 10)
    (event,) = events("calendar.import")
    assert event.target_id == str(year.pk) and event.org is None
    assert event.changes["published"] == [False, True]
    assert event.changes["source"] == ["manual", "import"]
    assert event.changes["2027-03-01"] == ["放假 · 试验", None]
    assert event.changes["2027-02-20"] == [None, "上班 · 春节调休上班"]
    assert "2027-01-02" not in event.changes


def test_import_accepts_every_date_spelling_and_excel_serials(world):
    rows = [
        (D(2027, 1, 1), "放假", "元旦"),
        (46426.0, "放假", "春节"),  # 2027-02-08 as Excel stores it
        ("2027/2/9", "放假", "春节"),
        ("2027.2.10", "休息", "春节"),
        ("2027年2月11日", "放假", "春节"),
        ("2027-02-20 00:00:00", "上班", "春节调休上班"),
        (dt.datetime(2027, 10, 1), "放假", "国庆节"),
        ("２０２７－１０－０４", "放假", "国庆节"),
        ("", "", ""),  # blank rows are skipped
    ]
    services.import_year(world.owner, 2027, rows)
    assert CalendarDay.objects.filter(date__year=2027).count() == 8


def test_import_names_every_wrong_row_and_writes_nothing(world):
    rows = [
        ("2027-01-01", "放假", "元旦"),
        ("2027-02-30", "放假", "春节"),
        ("2026-12-31", "放假", "元旦"),
        ("2027-01-01", "放假", "元旦"),
        ("2027-02-09", "休", "春节"),
        ("2027-02-10", "请假", "春节"),
        ("", "放假", "春节"),
        ("2027-02-11", "放假", "节" * 51),
    ]
    with pytest.raises(ValidationError) as e:
        services.import_year(world.owner, 2027, rows, first_row=2)
    assert messages_of(e) == [
        "第3行：日期“2027-02-30”无效",
        "第4行：日期“2026-12-31”不在2027年内",
        "第5行：日期“2027-01-01”与第2行重复",
        "第7行：类型“请假”无效，应为“放假”或“上班”",
        "第8行：缺少日期",
        "第9行：名称不能超过50个字符",
    ]
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not AuditEvent.objects.filter(action__startswith="calendar.").exists()


def test_a_failed_import_keeps_the_previous_schedule(world):
    before = list(CalendarDay.objects.filter(date__year=2024).values_list("date", "name"))
    with pytest.raises(ValidationError):
        services.import_year(world.owner, 2024, [("2024-13-01", "放假", "")])
    after = list(CalendarDay.objects.filter(date__year=2024).values_list("date", "name"))
    assert after == before


def test_an_empty_import_is_refused(world):
    with pytest.raises(ValidationError) as e:
        services.import_year(world.owner, 2027, [("", "", "")])
    assert messages_of(e) == ["文件中没有数据行"]


def test_a_long_list_of_errors_is_cut_short(world):
    rows = [("bad", "放假", "")] * 30
    with pytest.raises(ValidationError) as e:
        services.import_year(world.owner, 2027, rows)
    assert len(messages_of(e)) == services.MAX_ERRORS + 1
    assert messages_of(e)[-1] == "另有10处错误未列出"


# --- set_published ----------------------------------------------------------------------------


def test_set_published_marks_a_year_and_records_it(world):
    services.set_published(world.owner, 2025, False)
    assert calendar.estimated(D(2025, 6, 1))
    services.set_published(world.owner, 2025, False)  # already so: no event
    services.set_published(world.owner, 2025, True)
    assert [e.changes for e in events("calendar.publish")] == [
        {"published": [True, False]},
        {"published": [False, True]},
    ]


# --- reading dates ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "2027-01-01",
        "2027/1/1",
        "2027.1.1",
        "2027年1月1日",
        "2027年1月1",
        "20270101",
        " 2027-1-1 ",
        "2027-01-01T00:00:00",
        46388,
        46388.0,
        "46388",
        D(2027, 1, 1),
        dt.datetime(2027, 1, 1, 8, 30),
    ],
)
def test_parse_date(value):
    assert services.parse_date(value) == D(2027, 1, 1)


@pytest.mark.parametrize(
    "value", ["2027-02-30", "2027-1/1", "1/1/2027", "元旦", "", 0, -5, float("nan"), True]
)
def test_parse_date_refuses(value):
    with pytest.raises(ValueError):
        services.parse_date(value)
