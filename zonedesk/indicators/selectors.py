"""Scoped reads of indicators and the figures of the 经济运行 page and the ranking table.

`table(parent, year, months)` is the one computation behind both: every org of `parent`'s
subtree, every active indicator, this year and last, in a fixed number of statements
whatever the tree's size — values entered (one statement), targets (one), and each kind of
derived figure (one each) — then rolled up the tree in Python: an org's own entered value
stands; an org without one takes the sum of its children's only where the indicator rolls
up by sum; derived figures are always summed from the rows beneath (开复工率 from its counts,
never from its children's rates).
"""

import datetime
from collections import defaultdict, namedtuple
from decimal import Decimal

from django.db.models import CharField, Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Cast, ExtractMonth, ExtractYear

from zonedesk.catalog.rates import rate
from zonedesk.leads.models import Lead
from zonedesk.orgs.models import Org, Role
from zonedesk.orgs.selectors import STAFF_ROLES, has_role_over, orgs_for, role_names, scope_q
from zonedesk.projects.models import ProgressReport, Project

from . import figures
from .models import Indicator, IndicatorTarget, IndicatorValue, Period

READERS = STAFF_ROLES - {Role.Name.UNIT}
WRITERS = frozenset({Role.Name.STATISTICIAN, Role.Name.ADMIN})
APPROVERS = frozenset({Role.Name.LEADER, Role.Name.ADMIN})
D = Indicator.Derivation
CENT, TENTH = Decimal("0.01"), Decimal("0.1")
SCOPE_WORDS = {
    Org.Kind.PROVINCE: "全省",
    Org.Kind.CITY: "全市",
    Org.Kind.COUNTY: "全县",
    Org.Kind.ZONE: "全区",
    Org.Kind.PARK: "全园",
}


def is_reader(user):
    return user.is_superuser or bool(role_names(user) & READERS)


def can_write(user, org):
    return has_role_over(user, org, WRITERS)


def can_approve(user, org):
    return has_role_over(user, org, APPROVERS)


def readable_orgs(user):
    return orgs_for(user).filter(
        scope_q(user, field=None, roles=READERS), kind__in=list(SCOPE_WORDS)
    )


def writable_orgs(user):
    return orgs_for(user).filter(scope_q(user, field=None, roles=WRITERS))


def target_orgs(user):
    return orgs_for(user).filter(scope_q(user, field=None, roles=WRITERS | APPROVERS))


def values_for(user):
    """Indicator values of the orgs in the user's scope (the 变更记录's scope too)."""
    return IndicatorValue.objects.filter(scope_q(user, roles=READERS)).select_related(
        "org", "indicator"
    )


def targets_for(user):
    return IndicatorTarget.objects.filter(scope_q(user, roles=READERS)).select_related(
        "org", "indicator"
    )


def periods_for(user):
    return Period.objects.filter(scope_q(user, roles=READERS)).select_related("org")


def active():
    return list(Indicator.objects.filter(is_active=True))


def period_of(org, year, month):
    """The org's Period row, or an unsaved draft."""
    found = Period.objects.filter(org=org, year=year, month=month).first()
    return found or Period(org=org, year=year, month=month)


def latest_month(today):
    """The latest period whose figures are out: last month, never January alone (1—2月 is the
    first period of a year), December of last year in January and February."""
    last = today.replace(day=1) - datetime.timedelta(days=1)
    if last.month == 1:
        return last.year - 1, 12
    return last.year, last.month


# --- the table ------------------------------------------------------------------------------


Target = namedtuple("Target", "value growth")


def table(parent, year, months, indicators=None):
    """{(org_id, indicator_id, year, month): (value, reported growth)} for `parent` and every
    org beneath it, for `year` and the year before, rolled up the tree."""
    indicators = active() if indicators is None else indicators
    nodes = list(
        Org.objects.filter(path__startswith=parent.path, is_active=True)
        .order_by("path")
        .values_list("pk", "parent_id")
    )
    years, months = [year - 1, year], list(months)
    # The figures come as text and become Decimals here: SQLite hands decimals back as floats
    # that Django's converter rounds one by one, which cost four times the statement itself
    # for a province's 4,000 values (bench/indicators.py).
    rows = (
        IndicatorValue.objects.filter(org__in=_subtree(parent), year__in=years, month__in=months)
        .order_by()
        .values_list(
            "org_id",
            "indicator_id",
            "year",
            "month",
            Cast("value", CharField()),
            Cast("growth", CharField()),
        )
    )
    own = {(o, i, y, m): (_decimal(v, CENT), _decimal(g, TENTH)) for o, i, y, m, v, g in rows}
    derived = _derived(parent, indicators, years, months)
    children = defaultdict(list)
    for pk, parent_id in nodes:
        children[parent_id].append(pk)
    cells = {}
    for pk, _parent_id in reversed(nodes):  # children before their parent
        for ind in indicators:
            for y in years:
                for m in months:
                    cells[(pk, ind.pk, y, m)] = _cell(
                        pk, ind, (y, m), own, derived, cells, children[pk]
                    )
    for key, cell in cells.items():
        if isinstance(cell[0], tuple):  # 开复工率's counts become the rate at last
            cells[key] = (rate(*cell[0], places=figures.PLACES), None)
    return cells


def _decimal(text, places):
    return None if text is None else Decimal(text).quantize(places)


def _subtree(parent):
    """The orgs beneath `parent` as a subquery: `org IN (…)` lets the database walk the values'
    (org, indicator, year, month) index instead of probing each value's org by its path."""
    return Org.objects.filter(path__startswith=parent.path).values("pk")


def targets_of(orgs, year):
    """{(org_id, indicator_id): Target} of these orgs' year."""
    rows = IndicatorTarget.objects.filter(org__in=orgs, year=year).values_list(
        "org_id", "indicator_id", "value", "growth"
    )
    return {(o, i): Target(v, g) for o, i, v, g in rows}


def _cell(org_id, ind, period, own, derived, cells, kids):
    key = (org_id, ind.pk, *period)
    if ind.is_derived:
        parts = [derived.get(key)] + [cells[(k, ind.pk, *period)][0] for k in kids]
        return (_add(p for p in parts if p is not None), None)
    if key in own:
        return own[key]
    if ind.rollup == Indicator.Rollup.SUM:
        parts = [cells[(k, ind.pk, *period)][0] for k in kids]
        return (_add(p for p in parts if p is not None), None)
    return (None, None)


def _add(parts):
    """The sum of amounts, or of (numerator, denominator) pairs; None when there are none."""
    total = None
    for p in parts:
        if total is None:
            total = p
        elif isinstance(p, tuple):
            total = (total[0] + p[0], total[1] + p[1])
        else:
            total += p
    return total


def _derived(parent, indicators, years, months):
    """Derived figures of the records held at each org, {(org_id, ind_id, y, m): amount}."""
    wanted = {ind.derivation: ind.pk for ind in indicators if ind.is_derived}
    out = {}
    if D.PROJECT_INVESTMENT in wanted:
        rows = (
            ProgressReport.objects.filter(
                project__org__path__startswith=parent.path,
                period__year__in=years,
                period__month__lte=max(months),
            )
            .values_list("project__org_id", ExtractYear("period"), ExtractMonth("period"))
            .annotate(total=Sum("invested"))
            .order_by()
        )
        _cumulate(out, wanted[D.PROJECT_INVESTMENT], rows, months)
    if D.SIGNED_AMOUNT in wanted or D.SIGNED_COUNT in wanted:
        rows = list(
            Lead.objects.filter(
                org__path__startswith=parent.path,
                signed_on__year__in=years,
                signed_on__month__lte=max(months),
            )
            .values_list("org_id", ExtractYear("signed_on"), ExtractMonth("signed_on"))
            .annotate(amount=Sum("signed_amount"), n=Count("pk"))
            .order_by()
        )
        if D.SIGNED_AMOUNT in wanted:
            _cumulate(out, wanted[D.SIGNED_AMOUNT], [r[:4] for r in rows], months)
        if D.SIGNED_COUNT in wanted:
            _cumulate(out, wanted[D.SIGNED_COUNT], [(*r[:3], r[4]) for r in rows], months)
    if D.START_RESUME_RATE in wanted:
        for y in years:
            for m in months:
                for org_id, counts in start_resume_counts(parent, y, m).items():
                    out[(org_id, wanted[D.START_RESUME_RATE], y, m)] = counts
    return out


def _cumulate(out, ind_id, rows, months):
    """Monthly sums (org, year, month, amount) → the cumulative 1—N月 figure of each month."""
    for org_id, y, month, amount in rows:
        for m in months:
            if month <= m:
                key = (org_id, ind_id, y, m)
                out[key] = out.get(key, 0) + amount


def start_resume_counts(parent, year, month):
    """开复工率's counts per zone: (started new + resumed continuing, projects of the year plan),
    as the cockpit counts them (projects.selectors): a plan for the year, not cancelled; new
    ones started before the period's end; continuing ones with investment reported in it."""
    end = datetime.date(year + month // 12, month % 12 + 1, 1)
    invested = ProgressReport.objects.filter(
        project=OuterRef("pk"),
        period__gte=datetime.date(year, 1, 1),
        period__lt=end,
        invested__gt=0,
    )
    continuing = Q(nature=Project.Nature.CONTINUING)
    rows = (
        Project.objects.filter(org__path__startswith=parent.path, year_plans__year=year)
        .exclude(stage=Project.Stage.CANCELLED)
        .annotate(resumed=Exists(invested))
        .values("org_id")
        .annotate(
            planned=Count("pk"),
            started=Count("pk", filter=~continuing & Q(started_on__lt=end)),
            back=Count("pk", filter=continuing & Q(resumed=True)),
        )
        .order_by()
    )
    return {r["org_id"]: (r["started"] + r["back"], r["planned"]) for r in rows}


# --- the figures of one period ------------------------------------------------------------


def rows_for(parent, year, month, indicators=None):
    """The ranking table: for every indicator of the period, `parent`'s row and each child's,
    with value, last year's, 同比, target, 完成率, 时序 gap, warning, rank among the children
    and the gap to the parent's growth. {"orgs": [...], "indicators": [...], "rows":
    {org_id: {ind_id: row}}}."""
    indicators = [
        i for i in (active() if indicators is None else indicators) if month in i.months()
    ]
    cells = table(parent, year, [month], indicators)
    kids = list(Org.objects.filter(parent=parent, is_active=True).order_by("path"))
    shown = [parent, *kids]
    targets = targets_of(shown, year)
    progress = figures.time_progress(month)
    rows = {o.pk: {} for o in shown}
    for ind in indicators:
        for o in shown:
            rows[o.pk][ind.pk] = _row(ind, o, cells, targets, year, month, progress)
        ranked = figures.ranks(
            {o.pk: rows[o.pk][ind.pk]["key"] for o in kids}, ind.higher_is_better
        )
        scope = SCOPE_WORDS[parent.kind]
        parent_growth = rows[parent.pk][ind.pk]["growth"]
        for o in kids:
            r = rows[o.pk][ind.pk]
            r["rank"] = ranked[o.pk]
            r["versus"] = figures.versus(r["growth"], parent_growth)
            r["versus_words"] = figures.versus_words(r["versus"], scope)
            r["sentence"] = figures.sentence(ind, r, scope)
    return {"parent": parent, "orgs": kids, "indicators": indicators, "rows": rows}


def _row(ind, org, cells, targets, year, month, progress):
    value, reported = cells[(org.pk, ind.pk, year, month)]
    last, _ = cells[(org.pk, ind.pk, year - 1, month)]
    growth = (
        None if ind.unit == Indicator.Unit.PERCENT else figures.growth(ind, value, last, reported)
    )
    target = targets.get((org.pk, ind.pk))
    done = figures.completion(value, target.value if target else None)
    points = figures.gap(done, progress)
    return {
        "value": value,
        "last": last,
        "reported": reported,
        "growth": growth,
        "target": target,
        "completion": done,
        "progress": progress,
        "gap": points,
        "warning": figures.warning(ind, points),
        # Rates rank by their value, amounts by their growth, as the bureau's 位次 does.
        "key": value if ind.unit == Indicator.Unit.PERCENT else growth,
        "rank": None,
        "versus": None,
        "versus_words": "",
        "sentence": "",
    }


def overview(org, year, month):
    """The 经济运行 page: the org's row for each indicator, ranked among its siblings, with
    the monthly series (this year and last) for the charts."""
    parent = org.parent or org
    board = rows_for(parent, year, month)
    # The charts draw amounts only: a rate (开复工率) has no month-by-month line here.
    amounts = [i for i in board["indicators"] if i.unit != Indicator.Unit.PERCENT]
    cells = table(org, year, range(2, 13), amounts)
    result = []
    for ind in board["indicators"]:
        row = board["rows"][org.pk][ind.pk]
        row["count"] = len(board["orgs"])
        series = {
            y: [
                (m, cells[(org.pk, ind.pk, y, m)][0])
                for m in ind.months()
                if (y < year or m <= month) and ind in amounts
            ]
            for y in (year - 1, year)
        }
        result.append({"indicator": ind, **row, "series": series})
    return {"parent": parent, "scope": SCOPE_WORDS[parent.kind], "rows": result}


# --- entry -----------------------------------------------------------------------------------


def entry_rows(org, year, month):
    """The entry page: each entered indicator of the period with this period's value and
    reported growth and last year's value beside it."""
    indicators = [i for i in active() if not i.is_derived and month in i.months()]
    stored = {
        (v.indicator_id, v.year): v
        for v in IndicatorValue.objects.filter(org=org, year__in=[year - 1, year], month=month)
    }
    return [
        {"indicator": i, "current": stored.get((i.pk, year)), "last": stored.get((i.pk, year - 1))}
        for i in indicators
    ]


def home_due(user):
    """The home card for statisticians: their periods not yet submitted or sent back."""
    if not (role_names(user) & WRITERS):
        return None
    waiting = list(
        periods_for(user)
        .filter(status__in=[Period.Status.DRAFT, Period.Status.SUBMITTED])
        .order_by("-year", "-month")[:5]
    )
    return {"indicator_periods": waiting}
