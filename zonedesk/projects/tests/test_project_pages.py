"""Every page in projects/urls.py: who may open it, what the list shows and sums, the forms
behind the pages (create, edit with version check, stage, year plan, monthly progress with
photos, month locks), the photo URL's scoping, and bounded query counts."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from zonedesk.audit.models import AuditEvent, PeriodLock
from zonedesk.conftest import make_user
from zonedesk.orgs.models import Role
from zonedesk.projects import services
from zonedesk.projects.models import ProgressPhoto, ProgressReport, Project, YearPlan
from zonedesk.projects.tests.fixtures import (  # noqa: F401  (fixtures)
    CODE_A,
    CODE_GREEN,
    GREEN,
    MONTHLY_A,
    NOPLAN,
    PLAN_A,
    RED,
    YELLOW,
    add_projects,
    fresh,
    png_bytes,
    png_upload,
    projects,
    report,
    warnings,
)

CONFLICT_CAPTION = "他人已保存的内容与您提交的不同"
LIST_MAX_QUERIES = 18  # 3 more since the list prefetches its related rows (bench)
DETAIL_MAX_QUERIES = 10

# Project pages that only an editor may open: url name -> needs the approval step.
EDIT_PAGES = ["edit", "plan", "progress", "approval_new", "approval"]
READ_PAGES = ["detail"]
SCOPE_PAGES = ["list", "board", "cockpit"]


def page_url(name, projects, project=None):
    p = project or projects.a
    if name in SCOPE_PAGES or name in ("lock", "create"):
        return reverse(f"projects:{name}")
    if name == "approval":
        return reverse("projects:approval", args=[p.pk, projects.step.pk])
    return reverse(f"projects:{name}", args=[p.pk])


def flashes(response):
    """(level, text) of every flash message the page shows."""
    return re.findall(
        r'<p class="flash ([^"]+)" role="status">(.*?)</p>', response.content.decode()
    )


def listed(response):
    """Names of the projects on a list page."""
    return [p.name for p in response.context["projects"]]


def field_errors(response, field):
    return list(response.context["form"].errors.get(field, []))


def today():
    return timezone.localdate()


@pytest.fixture
def leader(world):
    return make_user("leader", world.zone, Role.Name.LEADER)


@pytest.fixture
def statistician(world):
    return make_user("tongji", world.zone, Role.Name.STATISTICIAN)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def project_post(p, **over):
    """The edit form's data as the page would post it for project `p`."""
    data = {
        "version": p.version,
        "name": p.name,
        "project_code": p.project_code,
        "category": p.category,
        "nature": p.nature,
        "total_investment": str(p.total_investment),
        "chain": p.chain,
        "scale": p.scale,
        "content": p.content,
    }
    for fk in ("park", "enterprise", "leader", "unit", "agent_unit", "team"):
        data[fk] = getattr(p, f"{fk}_id") or ""
    for flag in (
        "is_provincial",
        "is_municipal",
        "is_county",
        "is_double_hundred",
        "is_standard_land",
        "is_commitment",
    ):
        if getattr(p, flag):
            data[flag] = "on"
    return data | over


def new_project_post(**over):
    return {
        "name": "寿阳华润联盛100MW光伏项目",
        "category": "industry",
        "nature": "new",
        "total_investment": "42000",
        "project_code": "",
    } | over


# --- who may open what --------------------------------------------------------------------


ALL_GET_PAGES = [*SCOPE_PAGES, "lock", "create", *READ_PAGES, *EDIT_PAGES]


@pytest.mark.parametrize("name", ALL_GET_PAGES)
def test_anonymous_visitor_is_sent_to_login(world, projects, name):
    target = page_url(name, projects)
    response = Client().get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={target}"


@pytest.mark.parametrize("name", ["stage", "stats"])
def test_anonymous_post_is_sent_to_login_and_changes_nothing(world, projects, name):
    target = reverse(f"projects:{name}", args=[projects.a.pk])
    response = Client().post(target, {"stage": "completed", "on": f"{today()}", "version": 2})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert fresh(projects.a).stage == Project.Stage.STARTED


@pytest.mark.parametrize("name", ALL_GET_PAGES)
def test_owner_opens_every_page(world, projects, client_for, name):
    response = client_for(world.owner).get(page_url(name, projects))
    assert response.status_code == 200


@pytest.mark.parametrize("name", [*SCOPE_PAGES, "create", *READ_PAGES, *EDIT_PAGES])
def test_officer_opens_every_page_of_their_task_forces_project(world, projects, client_for, name):
    response = client_for(world.member).get(page_url(name, projects))
    assert response.status_code == 200


@pytest.mark.parametrize("name", ["edit", "plan", "progress", "approval_new"])
def test_officer_may_not_edit_a_project_outside_their_task_force(world, projects, client_for, name):
    client = client_for(world.member)
    assert client.get(page_url("detail", projects, projects.b)).status_code == 200
    assert client.get(page_url(name, projects, projects.b)).status_code == 403


def test_detail_offers_the_edit_buttons_only_to_editors(world, projects, client_for, leader):
    fill = reverse("projects:progress", args=[projects.a.pk])
    for user, shown in [
        (world.owner, True),
        (world.member, True),
        (world.viewer, False),
        (leader, False),
    ]:
        response = client_for(user).get(page_url("detail", projects))
        assert response.context["can_edit"] is shown
        assert (fill in response.content.decode()) is shown
    assert fill.replace(str(projects.a.pk), str(projects.b.pk)) not in (
        client_for(world.member).get(page_url("detail", projects, projects.b)).content.decode()
    )


@pytest.fixture(params=["viewer", "leader"])
def reader(request, world):
    """The read-only users: a city viewer and a zone leader."""
    if request.param == "viewer":
        return world.viewer
    return make_user("leader", world.zone, Role.Name.LEADER)


@pytest.mark.parametrize("name", [*SCOPE_PAGES, *READ_PAGES])
def test_read_only_users_see_list_detail_board_and_cockpit(
    world, projects, client_for, reader, name
):
    assert client_for(reader).get(page_url(name, projects)).status_code == 200


@pytest.mark.parametrize("name", [*EDIT_PAGES, "lock"])
def test_read_only_users_are_refused_edit_pages(world, projects, client_for, reader, name):
    assert client_for(reader).get(page_url(name, projects)).status_code == 403


def test_viewer_may_not_register_a_project(world, projects, client_for):
    client = client_for(world.viewer)
    assert client.get(reverse("projects:create")).status_code == 403
    assert client.post(reverse("projects:create"), new_project_post()).status_code == 403
    assert not Project.objects.filter(name=new_project_post()["name"]).exists()


def test_read_only_users_posts_are_refused_and_change_nothing(
    world, projects, client_for, reader, media
):
    a = projects.a
    client = client_for(reader)
    year, month = projects.year, projects.month
    posts = {
        "edit": project_post(a, scale="被篡改"),
        "plan": {"year": year, "planned_investment": "1"},
        "progress": {"period": f"{year}-{month:02d}", "invested": "9", "progress": "x"},
        "approval_new": {"kind": "eia", "status": "pending", "committed_days": "3"},
        "approval": {"kind": "eia", "status": "pending", "committed_days": "3", "version": 1},
    }
    for name, data in posts.items():
        assert client.post(page_url(name, projects), data).status_code == 403, name
    for name in ("stage", "stats"):
        url = reverse(f"projects:{name}", args=[a.pk])
        data = {"stage": "completed", "on": f"{today()}", "version": a.version}
        assert client.post(url, data).status_code == 403, name
    after = fresh(a)
    assert (after.version, after.scale, after.stage, after.stats_registered) == (
        a.version,
        a.scale,
        Project.Stage.STARTED,
        False,
    )
    assert YearPlan.objects.get(project=a, year=year).planned_investment == PLAN_A
    assert not ProgressReport.objects.filter(
        project=a, period=datetime.date(year, month, 1)
    ).exists()
    assert list(a.approvals.values_list("kind", flat=True)) == ["filing"]


@pytest.mark.parametrize("name", [*READ_PAGES, *EDIT_PAGES])
def test_outsider_gets_404_on_zone_a_project_pages(world, projects, client_for, name):
    assert client_for(world.outsider).get(page_url(name, projects)).status_code == 404


@pytest.mark.parametrize("name", ["stage", "stats"])
def test_outsider_posts_to_zone_a_project_get_404(world, projects, client_for, name):
    url = reverse(f"projects:{name}", args=[projects.a.pk])
    data = {"stage": "completed", "on": f"{today()}", "version": projects.a.version}
    assert client_for(world.outsider).post(url, data).status_code == 404
    assert fresh(projects.a).version == projects.a.version


def test_outsider_list_holds_only_their_zone(world, projects, client_for):
    response = client_for(world.outsider).get(reverse("projects:list"))
    assert listed(response) == [projects.other.name]
    assert response.context["totals"]["count"] == 1
    body = response.content.decode()
    assert projects.a.name not in body and projects.b.name not in body


def test_outsider_registers_projects_in_their_own_zone_only(world, projects, client_for):
    """Naming another zone in the address or the form changes nothing: the page offers the
    outsider's own zone, and the project is registered there."""
    client = client_for(world.outsider)
    url = reverse("projects:create") + f"?org={world.zone.pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["title"] == "在“太谷经济技术开发区”登记项目"
    response = client.post(url, new_project_post(org=world.zone.pk))
    project = Project.objects.get(name=new_project_post()["name"])
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert project.org == world.other_zone


def test_unit_staff_see_only_the_projects_their_unit_serves(world, projects, client_for):
    client = client_for(world.unit_user)
    response = client.get(reverse("projects:list"))
    # a: 责任单位 is theirs; b: 代办单位 is theirs; c: neither.
    assert sorted(listed(response)) == sorted([projects.a.name, projects.b.name])
    assert client.get(page_url("detail", projects, projects.a)).status_code == 200
    assert client.get(page_url("detail", projects, projects.b)).status_code == 200
    assert client.get(page_url("detail", projects, projects.c)).status_code == 404
    assert client.get(page_url("detail", projects, projects.other)).status_code == 404
    # Seeing is not editing.
    assert client.get(page_url("edit", projects)).status_code == 403
    assert client.get(page_url("progress", projects)).status_code == 403
    assert client.get(reverse("projects:create")).status_code == 403


def test_enterprise_contact_sees_only_their_enterprises_projects(world, projects, client_for):
    client = client_for(world.enterprise_user)
    # The register is the government's; the contact reaches its projects from 本企业.
    assert client.get(reverse("projects:list")).status_code == 403
    assert client.get(page_url("detail", projects, projects.a)).status_code == 200
    assert client.get(page_url("detail", projects, projects.b)).status_code == 404
    assert client.get(page_url("edit", projects)).status_code == 403
    assert client.get(reverse("projects:create")).status_code == 403
    assert client.get(reverse("projects:lock")).status_code == 403


def test_lock_page_is_for_statisticians_and_admins(world, projects, client_for, statistician):
    assert client_for(statistician).get(reverse("projects:lock")).status_code == 200
    assert client_for(world.owner).get(reverse("projects:lock")).status_code == 200
    for user in (world.member, world.viewer, world.unit_user, world.enterprise_user):
        assert client_for(user).get(reverse("projects:lock")).status_code == 403, user


# --- the list: filters, totals, pagination, sorting ---------------------------------------


def rows(response):
    return list(response.context["projects"])


def assert_totals_match_rows(response):
    got = response.context["totals"]
    page = rows(response)
    assert got["count"] == len(page)
    assert got["total"] == sum((p.total_investment for p in page), Decimal("0"))
    assert got["plan"] == sum((p.plan or Decimal("0") for p in page), Decimal("0"))
    assert got["ytd"] == sum((p.ytd for p in page), Decimal("0"))
    # The rows show no month figure: the month's total is that of their reports.
    f = response.context["f"]
    month = ProgressReport.objects.filter(
        project__in=[p.pk for p in page], period=datetime.date(f["year"], f["month"], 1)
    )
    assert got["month"] == sum((r.invested for r in month), Decimal("0"))


def get_list(client, warnings, query=""):
    return client.get(f"{reverse('projects:list')}?{warnings.query}&{query}")


ZONE_A = {"a", "b", "c"}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {RED, YELLOW, GREEN, NOPLAN, *ZONE_A}),
        ("warning=red", {RED}),
        ("warning=yellow", {YELLOW}),
        ("warning=green", {GREEN, NOPLAN, *ZONE_A}),
        ("stage=started", {RED, YELLOW, GREEN, "a"}),
        ("stage=reserve", {NOPLAN, "c"}),
        ("stage=signed", {"b"}),
        ("level=is_provincial", {RED, "a"}),
        ("level=is_municipal", {YELLOW}),
        ("in_plan=on", {RED, YELLOW, GREEN}),
        ("q=供热", {"b"}),
        ("q=强伟", {GREEN, "a"}),  # the enterprise's name
        (f"q={CODE_GREEN[:9]}", {GREEN}),  # part of the 统一项目代码
        (f"q={CODE_A}", {"a"}),
        ("q=不存在的项目", set()),
        ("stage=started&warning=green", {GREEN, "a"}),
        ("in_plan=on&level=is_provincial", {RED}),
    ],
)
def test_list_filters_and_totals_are_the_sum_of_the_filtered_rows(
    world, projects, warnings, client_for, query, expected
):
    names = {k: getattr(projects, k).name for k in ZONE_A}
    expected = {names.get(e, e) for e in expected}
    response = get_list(client_for(world.owner), warnings, query)
    assert response.status_code == 200
    assert set(listed(response)) == expected
    assert_totals_match_rows(response)


def test_list_totals_show_the_years_figures(world, projects, warnings, client_for):
    response = get_list(client_for(world.owner), warnings, "in_plan=on")
    t = response.context["totals"]
    assert (t["count"], t["total"], t["plan"], t["ytd"]) == (
        3,
        Decimal("24000"),
        Decimal("3000"),
        Decimal("1900"),
    )
    body = response.content.decode()
    assert "<span>2.40 亿元</span>总投资" in body  # a card: 亿元 from 1 亿 up, its unit shown
    # Nothing was invested in December: the month column sums to zero.
    assert t["month"] == 0


def test_list_for_the_reporting_month_sums_project_a(world, projects, client_for):
    response = client_for(world.owner).get(reverse("projects:list") + "?q=强伟")
    [a] = rows(response)
    assert a.plan == PLAN_A
    assert a.ytd == MONTHLY_A * (projects.month - 1)
    assert a.warning == "green"
    assert_totals_match_rows(response)


def test_list_paginates_fifty_rows_and_totals_cover_every_page(world, projects, client_for):
    add_projects(world.zone, 52, projects.year, projects.month)
    client = client_for(world.owner)
    first = client.get(reverse("projects:list"))
    second = client.get(reverse("projects:list") + "?page=2")
    assert len(rows(first)) == 50
    assert len(rows(second)) == 55 - 50
    assert first.context["totals"]["count"] == second.context["totals"]["count"] == 55
    assert not set(listed(first)) & set(listed(second))
    assert "第 1 / 2 页，共 55 条" in first.content.decode()
    # The pager keeps the filter in its links.
    filtered = client.get(reverse("projects:list") + "?stage=started&q=批量")
    assert filtered.context["totals"]["count"] == 52
    assert (
        "stage=started"
        in re.search(r'<nav class="pager">.*?</nav>', filtered.content.decode(), re.S)[0]
    )


@pytest.mark.parametrize(
    "sort, key",
    [
        ("", lambda p: (-p.total_investment, p.pk)),
        ("total_investment", lambda p: (p.total_investment, p.pk)),
        ("-ytd", lambda p: (-p.ytd, p.pk)),
        ("name", lambda p: (p.name, p.pk)),
        ("-created_at", lambda p: (-p.created_at.timestamp(), p.pk)),
    ],
)
def test_list_sorts(world, projects, warnings, client_for, sort, key):
    response = get_list(client_for(world.owner), warnings, f"sort={sort}")
    stored = Project.objects.in_bulk([p.pk for p in rows(response)])
    got = [stored[p.pk] for p in rows(response)]
    for p in got:  # the figures sorted by, as the page shows them
        p.ytd = next(r.ytd for r in rows(response) if r.pk == p.pk)
    assert len(got) == 7
    assert [p.pk for p in got] == [p.pk for p in sorted(got, key=key)]


def test_list_sorted_by_this_years_completion_puts_green_first(
    world, projects, warnings, client_for
):
    response = get_list(client_for(world.owner), warnings, "sort=-ytd&in_plan=on")
    assert listed(response) == [GREEN, YELLOW, RED]


def test_list_filter_form_keeps_the_choices_of_the_scope(world, projects, client_for):
    form = client_for(world.owner).get(reverse("projects:list")).context["form"]
    assert form.fields["org"].choices == [("", "全部"), (world.zone.pk, world.zone.name)]
    assert [c for c, _ in form.fields["chain"].choices] == ["", "造纸"]
    outsider_form = client_for(world.outsider).get(reverse("projects:list")).context["form"]
    assert [k for k, _ in outsider_form.fields["org"].choices] == ["", world.other_zone.pk]
    assert [c for c, _ in outsider_form.fields["chain"].choices] == [""]


# --- query counts -------------------------------------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx)


def test_list_query_count_is_bounded_and_does_not_grow(
    world, projects, client_for, django_assert_max_num_queries
):
    client = client_for(world.owner)
    url = reverse("projects:list")
    before = count_queries(client, url)
    add_projects(world.zone, 30, projects.year, projects.month)
    with django_assert_max_num_queries(LIST_MAX_QUERIES):
        response = client.get(url + "?in_plan=on&sort=-ytd")
    assert len(rows(response)) == 31
    after = count_queries(client, url)
    assert after <= before <= LIST_MAX_QUERIES


def test_detail_query_count_is_bounded_and_does_not_grow(
    world, projects, client_for, media, django_assert_max_num_queries
):
    client = client_for(world.owner)
    url = reverse("projects:detail", args=[projects.a.pk])
    # One report with a photo and one running approval step (working days read the
    # calendar) to start with.
    services.add_photo(None, projects.a.reports.first(), png_upload())
    services.add_approval_step(
        None, projects.a, kind="land_pre", status="active", committed_days=10, started_on=today()
    )
    before = count_queries(client, url)
    add_projects(world.zone, 30, projects.year, projects.month)
    # The project's own rows grow too: photos on every report, more approval steps.
    for r in projects.a.reports.all():
        services.add_photo(None, r, png_upload())
    for kind in ("land", "planning", "eia"):
        services.add_approval_step(
            None, projects.a, kind=kind, status="active", committed_days=20, started_on=today()
        )
    with django_assert_max_num_queries(DETAIL_MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert count_queries(client, url) <= before <= DETAIL_MAX_QUERIES


# --- create -------------------------------------------------------------------------------


def test_create_with_a_bad_project_code_rerenders_the_form_with_a_chinese_error(
    world, projects, client_for
):
    before = Project.objects.count()
    response = client_for(world.owner).post(
        reverse("projects:create"), new_project_post(project_code="2023-14072-22-03-1")
    )
    assert response.status_code == 200
    [error] = field_errors(response, "project_code")
    assert "统一项目代码" in error and "格式不正确" in error
    body = response.content.decode()
    assert '<div class="field invalid">' in body and "格式不正确" in body
    # What was typed is kept.
    assert 'value="寿阳华润联盛100MW光伏项目"' in body
    assert Project.objects.count() == before


def test_create_names_the_project_that_already_holds_the_code(world, projects, client_for):
    response = client_for(world.owner).post(
        reverse("projects:create"), new_project_post(project_code=CODE_A)
    )
    assert field_errors(response, "project_code") == [f"统一项目代码已用于“{projects.a.name}”"]


def test_create_reports_missing_and_duplicate_fields_in_chinese(world, projects, client_for):
    client = client_for(world.owner)
    empty = client.post(reverse("projects:create"), {"name": "", "category": "industry"})
    assert empty.status_code == 200
    assert field_errors(empty, "name") == ["这个字段是必填项。"]
    assert field_errors(empty, "total_investment") == ["这个字段是必填项。"]
    negative = client.post(reverse("projects:create"), new_project_post(total_investment="-5"))
    assert field_errors(negative, "total_investment")
    same_name = client.post(reverse("projects:create"), new_project_post(name=projects.c.name))
    assert field_errors(same_name, "name") == [
        f"“寿阳经济技术开发区”已有名为“{projects.c.name}”的项目"
    ]


def test_officer_registers_a_project_into_their_task_force(world, projects, client_for):
    client = client_for(world.member)
    response = client.post(
        reverse("projects:create"), new_project_post(project_code="2025-140725-44-01-000321")
    )
    project = Project.objects.get(name="寿阳华润联盛100MW光伏项目")
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    assert (project.org, project.team, project.stage) == (world.zone, world.team, "reserve")
    assert AuditEvent.objects.filter(action="project.create", actor=world.member).exists()
    page = client.get(response["Location"])
    assert ("success", "已保存") in flashes(page)
    assert page.context["can_edit"] is True


# --- edit with the version check ----------------------------------------------------------


def test_edit_saves_and_records_the_change(world, projects, client_for):
    a = projects.a
    response = client_for(world.member).post(
        page_url("edit", projects), project_post(a, scale="年产40万吨", total_investment="70000")
    )
    assert response.status_code == 302
    after = fresh(a)
    assert (after.scale, after.total_investment, after.version) == (
        "年产40万吨",
        Decimal("70000"),
        a.version + 1,
    )
    # Fields the form lacks are untouched.
    assert (after.stage, after.started_on) == (a.stage, a.started_on)
    event = AuditEvent.objects.filter(action="project.update").latest("pk")
    assert event.changes["scale"] == ["年产35万吨", "年产40万吨"]


def test_edit_with_a_stale_version_shows_the_difference_and_does_not_overwrite(
    world, projects, client_for
):
    a = projects.a
    url = page_url("edit", projects)
    loaded = client_for(world.owner).get(url)
    assert loaded.context["form"].initial["version"] == a.version
    first = client_for(world.member).post(url, project_post(a, scale="年产40万吨"))
    assert first.status_code == 302
    second = client_for(world.owner).post(url, project_post(a, scale="年产50万吨"))
    assert second.status_code == 200
    body = second.content.decode()
    assert CONFLICT_CAPTION in body
    assert "年产50万吨" in body and "年产40万吨" in body
    assert fresh(a).scale == "年产40万吨"
    assert fresh(a).version == a.version + 1
    # The form now carries the stored version: a deliberate second submit wins.
    assert second.context["form"].data["version"] == a.version + 1
    third = client_for(world.owner).post(url, project_post(fresh(a), scale="年产50万吨"))
    assert third.status_code == 302
    assert fresh(a).scale == "年产50万吨"


def test_edit_refuses_a_park_unit_or_team_of_another_zone(world, projects, client_for):
    response = client_for(world.owner).post(
        page_url("edit", projects), project_post(projects.a, unit=world.other_unit.pk)
    )
    # The other zone's unit is not even a choice for the zone A admin.
    assert response.status_code == 200
    assert field_errors(response, "unit")
    assert fresh(projects.a).unit == world.unit


# --- stage change, 入库入统 ----------------------------------------------------------------


def stage_post(client, project, **data):
    url = reverse("projects:stage", args=[project.pk])
    data = {"version": fresh(project).version} | data
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("projects:detail", args=[project.pk])
    return flashes(client.get(response["Location"]))


def test_stage_change_succeeds_and_is_flashed(world, projects, client_for):
    client = client_for(world.member)
    got = stage_post(client, projects.a, stage="completed", on=f"{today()}")
    assert got == [("success", "阶段已更新为“竣工”")]
    after = fresh(projects.a)
    assert (after.stage, after.completed_on) == ("completed", today())
    assert AuditEvent.objects.filter(action="project.stage").exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"stage": "completed", "on": "2999-01-01"}, "日期不能晚于今天"),
        ({"stage": "completed"}, "请填写竣工日期"),
        ({"stage": "signed", "on": "2020-01-01"}, "项目不能从“在建”退回“签约”"),
        ({"stage": "started", "on": "2020-01-01"}, "项目已处于“在建”阶段"),
        ({"stage": "cancelled"}, "取消项目须说明原因"),
        ({"stage": "bogus"}, "选择一个有效的选项"),
        ({"stage": "completed", "on": "不是日期"}, "输入一个有效的日期"),
    ],
)
def test_stage_change_errors_are_flashed_and_change_nothing(
    world, projects, client_for, data, message
):
    [(level, text)] = stage_post(client_for(world.member), projects.a, **data)
    assert level == "error"
    assert message in text
    assert fresh(projects.a).stage == "started"
    assert fresh(projects.a).version == projects.a.version


def test_stage_change_with_a_stale_version_is_flashed_not_a_server_error(
    world, projects, client_for
):
    """Two people change the stage from the same page (or the board): the second is told
    that someone else saved first, and the stage stays as it was."""
    a = projects.a
    loaded = a.version  # the version on the member's page
    services.update_project(None, fresh(a), {"scale": "年产36万吨"})  # someone saved meanwhile
    assert fresh(a).version == loaded + 1
    client = client_for(world.member)
    client.raise_request_exception = False
    url = reverse("projects:stage", args=[a.pk])
    response = client.post(url, {"stage": "completed", "on": f"{today()}", "version": loaded})
    assert response.status_code == 302, f"got {response.status_code}"
    [(level, text)] = flashes(client.get(response["Location"]))
    assert level == "error" and "他人修改" in text
    assert fresh(a).stage == "started"


def test_stats_registration_through_the_page(world, projects, client_for):
    client = client_for(world.owner)
    url_a = reverse("projects:stats", args=[projects.a.pk])
    response = client.post(url_a, {"on": f"{today()}"})
    assert response.status_code == 302
    assert ("success", "已登记入库入统") in flashes(client.get(response["Location"]))
    assert fresh(projects.a).stats_registered is True
    not_started = client.post(reverse("projects:stats", args=[projects.b.pk]), {"on": f"{today()}"})
    assert ("error", "项目开工后才能入库入统") in flashes(client.get(not_started["Location"]))
    missing_date = client.post(reverse("projects:stats", args=[projects.b.pk]), {})
    [(level, text)] = flashes(client.get(missing_date["Location"]))
    assert level == "error" and "必填" in text


# --- year plan ----------------------------------------------------------------------------


def test_year_plan_page_shows_and_updates_the_plan(world, projects, client_for):
    client = client_for(world.member)
    url = reverse("projects:plan", args=[projects.a.pk])
    form = client.get(f"{url}?year={projects.year}").context["form"]
    assert form.initial["planned_investment"] == PLAN_A
    response = client.post(
        url,
        {
            "year": projects.year,
            "planned_investment": "15000",
            "planned_start_month": "3",
            "goal": "主体封顶",
        },
    )
    assert response.status_code == 302
    plan = YearPlan.objects.get(project=projects.a, year=projects.year)
    assert (plan.planned_investment, plan.planned_start_month, plan.goal) == (
        Decimal("15000"),
        3,
        "主体封顶",
    )
    nxt = client.post(url, {"year": projects.year + 1, "planned_investment": "20000"})
    assert nxt.status_code == 302
    assert projects.a.year_plans.count() == 2


def test_year_plan_errors_are_in_chinese_and_nothing_is_saved(world, projects, client_for):
    client = client_for(world.member)
    url = reverse("projects:plan", args=[projects.a.pk])
    response = client.post(url, {"year": projects.year, "planned_investment": "-1"})
    assert response.status_code == 200
    assert field_errors(response, "planned_investment") == ["金额不能为负数：“-1”"]
    month = client.post(
        url, {"year": projects.year, "planned_investment": "1", "planned_start_month": "13"}
    )
    assert field_errors(month, "planned_start_month")
    assert YearPlan.objects.get(project=projects.a, year=projects.year).planned_investment == PLAN_A


def test_year_plan_page_with_a_malformed_year_is_not_a_server_error(world, projects, client_for):
    """?year=abc falls back to the reporting year and shows that year's plan."""
    client = client_for(world.member)
    client.raise_request_exception = False
    response = client.get(reverse("projects:plan", args=[projects.a.pk]) + "?year=abc")
    assert response.status_code == 200, f"got {response.status_code}"
    initial = response.context["form"].initial
    assert (initial["year"], initial["planned_investment"]) == (projects.year, PLAN_A)


# --- monthly progress, photos -------------------------------------------------------------


def progress_url(project):
    return reverse("projects:progress", args=[project.pk])


def this_period(projects):
    return f"{projects.year}-{projects.month:02d}"


def test_progress_page_proposes_the_reporting_month(world, projects, client_for):
    response = client_for(world.member).get(progress_url(projects.a))
    assert response.context["form"].initial["period"] == this_period(projects)
    assert response.context["existing"] is None
    body = response.content.decode()
    assert 'type="month"' in body and 'inputmode="decimal"' in body and 'accept="image/*"' in body
    assert "截止日期" in body


def test_officer_files_the_months_progress(world, projects, client_for):
    client = client_for(world.member)
    response = client.post(
        progress_url(projects.a),
        {
            "period": this_period(projects),
            "invested": "1200.50",
            "progress": "主厂房钢结构吊装完成",
        },
    )
    assert response.status_code == 302
    r = ProgressReport.objects.get(
        project=projects.a, period=datetime.date(projects.year, projects.month, 1)
    )
    assert (r.invested, r.progress, r.filed_by) == (
        Decimal("1200.50"),
        "主厂房钢结构吊装完成",
        world.member,
    )
    page = client.get(response["Location"])
    assert ("success", f"{projects.year}年{projects.month}月的月报已提交") in flashes(page)
    assert "主厂房钢结构吊装完成" in page.content.decode()
    # Filing again updates the same month instead of adding one.
    again = client.get(progress_url(projects.a))
    assert again.context["existing"] == r
    client.post(
        progress_url(projects.a),
        {"period": this_period(projects), "invested": "1300", "progress": "封顶"},
    )
    assert fresh(r).invested == Decimal("1300")
    assert projects.a.reports.count() == projects.month


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"invested": "-1", "progress": "x"}, "invested", "金额不能为负数：“-1”"),
        ({"invested": "abc", "progress": "x"}, "invested", "输入一个数字。"),
        ({"invested": "1", "progress": ""}, "progress", "这个字段是必填项。"),
        ({"invested": "1", "progress": "x", "period": "2999-01"}, "period", "不能填报未来月份"),
        (
            {"invested": "1", "progress": "x", "period": "二〇二六年"},
            "period",
            "输入一个有效的日期。",
        ),
    ],
)
def test_progress_errors_are_shown_on_their_fields(
    world, projects, client_for, data, field, message
):
    data = {"period": this_period(projects)} | data
    response = client_for(world.member).post(progress_url(projects.a), data)
    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert projects.a.reports.count() == projects.month - 1


def test_officer_files_progress_with_a_photo(world, projects, client_for, media):
    """A photo posted with the monthly report is stored beside it, re-encoded as JPEG."""
    client = client_for(world.member)
    response = client.post(
        progress_url(projects.a),
        {
            "period": this_period(projects),
            "invested": "800",
            "progress": "设备基础浇筑",
            "photos": png_upload("现场.png"),
        },
    )
    errors = response.context["form"].errors if response.status_code == 200 else {}
    assert response.status_code == 302, f"the form refused the photo: {errors}"
    report_ = projects.a.reports.get(period=datetime.date(projects.year, projects.month, 1))
    [photo] = report_.photos.all()
    assert photo.image.path.startswith(str(media))
    with Image.open(photo.image.path) as img:
        assert (img.format, img.size) == ("JPEG", (64, 48))
    page = client.get(reverse("projects:detail", args=[projects.a.pk]))
    assert reverse("projects:photo", args=[photo.pk]) in page.content.decode()


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_half_written(
    world, projects, client_for, media
):
    """Same root cause as test_officer_files_progress_with_a_photo while the photo field
    refuses every upload; once fixed, the service's own message must show and the report
    must be rolled back with the photo."""
    response = client_for(world.member).post(
        progress_url(projects.a),
        {
            "period": this_period(projects),
            "invested": "800",
            "progress": "设备基础浇筑",
            "photos": _fake_png(),
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "“not-an-image.png”不是可识别的图片" in errors, response.context["form"].errors
    assert not projects.a.reports.filter(
        period=datetime.date(projects.year, projects.month, 1)
    ).exists()
    assert not ProgressPhoto.objects.exists()


def _fake_png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("not-an-image.png", b"<script>alert(1)</script>", "image/png")


@pytest.fixture
def photo(world, projects, media):
    r = projects.a.reports.order_by("period").first() or report(
        projects.a, projects.year, projects.month, "10"
    )
    return services.add_photo(None, r, png_upload())


def test_photo_is_served_to_the_zones_users(world, projects, client_for, photo):
    url = reverse("projects:photo", args=[photo.pk])
    for user in (world.owner, world.member, world.viewer, world.unit_user, world.enterprise_user):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/jpeg"
        data = b"".join(response.streaming_content)
        with Image.open(io.BytesIO(data)) as img:
            assert img.size == (64, 48)


def test_photo_is_404_to_the_outsider_and_login_for_anonymous(world, projects, client_for, photo):
    url = reverse("projects:photo", args=[photo.pk])
    assert client_for(world.outsider).get(url).status_code == 404
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


def test_png_helper_is_a_real_png():
    assert png_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


# --- month lock ---------------------------------------------------------------------------


def lock_month(client, world, period):
    response = client.post(reverse("projects:lock"), {"org": world.zone.pk, "period": period})
    assert response.status_code == 302
    return flashes(client.get(reverse("projects:lock")))


def test_statistician_locks_a_month_and_later_changes_need_a_reason(
    world, projects, client_for, statistician
):
    year, month = projects.year, projects.month
    # The reporting month is filed first, then closed.
    filed = report(projects.a, year, month, "500")
    period = this_period(projects)
    got = lock_month(client_for(statistician), world, period)
    assert got == [("success", f"寿阳经济技术开发区 {period}已关账")]
    lock = PeriodLock.objects.get(org=world.zone, period=datetime.date(year, month, 1))
    assert lock.locked_by == statistician
    page = client_for(statistician).get(reverse("projects:lock"))
    assert period in page.content.decode()

    officer = client_for(world.member)
    shown = officer.get(progress_url(projects.a))
    assert shown.context["locked"] is True
    assert "该月已关账，修改须填写更正原因" in shown.content.decode()

    no_reason = officer.post(
        progress_url(projects.a), {"period": period, "invested": "600", "progress": "更正"}
    )
    assert no_reason.status_code == 200
    assert field_errors(no_reason, "reason") == [f"{period}已关账，修改须填写更正原因"]
    assert fresh(filed).invested == Decimal("500")

    corrected = officer.post(
        progress_url(projects.a),
        {"period": period, "invested": "600", "progress": "更正", "reason": "监理复核后调整"},
    )
    assert corrected.status_code == 302
    assert fresh(filed).invested == Decimal("600")
    event = AuditEvent.objects.filter(action="progress.correct").latest("pk")
    assert event.changes["reason"] == [None, "监理复核后调整"]
    assert [Decimal(v) for v in event.changes["invested"]] == [Decimal("500"), Decimal("600")]


def test_a_locked_month_takes_no_new_report(world, projects, client_for, statistician):
    period = this_period(projects)
    lock_month(client_for(statistician), world, period)
    response = client_for(world.owner).post(
        progress_url(projects.b),
        {"period": period, "invested": "5", "progress": "x", "reason": "补报"},
    )
    assert response.status_code == 200
    assert field_errors(response, "period") == [f"{period}已关账，不能新增月报"]
    assert not projects.b.reports.exists()


def test_lock_errors_are_flashed(world, projects, client_for, statistician):
    client = client_for(statistician)
    period = this_period(projects)
    lock_month(client, world, period)
    assert lock_month(client, world, period) == [("error", f"{period}已关账")]
    assert lock_month(client, world, "2999-01") == [("error", "不能关闭未来的月份")]
    assert lock_month(client, world, "") == [("error", "请选择要关账的月份")]
    assert PeriodLock.objects.count() == 1


def test_statistician_may_not_lock_another_zone(world, projects, client_for, statistician):
    response = client_for(statistician).post(
        reverse("projects:lock"), {"org": world.other_zone.pk, "period": this_period(projects)}
    )
    assert response.status_code == 403
    assert not PeriodLock.objects.exists()
