"""/api/v1/indicators…: the catalogue, bulk values per period (bad cells named, nothing
half-written), targets and rankings, scoped like the pages, and in OpenAPI."""

from decimal import Decimal

from zonedesk.indicators.models import IndicatorTarget, IndicatorValue

from .conftest import api_client

VALUES = "/api/v1/indicators/values"


def _put(client, path, body):
    return client.put(path, body, content_type="application/json")


def test_the_catalogue_lists_every_indicator(iw):
    got = api_client(iw.viewer).get("/api/v1/indicators")
    assert got.status_code == 200
    codes = {i["code"]: i for i in got.json()}
    assert codes["GDP"]["price_basis"] == "comparable" and codes["KEY_INV"]["source"] == "derived"
    assert api_client(iw.unit_user).get("/api/v1/indicators").status_code == 403


def test_bulk_values_are_written_for_a_period(iw, django_assert_max_num_queries):
    body = {
        "org_id": iw.county.pk,
        "year": 2025,
        "month": 6,
        "cells": [
            {"code": "GDP", "value": 980300, "growth": 6.2},
            {"code": "FAI", "value": "320000"},
        ],
    }
    client = api_client(iw.statistician)
    with django_assert_max_num_queries(30):
        got = _put(client, VALUES, body)
    assert got.status_code == 200 and got.json() == {"changed": 2}
    listed = client.get(VALUES, {"year": 2025, "month": 6}).json()
    assert {(v["code"], Decimal(v["value"])) for v in listed} == {("GDP", 980300), ("FAI", 320000)}


def test_bad_cells_are_named_and_nothing_is_written(iw):
    body = {
        "org_id": iw.county.pk,
        "year": 2025,
        "month": 6,
        "cells": [
            {"code": "FAI", "value": "320000"},
            {"code": "GDP", "growth": "6.2%"},
            {"code": "RETAIL", "value": 1e400},
            {"code": "NOPE", "value": 1},
        ],
    }
    got = _put(api_client(iw.statistician), VALUES, body)
    assert got.status_code == 400
    assert "NOPE" in got.json()["errors"]
    body["cells"] = body["cells"][:3]
    errors = _put(api_client(iw.statistician), VALUES, body).json()["errors"]
    assert "不带%" in errors["GDP"][0] and "社会消费品零售总额" in errors["RETAIL"][0]
    assert not IndicatorValue.objects.exists()


def test_writes_are_scoped(iw):
    body = {
        "org_id": iw.county.pk,
        "year": 2025,
        "month": 6,
        "cells": [{"code": "FAI", "value": 1}],
    }
    assert _put(api_client(iw.other_statistician), VALUES, body).status_code == 404
    assert _put(api_client(iw.viewer), VALUES, body).status_code == 403
    assert not IndicatorValue.objects.exists()


def test_targets_are_set_and_read(iw):
    client = api_client(iw.county_leader)
    body = {"org_id": iw.county.pk, "code": "FAI", "year": 2025, "value": 600000, "growth": 10}
    got = _put(client, "/api/v1/indicators/targets", body)
    assert got.status_code == 200 and Decimal(got.json()["value"]) == 600000
    assert IndicatorTarget.objects.get().growth == Decimal("10.0")
    listed = api_client(iw.viewer).get("/api/v1/indicators/targets", {"year": 2025}).json()
    assert [t["code"] for t in listed] == ["FAI"]
    assert api_client(iw.outsider).get("/api/v1/indicators/targets", {"year": 2025}).json() == []


def test_rankings_are_scoped_and_in_openapi(corpus):
    q = {"org": corpus.city.pk, "year": 2024, "month": 6}
    assert api_client(corpus.outsider).get("/api/v1/indicators/rankings", q).status_code == 404
    assert (
        api_client(corpus.viewer).get("/api/v1/indicators/rankings", {**q, "month": 1}).status_code
        == 400
    )
    doc = api_client(corpus.viewer).get("/api/v1/openapi.json").json()
    for path in (
        "/api/v1/indicators",
        VALUES,
        "/api/v1/indicators/targets",
        "/api/v1/indicators/rankings",
    ):
        assert path in doc["paths"]
