"""The enterprise page: facts, contacts, designations, funds, projects and the leads that
became its projects on one page, each section scoped to the reader, in a bounded number of
queries; the enterprise's own user sees its own page and nothing else."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from zonedesk.enterprises import services
from zonedesk.leads import services as leads
from zonedesk.orgs.models import Team
from zonedesk.orgs.services import create_team
from zonedesk.projects.services import update_project


def page(client, e):
    return client.get(f"/enterprises/{e.pk}/")


def signed_lead(world, enterprise, name="强伟生活用纸加工项目二期"):
    team = Team.objects.filter(org=world.zone, kind=Team.Kind.INVESTMENT).first() or create_team(
        None, org=world.zone, kind=Team.Kind.INVESTMENT, name="造纸产业链招商战队"
    )
    today = datetime.date.today()
    lead = leads.create_lead(
        None,
        org=world.zone,
        confirmed=True,
        team=team,
        name=name,
        investor="山西强伟纸业有限公司",
        estimated_investment=Decimal("176400"),
        source="by_business",
        next_step="洽谈",
        next_step_on=today,
        created_on=today,
    )
    leads.sign(None, lead, amount=Decimal("176400"), on=today)
    lead.refresh_from_db()
    update_project(None, lead.project, {"enterprise": enterprise})
    return lead


def test_the_page_shows_every_section(world, client_for, registry):
    lead = signed_lead(world, world.enterprise)
    response = page(client_for(world.owner), world.enterprise)
    html = response.content.decode()
    for text in (
        "造纸产业园",  # park
        "王建军",
        "13835400101",
        "高新技术企业",
        "90天内到期",
        "重点链主企业发展资金",
        "800.50",  # the fund to its project counts on its page
        registry.project.name,
        lead.name,
        "变更记录",
    ):
        assert text in html, text
    assert response.context["fund_total"] == Decimal("2800.50")


def test_the_page_leaves_a_slot_for_the_appeals_section(world, client_for):
    response = page(client_for(world.owner), world.enterprise)
    assert response.context["appeals_template"] == "appeals/_enterprise_appeals.html"
    template = Path(__file__).parents[1] / "templates" / "enterprises" / "detail.html"
    assert "{% block appeals %}" in template.read_text(encoding="utf-8")


@pytest.mark.parametrize("who", ["owner", "member", "viewer", "unit_user", "enterprise_user"])
def test_zone_a_readers_open_the_page_zone_b_does_not(world, client_for, registry, who):
    assert page(client_for(getattr(world, who)), world.enterprise).status_code == 200
    assert page(client_for(world.outsider), world.enterprise).status_code == 404


def test_an_enterprise_user_sees_only_its_own_page(world, client_for, registry):
    client = client_for(world.enterprise_user)
    assert page(client, world.other_enterprise).status_code == 404
    response = page(client, world.enterprise)
    html = response.content.decode()
    assert "13835400101" in html  # its own contacts, unmasked
    assert registry.project.name in html  # its own projects
    assert "2,800.50" in html  # its own funds
    assert 'id="leads"' not in html  # investment leads are staff work
    assert "/enterprises/designations/" not in html and "编辑" not in html


def test_an_enterprise_user_gets_no_list_export_or_edit(world, client_for, registry):
    client = client_for(world.enterprise_user)
    assert client.get("/enterprises/export.xlsx").status_code == 403
    assert client.get(f"/enterprises/{world.enterprise.pk}/edit/").status_code == 403
    assert client.get("/enterprises/new/").status_code == 403


def test_a_lead_of_another_enterprise_is_not_shown(world, client_for, registry):
    theirs = signed_lead(world, None, name="别家的线索")
    html = page(client_for(world.owner), world.enterprise).content.decode()
    assert theirs.name not in html


def test_the_page_query_count_does_not_grow_with_its_sections(
    world, client_for, registry, django_assert_max_num_queries
):
    client = client_for(world.owner)
    page(client, world.enterprise)
    with django_assert_max_num_queries(11) as few:
        page(client, world.enterprise)
    for i in range(5):
        services.add_contact(None, world.enterprise, name=f"联系人{i}", phone=f"1380000000{i}")
        services.add_designation(
            None,
            world.enterprise,
            kind="other",
            other_name=f"称号{i}",
            level="city",
            granted_on=datetime.date(2024, 1, 1),
        )
        services.create_fund(
            None, enterprise=world.enterprise, year=2020 + i, source="county", amount=Decimal(i + 1)
        )
        signed_lead(world, world.enterprise, name=f"线索{i}")
    with django_assert_max_num_queries(11) as many:
        response = page(client, world.enterprise)
    assert len(response.context["leads"]) == 5 and len(response.context["contacts"]) == 6
    assert len(many) == len(few)


@pytest.mark.parametrize("who, shown", [("owner", True), ("viewer", True), ("unit_user", False)])
def test_the_leads_section_is_for_those_who_read_leads(world, client_for, who, shown):
    html = page(client_for(getattr(world, who)), world.enterprise).content.decode()
    assert ('id="leads"' in html) == shown
