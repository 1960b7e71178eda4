"""China's official working days: Monday to Friday, corrected by the State Council schedule.

The schedule is stored as exceptions only (`CalendarDay`): holidays that fall on a weekday
and adjusted workdays (调休上班) that fall on a weekend. A year whose schedule has not been
published (`CalendarYear.published`) counts Monday to Friday, apart from any day an admin
entered by hand, and deadlines in it are estimates; `estimated` and `estimate_note` say so.

Each module-level function makes at most one query. A page that computes many deadlines
creates one `WorkCalendar` and asks it instead: it loads each year's exceptions once.

There is deliberately no per-process cache: ZoneDesk runs several web workers and a huey
consumer without a shared cache, so a cache cleared on write in one process would stay
stale in the others.
"""

import bisect
import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CalendarDay, CalendarYear

ONE_DAY = dt.timedelta(days=1)


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    raise TypeError(f"expected a date, got {value!r}")


def _by_rule(day: dt.date) -> bool:
    """Monday to Friday."""
    return day.weekday() < 5


def _weekdays_through(day: dt.date) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday) through `day` inclusive."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class WorkCalendar:
    """The exceptions of the years asked about so far, loaded one batch per query."""

    def __init__(self):
        self._workday: dict[dt.date, bool] = {}
        self._dates: list[dt.date] = []  # sorted keys of _workday
        self._years: set[int] = set()
        self._published: set[int] | None = None

    # -- loading -------------------------------------------------------------------

    def load(self, first_year: int, last_year: int) -> None:
        """Make sure the exceptions of `first_year`…`last_year` are in memory (≤ 1 query)."""
        missing = [y for y in range(first_year, last_year + 1) if y not in self._years]
        if not missing:
            return
        rows = CalendarDay.objects.filter(
            date__gte=dt.date(missing[0], 1, 1), date__lte=dt.date(missing[-1], 12, 31)
        ).values_list("date", "is_workday")
        self._years.update(missing)
        for day, is_workday in rows:
            self._workday[day] = is_workday
        self._dates = sorted(self._workday)

    # -- questions -----------------------------------------------------------------

    def is_workday(self, day) -> bool:
        day = _as_date(day)
        self.load(day.year, day.year)
        return self._workday.get(day, _by_rule(day))

    def working_days_between(self, start, end) -> int:
        """Working days after `start` up to and including `end`; 0 when end <= start."""
        start, end = _as_date(start), _as_date(end)
        if end <= start:
            return 0
        self.load(start.year, end.year)
        count = _weekdays_through(end) - _weekdays_through(start)
        lo = bisect.bisect_right(self._dates, start)
        hi = bisect.bisect_right(self._dates, end)
        for day in self._dates[lo:hi]:
            is_workday = self._workday[day]
            if is_workday != _by_rule(day):
                count += 1 if is_workday else -1
        return count

    def add_working_days(self, start, n: int) -> dt.date:
        """The n-th working day after `start` (the deadline); `start` itself when n is 0."""
        start = _as_date(start)
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        # Working days are about 68% of all days; twice n plus a month covers the longest
        # holiday, so the loop below never needs another query in practice.
        try:
            self.load(start.year, (start + dt.timedelta(days=2 * n + 31)).year)
        except OverflowError:
            self.load(start.year, dt.MAXYEAR)
        day = start
        while n:
            day += ONE_DAY
            if day.year not in self._years:
                self.load(day.year, day.year + 1)
            if self._workday.get(day, _by_rule(day)):
                n -= 1
        return day

    def unpublished_years(self, start, end=None) -> list[int]:
        """Years of start…end (either order) whose schedule is not published; the
        published years are read once per WorkCalendar (1 query)."""
        if self._published is None:
            self._published = set(
                CalendarYear.objects.filter(published=True).values_list("year", flat=True)
            )
        first, last = _year_span(start, end)
        return [y for y in range(first, last + 1) if y not in self._published]

    def estimated(self, start, end=None) -> bool:
        return bool(self.unpublished_years(start, end))

    def estimate_note(self, start, end=None) -> str:
        return estimate_message(self.unpublished_years(start, end))


def _year_span(start, end):
    first = _as_date(start).year
    last = _as_date(end).year if end is not None else first
    return min(first, last), max(first, last)


# ---------------------------------------------------------------------------
# One question, one query


def is_workday(day) -> bool:
    return WorkCalendar().is_workday(day)


def working_days_between(start, end) -> int:
    """Working days after `start` up to and including `end` (0 if end <= start): the
    elapsed working days of a task started on `start`."""
    return WorkCalendar().working_days_between(start, end)


def add_working_days(start, n: int) -> dt.date:
    """The deadline `n` working days after `start`."""
    return WorkCalendar().add_working_days(start, n)


def unpublished_years(start, end=None) -> list[int]:
    """Years from start to end (either order) whose State Council schedule is not published."""
    first, last = _year_span(start, end)
    published = set(
        CalendarYear.objects.filter(year__gte=first, year__lte=last, published=True).values_list(
            "year", flat=True
        )
    )
    return [y for y in range(first, last + 1) if y not in published]


def estimated(start, end=None) -> bool:
    """True when a year in the range has no published schedule (counted Monday–Friday)."""
    return bool(unpublished_years(start, end))


def estimate_note(start, end=None) -> str:
    """The notice to show beside a deadline in an unpublished year, or ""."""
    return estimate_message(unpublished_years(start, end))


def estimate_message(years) -> str:
    """ "按周一至周五估算：2027年节假日安排尚未发布" for the given unpublished years."""
    if not years:
        return ""
    return _("按周一至周五估算：%(years)s年节假日安排尚未发布") % {
        "years": "、".join(str(y) for y in years)
    }
