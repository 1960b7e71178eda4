"""The filter form's chain names and zone / park / unit / leader choices cost the list, the
board and the cockpit no query once remembered (common.cache), and a write through the
services shows on the very next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zonedesk.conftest import make_user
from zonedesk.orgs import services as orgs
from zonedesk.orgs.models import Role
from zonedesk.projects import services
from zonedesk.projects.tests.fixtures import add_projects, make_project, projects  # noqa: F401

# The first request of a scope reads the chains, zones, parks, units and leaders on top of
# the page's own statements; later ones do not.
REMEMBERED = 5


def queries(client, name):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(f"projects:{name}")).status_code == 200
    return [q["sql"] for q in ctx.captured_queries]


def choices(client, field):
    form = client.get(reverse("projects:list")).context["form"]
    return [label for key, label in form.fields[field].choices if key != ""]


@pytest.mark.parametrize("name", ["list", "board", "cockpit"])
@pytest.mark.parametrize("who", ["owner", "viewer"])
def test_choices_are_read_once_per_scope_and_the_count_stays_fixed(
    world, projects, client_for, django_assert_max_num_queries, name, who
):
    client = client_for(getattr(world, who))
    first = queries(client, name)
    second = queries(client, name)
    assert len(second) == len(first) - REMEMBERED
    assert not [q for q in second if 'DISTINCT "projects_project"."chain"' in q]
    add_projects(world.zone, 20, projects.year, projects.month, chain="新能源")
    # The new chain is read once more (a project was written), then remembered again.
    assert len(queries(client, name)) == len(first) - REMEMBERED + 1
    with django_assert_max_num_queries(len(second)):
        client.get(reverse(f"projects:{name}"))


def test_a_user_of_another_scope_gets_its_own_choices(world, projects, client_for):
    assert choices(client_for(world.owner), "org") == [world.zone.name]
    assert choices(client_for(world.owner), "chain") == ["造纸"]
    assert choices(client_for(world.outsider), "org") == [world.other_zone.name]
    assert choices(client_for(world.outsider), "chain") == []
    assert choices(client_for(world.viewer), "org") == [world.zone.name, world.other_zone.name]


def test_a_new_unit_shows_on_the_next_request(world, projects, client_for):
    client = client_for(world.owner)
    assert choices(client, "unit") == [world.unit.name]
    orgs.create_unit(world.owner, org=world.zone, name="发展改革局")
    assert choices(client, "unit") == ["企业服务中心", "发展改革局"]


def test_a_renamed_unit_and_a_new_park_show_on_the_next_request(world, projects, client_for):
    client = client_for(world.owner)
    assert choices(client, "park") == [world.park.name]
    orgs.update_unit(world.owner, world.unit, {"name": "营商环境服务中心"})
    orgs.create_org(world.owner, parent=world.zone, kind="park", name="新材料产业园")
    assert choices(client, "unit") == ["营商环境服务中心"]
    assert choices(client, "park") == ["造纸产业园", "新材料产业园"]


def test_a_new_chain_value_shows_on_the_next_request(world, projects, client_for):
    client = client_for(world.owner)
    assert choices(client, "chain") == ["造纸"]
    p = make_project(world.zone, "光伏组件项目", chain="新能源")
    assert choices(client, "chain") == ["新能源", "造纸"]
    services.update_project(None, p, {"chain": "数字经济"})
    assert choices(client, "chain") == ["数字经济", "造纸"]


def test_a_new_leader_shows_on_the_next_request(world, projects, client_for):
    client = client_for(world.owner)
    assert choices(client, "leader") == []
    leader = make_user("zhang", world.zone, Role.Name.LEADER)
    assert choices(client, "leader") == [str(leader)]
    orgs.update_user(world.owner, leader, {"name": "张副主任"})
    assert choices(client, "leader") == ["张副主任"]


def test_filtering_by_a_remembered_choice_filters_by_that_record(world, projects, client_for):
    client = client_for(world.owner)
    other = orgs.create_unit(world.owner, org=world.zone, name="发展改革局")
    url = reverse("projects:list")
    response = client.get(url, {"unit": world.unit.pk})
    assert [p.name for p in response.context["projects"]] == [projects.a.name]
    assert list(client.get(url, {"unit": other.pk}).context["projects"]) == []


def test_a_choice_outside_the_scope_is_refused_and_the_list_falls_back(world, projects, client_for):
    response = client_for(world.owner).get(reverse("projects:list"), {"org": world.other_zone.pk})
    assert "org" in response.context["form"].errors
    assert response.context["f"] == {"year": projects.year, "month": projects.month}
