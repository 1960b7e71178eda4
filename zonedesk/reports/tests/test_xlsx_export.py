"""Exports: read back with calamine, scoped like the pages, formulas neutralised."""

import io
from decimal import Decimal

import pytest
from python_calamine import CalamineWorkbook

from zonedesk.catalog.validators import make_uscc
from zonedesk.common.xlsx import neutralise, workbook
from zonedesk.enterprises.services import create_enterprise


def read(content):
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return book.get_sheet_by_index(0).to_python()


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", '=HYPERLINK("x")'])
def test_text_that_would_start_a_formula_is_neutralised(text):
    assert neutralise(text) == "'" + text
    rows = read(workbook("t", ["h"], [[text]]))
    assert rows[2][0] == "'" + text


def test_plain_text_numbers_and_decimals_keep_their_values():
    rows = read(
        workbook("名录", ["名称", "金额（万元）", "个数"], [["强伟", Decimal("766400.50"), 3]])
    )
    assert rows[0][0] == "名录" and rows[1] == ["名称", "金额（万元）", "个数"]
    assert rows[2] == ["强伟", 766400.5, 3]


def test_enterprise_export_holds_only_the_users_scope(world, client_for):
    rows = read(client_for(world.owner).get("/enterprises/export.xlsx").content)
    names = [r[1] for r in rows[2:]]
    assert names == ["山西强伟纸业有限公司"]
    rows = read(client_for(world.viewer).get("/enterprises/export.xlsx").content)
    assert sorted(r[1] for r in rows[2:]) == ["山西亮拓精密铸造有限公司", "山西强伟纸业有限公司"]
    # The register's export is for staff; an enterprise contact sees only its own page.
    assert client_for(world.enterprise_user).get("/enterprises/export.xlsx").status_code == 403


def test_enterprise_export_follows_the_list_filter_and_neutralises_names(world, client_for):
    create_enterprise(None, org=world.zone, name="=HYPERLINK(1)公司", uscc=make_uscc("evil"))
    response = client_for(world.owner).get("/enterprises/export.xlsx", {"q": "HYPERLINK"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = read(response.content)
    assert [r[1] for r in rows[2:]] == ["'=HYPERLINK(1)公司"]


def test_enterprise_export_needs_login(client):
    assert client.get("/enterprises/export.xlsx").status_code == 302


def test_enterprise_export_query_count_does_not_grow(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.viewer)
    for i in range(20):
        create_enterprise(None, org=world.zone, name=f"企业{i}", uscc=make_uscc(f"bulk{i}"))
    # Seven with the primary contact of each row, however many rows.
    with django_assert_max_num_queries(7):
        client.get("/enterprises/export.xlsx")
