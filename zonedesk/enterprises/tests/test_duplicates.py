"""Duplicates by 统一社会信用代码 or by name within the zone are refused, on create, update,
the pages and the API, with a pointer (name and address) to the record already registered —
but never pointing into a zone the user cannot read."""

import pytest
from django.core.exceptions import ValidationError

from zonedesk.catalog.validators import make_uscc
from zonedesk.enterprises.models import Enterprise
from zonedesk.enterprises.services import create_enterprise, update_enterprise

NEW_USCC = make_uscc("美锦", "140725")


def url_of(e):
    return f"/enterprises/{e.pk}/"


def test_a_duplicate_code_on_create_points_to_the_holder(world):
    with pytest.raises(ValidationError) as refused:
        create_enterprise(world.member, org=world.zone, name="新公司", uscc=world.enterprise.uscc)
    [message] = refused.value.message_dict["uscc"]
    assert "山西强伟纸业有限公司" in message and url_of(world.enterprise) in message


def test_a_duplicate_name_in_a_park_of_the_zone_points_to_the_zones_enterprise(world):
    """Names are unique within the whole zone, its parks included."""
    with pytest.raises(ValidationError) as refused:
        create_enterprise(world.member, org=world.park, name="山西强伟纸业有限公司", uscc=NEW_USCC)
    [message] = refused.value.message_dict["name"]
    assert url_of(world.enterprise) in message and "寿阳经济技术开发区" in message
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()


def test_renaming_to_a_name_taken_in_the_zone_is_refused_with_a_pointer(world):
    other = create_enterprise(None, org=world.zone, name="山西美锦钢铁有限公司", uscc=NEW_USCC)
    with pytest.raises(ValidationError) as refused:
        update_enterprise(world.owner, other, {"name": "山西强伟纸业有限公司"})
    assert url_of(world.enterprise) in refused.value.message_dict["name"][0]
    other.refresh_from_db()
    assert (other.name, other.version) == ("山西美锦钢铁有限公司", 1)


def test_changing_the_code_to_one_registered_is_refused_with_a_pointer(world):
    other = create_enterprise(None, org=world.zone, name="山西美锦钢铁有限公司", uscc=NEW_USCC)
    with pytest.raises(ValidationError) as refused:
        update_enterprise(world.owner, other, {"uscc": world.enterprise.uscc})
    assert url_of(world.enterprise) in refused.value.message_dict["uscc"][0]


def test_saving_an_enterprise_unchanged_is_not_a_duplicate_of_itself(world):
    update_enterprise(world.owner, world.enterprise, {"legal_rep": "张三"})
    world.enterprise.refresh_from_db()
    assert world.enterprise.legal_rep == "张三"


def test_a_code_registered_in_another_zone_is_refused_without_naming_it(world):
    with pytest.raises(ValidationError) as refused:
        create_enterprise(
            world.owner, org=world.zone, name="新公司", uscc=world.other_enterprise.uscc
        )
    [message] = refused.value.message_dict["uscc"]
    assert message == "该统一社会信用代码已在其他组织登记"
    assert "亮拓" not in message and url_of(world.other_enterprise) not in message


def test_the_create_page_shows_the_refusal_with_a_link_to_the_existing_record(world, client_for):
    response = client_for(world.member).post(
        "/enterprises/new/", {"name": "山西强伟纸业有限公司", "uscc": NEW_USCC}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="{url_of(world.enterprise)}">山西强伟纸业有限公司</a>' in html
    assert not Enterprise.objects.filter(uscc=NEW_USCC).exists()


def test_the_edit_page_shows_the_refusal_with_a_link(world, client_for):
    other = create_enterprise(None, org=world.zone, name="山西美锦钢铁有限公司", uscc=NEW_USCC)
    response = client_for(world.owner).post(
        f"/enterprises/{other.pk}/edit/",
        {"name": "山西美锦钢铁有限公司", "uscc": world.enterprise.uscc, "version": 1},
    )
    html = response.content.decode()
    assert f'<a href="{url_of(world.enterprise)}">' in html
    assert Enterprise.objects.get(pk=other.pk).uscc == NEW_USCC


def test_the_create_page_registers_a_new_enterprise(world, client_for):
    response = client_for(world.member).post(
        "/enterprises/new/",
        {
            "name": "山西美锦钢铁有限公司",
            "uscc": NEW_USCC,
            "chain": "钢铁",
            "park": world.park.pk,
            "registered_capital": "5000.50",
        },
    )
    e = Enterprise.objects.get(uscc=NEW_USCC)
    assert response.status_code == 302 and response["Location"] == url_of(e)
    assert (e.chain, e.park, str(e.registered_capital)) == ("钢铁", world.park, "5000.50")


def test_the_api_refuses_a_duplicate_with_400_and_a_pointer(world, api_for):
    response = api_for(world.owner).post(
        "/api/v1/enterprises",
        {"org_id": world.zone.pk, "name": "新公司", "uscc": world.enterprise.uscc},
        content_type="application/json",
    )
    assert response.status_code == 400
    body = response.json()
    assert url_of(world.enterprise) in body["detail"]
    assert "山西强伟纸业有限公司" in body["errors"]["uscc"][0]


def test_the_api_refuses_a_rename_to_a_taken_name_with_a_pointer(world, api_for):
    other = create_enterprise(None, org=world.zone, name="山西美锦钢铁有限公司", uscc=NEW_USCC)
    response = api_for(world.owner).patch(
        f"/api/v1/enterprises/{other.pk}",
        {"version": 1, "name": "山西强伟纸业有限公司"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert url_of(world.enterprise) in response.json()["errors"]["name"][0]


def test_a_stale_edit_is_refused_with_the_difference_shown(world, client_for):
    client = client_for(world.owner)
    url = f"/enterprises/{world.enterprise.pk}/edit/"
    base = {"name": world.enterprise.name, "uscc": world.enterprise.uscc, "version": 1}
    assert client.post(url, base | {"chain": "造纸"}).status_code == 302
    response = client.post(url, base | {"chain": "包装"})
    html = response.content.decode()
    assert response.status_code == 200 and "他人已保存的内容与您提交的不同" in html
    assert Enterprise.objects.get(pk=world.enterprise.pk).chain == "造纸"
