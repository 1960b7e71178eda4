"""The last line: a CHECK constraint on every bounded column (catalog.bounds), so that a
write that bypasses the forms, the schemas and the services still cannot store inf, a
16-digit total or a negative amount, on SQLite (whose decimal columns would take any REAL)
and on PostgreSQL. Each is an UPDATE through the ORM, which runs no validator."""

import datetime
from decimal import Decimal

import pytest
from django.db import DataError, IntegrityError, connection, transaction

from zonedesk.appeals.services import create_category
from zonedesk.enterprises.services import create_fund
from zonedesk.leads.services import set_target
from zonedesk.leads.tests.conftest import make_lead, paper, promoter  # noqa: F401 (fixtures)
from zonedesk.projects.tests.fixtures import projects  # noqa: F401 (fixtures)

HUGE = [Decimal("1e400"), Decimal("1e13"), Decimal("1000000000000")]


@pytest.fixture
def rows(world, projects, paper):
    a = projects.a
    return {
        "project": a,
        "yearplan": a.year_plans.get(),
        "report": a.reports.first(),
        "approval": a.approvals.get(),
        "lead": make_lead(paper, next_step_on=datetime.date(2025, 9, 1)),
        "target": set_target(None, paper, year=2026, amount=Decimal("1"), count=1),
        "enterprise": world.enterprise,
        "fund": create_fund(
            None, enterprise=world.enterprise, year=2026, source="city", amount=Decimal("5")
        ),
        "category": create_category(None, org=world.zone, name="融资"),
    }


MONEY = [
    ("project", "total_investment"),
    ("project", "annual_output"),
    ("project", "annual_tax"),
    ("yearplan", "planned_investment"),
    ("report", "invested"),
    ("lead", "estimated_investment"),
    ("lead", "signed_amount"),
    ("target", "amount"),
    ("enterprise", "registered_capital"),
    ("fund", "amount"),
]
# Within the column's type, beyond the figure's bound: refused by the CHECK alone.
OTHERS = [
    ("project", "jobs", [-1, 10_000_001]),
    ("yearplan", "year", [1999, 2101]),
    ("yearplan", "planned_start_month", [0, 13]),
    ("approval", "committed_days", [0, 366]),
    ("target", "year", [1999, 2101]),
    ("target", "count", [-1, 10_000_001]),
    ("target", "start_rate", [Decimal("-0.01"), Decimal("100.01")]),
    ("fund", "year", [1999, 2101]),
    ("category", "days", [0, 366]),
]


def write(obj, field, value):
    with transaction.atomic():
        type(obj).objects.filter(pk=obj.pk).update(**{field: value})


@pytest.mark.parametrize(("row", "field"), MONEY)
def test_a_negative_amount_is_refused_by_the_database(rows, row, field):
    with pytest.raises(IntegrityError):
        write(rows[row], field, Decimal("-0.01"))


@pytest.mark.parametrize(("row", "field"), MONEY)
@pytest.mark.parametrize("value", HUGE)
def test_an_amount_beyond_the_column_is_refused_by_the_database(rows, row, field, value):
    # PostgreSQL's numeric(14, 2) overflows before its CHECK is asked; SQLite has only the CHECK.
    refusal = IntegrityError if connection.vendor == "sqlite" else DataError
    with pytest.raises(refusal):
        write(rows[row], field, value)
    assert getattr(type(rows[row]).objects.get(pk=rows[row].pk), field) != value


@pytest.mark.parametrize(("row", "field", "values"), OTHERS)
def test_a_count_rate_year_month_or_days_beyond_its_bound_is_refused(rows, row, field, values):
    for value in values:
        with pytest.raises(IntegrityError):
            write(rows[row], field, value)


@pytest.mark.parametrize(("row", "field"), MONEY)
def test_the_largest_amount_and_none_are_stored(rows, row, field):
    obj = rows[row]
    write(obj, field, Decimal("999999999999.99"))
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == Decimal("999999999999.99")
    if type(obj)._meta.get_field(field).null:
        write(obj, field, None)
        assert getattr(type(obj).objects.get(pk=obj.pk), field) is None
