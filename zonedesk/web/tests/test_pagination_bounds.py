"""Every list's limit and offset are bounded (limit ≤ 500, offset ≤ 10^6): beyond them a 422
names the parameter, where a huge offset used to reach the database and answer 500."""

import pytest
from django.test import Client

from zonedesk.pagination import MAX_LIMIT, MAX_OFFSET

LISTS = ["orgs", "blockers", "designations", "messages", "projects", "enterprises", "leads"]
HUGE = "99999999999999999999"


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("param", ["offset", "limit"])
def test_a_huge_offset_or_limit_is_422_naming_it(world, api_for, name, param):
    response = api_for(world.owner).get(f"/api/v1/{name}", {param: HUGE})

    assert response.status_code == 422
    bound = MAX_OFFSET if param == "offset" else MAX_LIMIT
    assert response.json() == {
        "detail": f"字段“{param}”：不能大于 {bound}",
        "errors": {param: [f"不能大于 {bound}"]},
    }


@pytest.mark.parametrize(
    ("param", "value", "message"),
    [("limit", 501, "不能大于 500"), ("limit", 0, "不能小于 1"), ("offset", -1, "不能小于 0")],
)
def test_just_past_a_bound_is_422(world, api_for, param, value, message):
    response = api_for(world.owner).get("/api/v1/orgs", {param: value})

    assert response.status_code == 422
    assert response.json()["errors"] == {param: [message]}


def test_the_bounds_themselves_are_accepted(world, api_for):
    response = api_for(world.owner).get("/api/v1/orgs", {"limit": MAX_LIMIT, "offset": MAX_OFFSET})

    assert response.status_code == 200
    assert response.json() == {"items": [], "count": 2}  # the zone and its park


def test_the_openapi_document_states_the_bounds(world):
    doc = Client().get("/api/v1/openapi.json").json()
    params = {p["name"]: p["schema"] for p in doc["paths"]["/api/v1/blockers"]["get"]["parameters"]}

    assert (params["limit"]["minimum"], params["limit"]["maximum"]) == (1, 500)
    assert (params["offset"]["minimum"], params["offset"]["maximum"]) == (0, 1_000_000)
