"""A rate whose base is zero is undefined and prints "—" (never "—%"), and a rate that is
truly zero prints "0.0%", on the cockpit exactly as the figure registry prints it for the
documents and exports."""

import datetime
import re
from decimal import Decimal

from zonedesk.catalog import figures
from zonedesk.projects import services
from zonedesk.projects.models import Project

TODAY = datetime.date(2025, 8, 15)


def kpi(page, label):
    m = re.search(r"<span>([^<]*)</span>" + label, page)
    assert m, label
    return m.group(1)


def test_zero_base_and_zero_rate_on_the_cockpit(world, client, clock):
    clock.today = TODAY
    p = services.create_project(
        None,
        org=world.zone,
        name="奥泰精细化工续建",
        category=Project.Category.INDUSTRY,
        nature=Project.Nature.CONTINUING,
        total_investment=Decimal("1000"),
    )
    services.set_year_plan(None, p, year=2025, planned_investment=Decimal("100"))
    client.force_login(world.owner)
    page = client.get("/projects/cockpit/?year=2025&month=7").content.decode()
    assert "—%" not in page
    assert kpi(page, "开工率") == "—" == figures.show("start_rate", None)  # no new project planned
    assert kpi(page, "复工率") == "0.0%" == figures.show("resume_rate", Decimal("0.0"))
    assert kpi(page, "投资完成率") == "0.00%"
    assert figures.text("rate", None) == "—" and figures.show("completion", None) == "—"
