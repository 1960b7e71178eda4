"""An appeal is never lost: a failed transfer leaves it where it was; a unit deactivated,
merged or (attempted) deleted, a user removed — it stays in sight of the zone's leaders with
its full history."""

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from zonedesk.appeals import services
from zonedesk.appeals.models import Appeal
from zonedesk.orgs import services as orgs

from .conftest import api_client, closed_one, raise_one


def test_failed_transfer_leaves_the_appeal_with_its_unit(ap):
    appeal = raise_one(ap)
    orgs.update_unit(None, ap.land, {"is_active": False})
    with pytest.raises(ValidationError):
        services.transfer(ap.w.unit_user, appeal, to_unit=ap.land, reason="转自然资源所")
    appeal.refresh_from_db()
    assert appeal.unit == ap.w.unit and appeal.status == Appeal.Status.SUBMITTED
    assert list(appeal.steps.values_list("action", flat=True)) == ["raise"]


def test_deactivated_unit_keeps_its_appeals_in_the_leaders_sight(ap, client_for):
    appeal = raise_one(ap)
    orgs.update_unit(None, ap.w.unit, {"is_active": False})
    c = client_for(ap.leader)
    page = c.get("/appeals/?needs_unit=on").content.decode()
    assert f"/appeals/{appeal.pk}/" in page
    detail = c.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "已停用，请转办" in detail
    services.transfer(ap.leader, appeal, to_unit=ap.land, reason="原单位撤销")
    appeal.refresh_from_db()
    assert appeal.unit == ap.land
    # New appeals in a category whose unit is inactive wait for a leader instead.
    other = raise_one(ap, category="融资")
    assert other.unit is None
    assert f"/appeals/{other.pk}/" in c.get("/appeals/?needs_unit=on").content.decode()


def test_unit_holding_appeals_cannot_be_deleted(ap):
    appeal = raise_one(ap)
    with pytest.raises(ProtectedError):
        ap.w.unit.delete()
    appeal.refresh_from_db()
    assert appeal.unit == ap.w.unit


def test_merged_unit_hands_over_its_open_appeals_with_history(ap):
    open_one = raise_one(ap)
    done = closed_one(ap)
    moved = services.reroute_unit(
        ap.leader, ap.w.unit, ap.land, reason="企业服务中心并入自然资源所"
    )
    assert moved == 1
    open_one.refresh_from_db()
    done.refresh_from_db()
    assert open_one.unit == ap.land and done.unit == ap.w.unit
    step = open_one.steps.get(action="transfer")
    assert step.from_unit_name == "企业服务中心" and "并入" in step.text
    # Closed appeals stay where they were answered, as the report counts them.
    assert done.steps.filter(action="close", to_unit_name="企业服务中心").exists()


def test_history_keeps_the_names_of_a_removed_unit(ap):
    appeal = raise_one(ap)
    services.transfer(ap.w.unit_user, appeal, to_unit=ap.land, reason="转自然资源所")
    # 企业服务中心 no longer holds the appeal; its category goes elsewhere; it can be deleted.
    for c in ap.cats.values():
        services.update_category(None, c, {"unit": ap.land})
    ap.w.unit_user.roles.all().delete()
    ap.w.unit.delete()
    step = appeal.steps.get(action="transfer")
    assert step.from_unit is None and step.from_unit_name == "企业服务中心"


def test_removed_user_leaves_the_appeal_and_its_history_intact(ap, client_for):
    appeal = raise_one(ap)
    services.accept(ap.w.unit_user, appeal)
    name = str(ap.w.unit_user)
    enterprise_user = ap.w.enterprise_user
    ap.w.unit_user.delete()
    enterprise_user.delete()
    appeal.refresh_from_db()
    assert appeal.raised_by is None and appeal.raised_by_name == "Qiangwei"
    steps = list(appeal.steps.all())
    assert [s.actor_name for s in steps] == ["Qiangwei", name]
    html = client_for(ap.leader).get(f"/appeals/{appeal.pk}/").content.decode()
    assert name in html and "Qiangwei" in html
    assert (
        api_client(ap.leader).get(f"/api/v1/appeals/{appeal.pk}").json()["steps"][1]["actor_name"]
        == name
    )


def test_deactivated_enterprise_user_appeal_stays_with_staff(ap, client_for):
    appeal = raise_one(ap)
    orgs.update_user(None, ap.w.enterprise_user, {"is_active": False})
    assert f"/appeals/{appeal.pk}/" in client_for(ap.leader).get("/appeals/").content.decode()
