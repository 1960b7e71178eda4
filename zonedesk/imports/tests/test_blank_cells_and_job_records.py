"""A blank cell never erases a stored value unless the user ticks 空白单元格清除原值; a name our
exports neutralised ("'=HYPERLINK(…)") comes back as it was; job records tell the truth; the
command answers the preview's questions with --alias or --accept-suggestions."""

import io

from django.core.management import call_command

from zonedesk.audit.models import AuditEvent
from zonedesk.imports import engine
from zonedesk.imports.models import Alias, ImportJob
from zonedesk.orgs.services import create_unit
from zonedesk.projects.models import Project

from .test_project_import import GOOD, PROJECTS, workbook


def imported(world, data, **options):
    job = engine.preview(
        world.owner, world.zone, PROJECTS, data, filename="台账.xlsx", options=options
    )
    return engine.run(world.owner, job)


def test_a_blank_cell_keeps_the_stored_value_unless_clearing_is_ticked(world):
    imported(world, workbook(*GOOD))
    blanked = [[*GOOD[0][:-1], ""]]  # 责任单位 left empty
    job = imported(world, workbook(*blanked))
    assert job.counts["unchanged"] == 1
    assert Project.objects.get(name="强伟生活用纸二期").unit == world.unit
    job = imported(world, workbook(*blanked), clear_blanks=True)
    assert job.counts["update"] == 1
    assert Project.objects.get(name="强伟生活用纸二期").unit is None


def test_a_neutralised_formula_like_name_comes_back_as_it_was(world):
    name = '=HYPERLINK("http://x","点我")'
    exported = workbook([GOOD[1][0], "'" + name, *GOOD[1][2:]])  # as common.xlsx writes it
    imported(world, exported)
    assert Project.objects.filter(name=name).exists()
    again = imported(world, exported)
    assert again.counts == {"create": 0, "update": 0, "unchanged": 1, "errors": 0}


def test_a_valid_only_confirm_with_no_valid_row_says_so_and_writes_no_import_event(world):
    bad = [[GOOD[1][0], "甲", "新建", "约三亿", "", "", ""]]
    job = engine.preview(world.owner, world.zone, PROJECTS, workbook(*bad), filename="a.xlsx")
    shown = dict(job.counts)
    job = engine.run(world.owner, job, valid_only=True)
    assert job.status == ImportJob.Status.REFUSED
    assert job.errors[0] == "没有无误的行可导入，未写入任何数据"
    assert job.counts == shown | {"errors": 2}
    assert not AuditEvent.objects.filter(action="import.apply").exists()


def test_a_refused_confirm_stores_the_counts_the_preview_showed(world):
    rows = [*GOOD, ["", "丙", "新建", "约三亿", "", "", ""]]
    job = engine.preview(world.owner, world.zone, PROJECTS, workbook(*rows), filename="a.xlsx")
    assert job.counts == {"create": 2, "update": 0, "unchanged": 0, "errors": 1}
    assert engine.run(world.owner, job).counts == job.counts


def test_the_command_takes_alias_answers_or_the_best_suggestions(world, tmp_path):
    create_unit(None, org=world.county, name="工业和信息化局")
    path = tmp_path / "台账.xlsx"
    path.write_bytes(workbook([*GOOD[1][:-1], "县工信局"]))
    out = io.StringIO()
    args = [str(path), "--kind", "projects", "--org", world.zone.name, "--user", "owner"]
    call_command("import_xlsx", *args, "--accept-suggestions", "--confirm", stdout=out)
    assert "采用建议：县工信局 → 工业和信息化局" in out.getvalue()
    assert str(Project.objects.get(name=GOOD[1][1]).unit) == "工业和信息化局"
    assert Alias.objects.get(org=world.zone, name="县工信局").field == "unit"
