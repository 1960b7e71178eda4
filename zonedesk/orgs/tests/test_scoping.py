"""Scoping: which organisations, units, teams, roles and users each kind of user sees.

Expectations are written out by name for every function in orgs/selectors.py, so a change
in what someone can see shows up here as a named difference.
"""

import pytest

from zonedesk.conftest import make_user
from zonedesk.orgs import selectors, services
from zonedesk.orgs.models import Org, Role, Unit, User

ZONE_A = {"寿阳经济技术开发区", "造纸产业园"}
ALL_ORGS = {
    "山西省",
    "晋中市",
    "寿阳县",
    "寿阳经济技术开发区",
    "造纸产业园",
    "太谷区",
    "太谷经济技术开发区",
}
ZONE_A_USERS = {"owner", "member", "unituser", "qiangwei"}
ALL_USERS = ZONE_A_USERS | {"outsider", "viewer"}


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="x")


def who(world, superuser, name):
    """A freshly loaded user, as each request loads one (no cached roles)."""
    user = superuser if name == "superuser" else getattr(world, name)
    return User.objects.get(pk=user.pk)


USERS = ["owner", "member", "unit_user", "outsider", "viewer", "enterprise_user", "superuser"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("owner", ZONE_A),
        ("member", ZONE_A),
        ("unit_user", ZONE_A),
        ("outsider", {"太谷经济技术开发区"}),
        ("viewer", ALL_ORGS - {"山西省"}),
        ("enterprise_user", set()),
        ("superuser", ALL_ORGS),
    ],
)
def test_orgs_for(world, superuser, name, expected):
    assert {o.name for o in selectors.orgs_for(who(world, superuser, name))} == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("owner", {"企业服务中心"}),
        ("member", {"企业服务中心"}),
        ("unit_user", {"企业服务中心"}),
        ("outsider", {"招商局"}),
        ("viewer", {"企业服务中心", "招商局"}),
        ("enterprise_user", set()),
        ("superuser", {"企业服务中心", "招商局"}),
    ],
)
def test_units_for(world, superuser, name, expected):
    assert {u.name for u in selectors.units_for(who(world, superuser, name))} == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("owner", {"强伟项目专班"}),
        ("member", {"强伟项目专班"}),
        ("unit_user", {"强伟项目专班"}),
        ("outsider", {"精密制造招商战队"}),
        ("viewer", {"强伟项目专班", "精密制造招商战队"}),
        ("enterprise_user", set()),
        ("superuser", {"强伟项目专班", "精密制造招商战队"}),
    ],
)
def test_teams_for(world, superuser, name, expected):
    assert {t.name for t in selectors.teams_for(who(world, superuser, name))} == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "owner",
            {
                ("owner", "admin"),
                ("member", "officer"),
                ("unituser", "unit"),
                ("qiangwei", "enterprise"),
            },
        ),
        (
            "member",
            {
                ("owner", "admin"),
                ("member", "officer"),
                ("unituser", "unit"),
                ("qiangwei", "enterprise"),
            },
        ),
        ("outsider", {("outsider", "admin")}),
        (
            "viewer",
            {
                ("owner", "admin"),
                ("member", "officer"),
                ("unituser", "unit"),
                ("qiangwei", "enterprise"),
                ("outsider", "admin"),
                ("viewer", "viewer"),
            },
        ),
        ("enterprise_user", set()),
        (
            "superuser",
            {
                ("owner", "admin"),
                ("member", "officer"),
                ("unituser", "unit"),
                ("qiangwei", "enterprise"),
                ("outsider", "admin"),
                ("viewer", "viewer"),
            },
        ),
    ],
)
def test_roles_for(world, superuser, name, expected):
    assert {
        (r.user.username, r.role) for r in selectors.roles_for(who(world, superuser, name))
    } == expected


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("owner", ZONE_A_USERS),
        ("member", ZONE_A_USERS),
        ("outsider", {"outsider"}),
        ("viewer", ALL_USERS),
        ("enterprise_user", set()),
        ("superuser", ALL_USERS | {"root"}),
    ],
)
def test_users_for(world, superuser, name, expected):
    assert {u.username for u in selectors.users_for(who(world, superuser, name))} == expected


def test_users_for_hides_superusers_from_everyone_else(world, superuser):
    services.grant_role(None, user=superuser, org=world.zone, role=Role.Name.LEADER)
    assert "root" not in {u.username for u in selectors.users_for(who(world, superuser, "owner"))}
    assert "root" in {u.username for u in selectors.users_for(who(world, superuser, "superuser"))}


def test_users_for_lists_a_user_with_several_roles_once(world, superuser):
    services.grant_role(None, user=world.member, org=world.park, role=Role.Name.LEADER)
    names = [u.username for u in selectors.users_for(who(world, superuser, "owner"))]
    assert names.count("member") == 1


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("owner", [("寿阳经济技术开发区", 0), ("造纸产业园", 1)]),
        ("outsider", [("太谷经济技术开发区", 0)]),
        (
            "viewer",
            [
                ("晋中市", 0),
                ("寿阳县", 1),
                ("寿阳经济技术开发区", 2),
                ("造纸产业园", 3),
                ("太谷区", 1),
                ("太谷经济技术开发区", 2),
            ],
        ),
        ("enterprise_user", []),
        (
            "superuser",
            [
                ("山西省", 0),
                ("晋中市", 1),
                ("寿阳县", 2),
                ("寿阳经济技术开发区", 3),
                ("造纸产业园", 4),
                ("太谷区", 2),
                ("太谷经济技术开发区", 3),
            ],
        ),
    ],
)
def test_org_tree_in_tree_order_with_indent_from_top_of_scope(world, superuser, name, expected):
    assert [(n.name, n.indent) for n in selectors.org_tree(who(world, superuser, name))] == expected


@pytest.mark.parametrize(
    ("name", "org", "roles", "expected"),
    [
        ("owner", "zone", {Role.Name.ADMIN}, True),
        ("owner", "park", {Role.Name.ADMIN}, True),
        ("owner", "county", {Role.Name.ADMIN}, False),
        ("owner", "other_zone", {Role.Name.ADMIN}, False),
        ("owner", "zone", {Role.Name.OFFICER}, False),
        ("member", "park", {Role.Name.OFFICER, Role.Name.LEADER}, True),
        ("viewer", "other_zone", {Role.Name.VIEWER}, True),
        ("viewer", "province", {Role.Name.VIEWER}, False),
        ("enterprise_user", "zone", {Role.Name.ENTERPRISE}, True),
        ("enterprise_user", "zone", selectors.STAFF_ROLES, False),
        ("superuser", "other_zone", {Role.Name.ADMIN}, True),
    ],
)
def test_has_role_over(world, superuser, name, org, roles, expected):
    assert (
        selectors.has_role_over(who(world, superuser, name), getattr(world, org), roles) is expected
    )


@pytest.mark.parametrize(
    ("name", "manageable"),
    [
        ("owner", {"zone", "park"}),
        ("member", set()),
        ("unit_user", set()),
        ("outsider", {"other_zone"}),
        ("viewer", set()),
        ("enterprise_user", set()),
        ("superuser", {"province", "city", "county", "zone", "park", "other_county", "other_zone"}),
    ],
)
def test_can_admin(world, superuser, name, manageable):
    user = who(world, superuser, name)
    nodes = ["province", "city", "county", "zone", "park", "other_county", "other_zone"]
    assert {n for n in nodes if selectors.can_admin(user, getattr(world, n))} == manageable


def test_a_role_on_an_inactive_org_gives_nothing(world):
    services.update_org(
        None,
        world.zone,
        {
            "kind": "zone",
            "name": world.zone.name,
            "code": "140725",
            "stat_code": "",
            "is_active": False,
        },
    )
    owner = User.objects.get(pk=world.owner.pk)

    assert selectors.roles_of(owner) == []
    assert selectors.role_names(owner) == set()
    assert not selectors.orgs_for(owner).exists()
    assert not selectors.units_for(owner).exists()
    assert not selectors.teams_for(owner).exists()
    assert not selectors.users_for(owner).exists()
    assert selectors.org_tree(owner) == []
    assert not selectors.can_admin(owner, world.zone)
    assert not selectors.can_admin(owner, world.park)


def test_an_inactive_org_stays_visible_to_roles_above_it(world):
    services.update_org(
        None,
        world.zone,
        {
            "kind": "zone",
            "name": world.zone.name,
            "code": "140725",
            "stat_code": "",
            "is_active": False,
        },
    )
    viewer = User.objects.get(pk=world.viewer.pk)
    assert "寿阳经济技术开发区" in {o.name for o in selectors.orgs_for(viewer)}


def test_roles_of_is_loaded_once_per_user_object(world, django_assert_num_queries):
    owner = User.objects.get(pk=world.owner.pk)
    with django_assert_num_queries(1):
        selectors.orgs_for(owner)
        selectors.units_for(owner)
        selectors.can_admin(owner, world.zone)
        selectors.role_names(owner)


def test_scope_does_not_leak_into_a_node_whose_id_extends_its_own(world):
    """A role at node 4 ("/…/4/") must not reach node 40 ("/…/40/"): paths end with "/"."""
    lookalike_pk = int(f"{world.zone.pk}0")
    assert not Org.objects.filter(pk=lookalike_pk).exists()
    lookalike = Org.objects.create(
        pk=lookalike_pk,
        parent=world.county,
        kind="zone",
        name="仿号开发区",
        path=f"{world.county.path}{lookalike_pk}/",
    )
    Unit.objects.create(org=lookalike, name="仿号部门")
    owner = User.objects.get(pk=world.owner.pk)

    assert "仿号开发区" not in {o.name for o in selectors.orgs_for(owner)}
    assert "仿号部门" not in {u.name for u in selectors.units_for(owner)}
    assert not selectors.can_admin(owner, lookalike)


def test_nested_roles_fold_into_the_higher_node(world):
    services.grant_role(None, user=world.owner, org=world.park, role=Role.Name.LEADER)
    services.grant_role(None, user=world.owner, org=world.other_zone, role=Role.Name.VIEWER)
    owner = User.objects.get(pk=world.owner.pk)
    assert selectors.scope_paths(owner) == [world.zone.path, world.other_zone.path]
    assert {o.name for o in selectors.orgs_for(owner)} == ZONE_A | {"太谷经济技术开发区"}


def test_enterprise_role_alone_reaches_no_staff_scope(world):
    contact = make_user("contact2", world.zone, Role.Name.ENTERPRISE, enterprise=world.enterprise)
    contact = User.objects.get(pk=contact.pk)
    assert selectors.scope_paths(contact) == []
    assert selectors.role_names(contact) == {"enterprise"}
