"""Every write to the working-day calendar.

Only admins (the admin role at any node, or a superuser) change the calendar; `actor=None`
is the system. Each function runs in one transaction and records its audit event on the
year's `CalendarYear` row, with the changed days as "YYYY-MM-DD": [before, after].
"""

import datetime as dt
import re
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import role_names

from .models import CalendarDay, CalendarYear

Source = CalendarYear.Source
FIRST_YEAR, LAST_YEAR = 2000, 2100
NAME_MAX = CalendarDay._meta.get_field("name").max_length
MAX_ERRORS = 20  # a wrong file reports its first errors, not hundreds

HOLIDAY_WORDS = frozenset({"放假", "休", "休息", "假", "节假日", "休假"})
WORKDAY_WORDS = frozenset({"上班", "班", "补班", "调休上班", "工作日"})

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 is 1900-01-01 in Excel's 1900 date system
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # "2027-01-01 00:00:00" from an export
_DATE_SEP = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})" + _TIME)
_DATE_CN = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")


def can_edit_calendar(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or Role.Name.ADMIN in role_names(user))
    )


def require_calendar_admin(actor):
    if actor is not None and not can_edit_calendar(actor):
        raise PermissionDenied(_("只有管理员可以维护工作日历"))


def by_rule(day: dt.date) -> bool:
    return day.weekday() < 5


def describe(is_workday, name="") -> str:
    """ "放假 · 元旦", "上班 · 春节调休上班": how a day reads in the audit log."""
    kind = _("上班") if is_workday else _("放假")
    return f"{kind} · {name}" if name else kind


# ---------------------------------------------------------------------------
# Reading values typed by people or exported by Excel and WPS


def parse_date(value) -> dt.date:
    """A date from a date cell, an Excel serial, or text such as 2027-01-01, 2027/1/1,
    2027.1.1, 2027年1月1日 or 20270101. Raises ValueError when it is no date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        if value != value or not 1 <= value < 2958466:  # NaN, or beyond 9999-12-31
            raise ValueError(value)
        return EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # a serial that went through a CSV
        return parse_date(float(text))
    for pattern in (_DATE_SEP, _DATE_CN, _DATE_COMPACT):
        m = pattern.fullmatch(text)
        if m:
            year, month, day = (int(g) for g in m.groups() if g and g.isdigit())
            return dt.date(year, month, day)  # ValueError for 2027-02-30
    raise ValueError(text)


def parse_kind(value) -> bool:
    """is_workday from 放假/上班 (and the usual variants) or a boolean."""
    if isinstance(value, bool):
        return value
    text = unicodedata.normalize("NFKC", str(value)).strip()
    if text in HOLIDAY_WORDS:
        return False
    if text in WORKDAY_WORDS:
        return True
    raise ValueError(text)


def _shown(value) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unicodedata.normalize("NFKC", str(value)).strip()


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_year(year):
    if not isinstance(year, int) or not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValidationError(
            _("年份应在%(first)d至%(last)d之间") % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def _clean_name(name) -> str:
    name = "" if _blank(name) else unicodedata.normalize("NFKC", str(name)).strip()
    if len(name) > NAME_MAX:
        raise ValueError(name)
    return name


def clean_rows(year, rows, *, first_row=1):
    """Check every row of a year's schedule; return {date: (is_workday, name)} or raise
    ValidationError listing the rows at fault. Blank rows are skipped but counted, so the
    numbers match the file (`first_row` is the file's number of the first row given)."""
    _check_year(year)
    days, seen, errors = {}, {}, []
    for number, row in enumerate(rows, start=first_row):
        cells = [*list(row)[:3], None, None, None][:3]
        if all(_blank(c) for c in cells):
            continue
        raw_date, raw_kind, raw_name = cells

        def fail(message, number=number):
            errors.append(_("第%(n)d行：") % {"n": number} + message)

        if _blank(raw_date):
            fail(_("缺少日期"))
            continue
        try:
            day = parse_date(raw_date)
        except (ValueError, OverflowError):
            fail(_("日期“%(value)s”无效") % {"value": _shown(raw_date)})
            continue
        if day.year != year:
            fail(_("日期“%(date)s”不在%(year)d年内") % {"date": day.isoformat(), "year": year})
            continue
        if day in seen:
            fail(
                _("日期“%(date)s”与第%(other)d行重复")
                % {"date": day.isoformat(), "other": seen[day]}
            )
            continue
        seen[day] = number
        try:
            is_workday = parse_kind(raw_kind)
        except ValueError:
            fail(_("类型“%(value)s”无效，应为“放假”或“上班”") % {"value": _shown(raw_kind)})
            continue
        try:
            name = _clean_name(raw_name)
        except ValueError:
            fail(_("名称不能超过%(n)d个字符") % {"n": NAME_MAX})
            continue
        days[day] = (is_workday, name)
    if errors:
        more = len(errors) - MAX_ERRORS
        shown = errors[:MAX_ERRORS]
        if more > 0:
            shown.append(_("另有%(n)d处错误未列出") % {"n": more})
        raise ValidationError(shown)
    if not seen:
        raise ValidationError(_("文件中没有数据行"))
    return days


# ---------------------------------------------------------------------------
# Services


def _locked_year(year, source):
    row, _created = CalendarYear.objects.get_or_create(
        year=year, defaults={"published": False, "source": source}
    )
    return CalendarYear.objects.select_for_update().get(pk=row.pk)


def set_day(actor, date, is_workday, name=""):
    """Make `date` a holiday or a workday. A day that then equals the Monday–Friday rule
    is removed from the exceptions. Returns the stored CalendarDay, or None."""
    require_calendar_admin(actor)
    try:
        date = parse_date(date)
    except (ValueError, OverflowError):
        raise ValidationError({"date": _("日期“%(value)s”无效") % {"value": date}}) from None
    _check_year(date.year)
    try:
        name = _clean_name(name)
    except ValueError:
        raise ValidationError({"name": _("名称不能超过%(n)d个字符") % {"n": NAME_MAX}}) from None
    is_workday = bool(is_workday)
    after = None if is_workday == by_rule(date) else describe(is_workday, name)
    with transaction.atomic():
        # The year is locked before its days, as import_year does; a change that changes
        # nothing creates no year either.
        year = CalendarYear.objects.select_for_update().filter(year=date.year).first()
        current = CalendarDay.objects.filter(date=date).first()
        before = describe(current.is_workday, current.name) if current else None
        if before == after:
            return current
        year = year or _locked_year(date.year, Source.MANUAL)
        if after is None:
            current.delete()
            stored = None
        else:
            stored = current or CalendarDay(date=date)
            stored.is_workday, stored.name, stored.source = is_workday, name, Source.MANUAL
            stored.save()
        year.save(update_fields=["updated_at"])
        audit.record(
            actor, "calendar.set_day", year, org=None, changes={date.isoformat(): [before, after]}
        )
        return stored


def import_year(actor, year, rows, *, first_row=1, source=Source.IMPORT):
    """Replace `year`'s exceptions by the schedule in `rows` [(date, 放假/上班, name)] and
    mark the year published. Rows naming weekend holidays or weekday workdays are accepted
    (the notice lists whole holiday periods) but not stored. Nothing is written when a row
    is wrong. Returns the CalendarYear."""
    require_calendar_admin(actor)
    days = clean_rows(year, rows, first_row=first_row)
    wanted = {
        day: describe(is_workday, name)
        for day, (is_workday, name) in days.items()
        if is_workday != by_rule(day)
    }
    with transaction.atomic():
        row = _locked_year(year, source)
        old_rows = CalendarDay.objects.filter(date__year=year)
        old = {d.date: describe(d.is_workday, d.name) for d in old_rows}
        old_rows.delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=day, is_workday=days[day][0], name=days[day][1], source=source)
            for day in sorted(wanted)
        )
        changes = {}
        if not row.published:
            changes["published"] = [False, True]
        if row.source != source:
            changes["source"] = [row.source, source]
        for day in sorted(old.keys() | wanted.keys()):
            if old.get(day) != wanted.get(day):
                changes[day.isoformat()] = [old.get(day), wanted.get(day)]
        row.published, row.source = True, source
        row.save()
        audit.record(actor, "calendar.import", row, org=None, changes=changes)
        return row


def set_published(actor, year, published):
    """Mark a year's schedule as published (complete) or not, e.g. after entering it by
    hand. Unpublished years count Monday–Friday apart from the days stored for them."""
    require_calendar_admin(actor)
    _check_year(year)
    published = bool(published)
    with transaction.atomic():
        row = _locked_year(year, Source.MANUAL)
        if row.published == published:
            return row
        row.published = published
        row.save()
        audit.record(
            actor,
            "calendar.publish",
            row,
            org=None,
            changes={"published": [not published, published]},
        )
        return row
