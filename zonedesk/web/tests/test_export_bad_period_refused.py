"""An export asked for a period it cannot read is refused with a 400 naming the parameter —
a Chinese page on the web, JSON in the API — instead of quietly exporting another period."""

import pytest

from zonedesk.common.downloads import XLSX

REFUSED = [
    ("/projects/export.xlsx", "year", "abc", "参数“year”应为 2000—2100 之间的年份，收到“abc”"),
    ("/projects/export.xlsx", "month", "13", "参数“month”应为 1—12 之间的月份，收到“13”"),
    (
        "/enterprises/funds/export.xlsx",
        "year",
        "99999",
        "参数“year”应为 2000—2100 之间的年份，收到“99999”",
    ),
    ("/leads/leaderboard/export.xlsx", "month", "0", "参数“month”应为 1—12 之间的月份，收到“0”"),
    (
        "/leads/funnel/export.xlsx",
        "year",
        "２０２６",
        "参数“year”应为 2000—2100 之间的年份，收到“２０２６”",
    ),
    (
        "/leads/export.xlsx",
        "created_year",
        "-1",
        "参数“created_year”应为 2000—2100 之间的年份，收到“-1”",
    ),
    ("/appeals/report.xlsx", "month", "2026-13", "参数“month”应为年月，如 2026-05，收到“2026-13”"),
]


@pytest.mark.parametrize(("url", "param", "value", "message"), REFUSED)
def test_a_page_export_with_a_bad_period_is_a_chinese_400(
    world, client_for, url, param, value, message
):
    response = client_for(world.owner).get(url, {param: value})

    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("name", "param", "value"), [("projects", "year", "abc"), ("projects", "month", "13")]
)
def test_the_api_export_with_a_bad_period_is_400_json_naming_it(world, api_for, name, param, value):
    response = api_for(world.owner).get(f"/api/v1/imports/exports/{name}", {param: value})

    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [param]
    assert body["detail"].startswith(f"参数“{param}”应为")


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/projects/export.xlsx", {"year": "2026", "month": "5"}),
        ("/projects/export.xlsx", {"year": ""}),
        ("/leads/leaderboard/export.xlsx", {"year": "2026", "month": "12"}),
        ("/appeals/report.xlsx", {"month": "2026-05"}),
    ],
)
def test_a_readable_or_empty_period_still_exports(world, client_for, url, query):
    response = client_for(world.owner).get(url, query)

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
