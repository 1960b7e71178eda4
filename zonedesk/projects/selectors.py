"""Scoped reads of projects and the cockpit's aggregates, each figure from formulas.py."""

import datetime
import threading
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, NullIf, RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.audit.models import PeriodLock
from zonedesk.catalog import calendar
from zonedesk.common.cache import remembered
from zonedesk.enterprises.models import Enterprise
from zonedesk.orgs.models import Org, Role, Unit, User
from zonedesk.orgs.selectors import STAFF_ROLES, roles_of, scope_q

from . import formulas
from .models import ProgressReport, Project, ZoneSettings

ZERO = Decimal("0.00")
NON_CONTINUING = "noncontinuing"  # 开工率's denominator: 新建, 扩建 and 技改 together


def projects_for(user):
    """Staff see the projects of their scope; unit staff those their unit serves; an
    enterprise contact its enterprise's projects."""
    return Project.objects.filter(projects_q(user))


def projects_q(user):
    """The filter of `projects_for`."""
    held = roles_of(user)
    units = [r.unit_id for r in held if r.role == Role.Name.UNIT]
    own = [r.enterprise_id for r in held if r.role == Role.Name.ENTERPRISE]
    q = scope_q(user, roles=STAFF_ROLES - {Role.Name.UNIT})
    if units:
        q |= Q(unit_id__in=units) | Q(agent_unit_id__in=units)
    if own:
        q |= Q(enterprise_id__in=own)
    return q


def chains(user):
    """The chain names of the user's projects, for the filter form on every list, board and
    cockpit request: a DISTINCT over the scope's projects, remembered per scope until a
    project is written (common.cache)."""
    projects, scope = _scope(user)

    def load():
        return list(
            projects.exclude(chain="").values_list("chain", flat=True).order_by("chain").distinct()
        )

    return remembered((Project,), ("chains", scope), load)


def default_period(today=None):
    """The latest month whose reports are due: last month (December of last year in January)."""
    today = today or timezone.localdate()
    first = today.replace(day=1) - datetime.timedelta(days=1)
    return first.year, first.month


def filtered(user, f, figures=True):
    """The project list for the filter `f` (a dict from ProjectFilter), with figures; without
    them (`figures=False`) unless the filter or the order needs them."""
    return _filter(projects_for(user), f, figures)


def _filter(qs, f, figures):
    if figures or f.get("warning") or f.get("in_plan") or f.get("sort") == "-ytd":
        qs = formulas.with_figures(qs, f["year"], f["month"])
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


# The 四库 board's columns; 竣工 projects sit with 投产 there.
BOARD_COLUMNS = {
    Project.Stage.RESERVE: [Project.Stage.RESERVE],
    Project.Stage.SIGNED: [Project.Stage.SIGNED],
    Project.Stage.STARTED: [Project.Stage.STARTED],
    Project.Stage.OPERATING: [Project.Stage.OPERATING, Project.Stage.COMPLETED],
}
BOARD_CARDS = 50


def board(user, f):
    """Each board column: its stage, the count and total investment of all its projects, and
    cards for the first BOARD_CARDS of them in the list's order — a province holds tens of
    thousands, more than anyone can use as cards. Three statements whatever the numbers."""
    f = {**f, "stage": ""}
    column_of = {s: col for col, stages in BOARD_COLUMNS.items() for s in stages}
    column = Case(*(When(stage=s, then=Value(c)) for s, c in column_of.items()))
    rows = _filter(projects_for(user), f, figures=False).filter(stage__in=column_of)
    sums = {col: {"count": 0, "total": ZERO} for col in BOARD_COLUMNS}
    for row in rows.order_by().values("stage").annotate(n=Count("pk"), t=Sum("total_investment")):
        col = sums[column_of[row["stage"]]]
        col["count"] += row["n"]
        col["total"] += row["t"] or ZERO
    # The first cards of each column picked without the figures, which only those few need.
    first = rows.annotate(
        place=Window(RowNumber(), partition_by=[column], order_by=rows.query.order_by)
    ).filter(place__lte=BOARD_CARDS)
    cards = defaultdict(list)
    for p in filtered(user, f).filter(pk__in=list(first.values_list("pk", flat=True))):
        cards[column_of[p.stage]].append(p)
    return [
        SimpleNamespace(stage=col, label=Project.Stage(col).label, cards=cards[col], **sums[col])
        for col in BOARD_COLUMNS
    ]


def totals(qs, year, month):
    """Count, total investment and plan of the list `qs`; its ytd and month investment in one
    pass over the reports of its projects (not a sum of per-project subqueries)."""
    return _totals(_run(_totals_statement(qs, year, month)))


def list_totals(user, f):
    """`totals` of the project list for the filter `f`, its statement compiled once per key."""

    def build(projects):
        return _totals_statement(_filter(projects, f, figures=False), f["year"], f["month"])

    return _totals(_run(_cached(user, ("totals", _filter_key(f)), build)))


def _totals_statement(qs, year, month):
    # Both aggregates in one statement; `values(g=…)` makes each a plain aggregate (one row,
    # even over no projects) that can be compiled without being run. Aliases differ from the
    # annotations they sum: Django would otherwise shadow them.
    if "plan" not in qs.query.annotations:
        qs = formulas.with_plan(qs, year)
    projects = (
        qs.order_by()
        .values(g=Value(1))
        .annotate(n=Count("pk"), total_sum=Sum("total_investment"), plan_sum=Sum("plan"))
        .values("n", "total_sum", "plan_sum")
    )
    reports = (
        ProgressReport.objects.filter(
            project__in=qs.order_by().values("pk"), **formulas.this_year(year, month)
        )
        .order_by()
        .values(g=Value(1))
        .annotate(
            ytd_sum=Sum("invested"),
            month_sum=Sum("invested", filter=Q(period=datetime.date(year, month, 1))),
        )
        .values("ytd_sum", "month_sum")
    )
    first, second = _compiled(projects), _compiled(reports)
    if first is None:  # a scope that holds nothing
        return None
    if second is None:
        second = ("SELECT NULL, NULL", (), ["ytd_sum", "month_sum"])
    return (
        f"SELECT * FROM ({first[0]}) a, ({second[0]}) b",
        (*first[1], *second[1]),
        [*first[2], *second[2]],
    )


def _totals(rows):
    t = rows[0] if rows else {}
    return {
        "count": t.get("n") or 0,
        **{k: formulas.money(t.get(f"{k}_sum") or ZERO) for k in ("total", "plan", "ytd", "month")},
    }


class ListRows:
    """The list's rows for a Paginator: its length is the totals' count, and a slice is one
    statement (compiled once per key) returning that page's rows, the figures and names
    the page shows as attributes."""

    def __init__(self, user, f, count):
        self.user, self.f, self.count_ = user, f, count

    def __len__(self):
        return self.count_

    def __getitem__(self, page):
        def build(projects):
            return _page_statement(_filter(projects, self.f, figures=False), self.f, page)

        key = ("page", _filter_key(self.f), page.start, page.stop)
        return [_list_row(row, self.f) for row in _run(_cached(self.user, key, build))]


def _name(model, field, name=None):
    # A subquery per name, not a join: with four more joins PostgreSQL passes its limit on
    # reordering joins (join_collapse_limit) and joins every project before picking the page.
    return Subquery(model.objects.filter(pk=OuterRef(field)).order_by().values(n=name or F("name")))


# What a row of the list shows beside the project's own columns and figures.
_NAMES = {
    "zone": _name(Org, "org"),
    "park_name": _name(Org, "park"),
    "enterprise_name": _name(Enterprise, "enterprise"),
    "unit_name": _name(Unit, "unit"),
    "leader_name": _name(User, "leader", Coalesce(NullIf("name", Value("")), "username")),
}
_ROW = [
    "pk",
    "name",
    "stage",
    "is_provincial",
    "is_double_hundred",
    "total_investment",
    "started_on",
]
# In the order `with_figures` annotates them, the order `_compiled` names the columns in.
_ROW_FIGURES = ["plan", "planned_start_month", "ytd", "warning"]


def _page_statement(qs, f, page):
    """The page's projects first (the filter's order and limit, no figures unless the filter
    or the order needs them), then the figures and names of those projects only: computed for
    every project of the scope before sorting, they cost a zone ten times the page's."""
    order = qs.query.order_by
    ids = qs.values("pk")[page]
    rows = formulas.with_figures(Project.objects.filter(pk__in=ids), f["year"], f["month"])
    rows = rows.annotate(**_NAMES).order_by(*order)
    return _compiled(rows.values(*_ROW, *_ROW_FIGURES, *_NAMES))


def _list_row(row, f):
    for key in ("total_investment", "plan", "ytd"):
        row[key] = formulas.money(row[key])
    if isinstance(row["started_on"], str):  # SQLite's raw cursor returns dates as text
        row["started_on"] = datetime.date.fromisoformat(row["started_on"])
    row["stage_label"] = Project.Stage(row["stage"]).label
    row = SimpleNamespace(**row)
    row.reason = formulas.warning_reason(row, f["year"], f["month"])
    return row


def _filter_key(f):
    """A filter as part of a statement's key: records by their key, values as they are."""
    return tuple(sorted((k, getattr(v, "pk", v)) for k, v in f.items()))


# Compiled statements: (sql, params, column names) by key, the oldest dropped beyond the bound;
# and how many this process has compiled.
_statements, _STATEMENTS_MAX = {}, 512
_statements_lock = threading.Lock()
_compilations = 0


def scope_key(projects):
    """The scope filter of `projects` (a filter of Project, as `projects_for` returns) as part
    of a statement's key: its joins and condition with their parameters, compiled for this
    database; None if it matches nothing. Whatever the scoping reads of the user, the key
    follows it: two users share a key only if their scopes are the same SQL."""
    query = projects.query
    compiler = query.get_compiler(connection=connection)
    try:
        condition, params = compiler.compile(query.where)
    except EmptyResultSet:
        return None
    except FullResultSet:  # a superuser's
        condition, params = "", ()
    joins, join_params = compiler.get_from_clause()
    return connection.vendor, tuple(joins), condition, (*join_params, *params)


def _scope(user):
    """The user's projects and their `scope_key`, once per loading of the user's roles (once
    per request, as they are): the list's totals and page share them. The statements are
    built from `Project.objects.filter(…)` itself, so the key holds all they read of the user."""
    roles = roles_of(user)
    held = getattr(user, "_zd_projects", None)
    if held is None or held[0] is not roles:
        projects = Project.objects.filter(projects_q(user))
        held = user._zd_projects = roles, projects, scope_key(projects)
    return held[1:]


def _cached(user, key, build):
    """The statement `build(projects)` compiles from the user's scoped queryset, compiled once
    per scope and `key` (the rest of what it is built from: filter, period, page). Building
    and compiling the figures' querysets costs a zone several times what the database takes
    to answer them (docs/performance.md). `build` sees the user only through `projects`,
    whose SQL is part of the key, so a statement is a function of its key, never of the data:
    a reused one returns what a freshly compiled one would."""
    global _compilations
    projects, scope = _scope(user)
    key = (scope, *key)
    with _statements_lock:
        if key in _statements:
            return _statements[key]
    statement = build(projects)
    with _statements_lock:
        while len(_statements) >= _STATEMENTS_MAX:
            del _statements[next(iter(_statements))]
        _statements[key] = statement
        _compilations += 1
    return statement


def compilations():
    """How many statements this process has compiled so far; a reused one is not counted."""
    return _compilations


def forget_statements():
    """Drop every compiled statement: the next read of each key compiles its own again."""
    with _statements_lock:
        _statements.clear()


def _compiled(qs):
    """A values() queryset as (sql, params, column names), or None if it can match nothing."""
    q = qs.query
    try:
        sql, params = q.sql_with_params()
    except EmptyResultSet:
        return None
    return sql, params, [*q.extra_select, *q.values_select, *q.annotation_select]


def _run(statement):
    """The rows of a compiled statement as dicts (no rows for a statement of nothing)."""
    if statement is None:
        return []
    sql, params, names = statement
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


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

    One statement (COCKPIT): each project's figures computed once, then summed per zone,
    stage and colour. A county or city leader's side-by-side view costs what one zone's
    does, whatever the size.
    """
    period = datetime.date(year, month, 1)
    rows = _cockpit_rows(user, year, month)
    today = timezone.localdate()
    work = calendar.WorkCalendar()
    zones, names = defaultdict(lambda: defaultdict(int)), {}
    for figures in rows:
        org_id, stage, warning, report_day, shift = (figures.pop(k) for k in _KEYS)
        names[org_id] = figures.pop("name")
        z = zones[org_id]
        missing = figures.pop("missing")
        if missing and today > formulas.deadline(period, report_day, shift, work):
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


_KEYS = ["org", "stage", "warning", "report_day", "shift"]


def _cockpit_rows(user, year, month):
    """Per zone, stage and colour: the keys, the zone's name and the sums of `_SUMMED`."""
    key = ("cockpit", year, month)
    return _run(_cached(user, key, lambda projects: _cockpit_statement(projects, year, month)))


# Per zone, stage, colour and report day: the count, the sums the cockpit shows and the
# figures its rates count, each project's figures computed once: this year's reports summed
# per project before they meet the projects, as a database does best with a million of them.
COCKPIT = """
SELECT f.org_id, f.stage, f.warning, f.report_day, f.shift, o.name, COUNT(*),
    SUM(f.total_investment), SUM(f.in_plan), SUM(f.in_plan * (1 - f.cont)),
    SUM(f.in_plan * (1 - f.cont) * f.started),
    SUM(f.in_plan * f.cont), SUM(f.in_plan * f.cont * f.resumed), SUM(f.plan),
    SUM(f.in_plan * f.ytd), SUM(f.due * f.filed_late), SUM(f.due * (1 - f.filed))
FROM (
    SELECT p.org_id, p.stage, p.total_investment, yp.planned_investment AS plan,
        {warning} AS warning, COALESCE(z.report_day, {report_day}) AS report_day,
        COALESCE(z.shift_deadline, {shift}) AS shift,
        CASE WHEN yp.id IS NULL THEN 0 ELSE 1 END AS in_plan,
        CASE WHEN p.nature = {continuing} THEN 1 ELSE 0 END AS cont,
        CASE WHEN p.started_on < {end} THEN 1 ELSE 0 END AS started,
        CASE WHEN p.stage = {under_construction} AND p.started_on < {end} THEN 1 ELSE 0 END
            AS due,
        COALESCE(r.ytd, 0) AS ytd, COALESCE(r.resumed, 0) AS resumed,
        COALESCE(r.filed, 0) AS filed, COALESCE(r.filed_late, 0) AS filed_late
    FROM ({projects}) p
    LEFT JOIN projects_yearplan yp ON yp.project_id = p.id AND yp.year = {year}
    LEFT JOIN projects_zonesettings z ON z.org_id = p.org_id
    LEFT JOIN (
        SELECT project_id, SUM(invested) AS ytd,
            MAX(CASE WHEN invested > 0 THEN 1 ELSE 0 END) AS resumed,
            MAX(CASE WHEN period = {period} THEN 1 ELSE 0 END) AS filed,
            MAX(CASE WHEN period = {period} AND is_late THEN 1 ELSE 0 END) AS filed_late
        FROM projects_progressreport
        WHERE project_id IN (SELECT s.id FROM ({projects}) s)
            AND period >= {jan} AND period < {end}
        GROUP BY project_id
    ) r ON r.project_id = p.id
) f JOIN orgs_org o ON o.id = f.org_id
GROUP BY f.org_id, f.stage, f.warning, f.report_day, f.shift, o.name"""


def _cockpit_statement(projects, year, month):
    """COCKPIT over `projects` (the user's scope from `projects_for`, compiled into the
    statement), with formulas.WARNING over its columns."""
    scoped = (
        projects.exclude(stage=Project.Stage.CANCELLED)
        .order_by()
        .values("id", "org_id", "stage", "nature", "started_on", "total_investment")
    )
    projects = _compiled(scoped)
    if projects is None:  # a scope that holds nothing
        return None
    setting = lambda name: f"COALESCE(z.{name}, {formulas.DEFAULTS[name]})"  # noqa: E731
    warning = formulas.warning_sql(
        year,
        month,
        stage="p.stage",
        started_on="p.started_on",
        psm="yp.planned_start_month",
        plan="yp.planned_investment",
        ytd="COALESCE(r.ytd, 0)",
        **{name: setting(name) for name in ("red_start_delay", "red_gap", "yellow_gap")},
    )
    value = lambda v: ("%s", [v])  # noqa: E731
    sql, params = formulas.fill(
        COCKPIT,
        {
            "projects": projects[:2],
            "warning": warning,
            "report_day": value(formulas.DEFAULTS["report_day"]),
            "shift": value(formulas.DEFAULTS["shift_deadline"]),
            "continuing": value(Project.Nature.CONTINUING.value),
            "under_construction": value(Project.Stage.STARTED.value),
            "year": value(year),
            "jan": value(datetime.date(year, 1, 1)),
            "period": value(datetime.date(year, month, 1)),
            "end": value(formulas.month_end(year, month)),
        },
    )
    return sql, params, [*_KEYS, "name", *_SUMMED]


def _due(end):
    """Projects whose report of the month before `end` is due: under construction by then."""
    return Q(stage=Project.Stage.STARTED, started_on__lt=end)


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
    settings = {
        s.org_id: s for s in ZoneSettings.objects.filter(org__in=[r["org"] for r in missing])
    }
    work = calendar.WorkCalendar()
    for row in missing:
        if today > formulas.zone_deadline(settings.get(row["org"]), period, work):
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


def investment_curve(reports, plan, year, month):
    """A project's investment curve for `year` from its reports (any order, any years): the
    cumulative actual through `month`, one point per month, and the plan spread evenly over
    the twelve months (the year plan at 时序进度), or none without a plan."""
    by_month = {r.period.month: r.invested for r in reports if r.period.year == year}
    done, actual = ZERO, []
    for m in range(1, month + 1):
        done += by_month.get(m, ZERO)
        actual.append({"month": m, "value": formulas.money(done), "filed": m in by_month})
    spread = [formulas.money(plan * m / 12) for m in range(1, 13)] if plan else []
    return actual, spread


def charts(user, year, month):
    """The cockpit's charts as rows of (label, 万元, the list filter behind the bar), which the
    page and the period documents both draw: this year's reported investment by month, and
    through `month` by chain and by park (the ten largest)."""

    def money(v):
        return formulas.money(v or ZERO)

    return {
        "by_month": [
            (_("{}月").format(m), money(v), {"month": m, "sort": "-ytd"})
            for m, v in monthly_investment(user, year, month)
        ],
        "by_chain": [
            (c or _("未分类"), money(v), {"chain": c} if c else None)
            for c, v in investment_by(user, year, month, "chain")[:10]
        ],
        "by_park": [
            (name or _("未分园区"), money(v), {"park": pk} if pk else None)
            for pk, name, v in investment_by(user, year, month, "park", "park__name")[:10]
        ],
    }


def investment_by(user, year, month, *fields):
    """Year-to-date investment through `month`, grouped by project fields (chain; or park and
    its name), largest first: (each field's value…, total) per group."""
    keys = [f"project__{field}" for field in fields]
    rows = (
        ProgressReport.objects.filter(
            project__in=projects_for(user),
            period__gte=datetime.date(year, 1, 1),
            period__lt=formulas.next_month(datetime.date(year, month, 1)),
        )
        .values(*keys)
        .annotate(total=Sum("invested"))
        .order_by("-total", *keys)
    )
    return [(*(r[k] for k in keys), r["total"]) for r in rows]


def monthly_completion(user, year, month):
    """投资完成率 month by month: per month of the year through `month`, the cumulative
    investment of the projects in the year plan (the cockpit's ytd at that month) and the
    rate against their plan (the cockpit's plan), with that month's 时序进度."""
    planned = projects_for(user).exclude(stage=Project.Stage.CANCELLED)
    planned = planned.filter(year_plans__year=year)
    plan = formulas.money(planned.aggregate(t=Sum("year_plans__planned_investment"))["t"] or 0)
    rows = (
        ProgressReport.objects.filter(
            project__in=planned.values("pk"), **formulas.this_year(year, month)
        )
        .values("period__month")
        .annotate(total=Sum("invested"))
    )
    by_month = {r["period__month"]: r["total"] for r in rows}
    done, result = ZERO, []
    for m in range(1, month + 1):
        done = formulas.money(done + by_month.get(m, ZERO))
        result.append(
            {
                "month": m,
                "ytd": done,
                "completion": formulas.completion_rate(done, plan),
                "time_progress": formulas.time_progress(m),
            }
        )
    return result


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


# ---------------------------------------------------------------- home page cards
# Each card lists at most HOME_ROWS rows and says how many there are in all.
HOME_ROWS = 8


def home_reports_due(user):
    """月报待填报: the officer's projects whose latest report is missing."""
    due, period = reports_due(user)
    return {"reports_due": list(due), "due_period": period}


def warned(projects, year, month):
    """Red and yellow projects among `projects` for `month`: red first, each with its reason;
    and how many of each colour. Two queries."""
    qs = formulas.with_figures(projects, year, month).filter(warning__in=("red", "yellow"))
    counts = dict(qs.order_by().values_list("warning").annotate(n=Count("pk")))
    rows = list(qs.select_related("org").order_by("warning", "-total_investment", "pk")[:HOME_ROWS])
    for p in rows:
        p.reason = formulas.warning_reason(p, year, month)
    return {
        "rows": rows,
        "red": counts.get("red", 0),
        "yellow": counts.get("yellow", 0),
        "year": year,
        "month": month,
    }


def home_scope_warnings(user):
    """红黄灯项目 of the leader's scope."""
    return {"scope_warnings": warned(projects_for(user), *default_period())}


def home_my_warnings(user):
    """红黄灯项目 among the officer's task-force projects."""
    return {"my_warnings": warned(projects_for(user).filter(team__members=user), *default_period())}


def late_report_rows(user, year, month):
    """Projects under construction whose report of `month` is still missing past their zone's
    report day, in one query: the days whose deadline has passed are known beforehand."""
    period = datetime.date(year, month, 1)
    today = timezone.localdate()
    work = calendar.WorkCalendar()

    def passed(shift):
        return [d for d in range(1, 29) if today > formulas.deadline(period, d, shift, work)]

    def setting(field):
        zone = ZoneSettings.objects.filter(org=OuterRef("org")).values(field)[:1]
        return Coalesce(Subquery(zone), Value(formulas.DEFAULTS[field]))

    return (
        projects_for(user)
        .filter(_due(formulas.next_month(period)))
        .exclude(Exists(ProgressReport.objects.filter(project=OuterRef("pk"), period=period)))
        .alias(report_day=setting("report_day"), shift=setting("shift_deadline"))
        # A deadline moved off a holiday passes later than the same report day unmoved.
        .filter(
            Q(shift=True, report_day__in=passed(True))
            | Q(shift=False, report_day__in=passed(False))
        )
        .select_related("org")
        .order_by("org__name", "name")
    )


def home_late_reports(user):
    """逾期未报月报 of the leader's scope."""
    year, month = default_period()
    qs = late_report_rows(user, year, month)
    rows = list(qs[: HOME_ROWS + 1])
    return {
        "late_reports": rows[:HOME_ROWS],
        "late_more": len(rows) > HOME_ROWS,
        "late_period": datetime.date(year, month, 1),
    }


def home_key_figures(user):
    """本月主要指标: the cockpit's totals for the month against 时序进度."""
    year, month = default_period()
    return {"key_figures": cockpit(user, year, month)["total"], "key_period": (year, month)}


def home_zones(user):
    """各开发区对比: every zone beneath a city or province viewer, side by side."""
    year, month = default_period()
    zones = cockpit(user, year, month, group_by_zone=True)["zones"]
    return {"zone_figures": zones, "zones_period": (year, month)}


def home_periods(user):
    """月报周期: for each zone the statistician closes, the last two months: how many of the
    reports due are filed, and whether the month is closed. Four queries."""
    zones = list(
        Org.objects.filter(
            scope_q(user, field=None, roles={Role.Name.STATISTICIAN}), kind=Org.Kind.ZONE
        ).order_by("name")
    )
    year, month = default_period()
    last = datetime.date(year, month, 1)
    months = [last, (last - datetime.timedelta(days=1)).replace(day=1)]
    projects = Project.objects.filter(org__in=zones)
    due = {
        r["org"]: r
        for r in projects.filter(stage=Project.Stage.STARTED)
        .values("org")
        .annotate(
            **{
                f"due{i}": Count("pk", filter=Q(started_on__lt=formulas.next_month(m)))
                for i, m in enumerate(months)
            }
        )
    }
    filed = defaultdict(int)
    rows = (
        ProgressReport.objects.filter(project__in=projects, period__in=months)
        .values_list("project__org", "period")
        .annotate(n=Count("pk"))
    )
    for org, period, n in rows:
        filed[org, period] = n
    locked = set(
        PeriodLock.objects.filter(org__in=zones, period__in=months).values_list("org", "period")
    )
    periods = [
        {
            "zone": z,
            "period": m,
            "due": due.get(z.pk, {}).get(f"due{i}", 0),
            "filed": filed[z.pk, m],
            "locked": (z.pk, m) in locked,
        }
        for z in zones
        for i, m in enumerate(months)
    ]
    return {"periods": periods}
