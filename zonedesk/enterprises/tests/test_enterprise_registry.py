"""The enterprise registry: what a new enterprise needs, who may register one, and who sees
which enterprises — the pages and the API through the same scoping."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from zonedesk.audit.models import AuditEvent
from zonedesk.catalog.validators import make_uscc
from zonedesk.enterprises.models import Enterprise
from zonedesk.enterprises.services import create_enterprise, update_enterprise
from zonedesk.orgs.services import create_token

NEW_USCC = make_uscc("美锦", "140725")


def api_client(user):
    _token, secret = create_token(user, "测试")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def messages_of(excinfo, field):
    return excinfo.value.message_dict[field]


# --- what a new enterprise needs -------------------------------------------------------------


def test_a_valid_enterprise_is_registered_with_its_normalised_code(world):
    e = create_enterprise(
        world.member, org=world.zone, name=" 山西美锦钢铁有限公司 ", uscc=NEW_USCC.lower()
    )
    stored = Enterprise.objects.get(pk=e.pk)
    assert (stored.name, stored.uscc, stored.org, stored.version) == (
        "山西美锦钢铁有限公司",
        NEW_USCC,
        world.zone,
        1,
    )


@pytest.mark.parametrize(
    "uscc, fragment",
    [
        ("9114072512345", "应为18位"),
        (NEW_USCC[:17] + ("0" if NEW_USCC[17] != "0" else "1"), "第18位校验码错误"),
        ("", "应为18位"),
    ],
)
def test_an_invalid_code_is_refused_on_the_uscc_field_in_chinese(world, uscc, fragment):
    with pytest.raises(ValidationError) as refused:
        create_enterprise(world.owner, org=world.zone, name="山西美锦钢铁有限公司", uscc=uscc)

    [message] = messages_of(refused, "uscc")
    assert message.startswith("统一社会信用代码") and fragment in message
    assert not Enterprise.objects.filter(name="山西美锦钢铁有限公司").exists()


def test_a_blank_name_is_refused_on_the_name_field(world):
    with pytest.raises(ValidationError) as refused:
        create_enterprise(world.owner, org=world.zone, name="  ", uscc=NEW_USCC)
    assert messages_of(refused, "name") == ["企业名称不能为空"]


@pytest.mark.parametrize("field, limit", [("name", 120), ("short_name", 40), ("legal_rep", 50)])
def test_a_value_longer_than_its_column_is_refused_naming_the_field(world, field, limit):
    """On PostgreSQL an over-long value would otherwise end in a DataError (a 500)."""
    data = {"name": "山西美锦钢铁有限公司", "uscc": NEW_USCC, field: "长" * (limit + 1)}
    with pytest.raises(ValidationError) as refused:
        create_enterprise(world.owner, org=world.zone, **data)
    assert messages_of(refused, field)
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()


def test_an_over_long_value_in_an_update_is_refused_and_nothing_is_written(world):
    e = world.enterprise
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        update_enterprise(world.owner, e, {"name": e.name, "uscc": e.uscc, "legal_rep": "长" * 51})
    assert "法定代表人" in messages_of(refused, "legal_rep")[0]
    stored = Enterprise.objects.get(pk=e.pk)
    assert (stored.legal_rep, stored.version) == ("", 1)
    assert AuditEvent.objects.count() == before


def test_an_update_trims_the_text_fields_like_a_registration_does(world):
    e = world.enterprise
    update_enterprise(
        world.owner,
        e,
        {"name": e.name, "uscc": e.uscc, "short_name": " 强伟 ", "legal_rep": " 李四 "},
    )
    stored = Enterprise.objects.get(pk=e.pk)
    assert (stored.short_name, stored.legal_rep) == ("强伟", "李四")


def test_a_code_already_registered_names_the_enterprise_that_holds_it(world):
    with pytest.raises(ValidationError) as refused:
        create_enterprise(
            world.owner, org=world.zone, name="另一家公司", uscc=world.enterprise.uscc
        )
    assert messages_of(refused, "uscc") == [
        f"统一社会信用代码已登记为“山西强伟纸业有限公司”（/enterprises/{world.enterprise.pk}/）"
    ]


def test_a_registered_code_typed_in_lower_case_and_full_width_is_still_a_duplicate(world):
    typed = world.enterprise.uscc.lower().translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})
    with pytest.raises(ValidationError) as refused:
        create_enterprise(world.owner, org=world.zone, name="另一家公司", uscc=typed)
    assert "山西强伟纸业有限公司" in messages_of(refused, "uscc")[0]


def test_a_duplicate_name_in_the_same_zone_is_refused(world):
    with pytest.raises(ValidationError) as refused:
        create_enterprise(world.owner, org=world.zone, name=" 山西强伟纸业有限公司", uscc=NEW_USCC)
    assert messages_of(refused, "name") == [
        "“寿阳经济技术开发区”已有名为“山西强伟纸业有限公司”"
        f"（/enterprises/{world.enterprise.pk}/）的企业"
    ]


def test_the_same_name_in_another_zone_is_allowed(world):
    e = create_enterprise(
        world.outsider, org=world.other_zone, name="山西强伟纸业有限公司", uscc=NEW_USCC
    )
    assert e.org == world.other_zone


def test_a_refused_registration_leaves_no_event(world):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError):
        create_enterprise(
            world.owner, org=world.zone, name="另一家公司", uscc=world.enterprise.uscc
        )
    assert AuditEvent.objects.count() == before


# --- who may register ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["unit_user", "enterprise_user", "outsider", "viewer"])
def test_who_is_not_an_editor_of_zone_a_cannot_register_there(world, who):
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        create_enterprise(
            getattr(world, who), org=world.zone, name="山西美锦钢铁有限公司", uscc=NEW_USCC
        )
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("who, where", [("owner", "zone"), ("member", "zone"), ("member", "park")])
def test_the_zones_admin_and_officer_may_register_in_the_zone_and_beneath(world, who, where):
    e = create_enterprise(
        getattr(world, who), org=getattr(world, where), name="山西美锦钢铁有限公司", uscc=NEW_USCC
    )
    assert Enterprise.objects.filter(pk=e.pk).exists()


def test_permission_is_checked_before_the_input_so_nothing_leaks(world):
    """An outsider probing another zone with a registered code learns nothing about it."""
    with pytest.raises(PermissionDenied):
        create_enterprise(world.outsider, org=world.zone, name="x", uscc=world.enterprise.uscc)


# --- who sees which enterprises --------------------------------------------------------------

OWN = "山西强伟纸业有限公司"
OTHER = "山西亮拓精密铸造有限公司"
SEES = [
    ("owner", {OWN}),
    ("member", {OWN}),
    ("unit_user", {OWN}),
    ("outsider", {OTHER}),
    ("viewer", {OWN, OTHER}),
    ("enterprise_user", {OWN}),
]


@pytest.mark.parametrize("who, names", [s for s in SEES if s[0] != "enterprise_user"])
def test_the_list_page_shows_the_enterprises_in_scope(world, client_for, who, names):
    response = client_for(getattr(world, who)).get("/enterprises/")
    assert response.status_code == 200
    assert {e.name for e in response.context["enterprises"]} == names
    html = response.content.decode()
    for name in {OWN, OTHER}:
        assert (name in html) == (name in names)


@pytest.mark.parametrize("who, names", SEES)
def test_the_detail_page_opens_only_for_enterprises_in_scope(world, client_for, who, names):
    client = client_for(getattr(world, who))
    for e in (world.enterprise, world.other_enterprise):
        response = client.get(f"/enterprises/{e.pk}/")
        assert response.status_code == (200 if e.name in names else 404)
        if response.status_code == 200:
            assert e.uscc in response.content.decode()


@pytest.mark.parametrize("who, names", SEES)
def test_the_api_list_returns_the_enterprises_in_scope(world, who, names):
    response = api_client(getattr(world, who)).get("/api/v1/enterprises")
    assert response.status_code == 200
    body = response.json()
    assert {e["name"] for e in body["items"]} == names
    assert body["count"] == len(names)


@pytest.mark.parametrize("who, names", SEES)
def test_the_api_detail_answers_only_for_enterprises_in_scope(world, who, names):
    client = api_client(getattr(world, who))
    for e in (world.enterprise, world.other_enterprise):
        response = client.get(f"/api/v1/enterprises/{e.pk}")
        if e.name in names:
            assert response.status_code == 200
            assert response.json()["uscc"] == e.uscc
        else:
            assert response.status_code == 404
            assert response.json() == {"detail": "记录不存在或无权查看"}


def test_an_enterprise_contact_is_taken_from_the_list_to_its_own_page(world, client_for):
    for i in range(3):
        create_enterprise(None, org=world.zone, name=f"邻居公司{i}", uscc=make_uscc(f"邻居{i}"))
    response = client_for(world.enterprise_user).get("/enterprises/", follow=True)
    assert response.redirect_chain == [(f"/enterprises/{world.enterprise.pk}/", 302)]
    assert response.context["e"] == world.enterprise
    assert "邻居公司" not in response.content.decode()


def test_the_list_search_matches_name_short_name_and_code(world, client_for):
    client = client_for(world.viewer)
    by_name = client.get("/enterprises/", {"q": "亮拓"}).context["enterprises"]
    by_code = client.get("/enterprises/", {"q": world.enterprise.uscc[-6:]}).context["enterprises"]
    assert [e.name for e in by_name] == [OTHER]
    assert [e.name for e in by_code] == [OWN]


def test_the_list_search_never_widens_the_scope(world, client_for):
    response = client_for(world.owner).get("/enterprises/", {"q": "亮拓"})
    assert list(response.context["enterprises"]) == []


def test_pages_need_a_login(world, client):
    for url in ("/enterprises/", f"/enterprises/{world.enterprise.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login/")


# --- query counts -------------------------------------------------------------------------


def add_enterprises(org, n, region="140725"):
    for i in range(n):
        create_enterprise(
            None, org=org, name=f"批量企业{org.pk}-{i}", uscc=make_uscc(f"批量{org.pk}-{i}", region)
        )


def test_the_list_page_query_count_does_not_grow_with_enterprises(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.viewer)
    client.get("/enterprises/")

    # session, user, roles, chains of enterprises and of projects, parks, zones, count, page
    with django_assert_max_num_queries(10) as few:
        client.get("/enterprises/")
    add_enterprises(world.zone, 15)
    add_enterprises(world.park, 15)
    with django_assert_max_num_queries(10) as many:
        response = client.get("/enterprises/")

    assert len(response.context["enterprises"]) == 32
    assert len(many) == len(few)


def test_the_detail_page_has_a_bounded_query_count(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.member)
    url = f"/enterprises/{world.enterprise.pk}/"
    client.get(url)
    # session, user, roles, the enterprise, then one query per section
    with django_assert_max_num_queries(11):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "who, names", [("owner", [OWN]), ("outsider", [OTHER]), ("viewer", [OTHER, OWN])]
)
def test_the_export_holds_the_enterprises_in_scope_only(world, client_for, who, names):
    from .conftest import read_xlsx

    rows = read_xlsx(client_for(getattr(world, who)).get("/enterprises/export.xlsx").content)
    assert sorted(r[1] for r in rows[2:]) == sorted(names)


def test_the_export_masks_contacts_as_the_page_does(world, client_for):
    from zonedesk.enterprises.services import add_contact

    from .conftest import read_xlsx

    add_contact(None, world.enterprise, name="王建军", phone="13835400101", is_primary=True)
    for who, phone in (("owner", "13835400101"), ("viewer", "138****0101")):
        rows = read_xlsx(client_for(getattr(world, who)).get("/enterprises/export.xlsx").content)
        row = next(r for r in rows[2:] if r[1] == OWN)
        assert row[rows[1].index("联系电话")] == phone
