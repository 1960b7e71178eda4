"""The confirmation takes the rows its preview parsed instead of reading the file again, and
only those of the same file.

Seen through the progress a job reports (its bar on the page): reading a sheet reports
nothing done of the sheet's extent first; rows taken from the preview skip that phase."""

from zonedesk.imports import engine
from zonedesk.imports.models import ImportJob
from zonedesk.imports.tests.test_project_import import GOOD, PROJECTS, workbook
from zonedesk.projects.models import Project


def preview(world, data):
    return engine.preview(world.owner, world.zone, PROJECTS, data, filename="台账.xlsx")


def confirm(world, job):
    """The confirmed job, and whether it read its file (the reading phase was reported)."""
    told = []
    job = engine.run(world.owner, job, progress=lambda done, total: told.append(done))
    return job, 0 in told


def test_confirming_takes_the_rows_the_preview_kept_and_lets_them_go(world):
    data = workbook(*GOOD)
    job = preview(world, data)
    job, read = confirm(world, job)
    assert not read
    assert job.status == ImportJob.Status.DONE and job.counts["create"] == 2
    assert set(Project.objects.values_list("name", flat=True)) == {r[1] for r in GOOD}
    # The same file again, as a new job: the kept rows were let go, so it is read.
    job.pk, job.status = None, ImportJob.Status.PREVIEWED
    job.save()
    again, read = confirm(world, job)
    assert read
    assert again.status == ImportJob.Status.DONE and again.counts["unchanged"] == 2


def test_a_job_confirmed_after_another_file_was_previewed_reads_its_own_file(world):
    first = preview(world, workbook(*GOOD))
    other = [["", "光伏储能示范", "新建", 900, 0.1, "2026-05-01", ""]]
    second = preview(world, workbook(*other))
    job, read = confirm(world, first)
    assert read  # the rows kept are the other file's
    assert job.status == ImportJob.Status.DONE and job.counts["create"] == 2
    assert set(Project.objects.values_list("name", flat=True)) == {r[1] for r in GOOD}
    job, read = confirm(world, second)
    assert not read  # its own preview's rows, still kept
    assert job.counts["create"] == 1
    assert Project.objects.filter(name="光伏储能示范").exists()


def test_rows_with_errors_kept_by_the_preview_still_refuse_the_confirmation(world):
    data = workbook(*GOOD, ["", "", "新建", "不是金额", "", "", ""])
    job = preview(world, data)
    assert job.counts["errors"]
    job = engine.run(world.owner, job)
    assert job.status == ImportJob.Status.REFUSED
    assert not Project.objects.exists()
