"""The project list exports in the zones' standard monthly-report layout, scoped like the page."""

import io

from python_calamine import CalamineWorkbook

from zonedesk.projects.tests.fixtures import projects  # noqa: F401 - fixture

LAYOUT = [
    "项目编号",
    "项目名称",
    "建设性质",
    "建设内容",
    "总投资（万元）",
    "今年计划投资（万元）",
    "今年累计完成投资（万元）",
    "本月完成投资（万元）",
    "计划开工时间",
    "计划竣工时间",
    "包联领导",
    "责任单位",
    "服务单位",
    "项目类型",
    "建设阶段",
    "本月进展",
    "问题和建议",
]


def read(response):
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    return book.get_sheet_by_index(0).to_python()


def test_export_has_the_standard_layout_frozen_header_and_a_totals_row(world, client_for, projects):
    response = client_for(world.owner).get("/projects/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read(response)
    assert rows[1] == LAYOUT
    body, totals = rows[2:-1], rows[-1]
    names = {r[1] for r in body}
    assert projects.a.name in names and projects.other.name not in names
    assert totals[1].startswith("合计")
    assert totals[4] == sum(r[4] for r in body)


def test_export_follows_the_filter(world, client_for, projects):
    rows = read(client_for(world.owner).get("/projects/export.xlsx", {"q": projects.a.name}))
    assert [r[1] for r in rows[2:-1]] == [projects.a.name]


def test_outsider_export_holds_only_their_zone(world, client_for, projects):
    rows = read(client_for(world.outsider).get("/projects/export.xlsx"))
    assert [r[1] for r in rows[2:-1]] == [projects.other.name]


def test_export_query_count_does_not_grow_with_projects(
    world, client_for, projects, django_assert_max_num_queries
):
    client = client_for(world.owner)
    client.get("/projects/export.xlsx")  # the filter's choices, remembered from now on
    with django_assert_max_num_queries(13):
        client.get("/projects/export.xlsx")
