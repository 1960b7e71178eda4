"""The 变更记录 of one record and the admins' 审计日志 search: who sees what, filters, paging,
and a number of queries that does not grow with the number of events."""

import datetime
import re

import pytest
from django.utils import timezone

from zonedesk.audit.models import AuditEvent
from zonedesk.audit.services import record
from zonedesk.enterprises.services import update_enterprise
from zonedesk.orgs import services
from zonedesk.orgs.models import Role


def history_url(label, pk):
    return f"/audit/history/{label}/{pk}/"


def listed(response):
    """The events on the page, as the view handed them to the template."""
    return list(response.context["events"])


def add_events(actor, target, org, n, action="bulk.note", when=None):
    for i in range(n):
        event = record(actor, action, target, org=org, changes={"note": [None, f"第{i}条"]})
        if when is not None:
            AuditEvent.objects.filter(pk=event.pk).update(created_at=when)


# --- history of one record ---------------------------------------------------------------


def test_history_shows_the_old_and_new_values_of_an_enterprise(world, client_for):
    e = world.enterprise
    update_enterprise(world.owner, e, {"name": e.name, "uscc": e.uscc, "legal_rep": "李四"})

    response = client_for(world.owner).get(history_url("enterprises.enterprise", e.pk))

    assert response.status_code == 200
    assert [ev.action for ev in listed(response)] == ["enterprise.update", "enterprise.create"]
    html = response.content.decode()
    assert re.search(r"法定代表人.{0,20}<del>[^<]*</del> → <ins>李四</ins>", html)
    assert "Owner" in html


@pytest.mark.parametrize("who", ["owner", "member"])
def test_staff_of_the_zone_see_the_history_of_its_org(world, client_for, who):
    response = client_for(getattr(world, who)).get(history_url("orgs.org", world.zone.pk))

    assert response.status_code == 200
    assert [ev.action for ev in listed(response)] == ["org.create"]
    assert "寿阳经济技术开发区" in response.content.decode()


@pytest.mark.parametrize(
    "label, attr",
    [
        ("orgs.org", "zone"),
        ("orgs.unit", "unit"),
        ("orgs.team", "team"),
        ("orgs.user", "member"),
        ("enterprises.enterprise", "enterprise"),
    ],
)
def test_the_admin_of_another_zone_gets_404_for_every_kind_of_record(
    world, client_for, label, attr
):
    url = history_url(label, getattr(world, attr).pk)
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.owner).get(url).status_code == 200


def test_an_enterprise_contact_sees_the_history_of_its_own_enterprise_only(world, client_for):
    client = client_for(world.enterprise_user)
    assert client.get(history_url("enterprises.enterprise", world.enterprise.pk)).status_code == 200
    assert (
        client.get(history_url("enterprises.enterprise", world.other_enterprise.pk)).status_code
        == 404
    )
    assert client.get(history_url("orgs.org", world.zone.pk)).status_code == 404


@pytest.mark.parametrize("label", ["orgs.role", "audit.auditevent", "nothing", "orgs"])
def test_an_unknown_label_is_404(world, client_for, label):
    assert client_for(world.owner).get(history_url(label, world.zone.pk)).status_code == 404


def test_history_needs_a_login(world, client):
    response = client.get(history_url("orgs.org", world.zone.pk))
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_history_query_count_does_not_grow_with_events(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.owner)
    url = history_url("enterprises.enterprise", world.enterprise.pk)
    client.get(url)  # warm the caches (content types, session)

    with django_assert_max_num_queries(7) as few:
        client.get(url)
    add_events(world.member, world.enterprise, world.zone, 30)
    with django_assert_max_num_queries(7) as many:
        response = client.get(url)

    assert len(listed(response)) == 31
    assert len(many) == len(few)


# --- admin search ----------------------------------------------------------------------


def test_the_admin_sees_the_events_of_the_zone_and_none_of_another_zone(world, client_for):
    response = client_for(world.owner).get("/audit/")

    assert response.status_code == 200
    events = listed(response)
    assert events
    assert all(ev.org.path.startswith(world.zone.path) for ev in events)
    html = response.content.decode()
    assert "山西强伟纸业有限公司" in html
    assert "山西亮拓精密铸造有限公司" not in html and "招商局" not in html


def test_the_admin_of_the_other_zone_sees_only_that_zone(world, client_for):
    events = listed(client_for(world.outsider).get("/audit/"))
    assert events
    assert all(ev.org.path.startswith(world.other_zone.path) for ev in events)
    assert "山西亮拓精密铸造有限公司" in {ev.target_repr for ev in events}


@pytest.mark.parametrize("who", ["member", "unit_user", "enterprise_user", "viewer"])
def test_who_is_not_an_admin_is_refused_the_search(world, client_for, who):
    assert client_for(getattr(world, who)).get("/audit/").status_code == 403


def test_filter_by_object_or_actor_name(world, client_for):
    e = world.enterprise
    update_enterprise(world.member, e, {"name": e.name, "uscc": e.uscc, "legal_rep": "李四"})
    client = client_for(world.owner)

    by_object = listed(client.get("/audit/", {"q": "强伟纸业"}))
    assert {ev.target_repr for ev in by_object} == {"山西强伟纸业有限公司"}
    assert len(by_object) == 2  # create and update

    by_actor = listed(client.get("/audit/", {"q": "member"}))
    assert [ev.action for ev in by_actor if ev.actor_name == "Member"] == ["enterprise.update"]
    assert all("member" in (ev.actor_name + ev.target_repr).lower() for ev in by_actor)


def test_filter_by_action_prefix(world, client_for):
    events = listed(client_for(world.owner).get("/audit/", {"action": "user."}))
    assert events
    assert {ev.action for ev in events} == {"user.create", "user.grant_role"}


def test_filter_by_date_range(world, client_for):
    tz = timezone.get_current_timezone()
    add_events(
        world.owner,
        world.zone,
        world.zone,
        2,
        action="old.jan",
        when=datetime.datetime(2024, 1, 15, 10, tzinfo=tz),
    )
    add_events(
        world.owner,
        world.zone,
        world.zone,
        1,
        action="old.mar",
        when=datetime.datetime(2024, 3, 1, 0, 30, tzinfo=tz),
    )  # 2024-03-01 in Beijing
    client = client_for(world.owner)

    january = listed(client.get("/audit/", {"since": "2024-01-01", "until": "2024-01-31"}))
    assert [ev.action for ev in january] == ["old.jan", "old.jan"]

    march_on = listed(client.get("/audit/", {"since": "2024-03-01", "until": "2024-12-31"}))
    assert [ev.action for ev in march_on] == ["old.mar"]

    until_feb = listed(client.get("/audit/", {"until": "2024-02-29"}))
    assert {ev.action for ev in until_feb} == {"old.jan"}


def test_an_invalid_date_is_reported_on_the_form_not_a_crash(world, client_for):
    response = client_for(world.owner).get("/audit/", {"since": "2024-13-45"})
    assert response.status_code == 200
    assert response.context["form"].errors["since"]


def test_search_pages_fifty_events_at_a_time(world, client_for):
    add_events(world.owner, world.zone, world.zone, 60, action="bulk.page")
    client = client_for(world.owner)

    first = client.get("/audit/", {"action": "bulk.page"})
    second = client.get("/audit/", {"action": "bulk.page", "page": 2})

    assert len(listed(first)) == 50 and len(listed(second)) == 10
    assert not {ev.pk for ev in listed(first)} & {ev.pk for ev in listed(second)}
    assert "第 1 / 2 页，共 60 条" in first.content.decode()
    assert "action=bulk.page" in first.content.decode() and "page=2" in first.content.decode()


def test_search_query_count_does_not_grow_with_events(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.owner)
    client.get("/audit/")  # warm the caches

    with django_assert_max_num_queries(6) as few:
        before = listed(client.get("/audit/", {"q": "强伟"}))
    add_events(world.member, world.enterprise, world.zone, 30)
    with django_assert_max_num_queries(6) as many:
        after = listed(client.get("/audit/", {"q": "强伟"}))

    assert len(after) == len(before) + 30
    assert len(many) == len(few)


def test_the_history_of_a_person_working_in_two_zones_shows_each_reader_only_their_zones_events(
    world, client_for
):
    """An event belongs to the scope of its org (AuditEvent.org): the admin of zone B, who sees
    the member once they hold a role in B, must not read zone A's events about them."""
    services.grant_role(
        world.outsider, user=world.member, org=world.other_zone, role=Role.Name.OFFICER
    )
    url = history_url("orgs.user", world.member.pk)

    seen_by_outsider = listed(client_for(world.outsider).get(url))
    seen_by_owner = listed(client_for(world.owner).get(url))

    assert [ev.org for ev in seen_by_outsider] == [world.other_zone]
    assert all(ev.org.path.startswith(world.zone.path) for ev in seen_by_owner)
    assert {ev.action for ev in seen_by_owner} == {"user.create", "user.grant_role"}
