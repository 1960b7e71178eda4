"""A zone leader hands a blocker to a unit of the county above (县自然资源局), in the form and
the API, as docs/supervision.md promises; units of a neighbouring zone or county stay out."""

from django.urls import reverse

from zonedesk.conftest import make_user
from zonedesk.orgs import services as orgs
from zonedesk.orgs.models import Role
from zonedesk.projects.tests.test_project_api import api_client as api
from zonedesk.projects.tests.test_project_api import post
from zonedesk.supervision import selectors
from zonedesk.supervision.models import Blocker

BASE = "/api/v1/blockers"


def units(sup):
    sup.county_land = orgs.create_unit(None, org=sup.county, name="县自然资源局")
    sup.county_land_user = make_user("countyland", sup.county, Role.Name.UNIT, unit=sup.county_land)
    sup.city_unit = orgs.create_unit(None, org=sup.city, name="市住建局")
    sup.park_unit = orgs.create_unit(None, org=sup.park, name="园区管理办")
    sup.other_county_unit = orgs.create_unit(None, org=sup.other_county, name="太谷区自然资源局")
    return sup


def test_units_serving_a_zone_are_its_own_its_parks_and_those_above(sup):
    w = units(sup)
    inactive = orgs.create_unit(None, org=w.county, name="已撤并单位")
    type(inactive).objects.filter(pk=inactive.pk).update(is_active=False)
    names = set(selectors.units_serving(w.zone).values_list("name", flat=True))
    assert {"企业服务中心", "自然资源所", "园区管理办", "县自然资源局", "市住建局"} <= names
    assert not names & {"太谷区自然资源局", "招商局", "已撤并单位"}


def test_zone_leader_hands_a_blocker_to_the_county_bureau_in_the_form(
    sup, client_for, django_assert_max_num_queries
):
    w = units(sup)
    c = client_for(w.leader)
    with django_assert_max_num_queries(14):
        page = c.get(reverse("supervision:create")).content.decode()
    assert f'<option value="{w.county_land.pk}">寿阳县 · 县自然资源局</option>' in page
    assert "太谷区自然资源局" not in page
    r = c.post(
        reverse("supervision:create") + f"?org={w.zone.pk}",
        {"org": w.zone.pk, "title": "二期用地指标未落实", "unit": w.county_land.pk, "days": 5},
    )
    assert r.status_code == 302
    blocker = Blocker.objects.get(title="二期用地指标未落实")
    assert (blocker.org, blocker.unit) == (w.zone, w.county_land)
    # The county bureau's staff see it in their inbox and may answer it.
    inbox = client_for(w.county_land_user).get(reverse("supervision:inbox"))
    assert "二期用地指标未落实" in inbox.content.decode()


def test_the_form_refuses_a_unit_of_the_neighbouring_county(sup, client_for):
    w = units(sup)
    r = client_for(w.leader).post(
        reverse("supervision:create"),
        {"title": "越界交办", "unit": w.other_county_unit.pk, "days": 5},
    )
    assert r.status_code == 200
    assert "责任单位" in r.content.decode()
    assert not Blocker.objects.filter(title="越界交办").exists()


def test_api_hands_a_blocker_to_the_county_bureau_and_refuses_the_neighbour(sup):
    w = units(sup)
    client = api(w.leader)
    new = {"org_id": w.zone.pk, "title": "排水接口未批", "unit_id": w.county_land.pk, "days": 3}
    r = post(client, BASE, new)
    assert r.status_code == 201, r.content
    assert r.json()["unit_id"] == w.county_land.pk
    r = post(client, BASE, {**new, "title": "越界", "unit_id": w.other_county_unit.pk})
    assert r.status_code == 400 and "unit_id" in r.json()["detail"]
    assert not Blocker.objects.filter(title="越界").exists()
    # Reassigning follows the same rule.
    pk = Blocker.objects.get(title="排水接口未批").pk
    r = post(client, f"{BASE}/{pk}/reassign", {"unit_id": w.city_unit.pk, "reason": "属市级事权"})
    assert r.status_code == 200 and r.json()["unit_id"] == w.city_unit.pk
    r = post(client, f"{BASE}/{pk}/reassign", {"unit_id": w.other_county_unit.pk, "reason": "x"})
    assert r.status_code == 400


def test_a_unit_user_still_may_not_raise_and_an_outsider_sees_no_zone(sup, client_for):
    w = units(sup)
    new = {"org_id": w.zone.pk, "title": "x", "unit_id": w.county_land.pk, "days": 3}
    assert post(api(w.county_land_user), BASE, new).status_code == 403
    assert post(api(w.outsider), BASE, new).status_code == 404
    assert client_for(w.county_land_user).get(reverse("supervision:create")).status_code == 403
