"""Issue 12, reproduced: `POST /api/v1/projects` with `"total_investment": "1e400"` answered
500 yet stored `inf` on SQLite, and from then on the project list (page and API), the board,
the cockpit and the export answered 500 for the zone and every office above it. The same
with 1e30 on funds, project PATCH, leads and targets, and with a 16-digit total.

Now every figure is refused where it enters — 422 naming the field in the API, a field error
in the forms — and nothing is written, so every page of the ledger still answers 200."""

import pytest
from django.urls import reverse

from zonedesk.audit.models import AuditEvent
from zonedesk.enterprises.models import SupportFund
from zonedesk.leads.models import Lead, TeamTarget
from zonedesk.leads.tests.conftest import YEAR, leader, paper, promoter  # noqa: F401 (fixtures)
from zonedesk.projects.models import Project, YearPlan
from zonedesk.projects.tests.fixtures import projects  # noqa: F401 (fixtures)
from zonedesk.projects.tests.test_project_api import api_client, new_project

ABSURD = ["1e400", "1e30", "1234567890123456", 1e30, "-1", "0.001", "Infinity", "NaN"]


def send(client, method, url, data):
    return getattr(client, method)(url, data, content_type="application/json")


def assert_refused(response, field):
    assert response.status_code == 422, response.content
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["detail"].startswith(f"字段“{field}”：")
    assert "金额" in body["detail"]


def assert_the_ledger_still_answers(world, client_for):
    for user in (world.owner, world.viewer):  # the zone, and the city above it
        client = client_for(user)
        for name in ("list", "board", "cockpit", "export"):
            assert client.get(reverse(f"projects:{name}")).status_code == 200, name
        assert api_client(user).get("/api/v1/projects").status_code == 200


@pytest.mark.parametrize("amount", ABSURD)
def test_an_absurd_total_investment_is_422_naming_the_field_and_nothing_is_written(
    world, projects, client_for, amount
):
    client = api_client(world.owner)
    before = (Project.objects.count(), AuditEvent.objects.count())
    response = send(client, "post", "/api/v1/projects", new_project(world, total_investment=amount))
    assert_refused(response, "total_investment")
    assert (Project.objects.count(), AuditEvent.objects.count()) == before
    assert_the_ledger_still_answers(world, client_for)


def test_the_largest_amount_the_column_holds_is_accepted_and_the_ledger_shows_it(
    world, projects, client_for
):
    response = send(
        api_client(world.owner),
        "post",
        "/api/v1/projects",
        new_project(world, total_investment="999999999999.99"),
    )
    assert response.status_code == 201, response.content
    assert response.json()["total_investment"] == "999999999999.99"
    response = send(
        api_client(world.owner),
        "post",
        "/api/v1/projects",
        new_project(world, name="再多一分", total_investment="1000000000000"),
    )
    assert_refused(response, "total_investment")
    assert_the_ledger_still_answers(world, client_for)


@pytest.mark.parametrize("amount", ["1e30", "1234567890123456"])
def test_patching_a_project_with_an_absurd_total_changes_nothing(world, projects, amount):
    a = projects.a
    response = send(
        api_client(world.owner),
        "patch",
        f"/api/v1/projects/{a.pk}",
        {"version": a.version, "total_investment": amount},
    )
    assert_refused(response, "total_investment")
    a.refresh_from_db()
    assert a.total_investment == projects.a.total_investment and a.version == projects.a.version


def test_filing_progress_with_an_absurd_amount_is_refused(world, projects):
    period = f"{projects.year}-{projects.month - 1:02d}"
    response = send(
        api_client(world.member),
        "post",
        f"/api/v1/projects/{projects.a.pk}/progress",
        {"period": period, "invested": "1e30", "progress": "主体施工"},
    )
    assert_refused(response, "invested")


def test_an_absurd_fund_is_refused(world, projects):
    before = SupportFund.objects.count()
    fund = {"enterprise_id": world.enterprise.pk, "year": 2026, "source": "city", "amount": "1e30"}
    assert_refused(send(api_client(world.owner), "post", "/api/v1/funds", fund), "amount")
    bad_year = send(
        api_client(world.owner), "post", "/api/v1/funds", fund | {"amount": "5", "year": 99999}
    )
    assert bad_year.status_code == 422 and list(bad_year.json()["errors"]) == ["year"]
    assert "年度应在2000到2100之间" in bad_year.json()["detail"]
    assert SupportFund.objects.count() == before


def test_an_absurd_lead_is_refused(world, paper, promoter):
    lead = {
        "org_id": world.zone.pk,
        "team_id": paper.pk,
        "name": "强伟生活用纸加工项目二期",
        "investor": "强伟纸业",
        "estimated_investment": "1e30",
        "source": "by_business",
        "next_step": "洽谈投资协议",
        "next_step_on": "2025-09-01",
    }
    response = send(api_client(promoter), "post", "/api/v1/leads", lead)
    assert_refused(response, "estimated_investment")
    assert not Lead.objects.exists()


@pytest.mark.parametrize(
    "over, field",
    [
        ({"amount": "1e30"}, "amount"),
        ({"count": 10**30}, "count"),
        ({"count": -1}, "count"),
        ({"start_rate": "100.01"}, "start_rate"),
        ({"year": 10**30}, "year"),
    ],
)
def test_an_absurd_target_is_refused(world, paper, leader, over, field):
    target = {"team_id": paper.pk, "year": YEAR, "amount": "420000", "count": 8} | over
    response = send(api_client(leader), "put", "/api/v1/targets", target)
    assert response.status_code == 422, response.content
    assert list(response.json()["errors"]) == [field]
    assert not TeamTarget.objects.exists()


# --- the forms refuse the same ------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("1e400", "金额应在0到999,999,999,999.99万元之间，而不是“1E+400”"),
        ("1e30", "金额应在0到999,999,999,999.99万元之间，而不是“1E+30”"),
        ("1234567890123456", "金额应在0到999,999,999,999.99万元之间，而不是“1234567890123456”"),
        ("-1", "金额不能为负数：“-1”"),
        ("0.001", "金额最多保留2位小数：“0.001”"),
    ],
)
def test_the_project_form_refuses_an_absurd_total_on_its_field(
    world, projects, client_for, amount, message
):
    before = Project.objects.count()
    data = {
        "name": "寿阳光伏项目",
        "category": "industry",
        "nature": "new",
        "total_investment": amount,
    }
    response = client_for(world.owner).post(reverse("projects:create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["total_investment"] == [message]
    assert message in response.content.decode()
    assert Project.objects.count() == before


def test_the_year_plan_form_refuses_an_absurd_plan_and_year(world, projects, client_for):
    url = reverse("projects:plan", args=[projects.a.pk])
    response = client_for(world.member).post(url, {"year": "99999", "planned_investment": "1e30"})
    errors = response.context["form"].errors
    assert errors["year"] == ["年度应在2000到2100之间，而不是“99999”"]
    assert errors["planned_investment"] == ["金额应在0到999,999,999,999.99万元之间，而不是“1E+30”"]
    assert not YearPlan.objects.filter(year=99999).exists()


def test_the_fund_form_refuses_an_absurd_amount(world, projects, client_for):
    data = {"enterprise": world.enterprise.pk, "year": 2026, "source": "city", "amount": "1e30"}
    data |= {"status": "pending"}
    response = client_for(world.owner).post(reverse("enterprises:fund_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["amount"]
    assert not SupportFund.objects.filter(enterprise=world.enterprise, year=2026).exists()
