"""Fixtures and helpers for the projects tests.

`clock` (zonedesk/conftest.py) pins `timezone.localdate()` — the only notion of "today" the
project services and selectors use — to TODAY, so late marking, future-date checks and
deadlines are deterministic.
"""

import itertools
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType

from zonedesk.audit.models import AuditEvent
from zonedesk.conftest import TODAY, make_user  # noqa: F401 - tests import TODAY here
from zonedesk.orgs.models import Role
from zonedesk.projects import services
from zonedesk.projects.models import Project

_names = itertools.count(1)


@pytest.fixture
def leader(world):
    return make_user("leader", world.zone, Role.Name.LEADER)


@pytest.fixture
def statistician(world):
    return make_user("tongji", world.zone, Role.Name.STATISTICIAN)


@pytest.fixture
def other_officer(world):
    """An officer of the same zone who belongs to no task force."""
    return make_user("officer2", world.zone, Role.Name.OFFICER)


def make_project(world, actor=None, **fields):
    """A project of zone A in the world's task force, created through the service."""
    data = {
        "org": world.zone,
        "name": f"测试项目{next(_names)}",
        "category": Project.Category.INDUSTRY,
        "nature": Project.Nature.NEW,
        "total_investment": Decimal("10000"),
        "team": world.team,
    }
    data.update(fields)
    return services.create_project(actor, **data)


def start(project, on, signed_on=None):
    """reserve → signed → started through change_stage (dates must not be in the future)."""
    services.change_stage(None, project, "signed", on=signed_on or on)
    services.change_stage(None, project, "started", on=on)
    return project


def fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


def refused(exc_info, field):
    """The messages of a ValidationError for `field`, failing if another field is named."""
    errors = exc_info.value.message_dict
    assert field in errors, errors
    return " ".join(errors[field])


def events(action=None, obj=None):
    qs = AuditEvent.objects.order_by("id")
    if action is not None:
        qs = qs.filter(action=action)
    if obj is not None:
        qs = qs.filter(
            target_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
            target_id=str(obj.pk),
        )
    return list(qs)


@pytest.fixture
def new_events():
    """The events written after this fixture was set up, oldest first."""
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return lambda: list(AuditEvent.objects.filter(id__gt=last).order_by("id"))
