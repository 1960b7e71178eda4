"""Scoped reads of appeals and the 以月答卷 report.

Who sees an appeal:
- readers of the zone (admin, leader, officer, viewer — at the zone or above): every appeal
  of their scope, whatever its unit (so an appeal whose unit was deactivated, or that was
  returned, stays in sight of the zone's leaders);
- users of a unit: the appeals routed to their unit now;
- an enterprise contact: its enterprise's appeals.
"""

import datetime

from django.db.models import Count, Exists, OuterRef, Q

from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.catalog.rates import rate
from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import NOBODY, role_names, scope_q

from .models import Appeal, AppealCategory, AppealStep
from .services import enterprise_ids, unit_ids

READERS = frozenset({Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER, Role.Name.VIEWER})
Status = Appeal.Status


def appeal_q(user):
    if user.is_superuser:
        return Q()
    q = scope_q(user, roles=READERS) if role_names(user) & READERS else NOBODY
    units, companies = unit_ids(user), enterprise_ids(user)
    if units:
        q |= Q(unit_id__in=units)
    if companies:
        q |= Q(enterprise_id__in=companies)
    return q


def appeals_for(user):
    return Appeal.objects.filter(appeal_q(user)).select_related(
        "org", "enterprise", "category", "unit"
    )


def is_reader(user):
    return user.is_superuser or bool(role_names(user) & READERS)


def may_use(user):
    """Does the user see any appeals page at all?"""
    return is_reader(user) or bool(unit_ids(user)) or bool(enterprise_ids(user))


def categories_for(user):
    """Categories of the zones the user sees appeals in (an enterprise: its own zone)."""
    if user.is_superuser:
        q = Q()
    else:
        q = scope_q(user, roles=READERS | {Role.Name.UNIT})
        companies = enterprise_ids(user)
        if companies:
            q |= Q(org__enterprises__in=companies) | Q(org__children__enterprises__in=companies)
    return AppealCategory.objects.filter(q).distinct().select_related("org", "unit", "leader")


def steps_of(appeal):
    return appeal.steps.select_related("actor").order_by("at", "pk")


# ---------------------------------------------------------------- the list's filters


def month_span(text):
    """ "2026-03" → (first day, first day of next month), or None."""
    try:
        first = datetime.date.fromisoformat(f"{text}-01")
    except (TypeError, ValueError):
        return None
    return first, _next_month(first)


def _next_month(day):
    return (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def filtered(user, f):
    """The list, its export and the API share these filters; every figure of the report
    links to the list with the filters that give exactly its rows."""
    qs = appeals_for(user)
    for key in ("status", "channel", "category", "enterprise", "level", "org"):
        if f.get(key):
            qs = qs.filter(**{key: f[key]})
    unit = str(f.get("unit") or "")
    if unit == "none":
        qs = qs.filter(unit__isnull=True)
    elif unit.isdigit():
        qs = qs.filter(unit=int(unit))
    if f.get("open"):
        qs = qs.filter(status__in=Appeal.OPEN)
    if f.get("overdue"):
        qs = qs.filter(status__in=Appeal.OPEN, level__gt=0)
    if f.get("mine"):
        qs = qs.filter(unit_id__in=unit_ids(user))
    if f.get("needs_unit"):
        qs = qs.filter(Q(unit__isnull=True) | Q(unit__is_active=False) | Q(status=Status.RETURNED))
    for key, field in (("received", "received_on"), ("closed", "closed_on"), ("rated", "rated_on")):
        span = month_span(f.get(key))
        if span:
            qs = qs.filter(**{f"{field}__gte": span[0], f"{field}__lt": span[1]})
    if f.get("on_time") in (True, "1", "yes"):
        qs = qs.filter(on_time=True)
    if f.get("satisfied") in (True, "1", "yes"):
        qs = qs.filter(rating__in=Appeal.GOOD)
    span = month_span(f.get("reopened"))
    if span:
        qs = qs.filter(
            Exists(
                AppealStep.objects.filter(
                    appeal=OuterRef("pk"),
                    action=AppealStep.Action.REOPEN,
                    on__gte=span[0],
                    on__lt=span[1],
                )
            )
        )
    span = month_span(f.get("open_at"))
    if span:
        qs = qs.filter(status__in=Appeal.OPEN, received_on__lt=span[1])
    if f.get("q"):
        q = f["q"].strip()
        qs = qs.filter(
            Q(title__icontains=q) | Q(description__icontains=q) | Q(enterprise__name__icontains=q)
        )
    return qs


# ---------------------------------------------------------------- 以月答卷


FIGURES = ["received", "closed", "on_time", "avg_days", "rated", "satisfaction", "reopened"]


def average(total, n, places=1):
    """total ÷ n rounded half up (rate() gives total × 100 ÷ (n × 100), exactly)."""
    return rate(total, n * 100, places) if n else None


def monthly_report(user, year, month):
    """One row per unit for the month, a row for appeals without a unit, and the total:
    received (受理日期 in the month), closed (办结日期 in the month), of those closed on
    time, their average working days from received to closed, the satisfaction rate of the
    answers rated in the month ((满意 + 基本满意) ÷ rated, half up to one place), and the
    appeals reopened in the month. Appeals count under the unit that holds them now.
    """
    first = datetime.date(year, month, 1)
    end = _next_month(first)
    key = f"{year:04d}-{month:02d}"
    qs = appeals_for(user)
    received = _by_unit(qs.filter(received_on__gte=first, received_on__lt=end))
    rated = _by_unit(
        qs.filter(rated_on__gte=first, rated_on__lt=end),
        good=Count("pk", filter=Q(rating__in=Appeal.GOOD)),
    )
    reopened = _by_unit(
        qs.filter(
            Exists(
                AppealStep.objects.filter(
                    appeal=OuterRef("pk"),
                    action=AppealStep.Action.REOPEN,
                    on__gte=first,
                    on__lt=end,
                )
            )
        )
    )
    closed_rows = list(
        qs.filter(closed_on__gte=first, closed_on__lt=end).values_list(
            "unit", "unit__name", "received_on", "closed_on", "on_time"
        )
    )
    cal = WorkCalendar()
    closed = {}
    for unit, name, start, done, on_time in closed_rows:
        c = closed.setdefault(unit, {"name": name, "n": 0, "on_time": 0, "days": 0})
        c["n"] += 1
        c["on_time"] += 1 if on_time else 0
        c["days"] += cal.working_days_between(start, done)
    names = {}
    for source in (received, rated, reopened, closed):
        for unit, r in source.items():
            names.setdefault(unit, r["name"])
    units = sorted((u for u in names if u is not None), key=lambda u: names[u])
    if None in names:
        units.append(None)
    rows = [_row(u, names[u], received, closed, rated, reopened) for u in units]
    total = _row(
        "",
        "",
        {"": {"n": sum(r["received"] for r in rows)}},
        {
            "": {
                "n": sum(r["closed"] for r in rows),
                "on_time": sum(r["on_time"] for r in rows),
                "days": sum(r["days"] for r in rows),
            }
        },
        {
            "": {
                "n": sum(r["rated"] for r in rows),
                "good": sum(r["good"] for r in rows),
            }
        },
        {"": {"n": sum(r["reopened"] for r in rows)}},
    )
    still_open = (
        qs.filter(status__in=Appeal.OPEN, received_on__lt=end)
        .order_by("deadline", "pk")
        .select_related("enterprise", "unit", "category")
    )
    return {
        "key": key,
        "first": first,
        "end": end,
        "rows": rows,
        "total": total,
        "open": still_open,
    }


def _by_unit(qs, **extra):
    return {
        r["unit"]: {"name": r["unit__name"], **r}
        for r in qs.values("unit", "unit__name").annotate(n=Count("pk"), **extra).order_by()
    }


def _row(unit, name, received, closed, rated, reopened):
    c = closed.get(unit, {})
    r = rated.get(unit, {})
    n_closed, n_rated = c.get("n", 0), r.get("n", 0)
    return {
        "unit": unit,
        "unit_param": "none" if unit is None else unit,
        "name": name,
        "received": received.get(unit, {}).get("n", 0),
        "closed": n_closed,
        "on_time": c.get("on_time", 0),
        "days": c.get("days", 0),
        "avg_days": average(c.get("days", 0), n_closed),
        "rated": n_rated,
        "good": r.get("good", 0),
        "satisfaction": rate(r.get("good", 0), n_rated, 1) if n_rated else None,
        "reopened": reopened.get(unit, {}).get("n", 0),
    }
