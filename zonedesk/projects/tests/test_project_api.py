"""/api/v1/projects…: token auth, scoping like the pages, filters, and JSON errors whose
Chinese `detail` names the field (400), stale versions (409), refusals (403/404)."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from zonedesk.audit.models import AuditEvent
from zonedesk.conftest import make_user
from zonedesk.orgs.models import Role
from zonedesk.orgs.services import create_token
from zonedesk.projects.models import ProgressReport, Project
from zonedesk.projects.tests.fixtures import (  # noqa: F401  (fixtures)
    CODE_A,
    GREEN,
    MONTHLY_A,
    NOPLAN,
    PLAN_A,
    RED,
    YELLOW,
    fresh,
    projects,
    warnings,
)

BASE = "/api/v1/projects"


def api_client(user):
    _token, secret = create_token(user, "测试")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    client.raise_request_exception = False
    return client


def names(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == len(body["items"])
    return {item["name"] for item in body["items"]}


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def assert_json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def new_project(world, **over):
    return {
        "org_id": world.zone.pk,
        "name": "寿阳华润联盛100MW光伏项目",
        "category": "industry",
        "nature": "new",
        "total_investment": "42000",
    } | over


# --- auth, scoping ------------------------------------------------------------------------


def test_without_a_token_the_api_answers_401_in_json(world, projects):
    response = Client().get(BASE)
    body = assert_json_error(response, 401)
    assert body["detail"] == "未提供有效的访问令牌"
    assert assert_json_error(Client().get(f"{BASE}/{projects.a.pk}"), 401)


def test_list_is_scoped_like_the_pages(world, projects):
    zone_a = {projects.a.name, projects.b.name, projects.c.name}
    assert names(api_client(world.owner).get(BASE)) == zone_a
    assert names(api_client(world.member).get(BASE)) == zone_a
    assert names(api_client(world.viewer).get(BASE)) == zone_a | {projects.other.name}
    assert names(api_client(world.outsider).get(BASE)) == {projects.other.name}
    assert names(api_client(world.unit_user).get(BASE)) == {projects.a.name, projects.b.name}
    assert names(api_client(world.enterprise_user).get(BASE)) == {projects.a.name}


def test_list_carries_the_years_figures(world, projects):
    body = api_client(world.owner).get(f"{BASE}?q=强伟").json()
    [a] = body["items"]
    assert a["id"] == projects.a.pk
    assert a["project_code"] == CODE_A
    assert (Decimal(a["plan"]), Decimal(a["ytd"])) == (PLAN_A, MONTHLY_A * (projects.month - 1))
    assert a["warning"] == "green"
    assert a["version"] == projects.a.version


@pytest.mark.parametrize(
    "query, expected",
    [
        ("stage=started", {RED, YELLOW, GREEN, "a"}),
        ("stage=reserve", {NOPLAN, "c"}),
        ("warning=red", {RED}),
        ("warning=yellow", {YELLOW}),
        ("q=供热", {"b"}),
        ("q=强伟", {GREEN, "a"}),
        (f"q={CODE_A}", {"a"}),
        ("stage=started&warning=green", {GREEN, "a"}),
    ],
)
def test_list_filters(world, projects, warnings, query, expected):
    by_key = {k: getattr(projects, k).name for k in ("a", "b", "c")}
    expected = {by_key.get(e, e) for e in expected}
    got = names(api_client(world.owner).get(f"{BASE}?{warnings.query}&{query}"))
    assert got == expected


def test_list_pages_with_limit_and_offset(world, projects):
    client = api_client(world.owner)
    first = client.get(f"{BASE}?limit=2&offset=0").json()
    rest = client.get(f"{BASE}?limit=2&offset=2").json()
    assert first["count"] == rest["count"] == 3
    assert len(first["items"]) == 2 and len(rest["items"]) == 1
    # Same order as the list page: largest total investment first.
    assert [i["name"] for i in first["items"] + rest["items"]] == [
        projects.a.name,
        projects.b.name,
        projects.c.name,
    ]


def test_list_with_an_impossible_month_is_a_client_error_not_a_500(world, projects):
    """?month=13 is refused with a 422 naming the field, not a 500."""
    body = assert_json_error(api_client(world.owner).get(f"{BASE}?month=13"), 422)
    assert list(body["errors"]) == ["month"] and "month" in body["detail"]


def test_detail_of_another_zones_project_is_404(world, projects):
    body = assert_json_error(api_client(world.owner).get(f"{BASE}/{projects.other.pk}"), 404)
    assert body["detail"] == "记录不存在或无权查看"
    assert assert_json_error(api_client(world.outsider).get(f"{BASE}/{projects.a.pk}"), 404)
    assert assert_json_error(api_client(world.enterprise_user).get(f"{BASE}/{projects.b.pk}"), 404)
    assert api_client(world.outsider).get(f"{BASE}/{projects.other.pk}").status_code == 200


def test_detail(world, projects):
    body = api_client(world.viewer).get(f"{BASE}/{projects.a.pk}").json()
    assert (body["name"], body["stage"], body["team_id"], body["unit_id"]) == (
        projects.a.name,
        "started",
        world.team.pk,
        world.unit.pk,
    )
    assert body["started_on"] == f"{projects.year}-01-10"


# --- create -------------------------------------------------------------------------------


def test_create_with_a_bad_code_is_400_naming_project_code(world, projects):
    before = Project.objects.count()
    response = post(api_client(world.owner), BASE, new_project(world, project_code="2023-14072"))
    body = assert_json_error(response, 400)
    assert list(body["errors"]) == ["project_code"]
    assert body["detail"].startswith("project_code：统一项目代码“2023-14072”格式不正确")
    assert Project.objects.count() == before


def test_create_names_the_field_for_business_rules(world, projects):
    client = api_client(world.owner)
    dup = assert_json_error(post(client, BASE, new_project(world, name=projects.c.name)), 400)
    assert list(dup["errors"]) == ["name"] and projects.c.name in dup["detail"]
    # A negative amount is out of the figure's bounds: the schema refuses it (catalog.bounds).
    neg = assert_json_error(post(client, BASE, new_project(world, total_investment="-1")), 422)
    assert neg["errors"] == {"total_investment": ["金额不能为负数：“-1”"]}
    dates = new_project(world, planned_start="2027-05-01", planned_completion="2027-01-01")
    late = assert_json_error(post(client, BASE, dates), 400)
    assert list(late["errors"]) == ["planned_completion"]


def test_create_with_malformed_json_fields_is_422_in_chinese(world, projects):
    body = assert_json_error(
        post(api_client(world.owner), BASE, new_project(world, total_investment="很多")), 422
    )
    assert body["errors"] == {"total_investment": ["应为数字"]}
    missing = {k: v for k, v in new_project(world).items() if k != "name"}
    body = assert_json_error(post(api_client(world.owner), BASE, missing), 422)
    assert body["errors"] == {"name": ["必填"]}


def test_create(world, projects):
    response = post(
        api_client(world.member), BASE, new_project(world, project_code="2025-140725-44-01-000321")
    )
    assert response.status_code == 201, response.content
    body = response.json()
    project = Project.objects.get(pk=body["id"])
    assert (body["stage"], body["org_id"], body["team_id"]) == (
        "reserve",
        world.zone.pk,
        world.team.pk,
    )
    assert project.project_code == "2025-140725-44-01-000321"
    assert AuditEvent.objects.filter(action="project.create", actor=world.member).exists()


def test_create_is_refused_to_readers_and_outside_the_scope(world, projects):
    before = Project.objects.count()
    body = assert_json_error(post(api_client(world.viewer), BASE, new_project(world)), 403)
    assert "没有" in body["detail"] and "权限" in body["detail"]
    assert_json_error(post(api_client(world.outsider), BASE, new_project(world)), 404)
    assert Project.objects.count() == before


def test_create_only_in_a_zone_not_under_a_park_or_county(world, projects):
    """A project belongs to a development zone, as on the page: an org_id naming a park (or
    a county or city) is answered as an unknown zone, 404, and nothing is registered; a park
    is given as park_id."""
    before = Project.objects.count()
    response = post(api_client(world.owner), BASE, new_project(world, org_id=world.park.pk))
    assert assert_json_error(response, 404)["detail"] == "记录不存在或无权查看"
    assert Project.objects.count() == before


# --- update with the version check --------------------------------------------------------


def test_patch_with_the_current_version(world, projects):
    a = projects.a
    response = patch(
        api_client(world.member), f"{BASE}/{a.pk}", {"version": a.version, "scale": "年产40万吨"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["scale"], body["version"]) == ("年产40万吨", a.version + 1)
    # Fields not sent are untouched.
    assert (body["name"], body["total_investment"]) == (a.name, "68000.00")


def test_patch_with_a_stale_version_is_409_with_the_differences(world, projects):
    a = projects.a
    client = api_client(world.member)
    assert (
        patch(client, f"{BASE}/{a.pk}", {"version": a.version, "scale": "年产40万吨"}).status_code
        == 200
    )
    response = patch(
        client, f"{BASE}/{a.pk}", {"version": a.version, "scale": "年产50万吨", "chain": "造纸"}
    )
    body = assert_json_error(response, 409)
    assert body["detail"] == "该记录已被他人修改，请核对后重新提交"
    assert body["errors"] == {"scale": {"yours": "年产50万吨", "stored": "年产40万吨"}}
    assert (fresh(a).scale, fresh(a).version) == ("年产40万吨", a.version + 1)


def test_patch_validation_errors_name_the_field(world, projects):
    a = projects.a
    client = api_client(world.owner)
    body = assert_json_error(
        patch(client, f"{BASE}/{a.pk}", {"version": a.version, "project_code": "abc"}), 400
    )
    assert list(body["errors"]) == ["project_code"]
    body = assert_json_error(
        patch(client, f"{BASE}/{a.pk}", {"version": a.version, "name": " "}), 400
    )
    assert body["errors"] == {"name": ["项目名称不能为空"]}
    body = assert_json_error(patch(client, f"{BASE}/{a.pk}", {"scale": "x"}), 422)
    assert body["errors"] == {"version": ["必填"]}
    assert fresh(a).version == a.version


def test_patch_with_null_category_is_a_400_not_a_500(world, projects):
    """`category: null` is refused naming the field, and the stored category stays."""
    c = projects.c
    response = patch(
        api_client(world.owner), f"{BASE}/{c.pk}", {"version": c.version, "category": None}
    )
    assert assert_json_error(response, 400)["errors"] == {"category": ["请选择项目类别"]}
    assert (fresh(c).category, fresh(c).version) == ("livelihood", c.version)


def test_patch_is_refused_to_non_editors_and_hidden_outside(world, projects):
    a = projects.a
    for user in (world.viewer, world.unit_user, world.enterprise_user):
        body = assert_json_error(
            patch(api_client(user), f"{BASE}/{a.pk}", {"version": a.version, "scale": "x"}), 403
        )
        assert body["detail"] == "只有该项目专班的项目专员或管理员可以修改此项目"
    assert_json_error(
        patch(api_client(world.member), f"{BASE}/{projects.b.pk}", {"version": 1, "scale": "x"}),
        403,
    )
    assert_json_error(
        patch(api_client(world.outsider), f"{BASE}/{a.pk}", {"version": a.version, "scale": "x"}),
        404,
    )
    assert fresh(a).version == a.version


# --- stage --------------------------------------------------------------------------------


def test_stage_change_by_an_editor(world, projects):
    a = projects.a
    today = datetime.date.today().isoformat()
    response = post(
        api_client(world.member),
        f"{BASE}/{a.pk}/stage",
        {"stage": "completed", "on": today, "version": a.version},
    )
    assert response.status_code == 200, response.content
    assert (response.json()["stage"], fresh(a).stage) == ("completed", "completed")


def test_stage_change_is_403_for_a_non_editor(world, projects):
    a = projects.a
    for user in (world.viewer, world.unit_user):
        response = post(
            api_client(user), f"{BASE}/{a.pk}/stage", {"stage": "completed", "on": "2026-01-31"}
        )
        body = assert_json_error(response, 403)
        assert "项目专员或管理员" in body["detail"]
    response = post(
        api_client(world.member),
        f"{BASE}/{projects.b.pk}/stage",
        {"stage": "started", "on": "2026-01-31"},
    )
    assert_json_error(response, 403)
    assert_json_error(
        post(api_client(world.outsider), f"{BASE}/{a.pk}/stage", {"stage": "completed"}), 404
    )
    assert fresh(a).stage == "started" and fresh(projects.b).stage == "signed"


def test_stage_errors_name_the_field_and_stale_versions_are_409(world, projects):
    a = projects.a
    client = api_client(world.member)
    body = assert_json_error(post(client, f"{BASE}/{a.pk}/stage", {"stage": "completed"}), 400)
    assert body["errors"] == {"on": ["请填写竣工日期"]}
    body = assert_json_error(
        post(client, f"{BASE}/{a.pk}/stage", {"stage": "signed", "on": "2026-01-01"}), 400
    )
    assert list(body["errors"]) == ["stage"]
    body = assert_json_error(post(client, f"{BASE}/{a.pk}/stage", {"stage": "nowhere"}), 422)
    assert list(body["errors"]) == ["stage"]
    today = datetime.date.today().isoformat()
    stale = post(
        client,
        f"{BASE}/{a.pk}/stage",
        {"stage": "completed", "on": today, "version": a.version - 1},
    )
    body = assert_json_error(stale, 409)
    assert body["errors"]["stage"] == {"yours": "completed", "stored": "started"}
    assert fresh(a).stage == "started"


# --- progress -----------------------------------------------------------------------------


def period(projects):
    return f"{projects.year}-{projects.month:02d}"


def test_progress_post_is_201(world, projects):
    a = projects.a
    response = post(
        api_client(world.member),
        f"{BASE}/{a.pk}/progress",
        {
            "period": period(projects),
            "invested": "1500.25",
            "progress": "主体封顶",
            "problems": "用电指标待落实",
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["period"] == f"{period(projects)}-01"
    assert Decimal(body["invested"]) == Decimal("1500.25")
    r = ProgressReport.objects.get(pk=body["id"])
    assert (r.project, r.filed_by, r.problems) == (a, world.member, "用电指标待落实")
    listed = api_client(world.viewer).get(f"{BASE}/{a.pk}/progress").json()
    assert listed[0]["period"] == f"{period(projects)}-01"
    assert len(listed) == projects.month


@pytest.mark.parametrize("bad", ["2026/10", "10-2026", "2026-13", "", "2026-1-1"])
def test_progress_with_a_malformed_period_is_400(world, projects, bad):
    response = post(
        api_client(world.member),
        f"{BASE}/{projects.a.pk}/progress",
        {"period": bad, "invested": "1", "progress": "x"},
    )
    body = assert_json_error(response, 400)
    assert body["errors"] == {"period": ["月份格式应为 YYYY-MM"]}
    assert body["detail"] == "period：月份格式应为 YYYY-MM"


def test_progress_business_errors_name_the_field(world, projects):
    client = api_client(world.member)
    url = f"{BASE}/{projects.a.pk}/progress"
    body = assert_json_error(
        post(client, url, {"period": "2999-01", "invested": "1", "progress": "x"}), 400
    )
    assert body["errors"] == {"period": ["不能填报未来月份"]}
    body = assert_json_error(
        post(client, url, {"period": period(projects), "invested": "-1", "progress": "x"}), 422
    )
    assert body["errors"] == {"invested": ["金额不能为负数：“-1”"]}
    body = assert_json_error(
        post(client, url, {"period": period(projects), "invested": "1", "progress": " "}), 400
    )
    assert body["errors"] == {"progress": ["请填写形象进度"]}


def test_progress_is_refused_to_non_editors(world, projects):
    data = {"period": period(projects), "invested": "1", "progress": "x"}
    assert_json_error(post(api_client(world.viewer), f"{BASE}/{projects.a.pk}/progress", data), 403)
    assert_json_error(
        post(api_client(world.enterprise_user), f"{BASE}/{projects.a.pk}/progress", data), 403
    )
    assert_json_error(
        post(api_client(world.outsider), f"{BASE}/{projects.a.pk}/progress", data), 404
    )
    assert_json_error(api_client(world.outsider).get(f"{BASE}/{projects.a.pk}/progress"), 404)
    assert projects.a.reports.count() == projects.month - 1


def test_progress_in_a_locked_month_needs_a_reason(world, projects):
    from zonedesk.projects import services

    services.file_progress(
        None,
        projects.a,
        period=datetime.date(projects.year, projects.month, 1),
        invested=Decimal("5"),
        progress="x",
    )
    stat = make_user("tongji", world.zone, Role.Name.STATISTICIAN)
    services.lock_period(stat, world.zone, datetime.date(projects.year, projects.month, 1))
    client = api_client(world.member)
    url = f"{BASE}/{projects.a.pk}/progress"
    body = assert_json_error(
        post(client, url, {"period": period(projects), "invested": "6", "progress": "x"}), 400
    )
    assert list(body["errors"]) == ["reason"]
    ok = post(
        client,
        url,
        {"period": period(projects), "invested": "6", "progress": "x", "reason": "复核"},
    )
    assert ok.status_code == 201


# --- schema -------------------------------------------------------------------------------


def test_openapi_schema_describes_the_projects_api(world):
    schema = Client().get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert set(paths[BASE]) == {"get", "post"}
    assert set(paths[f"{BASE}/{{project_id}}"]) == {"get", "patch"}
    assert set(paths[f"{BASE}/{{project_id}}/stage"]) == {"post"}
    assert set(paths[f"{BASE}/{{project_id}}/progress"]) == {"get", "post"}
    assert paths[BASE]["get"]["summary"].startswith("项目列表")
    schemas = schema["components"]["schemas"]
    for name in (
        "ProjectOut",
        "ProjectCreate",
        "ProjectPatch",
        "projects.StageIn",
        "ProgressIn",
        "ProgressOut",
    ):
        assert name in schemas, name
    assert "version" in schemas["ProjectPatch"]["required"]
    assert {"warning", "plan", "ytd", "version"} <= set(schemas["ProjectOut"]["properties"])
    params = {p["name"] for p in paths[BASE]["get"]["parameters"]}
    assert {"q", "stage", "warning", "year", "month", "limit", "offset"} <= params
    # Every operation needs the bearer token.
    assert all(
        op.get("security")
        for ops in (paths[BASE], paths[f"{BASE}/{{project_id}}"])
        for op in ops.values()
    )


def test_an_enterprise_token_reads_its_project_without_the_warning_colour(world, projects):
    """The warning colour is the government's: staff read it, the enterprise's contact not."""
    staff = {p["name"]: p["warning"] for p in api_client(world.owner).get(BASE).json()["items"]}
    assert staff[projects.a.name] is not None
    own = api_client(world.enterprise_user).get(BASE).json()["items"]
    assert [(p["name"], p["warning"]) for p in own] == [(projects.a.name, None)]
    one = api_client(world.enterprise_user).get(f"{BASE}/{projects.a.pk}").json()
    assert one["warning"] is None and one["name"] == projects.a.name
