"""/api/v1/meetings: list, read and create, agenda items, decisions and 转为督办, scoped like
the pages, errors as JSON with a Chinese detail, described in the OpenAPI schema."""

import datetime

import pytest

from zonedesk.meetings import services
from zonedesk.meetings.models import AgendaItem, Meeting
from zonedesk.meetings.tests.conftest import RED, api_client, fresh, weekly
from zonedesk.supervision.models import Blocker

K = AgendaItem.Kind
API = "/api/v1/meetings"
API_MAX_QUERIES = 12


@pytest.fixture
def meeting(world, agenda_data, leader):
    m = weekly(world, actor=leader, chair=leader)
    services.record_minutes(leader, m, minutes="纪要正文")
    return fresh(m)


def test_leader_creates_a_weekly_meeting_with_its_agenda(world, agenda_data, leader):
    c = api_client(leader)
    r = c.post(
        API,
        {
            "org_id": world.zone.pk,
            "kind": "weekly",
            "title": "第34周调度会",
            "held_at": "2025-08-18T09:00:00+08:00",
            "chair_id": leader.pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["period"] == "2025-07-01" and body["status"] == "draft"
    agenda = c.get(f"{API}/{body['id']}/agenda").json()
    assert {"kind": "red_project", "title": RED} in [
        {"kind": i["kind"], "title": i["title"]} for i in agenda
    ]


def test_time_without_zone_is_read_as_china_time(world, agenda_data, leader):
    r = api_client(leader).post(
        API,
        {
            "org_id": world.zone.pk,
            "kind": "daily",
            "title": "日碰头",
            "held_at": "2025-08-18T08:30",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    assert r.json()["held_at"].startswith("2025-08-18T08:30:00+08:00")


def test_create_errors_name_the_field_in_chinese(world, leader, clock):
    r = api_client(leader).post(
        API,
        {"org_id": world.zone.pk, "kind": "weekly", "title": " ", "held_at": "2025-08-18T09:00"},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert "会议名称" in r.json()["detail"]


def test_create_in_another_zone_is_not_found(world, leader, clock):
    r = api_client(leader).post(
        API,
        {
            "org_id": world.other_zone.pk,
            "kind": "daily",
            "title": "x",
            "held_at": "2025-08-18T09:00",
        },
        content_type="application/json",
    )
    assert r.status_code == 404
    assert not Meeting.objects.exists()


def test_unit_user_cannot_create(world, clock):
    r = api_client(world.unit_user).post(
        API,
        {"org_id": world.zone.pk, "kind": "daily", "title": "x", "held_at": "2025-08-18T09:00"},
        content_type="application/json",
    )
    assert r.status_code == 403
    assert r.json()["detail"]


def test_list_is_scoped_and_filtered(world, meeting, leader):
    weekly(world, kind="daily", title="日碰头")
    assert api_client(leader).get(API).json()["count"] == 2
    assert [m["title"] for m in api_client(leader).get(API, {"kind": "daily"}).json()["items"]] == [
        "日碰头"
    ]
    assert api_client(world.viewer).get(API).json()["count"] == 2
    assert api_client(world.outsider).get(API).json()["count"] == 0
    assert api_client(world.unit_user).get(API).json()["count"] == 0


def test_unit_user_reads_only_their_decisions(world, meeting, leader, other_unit_user):
    services.add_decision(leader, meeting, text="本单位的", unit=world.unit)
    services.add_decision(leader, meeting, text="别人的", unit=other_unit_user.unit)
    c = api_client(world.unit_user)
    m = c.get(f"{API}/{meeting.pk}").json()
    assert m["minutes"] == "" and m["attendees"] == ""
    assert [d["text"] for d in c.get(f"{API}/{meeting.pk}/decisions").json()] == ["本单位的"]
    assert c.get(f"{API}/{meeting.pk}/agenda").status_code == 403
    assert api_client(leader).get(f"{API}/{meeting.pk}").json()["minutes"] == "纪要正文"


def test_other_zone_gets_404(world, meeting):
    c = api_client(world.outsider)
    assert c.get(f"{API}/{meeting.pk}").status_code == 404
    assert c.get(f"{API}/{meeting.pk}/decisions").status_code == 404


def test_agenda_item_add_note_and_remove(world, meeting, leader):
    c = api_client(leader)
    r = c.post(f"{API}/{meeting.pk}/agenda", {"title": "安全生产"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["kind"] == "other"
    red = meeting.agenda.get(kind=K.RED_PROJECT)
    r = c.patch(
        f"{API}/{meeting.pk}/agenda/{red.pk}",
        {"version": red.version, "note": "请说明", "removed": True},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["note"] == "请说明" and r.json()["removed"] is True
    stale = c.patch(
        f"{API}/{meeting.pk}/agenda/{red.pk}",
        {"version": red.version, "note": "旧版本"},
        content_type="application/json",
    )
    assert stale.status_code == 409
    r = c.post(f"{API}/{meeting.pk}/agenda/rebuild")
    assert r.json() == {"added": [], "dropped": []}


def test_decision_to_blocker_through_the_api(world, meeting, leader):
    c = api_client(leader)
    item = meeting.agenda.get(kind=K.RED_PROJECT)
    r = c.post(
        f"{API}/{meeting.pk}/decisions",
        {"text": "协调电力迁改", "agenda_item_id": item.pk},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    decision_id = r.json()["id"]
    r = c.post(
        f"{API}/{meeting.pk}/decisions/{decision_id}/blocker",
        {"unit_id": world.unit.pk, "deadline": "2025-08-29"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["unit_name"] == world.unit.name and body["deadline"] == "2025-08-29"
    blocker = Blocker.objects.get(pk=body["blocker_id"])
    assert blocker.project == item.project
    again = c.post(
        f"{API}/{meeting.pk}/decisions/{decision_id}/blocker",
        {"unit_id": world.unit.pk, "working_days": 3},
        content_type="application/json",
    )
    assert again.status_code == 400 and "已转为督办" in again.json()["detail"]


def test_minutes_and_status(world, meeting, leader):
    c = api_client(leader)
    r = c.put(
        f"{API}/{meeting.pk}/minutes",
        {"minutes": "新纪要", "version": meeting.version},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["minutes"] == "新纪要"
    assert (
        c.post(
            f"{API}/{meeting.pk}/status", {"to": "held"}, content_type="application/json"
        ).json()["status"]
        == "held"
    )
    r = c.post(f"{API}/{meeting.pk}/status", {"to": "draft"}, content_type="application/json")
    assert r.status_code == 422


def test_viewer_cannot_write(world, meeting):
    r = api_client(world.viewer).put(
        f"{API}/{meeting.pk}/minutes",
        {"minutes": "x", "version": meeting.version},
        content_type="application/json",
    )
    assert r.status_code == 403


def test_openapi_describes_the_meeting_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/meetings",
        "/api/v1/meetings/{meeting_id}",
        "/api/v1/meetings/{meeting_id}/agenda",
        "/api/v1/meetings/{meeting_id}/decisions",
        "/api/v1/meetings/{meeting_id}/decisions/{decision_id}/blocker",
    ):
        assert path in paths


def test_api_stays_within_query_bounds(world, meeting, leader, django_assert_max_num_queries):
    for i in range(3):
        services.add_decision(leader, meeting, text=f"决定{i}", unit=world.unit)
        weekly(world, title=f"第{i}次")
    c = api_client(leader)
    for url in (API, f"{API}/{meeting.pk}/agenda", f"{API}/{meeting.pk}/decisions"):
        with django_assert_max_num_queries(API_MAX_QUERIES):
            assert c.get(url).status_code == 200


def test_deadline_as_working_days(world, meeting, leader):
    r = api_client(leader).post(
        f"{API}/{meeting.pk}/decisions",
        {"text": "x", "unit_id": world.unit.pk, "working_days": 5},
        content_type="application/json",
    )
    assert r.json()["deadline"] == str(datetime.date(2025, 8, 22))
