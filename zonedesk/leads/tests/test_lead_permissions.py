"""Who may see and edit leads: a promoter edits only the leads of their team, a leader sees
and edits everything in scope, another zone sees nothing; contact details are masked for
roles that need not see them — on the list, the detail page, the API and the export."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from zonedesk.conftest import make_user
from zonedesk.leads import selectors, services
from zonedesk.leads.models import Lead, Visit
from zonedesk.orgs.models import Role
from zonedesk.projects.models import Project

from .conftest import (
    DIGITAL_CONTACT,
    DIGITAL_MASKED,
    OTHER_CONTACT,
    PAPER_CONTACT,
    PAPER_MASKED,
    TODAY,
    api_client,
    export_rows,
    fresh,
    lead_fields,
)

# --- editing ------------------------------------------------------------------------------


def test_a_promoter_works_the_leads_of_their_own_team(world, leads, promoter):
    lead = leads.paper
    services.update_lead(promoter, fresh(lead), {"note": "已报价"})
    services.add_visit(
        promoter,
        org=world.zone,
        team=lead.team,
        lead=lead,
        kind="call",
        date=TODAY,
        place="东莞",
        participants="招商员",
    )
    services.sign(promoter, fresh(lead), amount=Decimal("5000"), on=TODAY)

    stored = fresh(lead)
    assert (stored.note, stored.stage) == ("已报价", Lead.Stage.SIGNED)
    assert services.can_edit(promoter, stored)


def _attempts(world, lead):
    return {
        "update": lambda actor: services.update_lead(actor, fresh(lead), {"note": "改"}),
        "advance": lambda actor: services.advance(actor, fresh(lead), "contacting"),
        "drop": lambda actor: services.drop(actor, fresh(lead), reason="不想做了"),
        "sign": lambda actor: services.sign(actor, fresh(lead), amount=Decimal("1"), on=TODAY),
        "visit": lambda actor: services.add_visit(
            actor,
            org=world.zone,
            team=lead.team,
            lead=lead,
            kind="call",
            date=TODAY,
            place="东莞",
            participants="某人",
        ),
    }


@pytest.mark.parametrize("action", ["update", "advance", "drop", "sign", "visit"])
@pytest.mark.parametrize("who", ["promoter2", "member", "viewer"])
def test_others_cannot_change_a_teams_lead(world, clock, paper, request, new_events, who, action):
    from .conftest import make_lead

    lead = make_lead(paper)
    actor = request.getfixturevalue(who) if who == "promoter2" else getattr(world, who)
    before = len(new_events())

    with pytest.raises(PermissionDenied):
        _attempts(world, lead)[action](actor)

    stored = fresh(lead)
    assert (stored.stage, stored.note, stored.version) == (Lead.Stage.LEAD, "", 1)
    assert not Project.objects.exists() and not Visit.objects.exists()
    assert len(new_events()) == before


def test_a_promoter_cannot_register_a_lead_for_another_team(world, clock, paper, digital, promoter):
    with pytest.raises(PermissionDenied):
        services.create_lead(promoter, org=world.zone, **lead_fields(digital))

    assert not Lead.objects.exists()


def test_a_promoter_cannot_hand_a_lead_over_to_another_team(world, leads, promoter, digital):
    with pytest.raises(PermissionDenied):
        services.update_lead(promoter, fresh(leads.paper), {"team": digital})

    assert fresh(leads.paper).team.name == "造纸产业链招商战队"


def test_officers_and_viewers_cannot_register_leads(world, clock, paper):
    for actor in (world.member, world.viewer):
        with pytest.raises(PermissionDenied):
            services.create_lead(actor, org=world.zone, **lead_fields(paper))
    assert not Lead.objects.exists()


@pytest.mark.parametrize("who", ["leader", "owner"])
def test_leaders_and_admins_edit_every_lead_of_the_zone(world, leads, request, who):
    actor = request.getfixturevalue("leader") if who == "leader" else world.owner

    for lead in (leads.paper, leads.digital):
        services.update_lead(actor, fresh(lead), {"judgement": "重点推进"})
        assert fresh(lead).judgement == "重点推进"
    with pytest.raises(PermissionDenied):
        services.update_lead(actor, fresh(leads.other), {"judgement": "重点推进"})
    assert fresh(leads.other).judgement == ""


def test_a_city_leader_edits_leads_of_every_zone_beneath(world, leads):
    city_leader = make_user("shiling", world.city, Role.Name.LEADER)

    assert {x.pk for x in selectors.leads_for(city_leader)} == {
        leads.paper.pk,
        leads.digital.pk,
        leads.other.pk,
    }
    services.update_lead(city_leader, fresh(leads.other), {"judgement": "市级重点"})
    assert fresh(leads.other).judgement == "市级重点"


def test_the_outsider_cannot_change_zone_a_leads(world, leads):
    with pytest.raises(PermissionDenied):
        services.update_lead(world.outsider, fresh(leads.paper), {"note": "x"})
    with pytest.raises(PermissionDenied):
        services.sign(world.outsider, fresh(leads.paper), amount=Decimal("1"), on=TODAY)
    assert fresh(leads.paper).stage == Lead.Stage.NEGOTIATING


# --- reading ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("promoter", {"paper", "digital"}),
        ("leader", {"paper", "digital"}),
        ("member", {"paper", "digital"}),
        ("owner", {"paper", "digital"}),
        ("viewer", {"paper", "digital", "other"}),
        ("outsider", {"other"}),
        ("unit_user", set()),
        ("enterprise_user", set()),
    ],
)
def test_leads_are_scoped_to_the_readers_zone(world, leads, request, who, visible):
    user = request.getfixturevalue(who) if who in ("promoter", "leader") else getattr(world, who)
    by_pk = {getattr(leads, k).pk: k for k in ("paper", "digital", "other")}

    assert {by_pk[x.pk] for x in selectors.leads_for(user)} == visible


def test_another_zone_gets_404_on_every_page_of_a_lead(world, leads, client_for):
    client = client_for(world.outsider)
    pk, team = leads.paper.pk, leads.paper.team_id

    for url in (f"/leads/{pk}/", f"/leads/{pk}/edit/", f"/leads/teams/{team}/"):
        assert client.get(url).status_code == 404, url
    for action in ("advance", "sign", "drop"):
        data = {"stage": "contacting", "on": TODAY, "next_step": "x", "next_step_on": TODAY}
        data |= {"amount": "100", "reason": "x"}
        assert client.post(f"/leads/{pk}/{action}/", data).status_code == 404, action
    assert fresh(leads.paper).stage == Lead.Stage.NEGOTIATING


def test_another_zone_sees_none_of_zone_a_in_lists_api_and_export(world, leads, client_for):
    page = client_for(world.outsider).get("/leads/").content.decode()
    assert leads.other.name in page
    assert leads.paper.name not in page and leads.digital.name not in page

    api = api_client(world.outsider)
    names = [x["name"] for x in api.get("/api/v1/leads").json()["items"]]
    assert names == [leads.other.name]
    assert api.get(f"/api/v1/leads/{leads.paper.pk}").status_code == 404

    rows = export_rows(client_for(world.outsider))
    assert [r["项目名称"] for r in rows] == [leads.other.name]


# --- masking contacts ---------------------------------------------------------------------

# who → (paper lead's contact as shown, digital lead's contact as shown)
CONTACTS = {
    "promoter": (PAPER_CONTACT, DIGITAL_MASKED),
    "promoter2": (PAPER_MASKED, DIGITAL_CONTACT),
    "leader": (PAPER_CONTACT, DIGITAL_CONTACT),
    "owner": (PAPER_CONTACT, DIGITAL_CONTACT),
    "member": (PAPER_MASKED, DIGITAL_MASKED),
    "viewer": (PAPER_MASKED, DIGITAL_MASKED),
}
HIDDEN = {
    "promoter": [DIGITAL_CONTACT],
    "promoter2": [PAPER_CONTACT],
    "leader": [],
    "owner": [],
    "member": [PAPER_CONTACT, DIGITAL_CONTACT],
    "viewer": [PAPER_CONTACT, DIGITAL_CONTACT],
}


def _user(world, request, who):
    if who in ("promoter", "promoter2", "leader"):
        return request.getfixturevalue(who)
    return getattr(world, who)


def _assert_shown(text, shown, hidden):
    for name, phone in shown:
        assert name in text and phone in text, (name, phone)
    for name, phone in hidden:
        assert phone not in text, phone
        assert name not in text, name


@pytest.mark.parametrize("who", list(CONTACTS))
def test_contacts_on_the_list_page_are_shown_only_to_those_who_work_the_lead(
    world, leads, client_for, request, who
):
    user = _user(world, request, who)
    text = client_for(user).get("/leads/").content.decode()

    _assert_shown(text, CONTACTS[who], HIDDEN[who])


@pytest.mark.parametrize("who", list(CONTACTS))
def test_contacts_on_the_detail_page_are_shown_only_to_those_who_work_the_lead(
    world, leads, client_for, request, who
):
    client = client_for(_user(world, request, who))
    paper_shown, digital_shown = CONTACTS[who]

    for lead, shown, full in (
        (leads.paper, paper_shown, PAPER_CONTACT),
        (leads.digital, digital_shown, DIGITAL_CONTACT),
    ):
        text = client.get(f"/leads/{lead.pk}/").content.decode()
        _assert_shown(text, [shown], [] if shown == full else [full])


@pytest.mark.parametrize("who", list(CONTACTS))
def test_contacts_in_the_api_are_shown_only_to_those_who_work_the_lead(world, leads, request, who):
    api = api_client(_user(world, request, who))
    paper_shown, digital_shown = CONTACTS[who]

    listed = {x["id"]: x for x in api.get("/api/v1/leads").json()["items"]}
    for lead, shown in ((leads.paper, paper_shown), (leads.digital, digital_shown)):
        assert (listed[lead.pk]["contact_name"], listed[lead.pk]["contact_phone"]) == shown
        one = api.get(f"/api/v1/leads/{lead.pk}").json()
        assert (one["contact_name"], one["contact_phone"]) == shown


@pytest.mark.parametrize("who", list(CONTACTS))
def test_contacts_in_the_negotiating_export_are_shown_only_to_those_who_work_the_lead(
    world, leads, client_for, request, who
):
    rows = {r["项目名称"]: r for r in export_rows(client_for(_user(world, request, who)))}
    paper_shown, digital_shown = CONTACTS[who]

    for lead, shown in ((leads.paper, paper_shown), (leads.digital, digital_shown)):
        row = rows[lead.name]
        assert (row["企业联系人"], row["联系方式"]) == shown


def test_the_masking_never_reaches_the_database(world, leads, client_for):
    client_for(world.member).get("/leads/")
    export_rows(client_for(world.viewer))

    stored = fresh(leads.paper)
    assert (stored.contact_name, stored.contact_phone) == PAPER_CONTACT


def test_a_viewer_above_two_zones_sees_other_zone_contacts_masked_too(world, leads, client_for):
    text = client_for(world.viewer).get("/leads/").content.decode()

    assert OTHER_CONTACT[1] not in text
    assert "139****0099" in text


# --- roles that have no business with leads -----------------------------------------------


@pytest.mark.parametrize("who", ["unit_user", "enterprise_user"])
@pytest.mark.parametrize(
    "url",
    [
        "/leads/",
        "/leads/export.xlsx",
        "/leads/new/",
        "/leads/leaderboard/",
        "/leads/funnel/",
        "/leads/visits/new/",
        "/leads/teams/{team}/",
        "/leads/{pk}/",
    ],
)
def test_unit_and_enterprise_users_are_refused_the_lead_pages(world, leads, client_for, who, url):
    url = url.format(pk=leads.paper.pk, team=leads.paper.team_id)

    assert client_for(getattr(world, who)).get(url).status_code == 403, url


def test_unit_and_enterprise_users_are_refused_the_editing_pages_too(world, leads, client_for):
    """Refused as a role (403), like on the reading pages, not told the lead is missing (404)."""
    pk = leads.paper.pk
    data = {
        "stage": "contacting",
        "on": "2025-08-01",
        "next_step": "x",
        "next_step_on": "2025-08-20",
    }
    data |= {"amount": "1", "reason": "x"}
    statuses = {}
    for who in ("unit_user", "enterprise_user"):
        client = client_for(getattr(world, who))
        statuses[(who, "edit")] = client.get(f"/leads/{pk}/edit/").status_code
        for action in ("advance", "sign", "drop"):
            statuses[(who, action)] = client.post(f"/leads/{pk}/{action}/", data).status_code

    assert statuses == dict.fromkeys(statuses, 403)
    assert fresh(leads.paper).stage == Lead.Stage.NEGOTIATING


def test_unit_and_enterprise_users_get_no_leads_from_the_api(world, leads):
    for user in (world.unit_user, world.enterprise_user):
        body = api_client(user).get("/api/v1/leads").json()
        assert body["items"] == [] and body["count"] == 0
        assert api_client(user).get(f"/api/v1/leads/{leads.paper.pk}").status_code == 404


def test_a_promoter_reads_but_cannot_edit_another_teams_lead_page(
    world, leads, client_for, promoter
):
    client = client_for(promoter)

    page = client.get(f"/leads/{leads.digital.pk}/")
    assert page.status_code == 200
    assert f"/leads/{leads.digital.pk}/edit/" not in page.content.decode()
    assert client.get(f"/leads/{leads.digital.pk}/edit/").status_code == 403
    response = client.post(
        f"/leads/{leads.digital.pk}/sign/", {"amount": "100", "on": datetime.date(2025, 8, 1)}
    )
    assert response.status_code == 403
    assert fresh(leads.digital).stage == Lead.Stage.NEGOTIATING


@pytest.mark.parametrize("role", [Role.Name.ADMIN, Role.Name.LEADER])
def test_a_leader_role_in_one_zone_does_not_unmask_another_zones_contacts(world, leads, role):
    """A city viewer who is also admin or leader of zone B reads zone A's leads as a viewer:
    the contacts of zone A stay masked; those of zone B are theirs to see."""
    from zonedesk.orgs.services import grant_role

    both = make_user("shuangzhi", world.city, Role.Name.VIEWER)
    grant_role(None, user=both, org=world.other_zone, role=role)

    listed = {x["id"]: x for x in api_client(both).get("/api/v1/leads").json()["items"]}

    assert (listed[leads.other.pk]["contact_name"], listed[leads.other.pk]["contact_phone"]) == (
        OTHER_CONTACT
    )
    for lead, masked in ((leads.paper, PAPER_MASKED), (leads.digital, DIGITAL_MASKED)):
        assert (listed[lead.pk]["contact_name"], listed[lead.pk]["contact_phone"]) == masked
