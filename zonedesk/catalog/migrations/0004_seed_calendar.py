"""Seed the working-day calendar for 2004–2026 from data/calendar_2004_2026.json beside this
migration: the days that differ from the Monday–Friday rule, with their Chinese names.

The file was written once from the chinesecalendar package (1.11.0); the migration reads only
the file, so a newer package (knowing 2027, or correcting a year) does not change what a
fresh database holds. Later years are imported by an admin on /calendar/.
"""

import datetime
import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).parent / "data" / "calendar_2004_2026.json"


def read():
    return json.loads(DATA.read_text(encoding="utf-8"))


def load(apps, schema_editor):
    CalendarYear = apps.get_model("catalog", "CalendarYear")
    CalendarDay = apps.get_model("catalog", "CalendarDay")
    data = read()
    source = data["source"]
    CalendarDay.objects.bulk_create(
        CalendarDay(
            date=datetime.date.fromisoformat(day), is_workday=is_workday, name=name, source=source
        )
        for day, is_workday, name in data["days"]
    )
    CalendarYear.objects.bulk_create(
        CalendarYear(year=year, published=True, source=source) for year in data["years"]
    )


def unload(apps, schema_editor):
    source = read()["source"]
    apps.get_model("catalog", "CalendarDay").objects.filter(source=source).delete()
    apps.get_model("catalog", "CalendarYear").objects.filter(source=source).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_calendar")]

    operations = [migrations.RunPython(load, unload)]
