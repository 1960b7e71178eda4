"""The register's API — /api/v1/enterprises, /api/v1/designations, /api/v1/funds — scoped
like the pages (an enterprise user reads its own only, another zone nothing), writes through
the same services, version checks, Decimal amounts, and all of it in the OpenAPI schema."""

import datetime
from decimal import Decimal

import pytest

from zonedesk.catalog.validators import make_uscc
from zonedesk.enterprises.models import Designation, Enterprise, SupportFund

JSON = "application/json"


# --- enterprises ---------------------------------------------------------------------------


def test_creating_an_enterprise_with_the_new_fields(world, api_for):
    response = api_for(world.member).post(
        "/api/v1/enterprises",
        {
            "org_id": world.zone.pk,
            "name": "山西美锦钢铁有限公司",
            "uscc": make_uscc("美锦"),
            "chain": "钢铁",
            "park_id": world.park.pk,
            "industry_code": "31",
            "registered_capital": "5000.50",
            "established_on": "2015-03-01",
        },
        content_type=JSON,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["chain"], body["park_id"], body["industry_code"]) == ("钢铁", world.park.pk, "31")
    assert Decimal(body["registered_capital"]) == Decimal("5000.50")


def test_an_unknown_industry_code_is_refused_naming_the_field(world, api_for):
    response = api_for(world.member).post(
        "/api/v1/enterprises",
        {"org_id": world.zone.pk, "name": "某公司", "uscc": make_uscc("某"), "industry_code": "99"},
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "industry_code" in response.json()["errors"]


def test_a_stale_version_is_refused_with_409(world, api_for):
    client = api_for(world.owner)
    url = f"/api/v1/enterprises/{world.enterprise.pk}"
    assert client.patch(url, {"version": 1, "chain": "造纸"}, content_type=JSON).status_code == 200
    response = client.patch(url, {"version": 1, "chain": "包装"}, content_type=JSON)
    assert response.status_code == 409
    assert Enterprise.objects.get(pk=world.enterprise.pk).chain == "造纸"


@pytest.mark.parametrize(
    "who, status", [("enterprise_user", 403), ("outsider", 404), ("viewer", 403)]
)
def test_who_may_not_edit_an_enterprise_through_the_api(world, api_for, who, status):
    response = api_for(getattr(world, who)).patch(
        f"/api/v1/enterprises/{world.enterprise.pk}",
        {"version": 1, "chain": "x"},
        content_type=JSON,
    )
    assert response.status_code == status


# --- designations --------------------------------------------------------------------------

SEES = [
    ("owner", {"强伟"}),
    ("enterprise_user", {"强伟"}),
    ("outsider", {"亮拓"}),
    ("viewer", {"强伟", "亮拓"}),
    ("unit_user", {"强伟"}),
]


@pytest.mark.parametrize("who, seen", SEES)
def test_the_designation_list_is_scoped(world, api_for, registry, who, seen):
    response = api_for(getattr(world, who)).get("/api/v1/designations")
    assert response.status_code == 200
    assert {d["enterprise_name"][2:4] for d in response.json()["items"]} == seen


def test_the_expiring_filter_uses_the_90_day_window(world, api_for, registry):
    Designation.objects.filter(pk=registry.designation.pk).update(
        expires_on=registry.today + datetime.timedelta(days=91)
    )
    items = api_for(world.viewer).get("/api/v1/designations?expiring=true").json()["items"]
    assert [d["id"] for d in items] == [registry.other_designation.pk]


def test_designations_are_created_updated_and_deleted(world, api_for):
    client = api_for(world.member)
    created = client.post(
        "/api/v1/designations",
        {
            "enterprise_id": world.enterprise.pk,
            "kind": "specialised",
            "level": "province",
            "granted_on": "2024-01-10",
            "expires_on": "2027-01-09",
        },
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    d = created.json()
    assert d["title"] == "专精特新中小企业"
    url = f"/api/v1/designations/{d['id']}"
    patched = client.patch(url, {"version": 1, "certificate_no": "ZJTX-1"}, content_type=JSON)
    assert patched.json()["certificate_no"] == "ZJTX-1"
    assert client.delete(url).status_code == 204
    assert not Designation.objects.filter(pk=d["id"]).exists()


def test_a_bad_designation_gets_a_chinese_detail(world, api_for):
    response = api_for(world.member).post(
        "/api/v1/designations",
        {
            "enterprise_id": world.enterprise.pk,
            "kind": "other",
            "level": "city",
            "granted_on": "2024-01-10",
        },
        content_type=JSON,
    )
    assert response.status_code == 400
    assert "称号名称" in response.json()["detail"]


@pytest.mark.parametrize("who, status", [("enterprise_user", 403), ("outsider", 404)])
def test_enterprise_users_and_other_zones_cannot_write_designations(
    world, api_for, registry, who, status
):
    client = api_for(getattr(world, who))
    url = f"/api/v1/designations/{registry.designation.pk}"
    assert client.patch(url, {"version": 1, "note": "x"}, content_type=JSON).status_code == status
    assert client.delete(url).status_code == status
    created = client.post(
        "/api/v1/designations",
        {
            "enterprise_id": world.enterprise.pk,
            "kind": "high_tech",
            "level": "city",
            "granted_on": "2024-01-10",
        },
        content_type=JSON,
    )
    assert created.status_code == status


# --- funds ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who, total",
    [
        ("owner", "2800.50"),
        ("enterprise_user", "2800.50"),
        ("outsider", "30"),
        ("viewer", "2830.50"),
    ],
)
def test_the_fund_list_is_scoped(world, api_for, registry, who, total):
    items = api_for(getattr(world, who)).get("/api/v1/funds").json()["items"]
    assert sum(Decimal(f["amount"]) for f in items) == Decimal(total)


def test_fund_totals_by_chain_are_decimals(world, api_for, registry):
    body = api_for(world.owner).get("/api/v1/funds/totals").json()
    assert [(r["value"], Decimal(r["total"])) for r in body["by_chain"]] == [
        ("造纸", Decimal("2800.50"))
    ]
    assert Decimal(body["total"]) == Decimal("2800.50")


def test_fund_totals_are_not_for_enterprise_users(world, api_for, registry):
    assert api_for(world.enterprise_user).get("/api/v1/funds/totals").status_code == 403


def test_a_fund_is_created_and_updated_with_a_version(world, api_for, registry):
    client = api_for(world.member)
    created = client.post(
        "/api/v1/funds",
        {"project_id": registry.project.pk, "year": 2026, "source": "park", "amount": "260.00"},
        content_type=JSON,
    )
    assert created.status_code == 201, created.json()
    fund = created.json()
    assert (fund["chain"], fund["org_id"], fund["status"]) == ("造纸", world.zone.pk, "pending")
    url = f"/api/v1/funds/{fund['id']}"
    paid = client.patch(
        url, {"version": 1, "status": "paid", "paid_on": "2026-06-30"}, content_type=JSON
    )
    assert paid.status_code == 200 and paid.json()["status"] == "paid"
    stale = client.patch(url, {"version": 1, "amount": "1"}, content_type=JSON)
    assert stale.status_code == 409
    assert SupportFund.objects.get(pk=fund["id"]).amount == Decimal("260.00")


def test_a_fund_to_both_or_to_another_zone_is_refused(world, api_for, registry):
    client = api_for(world.member)
    both = client.post(
        "/api/v1/funds",
        {
            "enterprise_id": world.enterprise.pk,
            "project_id": registry.project.pk,
            "year": 2026,
            "source": "city",
            "amount": "1",
        },
        content_type=JSON,
    )
    assert both.status_code == 400 and "二者选其一" in both.json()["detail"]
    foreign = client.post(
        "/api/v1/funds",
        {"enterprise_id": world.other_enterprise.pk, "year": 2026, "source": "city", "amount": "1"},
        content_type=JSON,
    )
    assert foreign.status_code == 404


def test_an_enterprise_user_cannot_record_or_change_funds(world, api_for, registry):
    client = api_for(world.enterprise_user)
    response = client.post(
        "/api/v1/funds",
        {"enterprise_id": world.enterprise.pk, "year": 2026, "source": "city", "amount": "1"},
        content_type=JSON,
    )
    assert response.status_code == 403
    url = f"/api/v1/funds/{registry.fund.pk}"
    assert client.patch(url, {"version": 1, "amount": "1"}, content_type=JSON).status_code == 403


# --- the schema ----------------------------------------------------------------------------


def test_the_openapi_schema_lists_the_register_paths(world, api_for):
    paths = api_for(world.owner).get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/enterprises",
        "/api/v1/enterprises/{enterprise_id}",
        "/api/v1/designations",
        "/api/v1/designations/{designation_id}",
        "/api/v1/funds",
        "/api/v1/funds/totals",
        "/api/v1/funds/{fund_id}",
    ):
        assert path in paths, path
    assert "patch" in paths["/api/v1/funds/{fund_id}"]
