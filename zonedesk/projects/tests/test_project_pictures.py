"""Pictures on the project pages: the investment curve, the photo gallery with thumbnails,
the cockpit's completion against 时序进度 by month (every bar a link to its rows), and the
reason a project is red or yellow, on its page and in the red-warning drill."""

import datetime
import io
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image

from zonedesk.catalog.rates import rate
from zonedesk.projects import formulas, selectors, services
from zonedesk.projects.models import Project
from zonedesk.projects.tests.fixtures import (  # noqa: F401  (fixtures)
    MONTHLY_A,
    PLAN_A,
    RED,
    YELLOW,
    make_project,
    png_upload,
    projects,
    report,
    start,
    warnings,
)

DETAIL_MAX_QUERIES = 11  # the page's 10, and one for the photos of its reports


def body(response):
    assert response.status_code == 200
    return response.content.decode()


# --- the investment curve ------------------------------------------------------------------


def test_curve_is_cumulative_through_the_month_and_the_plan_spread_over_twelve():
    reports = [
        SimpleNamespace(period=datetime.date(2026, 3, 1), invested=Decimal("100.10")),
        SimpleNamespace(period=datetime.date(2026, 1, 1), invested=Decimal("50")),
        SimpleNamespace(period=datetime.date(2025, 12, 1), invested=Decimal("999")),
    ]
    actual, plan = selectors.investment_curve(reports, Decimal("1200"), 2026, 4)
    assert [(a["month"], a["value"], a["filed"]) for a in actual] == [
        (1, Decimal("50.00"), True),
        (2, Decimal("50.00"), False),
        (3, Decimal("150.10"), True),
        (4, Decimal("150.10"), False),
    ]
    assert plan == [Decimal(100 * m).quantize(Decimal("0.01")) for m in range(1, 13)]
    assert selectors.investment_curve(reports, None, 2026, 4)[1] == []


def test_project_page_draws_the_curve_each_filed_month_a_link_to_its_report(
    world, projects, client_for, django_assert_max_num_queries
):
    client = client_for(world.viewer)
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        page = body(client.get(reverse("projects:detail", args=[projects.a.pk])))
    svg = page[page.index('<svg class="chart"') : page.index("</svg>")]
    filed = range(1, projects.month)
    for m in filed:
        anchor = f"#r-{projects.year}-{m:02d}"
        assert f'<a href="{anchor}">' in svg
        assert f'id="r-{projects.year}-{m:02d}"' in page
    assert f"{projects.month}月：{MONTHLY_A_SUM(projects)} 万元" in svg
    assert 'class="line plan"' in svg and 'class="line actual"' in svg
    assert "万元" in svg


def MONTHLY_A_SUM(projects):
    return f"{Decimal(1000) * (projects.month - 1):,.2f}"


def test_project_without_a_plan_draws_only_what_was_done(world, projects, client_for):
    page = body(client_for(world.owner).get(reverse("projects:detail", args=[projects.b.pk])))
    assert 'class="line plan"' not in page.split("</svg>")[0].split('<svg class="chart"')[-1]
    assert f"未列入{projects.year}年度计划" in page


# --- the gallery --------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def photo(world, projects, media):
    r = projects.a.reports.order_by("period").first()
    return services.add_photo(None, r, png_upload(size=(1600, 1200)))


def thumb_url(photo):
    return reverse("projects:photo_thumb", args=[photo.pk])


def test_gallery_shows_thumbnails_linked_to_the_photo(world, projects, client_for, photo):
    page = body(client_for(world.viewer).get(reverse("projects:detail", args=[projects.a.pk])))
    gallery = page[page.index('id="photos"') :]
    assert (
        f'<a href="{reverse("projects:photo", args=[photo.pk])}"><img src="{thumb_url(photo)}"'
        in gallery
    )
    assert f"{photo.report.period.year}年{photo.report.period.month}月" in gallery
    assert "现场照片1张" in page


def test_thumbnail_is_sized_for_a_phone_and_drawn_once(world, projects, client_for, photo, media):
    client = client_for(world.viewer)
    first = client.get(thumb_url(photo))
    assert first.status_code == 200 and first["Content-Type"] == "image/jpeg"
    with Image.open(io.BytesIO(b"".join(first.streaming_content))) as img:
        assert img.size == (services.THUMB_SIDE, services.THUMB_SIDE * 3 // 4)
    drawn = sorted(p for p in media.rglob("*") if "thumbs" in p.parts and p.is_file())
    assert len(drawn) == 1
    stamp = drawn[0].stat().st_mtime_ns
    again = client.get(thumb_url(photo))
    b"".join(again.streaming_content)
    assert sorted(p for p in media.rglob("*") if "thumbs" in p.parts and p.is_file()) == drawn
    assert drawn[0].stat().st_mtime_ns == stamp


def test_thumbnail_is_404_outside_the_scope_and_asks_anonymous_to_log_in(
    world, projects, client_for, photo
):
    assert client_for(world.outsider).get(thumb_url(photo)).status_code == 404
    anonymous = Client().get(thumb_url(photo))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))
    assert client_for(world.enterprise_user).get(thumb_url(photo)).status_code == 200


# --- the cockpit --------------------------------------------------------------------------


def test_monthly_completion_ends_on_the_cockpits_figures(world, projects):
    user = type(world.owner).objects.get(pk=world.owner.pk)
    rows = selectors.monthly_completion(user, projects.year, projects.month)
    t = selectors.cockpit(user, projects.year, projects.month)["total"]
    assert [r["month"] for r in rows] == list(range(1, projects.month + 1))
    assert (rows[-1]["ytd"], rows[-1]["completion"]) == (t["ytd"], t["completion"])
    first = MONTHLY_A if projects.month > 1 else Decimal("0.00")
    assert (rows[0]["ytd"], rows[0]["completion"]) == (first, rate(first, PLAN_A, 2))
    assert [r["time_progress"] for r in rows] == [
        formulas.time_progress(m) for m in range(1, projects.month + 1)
    ]


def test_cockpit_bars_link_to_the_projects_behind_them(
    world, projects, client_for, django_assert_max_num_queries
):
    client = client_for(world.owner)
    with django_assert_max_num_queries(16):
        page = body(client.get(reverse("projects:cockpit")))
    y, m = projects.year, projects.month
    # Completion by month: each bar the plan's projects as of that month.
    for month in range(1, m + 1):
        assert f'href="/projects/?year={y}&amp;month={month}&amp;in_plan=on&amp;sort=-ytd"' in page
    assert "时序进度" in page and "%" in page
    # By chain and by park: the chain's and the park's projects.
    assert f'href="/projects/?year={y}&amp;month={m}&amp;chain=%E9%80%A0%E7%BA%B8"' in page
    assert f'href="/projects/?year={y}&amp;month={m}&amp;park={world.park.pk}"' in page
    assert page.count("单位：万元") == 2


def test_chart_labels_are_escaped(world, projects, client_for):
    Project.objects.filter(pk=projects.a.pk).update(chain="<script>x</script>")
    page = body(client_for(world.owner).get(reverse("projects:cockpit")))
    assert "<script>x" not in page
    assert "&lt;script&gt;" in page


# --- why red or yellow ---------------------------------------------------------------------


def test_project_page_says_why_it_is_red(world, projects, client_for):
    year, month = selectors.default_period()
    p = make_project(world.zone, "进度滞后项目", total_investment=Decimal("5000"))
    start(p, datetime.date(year, 1, 1))
    services.set_year_plan(None, p, year=year, planned_investment=Decimal("1200"))
    report(p, year, 1, "10")
    done = rate(Decimal("10"), Decimal("1200"), 2)
    schedule = formulas.time_progress(month)
    page = body(client_for(world.owner).get(reverse("projects:detail", args=[p.pk])))
    if schedule - done <= 30:  # January's view: a small lag, not red
        pytest.skip("the reporting month is too early in the year for a red lag")
    assert '<p class="reason red">' in page
    assert f"投资完成率{done}%，落后时序进度（{schedule}%）{schedule - done}个百分点" in page
    # The enterprise sees its project's facts, not the government's judgement of it.
    p.enterprise = world.enterprise
    p.save(update_fields=["enterprise"])
    own = body(client_for(world.enterprise_user).get(reverse("projects:detail", args=[p.pk])))
    assert 'class="reason' not in own and "落后时序进度" not in own


def test_a_late_start_is_the_reason_given():
    p = SimpleNamespace(
        warning="yellow", plan=None, ytd=None, planned_start_month=3, started_on=None
    )
    assert formulas.warning_reason(p, 2026, 5) == "计划3月开工，截至5月底未开工"
    p.started_on = datetime.date(2026, 4, 2)
    assert formulas.warning_reason(p, 2026, 5) == ""
    p.warning = "green"
    assert formulas.warning_reason(p, 2026, 5) == ""


def test_red_drill_opens_on_the_results_each_with_its_reason(
    world, warnings, client_for, django_assert_max_num_queries
):
    client = client_for(world.owner)
    with django_assert_max_num_queries(18):
        page = body(client.get(f"{reverse('projects:list')}?{warnings.query}&warning=red"))
    # The filter panel collapsed, its summary naming the filter in use.
    assert re.search(
        r'<details class="card filters-box"><summary>筛选 · 预警：红色</summary>', page
    )
    assert RED in page and YELLOW not in page
    assert "投资完成率10.00%，落后时序进度（100.00%）90.00个百分点" in page


# --- stage changes ---------------------------------------------------------------------------


def test_stage_change_waits_behind_a_button_below_the_progress_and_proposes_the_next(
    world, projects, client_for
):
    page = body(client_for(world.member).get(reverse("projects:detail", args=[projects.a.pk])))
    stage = page.index('id="stage"')
    assert page.index("月度进展") < stage
    assert '<details><summary class="button">变更阶段</summary>' in page
    assert re.search(r'<option value="completed" selected>', page[stage:])
    assert services.next_stage(Project.Stage.RESERVE) == Project.Stage.SIGNED
    assert services.next_stage(Project.Stage.OPERATING) is None
    assert services.next_stage(Project.Stage.CANCELLED) is None


def test_stage_button_is_not_shown_to_a_reader(world, projects, client_for):
    page = body(client_for(world.viewer).get(reverse("projects:detail", args=[projects.a.pk])))
    assert 'id="stage"' not in page


def test_the_filter_summary_says_each_filter_in_words(world, projects, client_for):
    url = reverse("projects:list")
    q = f"?q=强伟&stage=started&in_plan=on&org={world.zone.pk}"
    page = body(client_for(world.owner).get(url + q))
    summary = page[page.index('<details class="card filters-box">') :]
    summary = summary[: summary.index("</summary>")]
    assert "阶段：在建" in summary and "名称、代码或企业：强伟" in summary
    assert f"开发区：{world.zone.name}" in summary and "仅列入年度计划的" in summary
