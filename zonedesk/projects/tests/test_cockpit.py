"""The cockpit's figures (selectors.cockpit) against the rows behind them.

The year plan of zone A holds 14 projects — 8 new (6 started by the end of July), 6
continuing (5 with investment this year) — so 开复工率 11/14 = 78.6%, 开工率 6/8 = 75.0%,
复工率 5/6 = 83.3%, as in DESIGN.md's seed. Figures are viewed for July 2025 with today
pinned to 15 August 2025 (July's reports were due on the 5th).
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from zonedesk.orgs.models import User
from zonedesk.projects import selectors, services
from zonedesk.projects.forms import ProjectFilter
from zonedesk.projects.models import ProgressReport, Project, YearPlan, ZoneSettings

from .conftest import make_project, start

YEAR, MONTH = 2025, 7
N = Project.Nature


def d(month, day=1, year=YEAR):
    return datetime.date(year, month, day)


def build(
    world,
    name,
    *,
    plan=None,
    nature=N.NEW,
    start_month=None,
    started_on=None,
    reports=(),
    org=None,
    **fields,
):
    """A project through the services: optional YEAR plan, start, and reports
    {(year, month): 万元} or {month: 万元} for YEAR."""
    extra = {"org": org, "team": None} if org is not None else {}
    project = make_project(world, name=name, nature=nature, **extra, **fields)
    if started_on:
        start(project, started_on)
    if plan is not None:
        services.set_year_plan(
            None,
            project,
            year=YEAR,
            planned_investment=Decimal(plan),
            planned_start_month=start_month,
        )
    for key, invested in dict(reports).items():
        year, month = key if isinstance(key, tuple) else (YEAR, key)
        services.file_progress(
            None,
            project,
            period=d(month, year=year),
            invested=Decimal(invested),
            progress="主体施工",
        )
    return project


@pytest.fixture
def plan14(world, clock):
    """Zone A's year plan of 14: plans sum to 20 000 万元, July ytd to 4 569 万元."""
    p = {}
    # 8 new projects (新建 / 扩建 / 技改), 6 of them started by the end of July.
    p["n1"] = build(
        world,
        "强伟生活用纸项目",
        plan=2000,
        start_month=3,
        started_on=d(3, 8),
        reports={3: 400, 5: 400, 7: 400, 8: 999},
    )  # August: after the month
    p["n2"] = build(
        world, "道威共享储能电站", plan=2000, start_month=5, started_on=d(5, 20), reports={6: 900}
    )
    p["n3"] = build(
        world, "中储粮粮食产业园", plan=2000, start_month=4, started_on=d(4, 2), reports={7: 300}
    )
    p["n4"] = build(world, "晋荞米业杂粮加工", plan=2000, start_month=6, started_on=d(6, 30))
    p["n5"] = build(
        world,
        "奥泰精细化工扩建",
        plan=2000,
        nature=N.EXPANSION,
        start_month=2,
        started_on=d(2, 10),
        reports={2: 200, 4: 400},
    )
    p["n6"] = build(
        world,
        "污水处理厂提标改造",
        plan=2000,
        nature=N.RENOVATION,
        start_month=3,
        started_on=d(4, 1),
        reports={4: 100},
    )
    p["n7"] = build(world, "碳数字经济产业园", plan=1000, start_month=6)  # not started
    # Started on 2 August: not yet started at the end of July.
    p["n8"] = build(world, "精达丰新材料", plan=1000, start_month=9, started_on=d(8, 2))
    # 6 continuing projects started last year, 5 with investment this year.
    for i, ytd in enumerate([500, 400, 300, 200, 69], start=1):
        p[f"c{i}"] = build(
            world,
            f"续建项目{i}",
            plan=1000,
            nature=N.CONTINUING,
            started_on=d(4, 10, year=YEAR - 1),
            reports={(YEAR - 1, 12): 800, 1: ytd},
        )
    # Filed, but nothing invested: not resumed.
    p["c6"] = build(
        world,
        "园区道路管网配套",
        plan=1000,
        nature=N.CONTINUING,
        started_on=d(4, 10, year=YEAR - 1),
        reports={2: 0},
    )
    return p


def cockpit(user, **kw):
    return selectors.cockpit(fresh_user(user), YEAR, MONTH, **kw)


def fresh_user(user):
    """As a new request loads it: roles not cached on the object."""
    return User.objects.get(pk=user.pk)


def listed(user, query):
    """The project list behind a cockpit link, its query string parsed as the page does."""
    form = ProjectFilter.for_user(
        QueryDict(f"year={YEAR}&month={MONTH}&{query}"), fresh_user(user), (YEAR, MONTH)
    )
    assert form.is_valid(), form.errors
    return selectors.filtered(fresh_user(user), form.cleaned_data)


def half_up(numerator, denominator, places):
    exact = Decimal(numerator) * 100 / Decimal(denominator)
    return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


# --- the rates ----------------------------------------------------------------------------


def test_cockpit_reproduces_the_seed_start_and_resume_rates(world, plan14):
    t = cockpit(world.owner)["total"]

    assert (t["planned"], t["planned_new"], t["started_new"]) == (14, 8, 6)
    assert (t["continuing"], t["resumed"]) == (6, 5)
    assert str(t["start_resume_rate"]) == "78.6"
    assert str(t["start_rate"]) == "75.0"
    assert str(t["resume_rate"]) == "83.3"


def test_investment_completion_is_ytd_over_plan_rounded_half_up(world, plan14):
    plan = YearPlan.objects.filter(year=YEAR).values_list("planned_investment", flat=True)
    ytd = ProgressReport.objects.filter(period__year=YEAR, period__month__lte=MONTH).values_list(
        "invested", flat=True
    )

    t = cockpit(world.owner)["total"]

    assert (sum(plan), sum(ytd)) == (Decimal(20000), Decimal(4569))
    assert (t["plan"], t["ytd"]) == (Decimal(20000), Decimal(4569))
    # 4 569 ÷ 20 000 = 22.845%: half up gives 22.85 where half-even would give 22.84.
    assert t["completion"] == half_up(4569, 20000, 2) == Decimal("22.85")
    assert str(t["time_progress"]) == "58.33"


def test_investment_completion_ignores_investment_of_projects_outside_the_year_plan(world, plan14):
    """投资完成率 (year) = invested year-to-date ÷ year plan: investment of a project
    without a plan for the year has no plan to be measured against. Today the cockpit sums
    `ytd` over every project but `plan` over planned ones (selectors.cockpit `figures`)."""
    build(world, "计划外项目", started_on=d(3, 1), reports={3: 5000})

    t = cockpit(world.owner)["total"]

    assert t["plan"] == Decimal(20000)
    assert t["ytd"] == Decimal(4569)
    assert t["completion"] == Decimal("22.85")


def test_rates_with_nothing_planned_are_undefined_not_zero(world, clock):
    t = cockpit(world.owner)["total"]

    assert t["planned"] == 0
    assert t["start_resume_rate"] is None and t["completion"] is None


# --- every figure is the size of the list it links to -------------------------------------

# The query strings of the links in templates/projects/cockpit.html.
LINKS = {
    "projects": "",
    "n_reserve": "stage=reserve",
    "n_signed": "stage=signed",
    "n_started": "stage=started",
    "n_operating": "stage=operating",
    "planned_new": "in_plan=on&nature=noncontinuing",
    "continuing": "in_plan=on&nature=continuing",
    "planned": "in_plan=on",
    "red": "warning=red",
    "yellow": "warning=yellow",
}


@pytest.mark.parametrize("figure", LINKS)
def test_each_cockpit_figure_equals_the_count_of_its_list(world, plan14, figure):
    """开工率's link filters nature=new, but the figure counts every non-continuing nature
    (扩建 and 技改 too): its list shows 6 projects where the cockpit says 8."""
    services.change_stage(None, plan14["n2"], "completed", on=d(8, 1))
    services.change_stage(None, plan14["c5"], "operating", on=d(7, 31))
    build(world, "储备项目")
    services.change_stage(None, build(world, "签约项目"), "signed", on=d(7, 1))
    t = cockpit(world.viewer)["total"]

    assert t[figure] == listed(world.viewer, LINKS[figure]).count()


def test_red_and_yellow_counts_are_both_present_and_match_the_list(world, plan14):
    t = cockpit(world.owner)["total"]
    base = {"year": YEAR, "month": MONTH}

    red = selectors.filtered(fresh_user(world.owner), {**base, "warning": "red"})
    yellow = selectors.filtered(fresh_user(world.owner), {**base, "warning": "yellow"})

    assert t["red"] == red.count() > 0
    assert t["yellow"] == yellow.count() > 0
    # 45%, 30%, 40% and 30% of plan against 时序进度 58.33%: 13.33–28.33 points behind.
    assert {p.name for p in yellow} == {
        "道威共享储能电站",
        "奥泰精细化工扩建",
        "续建项目2",
        "续建项目3",
    }


@pytest.mark.parametrize("figure", ["projects", "planned"])
def test_a_cancelled_project_is_counted_alike_by_cockpit_and_list(world, plan14, figure):
    """The cockpit leaves cancelled projects out (selectors.cockpit `base`); the list its
    figures link to keeps them (selectors.filtered): 项目 and 开复工率's denominator then
    disagree with their drill-down."""
    services.change_stage(None, plan14["n7"], "cancelled", reason="企业退出")

    t = cockpit(world.owner)["total"]

    assert t[figure] == listed(world.owner, LINKS[figure]).count()


def test_investment_completion_equals_the_totals_of_its_list(world, plan14):
    t = cockpit(world.owner)["total"]

    totals = selectors.totals(listed(world.owner, "in_plan=on&sort=-ytd"), YEAR, MONTH)

    assert (totals["plan"], totals["ytd"]) == (t["plan"], t["ytd"])
    assert t["completion"] == half_up(totals["ytd"], totals["plan"], 2)


# --- zones side by side and scoping -------------------------------------------------------


@pytest.fixture
def zone_b(world, clock):
    return [
        build(
            world,
            "亮拓精密铸造项目",
            org=world.other_zone,
            plan=3000,
            start_month=3,
            started_on=d(4, 1),
            reports={4: 600, 6: 700},
        ),
        build(
            world,
            "太谷续建项目",
            org=world.other_zone,
            plan=1000,
            nature=N.CONTINUING,
            started_on=d(5, 1, year=YEAR - 1),
        ),
    ]


def test_group_by_zone_gives_one_row_per_zone_summing_to_the_total(world, plan14, zone_b):
    result = cockpit(world.viewer, group_by_zone=True)
    total, zones = result["total"], result["zones"]

    assert {z["org_id"] for z in zones} == {world.zone.pk, world.other_zone.pk}
    assert [z["name"] for z in zones] == sorted(z["name"] for z in zones)
    for key in selectors.COUNTS + selectors.MONEYS:
        assert sum(z[key] for z in zones) == total[key], key
    a = next(z for z in zones if z["org_id"] == world.zone.pk)
    assert (a["planned"], str(a["start_resume_rate"])) == (14, "78.6")
    b = next(z for z in zones if z["org_id"] == world.other_zone.pk)
    assert (b["planned"], b["started_new"], b["resumed"]) == (2, 1, 0)
    assert total["planned"] == 16


def test_outsiders_cockpit_has_no_figure_of_zone_a(world, plan14, zone_b):
    result = cockpit(world.outsider, group_by_zone=True)

    assert [z["org_id"] for z in result["zones"]] == [world.other_zone.pk]
    t = result["total"]
    assert (t["projects"], t["planned"], t["plan"]) == (2, 2, Decimal(4000))
    assert t["ytd"] == Decimal(1300)


def test_a_user_without_roles_gets_an_empty_cockpit_not_an_error(world, plan14):
    nobody = User.objects.create(username="nobody", name="Nobody")

    result = cockpit(nobody, group_by_zone=True)

    assert result["zones"] == []
    assert (result["total"]["projects"], result["total"]["plan"]) == (0, Decimal(0))


def test_zone_staff_see_only_their_zone(world, plan14, zone_b):
    t = cockpit(world.member)["total"]

    assert (t["projects"], t["planned"]) == (14, 14)


def test_unit_staff_see_the_projects_their_unit_serves(world, plan14, zone_b):
    services.update_project(None, plan14["n1"], {"unit": world.unit})
    services.update_project(None, plan14["n2"], {"agent_unit": world.unit})

    names = set(selectors.projects_for(fresh_user(world.unit_user)).values_list("name", flat=True))

    assert names == {"强伟生活用纸项目", "道威共享储能电站"}


def test_enterprise_contacts_see_their_enterprises_projects(world, plan14):
    services.update_project(None, plan14["n1"], {"enterprise": world.enterprise})

    names = list(
        selectors.projects_for(fresh_user(world.enterprise_user)).values_list("name", flat=True)
    )

    assert names == ["强伟生活用纸项目"]


# --- late and missing reports -------------------------------------------------------------


@pytest.fixture
def july_reports(world, clock):
    """Zone A, July 2025: three projects under construction must report by 5 August."""
    on_time = build(world, "按时填报项目", started_on=d(3, 1))
    late = build(world, "逾期填报项目", started_on=d(3, 1))
    build(world, "未填报项目", started_on=d(3, 1))
    build(world, "八月开工项目", started_on=d(8, 2))  # not under construction in July
    finished = build(world, "已竣工项目", started_on=d(3, 1))
    services.change_stage(None, finished, "completed", on=d(6, 30))
    build(world, "储备项目")
    clock.today = d(8, 5)
    services.file_progress(None, on_time, period=d(7), invested=Decimal(10), progress="施工")
    clock.today = d(8, 9)
    services.file_progress(None, late, period=d(7), invested=Decimal(10), progress="施工")
    clock.today = d(8, 15)


def test_late_reports_count_missing_reports_and_reports_filed_late(world, july_reports):
    assert selectors.late_reports(fresh_user(world.owner), YEAR, MONTH) == {world.zone.pk: 2}
    assert cockpit(world.owner)["total"]["late"] == 2


def test_a_missing_report_is_not_late_before_the_deadline(world, july_reports, clock):
    clock.today = d(8, 5)

    assert cockpit(world.owner)["total"]["late"] == 1  # only the one filed late


def test_missing_reports_follow_the_zones_report_day(world, july_reports, clock):
    ZoneSettings.objects.create(org=world.zone, report_day=20)

    assert cockpit(world.owner)["total"]["late"] == 1  # 未填报 is due on 20 August
    clock.today = d(8, 21)
    assert cockpit(world.owner)["total"]["late"] == 2


def test_late_reports_are_scoped(world, july_reports):
    assert selectors.late_reports(fresh_user(world.outsider), YEAR, MONTH) == {}


# --- charts -------------------------------------------------------------------------------


def test_monthly_investment_lists_every_month_to_the_one_viewed(world, plan14):
    rows = selectors.monthly_investment(fresh_user(world.owner), YEAR, MONTH)

    assert rows == [
        (1, Decimal(1469)),
        (2, Decimal(200)),
        (3, Decimal(400)),
        (4, Decimal(500)),
        (5, Decimal(400)),
        (6, Decimal(900)),
        (7, Decimal(700)),
    ]
    assert sum(v for _m, v in rows) == cockpit(world.owner)["total"]["ytd"]


def test_investment_by_chain_sums_the_year_to_date_largest_first(world, clock):
    build(world, "造纸一", chain="造纸", reports={1: 100, 8: 50})
    build(world, "造纸二", chain="造纸", reports={2: 150})
    build(world, "储能", chain="新能源储能", reports={3: 300})
    build(world, "外区", chain="造纸", org=world.other_zone, reports={3: 1000})

    rows = selectors.investment_by(fresh_user(world.owner), YEAR, MONTH, "chain")

    assert rows == [("新能源储能", Decimal(300)), ("造纸", Decimal(250))]


# --- bounded queries ----------------------------------------------------------------------


def bulk_projects(world, n, offset):
    """n planned, started projects with two reports each, half in each zone (ORM, fast)."""
    projects = Project.objects.bulk_create(
        Project(
            org=world.zone if i % 2 else world.other_zone,
            name=f"批量项目{offset + i}",
            category=Project.Category.INDUSTRY,
            nature=N.CONTINUING if i % 3 == 0 else N.NEW,
            total_investment=Decimal(1000),
            stage=Project.Stage.STARTED,
            started_on=d(2),
        )
        for i in range(n)
    )
    YearPlan.objects.bulk_create(
        YearPlan(project=p, year=YEAR, planned_investment=Decimal(600), planned_start_month=2)
        for p in projects
    )
    ProgressReport.objects.bulk_create(
        ProgressReport(
            project=p, period=d(m), invested=Decimal(30), progress="-", is_late=i % 3 == 1
        )
        for i, p in enumerate(projects)
        for m in ((3, 7) if i % 4 else (3,))  # every fourth one's July report is missing
    )


def test_cockpit_query_count_does_not_grow_with_the_number_of_projects(
    world, clock, django_assert_max_num_queries
):
    ZoneSettings.objects.create(org=world.zone, report_day=10)
    bulk_projects(world, 5, 0)
    with CaptureQueriesContext(connection) as few:
        small = cockpit(world.viewer, group_by_zone=True)
    bulk_projects(world, 35, 5)

    with django_assert_max_num_queries(len(few.captured_queries)):
        large = cockpit(world.viewer, group_by_zone=True)

    assert (small["total"]["projects"], large["total"]["projects"]) == (5, 40)
    assert len(large["zones"]) == 2
