"""Importing the enterprise register: matched by 统一社会信用代码, check digits verified."""

import io

import xlsxwriter

from zonedesk.catalog.validators import make_uscc
from zonedesk.enterprises.models import Enterprise
from zonedesk.imports import engine

HEADER = ["企业名称", "统一社会信用代码", "法定代表人", "国民经济行业代码", "规上"]
ENTERPRISES = engine.KINDS["enterprises"]


def workbook(*rows):
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet()
    for r, row in enumerate([HEADER, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    book.close()
    return out.getvalue()


def preview(world, data):
    return engine.preview(world.owner, world.zone, ENTERPRISES, data, filename="名录.xlsx")


def test_new_and_existing_enterprises_are_created_and_updated(world):
    new = make_uscc("奥泰", "140725")
    rows = [
        ["山西奥泰科技有限公司", new, "李四", "2614", "是"],
        [world.enterprise.name, world.enterprise.uscc, "王五", "22", "否"],
    ]
    job = engine.run(world.owner, preview(world, workbook(*rows)))
    assert job.counts == {"create": 1, "update": 1, "unchanged": 0, "errors": 0}
    aotai = Enterprise.objects.get(uscc=new)
    assert aotai.industry.code == "26" and aotai.above_scale
    assert Enterprise.objects.get(pk=world.enterprise.pk).legal_rep == "王五"


def test_a_wrong_check_digit_names_the_row_and_column(world):
    bad = make_uscc("奥泰", "140725")[:-1] + "0"
    job = preview(world, workbook(["山西奥泰科技有限公司", bad, "", "", ""]))
    assert len(job.errors) == 1 and job.errors[0].startswith("第2行「统一社会信用代码」：")


def test_another_zones_code_is_refused(world):
    job = preview(
        world, workbook([world.other_enterprise.name, world.other_enterprise.uscc, "", "", ""])
    )
    assert job.errors == [f"第2行：统一社会信用代码“{world.other_enterprise.uscc}”已在其他组织登记"]


def test_an_unknown_industry_code_is_refused(world):
    job = preview(world, workbook(["某公司", make_uscc("某", "140725"), "", "99", ""]))
    assert job.errors == ["第2行「国民经济行业代码」：国民经济行业代码“99”不存在（GB/T 4754-2017）"]


def test_the_template_example_row_is_skipped_as_an_example(world, client_for):
    response = client_for(world.owner).get("/imports/templates/enterprises.xlsx")
    job = preview(world, response.content)
    assert job.errors == [] and job.counts["create"] == 0
