"""The table behind the pages: roll-ups sum only where the indicator says so, growth rates
never sum, and derived indicators come from projects and leads, never typed."""

import datetime
from decimal import Decimal

from zonedesk.indicators import selectors, services
from zonedesk.leads.models import Lead
from zonedesk.projects.models import ProgressReport, Project, YearPlan


def _enter(w, org, cells, year=2025, month=6):
    services.write_values(
        w.statistician if org.path.startswith(w.county.path) else None,
        org,
        year,
        month,
        {w.ind[c]: v for c, v in cells.items()},
    )


def test_sum_indicators_roll_up_and_growth_is_recomputed_not_summed(iw):
    _enter(iw, iw.county, {"FAI": ("300", "50.0"), "GDP": ("1000", "6.2")})
    _enter(iw, iw.county, {"FAI": ("200", None), "GDP": ("900", None)}, year=2024)
    _enter(iw, iw.other_county, {"FAI": ("100", "1.0"), "GDP": ("500", "5.0")})
    _enter(iw, iw.other_county, {"FAI": ("100", None)}, year=2024)
    board = selectors.rows_for(iw.city, 2025, 6)
    city = board["rows"][iw.city.pk]
    fai, gdp = city[iw.ind["FAI"].pk], city[iw.ind["GDP"].pk]
    assert fai["value"] == Decimal("400.00") and fai["last"] == Decimal("300.00")
    assert fai["growth"] == Decimal("33.3")  # (400 − 300) ÷ 300, not 50 + 1
    assert gdp["value"] is None and gdp["growth"] is None  # GDP does not roll up
    shouyang = board["rows"][iw.county.pk][iw.ind["FAI"].pk]
    assert shouyang["growth"] == Decimal("50.0") and shouyang["rank"] == 1
    assert board["rows"][iw.third_county.pk][iw.ind["FAI"].pk]["rank"] is None  # nothing entered


def test_an_orgs_own_value_stands_over_its_childrens_sum(iw):
    _enter(iw, iw.zone, {"FAI": ("100", None)})
    board = selectors.rows_for(iw.city, 2025, 6)
    assert board["rows"][iw.county.pk][iw.ind["FAI"].pk]["value"] == Decimal("100.00")
    _enter(iw, iw.county, {"FAI": ("350", None)})
    board = selectors.rows_for(iw.city, 2025, 6)
    assert board["rows"][iw.county.pk][iw.ind["FAI"].pk]["value"] == Decimal("350.00")


def _project(w, name, nature, started_on, **extra):
    return Project.objects.create(
        org=w.zone,
        name=name,
        category="industry",
        nature=nature,
        total_investment=Decimal("1000"),
        stage="started" if started_on else "reserve",
        started_on=started_on,
        **extra,
    )


def test_derived_figures_come_from_progress_leads_and_the_ledger(iw):
    new = _project(iw, "新建项目", "new", datetime.date(2025, 3, 1))
    idle = _project(iw, "未开工新建", "new", None)
    cont = _project(iw, "续建项目", "continuing", datetime.date(2024, 3, 1))
    for p in (new, idle, cont):
        YearPlan.objects.create(project=p, year=2025, planned_investment=Decimal("500"))
    for p, month, amount in ((new, 3, "120"), (cont, 5, "80"), (cont, 7, "999"), (new, 4, "1")):
        ProgressReport.objects.create(
            project=p, period=datetime.date(2025, month, 1), invested=Decimal(amount), progress="x"
        )
    ProgressReport.objects.create(
        project=cont, period=datetime.date(2024, 5, 1), invested=Decimal("100"), progress="x"
    )
    Lead.objects.create(
        org=iw.zone,
        team=iw.other_team,
        name="签约项目",
        investor="某公司",
        estimated_investment=Decimal("1"),
        source="other",
        next_step="跟进",
        next_step_on=datetime.date(2025, 7, 1),
        stage="signed",
        signed_on=datetime.date(2025, 4, 2),
        signed_amount=Decimal("76640"),
        created_on=datetime.date(2025, 3, 1),
    )
    board = selectors.rows_for(iw.city, 2025, 6)
    county = board["rows"][iw.county.pk]
    key_inv = county[iw.ind["KEY_INV"].pk]
    assert key_inv["value"] == Decimal("201.00") and key_inv["last"] == Decimal("100.00")
    assert key_inv["growth"] == Decimal("101.0")
    assert county[iw.ind["SIGNED"].pk]["value"] == Decimal("76640.00")
    assert county[iw.ind["SIGNED_N"].pk]["value"] == 1
    # 开复工率: (1 new started + 1 continuing resumed) ÷ 3 in the plan = 66.7%, no 同比.
    rate = county[iw.ind["START_RATE"].pk]
    assert rate["value"] == Decimal("66.7") and rate["growth"] is None
    assert board["rows"][iw.city.pk][iw.ind["START_RATE"].pk]["value"] == Decimal("66.7")
