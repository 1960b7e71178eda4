"""Investment leads (招商线索): matched by name within the zone or team; next step required."""

import datetime

from django.utils import timezone

from zonedesk.audit.models import AuditEvent
from zonedesk.imports import engine
from zonedesk.imports.models import ImportJob
from zonedesk.leads.models import Lead

from .conftest import sheet

HEADER = [
    "项目名称",
    "投资方",
    "招商战队",
    "预计投资（亿元）",
    "招商方式",
    "阶段",
    "下一步工作",
    "下一步日期",
]
LEADS = engine.KINDS["leads"]


def soon():
    return f"{timezone.localdate() + datetime.timedelta(days=10):%Y-%m-%d}"


def run(world, actor, *rows):
    job = engine.preview(actor, world.zone, LEADS, sheet(HEADER, *rows), filename="线索.xlsx")
    return engine.run(actor, job) if not job.errors else job


def row(name="特种纸项目", stage="线索", step="赴总部洽谈", **over):
    values = [name, "甲乙纸业有限公司", "造纸招商战队", 3, "以商招商", stage, step, soon()]
    return values


def test_leads_are_created_in_their_team_with_the_stage_dated(world, paper, promoter):
    done = run(world, promoter, row(stage="在谈"))
    assert done.status == ImportJob.Status.DONE, done.errors
    lead = Lead.objects.get()
    assert lead.team == paper and lead.estimated_investment == 30000
    assert lead.stage == "negotiating" and lead.contacting_on == lead.created_on
    assert lead.negotiating_on == timezone.localdate()
    assert AuditEvent.objects.filter(action="lead.create", target_id=str(lead.pk)).exists()


def test_a_lead_without_its_next_step_is_refused_naming_the_column(world, paper, promoter):
    job = run(world, promoter, row(step=""))
    assert job.errors == ["第2行「下一步工作」：不能为空"]


def test_reimport_matches_by_name_and_a_stage_goes_forward_only(world, paper, promoter):
    run(world, promoter, row(stage="接洽"))
    again = run(world, promoter, row(stage="接洽"))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1, "errors": 0}
    assert again.matched == {"招商战队和项目名称": 1}
    back = run(world, promoter, row(stage="线索"))
    assert back.errors == ["第2行「阶段」：线索不能从“接洽”改为“线索”"]
    signed = run(world, promoter, row(stage="已签约"))
    assert signed.errors == [
        "第2行「阶段」：“已签约”须在线索页面办理（签约会生成项目，放弃须说明原因）"
    ]
    forward = run(world, promoter, row(stage="在谈"))
    assert forward.counts["update"] == 1 and Lead.objects.get().stage == "negotiating"


def test_another_teams_lead_is_not_the_promoters_to_change(world, paper, promoter):
    from zonedesk.conftest import make_user
    from zonedesk.orgs.models import Role

    stranger = make_user("other", world.zone, Role.Name.PROMOTER)
    job = run(world, stranger, row())
    assert job.errors == ["第2行：只有该招商战队的招商员或领导可以修改此线索"]


def test_an_unknown_team_names_the_row(world, paper, promoter):
    values = row()
    values[2] = "不存在的战队"
    job = run(world, promoter, values)
    assert job.errors == ["第2行：找不到名为“不存在的战队”的招商战队"]
