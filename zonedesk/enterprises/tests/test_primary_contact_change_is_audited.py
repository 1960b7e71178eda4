"""When a contact becomes primary, the contact it replaces is demoted with its own audit event,
and a contact refused by the checks demotes nobody."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.enterprises.models import Contact
from zonedesk.enterprises.services import add_contact, update_contact


def history(contact):
    """The actions and changes recorded on one contact, oldest first."""
    return [
        (e.action, e.changes)
        for e in AuditEvent.objects.filter(
            target_type=ContentType.objects.get_for_model(Contact), target_id=str(contact.pk)
        ).order_by("id")
    ]


@pytest.fixture
def wang(world):
    return add_contact(None, world.enterprise, name="王建军", phone="13835400101", is_primary=True)


def test_a_new_primary_contact_demotes_the_old_one_with_an_event(world, wang):
    li = add_contact(
        world.enterprise_user, world.enterprise, name="李娜", phone="13835400102", is_primary=True
    )
    wang.refresh_from_db()
    assert (wang.is_primary, li.is_primary) == (False, True)
    assert wang.version == 2
    assert history(wang)[-1] == ("contact.demote", {"is_primary": [True, False]})
    demoted = AuditEvent.objects.get(action="contact.demote")
    assert (demoted.actor, demoted.org) == (world.enterprise_user, world.zone)


def test_making_an_existing_contact_primary_demotes_the_old_one_with_an_event(world, wang):
    li = add_contact(None, world.enterprise, name="李娜", phone="13835400102")
    update_contact(world.owner, li, {"is_primary": True}, expected_version=li.version)
    wang.refresh_from_db()
    assert {c.name: c.is_primary for c in Contact.objects.all()} == {"王建军": False, "李娜": True}
    assert history(wang)[-1] == ("contact.demote", {"is_primary": [True, False]})
    assert history(li)[-1] == ("contact.update", {"is_primary": [False, True]})
    assert AuditEvent.objects.get(action="contact.demote").actor == world.owner


def test_saving_the_primary_contact_again_demotes_nobody(world, wang):
    update_contact(None, wang, {"title": "总经理"}, expected_version=wang.version)
    assert not AuditEvent.objects.filter(action="contact.demote").exists()
    assert Contact.objects.get(pk=wang.pk).is_primary is True


def test_a_refused_primary_contact_leaves_the_old_one_primary(world, wang):
    with pytest.raises(ValidationError) as refused:
        add_contact(None, world.enterprise, name="李" * 51, phone="13835400102", is_primary=True)
    assert list(refused.value.message_dict) == ["name"]
    wang.refresh_from_db()
    assert (wang.is_primary, wang.version) == (True, 1)
    assert not AuditEvent.objects.filter(action="contact.demote").exists()
