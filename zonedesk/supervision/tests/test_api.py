"""/api/v1/blockers: scoped like the pages, transitions, JSON errors with a Chinese detail."""

import datetime

from zonedesk.projects.tests.test_project_api import api_client as api
from zonedesk.projects.tests.test_project_api import post

BASE = "/api/v1/blockers"


def titles(r):
    assert r.status_code == 200, r.content
    return {b["title"] for b in r.json()["items"]}


def test_unit_cannot_see_blocker_of_other_unit_through_the_api(
    sup, blocker, theirs, django_assert_max_num_queries
):
    client = api(sup.unit_user)
    with django_assert_max_num_queries(8):
        assert titles(client.get(BASE)) == {"用地指标未落实"}
    assert client.get(f"{BASE}/{theirs.pk}").status_code == 404
    assert client.get(f"{BASE}/{blocker.pk}").json()["steps"][0]["action"] == "raise"
    assert titles(api(sup.member).get(BASE)) == {"用地指标未落实", "环评批复滞后"}
    assert titles(api(sup.outsider).get(BASE)) == set()
    assert api(sup.enterprise_user).get(BASE).status_code == 403


def test_create_with_working_days_and_errors_name_the_field(sup):
    client = api(sup.member)
    r = post(
        client,
        BASE,
        {"org_id": sup.zone.pk, "title": "供水未通", "unit_id": sup.unit.pk, "days": 3},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "open" and body["level"] == "general"
    assert datetime.date.fromisoformat(body["deadline"]) > datetime.date.today()
    r = post(
        client, BASE, {"org_id": sup.zone.pk, "title": "x", "unit_id": sup.other_unit.pk, "days": 3}
    )
    assert r.status_code == 400 and "责任单位" in r.json()["detail"]
    r = post(client, BASE, {"org_id": sup.zone.pk, "title": "x", "unit_id": sup.unit.pk})
    assert r.status_code == 400 and "二选一" in r.json()["detail"]
    new = {"org_id": sup.zone.pk, "title": "x", "unit_id": sup.unit.pk, "days": 3}
    assert post(api(sup.unit_user), BASE, new).status_code == 403
    assert post(api(sup.outsider), BASE, new).status_code == 404


def test_transitions_through_the_api(sup, blocker):
    unit = api(sup.unit_user)
    url = f"{BASE}/{blocker.pk}"
    assert post(unit, f"{url}/answer", {"text": "正在办"}).json()["status"] == "answered"
    assert post(unit, f"{url}/verify", {"text": ""}).status_code == 403
    assert post(unit, f"{url}/resolve", {"text": "已办"}).json()["on_time"] is True
    leader = api(sup.leader)
    r = post(leader, f"{url}/reopen", {"reason": ""})
    assert r.status_code == 400 and "退回原因" in r.json()["detail"]
    assert post(leader, f"{url}/reopen", {"reason": "未见文件"}).json()["status"] == "reopened"
    r = post(leader, f"{url}/reassign", {"unit_id": sup.unit2.pk, "reason": "职责调整"})
    assert r.json()["unit_name"] == "自然资源所"
    assert post(leader, f"{url}/escalate", {"reason": "县里协调"}).json()["level"] == "county"
    assert post(unit, f"{url}/answer", {"text": "x"}).status_code == 404  # no longer theirs


def test_by_unit_summary(sup, blocker, theirs):
    r = api(sup.member).get(f"{BASE}/by-unit")
    assert {row["unit_name"]: row["open"] for row in r.json()} == {
        "企业服务中心": 1,
        "自然资源所": 1,
    }


def test_blockers_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/blockers" in paths and "/api/v1/blockers/{blocker_id}/resolve" in paths
