"""Every write to investment leads, visits and team targets."""

import difflib
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.catalog.bounds import check
from zonedesk.enterprises.models import Enterprise
from zonedesk.orgs.models import Org, Role, Team
from zonedesk.orgs.selectors import has_role_over
from zonedesk.projects import services as projects
from zonedesk.projects.models import Project

from .models import Lead, TeamTarget, Visit

Stage = Lead.Stage
FIELDS = [
    "park",
    "team",
    "leader",
    "name",
    "investor",
    "origin",
    "investor_intro",
    "content",
    "chain",
    "estimated_investment",
    "land_need",
    "source",
    "contact_name",
    "contact_phone",
    "next_step",
    "next_step_on",
    "note",
    "judgement",
]
ORDER = [Stage.LEAD, Stage.CONTACTING, Stage.NEGOTIATING, Stage.SIGNED]
STAGE_DATE = {Stage.CONTACTING: "contacting_on", Stage.NEGOTIATING: "negotiating_on"}
# Words every company name carries; left in, they make any two names look alike.
COMMON = re.compile(
    r"(有限责任公司|股份有限公司|有限公司|集团|公司|控股|科技|实业|山西|北京|上海|省|市)"
)
SIMILAR = 0.8


def can_edit(user, lead):
    """Admins and leaders over the zone; promoters of the lead's team."""
    if user is None or has_role_over(user, lead.org, {Role.Name.ADMIN, Role.Name.LEADER}):
        return True
    return (
        has_role_over(user, lead.org, {Role.Name.PROMOTER})
        and user.teams.filter(pk=lead.team_id).exists()
    )


def require_edit(actor, lead):
    if not can_edit(actor, lead):
        raise PermissionDenied(_("只有该招商战队的招商员或领导可以修改此线索"))


def _core(name):
    return COMMON.sub("", re.sub(r"[\s（）()·,，.]", "", name or ""))


def look_alikes(org, investor, exclude=None):
    """Leads and enterprises of the zone whose name resembles the investor's."""
    core = _core(investor)
    if not core:
        return []
    found = []
    leads = Lead.objects.filter(org=org).exclude(pk=getattr(exclude, "pk", None))
    companies = Enterprise.objects.filter(org__path__startswith=org.path)
    for kind, rows in (
        (_("线索"), leads.values_list("investor", flat=True)),
        (_("企业"), companies.values_list("name", flat=True)),
    ):
        for other in set(rows):
            theirs = _core(other)
            if theirs and (
                core in theirs
                or theirs in core
                or difflib.SequenceMatcher(None, core, theirs).ratio() >= SIMILAR
            ):
                found.append(f"{kind}“{other}”")
    return sorted(found)


def _clean(data, org, instance=None, confirmed=False):
    for field in ("name", "investor", "next_step"):
        data[field] = (data.get(field) or "").strip()
    if not data["name"]:
        raise ValidationError({"name": _("项目名称不能为空")})
    if not data["investor"]:
        raise ValidationError({"investor": _("投资方不能为空")})
    if not data["next_step"] or not data.get("next_step_on"):
        raise ValidationError({"next_step_on": _("每条线索都须有下一步工作及其日期")})
    if data.get("estimated_investment") is None:
        raise ValidationError({"estimated_investment": _("请填写预计投资（万元）")})
    check(Lead, "estimated_investment", data["estimated_investment"])
    team = data.get("team")
    if team is None or team.kind != Team.Kind.INVESTMENT or not team.org.path.startswith(org.path):
        raise ValidationError({"team": _("请选择本开发区的招商战队")})
    park = data.get("park")
    if park is not None and (park.kind != Org.Kind.PARK or not park.path.startswith(org.path)):
        raise ValidationError(
            {"park": _("“%(park)s”不是“%(org)s”的片区") % {"park": park, "org": org}}
        )
    for field in (
        "origin",
        "investor_intro",
        "content",
        "chain",
        "land_need",
        "contact_name",
        "contact_phone",
        "note",
        "judgement",
    ):
        data[field] = (data.get(field) or "").strip()
    changed_investor = instance is None or instance.investor != data["investor"]
    if changed_investor and not confirmed:
        alike = look_alikes(org, data["investor"], exclude=instance)
        if alike:
            raise ValidationError(
                {
                    "investor": _(
                        "疑似重复：与%(list)s相似。确认不是同一投资方后，勾选“确认不是重复”再保存。"
                    )
                    % {"list": "、".join(alike[:5])}
                }
            )
    return data


@transaction.atomic
def create_lead(actor, *, org, confirmed=False, created_on=None, **fields):
    """Register a lead; `created_on` lets a ledger kept elsewhere keep its original dates."""
    data = _clean({f: fields.get(f) for f in FIELDS}, org, confirmed=confirmed)
    today = timezone.localdate()
    if created_on is not None and created_on > today:
        raise ValidationError({"created_on": _("登记日期不能晚于今天")})
    lead = Lead(org=org, created_on=created_on or today, **data)
    require_edit(actor, lead)
    return audit.create(actor, lead, action="lead.create", org=org, fields=FIELDS)


@transaction.atomic
def update_lead(actor, lead, data, *, expected_version=None, confirmed=False):
    require_edit(actor, lead)
    current = {f: getattr(lead, f) for f in FIELDS}
    merged = _clean({**current, **data}, lead.org, instance=lead, confirmed=confirmed)
    if merged["team"] != lead.team:
        require_edit(actor, Lead(org=lead.org, team=merged["team"]))
    audit.update(
        actor, lead, merged, action="lead.update", org=lead.org, expected_version=expected_version
    )
    return lead


@transaction.atomic
def advance(actor, lead, stage, *, on=None, next_step=None, next_step_on=None):
    """Move a lead forward to 接洽 or 在谈 (signing has its own step)."""
    require_edit(actor, lead)
    if stage not in STAGE_DATE:
        raise ValidationError(
            {"stage": _("阶段“%(s)s”无效：可推进到接洽或在谈；签约、放弃另有操作") % {"s": stage}}
        )
    stage = Stage(stage)
    if lead.stage in (Stage.SIGNED, Stage.DROPPED) or ORDER.index(stage) <= ORDER.index(lead.stage):
        raise ValidationError(
            {
                "stage": _("线索不能从“%(a)s”改为“%(b)s”")
                % {"a": lead.get_stage_display(), "b": stage.label}
            }
        )
    on = on or timezone.localdate()
    if on > timezone.localdate() or on < lead.created_on:
        raise ValidationError({"on": _("日期应在登记日期与今天之间")})
    data = {"stage": stage, STAGE_DATE[stage]: on}
    if next_step is not None:
        data |= {"next_step": next_step.strip(), "next_step_on": next_step_on}
        if not data["next_step"] or not next_step_on:
            raise ValidationError({"next_step_on": _("每条线索都须有下一步工作及其日期")})
    audit.update(actor, lead, data, action="lead.stage", org=lead.org)
    return lead


@transaction.atomic
def drop(actor, lead, *, reason, on=None):
    require_edit(actor, lead)
    if lead.stage in (Stage.SIGNED, Stage.DROPPED):
        raise ValidationError(
            {"stage": _("“%(s)s”的线索不能放弃") % {"s": lead.get_stage_display()}}
        )
    if not (reason or "").strip():
        raise ValidationError({"drop_reason": _("放弃线索须说明原因")})
    data = {
        "stage": Stage.DROPPED,
        "drop_reason": reason.strip(),
        "dropped_on": on or timezone.localdate(),
    }
    audit.update(actor, lead, data, action="lead.drop", org=lead.org)
    return lead


@transaction.atomic
def sign(actor, lead, *, amount, on, category=Project.Category.INDUSTRY):
    """Sign a lead: the contract amount and date, and the project in stage `signed`, in one
    transaction, linked both ways. The row lock makes a second, concurrent click fail."""
    require_edit(actor, lead)
    lead = Lead.objects.select_for_update().get(pk=lead.pk)
    if lead.stage == Stage.SIGNED or lead.project_id:
        raise ValidationError({"stage": _("该线索已签约，不能重复签约")})
    if lead.stage == Stage.DROPPED:
        raise ValidationError({"stage": _("已放弃的线索不能签约")})
    if check(Lead, "signed_amount", amount) in (None, 0):
        raise ValidationError({"signed_amount": _("请填写大于0的签约金额（万元）")})
    if on is None or on > timezone.localdate() or on < lead.created_on:
        raise ValidationError({"signed_on": _("签约日期应在登记日期与今天之间")})
    project = projects.create_signed(
        actor,
        org=lead.org,
        signed_on=on,
        name=lead.name,
        category=category,
        nature=Project.Nature.NEW,
        total_investment=amount,
        chain=lead.chain,
        park=lead.park,
        content=lead.content,
        leader=lead.leader,
    )
    data = {
        "stage": Stage.SIGNED,
        "signed_on": on,
        "signed_amount": amount,
        "project": project,
        "next_step": _("转入项目库推进"),
        "next_step_on": on,
    }
    audit.update(actor, lead, data, action="lead.sign", org=lead.org)
    return lead


VISIT_FIELDS = [
    "team",
    "lead",
    "kind",
    "date",
    "place",
    "participants",
    "met",
    "outcome",
    "follow_up",
]


def _clean_visit(data, org):
    team = data.get("team")
    if team is None or team.kind != Team.Kind.INVESTMENT or not team.org.path.startswith(org.path):
        raise ValidationError({"team": _("请选择本开发区的招商战队")})
    lead = data.get("lead")
    if lead is not None and lead.org_id != org.pk:
        raise ValidationError({"lead": _("线索不属于“%(org)s”") % {"org": org}})
    for field in ("place", "participants"):
        data[field] = (data.get(field) or "").strip()
        if not data[field]:
            raise ValidationError(
                {field: _("请填写%(f)s") % {"f": Visit._meta.get_field(field).verbose_name}}
            )
    if data.get("date") is None:
        raise ValidationError({"date": _("请填写日期")})
    for field in ("met", "outcome", "follow_up"):
        data[field] = (data.get(field) or "").strip()
    return data


def _require_team(actor, org, team):
    if actor is None or has_role_over(actor, org, {Role.Name.ADMIN, Role.Name.LEADER}):
        return
    if not (
        has_role_over(actor, org, {Role.Name.PROMOTER}) and actor.teams.filter(pk=team.pk).exists()
    ):
        raise PermissionDenied(_("只有该招商战队的招商员或领导可以记录考察拜访"))


@transaction.atomic
def add_visit(actor, *, org, **fields):
    data = _clean_visit({f: fields.get(f) for f in VISIT_FIELDS}, org)
    _require_team(actor, org, data["team"])
    return audit.create(
        actor, Visit(org=org, **data), action="visit.create", org=org, fields=VISIT_FIELDS
    )


@transaction.atomic
def set_target(actor, team, *, year, amount, count, start_rate=0):
    if actor is not None and not has_role_over(
        actor, team.org, {Role.Name.ADMIN, Role.Name.LEADER}
    ):
        raise PermissionDenied(_("只有领导或管理员可以设定招商目标"))
    if team.kind != Team.Kind.INVESTMENT:
        raise ValidationError({"team": _("只有招商战队有招商目标")})
    check(TeamTarget, "year", year)
    if amount is None or count is None:
        raise ValidationError({"amount": _("请填写签约金额目标和签约项目数目标")})
    check(TeamTarget, "amount", amount)
    check(TeamTarget, "count", count)
    if start_rate is None:
        raise ValidationError({"start_rate": _("请填写开工率目标")})
    check(TeamTarget, "start_rate", start_rate)
    data = {"amount": amount, "count": count, "start_rate": start_rate}
    target = TeamTarget.objects.filter(team=team, year=year).first()
    if target is None:
        target = TeamTarget(team=team, year=year, **data)
        return audit.create(
            actor, target, action="target.create", org=team.org, fields=["year", *data]
        )
    audit.update(actor, target, data, action="target.update", org=team.org)
    return target
