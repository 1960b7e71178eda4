"""/api/v1/leads, /leads/{id}/stage, /visits and /targets: scoped and masked like the pages,
duplicates refused until confirmed, stale versions 409, signing once, all in OpenAPI."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from zonedesk.audit.models import AuditEvent
from zonedesk.leads.models import Lead, TeamTarget, Visit
from zonedesk.projects.models import Project

from .conftest import PAPER_MASKED, TODAY, YEAR, api_client, fresh, make_lead

BASE = "/api/v1/leads"


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def patch(client, url, data):
    return client.patch(url, data, content_type="application/json")


def put(client, url, data):
    return client.put(url, data, content_type="application/json")


def error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def new_lead(world, team, **over):
    return {
        "org_id": world.zone.pk,
        "team_id": team.pk,
        "name": "强伟生活用纸加工项目二期",
        "investor": "强伟纸业",
        "estimated_investment": "176400",
        "source": "by_business",
        "next_step": "洽谈投资协议",
        "next_step_on": "2025-09-01",
        "origin": "山西",
        "contact_name": "王经理",
        "contact_phone": "13835400001",
    } | over


# --- list ---------------------------------------------------------------------------------


def test_the_list_needs_a_token(world, leads):
    assert error(Client().get(BASE), 401)["detail"] == "未提供有效的访问令牌"


def test_the_list_is_scoped_paginated_and_masked(world, leads):
    body = api_client(world.member).get(BASE).json()

    assert body["count"] == 2 == len(body["items"])
    by_name = {x["name"]: x for x in body["items"]}
    assert set(by_name) == {leads.paper.name, leads.digital.name}
    paper = by_name[leads.paper.name]
    assert (paper["contact_name"], paper["contact_phone"]) == PAPER_MASKED
    assert paper["stage"] == "negotiating"
    assert paper["estimated_investment"] == "10000.00"


def test_the_list_filters_by_stage_team_text_and_overdue(world, leads, paper, leader):
    late = make_lead(paper, name="逾期跟进项目", next_step_on=TODAY - datetime.timedelta(days=1))
    api = api_client(leader)

    def names(**params):
        return {x["name"] for x in api.get(BASE, params).json()["items"]}

    assert names(stage="lead") == {late.name}
    assert names(team=paper.pk) == {late.name, leads.paper.name}
    assert names(q="丰越") == {leads.digital.name}
    assert names(overdue="true") == {late.name}


# --- create -------------------------------------------------------------------------------


def test_a_look_alike_investor_is_refused_with_400_naming_the_investor(
    world, clock, paper, promoter
):
    body = error(post(api_client(promoter), BASE, new_lead(world, paper)), 400)

    assert "山西强伟纸业有限公司" in " ".join(body["errors"]["investor"])
    assert body["detail"].startswith("investor")
    assert "疑似重复" in body["detail"]
    assert not Lead.objects.exists()


def test_a_confirmed_look_alike_is_created_with_201(world, clock, paper, promoter):
    response = post(api_client(promoter), BASE, new_lead(world, paper, confirmed=True))

    assert response.status_code == 201, response.content
    body = response.json()
    lead = Lead.objects.get(pk=body["id"])
    assert (lead.investor, lead.team, lead.org, lead.created_on) == (
        "强伟纸业",
        paper,
        world.zone,
        TODAY,
    )
    assert (body["contact_name"], body["contact_phone"]) == ("王经理", "13835400001")
    assert body["stage"] == "lead" and body["version"] == 1
    assert AuditEvent.objects.filter(action="lead.create", target_id=str(lead.pk)).count() == 1


def test_creating_without_a_next_step_is_refused_naming_the_field(world, clock, paper, promoter):
    api = api_client(promoter)

    body = error(post(api, BASE, new_lead(world, paper, next_step="", confirmed=True)), 400)
    assert "next_step_on" in body["errors"]
    missing = new_lead(world, paper, confirmed=True)
    del missing["next_step_on"]
    body = error(post(api, BASE, missing), 422)
    assert "next_step_on" in body["detail"]
    assert not Lead.objects.exists()


def test_a_promoter_cannot_create_for_another_team(world, clock, paper, digital, promoter):
    error(post(api_client(promoter), BASE, new_lead(world, digital, confirmed=True)), 403)

    assert not Lead.objects.exists()


def test_another_zone_cannot_create_in_zone_a(world, clock, paper):
    api = api_client(world.outsider)

    error(post(api, BASE, new_lead(world, paper, confirmed=True)), 404)
    body = new_lead(world, paper, confirmed=True) | {"org_id": world.other_zone.pk}
    error(post(api, BASE, body), 404)  # zone A's team is not theirs either
    assert not Lead.objects.exists()


# --- patch --------------------------------------------------------------------------------


def test_a_patch_with_the_current_version_saves(world, leads, promoter):
    response = patch(
        api_client(promoter), f"{BASE}/{leads.paper.pk}", {"version": 3, "note": "已报价"}
    )

    assert response.status_code == 200, response.content
    assert response.json()["version"] == 4
    assert fresh(leads.paper).note == "已报价"


def test_a_patch_with_a_stale_version_is_409_and_keeps_the_stored_value(world, leads, promoter):
    api = api_client(promoter)
    assert patch(api, f"{BASE}/{leads.paper.pk}", {"version": 3, "note": "先到"}).status_code == 200

    body = error(patch(api, f"{BASE}/{leads.paper.pk}", {"version": 3, "note": "后到"}), 409)

    assert body["errors"]["note"] == {"yours": "后到", "stored": "先到"}
    assert fresh(leads.paper).note == "先到"


def test_another_teams_promoter_cannot_patch(world, leads, promoter2):
    error(
        patch(api_client(promoter2), f"{BASE}/{leads.paper.pk}", {"version": 3, "note": "x"}), 403
    )
    assert fresh(leads.paper).note == ""


# --- stage --------------------------------------------------------------------------------


def test_signing_through_the_api_sets_the_project(world, leads, promoter):
    response = post(
        api_client(promoter),
        f"{BASE}/{leads.paper.pk}/stage",
        {"stage": "signed", "amount": "270000", "on": "2025-04-18"},
    )

    assert response.status_code == 200, response.content
    body = response.json()
    project = Project.objects.get(pk=body["project_id"])
    assert (body["stage"], body["signed_on"]) == ("signed", "2025-04-18")
    assert (project.stage, project.total_investment, project.signed_on) == (
        Project.Stage.SIGNED,
        Decimal("270000"),
        datetime.date(2025, 4, 18),
    )
    assert fresh(leads.paper).project == project


def test_a_second_sign_is_400_and_makes_no_second_project(world, leads, promoter):
    api = api_client(promoter)
    url = f"{BASE}/{leads.paper.pk}/stage"
    assert (
        post(api, url, {"stage": "signed", "amount": "5000", "on": "2025-08-01"}).status_code == 200
    )

    body = error(post(api, url, {"stage": "signed", "amount": "6000", "on": "2025-08-02"}), 400)

    assert "不能重复签约" in body["detail"]
    assert Project.objects.count() == 1
    assert fresh(leads.paper).signed_amount == Decimal("5000")


def test_signing_without_an_amount_is_400_naming_the_amount(world, leads, promoter):
    body = error(
        post(api_client(promoter), f"{BASE}/{leads.paper.pk}/stage", {"stage": "signed"}), 400
    )

    assert "signed_amount" in body["errors"]
    assert not Project.objects.exists()


def test_advancing_and_dropping_through_the_api(world, clock, paper, promoter):
    lead = make_lead(paper, created_on=datetime.date(YEAR, 1, 10))
    api = api_client(promoter)
    url = f"{BASE}/{lead.pk}/stage"

    body = post(api, url, {"stage": "contacting", "on": "2025-02-01"}).json()
    assert (body["stage"], body["contacting_on"]) == ("contacting", "2025-02-01")
    assert "stage" in error(post(api, url, {"stage": "contacting"}), 400)["errors"]
    assert "drop_reason" in error(post(api, url, {"stage": "dropped"}), 400)["errors"]
    body = post(api, url, {"stage": "dropped", "reason": "企业投资计划调整"}).json()
    assert (body["stage"], body["drop_reason"]) == ("dropped", "企业投资计划调整")


def test_an_unknown_stage_is_a_400_naming_the_stage(world, leads, promoter):
    """A typo in `stage` must come back as a Chinese error on the field, not a server error."""
    response = post(api_client(promoter), f"{BASE}/{leads.paper.pk}/stage", {"stage": "won"})

    body = error(response, 400)
    assert "stage" in body["errors"]
    assert fresh(leads.paper).stage == Lead.Stage.NEGOTIATING


def test_another_zone_cannot_change_a_stage(world, leads):
    response = post(
        api_client(world.outsider),
        f"{BASE}/{leads.paper.pk}/stage",
        {"stage": "signed", "amount": "1", "on": "2025-08-01"},
    )

    error(response, 404)
    assert not Project.objects.exists()


# --- visits -------------------------------------------------------------------------------


def visit(world, team, **over):
    return {
        "org_id": world.zone.pk,
        "team_id": team.pk,
        "kind": "inspection",
        "date": "2025-04-16",
        "place": "赴江苏、河南考察招商",
        "participants": "李志强、赵鹏",
        "met": "造纸及包装企业",
        "outcome": "对接项目3个",
    } | over


def test_a_promoter_records_a_visit_of_their_team(world, leads, paper, promoter):
    response = post(
        api_client(promoter), "/api/v1/visits", visit(world, paper, lead_id=leads.paper.pk)
    )

    assert response.status_code == 201, response.content
    v = Visit.objects.get(pk=response.json()["id"])
    assert (v.team, v.lead, v.place, v.date) == (
        paper,
        fresh(leads.paper),
        "赴江苏、河南考察招商",
        datetime.date(2025, 4, 16),
    )


def test_a_visit_for_another_team_or_zone_is_refused(world, leads, paper, digital, promoter):
    api = api_client(promoter)

    error(post(api, "/api/v1/visits", visit(world, digital)), 403)
    error(post(api, "/api/v1/visits", visit(world, paper, lead_id=leads.other.pk)), 404)
    assert (
        "place" in error(post(api, "/api/v1/visits", visit(world, paper, place=" ")), 400)["errors"]
    )
    assert not Visit.objects.exists()


def test_the_visit_list_is_scoped_and_filters_by_team(world, leads, paper, digital, leader):
    from zonedesk.leads import services

    for team in (paper, digital, world.other_team):
        services.add_visit(
            None,
            org=team.org,
            team=team,
            kind="call",
            date=TODAY,
            place=f"{team.name}拜访",
            participants="某人",
        )

    def places(user, **params):
        return {x["place"] for x in api_client(user).get("/api/v1/visits", params).json()["items"]}

    assert places(leader) == {f"{paper.name}拜访", f"{digital.name}拜访"}
    assert places(leader, team=paper.pk) == {f"{paper.name}拜访"}
    assert places(world.outsider) == {f"{world.other_team.name}拜访"}


# --- targets ------------------------------------------------------------------------------


def test_a_leader_sets_and_updates_a_target(world, clock, paper, leader):
    api = api_client(leader)
    target = {"team_id": paper.pk, "year": YEAR, "amount": "420000", "count": 8, "start_rate": "60"}

    assert put(api, "/api/v1/targets", target).status_code == 200
    response = put(api, "/api/v1/targets", target | {"amount": "450000"})

    assert response.status_code == 200, response.content
    stored = TeamTarget.objects.get(team=paper, year=YEAR)
    assert (stored.amount, stored.count, stored.start_rate) == (
        Decimal("450000"),
        8,
        Decimal("60"),
    )
    [listed] = api.get("/api/v1/targets", {"year": YEAR}).json()
    assert (listed["team_id"], Decimal(str(listed["amount"])), listed["count"]) == (
        paper.pk,
        Decimal("450000"),
        8,
    )


def test_targets_default_to_the_current_reporting_year_and_are_scoped(world, clock, paper, leader):
    from zonedesk.leads import services

    services.set_target(None, paper, year=YEAR, amount=Decimal("1"), count=1)
    services.set_target(None, world.other_team, year=YEAR, amount=Decimal("2"), count=2)
    services.set_target(None, paper, year=YEAR - 1, amount=Decimal("3"), count=3)

    listed = api_client(leader).get("/api/v1/targets").json()

    assert [(x["team_id"], x["year"]) for x in listed] == [(paper.pk, YEAR)]


def test_a_promoter_cannot_set_a_target_and_another_zone_cannot_reach_the_team(
    world, clock, paper, promoter
):
    target = {"team_id": paper.pk, "year": YEAR, "amount": "1", "count": 1}

    error(put(api_client(promoter), "/api/v1/targets", target), 403)
    error(put(api_client(world.outsider), "/api/v1/targets", target), 404)
    assert not TeamTarget.objects.exists()


def test_a_target_for_a_task_force_is_refused(world, clock, leader):
    target = {"team_id": world.team.pk, "year": YEAR, "amount": "1", "count": 1}

    error(put(api_client(leader), "/api/v1/targets", target), 404)
    assert not TeamTarget.objects.exists()


# --- OpenAPI ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/api/v1/leads", {"get", "post"}),
        ("/api/v1/leads/{lead_id}", {"get", "patch"}),
        ("/api/v1/leads/{lead_id}/stage", {"post"}),
        ("/api/v1/visits", {"get", "post"}),
        ("/api/v1/targets", {"get", "put"}),
    ],
)
def test_the_lead_endpoints_are_in_the_openapi_schema(db, path, methods):
    schema = Client().get("/api/v1/openapi.json").json()

    assert methods <= set(schema["paths"][path])
    assert all("leads" in schema["paths"][path][m]["tags"] for m in methods)
