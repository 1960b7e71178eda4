"""Importing the project ledger: preview first, then all or nothing, matched by code or name."""

import io
import zipfile

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from zonedesk.audit.models import AuditEvent
from zonedesk.imports import engine
from zonedesk.imports.models import ImportJob
from zonedesk.projects.models import Project

HEADER = [
    "项目编号",
    "项目名称",
    "建设性质",
    "总投资(万元)",
    "今年计划投资（亿元）",
    "计划开工时间",
    "责任单位",
]


def workbook(*rows, title="寿阳经开区重点项目台账"):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, title)
    for r, row in enumerate([HEADER, *rows], start=2):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return out.getvalue()


GOOD = [
    [
        "2026-140725-04-01-000001",
        "强伟生活用纸二期",
        "新建",
        "三千五百万",
        "0.12",
        "2026-03-01",
        "企业服务中心",
    ],
    ["", "污水处理厂提标改造", "技改", 4800, 0.2, 45352, ""],
]
PROJECTS = engine.KINDS["projects"]


def preview(world, data):
    return engine.preview(world.owner, world.zone, PROJECTS, data, filename="台账.xlsx")


def test_preview_counts_rows_and_writes_nothing(world):
    job = preview(world, workbook(*GOOD))
    assert job.counts == {"create": 2, "update": 0, "unchanged": 0, "errors": 0}
    assert not Project.objects.exists()


def test_an_error_names_its_row_and_column(world):
    job = preview(world, workbook(GOOD[0], ["", "丙项目", "新建", "约三亿", "", "", ""]))
    assert job.errors == ["第5行「总投资」：无法识别的金额“约三亿”"]


def test_confirming_writes_every_row_with_units_converted(world):
    job = engine.run(world.owner, preview(world, workbook(*GOOD)))
    assert job.status == ImportJob.Status.DONE and job.counts["create"] == 2
    paper = Project.objects.get(project_code="2026-140725-04-01-000001")
    assert paper.total_investment == 3500 and paper.unit == world.unit
    assert paper.year_plans.get().planned_investment == 1200  # 0.12 亿元
    assert str(Project.objects.get(name="污水处理厂提标改造").planned_start) == "2024-03-01"
    [event] = AuditEvent.objects.filter(action="import.apply")
    assert event.changes["file"] == [None, "台账.xlsx"] and event.changes["create"] == [None, 2]


def test_an_error_anywhere_writes_nothing_unless_only_valid_rows_are_asked_for(world):
    data = workbook(*GOOD, ["", "丁项目", "新建", "约三亿", "", "", ""])
    refused = engine.run(world.owner, preview(world, data))
    assert refused.status == ImportJob.Status.REFUSED and not Project.objects.exists()
    done = engine.run(world.owner, preview(world, data), valid_only=True)
    assert done.counts["create"] == 2 and Project.objects.count() == 2


def test_an_unknown_unit_is_an_error_already_in_the_preview(world):
    job = preview(world, workbook(GOOD[0], ["", "戊项目", "新建", 100, "", "", "不存在的单位"]))
    assert job.errors == ["第5行「责任单位」：找不到名为“不存在的单位”的单位"]


def test_the_services_rules_run_in_the_preview_and_a_late_error_writes_nothing(world):
    """The project code's format is the service's rule: the preview already applies it."""
    rows = [*GOOD, ["2026-bad", "戊项目", "新建", 100, "", "", ""]]
    job = preview(world, workbook(*rows))
    assert len(job.errors) == 1 and job.errors[0].startswith(
        "第6行「项目编号」：统一项目代码“2026-bad”"
    )
    job = engine.run(world.owner, job)
    assert job.status == ImportJob.Status.REFUSED
    assert not Project.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="project.").exists()


def test_a_failure_at_row_9999_of_10000_leaves_the_database_as_before(world):
    rows = [["", f"项目{i:05d}", "新建", 100 + i, "", "", ""] for i in range(10_000)]
    rows[9_995][3] = -5  # Excel row 9,999: a negative amount, refused by the cell's bound
    events = AuditEvent.objects.count()
    job = engine.run(world.owner, preview(world, workbook(*rows)))
    assert job.status == ImportJob.Status.REFUSED
    assert job.errors == ["第9999行「总投资」：金额不能为负数：“-5”"]
    assert not Project.objects.exists() and AuditEvent.objects.count() == events


def test_reimporting_the_same_file_changes_nothing_and_a_correction_updates_one_row(world):
    engine.run(world.owner, preview(world, workbook(*GOOD)))
    again = preview(world, workbook(*GOOD))
    assert again.counts == {"create": 0, "update": 0, "unchanged": 2, "errors": 0}
    corrected = [GOOD[0], ["", "污水处理厂提标改造", "技改", 5200, 0.2, 45352, ""]]
    job = engine.run(world.owner, preview(world, workbook(*corrected)))
    assert job.counts == {"create": 0, "update": 1, "unchanged": 1, "errors": 0}
    assert Project.objects.get(name="污水处理厂提标改造").total_investment == 5200


def test_a_duplicate_row_in_the_file_is_an_error_naming_both_rows(world):
    job = preview(world, workbook(GOOD[1], GOOD[1]))
    assert job.errors == ["第5行与第4行重复（污水处理厂提标改造）"]


def test_a_code_held_by_another_zone_is_refused(world, client_for):
    theirs = [*GOOD[0][:6], ""]  # the same code, without zone A's unit
    done = engine.run(
        world.outsider,
        engine.preview(
            world.outsider, world.other_zone, PROJECTS, workbook(theirs), filename="b.xlsx"
        ),
    )
    assert done.status == ImportJob.Status.DONE
    job = preview(world, workbook(GOOD[0]))
    assert job.errors == ["第4行：统一项目代码“2026-140725-04-01-000001”已属于其他开发区的项目"]


def test_a_file_that_is_not_a_workbook_gets_one_clear_refusal(world):
    job = preview(world, b"name,total\n1,2\n")
    assert len(job.errors) == 1 and ".xlsx" in job.errors[0]
    assert job.counts["create"] == 0


@pytest.fixture
def upload():
    return lambda data: SimpleUploadedFile("台账.xlsx", data)


def test_upload_preview_and_confirm_through_the_pages(world, client_for, upload):
    client = client_for(world.owner)
    response = client.post(
        "/imports/", {"kind": "projects", "org": world.zone.pk, "file": upload(workbook(*GOOD))}
    )
    job = ImportJob.objects.get()
    assert response["Location"] == f"/imports/{job.pk}/"
    page = client.get(f"/imports/{job.pk}/").content.decode()
    assert "确认导入" in page
    client.post(f"/imports/{job.pk}/confirm/")
    assert Project.objects.count() == 2


def test_viewers_cannot_import_and_other_zones_cannot_see_the_job(world, client_for, upload):
    assert client_for(world.viewer).get("/imports/").status_code == 403
    job = preview(world, workbook(*GOOD))
    assert client_for(world.outsider).get(f"/imports/{job.pk}/").status_code == 404
    assert client_for(world.outsider).post(f"/imports/{job.pk}/confirm/").status_code == 404
    assert not Project.objects.exists()


def test_the_pages_take_a_bounded_number_of_queries(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.owner)
    job = preview(world, workbook(*GOOD))
    with django_assert_max_num_queries(8):
        client.get("/imports/")
    with django_assert_max_num_queries(8):
        client.get(f"/imports/{job.pk}/")


def test_the_template_reimports_its_example_row_and_offers_drop_downs(world, client_for):
    response = client_for(world.owner).get("/imports/templates/projects.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    job = preview(world, response.content)
    assert job.errors == [] and job.counts["create"] == 1
    sheet = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<dataValidation" in sheet and "新建,续建,扩建,技改" in sheet
    assert '<pane ySplit="3"' in sheet  # the header stays in view


def test_the_template_needs_an_importer(world, client_for):
    assert client_for(world.viewer).get("/imports/templates/projects.xlsx").status_code == 404


def test_the_command_previews_then_imports(world, tmp_path):
    from django.core.management import call_command

    path = tmp_path / "台账.xlsx"
    path.write_bytes(workbook(*GOOD))
    out = io.StringIO()
    call_command(
        "import_xlsx", str(path), kind="projects", org=world.zone.name, user="owner", stdout=out
    )
    assert "create 2" in out.getvalue() and not Project.objects.exists()
    call_command(
        "import_xlsx",
        str(path),
        kind="projects",
        org=world.zone.name,
        user="owner",
        confirm=True,
        stdout=out,
    )
    assert Project.objects.count() == 2


def test_the_command_fails_on_errors_and_writes_nothing(world, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "bad.xlsx"
    path.write_bytes(workbook(*GOOD, ["", "丁", "新建", "约三亿", "", "", ""]))
    with pytest.raises(CommandError):
        call_command(
            "import_xlsx",
            str(path),
            kind="projects",
            org=world.zone.name,
            user="owner",
            confirm=True,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert not Project.objects.exists()


def test_the_api_previews_and_confirms_an_import(world):
    from django.test import Client

    from zonedesk.orgs.services import create_token

    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(world.owner, 'api')[1]}")
    upload = SimpleUploadedFile("台账.xlsx", workbook(*GOOD))
    response = client.post(
        "/api/v1/imports", {"kind": "projects", "org_id": world.zone.pk, "file": upload}
    )
    assert response.status_code == 201, response.content
    job = response.json()
    assert job["counts"]["create"] == 2 and job["status"] == "previewed"
    done = client.post(f"/api/v1/imports/{job['id']}/confirm", {}, content_type="application/json")
    assert done.json()["status"] == "done" and Project.objects.count() == 2
    outsider = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(world.outsider, 'api')[1]}")
    assert outsider.get(f"/api/v1/imports/{job['id']}").status_code == 404
    bad = client.post(
        "/api/v1/imports",
        {"kind": "nope", "org_id": world.zone.pk, "file": SimpleUploadedFile("a.xlsx", b"x")},
    )
    assert bad.status_code == 400 and "kind" in bad.json()["errors"]
