"""The project ledger (重点项目台账) as the import engine reads it: columns, matching, and the
rules of services.create_project / update_project / set_year_plan applied to the whole file
against records loaded once, so that the engine can write it in bulk."""

import copy
import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.audit.models import PeriodLock
from zonedesk.catalog.bounds import MONTH, YEAR
from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.imports.aliases import Names
from zonedesk.imports.engine import (
    Column,
    Kind,
    amount,
    bounded,
    choice,
    chunked,
    count,
    create_write,
    date,
    labels,
    new,
    register,
    text,
    update_write,
    upsert,
)
from zonedesk.imports.models import Alias
from zonedesk.imports.reader import parse_date, parse_int, parse_text
from zonedesk.orgs.models import Role, Team, Unit, User
from zonedesk.orgs.selectors import has_role_over

from . import formulas, rules, services
from .models import ProgressReport, Project, YearPlan, ZoneSettings

Stage = Project.Stage
REPORT_FIELDS = ["period", "invested", "progress", "problems", "is_late"]

STAGES = {str(label): value for value, label in Project.Stage.choices if value != "cancelled"}
# The words zones' ledgers use for a stage beside its name.
STAGES |= {"前期": "reserve", "谋划": "reserve", "已签约": "signed", "开工": "started",
           "新开工": "started", "建设中": "started", "已竣工": "completed",
           "已投产": "operating"}  # fmt: skip


def _stage(value, _unit=None):
    shown = parse_text(value)
    if not shown:
        return None
    if shown not in STAGES:
        raise ValueError(
            _("应为%(list)s之一，而不是“%(v)s”")
            % {"list": "、".join(labels(Stage)[:5]), "v": shown}
        )
    return STAGES[shown]


COLUMNS = [
    Column("project_code", ["项目编号", "统一项目代码", "项目代码"], text),
    Column("name", ["项目名称"], text, required=True),
    Column("nature", ["建设性质"], choice(Project.Nature), choices=labels(Project.Nature)),
    Column(
        "category",
        ["项目类型", "项目类别"],
        choice(Project.Category),
        choices=labels(Project.Category),
    ),
    Column("content", ["建设内容", "建设规模及内容", "主要建设内容"], text),
    Column("scale", ["建设规模"], text),
    Column(
        "total_investment",
        ["总投资", "计划总投资", "项目总投资"],
        amount,
        required=True,
        unit="万元",
    ),
    Column(
        "planned_investment",
        ["今年计划投资", "其中：今年计划", "今年计划", "年度计划投资", "本年计划投资"],
        amount,
        unit="万元",
    ),
    Column("annual_output", ["预计年产值", "年产值", "达产后年产值"], amount, unit="万元"),
    Column("annual_tax", ["预计年税收", "年税收", "达产后年税收"], amount, unit="万元"),
    Column("jobs", ["带动就业", "新增就业", "就业人数"], count),
    Column("planned_start", ["计划开工时间", "计划开工日期"], date),
    Column("planned_completion", ["计划竣工时间", "计划竣工日期"], date),
    Column("chain", ["产业链", "所属产业链"], text),
    Column("leader", ["包联领导"], text),
    Column("unit", ["责任单位"], text),
    Column("agent_unit", ["服务单位", "代办单位"], text),
    Column("team", ["项目专班"], text),
    Column("stage", ["建设阶段", "项目阶段", "所处阶段"], _stage, choices=labels(Stage)[:5]),
    Column(
        "ytd",
        ["今年累计完成投资", "本年累计完成投资", "今年完成投资", "年度累计完成投资"],
        amount,
        unit="万元",
    ),
    Column("month_invested", ["本月完成投资", "当月完成投资"], amount, unit="万元"),
    Column("month_progress", ["本月进展", "本月形象进度", "形象进度", "项目进展情况"], text),
    Column("problems", ["问题和建议", "存在问题", "存在问题及建议", "存在的问题"], text),
]
# Columns that write the year plan, the month's report and the stage, not the project's fields.
MONTH_FIELDS = {"ytd", "month_invested", "month_progress", "problems"}
NOT_PROJECT = {"planned_investment", "stage", *MONTH_FIELDS}
PLAN_FIELDS = ["year", "planned_investment", "planned_start_month", "goal"]
LEDGER = "据台账"
SHEET_FIELD = {"invested": "month_invested", "progress": "month_progress"}


class Access:
    """What the actor may do in the zone, asked once per file (services.can_edit's rules)."""

    def __init__(self, actor, org):
        self.actor, self.org = actor, org
        self.all = actor is None or has_role_over(actor, org, {Role.Name.ADMIN})
        self.create = actor is None or has_role_over(
            actor, org, {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER}
        )
        self.lead = actor is None or has_role_over(actor, org, {Role.Name.ADMIN, Role.Name.LEADER})
        self.officer = actor is not None and has_role_over(actor, org, {Role.Name.OFFICER})
        self.teams = set(actor.teams.values_list("pk", flat=True)) if actor else set()
        self.taskforces = (
            list(actor.teams.filter(org=org, kind="taskforce")) if actor and not self.lead else []
        )

    def can_edit(self, project):
        return self.all or (self.officer and project.team_id in self.teams)

    def require_edit(self, project):
        if not self.can_edit(project):
            raise PermissionDenied(_("只有该项目专班的项目专员或管理员可以修改此项目"))


class Projects:
    """The zone's projects and the file's codes, loaded once: matching by code or name."""

    def __init__(self, org, rows):
        related = Project.objects.select_related("leader", "unit", "agent_unit", "team")
        self.by_name, self.by_code = {}, {}
        for project in related.filter(org=org):
            self.by_name[project.name] = project
            if project.project_code:
                self.by_code[project.project_code] = project
        codes = {v.get("project_code") for v in rows} - {None, ""} - set(self.by_code)
        for project in chunked(related.exclude(org=org), "project_code", codes):
            self.by_code[project.project_code] = project

    def find(self, org, values):
        """By 统一项目代码 when the row has one, else by name within the zone."""
        code = values.get("project_code")
        if code:
            project = self.by_code.get(code)
            if project is not None and project.org_id != org.pk:
                raise ValueError(_("统一项目代码“%(c)s”已属于其他开发区的项目") % {"c": code})
            return project, _("统一项目代码"), code
        name = values.get("name") or ""
        return self.by_name.get(name), _("项目名称"), name


class Context:
    def __init__(self, actor, org, rows, options=None):
        options = options or {}
        self.actor, self.org, self.options = actor, org, options
        self.access = Access(actor, org)
        self.projects = Projects(org, rows)
        self.today = timezone.localdate()
        self.year = options.get("year") or self.today.year
        month = options.get("month")
        # The month the sheet reports on (本月完成投资, 今年累计 up to it): its title's.
        self.period = datetime.date(self.year, month, 1) if month else None
        self.plans = {
            p.project_id: p
            for p in YearPlan.objects.filter(project__org=org, year=self.year).select_related(
                "project"
            )
        }
        self.reports = {}
        year_reports = ProgressReport.objects.filter(project__org=org, period__year=self.year)
        for report in year_reports.select_related("project"):
            self.reports.setdefault(report.project_id, {})[report.period] = report
        self.locked = set(PeriodLock.objects.filter(org=org).values_list("period", flat=True))
        self.settings = ZoneSettings.objects.filter(org=org).first()
        self.calendar = WorkCalendar()
        self.claimed_names = {}
        # Names within the zone and the nodes above it (its county's units), never a
        # sibling zone's; through the zone's aliases and the user's answers.
        answers = options.get("aliases") or {}
        ancestors = org.path.strip("/").split("/")
        units = Unit.objects.filter(
            Q(org__path__startswith=org.path) | Q(org_id__in=ancestors)
        ).order_by("pk")
        known = {}
        for unit in units:
            known.setdefault(unit.name, unit)
        self.units = Names(org, Alias.Field.UNIT, known, answers.get(Alias.Field.UNIT))
        teams = {t.name: t for t in Team.objects.filter(org=org, kind=Team.Kind.TASK_FORCE)}
        self.teams = Names(org, Alias.Field.TEAM, teams, answers.get(Alias.Field.TEAM))
        paths = ["/" + "/".join(ancestors[: i + 1]) + "/" for i in range(len(ancestors))]
        known = {}
        for where in (Q(roles__org__path__in=paths), Q(roles__org__path__startswith=org.path)):
            for user in User.objects.filter(where).exclude(name="").order_by("pk").distinct():
                known.setdefault(user.name, user)
        self.leaders = Names(org, Alias.Field.LEADER, known, answers.get(Alias.Field.LEADER))

    def questions(self):
        """The file's unknown names, each with its nearest known ones, for the preview."""
        return [*self.units.questions(), *self.leaders.questions(), *self.teams.questions()]

    def month_report(self, project):
        return self.reports.get(project.pk, {}).get(self.period) if self.period else None

    def ytd(self, project):
        """今年累计完成投资 as stored: the months up to the sheet's, the opening balance too."""
        if self.period is None:
            return None
        months = self.reports.get(project.pk, {})
        shown = [r.invested for p, r in months.items() if p <= self.period]
        return sum(shown, Decimal(0)) if shown else None


def find(ctx, values):
    return ctx.projects.find(ctx.org, values)


def current(ctx, project):
    plan, report = ctx.plans.get(project.pk), ctx.month_report(project)
    return {
        "project_code": project.project_code,
        "name": project.name,
        "nature": project.nature,
        "category": project.category,
        "content": project.content,
        "scale": project.scale,
        "total_investment": project.total_investment,
        "planned_investment": plan.planned_investment if plan else None,
        "annual_output": project.annual_output,
        "annual_tax": project.annual_tax,
        "jobs": project.jobs,
        "planned_start": project.planned_start,
        "planned_completion": project.planned_completion,
        "chain": project.chain,
        "leader": str(project.leader or ""),
        "unit": str(project.unit or ""),
        "agent_unit": str(project.agent_unit or ""),
        "team": str(project.team or ""),
        "stage": project.stage,
        "ytd": ctx.ytd(project),
        "month_invested": report.invested if report else None,
        "month_progress": report.progress if report else None,
        "problems": report.problems if report else None,
    }


def _resolve(ctx, values):
    """Names in the sheet → the people, units and task forces they stand for, within the
    zone's reach."""
    data = {k: v for k, v in values.items() if k not in NOT_PROJECT}
    named = (("unit", ctx.units, _("找不到名为“%(n)s”的单位")),
             ("agent_unit", ctx.units, _("找不到名为“%(n)s”的单位")),
             ("leader", ctx.leaders, _("找不到名为“%(n)s”的包联领导")),
             ("team", ctx.teams, _("找不到名为“%(n)s”的项目专班")))  # fmt: skip
    unknown = {}  # every unknown name of the row, so that the preview asks them all at once
    for key, known, missing in named:
        if key in values:
            data[key] = None
            if values[key]:
                data[key] = known.get(values[key])
                if data[key] is None:
                    unknown[key] = known.missing(values[key], missing % {"n": values[key]})
    if unknown:
        raise ValidationError(unknown)
    return data


def _clean(ctx, data, instance=None):
    """rules.clean_project, with uniqueness checked against the loaded projects and the rows
    before this one instead of a query per row."""

    def name_taken(name, me):
        holder = ctx.projects.by_name.get(name)
        return (holder is not None and holder.pk != me) or ctx.claimed_names.get(name, me) != me

    def code_holder(code, me):
        holder = ctx.projects.by_code.get(code)
        return holder if holder is not None and holder.pk != me else None

    data = rules.clean_project(
        data, ctx.org, instance=instance, name_taken=name_taken, code_holder=code_holder
    )
    ctx.claimed_names[data["name"]] = getattr(instance, "pk", None)
    return data


DEFAULT_KIND = {"category": Project.Category.INDUSTRY, "nature": Project.Nature.NEW}


def build(ctx, project, values):
    data = _resolve(ctx, values)
    if project is None:
        if not ctx.access.create:
            raise PermissionDenied(_("您没有在“%(org)s”登记项目的权限") % {"org": ctx.org})
        data = DEFAULT_KIND | {k: v for k, v in data.items() if v is not None}
        data = _clean(ctx, {f: data.get(f) for f in services.FIELDS if f != "org"})
        if data.get("team") is None and not ctx.access.lead:
            if len(ctx.access.taskforces) != 1:
                raise ValidationError({"team": _("请选择该项目的项目专班")})
            data["team"] = ctx.access.taskforces[0]
        project = new(Project, {"org": ctx.org, **{k: v for k, v in data.items() if v is not None}})
        fields = list(services.FIELDS)
        stage = _stage_data(ctx, project, values)
        if stage:
            for name, value in stage.items():
                setattr(project, name, value)
            fields += [f for f in stage if f != "reason"]
        writes = [create_write(project, action="project.create", org=ctx.org, fields=fields)]
        if stage and "reason" in stage:
            writes[0].note = stage["reason"]
    else:
        ctx.access.require_edit(project)
        merged = {f: getattr(project, f) for f in services.FIELDS if f != "org"} | data
        write = update_write(
            project, _clean(ctx, merged, project), action="project.update", org=ctx.org
        )
        writes = [write] if write else []
        stage = _stage_data(ctx, project, values)
        if stage:
            note = stage.pop("reason", None)
            write = update_write(project, stage, action="project.stage", org=ctx.org)
            if write:
                write.note = note
                writes.append(write)
    if values.get("planned_investment") is not None:
        writes += _year_plan(ctx, project, values)
    writes += _month_report(ctx, project, values)
    return writes


def _stage_data(ctx, project, values):
    """rules.stage_change for 建设阶段: a date the stage needs and the project lacks is taken
    from 计划开工时间 (竣工 and 投产: 计划竣工时间 when given) and marked 据台账 in the audit."""
    stage = values.get("stage")
    if not stage or stage == project.stage:
        return {}
    start = values.get("planned_start") or project.planned_start
    end = values.get("planned_completion") or project.planned_completion
    probe = copy.copy(project)  # the steps are taken on a copy: update_write compares to it
    taken, data, done = [], {}, stage in (Stage.COMPLETED, Stage.OPERATING)
    if done and not project.started_on:
        data |= _ledger_step(ctx, probe, Stage.STARTED, start, taken)
    data |= _ledger_step(ctx, probe, stage, (end or start) if done else start, taken)
    if taken:
        data["reason"] = _("%(f)s%(s)s") % {"f": "、".join(taken), "s": LEDGER}
    return data


def _ledger_step(ctx, project, stage, ledger_date, taken):
    field = rules.STAGE_DATE[Stage(stage)]
    on = getattr(project, field) or ledger_date
    if on is None:
        raise ValidationError(
            {"stage": _("「建设阶段」为“%(s)s”，缺少%(f)s：请填写「计划开工时间」")
             % {"s": Stage(stage).label, "f": Project._meta.get_field(field).verbose_name}}
        )  # fmt: skip
    if getattr(project, field) is None:
        taken.append(str(Project._meta.get_field(field).verbose_name))
    data = rules.stage_change(project, stage, on=on, today=ctx.today)
    for name, value in data.items():
        setattr(project, name, value)  # the next step sees this one, as the service would
    return data


def _month_report(ctx, project, values):
    """本月完成投资 / 本月进展 / 问题和建议 as the month's report (rules.check_progress), and
    今年累计完成投资 reconciled with the months filed: what it holds beyond them is the
    year's opening balance (期初累计), kept on the first month not filed."""
    given = {k for k in MONTH_FIELDS if values.get(k) not in (None, "")}
    if not given:
        return []
    if ctx.period is None:
        raise ValueError(_("无法确定报表所属月份：标题中未写明年月，请在预览中选择年度和月份"))
    if project.pk is not None:
        ctx.access.require_edit(project)
    months = ctx.reports.setdefault(project.pk or id(project), {})
    writes, report = [], months.get(ctx.period)
    if {"month_invested", "month_progress", "problems"} & given:
        report = report or ProgressReport(project=project, period=ctx.period, problems="")
        invested = values.get("month_invested", report.invested)
        progress = values.get("month_progress") or report.progress
        try:
            rules.check_progress(
                ctx.period,
                invested,
                progress,
                today=ctx.today,
                locked=ctx.period in ctx.locked,
                exists=report.pk is not None,
            )
        except ValidationError as e:  # the rule's fields, as this sheet's columns
            raise ValidationError(
                {SHEET_FIELD.get(k, k): v for k, v in e.error_dict.items()}
            ) from e
        data = {
            "invested": invested,
            "progress": progress.strip(),
            "problems": (values.get("problems", report.problems) or "").strip(),
            "is_opening": False,
        }
        if report.pk is None:
            report.filed_by = ctx.actor
            deadline = formulas.zone_deadline(ctx.settings, ctx.period, ctx.calendar)
            report.is_late = ctx.today > deadline
        writes += upsert(report, data, create="progress.file", update="progress.update",
                         org=ctx.org, fields=REPORT_FIELDS)  # fmt: skip
        months[ctx.period] = report
    if "ytd" in given:
        writes += _opening(ctx, project, values["ytd"], months)
    return writes


def _opening(ctx, project, ytd, months):
    filed = {p: r for p, r in months.items() if p <= ctx.period and not r.is_opening}
    total = sum((r.invested for r in filed.values()), Decimal(0))
    missing = [
        datetime.date(ctx.year, m, 1)
        for m in range(1, ctx.period.month + 1)
        if datetime.date(ctx.year, m, 1) not in filed
    ]
    rest = ytd - total
    shown = {"ytd": ytd, "sum": total}
    if rest < 0 or (rest and not missing):
        raise ValueError(
            _("「今年累计完成投资」%(ytd)s万元与已填报各月合计%(sum)s万元不符") % shown
        )
    opening = next((r for r in months.values() if r.is_opening), None)
    if opening is None and not rest:
        return []
    if opening is None:
        opening = ProgressReport(project=project, period=missing[0], filed_by=ctx.actor)
        months[missing[0]] = opening
    data = {
        "invested": rest,
        "progress": _("期初累计（%(y)d年1-%(m)d月未逐月填报部分，据台账）")
        % {"y": ctx.year, "m": ctx.period.month},
        "problems": "",
        "is_opening": True,
    }
    return upsert(opening, data, create="progress.opening", update="progress.opening",
                  org=ctx.org, fields=[*REPORT_FIELDS, "is_opening"])  # fmt: skip


def _year_plan(ctx, project, values):
    """services.set_year_plan for the sheet's year, from 今年计划投资 and 计划开工时间."""
    if project.pk is not None:
        ctx.access.require_edit(project)
    plan = ctx.plans.get(project.pk) if project.pk else None
    start = values.get("planned_start")
    month = (
        start.month
        if start and start.year == ctx.year
        else getattr(plan, "planned_start_month", None)
    )
    rules.check_year_plan(ctx.year, values["planned_investment"], month)
    data = {"planned_investment": values["planned_investment"], "planned_start_month": month}
    plan = plan or YearPlan(project=project, year=ctx.year, goal="")
    return _save_plan(ctx, plan, data)


def _save_plan(ctx, plan, data):
    return upsert(
        plan,
        data,
        create="yearplan.create",
        update="yearplan.update",
        org=ctx.org,
        fields=PLAN_FIELDS,
    )


# Column by column, as the template lays them out.
EXAMPLE = [
    "2026-140725-04-01-000123",
    "示例：年产30万吨生活用纸项目",
    "新建",
    "产业类",
    "新建生产线4条",
    "年产30万吨",
    60000,
    18000,
    150000,
    6000,
    300,
    "2026-03-01",
    "2027-12-31",
    "造纸",
    "",
    "",
    "",
]

PROJECTS = register(
    Kind(
        name="projects",
        label=gettext_lazy("重点项目台账"),
        columns=COLUMNS,
        prepare=Context,
        find=find,
        current=current,
        build=build,
        template_rows=[EXAMPLE],
    )
)


# ---------------------------------------------------------------------------------------
# Year plans (年度计划): project × year, the project found by its code or name in the zone.

PROJECT_COLUMNS = [
    Column("project_code", ["统一项目代码", "项目编号", "项目代码"], text),
    Column("name", ["项目名称"], text),
]


_year = bounded(lambda value, _unit=None: parse_int(value), YEAR)


def _month(value, _unit=None):
    """计划开工月份: 3, "3月", or a date whose month is taken."""
    shown = parse_text(value).removesuffix("月份").removesuffix("月")
    if not shown:
        return None
    return parse_int(shown) if shown.isdigit() else parse_date(value).month


YEAR_PLAN_COLUMNS = [
    *PROJECT_COLUMNS,
    Column("year", ["年度", "计划年度", "年份"], _year, required=True),
    Column(
        "planned_investment",
        ["年度计划投资", "今年计划投资", "计划投资", "其中：今年计划"],
        amount,
        required=True,
        unit="万元",
    ),
    Column("planned_start_month", ["计划开工月份", "计划开工时间"], bounded(_month, MONTH)),
    Column("goal", ["年度建设目标", "建设目标", "年度目标"], text),
]


def _project(ctx, values):
    if not values.get("project_code") and not values.get("name"):
        raise ValueError(_("请填写统一项目代码或项目名称"))
    project, matched_by, identity = ctx.projects.find(ctx.org, values)
    if project is None:
        raise ValueError(_("找不到项目“%(p)s”：请先导入或登记该项目") % {"p": identity})
    return project, matched_by


class PlanContext:
    def __init__(self, actor, org, rows, options=None):
        self.org, self.access, self.projects = org, Access(actor, org), Projects(org, rows)
        plans = YearPlan.objects.filter(project__org=org, year__in={v.get("year") for v in rows})
        self.plans = {(p.project_id, p.year): p for p in plans.select_related("project")}


def find_plan(ctx, values):
    project, matched_by = _project(ctx, values)
    plan = ctx.plans.get((project.pk, values["year"]))
    return plan, matched_by, f"{project} {values['year']}"


def current_plan(ctx, plan):
    return {
        "year": plan.year,
        "planned_investment": plan.planned_investment,
        "planned_start_month": plan.planned_start_month,
        "goal": plan.goal,
    }


def build_plan(ctx, plan, values):
    """services.set_year_plan's rules."""
    if plan is None:
        plan = YearPlan(project=_project(ctx, values)[0], year=values["year"], goal="")
    ctx.access.require_edit(plan.project)
    data = {
        "planned_investment": values["planned_investment"],
        "planned_start_month": values.get("planned_start_month", plan.planned_start_month),
        "goal": (values.get("goal", plan.goal) or "").strip(),
    }
    return _save_plan(ctx, plan, data)


YEAR_PLANS = register(
    Kind(
        name="yearplans",
        label=gettext_lazy("年度投资计划"),
        columns=YEAR_PLAN_COLUMNS,
        prepare=PlanContext,
        find=find_plan,
        current=current_plan,
        build=build_plan,
        template_rows=[
            ["2026-140725-04-01-000123", "示例：年产30万吨生活用纸项目", 2026, 18000, 3, "主体封顶"]
        ],
    )
)


# ---------------------------------------------------------------------------------------
# Monthly progress (月度进展): project × month; a locked month cannot be changed by import.


def _period(value, _unit=None):
    day = parse_date(value)
    return day.replace(day=1) if day else None


PROGRESS_COLUMNS = [
    *PROJECT_COLUMNS,
    Column("period", ["月份", "填报月份", "报告期", "年月"], _period, required=True),
    Column(
        "invested",
        ["本月完成投资", "当月完成投资", "本月投资", "月度完成投资"],
        amount,
        required=True,
        unit="万元",
    ),
    Column("progress", ["形象进度", "项目进展情况", "进展情况"], text, required=True),
    Column("problems", ["存在问题", "存在的问题", "存在问题及建议"], text),
]


class ProgressContext:
    def __init__(self, actor, org, rows, options=None):
        self.actor, self.org = actor, org
        self.access, self.projects = Access(actor, org), Projects(org, rows)
        periods = {v.get("period") for v in rows} - {None}
        reports = ProgressReport.objects.filter(project__org=org, period__in=periods)
        self.reports = {(r.project_id, r.period): r for r in reports.select_related("project")}
        self.locked = set(PeriodLock.objects.filter(org=org).values_list("period", flat=True))
        self.settings = ZoneSettings.objects.filter(org=org).first()
        self.calendar = WorkCalendar()
        self.today = timezone.localdate()


def find_report(ctx, values):
    project, matched_by = _project(ctx, values)
    period = values["period"]
    return ctx.reports.get((project.pk, period)), matched_by, f"{project} {period:%Y-%m}"


def current_report(ctx, report):
    return {
        "period": report.period,
        "invested": report.invested,
        "progress": report.progress,
        "problems": report.problems,
    }


def build_report(ctx, report, values):
    """services.file_progress's rules; a closed month is refused outright, since a correction
    needs its reason given on the report's page."""
    if report is None:
        report = ProgressReport(project=_project(ctx, values)[0], period=values["period"])
    ctx.access.require_edit(report.project)
    rules.check_progress(
        values["period"],
        values["invested"],
        values["progress"],
        today=ctx.today,
        locked=values["period"] in ctx.locked,
        exists=report.pk is not None,
    )
    period = values["period"]
    data = {
        "invested": values["invested"],
        "progress": values["progress"].strip(),
        "problems": (values.get("problems", report.problems) or "").strip(),
    }
    if report.pk is None:
        report.filed_by = ctx.actor
        report.is_late = ctx.today > formulas.zone_deadline(ctx.settings, period, ctx.calendar)
    return upsert(
        report,
        data,
        create="progress.file",
        update="progress.update",
        org=ctx.org,
        fields=REPORT_FIELDS,
    )


PROGRESS = register(
    Kind(
        name="progress",
        label=gettext_lazy("月度项目进展"),
        columns=PROGRESS_COLUMNS,
        prepare=ProgressContext,
        find=find_report,
        current=current_report,
        build=build_report,
        template_rows=[
            [
                "2026-140725-04-01-000123",
                "示例：年产30万吨生活用纸项目",
                "2026-03",
                1200,
                "主体结构施工，完成基础浇筑",
                "",
            ]
        ],
    )
)
