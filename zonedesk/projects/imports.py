"""The project ledger (重点项目台账) as the import engine reads it: columns, matching, saving."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.imports.engine import Column, Kind, register
from zonedesk.imports.reader import parse_amount, parse_date, parse_text
from zonedesk.orgs.models import Unit, User

from . import services
from .models import Project


def _choice(choices, default):
    labels = {str(label): value for value, label in choices.choices}

    def parse(value, _unit):
        text = parse_text(value)
        if not text:
            return default
        if text not in labels:
            raise ValueError(
                _("应为%(list)s之一，而不是“%(v)s”") % {"list": "、".join(labels), "v": text}
            )
        return labels[text]

    return parse


def _text(value, _unit):
    return parse_text(value)


COLUMNS = [
    Column("project_code", ["项目编号", "统一项目代码", "项目代码"], _text),
    Column("name", ["项目名称"], _text, required=True),
    Column(
        "nature",
        ["建设性质"],
        _choice(Project.Nature, Project.Nature.NEW),
        choices=[str(label) for label in Project.Nature.labels],
    ),
    Column(
        "category",
        ["项目类型", "项目类别"],
        _choice(Project.Category, Project.Category.INDUSTRY),
        choices=[str(label) for label in Project.Category.labels],
    ),
    Column("content", ["建设内容", "建设规模及内容", "主要建设内容"], _text),
    Column("scale", ["建设规模"], _text),
    Column(
        "total_investment",
        ["总投资", "计划总投资", "项目总投资"],
        parse_amount,
        required=True,
        unit="万元",
    ),
    Column(
        "planned_investment",
        ["今年计划投资", "其中：今年计划", "今年计划", "年度计划投资"],
        parse_amount,
        unit="万元",
    ),
    Column("planned_start", ["计划开工时间", "计划开工日期"], lambda v, u: parse_date(v)),
    Column("planned_completion", ["计划竣工时间", "计划竣工日期"], lambda v, u: parse_date(v)),
    Column("chain", ["产业链", "所属产业链"], _text),
    Column("leader", ["包联领导"], _text),
    Column("unit", ["责任单位"], _text),
    Column("agent_unit", ["服务单位", "代办单位"], _text),
]
PEOPLE = {"leader", "unit", "agent_unit"}


def find(org, values):
    """By 统一项目代码 when the row has one, else by name within the zone."""
    code = values.get("project_code")
    if code:
        project = Project.objects.filter(project_code=code).first()
        if project is not None and project.org_id != org.pk:
            raise ValueError(_("统一项目代码“%(c)s”已属于其他开发区的项目") % {"c": code})
        return project, _("统一项目代码"), code
    return (
        Project.objects.filter(org=org, name=values["name"]).first(),
        _("项目名称"),
        values["name"],
    )


def current(project):
    plan = project.year_plans.filter(year=timezone.localdate().year).first()
    return {
        "project_code": project.project_code,
        "name": project.name,
        "nature": project.nature,
        "category": project.category,
        "content": project.content,
        "scale": project.scale,
        "total_investment": project.total_investment,
        "planned_investment": plan.planned_investment if plan else None,
        "planned_start": project.planned_start,
        "planned_completion": project.planned_completion,
        "chain": project.chain,
        "leader": str(project.leader or ""),
        "unit": str(project.unit or ""),
        "agent_unit": str(project.agent_unit or ""),
    }


def _resolve(org, values):
    """Names in the sheet → the people and units they stand for, within the zone's reach."""
    data = {k: v for k, v in values.items() if k not in PEOPLE and k != "planned_investment"}
    ancestors = org.path.strip("/").split("/")
    units = Unit.objects.filter(Q(org__path__startswith=org.path) | Q(org_id__in=ancestors))
    for key in ("unit", "agent_unit"):
        if values.get(key):
            unit = units.filter(name=values[key]).first()
            if unit is None:
                raise ValueError(_("找不到名为“%(n)s”的单位") % {"n": values[key]})
            data[key] = unit
    if values.get("leader"):
        leader = (
            User.objects.filter(
                name=values["leader"],
                roles__org__path__in=[
                    "/" + "/".join(ancestors[: i + 1]) + "/" for i in range(len(ancestors))
                ],
            ).first()
            or User.objects.filter(
                name=values["leader"], roles__org__path__startswith=org.path
            ).first()
        )
        if leader is None:
            raise ValueError(_("找不到名为“%(n)s”的包联领导") % {"n": values["leader"]})
        data["leader"] = leader
    return data


def save(actor, org, project, values):
    try:
        data = _resolve(org, values)
    except ValueError as e:
        raise ValidationError(str(e)) from e
    if project is None:
        # A sheet without these columns still registers its projects, as the ledger's norm.
        data = {"category": Project.Category.INDUSTRY, "nature": Project.Nature.NEW, **data}
        project = services.create_project(actor, org=org, **data)
    else:
        services.update_project(actor, project, data)
    if values.get("planned_investment") is not None:
        year = timezone.localdate().year
        start = values.get("planned_start")
        plan = project.year_plans.filter(year=year).first()
        services.set_year_plan(
            actor,
            project,
            year=year,
            planned_investment=values["planned_investment"],
            planned_start_month=start.month
            if start and start.year == year
            else getattr(plan, "planned_start_month", None),
            goal=getattr(plan, "goal", ""),
        )
    return project


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
        find=find,
        current=current,
        save=save,
        check=_resolve,
        template_rows=[EXAMPLE],
    )
)
