"""Load the GB/T 4754-2017 门类 and 大类 from data/gbt4754_2017.json beside this migration.

The file was written once from zonedesk/catalog/gbt4754_2017.py (which the validator reads);
the migration reads only the file, so an edit of that module does not change what a fresh
database holds: a new edition comes with a migration of its own.
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).parent / "data" / "gbt4754_2017.json"


def read():
    return json.loads(DATA.read_text(encoding="utf-8"))


def load(apps, schema_editor):
    IndustryCode = apps.get_model("catalog", "IndustryCode")
    data = read()
    edition = data["edition"]
    sections = {
        code: IndustryCode.objects.create(edition=edition, code=code, name=name, level="section")
        for code, name in data["sections"]
    }
    IndustryCode.objects.bulk_create(
        IndustryCode(
            edition=edition, code=code, name=name, level="division", parent=sections[section]
        )
        for code, name, section in data["divisions"]
    )


def unload(apps, schema_editor):
    IndustryCode = apps.get_model("catalog", "IndustryCode")
    # Divisions first: parent is PROTECT.
    for level in ("division", "section"):
        IndustryCode.objects.filter(edition=read()["edition"], level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
