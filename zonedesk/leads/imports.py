"""The investment lead ledger (招商线索台账) as the import engine reads it.

A lead is matched by its name within the zone, or within its team when the sheet names one
(two teams may court the same project). The rules are services.create_lead / update_lead /
advance's: a next step with its date, a team of the zone, an amount not below zero; a stage
moves forward only, and 签约 and 放弃 stay on the lead's page, since signing creates the
project and dropping needs its reason.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.imports.engine import (
    Column,
    Kind,
    amount,
    choice,
    create_write,
    date,
    labels,
    register,
    text,
    update_write,
)
from zonedesk.orgs.models import Role, Team
from zonedesk.orgs.selectors import has_role_over

from . import services
from .models import Lead

Stage = Lead.Stage
COLUMNS = [
    Column("name", ["项目名称", "线索名称", "招商项目"], text, required=True),
    Column("investor", ["投资方", "投资主体", "投资企业"], text, required=True),
    Column("team", ["招商战队", "战队", "招商小组"], text),
    Column("origin", ["投资方来源地", "来源地", "投资方所在地"], text),
    Column("content", ["项目内容", "项目简介", "建设内容"], text),
    Column("chain", ["产业链", "所属产业链"], text),
    Column(
        "estimated_investment",
        ["预计投资", "计划投资", "投资额", "预计总投资"],
        amount,
        required=True,
        unit="万元",
    ),
    Column("land_need", ["需用土地", "用地需求"], text),
    Column(
        "source",
        ["招商方式"],
        choice(Lead.Source),
        required=True,
        choices=labels(Lead.Source),
    ),
    Column("contact_name", ["企业联系人", "联系人"], text),
    Column("contact_phone", ["联系方式", "联系电话"], text),
    Column(
        "stage",
        ["阶段", "进展阶段", "线索阶段"],
        choice(Lead.Stage),
        choices=[str(Stage.LEAD.label), str(Stage.CONTACTING.label), str(Stage.NEGOTIATING.label)],
    ),
    Column("next_step", ["下一步工作", "下一步", "下步工作"], text, required=True),
    Column("next_step_on", ["下一步日期", "下一步时间", "计划时间"], date, required=True),
    Column("note", ["进度、备注", "进度", "备注"], text),
    Column("created_on", ["登记日期", "录入日期"], date),
]
TEXT = [
    "name",
    "investor",
    "origin",
    "content",
    "chain",
    "land_need",
    "contact_name",
    "contact_phone",
    "next_step",
    "note",
]
ORDER = [Stage.LEAD, Stage.CONTACTING, Stage.NEGOTIATING]
STAGE_DATE = {Stage.CONTACTING: "contacting_on", Stage.NEGOTIATING: "negotiating_on"}


class Context:
    def __init__(self, actor, org, rows, options=None):
        self.actor, self.org = actor, org
        self.today = timezone.localdate()
        self.teams = {
            t.name: t
            for t in Team.objects.filter(
                org__path__startswith=org.path, kind=Team.Kind.INVESTMENT
            ).select_related("org")
        }
        self.by_name = {}
        for lead in Lead.objects.filter(org=org).select_related("team").order_by("pk"):
            self.by_name.setdefault(lead.name, []).append(lead)
        self.lead = actor is None or has_role_over(actor, org, {Role.Name.ADMIN, Role.Name.LEADER})
        self.promoter = actor is not None and has_role_over(actor, org, {Role.Name.PROMOTER})
        mine = set(actor.teams.values_list("pk", flat=True)) if actor else set()
        self.my_teams = {pk for pk in mine if pk in {t.pk for t in self.teams.values()}}

    def require_edit(self, team):
        if not (self.lead or (self.promoter and team.pk in self.my_teams)):
            raise PermissionDenied(_("只有该招商战队的招商员或领导可以修改此线索"))

    def team(self, values):
        name = values.get("team")
        if not name:
            return None
        team = self.teams.get(name)
        if team is None:
            raise ValueError(_("找不到名为“%(n)s”的招商战队") % {"n": name})
        return team


def find(ctx, values):
    team = ctx.team(values)
    same = ctx.by_name.get(values["name"], [])
    if team is not None:
        same = [lead for lead in same if lead.team_id == team.pk]
        identity = f"{team} {values['name']}"
    else:
        identity = values["name"]
    if len(same) > 1:
        raise ValueError(
            _("本开发区有%(n)d条名为“%(name)s”的线索，请填写招商战队以区分")
            % {"n": len(same), "name": values["name"]}
        )
    matched = _("招商战队和项目名称") if team is not None else _("项目名称")
    return (same[0] if same else None), matched, identity


def current(ctx, lead):
    values = {name: getattr(lead, name) for name in TEXT}
    return values | {
        "team": lead.team.name,
        "estimated_investment": lead.estimated_investment,
        "source": lead.source,
        "stage": lead.stage,
        "next_step_on": lead.next_step_on,
        "created_on": lead.created_on,
    }


def build(ctx, lead, values):
    data = {k: v for k, v in values.items() if k not in ("team", "stage", "created_on")}
    for name in TEXT:
        if name in data:
            data[name] = (data[name] or "").strip()
    team = ctx.team(values)
    if team is None and lead is None:
        if not ctx.lead and len(ctx.my_teams) == 1:
            team = next(t for t in ctx.teams.values() if t.pk in ctx.my_teams)
        else:
            raise ValidationError({"team": _("请填写招商战队")})
    if team is not None:
        data["team"] = team
    stage = values.get("stage")
    if lead is None:
        return _create(ctx, data, stage, values.get("created_on"))
    ctx.require_edit(lead.team)
    if "team" in data and data["team"] != lead.team:
        ctx.require_edit(data["team"])
    if values.get("created_on") and values["created_on"] != lead.created_on:
        raise ValidationError({"created_on": _("已登记线索的登记日期不能通过导入修改")})
    data |= _stage_change(ctx, lead, stage, ctx.today)
    write = update_write(lead, data, action="lead.update", org=ctx.org)
    return [write] if write else []


def _create(ctx, data, stage, created_on):
    if created_on is not None and created_on > ctx.today:
        raise ValidationError({"created_on": _("登记日期不能晚于今天")})
    created_on = created_on or ctx.today
    lead = Lead(org=ctx.org, created_on=created_on, **data)
    ctx.require_edit(lead.team)
    # Stages reached before the ledger moved here are dated on its registration day, so an
    # import does not count as this month's progress on the leaderboard.
    for name, value in _stage_change(ctx, lead, stage, created_on).items():
        setattr(lead, name, value)
    fields = [*services.FIELDS, "stage", "contacting_on", "negotiating_on", "created_on"]
    return [create_write(lead, action="lead.create", org=ctx.org, fields=fields)]


def _stage_change(ctx, lead, stage, on):
    """services.advance's rules: forward only; 签约 and 放弃 are done on the lead's page."""
    if stage is None or stage == lead.stage:
        return {}
    if stage in (Stage.SIGNED, Stage.DROPPED) or lead.stage in (Stage.SIGNED, Stage.DROPPED):
        raise ValidationError(
            {
                "stage": _("“%(s)s”须在线索页面办理（签约会生成项目，放弃须说明原因）")
                % {
                    "s": Stage(stage).label
                    if stage in (Stage.SIGNED, Stage.DROPPED)
                    else lead.get_stage_display()
                }
            }
        )
    if ORDER.index(stage) < ORDER.index(lead.stage):
        raise ValidationError(
            {
                "stage": _("线索不能从“%(a)s”改为“%(b)s”")
                % {"a": lead.get_stage_display(), "b": Stage(stage).label}
            }
        )
    data = {"stage": stage}
    for passed in ORDER[ORDER.index(lead.stage) + 1 : ORDER.index(stage) + 1]:
        if getattr(lead, STAGE_DATE[passed]) is None:
            data[STAGE_DATE[passed]] = on
    return data


LEADS = register(
    Kind(
        name="leads",
        label=gettext_lazy("招商线索台账"),
        columns=COLUMNS,
        prepare=Context,
        find=find,
        current=current,
        build=build,
        template_rows=[
            [
                "示例：年产5万吨特种纸项目",
                "山西某某纸业有限公司",
                "",
                "山西太原",
                "新建特种纸生产线2条",
                "造纸",
                30000,
                "100亩",
                "以商招商",
                "张三",
                "13800000000",
                "接洽",
                "赴企业总部洽谈",
                "2026-04-15",
                "",
                "",
            ]
        ],
    )
)
