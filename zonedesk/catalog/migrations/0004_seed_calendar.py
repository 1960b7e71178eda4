"""Seed the working-day calendar from the chinesecalendar package for 2004–2026.

The years are fixed here so that a newer package (knowing 2027) does not change what this
migration loads; later years are imported by an admin on /calendar/. Only the days that
differ from the Monday–Friday rule are stored.
"""

from django.db import migrations

YEARS = range(2004, 2027)
SOURCE = "chinese-calendar"

NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


def _name(english, is_workday):
    name = NAMES.get(english, english)
    return f"{name}调休上班" if is_workday else name


def load(apps, schema_editor):
    from chinese_calendar import constants

    CalendarYear = apps.get_model("catalog", "CalendarYear")
    CalendarDay = apps.get_model("catalog", "CalendarDay")
    days = []
    for table, is_workday in ((constants.holidays, False), (constants.workdays, True)):
        for day, english in table.items():
            if day.year in YEARS and (day.weekday() < 5) != is_workday:
                days.append(
                    CalendarDay(
                        date=day, is_workday=is_workday, name=_name(english, is_workday),
                        source=SOURCE,
                    )
                )
    CalendarDay.objects.bulk_create(sorted(days, key=lambda d: d.date))
    CalendarYear.objects.bulk_create(
        CalendarYear(year=year, published=True, source=SOURCE) for year in YEARS
    )


def unload(apps, schema_editor):
    apps.get_model("catalog", "CalendarDay").objects.filter(source=SOURCE).delete()
    apps.get_model("catalog", "CalendarYear").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_calendar")]

    operations = [migrations.RunPython(load, unload)]
