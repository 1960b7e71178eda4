"""Enterprise contacts: phones and e-mails masked for readers without rights to them (pages
and API), kept by staff editing the zone and by the enterprise itself, one primary."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.enterprises.models import Contact
from zonedesk.enterprises.services import add_contact, remove_contact, update_contact

PHONE, MASKED = "13835400101", "138****0101"


@pytest.mark.parametrize(
    "who, readable",
    [
        ("owner", True),
        ("member", True),
        ("enterprise_user", True),
        ("viewer", False),
        ("unit_user", False),
    ],
)
def test_the_page_masks_contacts_for_readers_without_rights(
    world, client_for, registry, who, readable
):
    html = (
        client_for(getattr(world, who)).get(f"/enterprises/{world.enterprise.pk}/").content.decode()
    )
    assert (PHONE in html) == readable
    assert (MASKED in html) == (not readable)
    assert ("wangjj@qiangwei.example" in html) == readable
    assert ("王建军" in html) == readable


@pytest.mark.parametrize(
    "who, readable", [("owner", True), ("enterprise_user", True), ("viewer", False)]
)
def test_the_api_masks_contacts_alike(world, api_for, registry, who, readable):
    body = api_for(getattr(world, who)).get(f"/api/v1/enterprises/{world.enterprise.pk}").json()
    [contact] = body["contacts"]
    assert contact["phone"] == (PHONE if readable else MASKED)


def test_masking_never_writes_to_the_database(world, client_for, registry):
    client_for(world.viewer).get(f"/enterprises/{world.enterprise.pk}/")
    assert Contact.objects.get(pk=registry.contact.pk).phone == PHONE


def test_the_enterprise_keeps_its_own_contacts_through_its_page(world, client_for, registry):
    client = client_for(world.enterprise_user)
    response = client.post(
        f"/enterprises/{world.enterprise.pk}/contacts/new/",
        {"name": "李娜", "title": "办公室主任", "phone": "13835400102", "is_primary": "on"},
    )
    assert response.status_code == 302
    contacts = {c.name: c.is_primary for c in Contact.objects.filter(enterprise=world.enterprise)}
    assert contacts == {"王建军": False, "李娜": True}  # one primary: the new one took over
    event = AuditEvent.objects.get(action="contact.create", target_repr="李娜")
    assert event.actor == world.enterprise_user


def test_another_enterprise_or_zone_cannot_touch_the_contacts(world, client_for, registry):
    url = f"/enterprises/{world.enterprise.pk}/contacts/{registry.contact.pk}/"
    assert client_for(world.outsider).get(url).status_code == 404
    assert client_for(world.viewer).get(url).status_code == 403
    assert client_for(world.unit_user).post(url + "remove/").status_code == 403
    with pytest.raises(PermissionDenied):
        add_contact(world.viewer, world.enterprise, name="x", phone="1")


def test_a_contact_needs_a_name_and_a_way_to_reach_them(world):
    with pytest.raises(ValidationError) as refused:
        add_contact(None, world.enterprise, name="王五")
    assert "phone" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        add_contact(None, world.enterprise, name="王五", email="not-an-address")
    assert refused.value.message_dict["email"] == ["电子邮箱格式不正确"]


def test_update_and_remove_are_audited(world, registry):
    update_contact(world.owner, registry.contact, {"title": "董事长"}, expected_version=1)
    remove_contact(world.enterprise_user, registry.contact)
    actions = list(
        AuditEvent.objects.filter(action__startswith="contact.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["contact.create", "contact.remove", "contact.update"]
    assert not Contact.objects.filter(pk=registry.contact.pk).exists()
