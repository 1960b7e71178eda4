"""Designations (企业称号): what a valid one needs, who may record them, the 90-day renewal
window with its boundaries, the list page and its export, scoped like the register."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.enterprises import selectors
from zonedesk.enterprises.models import Designation
from zonedesk.enterprises.services import (
    add_designation,
    remove_designation,
    update_designation,
)

from .conftest import read_xlsx

DAY = datetime.timedelta(days=1)


def designation(enterprise, expires_on, granted_on=None, kind="high_tech", **extra):
    return add_designation(
        None,
        enterprise,
        kind=kind,
        level="province",
        granted_on=granted_on or expires_on - 1000 * DAY
        if expires_on
        else datetime.date(2020, 1, 1),
        expires_on=expires_on,
        **extra,
    )


# --- the 90-day window -------------------------------------------------------------------


def test_the_window_runs_from_today_to_today_plus_90_both_included(world):
    today = datetime.date(2026, 11, 22)
    ends = {
        "yesterday": today - DAY,
        "today": today,
        "day 90": today + 90 * DAY,
        "day 91": today + 91 * DAY,
    }
    made = {
        k: designation(world.enterprise, v, granted_on=datetime.date(2020, 1, 1))
        for k, v in ends.items()
    }
    designation(world.enterprise, None)  # no expiry: never up for renewal
    found = set(selectors.expiring(Designation.objects.all(), today))
    assert found == {made["today"], made["day 90"]}
    assert ends["day 90"] == datetime.date(2027, 2, 20)


def test_the_expiring_page_lists_only_the_window_and_only_in_scope(world, client_for, registry):
    designation(world.enterprise, registry.today + 91 * DAY, kind="tech_sme")
    response = client_for(world.owner).get("/enterprises/designations/", {"expiring": "on"})
    assert response.status_code == 200
    assert list(response.context["designations"]) == [registry.designation]
    assert "90 天内到期的称号" in response.content.decode()


def test_the_expiring_export_holds_the_same_rows(world, client_for, registry):
    response = client_for(world.owner).get(
        "/enterprises/designations/export.xlsx", {"expiring": "on"}
    )
    assert response.status_code == 200
    sheet = read_xlsx(response.content)
    assert [(r[1], r[3], r[7]) for r in sheet[2:]] == [
        ("山西强伟纸业有限公司", "高新技术企业", f"{registry.designation.expires_on:%Y-%m-%d}")
    ]
    assert sheet[0][0] == "90天内到期企业称号"


# --- what a designation needs ------------------------------------------------------------


def test_other_needs_its_own_name_and_other_kinds_drop_it(world):
    with pytest.raises(ValidationError) as refused:
        designation(world.enterprise, None, kind="other")
    assert "其他" in refused.value.message_dict["other_name"][0]
    d = designation(world.enterprise, None, kind="other", other_name="国家级绿色工厂")
    assert d.title == "国家级绿色工厂"
    d2 = designation(world.enterprise, None, kind="champion", other_name="忽略")
    assert (d2.other_name, d2.title) == ("", "单项冠军")


@pytest.mark.parametrize(
    "change, field",
    [
        ({"expires_on": datetime.date(2020, 1, 1)}, "expires_on"),
        ({"granted_on": datetime.date(2099, 1, 1), "expires_on": None}, "granted_on"),
        ({"level": "galactic"}, "level"),
        ({"kind": "nobel"}, "kind"),
    ],
)
def test_bad_dates_levels_and_kinds_are_refused_naming_the_field(world, change, field):
    data = {
        "kind": "high_tech",
        "level": "national",
        "granted_on": datetime.date(2023, 1, 1),
        "expires_on": datetime.date(2026, 1, 1),
    } | change
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        add_designation(None, world.enterprise, **data)
    assert list(refused.value.message_dict) == [field]
    assert AuditEvent.objects.count() == before


def test_add_update_remove_each_leave_one_event(world):
    d = designation(world.enterprise, datetime.date(2027, 1, 1))
    update_designation(world.owner, d, {"certificate_no": "GR2024"}, expected_version=1)
    remove_designation(world.owner, d)
    events = list(
        AuditEvent.objects.filter(action__startswith="designation.").order_by("created_at", "id")
    )
    assert [e.action for e in events] == [
        "designation.create",
        "designation.update",
        "designation.remove",
    ]
    assert events[1].changes["certificate_no"] == ["", "GR2024"]
    assert events[2].changes["kind"] == ["high_tech", None]
    assert not Designation.objects.filter(pk=d.pk).exists()


@pytest.mark.parametrize("who", ["unit_user", "enterprise_user", "outsider", "viewer"])
def test_only_staff_editing_the_zone_may_record_designations(world, who):
    with pytest.raises(PermissionDenied):
        add_designation(
            getattr(world, who),
            world.enterprise,
            kind="high_tech",
            level="national",
            granted_on=datetime.date(2024, 1, 1),
        )


# --- pages: who sees what ----------------------------------------------------------------


@pytest.mark.parametrize(
    "who, seen",
    [
        ("owner", {"强伟"}),
        ("member", {"强伟"}),
        ("outsider", {"亮拓"}),
        ("viewer", {"强伟", "亮拓"}),
    ],
)
def test_the_list_shows_designations_in_scope(world, client_for, registry, who, seen):
    response = client_for(getattr(world, who)).get("/enterprises/designations/")
    assert response.status_code == 200
    names = {d.enterprise.name[2:4] for d in response.context["designations"]}
    assert names == seen


@pytest.mark.parametrize(
    "url", ["/enterprises/designations/", "/enterprises/designations/export.xlsx"]
)
def test_an_enterprise_user_has_no_designation_list_or_export(world, client_for, registry, url):
    assert client_for(world.enterprise_user).get(url).status_code == 403


def test_the_export_of_another_zone_holds_none_of_this_zones_rows(world, client_for, registry):
    response = client_for(world.outsider).get("/enterprises/designations/export.xlsx")
    text = " ".join(str(c) for r in read_xlsx(response.content) for c in r)
    assert "亮拓" in text and "强伟" not in text


def test_the_edit_page_is_for_editors_of_the_zone_only(world, client_for, registry):
    url = f"/enterprises/designations/{registry.designation.pk}/"
    assert client_for(world.owner).get(url).status_code == 200
    assert client_for(world.enterprise_user).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404


def test_adding_a_designation_through_the_page(world, client_for):
    response = client_for(world.member).post(
        f"/enterprises/{world.enterprise.pk}/designations/new/",
        {
            "kind": "little_giant",
            "level": "national",
            "granted_on": "2024-07-01",
            "expires_on": "2027-06-30",
            "certificate_no": "XJR-2024-0088",
        },
    )
    assert response.status_code == 302
    d = Designation.objects.get(enterprise=world.enterprise)
    assert d.get_kind_display() == "专精特新“小巨人”"


def test_removing_a_designation_through_the_page(world, client_for, registry):
    response = client_for(world.owner).post(
        f"/enterprises/designations/{registry.designation.pk}/remove/"
    )
    assert response.status_code == 302
    assert not Designation.objects.filter(pk=registry.designation.pk).exists()


def test_the_list_query_count_does_not_grow(
    world, client_for, registry, django_assert_max_num_queries
):
    client = client_for(world.viewer)
    client.get("/enterprises/designations/")
    with django_assert_max_num_queries(8) as few:
        client.get("/enterprises/designations/")
    for i in range(10):
        designation(world.other_enterprise, registry.today + i * DAY, kind="tech_sme")
    with django_assert_max_num_queries(8) as many:
        response = client.get("/enterprises/designations/")
    assert len(response.context["designations"]) == 12
    assert len(many) == len(few)


def test_the_list_puts_the_soonest_expiry_first_and_no_expiry_last(world, client_for):
    forever = designation(world.enterprise, None, kind="chain_leader")
    granted = datetime.date(2024, 1, 1)
    later = designation(world.enterprise, datetime.date(2030, 1, 1), granted, kind="champion")
    sooner = designation(world.enterprise, datetime.date(2027, 1, 1), granted, kind="tech_sme")
    response = client_for(world.owner).get("/enterprises/designations/")
    assert list(response.context["designations"]) == [sooner, later, forever]
