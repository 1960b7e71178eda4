"""Scoped reads of projects and the cockpit's aggregates, each figure from formulas.py."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Count, Exists, F, Func, OuterRef, Q, Sum, Value, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone

from zonedesk.orgs.models import Org, Role
from zonedesk.orgs.selectors import STAFF_ROLES, roles_of, scope_q

from . import formulas
from .models import ProgressReport, Project, ZoneSettings

ZERO = Decimal("0.00")
NON_CONTINUING = "noncontinuing"  # 开工率's denominator: 新建, 扩建 and 技改 together


def projects_for(user):
    """Staff see the projects of their scope; unit staff those their unit serves; an
    enterprise contact its enterprise's projects."""
    held = roles_of(user)
    units = [r.unit_id for r in held if r.role == Role.Name.UNIT]
    own = [r.enterprise_id for r in held if r.role == Role.Name.ENTERPRISE]
    q = scope_q(user, roles=STAFF_ROLES - {Role.Name.UNIT})
    if units:
        q |= Q(unit_id__in=units) | Q(agent_unit_id__in=units)
    if own:
        q |= Q(enterprise_id__in=own)
    return Project.objects.filter(q)


def default_period(today=None):
    """The latest month whose reports are due: last month (December of last year in January)."""
    today = today or timezone.localdate()
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def filtered(user, f):
    """The project list for the filter `f` (a dict from ProjectFilter), with figures."""
    qs = formulas.with_figures(projects_for(user), f["year"], f["month"])
    exact = {
        "stage": "stage",
        "category": "category",
        "nature": "nature",
        "chain": "chain",
        "park": "park",
        "unit": "unit",
        "leader": "leader",
        "warning": "warning",
        "org": "org",
        "team": "team",
    }
    if not f.get("stage"):
        # Cancelled projects leave the lists, as they leave the cockpit, unless asked for.
        qs = qs.exclude(stage=Project.Stage.CANCELLED)
    if f.get("nature") == NON_CONTINUING:
        qs = qs.exclude(nature=Project.Nature.CONTINUING)
        f = {**f, "nature": ""}
    for key, field in exact.items():
        if f.get(key) not in (None, ""):
            qs = qs.filter(**{field: f[key]})
    if f.get("level"):
        qs = qs.filter(**{f["level"]: True})
    if f.get("in_plan"):
        qs = qs.filter(plan__isnull=False)
    if f.get("q"):
        q = f["q"].strip()
        qs = qs.filter(
            Q(name__icontains=q) | Q(project_code__icontains=q) | Q(enterprise__name__icontains=q)
        )
    return qs.order_by(f.get("sort") or "-total_investment", "pk")


def totals(qs, year, month):
    """Count, total investment and plan of the list `qs`; its ytd and month investment in one
    pass over the reports of its projects (not a sum of per-project subqueries)."""
    # Aliases differ from the annotations they sum: Django would otherwise shadow them.
    t = qs.aggregate(n=Count("pk"), total_sum=Sum("total_investment"), plan_sum=Sum("plan"))
    t |= ProgressReport.objects.filter(
        project__in=qs.values("pk"), **formulas.this_year(year, month)
    ).aggregate(
        ytd_sum=Sum("invested"),
        month_sum=Sum("invested", filter=Q(period=datetime.date(year, month, 1))),
    )
    return {
        "count": t["n"],
        **{k: formulas.money(t[f"{k}_sum"] or ZERO) for k in ("total", "plan", "ytd", "month")},
    }


RELATED = ("park", "leader", "unit", "team", "enterprise")


def page_rows(qs):
    """A list's rows: the zone by join (the scope has joined it already), the other relations
    by prefetch. With them joined too, PostgreSQL spent 60-150 ms planning the statement of a
    page (bench/: four more joins beside those of the figures); a prefetch costs under 1 ms."""
    return qs.select_related("org").prefetch_related(*RELATED)


def project_with_figures(user, pk, year, month):
    qs = formulas.with_figures(projects_for(user), year, month)
    return qs.select_related("org", *RELATED).get(pk=pk)


def cockpit(user, year, month, group_by_zone=False):
    """The cockpit's figures for the user's scope, in total and per zone.

    One statement: each project's figures computed once (formulas.year_figures, grouped by
    project), then summed per zone, stage and colour around it. The ORM cannot select from a
    subquery, so the outer sum is SQL; every rule stays in the ORM expressions inside. A
    county or city leader's side-by-side view costs what one zone's does, whatever the size.
    """
    period = datetime.date(year, month, 1)
    rows = _cockpit_rows(user, year, month)
    today = timezone.localdate()
    zones, names = defaultdict(lambda: defaultdict(int)), {}
    for row in rows:
        org_id, stage, warning, report_day, name = row[:5]
        names[org_id] = name
        z = zones[org_id]
        figures = dict(zip(_SUMMED, row[5:], strict=True))
        missing = figures.pop("missing")
        if _deadline_passed(period, report_day, today):
            z["late"] += missing
        z[f"n_{stage}"] += figures["projects"]
        z[f"inv_{stage}"] += formulas.money(figures["investment"] or ZERO)
        if warning in ("red", "yellow"):
            z[warning] += figures["projects"]
        for key, value in figures.items():
            z[key] += formulas.money(value or ZERO) if key in MONEYS else value or 0

    total = defaultdict(int)
    for z in zones.values():
        for k, v in z.items():
            total[k] += v
    result = {"total": _rates(total, month)}
    if group_by_zone:
        result["zones"] = sorted(
            ({"org_id": pk, "name": names[pk], **_rates(z, month)} for pk, z in zones.items()),
            key=lambda z: z["name"],
        )
    return result


# The per-project columns the cockpit sums, in the order of its statement.
_SUMMED = [
    "projects",
    "investment",
    "planned",
    "planned_new",
    "started_new",
    "continuing",
    "resumed",
    "plan",
    "ytd",
    "late",
    "missing",
]


def _cockpit_rows(user, year, month):
    """Per zone, stage and colour: the keys, then the sums of `_SUMMED`."""
    end = formulas.month_end(year, month)
    reports = formulas.YEAR_REPORTS
    one = lambda q: Case(When(q, then=Value(1)), default=Value(0))  # noqa: E731
    in_plan = Q(plan__isnull=False)
    continuing = Q(nature=Project.Nature.CONTINUING)
    filed = Q(**{f"{reports}__period": datetime.date(year, month, 1)})
    invested = Count(reports, filter=Q(**{f"{reports}__invested__gt": 0}))
    filed_late = Count(reports, filter=filed & Q(**{f"{reports}__is_late": True}))
    columns = {
        "org": F("org"),
        "stage": F("stage"),
        "warning": F("warning"),
        "report_day": Coalesce(
            F("org__project_settings__report_day"), Value(formulas.DEFAULTS["report_day"])
        ),
        "projects": Value(1),
        "investment": F("total_investment"),
        "planned": one(in_plan),
        "planned_new": one(in_plan & ~continuing),
        "started_new": one(in_plan & ~continuing & _started_by(end)),
        "continuing": one(in_plan & continuing),
        "resumed": one(in_plan & continuing & Q(GreaterThan(invested, 0))),
        "plan": F("plan"),
        "ytd": Case(When(in_plan, then=F("ytd")), default=Value(ZERO)),
        "late": one(_due(end) & Q(GreaterThan(filed_late, 0))),
        "missing": one(_due(end) & Q(Exact(Count(reports, filter=filed), 0))),
    }
    projects = projects_for(user).exclude(stage=Project.Stage.CANCELLED).order_by()
    inner = (
        formulas.year_figures(projects, year, month)
        .annotate(**{f"c_{k}": _PerProject(v) for k, v in columns.items()})
        .values(*(f"c_{k}" for k in columns))
    )
    # One row per project: grouped by its key, not by every column Django would list (SQLite
    # would sort every joined report row by all of them). SQLite, grouping by (zone, key),
    # reads the projects through the zone index in that order and sorts nothing; PostgreSQL
    # also wants the keys of the one-row joins (plan, settings) to accept their columns.
    if connection.vendor == "sqlite":
        keys = ["org", "pk"]
    else:
        keys = ["pk", f"{formulas.PLAN}__pk", "org__project_settings__pk"]
    inner.query.group_by = tuple(inner.query.resolve_ref(key) for key in keys)
    try:
        sql, params = inner.query.sql_with_params()
    except EmptyResultSet:  # a scope that holds nothing
        return []
    keys = ", ".join(f"f.c_{k}" for k in ("org", "stage", "warning", "report_day"))
    sums = ", ".join(f"SUM(f.c_{k})" for k in _SUMMED)
    zone = f"{Org._meta.db_table} o ON o.{Org._meta.pk.column} = f.c_org"
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {keys}, o.name, {sums} FROM ({sql}) f JOIN {zone} GROUP BY {keys}, o.name",
            params,
        )
        return cursor.fetchall()


class _PerProject(Func):
    """A value fixed by the project, its year plan and its zone's settings, whose keys the
    per-project statement groups by: nothing to add to GROUP BY."""

    template = "%(expressions)s"

    def get_group_by_cols(self):
        return []


def _started_by(end):
    return Q(started_on__isnull=False, started_on__lt=end)


def _due(end):
    """Projects whose report of the month before `end` is due: under construction by then."""
    return Q(stage=Project.Stage.STARTED, started_on__lt=end)


def _deadline_passed(period, report_day, today):
    return today > formulas.deadline(period, report_day)


COUNTS = [
    "planned",
    "planned_new",
    "started_new",
    "continuing",
    "resumed",
    "red",
    "yellow",
    "late",
    "projects",
] + [f"n_{s}" for s in Project.Stage.values]
MONEYS = ["plan", "ytd", "investment"] + [f"inv_{s}" for s in Project.Stage.values]


def _rates(z, month):
    z = {**dict.fromkeys(COUNTS, 0), **dict.fromkeys(MONEYS, ZERO), **z}
    z["start_rate"] = formulas.start_rate(z["started_new"], z["planned_new"])
    z["resume_rate"] = formulas.resume_rate(z["resumed"], z["continuing"])
    z["start_resume_rate"] = formulas.start_resume_rate(
        z["started_new"], z["resumed"], z["planned"]
    )
    z["completion"] = formulas.completion_rate(z["ytd"], z["plan"])
    z["time_progress"] = formulas.time_progress(month)
    return z


def late_reports(user, year, month):
    """Per zone: reports of `month` filed after the deadline, plus those still missing once
    the deadline has passed (projects under construction only)."""
    period = datetime.date(year, month, 1)
    today = timezone.localdate()
    projects = projects_for(user).filter(_due(formulas.next_month(period)))
    filed = ProgressReport.objects.filter(period=period, project__in=projects)
    counts = defaultdict(int)
    for row in filed.filter(is_late=True).values("project__org").annotate(n=Count("pk")):
        counts[row["project__org"]] += row["n"]
    missing = projects.exclude(Exists(filed.filter(project=OuterRef("pk"))))
    missing = list(missing.values("org").annotate(n=Count("pk")))
    days = dict(
        ZoneSettings.objects.filter(org__in=[r["org"] for r in missing]).values_list(
            "org", "report_day"
        )
    )
    for row in missing:
        day = days.get(row["org"], formulas.DEFAULTS["report_day"])
        if _deadline_passed(period, day, today):
            counts[row["org"]] += row["n"]
    return counts


def monthly_investment(user, year, month):
    rows = (
        ProgressReport.objects.filter(
            project__in=projects_for(user),
            period__gte=datetime.date(year, 1, 1),
            period__lt=formulas.next_month(datetime.date(year, month, 1)),
        )
        .values("period__month")
        .annotate(total=Sum("invested"))
    )
    by_month = {r["period__month"]: r["total"] for r in rows}
    return [(m, by_month.get(m, ZERO)) for m in range(1, month + 1)]


def investment_by(user, year, month, field):
    """Year-to-date investment through `month`, grouped by chain or park."""
    rows = (
        ProgressReport.objects.filter(
            project__in=projects_for(user),
            period__gte=datetime.date(year, 1, 1),
            period__lt=formulas.next_month(datetime.date(year, month, 1)),
        )
        .values(f"project__{field}")
        .annotate(total=Sum("invested"))
        .order_by("-total")
    )
    return [(r[f"project__{field}"], r["total"]) for r in rows]


def reports_due(user):
    """Projects of the user's task forces under construction whose latest report is missing."""
    year, month = default_period()
    period = datetime.date(year, month, 1)
    return (
        projects_for(user)
        .filter(team__members=user, stage=Project.Stage.STARTED)
        .exclude(Exists(ProgressReport.objects.filter(project=OuterRef("pk"), period=period)))
        .order_by("name")
    ), period
