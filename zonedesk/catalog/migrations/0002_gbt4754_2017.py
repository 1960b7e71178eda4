"""Load the GB/T 4754-2017 门类 and 大类 from the plain data module."""

from django.db import migrations

from zonedesk.catalog import gbt4754_2017 as data


def load(apps, schema_editor):
    IndustryCode = apps.get_model("catalog", "IndustryCode")
    sections = {
        code: IndustryCode.objects.create(
            edition=data.EDITION, code=code, name=name, level="section"
        )
        for code, name in data.SECTIONS
    }
    IndustryCode.objects.bulk_create(
        IndustryCode(
            edition=data.EDITION, code=code, name=name, level="division", parent=sections[section]
        )
        for code, name, section in data.DIVISIONS
    )


def unload(apps, schema_editor):
    IndustryCode = apps.get_model("catalog", "IndustryCode")
    # Divisions first: parent is PROTECT.
    for level in ("division", "section"):
        IndustryCode.objects.filter(edition=data.EDITION, level=level).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
