"""/api/v1/: token auth, the OpenAPI schema, scoping like the pages, and JSON errors whose
Chinese `detail` names the field."""

import pytest
from django.test import Client

from zonedesk.audit.models import AuditEvent
from zonedesk.catalog.validators import make_uscc
from zonedesk.enterprises.models import Enterprise
from zonedesk.orgs.services import create_token, revoke_token, update_user

NEW_USCC = make_uscc("美锦", "140725")


def api_client(user):
    _token, secret = create_token(user, "测试")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def names(response):
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == len(body["items"])
    return {item["name"] for item in body["items"]}


# --- authentication ---------------------------------------------------------------------


def test_me_returns_the_user_and_roles_for_a_valid_token(world):
    response = api_client(world.owner).get("/api/v1/me")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["username"], body["name"]) == (world.owner.pk, "owner", "Owner")
    assert body["roles"] == [
        {
            "role": "admin",
            "role_label": "系统管理员",
            "org_id": world.zone.pk,
            "org_name": "寿阳经济技术开发区",
            "unit": None,
            "enterprise_id": None,
        }
    ]


def test_me_names_the_unit_and_the_enterprise_of_their_roles(world):
    [unit_role] = api_client(world.unit_user).get("/api/v1/me").json()["roles"]
    [contact_role] = api_client(world.enterprise_user).get("/api/v1/me").json()["roles"]
    assert (unit_role["role"], unit_role["unit"]) == ("unit", "企业服务中心")
    assert (contact_role["role_label"], contact_role["enterprise_id"]) == (
        "企业联系人",
        world.enterprise.pk,
    )


def assert_unauthenticated(response):
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未提供有效的访问令牌"}


def test_no_token_is_401_with_a_chinese_detail(world):
    assert_unauthenticated(Client().get("/api/v1/me"))


@pytest.mark.parametrize("header", ["Bearer zd_wrong", "Bearer ", "Token abc", "zd_wrong"])
def test_a_wrong_token_is_401(world, header):
    api_client(world.owner)  # a real token exists; these are not it
    assert_unauthenticated(Client(headers={"Authorization": header}).get("/api/v1/me"))


def test_a_revoked_token_is_401(world):
    token, secret = create_token(world.owner, "旧令牌")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    assert client.get("/api/v1/me").status_code == 200

    revoke_token(world.owner, token)
    assert_unauthenticated(client.get("/api/v1/me"))


def test_the_token_of_a_deactivated_user_is_401(world):
    client = api_client(world.member)
    update_user(world.owner, world.member, {"name": "Member", "is_active": False})
    assert_unauthenticated(client.get("/api/v1/me"))


def test_a_browser_session_is_not_an_api_credential(world, client_for):
    assert_unauthenticated(client_for(world.owner).get("/api/v1/me"))


# --- schema -------------------------------------------------------------------------------


def test_the_openapi_schema_is_served_and_lists_the_resources(world):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in (
        "/api/v1/me",
        "/api/v1/orgs",
        "/api/v1/orgs/{org_id}",
        "/api/v1/units",
        "/api/v1/teams",
        "/api/v1/enterprises",
        "/api/v1/enterprises/{enterprise_id}",
    ):
        assert path in paths, path
    assert "post" in paths["/api/v1/enterprises"]


# --- scoping -----------------------------------------------------------------------------

ZONE_A = {"寿阳经济技术开发区", "造纸产业园"}
ZONE_B = {"太谷经济技术开发区"}
CITY = {"晋中市", "寿阳县", "太谷区"} | ZONE_A | ZONE_B


@pytest.mark.parametrize(
    "who, orgs, units, teams, enterprises",
    [
        ("owner", ZONE_A, {"企业服务中心"}, {"强伟项目专班"}, {"山西强伟纸业有限公司"}),
        ("outsider", ZONE_B, {"招商局"}, {"精密制造招商战队"}, {"山西亮拓精密铸造有限公司"}),
        (
            "viewer",
            CITY,
            {"企业服务中心", "招商局"},
            {"强伟项目专班", "精密制造招商战队"},
            {"山西强伟纸业有限公司", "山西亮拓精密铸造有限公司"},
        ),
        ("enterprise_user", set(), set(), set(), {"山西强伟纸业有限公司"}),
    ],
)
def test_lists_return_what_the_role_reaches(world, who, orgs, units, teams, enterprises):
    client = api_client(getattr(world, who))
    assert names(client.get("/api/v1/orgs")) == orgs
    assert names(client.get("/api/v1/units")) == units
    assert names(client.get("/api/v1/teams")) == teams
    assert names(client.get("/api/v1/enterprises")) == enterprises


def test_lists_are_paginated_with_limit_and_offset(world):
    client = api_client(world.viewer)
    first = client.get("/api/v1/orgs", {"limit": 2}).json()
    rest = client.get("/api/v1/orgs", {"limit": 100, "offset": 2}).json()
    assert first["count"] == rest["count"] == len(CITY)
    assert len(first["items"]) == 2 and len(rest["items"]) == len(CITY) - 2
    assert {o["name"] for o in first["items"] + rest["items"]} == CITY


def test_the_enterprise_list_search_stays_in_scope(world):
    assert names(api_client(world.owner).get("/api/v1/enterprises", {"q": "亮拓"})) == set()
    assert names(api_client(world.viewer).get("/api/v1/enterprises", {"q": "亮拓"})) == {
        "山西亮拓精密铸造有限公司"
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/orgs/{other_zone}",
        "/api/v1/enterprises/{other_enterprise}",
        "/api/v1/orgs/999999",
        "/api/v1/enterprises/999999",
    ],
)
def test_a_record_out_of_scope_is_404_json(world, url):
    url = url.format(other_zone=world.other_zone.pk, other_enterprise=world.other_enterprise.pk)
    response = api_client(world.owner).get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "记录不存在或无权查看"}


def test_a_record_in_scope_is_returned(world):
    client = api_client(world.owner)
    org = client.get(f"/api/v1/orgs/{world.zone.pk}").json()
    enterprise = client.get(f"/api/v1/enterprises/{world.enterprise.pk}").json()
    assert (org["name"], org["kind"], org["parent_id"]) == (
        "寿阳经济技术开发区",
        "zone",
        world.county.pk,
    )
    assert (enterprise["uscc"], enterprise["org_id"]) == (world.enterprise.uscc, world.zone.pk)


# --- registering an enterprise ----------------------------------------------------------------


def post_enterprise(client, **body):
    return client.post("/api/v1/enterprises", body, content_type="application/json")


def test_registering_an_enterprise_returns_201_and_leaves_an_audit_event(world):
    response = post_enterprise(
        api_client(world.member),
        org_id=world.zone.pk,
        name="山西美锦钢铁有限公司",
        uscc=NEW_USCC.lower(),
        legal_rep="张三",
        above_scale=True,
    )

    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["uscc"], body["above_scale"], body["version"]) == (
        "山西美锦钢铁有限公司",
        NEW_USCC,
        True,
        1,
    )
    e = Enterprise.objects.get(pk=body["id"])
    [event] = AuditEvent.objects.filter(action="enterprise.create", target_id=str(e.pk))
    assert (event.actor, event.org) == (world.member, world.zone)


def test_a_bad_code_is_400_naming_the_field(world):
    response = post_enterprise(
        api_client(world.owner), org_id=world.zone.pk, name="山西美锦钢铁有限公司", uscc="91140725"
    )

    assert response.status_code == 400
    body = response.json()
    assert "统一社会信用代码" in body["detail"]
    assert list(body["errors"]) == ["uscc"]
    assert body["errors"]["uscc"] == ["统一社会信用代码应为18位，当前为8位"]
    assert not Enterprise.objects.filter(name="山西美锦钢铁有限公司").exists()


def test_a_duplicate_code_is_400_naming_the_enterprise_that_holds_it(world):
    response = post_enterprise(
        api_client(world.owner), org_id=world.zone.pk, name="另一家公司", uscc=world.enterprise.uscc
    )
    assert response.status_code == 400
    assert "山西强伟纸业有限公司" in response.json()["detail"]


@pytest.mark.parametrize("missing", ["name", "uscc", "org_id"])
def test_a_missing_field_is_422_naming_the_field(world, missing):
    body = {"org_id": world.zone.pk, "name": "山西美锦钢铁有限公司", "uscc": NEW_USCC}
    del body[missing]
    response = post_enterprise(api_client(world.owner), **body)

    assert response.status_code == 422
    payload = response.json()
    assert payload["errors"] == {missing: ["必填"]}
    assert f"字段“{missing}”" in payload["detail"] and "必填" in payload["detail"]


def test_a_field_of_the_wrong_type_is_422_naming_the_field(world):
    response = post_enterprise(
        api_client(world.owner), org_id="寿阳", name="山西美锦钢铁有限公司", uscc=NEW_USCC
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {"org_id": ["应为数字"]}


def test_an_over_long_field_is_refused_with_a_json_error_naming_it(world):
    response = post_enterprise(
        api_client(world.owner),
        org_id=world.zone.pk,
        name="山西美锦钢铁有限公司",
        uscc=NEW_USCC,
        legal_rep="长" * 51,
    )
    assert response.status_code == 422, response.status_code
    assert response.json()["errors"] == {"legal_rep": ["不能超过50个字符，当前51个"]}
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()


def test_registering_in_another_zones_org_is_404(world):
    response = post_enterprise(
        api_client(world.owner),
        org_id=world.other_zone.pk,
        name="山西美锦钢铁有限公司",
        uscc=NEW_USCC,
    )
    assert response.status_code == 404
    assert response.json() == {"detail": "记录不存在或无权查看"}
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()


@pytest.mark.parametrize("who", ["viewer", "unit_user"])
def test_who_sees_the_org_but_may_not_edit_gets_403_json(world, who):
    response = post_enterprise(
        api_client(getattr(world, who)),
        org_id=world.zone.pk,
        name="山西美锦钢铁有限公司",
        uscc=NEW_USCC,
    )
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有编辑该组织企业的权限"}
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()


def test_posting_needs_no_csrf_token_with_a_bearer_token(world):
    _token, secret = create_token(world.owner, "脚本")
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})
    response = post_enterprise(
        client, org_id=world.zone.pk, name="山西美锦钢铁有限公司", uscc=NEW_USCC
    )
    assert response.status_code == 201
