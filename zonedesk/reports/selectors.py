"""Scoped reads of report jobs, and the content of a period document as a plain structure.

Every cockpit figure comes from `zonedesk.projects.selectors.cockpit` — the function the
cockpit page calls — so a document and the page show the same numbers. The structure:

    {"title", "org", "period", "kind", "end_month", "zones": [names],
     "sections": [{"key", "title", "notes": [str],
                   "tables": [{"title", "headers": [str], "rows": [[cell]], "totals": [cell]}]}]}

A cell is text (str, possibly typed by a user: renderers treat it as plain text) or a
`Figure` (a number with how it is shown: 万元, rate, count …).
"""

import copy
import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N_

from zonedesk.catalog import calendar
from zonedesk.catalog.money import format_wan, format_yi
from zonedesk.catalog.rates import growth, rate
from zonedesk.leads import selectors as leads
from zonedesk.orgs.models import Org, Role
from zonedesk.orgs.selectors import roles_of, scope_q
from zonedesk.projects import formulas
from zonedesk.projects import selectors as projects
from zonedesk.projects.models import ApprovalStep, Project
from zonedesk.supervision.selectors import blocker_summary

from .models import ReportJob

# Leaders, officers and admins of a zone or an office produce documents; viewers (the city
# and province offices that read the roll-ups) and statisticians (who enter the indicators)
# read those of their organisations; units, promoters and enterprises neither.
GENERATORS = frozenset({Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER})
READERS = GENERATORS | {Role.Name.STATISTICIAN, Role.Name.VIEWER}
REPORT_ORG_KINDS = [Org.Kind.PROVINCE, Org.Kind.CITY, Org.Kind.COUNTY, Org.Kind.ZONE]
ZERO = Decimal("0.00")
RATE_KEYS = ("start_rate", "resume_rate", "start_resume_rate", "completion")


@dataclass(frozen=True)
class Figure:
    """A number and how it is shown: wan (万元, 2 places), wan0 (万元, whole), yi (亿元),
    count, rate (%, with the places the formula gives), pp (percentage points)."""

    value: object
    kind: str


def jobs_for(user):
    """Documents the user may open: those of organisations where they hold a generating or
    a reading role (or beneath one)."""
    return ReportJob.objects.filter(scope_q(user, roles=READERS)).select_related("org", "user")


def is_reader(user):
    """May the user open the documents page at all?"""
    return user.is_superuser or any(r.role in READERS for r in roles_of(user))


def report_orgs(user, roles=GENERATORS):
    """Organisations the user may request a document for: zones, counties, cities and the
    province within reach of a generating role (with READERS: those whose documents the
    user may read)."""
    return Org.objects.filter(
        scope_q(user, field=None, roles=roles),
        kind__in=REPORT_ORG_KINDS,
        is_active=True,
    ).order_by("path")


def window(kind, year, month=None, quarter=None):
    """(first day, day after the last, end month) of a document's period."""
    if kind == ReportJob.Kind.MONTHLY:
        first, last = month, month
    elif kind == ReportJob.Kind.QUARTERLY:
        first, last = quarter * 3 - 2, quarter * 3
    else:
        first, last = 1, 12
    start = datetime.date(year, first, 1)
    return start, formulas.next_month(datetime.date(year, last, 1)), last


# -- the cockpit's figures, for an organisation ------------------------------------------


def narrowed(user, org):
    """The user as seen from `org`: the same person whose generating roles that reach `org`
    sit at `org` itself. Every selector called with it — the cockpit, the project lists,
    the leaderboard, the blocker summary — answers for `org`'s subtree exactly as it would
    for a leader of `org`, and never beyond what the user may see."""
    if user.is_superuser:
        kinds = [Role.Name.ADMIN]
    else:
        kinds = sorted(
            {
                r.role
                for r in roles_of(user)
                if r.role in GENERATORS and org.path.startswith(r.org.path)
            }
        )
    proxy = copy.copy(user)
    proxy.is_superuser = False
    proxy._zd_roles = [Role(user_id=user.pk, org=org, role=kind) for kind in kinds]
    return proxy


def cockpit_for(user, org, year, month):
    """The cockpit's figures for `org` (call with `narrowed(user, org)`): the total as the
    cockpit computes it, and one column per zone beneath — zones without projects too."""
    figures = projects.cockpit(user, year, month, group_by_zone=True)
    rows = {z["org_id"]: z for z in figures["zones"]}
    zones = Org.objects.filter(
        Q(pk__in=list(rows)) | Q(path__startswith=org.path, kind=Org.Kind.ZONE, is_active=True)
    )
    columns = [
        rows.get(z.pk) or {"org_id": z.pk, "name": z.name, **_empty(month)}
        for z in sorted(zones, key=lambda z: z.name)
    ]
    return {"zones": columns, "total": _extend(figures["total"])}


def _empty(month):
    """A zone without projects: every count and sum zero, rates undefined."""
    return {
        **dict.fromkeys(RATE_KEYS),
        "time_progress": formulas.time_progress(month),
        "plan": ZERO,
        "ytd": ZERO,
        "investment": ZERO,
    }


def _extend(z):
    z = dict(z)
    z["started_resumed"] = z.get("started_new", 0) + z.get("resumed", 0)
    return z


def _kpis():
    """(label, key, kind) of the cockpit's KPIs, in the cockpit's order."""
    stages = [
        (_("储备"), "reserve"),
        (_("签约"), "signed"),
        (_("在建"), "started"),
        (_("投产"), "operating"),
    ]
    rows = [(_("项目（个）"), "projects", "count"), (_("总投资（万元）"), "investment", "wan")]
    for label, stage in stages:
        rows.append((_("%(s)s项目（个）") % {"s": label}, f"n_{stage}", "count"))
        rows.append((_("%(s)s项目投资（万元）") % {"s": label}, f"inv_{stage}", "wan0"))
    return [
        *rows,
        (_("开工率"), "start_rate", "rate"),
        (_("新开工项目（个）"), "started_new", "count"),
        (_("计划新开工项目（个）"), "planned_new", "count"),
        (_("复工率"), "resume_rate", "rate"),
        (_("复工续建项目（个）"), "resumed", "count"),
        (_("续建项目（个）"), "continuing", "count"),
        (_("开复工率"), "start_resume_rate", "rate"),
        (_("开复工项目（个）"), "started_resumed", "count"),
        (_("年度计划项目（个）"), "planned", "count"),
        (_("年度计划投资（万元）"), "plan", "wan"),
        (_("今年累计完成投资（万元）"), "ytd", "wan"),
        (_("投资完成率"), "completion", "rate"),
        (_("时序进度"), "time_progress", "rate"),
        (_("红色预警（个）"), "red", "count"),
        (_("黄色预警（个）"), "yellow", "count"),
        (_("月报逾期（个）"), "late", "count"),
    ]


def kpi_figure(z, key, kind):
    value = z.get(key, 0)
    if kind in ("wan", "wan0", "yi") and value is not None:
        value = Decimal(value)
    return Figure(value, kind)


def _columns(figures):
    """(header, figures) per column: each zone beneath, then the total; a zone alone has
    one column."""
    zones = [(z["name"], _extend(z)) for z in figures["zones"]]
    if len(zones) == 1:
        return zones
    return [*zones, (_("合计"), figures["total"])]


def _kpi_table(figures, title):
    columns = _columns(figures)
    return {
        "title": title,
        "headers": [_("指标")] + [name for name, _z in columns],
        "rows": [
            [str(label)] + [kpi_figure(z, key, kind) for _n, z in columns]
            for label, key, kind in _kpis()
        ],
        "totals": None,
    }


# -- sections ----------------------------------------------------------------------------


def _section(key, title, tables=(), notes=()):
    return {"key": key, "title": title, "notes": list(notes), "tables": list(tables)}


def _kpi_section(now, year, month):
    t = now["total"]
    notes = [
        _(
            "截至%(y)d年%(m)d月底，共有项目%(n)d个，总投资%(inv)s亿元；年度计划投资%(plan)s万元，"
            "今年累计完成%(ytd)s万元，投资完成率%(c)s，时序进度%(tp)s。"
        )
        % {
            "y": year,
            "m": month,
            "n": t["projects"],
            "inv": display(Figure(Decimal(t["investment"]), "yi")),
            "plan": display(Figure(Decimal(t["plan"]), "wan")),
            "ytd": display(Figure(Decimal(t["ytd"]), "wan")),
            "c": display(Figure(t["completion"], "rate")),
            "tp": display(Figure(t["time_progress"], "rate")),
        }
    ]
    table = _kpi_table(now, _("%(y)d年1—%(m)d月主要指标") % {"y": year, "m": month})
    return _section("kpis", _("主要指标"), [table], notes)


# Figures that depend on the period: the stage counts are today's, so comparing them with
# "last year" would compare a figure with itself.
COMPARED = [
    (N_("年度计划项目（个）"), "planned", "count"),
    (N_("开复工项目（个）"), "started_resumed", "count"),
    (N_("年度计划投资（万元）"), "plan", "wan"),
    (N_("今年累计完成投资（万元）"), "ytd", "wan"),
    (N_("开复工率"), "start_resume_rate", "rate"),
    (N_("投资完成率"), "completion", "rate"),
]


def _change(this, last, kind):
    """同比: growth for amounts and counts, the difference in points for rates."""
    if kind == "rate":
        diff = None if this is None or last is None else this - last
        return Figure(diff, "pp")
    return Figure(growth(this, last), "rate")


def _comparison_section(now, before, signed_now, signed_before, year, end_month):
    t, b = now["total"], before["total"]
    rows = [
        [
            str(label),
            kpi_figure(t, key, kind),
            kpi_figure(b, key, kind),
            _change(t.get(key), b.get(key), kind),
        ]
        for label, key, kind in COMPARED
    ]
    for label, key, kind in (
        (_("本期签约项目（个）"), "count", "count"),
        (_("本期签约金额（万元）"), "amount", "wan"),
    ):
        this, last = signed_now[key], signed_before[key]
        rows.append([str(label), Figure(this, kind), Figure(last, kind), _change(this, last, kind)])
    same = {
        "title": _("与上年同期比较（%(y)d年1—%(m)d月）") % {"y": year, "m": end_month},
        "headers": [_("指标"), _("本期"), _("上年同期"), _("同比增长（%）／增减（百分点）")],
        "rows": rows,
        "totals": None,
    }
    plan_rows = []
    for name, z in _columns(now):
        gap = (
            None if z["completion"] is None else Figure(z["completion"] - z["time_progress"], "pp")
        )
        plan_rows.append(
            [
                name,
                kpi_figure(z, "plan", "wan"),
                kpi_figure(z, "ytd", "wan"),
                Figure(z["completion"], "rate"),
                Figure(z["time_progress"], "rate"),
                gap or Figure(None, "pp"),
            ]
        )
    plan = {
        "title": _("与年度计划比较"),
        "headers": [
            _("范围"),
            _("年度计划投资（万元）"),
            _("今年累计完成投资（万元）"),
            _("投资完成率"),
            _("时序进度"),
            _("超（+）／欠（−）时序（百分点）"),
        ],
        "rows": plan_rows,
        "totals": None,
    }
    notes = [
        _("同比：金额和个数为增长率（%），比率为增减的百分点；上年为零或缺失时不计算。"),
        _("项目个数、阶段分布为当前状态，不作同比。"),
    ]
    return _section("compare", _("同比与计划完成"), [same, plan], notes)


MONTH_KEYS = [
    (N_("今年累计完成投资（万元）"), "ytd", "wan"),
    (N_("当月完成投资（计划内，万元）"), "month_ytd", "wan"),
    (N_("投资完成率"), "completion", "rate"),
    (N_("时序进度"), "time_progress", "rate"),
    (N_("开工率"), "start_rate", "rate"),
    (N_("复工率"), "resume_rate", "rate"),
    (N_("开复工率"), "start_resume_rate", "rate"),
    (N_("红色预警（个）"), "red", "count"),
    (N_("黄色预警（个）"), "yellow", "count"),
    (N_("月报逾期（个）"), "late", "count"),
]


def _months_section(user, org, year, quarter):
    months = [quarter * 3 - 2, quarter * 3 - 1, quarter * 3]
    previous = (
        cockpit_for(user, org, year, months[0] - 1)["total"]["ytd"] if months[0] > 1 else ZERO
    )
    columns = []
    for m in months:
        t = dict(cockpit_for(user, org, year, m)["total"])
        t["month_ytd"] = Decimal(t["ytd"]) - Decimal(previous)
        previous = t["ytd"]
        columns.append((m, t))
    quarter_sum = sum((c["month_ytd"] for _m, c in columns), ZERO)
    table = {
        "title": _("%(y)d年第%(q)d季度逐月指标（累计至各月底）") % {"y": year, "q": quarter},
        "headers": [_("指标")] + [_("%(m)d月") % {"m": m} for m, _c in columns],
        "rows": [
            [str(label)] + [kpi_figure(c, key, kind) for _m, c in columns]
            for label, key, kind in MONTH_KEYS
        ],
        "totals": None,
    }
    notes = [_("本季度计划内项目完成投资%(v)s万元。") % {"v": display(Figure(quarter_sum, "wan"))}]
    return _section("months", _("季度逐月分析"), [table], notes)


def _project_rows(qs):
    return [
        [
            p.name,
            p.org.name,
            p.get_stage_display(),
            Figure(formulas.money(p.plan), "wan") if p.plan is not None else "",
            Figure(formulas.money(p.ytd), "wan"),
            Figure(formulas.completion_rate(p.ytd, p.plan), "rate"),
            str(p.leader or ""),
            str(p.unit or ""),
        ]
        for p in qs
    ]


PROJECT_HEADERS = [
    N_("项目名称"),
    N_("开发区"),
    N_("建设阶段"),
    N_("年度计划投资（万元）"),
    N_("今年累计完成投资（万元）"),
    N_("投资完成率"),
    N_("包联领导"),
    N_("责任单位"),
]


def _projects(user, year, month, **f):
    qs = projects.filtered(user, {"year": year, "month": month, **f})
    return projects.page_rows(qs)


def _warnings_section(user, year, month):
    tables = []
    for colour, title in (("red", _("红色预警项目")), ("yellow", _("黄色预警项目"))):
        rows = _project_rows(_projects(user, year, month, warning=colour))
        tables.append(
            {
                "title": _("%(t)s（%(n)d个）") % {"t": title, "n": len(rows)},
                "headers": [str(h) for h in PROJECT_HEADERS],
                "rows": rows,
                "totals": None,
            }
        )
    notes = [_("预警按截至期末的投资完成率与时序进度的差距、计划开工月份判定，与驾驶舱一致。")]
    return _section("warnings", _("红黄预警项目"), tables, notes)


def _approvals_section(user, start, end):
    steps = (
        ApprovalStep.objects.filter(
            project__in=projects.projects_for(user),
            started_on__isnull=False,
            started_on__lt=end,
        )
        .exclude(project__stage=Project.Stage.CANCELLED)
        .filter(Q(done_on__isnull=True) | Q(done_on__gte=start))
        .select_related("project", "unit")
        .order_by("project__name", "started_on", "pk")
    )
    work = calendar.WorkCalendar()
    as_of = min(end - datetime.timedelta(days=1), timezone.localdate())
    done, overdue = [], []
    for step in steps:
        deadline = work.add_working_days(step.started_on, step.committed_days)
        finished = step.done_on is not None and step.done_on < end
        if finished and step.done_on >= start:
            used = work.working_days_between(step.started_on, step.done_on)
            on_time = step.done_on <= deadline
            done.append((step, deadline, used, _("按时") if on_time else _("超时")))
        elif not finished and as_of > deadline:
            used = work.working_days_between(step.started_on, as_of)
            overdue.append((step, deadline, used, _("逾期未办结")))
    headers = [
        _("项目名称"),
        _("审批事项"),
        _("审批部门"),
        _("受理日期"),
        _("承诺时限（工作日）"),
        _("截止日期"),
        _("办结日期"),
        _("已用（工作日）"),
        _("结果"),
    ]

    def rows(items):
        return [
            [
                s.project.name,
                str(s),
                str(s.unit or ""),
                _day(s.started_on),
                Figure(s.committed_days, "count"),
                _day(deadline),
                _day(s.done_on),
                Figure(used, "count"),
                str(result),
            ]
            for s, deadline, used, result in items
        ]

    late_done = sum(1 for item in done if item[3] != _("按时"))
    notes = [
        _("本期办结审批事项%(d)d件，其中超时办结%(l)d件；截至期末逾期未办结%(o)d件。")
        % {"d": len(done), "l": late_done, "o": len(overdue)}
    ]
    if note := work.estimate_note(start, end):
        notes.append(note)
    tables = [
        {
            "title": _("本期办结（%(n)d件）") % {"n": len(done)},
            "headers": headers,
            "rows": rows(done),
            "totals": None,
        },
        {
            "title": _("逾期未办结（%(n)d件）") % {"n": len(overdue)},
            "headers": headers,
            "rows": rows(overdue),
            "totals": None,
        },
    ]
    return _section("approvals", _("审批办理"), tables, notes)


def signings(user, start, end):
    """Leads signed and projects signed in [start, end)."""
    signed_leads = leads.leads_for(user).filter(signed_on__gte=start, signed_on__lt=end)
    t = signed_leads.aggregate(n=Count("pk"), amount=Sum("signed_amount"))
    return {
        "count": t["n"],
        "amount": formulas.money(t["amount"] or ZERO),
        "leads": signed_leads.order_by("signed_on", "pk"),
        "projects": projects.projects_for(user)
        .filter(signed_on__gte=start, signed_on__lt=end)
        .exclude(stage=Project.Stage.CANCELLED)
        .select_related("org")
        .order_by("signed_on", "pk"),
    }


def _signings_section(signed):
    lead_rows = [
        [
            lead.name,
            lead.investor,
            lead.org.name,
            lead.team.name,
            _day(lead.signed_on),
            Figure(formulas.money(lead.signed_amount or ZERO), "wan"),
        ]
        for lead in signed["leads"]
    ]
    project_rows = [
        [
            p.name,
            p.org.name,
            p.get_stage_display(),
            _day(p.signed_on),
            Figure(formulas.money(p.total_investment), "wan"),
        ]
        for p in signed["projects"]
    ]
    project_total = sum((p.total_investment for p in signed["projects"]), ZERO)
    tables = [
        {
            "title": _("签约线索（%(n)d个）") % {"n": signed["count"]},
            "headers": [
                _("项目名称"),
                _("投资方"),
                _("开发区"),
                _("招商战队"),
                _("签约日期"),
                _("签约金额（万元）"),
            ],
            "rows": lead_rows,
            "totals": [_("合计"), "", "", "", "", Figure(signed["amount"], "wan")],
        },
        {
            "title": _("签约项目（%(n)d个）") % {"n": len(project_rows)},
            "headers": [
                _("项目名称"),
                _("开发区"),
                _("建设阶段"),
                _("签约日期"),
                _("总投资（万元）"),
            ],
            "rows": project_rows,
            "totals": [_("合计"), "", "", "", Figure(formulas.money(project_total), "wan")],
        },
    ]
    notes = [
        _("本期签约%(n)d个，签约金额%(yi)s亿元。")
        % {"n": signed["count"], "yi": display(Figure(signed["amount"], "yi"))}
    ]
    return _section("signings", _("招商签约"), tables, notes)


def _targets_section(user, year):
    rows = leads.leaderboard(user, year, 12)
    total = leads.board_total(rows)

    def target(r, field):
        return Figure(getattr(r["target"], field), "wan" if field == "amount" else "count")

    body = [
        [
            Figure(r["rank"], "count"),
            r["team"].name,
            target(r, "amount") if r["target"] else "",
            Figure(formulas.money(r["amount"]), "wan"),
            Figure(r["amount_rate"], "rate"),
            target(r, "count") if r["target"] else "",
            Figure(r["count"], "count"),
            Figure(r["count_rate"], "rate"),
        ]
        for r in rows
    ]
    totals = [
        "",
        _("合计"),
        Figure(formulas.money(total["target_amount"]), "wan"),
        Figure(formulas.money(total["amount"]), "wan"),
        Figure(total["amount_rate"], "rate"),
        Figure(total["target_count"], "count"),
        Figure(total["count"], "count"),
        Figure(total["count_rate"], "rate"),
    ]
    table = {
        "title": _("%(y)d年招商战队目标完成情况") % {"y": year},
        "headers": [
            _("排名"),
            _("招商战队"),
            _("签约金额目标（万元）"),
            _("签约金额（万元）"),
            _("金额完成率"),
            _("签约个数目标"),
            _("签约个数"),
            _("个数完成率"),
        ],
        "rows": body,
        "totals": totals,
    }
    planned = _projects(user, year, 12, in_plan=True)
    plan_rows = _project_rows(planned)
    t = projects.totals(planned, year, 12)
    plan_table = {
        "title": _("%(y)d年度计划项目完成情况（%(n)d个）") % {"y": year, "n": t["count"]},
        "headers": [str(h) for h in PROJECT_HEADERS],
        "rows": plan_rows,
        "totals": [
            _("合计"),
            "",
            "",
            Figure(t["plan"], "wan"),
            Figure(t["ytd"], "wan"),
            Figure(formulas.completion_rate(t["ytd"], t["plan"]), "rate"),
            "",
            "",
        ],
    }
    notes = [
        _("全年签约%(a)s万元，目标%(t)s万元，签约完成率%(r)s。")
        % {
            "a": display(Figure(formulas.money(total["amount"]), "wan")),
            "t": display(Figure(formulas.money(total["target_amount"]), "wan")),
            "r": display(Figure(total["amount_rate"], "rate")),
        }
    ]
    return _section("targets", _("年度目标与完成"), [table, plan_table], notes)


def _blockers_section(user, start, end):
    """问题督办 through the supervision app's own summary (its period ends are inclusive)."""
    summary = blocker_summary(user, start, end - datetime.timedelta(days=1))
    figures = [
        (N_("本期新增问题（个）"), "opened"),
        (N_("本期办结问题（个）"), "closed"),
        (N_("其中按时办结（个）"), "closed_on_time"),
        (N_("期末逾期未办结（个）"), "open_overdue"),
    ]
    on_time, closed = _count(summary.get("closed_on_time")), _count(summary.get("closed"))
    table = {
        "title": _("问题督办情况"),
        "headers": [_("指标"), _("数量")],
        "rows": [
            *([str(label), Figure(_count(summary.get(key)), "count")] for label, key in figures),
            [_("按时办结率"), Figure(rate(on_time, closed, 1), "rate")],
        ],
        "totals": None,
    }
    tables = [table]
    if summary.get("blockers") is not None:
        tables.append(_blocker_list(summary["blockers"]))
    return _section("blockers", _("问题督办"), tables)


def _count(value):
    """A figure of the summary: a number, or the rows behind it."""
    if value is None:
        return 0
    return value if isinstance(value, int) else len(value)


def _blocker_list(blockers):
    return {
        "title": _("问题清单"),
        "headers": [_("问题"), _("开发区"), _("责任单位"), _("提出日期"), _("办结时限"), _("状态")],
        "rows": [
            [
                b.title,
                b.org.name,
                str(b.unit or ""),
                _day(b.raised_on),
                _day(b.deadline),
                b.get_status_display(),
            ]
            for b in blockers
        ],
        "totals": None,
    }


def _day(value):
    return f"{value:%Y-%m-%d}" if value else ""


# -- the document -----------------------------------------------------------------------


def content(user, org, kind, year, month=None, quarter=None, progress=None):
    """The document for `org` and the period, section by section; `progress(pct, label)`
    is told after each section."""
    step = progress or (lambda pct, label: None)
    start, end, last = window(kind, year, month, quarter)
    label = _period_label(kind, year, month, quarter)
    doc = {
        "title": _("%(org)s%(period)s%(kind)s")
        % {"org": org.name, "period": label, "kind": ReportJob.Kind(kind).label},
        "org": org.name,
        "period": label,
        "kind": kind,
        "year": year,
        "end_month": last,
        "generated_at": timezone.localtime(),
        "sections": [],
    }
    sections = doc["sections"]
    viewer = narrowed(user, org)
    now = cockpit_for(viewer, org, year, last)
    doc["zones"] = [z["name"] for z in now["zones"]]
    sections.append(_kpi_section(now, year, last))
    step(15, _("主要指标"))

    before = cockpit_for(viewer, org, year - 1, last)
    last_start, last_end, _m = window(kind, year - 1, month, quarter)
    signed = signings(viewer, start, end)
    signed_before = signings(viewer, last_start, last_end)
    sections.append(_comparison_section(now, before, signed, signed_before, year, last))
    step(30, _("同比与计划完成"))

    if kind == ReportJob.Kind.QUARTERLY:
        sections.append(_months_section(viewer, org, year, quarter))
        step(40, _("季度逐月分析"))

    sections.append(_warnings_section(viewer, year, last))
    step(50, _("红黄预警项目"))
    sections.append(_blockers_section(viewer, start, end))
    step(60, _("问题督办"))
    sections.append(_approvals_section(viewer, start, end))
    step(70, _("审批办理"))
    sections.append(_signings_section(signed))
    step(80, _("招商签约"))
    if kind == ReportJob.Kind.ANNUAL:
        sections.append(_targets_section(viewer, year))
        step(85, _("年度目标与完成"))
    return doc


def _period_label(kind, year, month, quarter):
    return ReportJob(kind=kind, year=year, month=month, quarter=quarter).period_label


# -- how a figure is shown --------------------------------------------------------------


def quantized(figure):
    """The figure's value rounded as it is shown (half up), or None."""
    v = figure.value
    if v is None:
        return None
    if figure.kind == "wan":
        return formulas.money(v)
    if figure.kind == "wan0":
        return Decimal(v).quantize(Decimal(1), ROUND_HALF_UP)
    if figure.kind == "yi":
        return (Decimal(v) / 10_000).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return v


def display(figure):
    """The figure as text, as the cockpit page prints it: 万元 with thousands separators,
    rates with their places and %, "—" when undefined."""
    v = quantized(figure)
    if v is None or v == "":
        return "—"
    if figure.kind == "wan":
        return format_wan(v)
    if figure.kind == "wan0":
        return format_wan(v, 0)
    if figure.kind == "yi":
        return format_yi(figure.value)
    if figure.kind == "rate":
        return f"{v}%"
    if figure.kind == "pp":
        return f"{v:+}"
    return str(v)
