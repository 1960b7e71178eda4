"""Support funds (惠企资金): to an enterprise or a project (exactly one), audited; totals by
year, source and chain as exact Decimal sums that link to their rows; the export's totals
row; scoped like the register."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from zonedesk.audit.models import AuditEvent
from zonedesk.catalog.validators import make_uscc
from zonedesk.enterprises import selectors
from zonedesk.enterprises.models import SupportFund
from zonedesk.enterprises.services import create_enterprise, create_fund, update_fund

from .conftest import read_xlsx


def fund(amount, **extra):
    return create_fund(
        None, **({"year": 2026, "source": "city", "amount": Decimal(amount)} | extra)
    )


# --- what an allocation needs ------------------------------------------------------------


def test_an_allocation_goes_to_an_enterprise_or_a_project_never_both_nor_neither(world, registry):
    for recipients in ({}, {"enterprise": world.enterprise, "project": registry.project}):
        with pytest.raises(ValidationError) as refused:
            fund("10", **recipients)
        assert refused.value.message_dict["enterprise"] == ["请选择企业或项目（二者选其一）"]


def test_the_database_also_refuses_both(world, registry):
    with pytest.raises(IntegrityError), transaction.atomic():
        SupportFund.objects.create(
            org=world.zone,
            enterprise=world.enterprise,
            project=registry.project,
            year=2026,
            source="city",
            amount=Decimal("1"),
        )


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"amount": Decimal("0")}, "amount"),
        ({"amount": Decimal("-5")}, "amount"),
        ({"year": 1999}, "year"),
        ({"source": "moon"}, "source"),
        ({"status": "paid"}, "paid_on"),
        ({"status": "paid", "paid_on": datetime.date(2099, 1, 1)}, "paid_on"),
        ({"status": "pending", "paid_on": datetime.date(2026, 1, 1)}, "paid_on"),
    ],
)
def test_bad_allocations_are_refused_naming_the_field(world, extra, field):
    data = {"enterprise": world.enterprise, "year": 2026, "source": "city", "amount": Decimal("5")}
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        create_fund(None, **(data | extra))
    assert list(refused.value.message_dict) == [field]
    assert AuditEvent.objects.count() == before


def test_the_allocation_belongs_to_its_recipients_zone_and_is_audited(world, registry):
    assert registry.project_fund.org == world.zone
    update_fund(
        world.owner,
        registry.project_fund,
        {"status": "paid", "paid_on": datetime.date(2026, 6, 1)},
        expected_version=1,
    )
    event = AuditEvent.objects.filter(action="fund.update").get()
    assert event.changes["status"] == ["pending", "paid"]


@pytest.mark.parametrize("who", ["unit_user", "enterprise_user", "outsider", "viewer"])
def test_only_editors_of_the_zone_may_record_funds(world, who):
    with pytest.raises(PermissionDenied):
        create_fund(
            getattr(world, who),
            enterprise=world.enterprise,
            year=2026,
            source="city",
            amount=Decimal("1"),
        )


# --- totals --------------------------------------------------------------------------------


def test_totals_by_chain_are_exact_decimals_over_enterprises_and_projects(world, registry):
    # 0.1 + 0.2 in float is 0.30000000000000004; the register must say 0.30.
    fund("0.10", enterprise=world.enterprise)
    fund("0.20", project=registry.project)
    bare = create_enterprise(None, org=world.zone, name="无链企业", uscc=make_uscc("无链"))
    fund("7.25", enterprise=bare)

    t = selectors.fund_totals(selectors.funds_for(world.owner))
    by_chain = {r["label"]: r["total"] for r in t["by_chain"]}
    assert by_chain == {"造纸": Decimal("2800.80"), None: Decimal("7.25")}
    assert all(isinstance(v, Decimal) for v in by_chain.values())
    assert t["total"] == Decimal("2808.05")
    assert {r["label"]: r["total"] for r in t["by_year"]} == {
        "2025": Decimal("2000.00"),
        "2026": Decimal("808.05"),
    }
    assert t["paid"] == Decimal("2000.00")


def test_each_total_links_to_exactly_its_rows(world, client_for, registry):
    client = client_for(world.owner)
    response = client.get("/enterprises/funds/")
    t = response.context["t"]
    for key, param in (("by_year", "year"), ("by_source", "source"), ("by_chain", "chain")):
        for row in t[key]:
            rows = client.get("/enterprises/funds/", {param: row["value"]}).context["funds"]
            assert sum((f.amount for f in rows), Decimal(0)) == row["total"], (key, row)
            assert len(rows) == row["count"]
    html = response.content.decode()
    assert "?chain=%E9%80%A0%E7%BA%B8" in html  # 造纸


def test_a_total_for_allocations_without_a_chain_links_to_them(world, client_for):
    bare = create_enterprise(None, org=world.zone, name="无链企业", uscc=make_uscc("无链"))
    fund("7.25", enterprise=bare)
    client = client_for(world.owner)
    [row] = client.get("/enterprises/funds/").context["t"]["by_chain"]
    assert (row["value"], row["label"]) == ("-", None)
    rows = client.get("/enterprises/funds/", {"chain": "-"}).context["funds"]
    assert [f.enterprise for f in rows] == [bare]


def test_the_page_shows_wan_in_rows_and_the_total_with_its_unit(world, client_for, registry):
    html = client_for(world.owner).get("/enterprises/funds/").content.decode()
    assert "2,800.50" in html and "2800.50" not in html
    assert "2,800.50 万元" in html  # below 1 亿 the card stays in 万元, its unit shown


def test_the_export_has_every_row_and_a_totals_row(world, client_for, registry):
    sheet = read_xlsx(client_for(world.owner).get("/enterprises/funds/export.xlsx").content)
    body, totals = sheet[2:-1], sheet[-1]
    assert len(body) == 2
    assert totals[1] == "合计（2笔）" and totals[7] == pytest.approx(2800.5)
    assert {r[4] for r in body} == {"造纸"}


# --- who sees which funds ------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, total",
    [("owner", "2800.50"), ("member", "2800.50"), ("outsider", "30.00"), ("viewer", "2830.50")],
)
def test_the_list_and_its_totals_are_scoped(world, client_for, registry, who, total):
    response = client_for(getattr(world, who)).get("/enterprises/funds/")
    assert response.status_code == 200
    assert response.context["t"]["total"] == Decimal(total)
    assert sum((f.amount for f in response.context["funds"]), Decimal(0)) == Decimal(total)


def test_the_export_of_another_zone_has_none_of_this_zone(world, client_for, registry):
    sheet = read_xlsx(client_for(world.outsider).get("/enterprises/funds/export.xlsx").content)
    text = " ".join(str(c) for r in sheet for c in r)
    assert "亮拓" in text and "强伟" not in text


@pytest.mark.parametrize(
    "url", ["/enterprises/funds/", "/enterprises/funds/export.xlsx", "/enterprises/funds/new/"]
)
def test_an_enterprise_user_has_no_fund_list_export_or_form(world, client_for, registry, url):
    assert client_for(world.enterprise_user).get(url).status_code == 403


def test_the_edit_page_is_for_the_zones_editors(world, client_for, registry):
    url = f"/enterprises/funds/{registry.fund.pk}/"
    assert client_for(world.member).get(url).status_code == 200
    assert client_for(world.unit_user).get(url).status_code == 403
    assert client_for(world.outsider).get(url).status_code == 404


def test_recording_a_fund_through_the_page(world, client_for, registry):
    response = client_for(world.member).post(
        "/enterprises/funds/new/",
        {
            "project": registry.project.pk,
            "year": 2026,
            "source": "park",
            "policy": "园区基础设施配套资金",
            "amount": "260",
            "status": "pending",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/enterprises/{world.enterprise.pk}/#funds"
    assert SupportFund.objects.filter(policy="园区基础设施配套资金", amount=Decimal("260")).exists()


def test_the_list_query_count_does_not_grow(
    world, client_for, registry, django_assert_max_num_queries
):
    client = client_for(world.viewer)
    client.get("/enterprises/funds/")
    with django_assert_max_num_queries(12) as few:
        client.get("/enterprises/funds/")
    for i in range(10):
        fund(f"{i + 1}.5", enterprise=world.other_enterprise, year=2020 + i)
    with django_assert_max_num_queries(12) as many:
        response = client.get("/enterprises/funds/")
    assert len(response.context["funds"]) == 13
    assert len(many) == len(few)
