"""The working-day calendar pages: admins only."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zonedesk.web.forms import act, run

from . import services
from .calendar import estimate_message
from .forms import DayForm, ImportForm
from .models import CalendarDay, CalendarYear

WEEKDAYS = [
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
]


def _require_admin(user):
    if not services.can_edit_calendar(user):
        raise PermissionDenied


def _check_year(year):
    if not services.FIRST_YEAR <= year <= services.LAST_YEAR:
        raise Http404


def _weekdays_in(year):
    """Mondays to Fridays of a year."""
    first, days = dt.date(year, 1, 1), 366 if _leap(year) else 365
    return sum(1 for i in range(days) if (first.weekday() + i) % 7 < 5)


def _leap(year):
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


@login_required
def years(request):
    _require_admin(request.user)
    rows = {y.year: y for y in CalendarYear.objects.all()}
    counts = {}
    per_year = (
        CalendarDay.objects.annotate(y=ExtractYear("date"))
        .values_list("y", "is_workday")
        .annotate(n=Count("id"))
        .order_by()
    )
    for year, is_workday, n in per_year:
        counts[year, is_workday] = n
    this_year = timezone.localdate().year
    shown = []
    for year in sorted(rows.keys() | {this_year, this_year + 1}, reverse=True):
        holidays, workdays = counts.get((year, False), 0), counts.get((year, True), 0)
        shown.append(
            {
                "year": year,
                "row": rows.get(year),
                "published": year in rows and rows[year].published,
                "holidays": holidays,
                "workdays": workdays,
                "total": _weekdays_in(year) - holidays + workdays,
            }
        )
    return render(request, "catalog/calendar_years.html", {"years": shown})


def _year_page(request, year, day_form=None, import_form=None, status=200):
    row = CalendarYear.objects.filter(year=year).first()
    days = list(CalendarDay.objects.filter(date__year=year))
    for d in days:
        d.weekday_label = WEEKDAYS[d.date.weekday()]
        d.rule_kind = "1" if d.date.weekday() < 5 else "0"
    holidays = sum(1 for d in days if not d.is_workday)
    published = bool(row and row.published)
    ctx = {
        "year": year,
        "row": row,
        "published": published,
        "note": "" if published else estimate_message([year]),
        "days": days,
        "holidays": holidays,
        "workdays": len(days) - holidays,
        "total": _weekdays_in(year) - holidays + (len(days) - holidays),
        "day_form": day_form or DayForm(initial={"is_workday": "0"}),
        "import_form": import_form or ImportForm(),
        "previous": year - 1 if year > services.FIRST_YEAR else None,
        "next": year + 1 if year < services.LAST_YEAR else None,
    }
    return render(request, "catalog/calendar_year.html", ctx, status=status)


@login_required
def year_detail(request, year):
    _require_admin(request.user)
    _check_year(year)
    return _year_page(request, year)


@login_required
@require_POST
def set_day(request, year):
    _require_admin(request.user)
    _check_year(year)
    form = DayForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        done = run(
            form,
            lambda: services.set_day(request.user, d["date"], d["is_workday"], d["name"]) or True,
        )
        if done:
            messages.success(request, _("已保存%(date)s的安排") % {"date": d["date"].isoformat()})
            return redirect("catalog:calendar_year", year=d["date"].year)
    return _year_page(request, year, day_form=form, status=400)


@login_required
@require_POST
def import_schedule(request, year):
    _require_admin(request.user)
    _check_year(year)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        done = run(
            form,
            lambda: services.import_year(request.user, year, d["rows"], first_row=d["first_row"]),
        )
        if done:
            messages.success(request, _("已导入%(year)d年节假日安排") % {"year": year})
            return redirect("catalog:calendar_year", year=year)
    return _year_page(request, year, import_form=form, status=400)


@login_required
@require_POST
def set_published(request, year):
    _require_admin(request.user)
    _check_year(year)
    published = request.POST.get("published") == "1"
    act(
        request,
        lambda: services.set_published(request.user, year, published),
        _("已标记为已发布") if published else _("已标记为未发布，按周一至周五估算"),
    )
    return redirect("catalog:calendar_year", year=year)
