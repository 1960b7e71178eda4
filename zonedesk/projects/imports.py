"""The project ledger (重点项目台账) as the import engine reads it: columns, matching, and the
rules of services.create_project / update_project / set_year_plan applied to the whole file
against records loaded once, so that the engine can write it in bulk."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.audit.models import PeriodLock
from zonedesk.catalog.bounds import MONTH, YEAR
from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.catalog.validators import validate_project_code
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
from zonedesk.imports.reader import parse_date, parse_int, parse_text
from zonedesk.orgs.models import Role, Unit, User
from zonedesk.orgs.selectors import has_role_over

from . import formulas, services
from .models import ProgressReport, Project, YearPlan, ZoneSettings

COLUMNS = [
    Column("project_code", ["项目编号", "统一项目代码", "项目代码"], text),
    Column("name", ["项目名称"], text, required=True),
    Column(
        "nature",
        ["建设性质"],
        choice(Project.Nature, Project.Nature.NEW),
        choices=labels(Project.Nature),
    ),
    Column(
        "category",
        ["项目类型", "项目类别"],
        choice(Project.Category, Project.Category.INDUSTRY),
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
        ["今年计划投资", "其中：今年计划", "今年计划", "年度计划投资"],
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
]
PEOPLE = {"leader", "unit", "agent_unit"}
PLAN_FIELDS = ["year", "planned_investment", "planned_start_month", "goal"]


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
        related = Project.objects.select_related("leader", "unit", "agent_unit")
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
    def __init__(self, actor, org, rows):
        self.actor, self.org = actor, org
        self.access = Access(actor, org)
        self.projects = Projects(org, rows)
        self.year = timezone.localdate().year
        self.plans = {
            p.project_id: p
            for p in YearPlan.objects.filter(project__org=org, year=self.year).select_related(
                "project"
            )
        }
        self.claimed_names, self.claimed_codes = {}, {}
        ancestors = org.path.strip("/").split("/")
        units = Unit.objects.filter(
            Q(org__path__startswith=org.path) | Q(org_id__in=ancestors)
        ).order_by("pk")
        self.units = {}
        for unit in units:
            self.units.setdefault(unit.name, unit)
        names = {v.get("leader") for v in rows} - {None, ""}
        paths = ["/" + "/".join(ancestors[: i + 1]) + "/" for i in range(len(ancestors))]
        self.leaders = {}
        for where in (Q(roles__org__path__in=paths), Q(roles__org__path__startswith=org.path)):
            for user in User.objects.filter(where, name__in=names).order_by("pk"):
                self.leaders.setdefault(user.name, user)


def find(ctx, values):
    return ctx.projects.find(ctx.org, values)


def current(ctx, project):
    plan = ctx.plans.get(project.pk)
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
    }


def _resolve(ctx, values):
    """Names in the sheet → the people and units they stand for, within the zone's reach."""
    data = {k: v for k, v in values.items() if k != "planned_investment"}
    for key in ("unit", "agent_unit"):
        if key in values:
            data[key] = None
            if values[key]:
                data[key] = ctx.units.get(values[key])
                if data[key] is None:
                    raise ValueError(_("找不到名为“%(n)s”的单位") % {"n": values[key]})
    if "leader" in values:
        data["leader"] = None
        if values["leader"]:
            data["leader"] = ctx.leaders.get(values["leader"])
            if data["leader"] is None:
                raise ValueError(_("找不到名为“%(n)s”的包联领导") % {"n": values["leader"]})
    return data


def _clean(ctx, data, instance=None):
    """services._clean's rules, with uniqueness checked against the loaded projects and the
    rows before this one instead of a query per row."""
    org = ctx.org
    for name, choices in (("category", Project.Category), ("nature", Project.Nature)):
        if data.get(name) not in choices.values:
            raise ValidationError(
                {name: _("请选择%(f)s") % {"f": Project._meta.get_field(name).verbose_name}}
            )
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        raise ValidationError({"name": _("项目名称不能为空")})
    me = getattr(instance, "pk", None)
    holder = ctx.projects.by_name.get(data["name"])
    if (holder is not None and holder.pk != me) or ctx.claimed_names.get(data["name"], me) != me:
        raise ValidationError(
            {"name": _("“%(org)s”已有名为“%(name)s”的项目") % {"org": org, "name": data["name"]}}
        )
    code = (data.get("project_code") or "").strip()
    if code:
        try:
            code = validate_project_code(code)
        except ValidationError as e:
            raise ValidationError({"project_code": e.messages}) from e
        holder = ctx.projects.by_code.get(code)
        if holder is not None and holder.pk != me:
            raise ValidationError(
                {"project_code": _("统一项目代码已用于“%(name)s”") % {"name": holder}}
            )
    data["project_code"] = code
    # Amounts and counts are bounded by their cells' parsers (engine.amount, engine.count).
    if data.get("total_investment") is None:
        raise ValidationError({"total_investment": _("请填写总投资（万元）")})
    start, end = data.get("planned_start"), data.get("planned_completion")
    if start and end and end < start:
        raise ValidationError({"planned_completion": _("计划竣工时间不能早于计划开工时间")})
    for name in ("scale", "chain", "content"):
        data[name] = (data.get(name) or "").strip()
    ctx.claimed_names[data["name"]] = me
    return data


def build(ctx, project, values):
    data = _resolve(ctx, values)
    if project is None:
        if not ctx.access.create:
            raise PermissionDenied(_("您没有在“%(org)s”登记项目的权限") % {"org": ctx.org})
        data = {"category": Project.Category.INDUSTRY, "nature": Project.Nature.NEW, **data}
        data = _clean(ctx, {f: data.get(f) for f in services.FIELDS if f != "org"})
        if data.get("team") is None and not ctx.access.lead:
            if len(ctx.access.taskforces) != 1:
                raise ValidationError({"team": _("请选择该项目的项目专班")})
            data["team"] = ctx.access.taskforces[0]
        project = new(Project, {"org": ctx.org, **{k: v for k, v in data.items() if v is not None}})
        writes = [
            create_write(project, action="project.create", org=ctx.org, fields=services.FIELDS)
        ]
    else:
        ctx.access.require_edit(project)
        merged = {f: getattr(project, f) for f in services.FIELDS if f != "org"} | data
        write = update_write(
            project, _clean(ctx, merged, project), action="project.update", org=ctx.org
        )
        writes = [write] if write else []
    if values.get("planned_investment") is not None:
        writes += _year_plan(ctx, project, values)
    return writes


def _year_plan(ctx, project, values):
    """services.set_year_plan for this year's plan, from 今年计划投资 and 计划开工时间."""
    if project.pk is not None:
        ctx.access.require_edit(project)
    plan = ctx.plans.get(project.pk) if project.pk else None
    start = values.get("planned_start")
    month = (
        start.month
        if start and start.year == ctx.year
        else getattr(plan, "planned_start_month", None)
    )
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
    def __init__(self, actor, org, rows):
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

REPORT_FIELDS = ["period", "invested", "progress", "problems", "is_late"]


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
    def __init__(self, actor, org, rows):
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
    period, month = values["period"], f"{values['period']:%Y-%m}"
    if period > ctx.today:
        raise ValidationError({"period": _("不能填报未来月份")})
    if period in ctx.locked:
        raise ValidationError(
            {
                "period": _(
                    "%(m)s已关账，不能通过导入新增或修改月报；如需更正，请在项目页面填写更正原因"
                )
                % {"m": month}
            }
        )
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
