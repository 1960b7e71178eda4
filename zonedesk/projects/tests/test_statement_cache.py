"""The list's and the cockpit's statements are compiled once per scope, filter and period and
reused: a reused statement still reads the data as it is now, and a user whose roles change
gets the statement of the new scope, never the old one."""

from decimal import Decimal

from zonedesk.orgs import services as orgs
from zonedesk.orgs.models import Role
from zonedesk.projects import selectors
from zonedesk.projects.tests.fixtures import make_project, projects  # noqa: F401  (fixtures)


def load(user, f):
    user.__dict__.pop("_zd_roles", None)  # each call is a new request
    totals = selectors.list_totals(user, f)
    return totals, [p.name for p in selectors.ListRows(user, f, totals["count"])[0:50]]


def test_a_reused_list_statement_reads_records_added_since(world, projects):
    f = {"year": projects.year, "month": projects.month}
    before, names = load(world.owner, f)
    compiled = selectors.compilations()
    added = make_project(world.zone, "新增的项目", total_investment=Decimal("999999"))

    after, names = load(world.owner, f)

    assert selectors.compilations() == compiled  # the same statements, run again
    assert after["count"] == before["count"] + 1
    assert after["total"] == before["total"] + added.total_investment
    assert names[0] == "新增的项目"


def test_another_filter_or_period_compiles_its_own_statement(world, projects):
    f = {"year": projects.year, "month": projects.month}
    load(world.owner, f)
    compiled = selectors.compilations()

    load(world.owner, {**f, "stage": "signed"})
    load(world.owner, {**f, "month": 1})

    assert selectors.compilations() == compiled + 4  # totals and page, twice


def test_a_user_whose_role_moves_sees_the_new_scope_at_once(world, projects):
    f = {"year": projects.year, "month": projects.month}
    leader = orgs.create_user(
        None, username="mover", name="Mover", password="Zonedesk@2026x", org=world.zone,
        role=Role.Name.LEADER,
    )  # fmt: skip
    _, names = load(leader, f)
    assert projects.a.name in names and projects.other.name not in names
    assert [
        z["name"] for z in selectors.cockpit(leader, projects.year, projects.month, True)["zones"]
    ] == [world.zone.name]

    orgs.grant_role(None, user=leader, org=world.other_zone, role=Role.Name.LEADER)
    orgs.revoke_role(None, leader.roles.get(org=world.zone))

    _, names = load(leader, f)
    assert names == [projects.other.name]
    leader.__dict__.pop("_zd_roles", None)
    zones = selectors.cockpit(leader, projects.year, projects.month, True)["zones"]
    assert [z["name"] for z in zones] == [world.other_zone.name]
