"""One rule, one place: the same bad inputs refused by services.create_project and by the
ledger import, with the same message (projects/rules.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zonedesk.imports import engine
from zonedesk.imports.tests.conftest import sheet
from zonedesk.projects import services

HEADER = ["项目名称", "统一项目代码", "总投资（万元）", "带动就业", "计划开工时间", "计划竣工时间"]
GOOD = {"name": "甲项目", "project_code": "", "total_investment": Decimal(100), "jobs": 10,
        "planned_start": datetime.date(2025, 3, 1), "planned_completion": datetime.date(2026, 3, 1)}  # fmt: skip
# (field, bad value, column): the column's cell parser refuses the first two before the rule
# sees them, in the rule's own words; the others reach the rule on both paths.
BAD = [
    ("jobs", -1, "带动就业", "不能为负数：“-1”"),
    ("name", "  ", "项目名称", "不能为空"),
    ("project_code", "2026-bad", "项目编号", None),  # the column by its first name
    ("planned_completion", datetime.date(2025, 1, 1), "计划竣工时间", None),
]


def cell(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


@pytest.mark.parametrize(("field", "value", "column", "shared"), BAD)
def test_a_bad_input_is_refused_by_the_service_and_the_import_alike(
    world, field, value, column, shared
):
    data = GOOD | {field: value}
    with pytest.raises(ValidationError) as refused:
        services.create_project(
            world.owner, org=world.zone, category="industry", nature="new", **data
        )
    said = refused.value.messages
    row = [cell(data[k]) for k in GOOD]
    job = engine.preview(
        world.owner, world.zone, engine.KINDS["projects"], sheet(HEADER, row), filename="a.xlsx"
    )
    assert len(job.errors) == 1 and job.errors[0].startswith(f"第2行「{column}」：")
    expected = [shared] if shared else said
    assert all(m in job.errors[0] for m in expected), (said, job.errors)
    if shared:
        assert shared in said[0]
