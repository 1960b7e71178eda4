"""GET /api/v1/messages and POST /api/v1/messages/{id}/read: own messages only."""

from django.test import Client

from zonedesk.notify import services
from zonedesk.notify.models import Message
from zonedesk.orgs.services import create_token


def api(user):
    _token, secret = create_token(user, "测试")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def send(user, key, title="问题逾期"):
    services.notify([user], event="blocker.overdue", key=key, title=title, url="/x/")
    return Message.objects.get(user=user, key=key)


def test_list_returns_own_messages_unread_first(world):
    a = send(world.member, "a", "甲")
    send(world.member, "b", "乙")
    services.mark_read(world.member, [a.pk])
    send(world.owner, "c", "别人的")
    body = api(world.member).get("/api/v1/messages").json()
    assert body["count"] == 2
    assert [m["title"] for m in body["items"]] == ["乙", "甲"]
    assert body["items"][0]["read_at"] is None and body["items"][1]["read_at"] is not None
    unread = api(world.member).get("/api/v1/messages?unread=true").json()
    assert [m["title"] for m in unread["items"]] == ["乙"]


def test_mark_read(world):
    m = send(world.member, "a")
    response = api(world.member).post(f"/api/v1/messages/{m.pk}/read")
    assert response.status_code == 200 and response.json()["read_at"] is not None


def test_cannot_read_other_users_message(world):
    m = send(world.owner, "a")
    response = api(world.member).post(f"/api/v1/messages/{m.pk}/read")
    assert response.status_code == 404 and "detail" in response.json()
    m.refresh_from_db()
    assert m.read_at is None


def test_other_zone_admin_sees_none_of_ours(world):
    send(world.member, "a")
    assert api(world.outsider).get("/api/v1/messages").json()["count"] == 0


def test_needs_token():
    assert Client().get("/api/v1/messages").status_code == 401


def test_list_queries_are_bounded(world, django_assert_max_num_queries):
    for i in range(60):
        send(world.member, f"k{i}")
    client = api(world.member)
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/messages")
    assert response.status_code == 200 and len(response.json()["items"]) > 0
