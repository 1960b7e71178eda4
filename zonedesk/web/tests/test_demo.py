"""`zonedesk demo`: the tree down to three zones, enterprises from the corpus, a user per role."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from zonedesk.audit.models import AuditEvent
from zonedesk.catalog.validators import validate_uscc
from zonedesk.demo.management.commands.demo import PASSWORD
from zonedesk.enterprises.models import Enterprise
from zonedesk.orgs.models import Org, Role, Team, Unit, User


def counts():
    return [m.objects.count() for m in (Org, Unit, Team, User, Role, Enterprise, AuditEvent)]


@pytest.mark.django_db
def test_demo_loads_the_shouyang_tree_and_is_safe_to_run_again():
    out = io.StringIO()
    call_command("demo", stdout=out)
    first = counts()
    call_command("demo", stdout=io.StringIO())
    assert counts() == first
    zone = Org.objects.get(name="寿阳经济技术开发区")
    assert [o.name for o in Org.objects.filter(pk__in=zone.path.strip("/").split("/"))] == [
        "山西省",
        "晋中市",
        "寿阳县",
        "寿阳经济技术开发区",
    ]
    assert Org.objects.filter(kind=Org.Kind.ZONE).count() >= 3
    assert zone.children.filter(kind=Org.Kind.PARK).exists()
    names = set(Enterprise.objects.values_list("short_name", flat=True))
    assert {"强伟纸业", "奥泰科技", "精达丰科技"} <= names
    for e in Enterprise.objects.all():
        assert validate_uscc(e.uscc) == e.uscc
    assert set(Role.objects.values_list("role", flat=True)) == set(Role.Name.values)
    for role in Role.Name.values:
        assert role in out.getvalue()


@pytest.mark.django_db
def test_every_demo_login_reaches_its_home_page():
    call_command("demo", stdout=io.StringIO())
    for user in User.objects.all():
        client = Client()
        response = client.post("/login/", {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302, user.username
        home = client.get("/")
        assert user.name in home.content.decode()
