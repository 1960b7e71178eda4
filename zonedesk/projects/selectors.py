"""Scoped reads of projects and the cockpit's aggregates, each figure from formulas.py."""

import datetime
from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from zonedesk.orgs.models import Org, Role
from zonedesk.orgs.selectors import STAFF_ROLES, roles_of, scope_q

from . import formulas
from .models import ProgressReport, Project, YearPlan, ZoneSettings

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


def totals(qs):
    # Aliases differ from the annotations they sum: Django would otherwise shadow them.
    t = qs.aggregate(
        n=Count("pk"),
        total_sum=Sum("total_investment"),
        plan_sum=Sum("plan"),
        ytd_sum=Sum("ytd"),
        month_sum=Sum("month_invested"),
    )
    return {
        "count": t["n"],
        **{k: formulas.money(t[f"{k}_sum"] or ZERO) for k in ("total", "plan", "ytd", "month")},
    }


def page_rows(qs):
    return qs.select_related("org", "park", "leader", "unit", "team", "enterprise")


def project_with_figures(user, pk, year, month):
    return page_rows(formulas.with_figures(projects_for(user), year, month)).get(pk=pk)


def cockpit(user, year, month, group_by_zone=False):
    """The cockpit's figures for the user's scope, in total and per zone.

    Each figure is one grouped query (by zone), so a county or city leader's side-by-side
    view and the single-zone view cost the same number of queries, whatever the data size.
    """
    base = projects_for(user).exclude(stage=Project.Stage.CANCELLED)
    period_end = formulas.next_month(datetime.date(year, month, 1))
    in_plan = base.filter(Exists(YearPlan.objects.filter(project=OuterRef("pk"), year=year)))
    resumed = Exists(
        ProgressReport.objects.filter(
            project=OuterRef("pk"),
            period__gte=datetime.date(year, 1, 1),
            period__lt=period_end,
            invested__gt=0,
        )
    )
    started_new = Q(started_on__isnull=False, started_on__lt=period_end) & ~Q(
        nature=Project.Nature.CONTINUING
    )
    plan_counts = (
        in_plan.annotate(resumed=resumed)
        .values("org")
        .annotate(
            planned=Count("pk"),
            planned_new=Count("pk", filter=~Q(nature=Project.Nature.CONTINUING)),
            started_new=Count("pk", filter=started_new),
            continuing=Count("pk", filter=Q(nature=Project.Nature.CONTINUING)),
            resumed=Count("pk", filter=Q(nature=Project.Nature.CONTINUING, resumed=True)),
        )
    )
    # Grouped by colour rather than counted with two filters: each filter would repeat the
    # warning's subqueries for every project.
    figures = (
        formulas.with_figures(base, year, month)
        .values("org", "warning")
        .annotate(
            n=Count("pk"),
            plan_sum=Sum("plan"),
            # 投资完成率 sets this year's investment against the plan: only planned projects.
            ytd_sum=Sum("ytd", filter=Q(plan__isnull=False)),
        )
    )
    stages = base.values("org", "stage").annotate(n=Count("pk"), investment=Sum("total_investment"))
    late = late_reports(user, year, month)

    zones = defaultdict(lambda: defaultdict(int))
    for row in plan_counts:
        zones[row["org"]].update({k: v for k, v in row.items() if k != "org"})
    for row in figures:
        z = zones[row["org"]]
        if row["warning"] in ("red", "yellow"):
            z[row["warning"]] += row["n"]
        z["plan"] += row["plan_sum"] or ZERO
        z["ytd"] += row["ytd_sum"] or ZERO
    for row in stages:
        z = zones[row["org"]]
        z[f"n_{row['stage']}"] += row["n"]
        z[f"inv_{row['stage']}"] += row["investment"] or ZERO
        z["projects"] += row["n"]
        z["investment"] += row["investment"] or ZERO
    for org_id, n in late.items():
        zones[org_id]["late"] = n

    total = defaultdict(int)
    for z in zones.values():
        for k, v in z.items():
            total[k] += v
    result = {"total": _rates(total, month)}
    if group_by_zone:
        names = dict(Org.objects.filter(pk__in=zones).values_list("pk", "name"))
        result["zones"] = sorted(
            ({"org_id": pk, "name": names[pk], **_rates(z, month)} for pk, z in zones.items()),
            key=lambda z: z["name"],
        )
    return result


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
    projects = projects_for(user).filter(
        stage=Project.Stage.STARTED, started_on__lt=formulas.next_month(period)
    )
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
        if today > formulas.deadline(period, day):
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
