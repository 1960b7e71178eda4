"""The confirmation takes the rows its preview parsed instead of reading the file again, and
only those of the same file."""

from zonedesk.imports import engine
from zonedesk.imports.models import ImportJob
from zonedesk.imports.tests.test_project_import import GOOD, PROJECTS, workbook
from zonedesk.projects.models import Project


def preview(world, data):
    return engine.preview(world.owner, world.zone, PROJECTS, data, filename="台账.xlsx")


def test_confirming_takes_the_rows_the_preview_kept_and_lets_them_go(world):
    data = workbook(*GOOD)
    job = preview(world, data)
    assert list(engine._kept) == [engine._parse_key(PROJECTS, data)]
    job = engine.run(world.owner, job)
    assert job.status == ImportJob.Status.DONE and job.counts["create"] == 2
    assert engine._kept == {}
    assert set(Project.objects.values_list("name", flat=True)) == {r[1] for r in GOOD}


def test_a_job_confirmed_after_another_file_was_previewed_reads_its_own_file(world):
    first = preview(world, workbook(*GOOD))
    other = [["", "光伏储能示范", "新建", 900, 0.1, "2026-05-01", ""]]
    second = preview(world, workbook(*other))
    job = engine.run(world.owner, first)
    assert job.status == ImportJob.Status.DONE and job.counts["create"] == 2
    assert set(Project.objects.values_list("name", flat=True)) == {r[1] for r in GOOD}
    job = engine.run(world.owner, second)
    assert job.counts["create"] == 1
    assert Project.objects.filter(name="光伏储能示范").exists()


def test_rows_with_errors_kept_by_the_preview_still_refuse_the_confirmation(world):
    data = workbook(*GOOD, ["", "", "新建", "不是金额", "", "", ""])
    job = preview(world, data)
    assert job.counts["errors"]
    job = engine.run(world.owner, job)
    assert job.status == ImportJob.Status.REFUSED
    assert not Project.objects.exists()
