"""Every list exports with its filter, scoped like its page, through the page, the API and
the `zonedesk export_xlsx` command; exported text never becomes a formula."""

import io
from decimal import Decimal

import pytest
import python_calamine
from django.core.management import CommandError, call_command
from django.test import Client

from zonedesk.imports.exports import EXPORTS, export
from zonedesk.orgs.services import create_token
from zonedesk.projects import services

LIST_PAGES = {
    "leaderboard": "/leads/leaderboard/export.xlsx",
    "funnel": "/leads/funnel/export.xlsx",
    "users": "/users/export.xlsx",
    "audit": "/audit/export.xlsx",
}


def read(content):
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


def project(world, name, amount, **over):
    fields = {"category": "industry", "nature": "new"} | over
    return services.create_project(
        None, org=world.zone, name=name, total_investment=Decimal(amount), **fields
    )


@pytest.fixture
def projects(world):
    project(world, '=HYPERLINK("http://x")', 100)
    project(world, "污水处理厂提标改造", 4800, nature="renovation")
    services.create_project(
        None,
        org=world.other_zone,
        name="太谷的项目",
        category="industry",
        nature="new",
        total_investment=Decimal(9),
    )


def test_projects_export_keeps_the_filter_the_scope_and_neutralises_formulas(world, projects):
    rows = read(export(world.owner, "projects").content)
    assert rows[1][:2] == ["项目编号", "项目名称"] and len(rows[1]) == 17
    names = [r[1] for r in rows[2:-1]]
    assert '\'=HYPERLINK("http://x")' in names and "太谷的项目" not in names
    assert rows[-1][1] == "合计（2个）" and rows[-1][4] == 4900
    only = read(export(world.owner, "projects", {"nature": "renovation"}).content)
    assert [r[1] for r in only[2:-1]] == ["污水处理厂提标改造"]


@pytest.mark.parametrize("name", sorted(LIST_PAGES))
def test_each_new_list_export_is_a_workbook_for_its_readers(world, client_for, name):
    response = client_for(world.owner).get(LIST_PAGES[name])
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = read(response.content)
    assert rows[1] and all(rows[1])  # a header row with every column named


@pytest.mark.parametrize("name", ["users", "audit"])
def test_admin_exports_are_refused_to_others(world, client_for, name):
    assert client_for(world.member).get(LIST_PAGES[name]).status_code == 403


def test_leaderboard_and_funnel_need_a_reader_role(world, client_for):
    assert client_for(world.unit_user).get(LIST_PAGES["leaderboard"]).status_code == 403
    assert client_for(world.unit_user).get(LIST_PAGES["funnel"]).status_code == 403


def test_the_user_export_lists_only_users_in_scope(world, client_for):
    rows = read(client_for(world.owner).get(LIST_PAGES["users"]).content)
    names = [r[0] for r in rows[2:]]
    assert "member" in names and "outsider" not in names


def test_the_audit_export_is_the_zones_events_only(world, client_for, projects):
    rows = read(client_for(world.owner).get(LIST_PAGES["audit"] + "?action=project").content)
    targets = [r[3] for r in rows[2:]]
    assert "污水处理厂提标改造" in targets and "太谷的项目" not in targets


def test_exports_take_a_bounded_number_of_queries(
    world, client_for, projects, django_assert_max_num_queries
):
    client = client_for(world.owner)
    for url in LIST_PAGES.values():
        with django_assert_max_num_queries(25):
            client.get(url)


def test_the_api_exports_a_list_with_its_filter(world, projects):
    client = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(world.owner, 'api')[1]}")
    response = client.get("/api/v1/imports/exports/projects", {"nature": "renovation"})
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert [r[1] for r in read(response.content)[2:-1]] == ["污水处理厂提标改造"]
    assert client.get("/api/v1/imports/exports/nope").status_code == 404
    member = Client(HTTP_AUTHORIZATION=f"Bearer {create_token(world.member, 'api')[1]}")
    assert member.get("/api/v1/imports/exports/audit").status_code == 403


def test_the_command_writes_the_users_export(world, projects, tmp_path):
    out = io.StringIO()
    call_command(
        "export_xlsx",
        "nature=renovation",
        kind="projects",
        user="owner",
        output=tmp_path,
        stdout=out,
    )
    path = tmp_path / out.getvalue().strip().rsplit("/", 1)[-1]
    assert [r[1] for r in read(path.read_bytes())[2:-1]] == ["污水处理厂提标改造"]
    with pytest.raises(CommandError):
        call_command("export_xlsx", kind="audit", user="member", output=tmp_path, stdout=out)


def test_every_export_is_registered_with_a_reachable_view():
    from django.urls import reverse

    for url_name, _label, _filters in EXPORTS.values():
        assert reverse(url_name).endswith(".xlsx")


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_every_registered_export_gives_a_zone_admin_a_workbook(world, name):
    # Scope and refusals are the page's own, tested with each list's page.
    assert read(export(world.owner, name).content)
