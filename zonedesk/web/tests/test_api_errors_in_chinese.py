"""Every API error is a JSON `detail` naming the field, in Chinese — not pydantic's English —
or in English when the client sends `Accept-Language: en`; an unexpected failure is a JSON
500 without a traceback (DEBUG or not), logged with it."""

import json
import logging

import pytest

from zonedesk.meetings.models import Meeting
from zonedesk.supervision import services
from zonedesk.supervision.models import Blocker


def post(client, url, body, **extra):
    data = body if isinstance(body, bytes) else json.dumps(body)
    return client.post(url, data, content_type="application/json", **extra)


def blocker_body(world, **fields):
    return {
        "org_id": world.zone.pk,
        "title": "用地指标未落实",
        "unit_id": world.unit.pk,
        "days": 5,
    } | fields


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"org_id": "寿阳"}, {"org_id": ["应为数字"]}),
        ({"days": 1.5}, {"days": ["工作日数应为整数，而不是“1.5”"]}),
        ({"days": None, "deadline": "2026-13-40"}, {"deadline": ["应为日期，如 2026-05-01"]}),
        ({"title": 12}, {"title": ["应为文本"]}),
        ({"title": None}, {"title": ["应为文本"]}),
    ],
)
def test_a_wrong_field_is_422_in_chinese_naming_it(world, api_for, fields, errors):
    response = post(api_for(world.owner), "/api/v1/blockers", blocker_body(world, **fields))

    assert response.status_code == 422
    body = response.json()
    assert body["errors"] == errors
    assert "Input should" not in body["detail"]
    [(field, [message])] = errors.items()
    assert body["detail"] == f"字段“{field}”：{message}"
    assert not Blocker.objects.exists()


def test_an_enum_lists_its_values(world, api_for):
    response = post(
        api_for(world.owner),
        "/api/v1/meetings",
        {
            "org_id": world.zone.pk,
            "kind": "bogus",
            "title": "调度会",
            "held_at": "2026-05-01T09:00:00",
        },
    )

    assert response.status_code == 422
    [message] = response.json()["errors"]["kind"]
    assert message == "应为以下之一：" + "、".join(Meeting.Kind.values)


def test_several_fields_are_named_in_one_detail(world, api_for):
    response = post(api_for(world.owner), "/api/v1/blockers", {"title": "用地"})

    assert response.status_code == 422
    assert response.json()["detail"] == "字段“org_id”：必填；字段“unit_id”：必填"


def test_a_missing_body_is_named_as_the_body(world, api_for):
    response = post(api_for(world.owner), "/api/v1/blockers", b"")

    assert response.status_code == 422
    assert response.json() == {"detail": "字段“请求体”：必填", "errors": {"请求体": ["必填"]}}


def test_malformed_json_is_400_saying_where(world, api_for):
    response = post(api_for(world.owner), "/api/v1/blockers", b'{"title": ')

    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 JSON（第 1 行第 11 列）"}


def test_a_body_that_is_not_utf8_is_400(world, api_for):
    response = post(api_for(world.owner), "/api/v1/blockers", b'{"title": "\xed\xa0\x80x"}')

    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是有效的 UTF-8 文本"}


def test_a_lone_surrogate_is_422_naming_the_field_and_writes_nothing(world, api_for):
    body = json.dumps(blocker_body(world, title="\ud800x"))  # json spells it "\\ud800x"

    response = post(api_for(world.owner), "/api/v1/blockers", body.encode())

    assert response.status_code == 422
    assert response.json()["errors"] == {"title": ["含有无效的 Unicode 字符（孤立的代理码位）"]}
    assert not Blocker.objects.exists()


def test_a_surrogate_pair_is_an_ordinary_character(world, api_for):
    body = json.dumps(blocker_body(world, title="用地😀"))  # "\\ud83d\\ude00"

    response = post(api_for(world.owner), "/api/v1/blockers", body.encode())

    assert response.status_code == 201
    assert response.json()["title"] == "用地😀"


def test_an_unknown_api_address_is_a_json_404(world, api_for):
    response = api_for(world.owner).get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json() == {"detail": "接口地址不存在：/api/v1/nothing-here"}


@pytest.fixture
def broken_blocker(world):
    """A row no API schema can describe: its level was written past the services."""
    blocker = services.raise_blocker(
        world.member,
        org=world.zone,
        title="环评批复滞后",
        description="",
        unit=world.unit,
        leader=None,
        deadline=5,
    )
    Blocker.objects.filter(pk=blocker.pk).update(level="bogus")
    return blocker


def test_an_unexpected_failure_is_a_json_500_without_traceback_and_is_logged(
    world, api_for, broken_blocker, settings, caplog
):
    settings.DEBUG = True
    with caplog.at_level(logging.ERROR, logger="zonedesk.api"):
        response = api_for(world.owner).get(f"/api/v1/blockers/{broken_blocker.pk}")

    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，已记录；请稍后重试或联系系统管理员"}
    assert "Traceback" not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "zonedesk.api"]
    assert record.getMessage() == f"GET /api/v1/blockers/{broken_blocker.pk} failed"
    assert record.exc_info is not None


# --- English, on request -------------------------------------------------------------------


def test_accept_language_en_gets_english_errors(world, api_for):
    client = api_for(world.owner, **{"Accept-Language": "en-US,en;q=0.9"})

    wrong = post(client, "/api/v1/blockers", {"title": "用地", "org_id": "x"})
    bounds = client.get("/api/v1/orgs", {"limit": 501})
    malformed = post(client, "/api/v1/blockers", b"{")
    missing = client.get("/api/v1/orgs/999999")

    assert wrong.json()["detail"] == ('Field "org_id": must be a number; Field "unit_id": required')
    assert wrong["Content-Language"] == "en"
    assert bounds.json()["errors"] == {"limit": ["must be at most 500"]}
    assert malformed.json()["detail"] == ("The request body is not valid JSON (line 1, column 2)")
    assert missing.json()["detail"] == "The record does not exist or you may not see it"


def test_refusals_before_the_api_speak_english_too(world, api_for):
    client = api_for(world.owner, **{"Accept-Language": "en"})

    nul = client.get("/api/v1/projects?q=%00")
    large = post(client, "/api/v1/blockers", b"x" * 3_000_000)

    assert nul.json()["detail"] == 'Query parameter "q" contains a NUL character'
    assert large.json()["detail"].startswith("The request body is over the 2.5 MB limit")


def test_a_chinese_or_absent_accept_language_gets_chinese(world, api_for):
    for headers in ({}, {"Accept-Language": "zh-CN,zh;q=0.9"}, {"Accept-Language": "fr"}):
        response = api_for(world.owner, **headers).get("/api/v1/orgs", {"limit": 0})
        assert response.json()["errors"] == {"limit": ["不能小于 1"]}, headers


def test_pages_still_ignore_the_browsers_accept_language(world, client_for):
    client = client_for(world.owner)

    page = client.get("/projects/", headers={"Accept-Language": "en"})

    assert page["Content-Language"] == "zh-hans"
