"""/api/v1/appeals and /api/v1/appeal-categories: scoped like the pages, the whole loop,
errors as JSON with a Chinese detail, in the OpenAPI schema."""

from zonedesk.appeals.models import Appeal

from .conftest import api_client, raise_one


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_enterprise_creates_and_follows_the_loop_over_the_api(ap, django_assert_max_num_queries):
    e = api_client(ap.w.enterprise_user)
    cats = e.get("/api/v1/appeal-categories").json()
    assert {c["name"] for c in cats} == set(ap.cats)  # not zone B's
    r = post(
        e,
        "/api/v1/appeals",
        {
            "enterprise_id": ap.w.enterprise.pk,
            "category_id": ap.cats["用地"].pk,
            "description": "厂区道路破损",
            "channel": "phone",  # ignored: an enterprise's own appeal is 企业自助
        },
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["channel"] == "self" and body["unit_id"] == ap.w.unit.pk
    assert [s["action"] for s in body["steps"]] == ["raise"]
    pk = body["id"]
    u = api_client(ap.w.unit_user)
    assert post(u, f"/api/v1/appeals/{pk}/accept").json()["status"] == "accepted"
    r = post(u, f"/api/v1/appeals/{pk}/transfer", {"to_unit_id": ap.land.pk, "reason": ""})
    assert r.status_code == 400 and "转办原因" in r.json()["detail"]
    r = post(u, f"/api/v1/appeals/{pk}/answer", {"text": "已修复"})
    assert r.json()["status"] == "answered"
    r = post(u, f"/api/v1/appeals/{pk}/close")
    assert r.json()["status"] == "closed" and r.json()["on_time"] is True
    r = post(e, f"/api/v1/appeals/{pk}/rate", {"rating": "unsatisfied", "comment": "仍有坑"})
    assert r.json()["status"] == "accepted" and r.json()["reopened"] == 1
    r = post(e, f"/api/v1/appeals/{pk}/rate", {"rating": "satisfied"})
    assert r.status_code == 403 and r.json()["detail"]
    with django_assert_max_num_queries(10):
        assert e.get(f"/api/v1/appeals/{pk}").status_code == 200
    with django_assert_max_num_queries(10):
        assert e.get("/api/v1/appeals?status=accepted").json()["count"] == 1


def test_staff_log_over_the_api_and_outsiders_are_refused(ap):
    m = api_client(ap.w.member)
    data = {
        "enterprise_id": ap.w.enterprise.pk,
        "category_id": ap.cats["融资"].pk,
        "description": "续贷",
        "channel": "meeting",
        "received_on": "2025-11-03",
    }
    r = post(m, "/api/v1/appeals", data)
    assert r.status_code == 201 and r.json()["channel"] == "meeting"
    o = api_client(ap.w.outsider)
    assert post(o, "/api/v1/appeals", data).status_code == 404  # enterprise not in scope
    pk = r.json()["id"]
    assert post(o, f"/api/v1/appeals/{pk}/accept").status_code == 404
    r = post(m, "/api/v1/appeals", data | {"received_on": "2025-12-01"})
    assert r.status_code == 400 and "受理日期" in r.json()["detail"]
    r = post(m, "/api/v1/appeals", {"enterprise_id": ap.w.enterprise.pk})
    assert r.status_code == 422 and "必填" in r.json()["detail"]


def test_unit_cannot_act_on_another_units_appeal_over_the_api(ap):
    appeal = raise_one(ap)
    land = api_client(ap.land_user)
    assert post(land, f"/api/v1/appeals/{appeal.pk}/accept").status_code == 404
    e = api_client(ap.w.enterprise_user)
    assert post(e, f"/api/v1/appeals/{appeal.pk}/accept").status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == Appeal.Status.SUBMITTED


def test_stale_version_is_409(ap):
    appeal = raise_one(ap)
    u = api_client(ap.w.unit_user)
    r = post(u, f"/api/v1/appeals/{appeal.pk}/accept", {"version": appeal.version + 5})
    assert r.status_code == 409


def test_appeals_are_in_the_openapi_schema(ap):
    schema = api_client(ap.w.owner).get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    for path in (
        "/api/v1/appeals",
        "/api/v1/appeals/{appeal_id}",
        "/api/v1/appeals/{appeal_id}/transfer",
        "/api/v1/appeals/{appeal_id}/rate",
        "/api/v1/appeal-categories",
    ):
        assert path in paths, path
