"""The content of a period document (月汇总 · 季分析 · 年交账) as a plain structure, composed
section by section from the figures of `selectors`:

    {"title", "org", "period", "kind", "end_month", "zones": [names],
     "sections": [{"key", "title", "notes": [str],
                   "tables": [{"title", "headers": [str], "rows": [[cell]], "totals": [cell]}]}]}

A cell is text (str, possibly typed by a user: renderers treat it as plain text) or a
`Figure` (a number with how it is shown: 万元, rate, count …). `render` writes it as Word
and Excel.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as N_

from zonedesk.catalog import figures as registry
from zonedesk.catalog.rates import growth, rate
from zonedesk.leads import selectors as leads
from zonedesk.projects import formulas
from zonedesk.projects import selectors as projects
from zonedesk.supervision.selectors import blocker_summary

from .models import ReportJob
from .selectors import ZERO, approvals, cockpit_for, narrowed, projects_at, signings, window


@dataclass(frozen=True)
class Figure:
    """A number and how it is shown: wan (万元, 2 places), wan0 (万元, whole), yi (亿元),
    count, rate (%, with the places the formula gives), pp (percentage points)."""

    value: object
    kind: str


# The cockpit's KPIs in the cockpit's order; label and kind come from the figure registry.
KPI_KEYS = [
    "projects",
    "investment",
    *(
        f"{p}_{stage}"
        for stage in ("reserve", "signed", "started", "operating")
        for p in "n inv".split()
    ),
    "start_rate",
    "started_new",
    "planned_new",
    "resume_rate",
    "resumed",
    "continuing",
    "start_resume_rate",
    "started_resumed",
    "planned",
    "plan",
    "ytd",
    "completion",
    "time_progress",
    "red",
    "yellow",
    "late",
]


def labelled(keys):
    """(label, key, kind) of registered figures."""
    return [(str(registry.get(k).label), k, registry.get(k).kind) for k in keys]


def kpis():
    return labelled(KPI_KEYS)


def kpi_figure(z, key, kind):
    value = z.get(key, 0)
    if kind in ("wan", "wan0", "yi") and value is not None:
        value = Decimal(value)
    return Figure(value, kind)


def _columns(figures):
    """(header, figures) per column: each zone beneath, then the total (a county with a
    single zone too); a zone's own document has its one column."""
    zones = [(z["name"], z) for z in figures["zones"]]
    if figures["single"]:
        return zones
    return [*zones, (_("合计"), figures["total"])]


def _kpi_table(figures, title):
    columns = _columns(figures)
    return {
        "title": title,
        "headers": [_("指标")] + [name for name, _z in columns],
        "rows": [
            [str(label)] + [kpi_figure(z, key, kind) for _n, z in columns]
            for label, key, kind in kpis()
        ],
        "totals": None,
    }


# -- sections ----------------------------------------------------------------------------


def _section(key, title, tables=(), notes=()):
    return {"key": key, "title": title, "notes": list(notes), "tables": list(tables)}


def _kpi_section(now, year, month, cut):
    t = now["total"]
    notes = [
        _(
            "截至%(cut)s，共有项目%(n)d个，总投资%(inv)s亿元；年度计划投资%(plan)s万元，"
            "今年累计完成%(ytd)s万元，投资完成率%(c)s，时序进度%(tp)s。"
        )
        % {
            "cut": cut["text"],
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
    # Leads signed in the period: not the projects with a signing date (招商签约 lists both).
    for label, key, kind in (
        (_("本期签约线索（个）"), "count", "count"),
        (_("本期线索签约金额（万元）"), "amount", "wan"),
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


def _months_section(user, org, year, quarter, last):
    """The quarter's months through `last` (a running quarter: those reported)."""
    months = [m for m in (quarter * 3 - 2, quarter * 3 - 1, quarter * 3) if m <= last]
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


def _warnings_section(user, year, month):
    tables = []
    for colour, title in (("red", _("红色预警项目")), ("yellow", _("黄色预警项目"))):
        rows = _project_rows(projects_at(user, year, month, warning=colour))
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


def _approvals_section(user, start, end, cut):
    handled = approvals(user, start, end)
    done = [
        (step, deadline, used, _("按时") if on_time else _("超时"))
        for step, deadline, used, on_time in handled["done"]
    ]
    overdue = [(*item, _("逾期未办结")) for item in handled["overdue"]]
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

    late_done = sum(1 for item in handled["done"] if not item[3])
    notes = [
        _("本期办结审批事项%(d)d件，其中超时办结%(l)d件；截至%(cut)s逾期未办结%(o)d件。")
        % {"d": len(done), "l": late_done, "o": len(overdue), "cut": cut["short"]}
    ]
    if handled["note"]:
        notes.append(handled["note"])
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
            "title": _("签约日期在本期的项目（%(n)d个）") % {"n": len(project_rows)},
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
        _("本期签约线索%(n)d个，签约金额%(yi)s亿元；签约日期在本期的项目%(p)d个。")
        % {
            "n": signed["count"],
            "yi": display(Figure(signed["amount"], "yi")),
            "p": len(project_rows),
        }
    ]
    return _section("signings", _("招商签约"), tables, notes)


TARGET_KEYS = (
    "target_amount",
    "signed_amount",
    "amount_rate",
    "target_count",
    "signed_leads",
    "count_rate",
    "lead_start_rate",
    "lead_start_target",
    "lead_start_completion",
)


def _targets_section(user, year, last):
    rows = leads.leaderboard(user, year, last)
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
            Figure(r["start_rate"], "rate"),
            Figure(r["target"].start_rate, "rate") if r["target"] else "",
            Figure(r["start_completion"], "rate"),
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
        "",
        "",
        "",
    ]
    table = {
        "title": _("%(y)d年招商战队目标完成情况") % {"y": year},
        "headers": [
            _("排名"),
            _("招商战队"),
            *(str(registry.get(k).label) for k in TARGET_KEYS),
        ],
        "rows": body,
        "totals": totals,
    }
    planned = projects_at(user, year, last, in_plan=True)
    plan_rows = _project_rows(planned)
    t = projects.totals(planned, year, last)
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


CHARTS = [
    ("by_month", "chart_by_month", N_("月份")),
    ("by_chain", "chart_by_chain", N_("产业链")),
    ("by_park", "chart_by_park", N_("园区")),
]


def _charts_section(user, now, year, last):
    """The cockpit's charts: the same rows the page draws (projects.selectors.charts), and
    the warnings it counts; each table is drawn as a chart by the renderers."""
    charts = projects.charts(user, year, last)
    tables = [
        {
            "title": str(registry.get(key).label),
            "headers": [str(head), _("完成投资（万元）")],
            "rows": [[label, Figure(value, "wan")] for label, value, _rows in charts[name]],
            "totals": None,
            "chart": "bar" if name != "by_month" else "column",
        }
        for name, key, head in CHARTS
    ]
    t = now["total"]
    tables.append(
        {
            "title": _("红黄预警项目（个）"),
            "headers": [_("预警"), _("项目（个）")],
            "rows": [
                [str(registry.get(key).label), Figure(t[key], "count")] for key in ("red", "yellow")
            ],
            "totals": None,
            "chart": "column",
        }
    )
    notes = [_("图表与领导驾驶舱同一数据（%(y)d年1—%(m)d月）。") % {"y": year, "m": last}]
    return _section("charts", _("图表"), tables, notes)


def _blockers_section(user, start, cut):
    """问题督办 through the supervision app's own summary (its period ends are inclusive),
    cut at the period's end or, while it runs, today."""
    summary = blocker_summary(user, start, cut["day"])
    figures = [
        (registry.get("blockers_opened").label, "opened"),
        (registry.get("blockers_closed").label, "closed"),
        (registry.get("blockers_on_time").label, "closed_on_time"),
        (registry.get("blockers_overdue").label, "open_overdue"),
    ]
    on_time, closed = _count(summary.get("closed_on_time")), _count(summary.get("closed"))
    table = {
        "title": _("问题督办情况"),
        "headers": [_("指标"), _("数量")],
        "rows": [
            *([str(label), Figure(_count(summary.get(key)), "count")] for label, key in figures),
            [
                str(registry.get("blockers_on_time_rate").label),
                Figure(rate(on_time, closed, 1), "rate"),
            ],
        ],
        "totals": None,
    }
    tables = [table]
    if summary.get("blockers") is not None:
        tables.append(_blocker_list(summary["blockers"]))
    notes = [_("逾期未办结按截至%(cut)s的状态计。") % {"cut": cut["short"]}]
    return _section("blockers", _("问题督办"), tables, notes)


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


def cut_off(kind, year, month=None, quarter=None, today=None):
    """Where a document's period is cut: a closed period at its last day, with its figures
    at its end month; a running one at today ("截至12月3日"), with its 1—N月 figures at the
    last month of the period already over (the current one while none is)."""
    start, end, last = window(kind, year, month, quarter)
    today = today or timezone.localdate()
    final = end - datetime.timedelta(days=1)
    if today >= final:
        text = _("%(y)d年%(m)d月底") % {"y": year, "m": last}
        return {"day": final, "month": last, "running": False, "text": text, "short": _("期末")}
    over = today.month - 1 if today.year == year else 0
    month_of = over if over >= start.month else today.month
    day = _("%(m)d月%(d)d日") % {"m": today.month, "d": today.day}
    text = _("%(day)s（月度数据为%(y)d年1—%(m)d月）") % {"day": day, "y": year, "m": month_of}
    return {"day": today, "month": month_of, "running": True, "text": text, "short": day}


def content(user, org, kind, year, month=None, quarter=None, progress=None):
    """The document for `org` and the period, section by section; `progress(pct, label)`
    is told after each section."""
    step = progress or (lambda pct, label: None)
    start, end, _last = window(kind, year, month, quarter)
    cut = cut_off(kind, year, month, quarter)
    last = cut["month"]
    label = _period_label(kind, year, month, quarter)
    doc = {
        "title": _("%(org)s%(period)s%(kind)s")
        % {"org": org.name, "period": label, "kind": ReportJob.Kind(kind).label},
        "org": org.name,
        "period": label,
        "kind": kind,
        "year": year,
        "end_month": last,
        "cut": cut,
        "generated_at": timezone.localtime(),
        "sections": [],
    }
    sections = doc["sections"]
    viewer = narrowed(user, org)
    now = cockpit_for(viewer, org, year, last)
    doc["zones"] = [z["name"] for z in now["zones"]]
    doc["figures"] = now
    sections.append(_kpi_section(now, year, last, cut))
    step(15, _("主要指标"))

    before = cockpit_for(viewer, org, year - 1, last)
    last_start, last_end, _m = window(kind, year - 1, month, quarter)
    signed = signings(viewer, start, end)
    signed_before = signings(viewer, last_start, last_end)
    sections.append(_comparison_section(now, before, signed, signed_before, year, last))
    step(30, _("同比与计划完成"))

    if kind == ReportJob.Kind.QUARTERLY:
        sections.append(_months_section(viewer, org, year, quarter, last))
        step(40, _("季度逐月分析"))

    sections.append(_warnings_section(viewer, year, last))
    step(50, _("红黄预警项目"))
    sections.append(_blockers_section(viewer, start, cut))
    step(60, _("问题督办"))
    sections.append(_approvals_section(viewer, start, end, cut))
    step(70, _("审批办理"))
    sections.append(_signings_section(signed))
    step(80, _("招商签约"))
    if kind == ReportJob.Kind.ANNUAL:
        sections.append(_targets_section(viewer, year, last))
        step(85, _("年度目标与完成"))
    sections.append(_charts_section(viewer, now, year, last))
    step(88, _("图表"))
    return doc


def _period_label(kind, year, month, quarter):
    return ReportJob(kind=kind, year=year, month=month, quarter=quarter).period_label


# -- how a figure is shown --------------------------------------------------------------


def quantized(figure):
    """The figure's value rounded as it is shown (half up), or None."""
    return registry.rounded(figure.kind, figure.value)


def display(figure):
    """The figure as text, as every page prints it (catalog.figures.text): 万元 with
    thousands separators, rates with their places and %, "—" when undefined."""
    return registry.text(figure.kind, figure.value)
