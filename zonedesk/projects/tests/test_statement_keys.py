"""The list's and the cockpit's compiled statements are keyed by the scope's own SQL: for every
kind of user — each role at each kind of node, unit staff, enterprise contacts, a superuser,
someone with several roles and someone with none — the statements the cache serves are those
compiled for that user, whoever was served before; users of one scope share them."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Q

from zonedesk.conftest import make_user
from zonedesk.orgs import selectors as orgs_selectors
from zonedesk.orgs import services as orgs
from zonedesk.orgs.models import Role, User
from zonedesk.orgs.selectors import roles_of
from zonedesk.projects import selectors
from zonedesk.projects.tests.fixtures import make_project, projects  # noqa: F401  (fixtures)

FILTERS = [{}, {"stage": "started"}, {"warning": "red"}]
STAFF = sorted(orgs_selectors.STAFF_ROLES)


@pytest.fixture
def everyone(world, projects):
    """Every kind of user, by a label saying what they hold; a project for the other zone's
    unit so that each unit's scope holds something of its own."""
    make_project(world.other_zone, "太谷招商局代办项目", unit=world.other_unit)
    nodes = {
        "province": world.province,
        "city": world.city,
        "county": world.county,
        "zone": world.zone,
        "park": world.park,
        "other_zone": world.other_zone,
    }
    people = {}
    for kind, org in nodes.items():
        for role in STAFF:
            unit = world.other_unit if kind == "other_zone" else world.unit
            extra = {"unit": unit} if role == Role.Name.UNIT else {}
            people[f"{role}@{kind}"] = make_user(f"{role}_{kind}", org, role, **extra)
    people["enterprise@zone"] = world.enterprise_user
    people["enterprise@other_zone"] = make_user(
        "liangtuo", world.other_zone, Role.Name.ENTERPRISE, enterprise=world.other_enterprise
    )
    people["superuser"] = User.objects.create_superuser("root", password="x")
    people["nobody"] = User.objects.create_user("nobody", password="x")
    several = make_user("several", world.other_zone, Role.Name.LEADER)
    orgs.grant_role(None, user=several, org=world.zone, role=Role.Name.UNIT, unit=world.unit)
    orgs.grant_role(
        None,
        user=several,
        org=world.zone,
        role=Role.Name.ENTERPRISE,
        enterprise=world.enterprise,
    )
    people["leader@other_zone+unit@zone+enterprise@zone"] = several
    mixed = make_user("mixed", world.park, Role.Name.OFFICER)
    orgs.grant_role(None, user=mixed, org=world.other_county, role=Role.Name.VIEWER)
    people["officer@park+viewer@other_county"] = mixed
    closed = orgs.create_org(None, parent=world.other_county, kind="zone", name="撤销的开发区")
    make_project(closed, "撤销开发区的项目")
    people["admin@closed_zone"] = make_user("closed", closed, Role.Name.ADMIN)
    orgs.update_org(None, closed, {"is_active": False})
    return {label: user.pk for label, user in people.items()}


def request_user(pk):
    """The user as a request loads it, its roles read first (by the first permission check)."""
    user = User.objects.get(pk=pk)
    roles_of(user)
    return user


def serve(pk, year, month):
    """The statements a request runs for the list (totals and first page, for a few filters)
    and for the cockpit, as (SQL, parameters) the database received."""
    user, executed = request_user(pk), []

    def record(execute, sql, params, many, context):
        executed.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        for extra in FILTERS:
            f = {"year": year, "month": month, **extra}
            totals = selectors.list_totals(user, f)
            selectors.ListRows(user, f, totals["count"])[0:50]
        selectors.cockpit(user, year, month, group_by_zone=True)
    return executed


def key(pk):
    return selectors.scope_key(selectors.projects_for(request_user(pk)))


def visible(pk):
    return set(selectors.projects_for(request_user(pk)).values_list("name", flat=True))


def own_statements(everyone, year, month):
    """Each user's statements compiled for that user alone, nothing cached before."""
    own = {}
    for label, pk in everyone.items():
        selectors.forget_statements()
        own[label] = serve(pk, year, month)
    return own


def test_every_user_is_served_the_statements_compiled_for_them(everyone, projects):
    own = own_statements(everyone, projects.year, projects.month)

    for order in (list(everyone), list(reversed(everyone))):
        selectors.forget_statements()
        served = {label: serve(everyone[label], projects.year, projects.month) for label in order}
        assert served == own


def test_equal_keys_mean_equal_statements(everyone, projects):
    own = own_statements(everyone, projects.year, projects.month)
    by_key = {}
    for label, pk in everyone.items():
        by_key.setdefault(key(pk), []).append(label)

    for labels in by_key.values():
        assert all(own[label] == own[labels[0]] for label in labels), labels
    # Users of one scope do share their statements: the cache still serves its purpose.
    assert key(everyone["admin@zone"]) == key(everyone["leader@zone"])
    assert key(everyone["nobody"]) == key(everyone["admin@closed_zone"])
    assert len(by_key) < len(everyone)


def test_users_whose_scopes_differ_never_share_a_key(everyone):
    scopes = {label: visible(pk) for label, pk in everyone.items()}
    keys = {label: key(pk) for label, pk in everyone.items()}
    # The world tells the kinds of scope apart: these all see different projects.
    assert len({frozenset(scopes[label]) for label in scopes}) >= 6

    for a in everyone:
        for b in everyone:
            if scopes[a] != scopes[b]:
                assert keys[a] != keys[b], (a, b)


def test_a_scoping_input_the_key_was_never_told_of_still_gets_its_own_statement(
    world, projects, monkeypatch
):
    """The defect: the key was kept "in step with scope_q" by hand, so a new input to the
    scoping (here: some users see the paper chain only) left two users of the same roles
    with one key, and the second was served the first one's statement."""
    real = selectors.scope_q

    def narrower(user, **kwargs):
        q = real(user, **kwargs)
        return q & Q(chain="造纸") if user.username == "paperonly" else q

    monkeypatch.setattr(selectors, "scope_q", narrower)
    paper_only = make_user("paperonly", world.zone, Role.Name.ADMIN)
    f = {"year": projects.year, "month": projects.month}

    owner = request_user(world.owner.pk)
    totals = selectors.list_totals(owner, f)
    assert len(selectors.ListRows(owner, f, totals["count"])[0:50]) == totals["count"] == 3
    assert selectors.cockpit(owner, projects.year, projects.month)["total"]["projects"] == 3

    paper_only = request_user(paper_only.pk)
    totals = selectors.list_totals(paper_only, f)
    names = [p.name for p in selectors.ListRows(paper_only, f, totals["count"])[0:50]]
    cockpit = selectors.cockpit(paper_only, projects.year, projects.month)["total"]
    assert (totals["count"], totals["total"]) == (1, Decimal("68000.00"))
    assert names == [projects.a.name]
    assert cockpit["projects"] == 1
