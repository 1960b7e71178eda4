"""The organisation tree through its services: create_org and update_org.

Every refusal must carry a Chinese message on the field at fault and leave nothing behind;
every accepted change leaves exactly one audit event with the old and new values.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.audit.services import Conflict
from zonedesk.orgs import services
from zonedesk.orgs.models import Org, User


def events(action, obj=None):
    qs = AuditEvent.objects.filter(action=action)
    if obj is not None:
        qs = qs.filter(target_id=str(obj.pk))
    return qs


def org_data(org, **changes):
    """Everything the edit page submits for `org`, with `changes` applied."""
    data = {f: getattr(org, f) for f in ("kind", "name", "code", "stat_code", "is_active")}
    data.update(changes)
    return data


def refused(exc_info, field):
    """The messages the refusal put on `field` (and it must have put some)."""
    errors = exc_info.value.message_dict
    assert field in errors, errors
    return " ".join(errors[field])


# --- create_org -----------------------------------------------------------------------


def test_create_org_nests_path_under_parent_and_records_creation(world):
    park = services.create_org(world.owner, parent=world.zone, kind="park", name="新材料产业园")

    stored = Org.objects.get(pk=park.pk)
    assert stored.path == f"{world.zone.path}{park.pk}/"
    assert park.path == stored.path
    assert stored.depth == world.zone.depth + 1
    assert stored.parent == world.zone
    (event,) = events("org.create", park)
    assert event.actor == world.owner
    assert event.org == stored
    assert event.changes["name"] == [None, "新材料产业园"]
    assert event.changes["parent"] == [None, "寿阳经济技术开发区"]
    assert event.changes["kind"] == [None, "park"]


def test_create_org_paths_reach_every_level(world):
    assert world.province.path == f"/{world.province.pk}/"
    assert world.park.path == (
        f"/{world.province.pk}/{world.city.pk}/{world.county.pk}/{world.zone.pk}/{world.park.pk}/"
    )
    assert world.park.depth == 4


def test_zone_may_hang_directly_under_a_city(world):
    zone = services.create_org(
        None, parent=world.city, kind="zone", name="晋中国家农业高新技术产业示范区"
    )
    assert zone.path.startswith(world.city.path)


@pytest.mark.parametrize(
    ("parent", "kind"),
    [
        ("zone", "city"),
        ("zone", "zone"),
        ("county", "county"),
        ("park", "park"),
        ("city", "province"),
    ],
)
def test_create_org_refuses_kind_not_below_parent_with_message_on_kind(world, parent, kind):
    parent = getattr(world, parent)
    before = Org.objects.count()

    with pytest.raises(ValidationError) as e:
        services.create_org(None, parent=parent, kind=kind, name="错位组织")

    message = refused(e, "kind")
    assert "不能设在" in message and parent.name in message
    assert Org.objects.count() == before
    assert not Org.objects.filter(name="错位组织").exists()


def test_city_under_zone_message_names_both_kinds(world):
    with pytest.raises(ValidationError) as e:
        services.create_org(world.owner, parent=world.zone, kind="city", name="错位市")
    assert refused(e, "kind") == "“市”不能设在“寿阳经济技术开发区”（开发区）之下"
    assert not events("org.create").filter(target_repr="错位市").exists()


@pytest.mark.parametrize(
    ("kind", "code", "fragment"),
    [
        ("county", "14072", "应为6位数字"),
        ("county", "1407a5", "应为6位数字"),
        ("county", "990725", "省级代码“99”不存在"),
        ("county", "140700", "不是县级代码"),
        ("city", "140725", "不是地级代码"),
    ],
)
def test_create_org_refuses_invalid_region_code_with_message_on_code(world, kind, code, fragment):
    parent = world.city if kind == "county" else world.province
    with pytest.raises(ValidationError) as e:
        services.create_org(None, parent=parent, kind=kind, name="代码有误", code=code)
    assert fragment in refused(e, "code")
    assert not Org.objects.filter(name="代码有误").exists()


def test_create_org_refuses_invalid_stat_code_with_message_on_stat_code(world):
    with pytest.raises(ValidationError) as e:
        services.create_org(
            None, parent=world.county, kind="zone", name="统计代码有误", stat_code="14072510"
        )
    assert "统计用区划代码" in refused(e, "stat_code")


def test_create_org_normalises_full_width_code(world):
    county = services.create_org(
        None, parent=world.city, kind="county", name="榆次区", code="１４０７０２"
    )
    assert Org.objects.get(pk=county.pk).code == "140702"


def test_create_org_refuses_code_outside_parents_code(world):
    # 140105 is 太原市小店区, not a county of 晋中市 (140700).
    with pytest.raises(ValidationError) as e:
        services.create_org(None, parent=world.city, kind="county", name="小店区", code="140105")
    message = refused(e, "code")
    assert "140105" in message and "晋中市" in message and "140700" in message
    assert not Org.objects.filter(name="小店区").exists()


def test_create_org_accepts_code_inside_parents_code(world):
    county = services.create_org(
        None, parent=world.city, kind="county", name="平遥县", code="140728"
    )
    assert county.code == "140728"


def test_create_org_refuses_duplicate_name_under_same_parent_with_message_on_name(world):
    with pytest.raises(ValidationError) as e:
        services.create_org(world.owner, parent=world.zone, kind="park", name=" 造纸产业园 ")
    assert "造纸产业园" in refused(e, "name")
    assert Org.objects.filter(name="造纸产业园").count() == 1


def test_same_name_is_allowed_under_another_parent(world):
    park = services.create_org(
        world.outsider, parent=world.other_zone, kind="park", name="造纸产业园"
    )
    assert Org.objects.filter(name="造纸产业园").count() == 2
    assert park.parent == world.other_zone


def test_create_org_refuses_blank_name(world):
    with pytest.raises(ValidationError) as e:
        services.create_org(world.owner, parent=world.zone, kind="park", name="   ")
    assert refused(e, "name") == "名称不能为空"


def test_only_a_superuser_creates_a_top_level_org(world):
    with pytest.raises(PermissionDenied):
        services.create_org(world.owner, parent=None, kind="province", name="河北省", code="130000")
    root = User.objects.create_superuser("root", password="x")
    province = services.create_org(root, parent=None, kind="province", name="河北省", code="130000")
    assert province.path == f"/{province.pk}/"


def test_top_level_names_are_unique_too(world):
    with pytest.raises(ValidationError) as e:
        services.create_org(None, parent=None, kind="province", name="山西省", code="140000")
    assert "山西省" in refused(e, "name")


@pytest.mark.parametrize("actor", ["member", "outsider", "viewer", "unit_user"])
def test_only_an_admin_over_the_parent_creates_orgs_beneath_it(world, actor):
    with pytest.raises(PermissionDenied):
        services.create_org(
            getattr(world, actor), parent=world.zone, kind="park", name="未授权园区"
        )
    assert not Org.objects.filter(name="未授权园区").exists()


# --- update_org ----------------------------------------------------------------------


def test_update_org_writes_one_event_with_old_and_new_values(world):
    before = events("org.update").count()

    services.update_org(
        world.owner,
        world.zone,
        org_data(world.zone, name="寿阳经开区", stat_code="140725100000"),
        expected_version=1,
    )

    stored = Org.objects.get(pk=world.zone.pk)
    assert (stored.name, stored.stat_code, stored.version) == ("寿阳经开区", "140725100000", 2)
    assert events("org.update").count() == before + 1
    (event,) = events("org.update", world.zone)
    assert event.actor == world.owner
    assert event.org == stored
    assert event.changes == {
        "name": ["寿阳经济技术开发区", "寿阳经开区"],
        "stat_code": ["", "140725100000"],
    }


def test_update_org_without_differences_writes_nothing(world):
    services.update_org(world.owner, world.zone, org_data(world.zone), expected_version=1)
    assert Org.objects.get(pk=world.zone.pk).version == 1
    assert not events("org.update").exists()


def test_deactivating_an_org_is_audited(world):
    services.update_org(world.owner, world.park, org_data(world.park, is_active=False))
    assert Org.objects.get(pk=world.park.pk).is_active is False
    (event,) = events("org.update", world.park)
    assert event.changes == {"is_active": [True, False]}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "140703"}, "code"),  # 太谷区, not within 寿阳县 140725
        ({"code": "1407"}, "code"),
        ({"name": ""}, "name"),
        ({"kind": "city"}, "kind"),  # a city under a county
        ({"kind": "park"}, "kind"),  # the zone has a park beneath it
    ],
)
def test_refused_org_update_changes_nothing_and_leaves_no_event(world, changes, field):
    with pytest.raises(ValidationError) as e:
        services.update_org(
            world.owner, world.zone, org_data(world.zone, **changes), expected_version=1
        )

    assert refused(e, field)
    stored = Org.objects.get(pk=world.zone.pk)
    assert (stored.kind, stored.name, stored.code, stored.version) == (
        "zone",
        "寿阳经济技术开发区",
        "140725",
        1,
    )
    assert not events("org.update").exists()


def test_update_org_refuses_duplicate_sibling_name(world):
    with pytest.raises(ValidationError) as e:
        services.update_org(None, world.other_county, org_data(world.other_county, name="寿阳县"))
    assert "寿阳县" in refused(e, "name")
    assert Org.objects.get(pk=world.other_county.pk).name == "太谷区"


def test_update_org_keeps_its_own_name(world):
    services.update_org(world.owner, world.zone, org_data(world.zone, stat_code="140725100000"))
    assert Org.objects.get(pk=world.zone.pk).name == "寿阳经济技术开发区"


def test_kind_change_is_refused_while_the_org_has_children(world):
    with pytest.raises(ValidationError) as e:
        services.update_org(world.owner, world.zone, org_data(world.zone, kind="park"))
    assert refused(e, "kind") == "有下级组织时不能修改类型"


def test_kind_change_is_allowed_for_a_leaf(world):
    services.update_org(None, world.other_zone, org_data(world.other_zone, kind="park"))
    assert Org.objects.get(pk=world.other_zone.pk).kind == "park"


def test_update_org_does_not_move_the_node(world):
    services.update_org(
        world.owner, world.park, {**org_data(world.park), "parent": world.other_zone}
    )
    stored = Org.objects.get(pk=world.park.pk)
    assert stored.parent == world.zone
    assert stored.path.startswith(world.zone.path)


def test_update_org_with_only_a_new_name_keeps_its_codes(world):
    """A partial update must not blank the fields it was not given.

    update_org fills `parent` and `kind` from the record, so callers may pass only what
    changes; the region code must survive such a call.
    """
    services.update_org(world.owner, world.zone, {"name": "寿阳经开区"})
    stored = Org.objects.get(pk=world.zone.pk)
    assert stored.name == "寿阳经开区"
    assert stored.code == "140725"
    (event,) = events("org.update", world.zone)
    assert set(event.changes) == {"name"}


@pytest.mark.parametrize("actor", ["member", "outsider", "viewer"])
def test_only_an_admin_over_the_org_may_update_it(world, actor):
    with pytest.raises(PermissionDenied):
        services.update_org(
            getattr(world, actor), world.zone, org_data(world.zone, name="越权改名")
        )
    assert Org.objects.get(pk=world.zone.pk).name == "寿阳经济技术开发区"
    assert not events("org.update").exists()


@pytest.mark.parametrize(
    "stale_object", [True, False], ids=["stale-object", "fresh-object-old-version"]
)
def test_stale_org_update_raises_conflict_with_differences_and_writes_nothing(world, stale_object):
    loaded = Org.objects.get(pk=world.zone.pk)  # what the second editor opened (version 1)
    services.update_org(
        world.owner, world.zone, org_data(world.zone, name="寿阳经开区"), expected_version=1
    )
    target = loaded if stale_object else Org.objects.get(pk=world.zone.pk)

    with pytest.raises(Conflict) as c:
        services.update_org(
            world.owner,
            target,
            org_data(loaded, name="寿阳开发区", stat_code="140725100000"),
            expected_version=1,
        )

    assert c.value.changes == {
        "name": ("寿阳开发区", "寿阳经开区"),
        "stat_code": ("140725100000", ""),
    }
    assert c.value.current.version == 2
    assert c.value.current.name == "寿阳经开区"
    stored = Org.objects.get(pk=world.zone.pk)
    assert (stored.name, stored.stat_code, stored.version) == ("寿阳经开区", "", 2)
    assert events("org.update").count() == 1


def test_current_version_update_after_conflict_succeeds(world):
    services.update_org(
        world.owner, world.zone, org_data(world.zone, name="寿阳经开区"), expected_version=1
    )
    fresh = Org.objects.get(pk=world.zone.pk)
    services.update_org(world.owner, fresh, org_data(fresh, name="寿阳开发区"), expected_version=2)
    stored = Org.objects.get(pk=world.zone.pk)
    assert (stored.name, stored.version) == ("寿阳开发区", 3)


def test_a_code_is_checked_against_the_nearest_ancestor_that_has_one(world):
    """太谷经开区 carries no code of its own: a park beneath it still must lie in 140703."""
    with pytest.raises(ValidationError) as e:
        services.create_org(
            None, parent=world.other_zone, kind="park", name="北京园", code="110101"
        )
    assert "太谷区" in e.value.message_dict["code"][0]
    park = services.create_org(
        None, parent=world.other_zone, kind="park", name="精密园", code="140703"
    )
    assert park.code == "140703"
