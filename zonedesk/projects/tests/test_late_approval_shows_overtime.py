"""An approval step finished after its committed working days shows 超时 on the project page,
as the period documents count it; one finished in time and one not yet due do not."""

import datetime

from django.urls import reverse

from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.projects import formulas, services
from zonedesk.reports.selectors import approvals, narrowed

from .conftest import make_project

JUNE_1 = datetime.date(2026, 6, 1)


def step(world, project, kind, done_on=None, committed=5):
    return services.add_approval_step(
        world.member,
        project,
        kind=kind,
        status="done" if done_on else "active",
        committed_days=committed,
        started_on=JUNE_1,
        done_on=done_on,
        unit=world.unit,
    )


def test_a_step_done_late_is_overtime_on_the_page_and_in_the_report(world, client, clock):
    clock.today = datetime.date(2026, 7, 15)
    p = make_project(world, name="强伟30万吨生活用纸加工基地项目")
    late = step(world, p, "eia", done_on=datetime.date(2026, 6, 20))  # deadline 06-08
    in_time = step(world, p, "land", done_on=datetime.date(2026, 6, 5))
    assert formulas.approval_timing(late, WorkCalendar(), clock.today)[2] is True
    assert formulas.approval_timing(in_time, WorkCalendar(), clock.today)[2] is False
    client.force_login(world.member)
    html = client.get(reverse("projects:detail", args=[p.pk])).content.decode()
    rows = html.split('id="approvals"')[1].split("</tbody>")[0].split("<tr")[1:]
    marked = {("环评" in r, "超时" in r) for r in rows}
    assert marked == {(True, True), (False, False)}
    done = approvals(narrowed(world.owner, world.zone), JUNE_1, datetime.date(2026, 7, 1))["done"]
    assert {(s.kind, on_time) for s, _d, _u, on_time in done} == {("eia", False), ("land", True)}
