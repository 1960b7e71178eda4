"""The projects' rules, each once, as plain functions: the services call them with a query for
the one record at hand, the ledger import (imports.py) with maps loaded once for the whole
file. Each raises ValidationError with the message a page or a preview shows; none writes."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from zonedesk.catalog.bounds import check
from zonedesk.catalog.validators import validate_project_code
from zonedesk.orgs.models import Org, Team

from .models import ProgressReport, Project, YearPlan

Stage = Project.Stage
ORDER = [Stage.RESERVE, Stage.SIGNED, Stage.STARTED, Stage.COMPLETED, Stage.OPERATING]
# The date each stage records, and what must already be known to reach it.
STAGE_DATE = {
    Stage.SIGNED: "signed_on",
    Stage.STARTED: "started_on",
    Stage.COMPLETED: "completed_on",
    Stage.OPERATING: "operating_on",
}


def within(node, org):
    return node.path.startswith(org.path) or org.path.startswith(node.path)


def clean_project(data, org, *, instance=None, name_taken, code_holder):
    """A project's fields checked and tidied. `name_taken(name, pk)`: whether another project
    of the zone has the name; `code_holder(code, pk)`: the other project holding the code."""
    if org.kind != Org.Kind.ZONE:
        raise ValidationError({"org": _("项目应登记在开发区下（园区请选“园区”字段）")})
    for field, choices in (("category", Project.Category), ("nature", Project.Nature)):
        if data.get(field) not in choices.values:
            raise ValidationError(
                {field: _("请选择%(f)s") % {"f": Project._meta.get_field(field).verbose_name}}
            )
    me = getattr(instance, "pk", None)
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        raise ValidationError({"name": _("项目名称不能为空")})
    if name_taken(data["name"], me):
        raise ValidationError(
            {"name": _("“%(org)s”已有名为“%(name)s”的项目") % {"org": org, "name": data["name"]}}
        )
    code = (data.get("project_code") or "").strip()
    if code:
        try:
            code = validate_project_code(code)
        except ValidationError as e:
            raise ValidationError({"project_code": e.messages}) from e
        holder = code_holder(code, me)
        if holder is not None:
            raise ValidationError(
                {"project_code": _("统一项目代码已用于“%(name)s”") % {"name": holder}}
            )
    data["project_code"] = code
    for field in ("total_investment", "annual_output", "annual_tax", "jobs"):
        check(Project, field, data.get(field))
    if data.get("total_investment") is None:
        raise ValidationError({"total_investment": _("请填写总投资（万元）")})
    park = data.get("park")
    if park is not None and (park.kind != Org.Kind.PARK or not park.path.startswith(org.path)):
        raise ValidationError(
            {"park": _("“%(park)s”不是“%(org)s”的园区") % {"park": park, "org": org}}
        )
    team = data.get("team")
    if team is not None and team.kind != Team.Kind.TASK_FORCE:
        raise ValidationError({"team": _("“%(t)s”不是项目专班") % {"t": team}})
    for field in ("unit", "agent_unit", "team"):
        value = data.get(field)
        if value is not None and not within(value.org, org):
            raise ValidationError({field: _("“%(v)s”不属于“%(org)s”") % {"v": value, "org": org}})
    enterprise = data.get("enterprise")
    if enterprise is not None and not within(enterprise.org, org):
        raise ValidationError(
            {"enterprise": _("企业“%(e)s”不属于“%(org)s”") % {"e": enterprise, "org": org}}
        )
    start, end = data.get("planned_start"), data.get("planned_completion")
    if start and end and end < start:
        raise ValidationError({"planned_completion": _("计划竣工时间不能早于计划开工时间")})
    for field in ("scale", "chain", "content"):
        data[field] = (data.get(field) or "").strip()
    return data


def stage_change(project, stage, *, on, today, reason=""):
    """The fields a move to `stage` on the date `on` sets on the project."""
    stage = Stage(stage)
    if stage == project.stage:
        raise ValidationError({"stage": _("项目已处于“%(s)s”阶段") % {"s": stage.label}})
    data = {"stage": stage}
    if stage == Stage.CANCELLED:
        if project.stage == Stage.OPERATING:
            raise ValidationError({"stage": _("已投产的项目不能取消")})
        if not reason.strip():
            raise ValidationError({"cancel_reason": _("取消项目须说明原因")})
        data["cancel_reason"] = reason.strip()
        return data
    if project.stage == Stage.CANCELLED or ORDER.index(stage) < ORDER.index(project.stage):
        raise ValidationError(
            {
                "stage": _("项目不能从“%(a)s”退回“%(b)s”")
                % {"a": project.get_stage_display(), "b": stage.label}
            }
        )
    if on is None:
        raise ValidationError(
            {
                "on": _("请填写%(what)s")
                % {"what": Project._meta.get_field(STAGE_DATE[stage]).verbose_name}
            }
        )
    if on > today:
        raise ValidationError({"on": _("日期不能晚于今天")})
    if stage in (Stage.COMPLETED, Stage.OPERATING) and not project.started_on:
        raise ValidationError({"stage": _("项目尚未开工，不能直接竣工或投产")})
    if stage == Stage.OPERATING and not project.completed_on and project.stage != Stage.COMPLETED:
        data["completed_on"] = on
    earlier = [
        getattr(project, STAGE_DATE[s]) for s in ORDER[1 : ORDER.index(stage)] if s in STAGE_DATE
    ]
    if any(d and on < d for d in earlier):
        raise ValidationError({"on": _("日期不能早于此前阶段的日期")})
    data[STAGE_DATE[stage]] = on
    return data


def check_year_plan(year, planned_investment, planned_start_month):
    check(YearPlan, "year", year)
    if planned_investment is None:
        raise ValidationError({"planned_investment": _("请填写年度计划投资（万元）")})
    check(YearPlan, "planned_investment", planned_investment)
    check(YearPlan, "planned_start_month", planned_start_month)


def check_progress(period, invested, progress, *, today, locked, exists, reason=None):
    """A month's report. A closed month takes a correction with its reason; `reason=None`
    (an import, which has no field for one) refuses a closed month outright."""
    if period > today:
        raise ValidationError({"period": _("不能填报未来月份")})
    if invested is None:
        raise ValidationError({"invested": _("请填写本月完成投资（万元）")})
    check(ProgressReport, "invested", invested)
    if not (progress or "").strip():
        raise ValidationError({"progress": _("请填写形象进度")})
    month = f"{period:%Y-%m}"
    if locked and reason is None:
        raise ValidationError(
            {
                "period": _(
                    "%(m)s已关账，不能通过导入新增或修改月报；如需更正，请在项目页面填写更正原因"
                )
                % {"m": month}
            }
        )
    if locked and not exists:
        raise ValidationError({"period": _("%(m)s已关账，不能新增月报") % {"m": month}})
    if locked and not reason.strip():
        raise ValidationError({"reason": _("%(m)s已关账，修改须填写更正原因") % {"m": month}})
