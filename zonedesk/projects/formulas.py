"""The project figures of DESIGN.md, each defined once and used by list, cockpit, API and export.

Money is Decimal 万元; rates go through catalog.rates (round half up, never float). The
warning colour is a database expression so the list can filter and count by it; its rule:
yellow when year-to-date completion lags 时序进度 by `yellow_gap`–`red_gap` points, red beyond;
a project not started after its planned month is yellow, red `red_start_delay` months later.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    DecimalField,
    F,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.db.models.lookups import LessThan, LessThanOrEqual

from zonedesk.catalog.rates import rate

from .models import ProgressReport, Project

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
DEFAULTS = {"report_day": 5, "yellow_gap": 10, "red_gap": 30, "red_start_delay": 3}
FINISHED = [Project.Stage.COMPLETED, Project.Stage.OPERATING, Project.Stage.CANCELLED]


def money(value):
    """A sum from the database as 万元 to the fen (SQLite hands sums back with float noise)."""
    return None if value is None else Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP)


def time_progress(month, months=12, places=2):
    """时序进度 (%) after `month` months of a year counted in `months`."""
    return rate(month, months, places)


def completion_rate(done, plan, places=2):
    """投资完成率 (%): invested year-to-date ÷ year plan, or cumulative ÷ total investment."""
    return rate(done, plan, places)


def start_rate(started, planned, places=1):
    """开工率 = started ÷ planned new projects."""
    return rate(started, planned, places)


def resume_rate(resumed, continuing, places=1):
    """复工率 = resumed continuing projects ÷ continuing projects."""
    return rate(resumed, continuing, places)


def start_resume_rate(started_new, resumed, all_projects, places=1):
    """开复工率 = (started new + resumed continuing) ÷ all projects of the year plan."""
    return rate(started_new + resumed, all_projects, places)


def _sum_reports(**period):
    reports = (
        ProgressReport.objects.filter(project=OuterRef("pk"), **period)
        .order_by()
        .values("project")
        .annotate(total=Sum("invested"))
        .values("total")
    )
    return Coalesce(Subquery(reports, output_field=MONEY), Value(ZERO), output_field=MONEY)


def cents(expression):
    """Money as whole fen: SQLite sums decimals in floating point, and a colour decided on
    the boundary (exactly 10 or 30 points behind) must not depend on that."""
    return Cast(Round(expression * 100), BigIntegerField())


def _setting(name):
    return Coalesce(F(f"org__project_settings__{name}"), Value(DEFAULTS[name]))


def this_year(year, month):
    """The reports that make up 本年累计 as of the end of `month`: date ranges, not year/month
    lookups, so an index serves them (SQLite would call a Python function per report row)."""
    return {"period__gte": datetime.date(year, 1, 1), "period__lt": month_end(year, month)}


# The names of the year's plan and reports joined to each project.
PLAN, YEAR_REPORTS = "plan_of_year", "reports_of_year"


def _with_plan(queryset, year):
    # A join, not a subquery: (project, year) is unique, and the warning refers to the plan
    # five times, each of which would repeat a subquery.
    return queryset.annotate(
        **{PLAN: FilteredRelation("year_plans", condition=Q(year_plans__year=year))},
        plan=F(f"{PLAN}__planned_investment"),
        planned_start_month=F(f"{PLAN}__planned_start_month"),
    )


def with_figures(queryset, year, month):
    """Annotate projects with the figures of `year` as of the end of `month`:
    plan, planned_start_month, ytd (invested this year), cumulative, month_invested, warning.
    Per project, for lists and single projects; the cockpit sums `year_figures` instead.
    """
    qs = _with_plan(queryset, year).annotate(
        ytd=_sum_reports(**this_year(year, month)),
        cumulative=_sum_reports(period__lt=month_end(year, month)),
        month_invested=_sum_reports(period=datetime.date(year, month, 1)),
    )
    return qs.annotate(warning=warning(year, month))


def year_figures(queryset, year, month):
    """Annotate projects with plan, planned_start_month, ytd and warning as `with_figures`
    does, computed in one grouped pass over this year's reports (the relation YEAR_REPORTS,
    which callers may count further) instead of a subquery per figure: for aggregates over
    many projects, each of whose figures is needed once."""
    qs = _with_plan(queryset, year).annotate(
        **{
            YEAR_REPORTS: FilteredRelation(
                "reports",
                condition=Q(**{f"reports__{k}": v for k, v in this_year(year, month).items()}),
            )
        }
    )
    qs = qs.annotate(
        ytd=Coalesce(Sum(f"{YEAR_REPORTS}__invested"), Value(ZERO), output_field=MONEY)
    )
    return qs.annotate(warning=warning(year, month))


def warning(year, month):
    """The warning colour over the annotations plan, planned_start_month and ytd."""
    end = month_end(year, month)
    # "Not started" as of the end of the month viewed, not as of today.
    not_started = (Q(started_on__isnull=True) | Q(started_on__gte=end)) & Q(
        planned_start_month__isnull=False
    )
    # gap > red ⟺ 1200·ytd < (100·month − 12·red)·plan: exact decimal arithmetic, no division.
    behind = lambda gap: (month * 100 - _setting(gap) * 12) * cents(F("plan"))  # noqa: E731
    return Case(
        When(stage__in=FINISHED, then=Value("")),
        When(
            not_started & Q(planned_start_month__lte=month - _setting("red_start_delay")),
            then=Value("red"),
        ),
        When(
            Q(plan__gt=0) & Q(LessThan(cents(F("ytd")) * 1200, behind("red_gap"))),
            then=Value("red"),
        ),
        When(not_started & Q(planned_start_month__lt=month), then=Value("yellow")),
        When(
            Q(plan__gt=0) & Q(LessThanOrEqual(cents(F("ytd")) * 1200, behind("yellow_gap"))),
            then=Value("yellow"),
        ),
        default=Value("green"),
        output_field=CharField(),
    )


def month_end(year, month):
    """The first day after `month`."""
    return next_month(datetime.date(year, month, 1))


def next_month(period):
    return (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def deadline(period, report_day):
    """The day by which the report of `period` is due: the zone's report day of next month."""
    # A report day past the 28th would not exist in February.
    return next_month(period).replace(day=min(max(report_day, 1), 28))
