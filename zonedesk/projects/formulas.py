"""The project figures of DESIGN.md, each defined once and used by list, cockpit, API and export.

Money is Decimal 万元; rates go through catalog.rates (round half up, never float). The
warning colour is a database expression so the list can filter and count by it; its rule:
yellow when year-to-date completion lags 时序进度 by `yellow_gap`–`red_gap` points, red beyond;
a project not started after its planned month is yellow, red `red_start_delay` months later.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    CharField,
    DecimalField,
    F,
    FilteredRelation,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.catalog.rates import rate

from .models import ProgressReport, Project

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=16, decimal_places=2)
DEFAULTS = {
    "report_day": 5,
    "shift_deadline": True,
    "yellow_gap": 10,
    "red_gap": 30,
    "red_start_delay": 3,
}
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


def warning_reason(p, year, month):
    """Why a project is red or yellow, in words: the facts `WARNING` judged (a start later
    than planned, completion behind 时序进度), for `p` carrying warning, plan, ytd,
    planned_start_month and started_on as `with_figures` annotates them."""
    if p.warning not in ("red", "yellow"):
        return ""
    reasons = []
    not_started = p.started_on is None or p.started_on >= month_end(year, month)
    if not_started and p.planned_start_month and p.planned_start_month < month:
        reasons.append(
            _("计划%(p)d月开工，截至%(m)d月底未开工") % {"p": p.planned_start_month, "m": month}
        )
    done, schedule = completion_rate(p.ytd or ZERO, p.plan), time_progress(month)
    if done is not None and done < schedule:
        reasons.append(
            _("投资完成率%(d)s%%，落后时序进度（%(t)s%%）%(g)s个百分点")
            % {"d": done, "t": schedule, "g": schedule - done}
        )
    return "；".join(reasons)


def _sum_reports(**period):
    reports = (
        ProgressReport.objects.filter(project=OuterRef("pk"), **period)
        .order_by()
        .values("project")
        .annotate(total=Sum("invested"))
        .values("total")
    )
    return Coalesce(Subquery(reports, output_field=MONEY), Value(ZERO), output_field=MONEY)


def _setting(name):
    return Coalesce(F(f"org__project_settings__{name}"), Value(DEFAULTS[name]))


def this_year(year, month):
    """The reports that make up 本年累计 as of the end of `month`: date ranges, not year/month
    lookups, so an index serves them (SQLite would call a Python function per report row)."""
    return {"period__gte": datetime.date(year, 1, 1), "period__lt": month_end(year, month)}


# The name of the year's plan joined to each project.
PLAN = "plan_of_year"


def with_plan(queryset, year):
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
    Per project, for lists and single projects; the cockpit has its own statement.
    """
    qs = with_plan(queryset, year).annotate(
        ytd=_sum_reports(**this_year(year, month)),
        cumulative=_sum_reports(period__lt=month_end(year, month)),
        month_invested=_sum_reports(period=datetime.date(year, month, 1)),
    )
    return qs.annotate(warning=warning(year, month))


# The warning rule, one SQL text over its inputs: `warning()` fills it with the ORM's
# expressions (lists, API, exports), the cockpit's statement with its columns. "Not started"
# is as of the end of the month viewed, not as of today. Money is compared in whole fen:
# SQLite sums decimals in floating point, and a colour decided on the boundary (exactly 10 or
# 30 points behind) must not depend on that. gap > red ⟺ 1200·ytd < (100·month − 12·red)·plan:
# exact arithmetic, no division.
WARNING = (
    "CASE WHEN {stage} IN ("
    + ", ".join(f"'{s}'" for s in FINISHED)
    + ") THEN ''"
    + """
    WHEN ({started_on} IS NULL OR {started_on} >= {end}) AND {psm} IS NOT NULL
        AND {psm} <= {month} - {red_start_delay} THEN 'red'
    WHEN {plan} > 0 AND CAST(ROUND({ytd} * 100) AS BIGINT) * 1200
        < ({month} * 100 - {red_gap} * 12) * CAST(ROUND({plan} * 100) AS BIGINT) THEN 'red'
    WHEN ({started_on} IS NULL OR {started_on} >= {end}) AND {psm} IS NOT NULL
        AND {psm} < {month} THEN 'yellow'
    WHEN {plan} > 0 AND CAST(ROUND({ytd} * 100) AS BIGINT) * 1200
        <= ({month} * 100 - {yellow_gap} * 12) * CAST(ROUND({plan} * 100) AS BIGINT)
        THEN 'yellow'
    ELSE 'green' END"""
)


def warning(year, month):
    """The warning colour over the annotations plan, planned_start_month and ytd."""
    return _Filled(
        WARNING,
        CharField(),
        **_period(year, month),
        stage=F("stage"),
        started_on=F("started_on"),
        psm=F("planned_start_month"),
        plan=F("plan"),
        ytd=F("ytd"),
        **{name: _setting(name) for name in ("red_start_delay", "red_gap", "yellow_gap")},
    )


def warning_sql(year, month, **columns):
    """The warning colour as SQL over `columns` (each an SQL expression), and its parameters."""
    parts = {name: (sql, ()) for name, sql in columns.items()}
    parts |= {name: ("%s", (value,)) for name, value in _period(year, month).items()}
    return fill(WARNING, parts)


def _period(year, month):
    return {"end": month_end(year, month), "month": month}


def fill(template, parts):
    """`template` with each `{name}` replaced by the SQL of `parts[name]` (sql, params), as
    often as it appears, and the parameters in the order of the text."""
    sql, params = [], []
    for i, piece in enumerate(re.split(r"\{(\w+)\}", template)):
        if i % 2:
            part, part_params = parts[piece]
            sql.append(part)
            params.extend(part_params)
        else:
            sql.append(piece)
    return "".join(sql), params


class _Filled(Func):
    """An SQL text (see `fill`) over named expressions or values, as an ORM expression."""

    def __init__(self, text, output_field, **inputs):
        self.text, self.names = text, list(inputs)
        values = (v if hasattr(v, "resolve_expression") else Value(v) for v in inputs.values())
        super().__init__(*values, output_field=output_field)

    def as_sql(self, compiler, connection, **extra_context):
        expressions = zip(self.names, self.get_source_expressions(), strict=True)
        return fill(self.text, {name: compiler.compile(e) for name, e in expressions})


def month_end(year, month):
    """The first day after `month`."""
    return next_month(datetime.date(year, month, 1))


def next_month(period):
    return (period.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)


def approval_timing(step, calendar, as_of):
    """(deadline, working days used, late?) of an approval step that has started: the
    deadline is its committed working days after it started (China's calendar); the days
    used run to its end, or to `as_of` while open; late (超时) when it ended, or is still open
    on `as_of`, past the deadline. The project page and the reports both judge by it."""
    deadline = calendar.add_working_days(step.started_on, step.committed_days)
    end = step.done_on if step.done_on and step.done_on <= as_of else as_of
    return deadline, calendar.working_days_between(step.started_on, end), end > deadline


def zone_deadline(settings, period, calendar=None):
    """`deadline` by a zone's ZoneSettings row (None: the defaults)."""
    if settings is None:
        return deadline(period, DEFAULTS["report_day"], DEFAULTS["shift_deadline"], calendar)
    return deadline(period, settings.report_day, settings.shift_deadline, calendar)


def deadline(period, report_day, shift=True, calendar=None):
    """The day by which the report of `period` is due: the zone's report day of next month,
    moved to the next working day (China's calendar) when it falls on a holiday or a weekend
    and the zone keeps the default `shift_deadline`. Pass one `calendar` (a WorkCalendar)
    when asking many times: it loads each year once."""
    # A report day past the 28th would not exist in February.
    day = next_month(period).replace(day=min(max(report_day, 1), 28))
    if shift:
        calendar = calendar or WorkCalendar()
        while not calendar.is_workday(day):
            day += datetime.timedelta(days=1)
    return day
