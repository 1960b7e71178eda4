"""The data migrations carry their data: a fresh `migrate` (the test database is built by
one) loads exactly the rows of the files frozen beside them, and no migration that loads data
imports live code, so a later edit of a module or an upgraded package cannot change what a
new database holds."""

import ast
import datetime
import json
import sys
from pathlib import Path

import pytest

from zonedesk.catalog import gbt4754_2017
from zonedesk.catalog.models import CalendarDay, CalendarYear, IndustryCode

ROOT = Path(__file__).resolve().parents[2]  # zonedesk/
DATA = ROOT / "catalog" / "migrations" / "data"
# What a data migration may import: the standard library and Django's migration API.
ALLOWED = set(sys.stdlib_module_names) | {"django"}


def frozen(name):
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.mark.django_db
def test_a_fresh_migrate_loads_exactly_the_frozen_industry_codes():
    data = frozen("gbt4754_2017.json")
    edition = data["edition"]
    expected = [(edition, "section", code, name, None) for code, name in data["sections"]]
    expected += [(edition, "division", *division) for division in data["divisions"]]
    rows = IndustryCode.objects.values_list("edition", "level", "code", "name", "parent__code")
    assert sorted(rows, key=str) == sorted(expected, key=str)
    assert len(expected) == 20 + 97


@pytest.mark.django_db
def test_a_fresh_migrate_loads_exactly_the_frozen_calendar():
    data = frozen("calendar_2004_2026.json")
    source = data["source"]
    days = CalendarDay.objects.order_by("date").values_list("date", "is_workday", "name", "source")
    assert list(days) == [
        (datetime.date.fromisoformat(day), is_workday, name, source)
        for day, is_workday, name in data["days"]
    ]
    years = CalendarYear.objects.order_by("year").values_list("year", "published", "source")
    assert list(years) == [(year, True, source) for year in data["years"]]
    assert data["years"] == list(range(2004, 2027))


def test_the_validator_reads_the_codes_the_database_was_given():
    """validate_industry_code() reads the live module: edited alone, it would accept other
    codes than the database holds. A new edition comes with a migration of its own."""
    data = frozen("gbt4754_2017.json")
    assert gbt4754_2017.EDITION == data["edition"]
    assert [list(s) for s in gbt4754_2017.SECTIONS] == data["sections"]
    assert [list(d) for d in gbt4754_2017.DIVISIONS] == data["divisions"]


def imports_of(tree):
    """Every module a migration imports, at its top or inside a function; relative imports
    (the app's own code) as ".name"."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield "." * node.level + (node.module or "")


def data_migrations():
    for path in sorted(ROOT.glob("*/migrations/0*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        ops = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        if ops & {"RunPython", "RunSQL"}:
            yield path.relative_to(ROOT).as_posix(), tree


def live_imports(tree):
    return sorted(m for m in imports_of(tree) if m.split(".")[0] not in ALLOWED)


def test_no_data_migration_imports_live_code():
    found = {path: live_imports(tree) for path, tree in data_migrations()}
    assert set(found) >= {
        "catalog/migrations/0002_gbt4754_2017.py",
        "catalog/migrations/0004_seed_calendar.py",
    }
    assert {path: names for path, names in found.items() if names} == {}


def test_the_import_check_sees_imports_at_the_top_inside_functions_and_relative_ones():
    tree = ast.parse(
        "from zonedesk.catalog import gbt4754_2017\n"
        "import json\n"
        "from django.db import migrations\n"
        "def load(apps, schema_editor):\n"
        "    from chinese_calendar import constants\n"
        "    from ..models import X\n"
    )
    assert live_imports(tree) == ["..models", "chinese_calendar", "zonedesk.catalog"]
