"""Each demo login's home page is that person's work: the cards of their role and no other's,
each item a link to its record, within the role's scope; the page's queries stay bounded when
the demo's projects, blockers, appeals and leads are multiplied by ten."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from zonedesk.appeals.models import Appeal
from zonedesk.leads.models import Lead
from zonedesk.orgs.models import User
from zonedesk.projects.models import Project, YearPlan
from zonedesk.supervision.models import Blocker

pytestmark = pytest.mark.django_db

# The cards (section ids) each demo login's home shows, and a link each must hold.
CARDS = {
    "admin": ({"home-worker", "home-events"}, r'href="/audit/'),
    "leader": (
        {
            "home-key-figures",
            "home-warnings",
            "home-late-reports",
            "home-overdue-blockers",
            "home-near-appeals",
        },
        r'href="/projects/\d+/"',
    ),
    "officer": (
        {"home-my-warnings", "home-reports-due", "home-my-blockers", "home-teams"},
        r'href="/supervision/\d+/"',
    ),
    "promoter": ({"home-next-steps", "home-signings", "home-teams"}, r'href="/leads/\d+/"'),
    "unit": ({"home-unit-blockers", "home-unit-appeals"}, r'href="/appeals/\d+/"'),
    "stats": ({"home-periods"}, r'href="/projects/lock/"'),
    "viewer": ({"home-zones"}, r'href="/projects/\?org=\d+"'),
    "enterprise": ({"home-own-appeals", "home-own-enterprise"}, r'href="/appeals/\d+/"'),
}
# Queries of each home page, with the demo's data and with ten times as much (a full card
# adds the one count of all its rows; the indicators' card one for statisticians and admins).
BOUNDS = {
    "admin": 13,
    "leader": 14,
    "officer": 9,
    "promoter": 8,
    "unit": 8,
    "stats": 9,
    "viewer": 6,
    "enterprise": 5,
}


@pytest.fixture
def demo():
    call_command("demo", stdout=io.StringIO())


def home(username):
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.get("/")  # the first request of a session loads what every later one reuses
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def cards(html):
    return set(re.findall(r'<section class="card" id="(home-[a-z-]+)"', html))


def test_each_role_sees_its_own_cards_each_with_links_to_its_records(demo):
    for username, (expected, link) in CARDS.items():
        html, _queries = home(username)
        assert cards(html) == expected, username
        assert re.search(link, html), username


def test_the_leader_sees_why_each_warned_project_is_red_or_yellow(demo):
    html, _queries = home("leader")
    card = html.split('id="home-warnings"')[1].split("</section>")[0]
    assert "红灯" in card and "黄灯" in card
    assert re.search(r"投资完成率[\d.]+%，落后时序进度|计划\d+月开工，截至\d+月底未开工", card)


def test_a_unit_sees_days_left_on_what_it_must_answer(demo):
    html, _queries = home("unit")
    for card in ("home-unit-blockers", "home-unit-appeals"):
        part = html.split(f'id="{card}"')[1].split("</section>")[0]
        assert re.search(r"剩 \d+ 天|逾期 \d+ 天|今天到期", part), card


def test_a_leader_of_another_zone_sees_none_of_shouyang(demo):
    html, _queries = home("taigu")
    assert "寿阳" not in html.split("<main>")[1].split("</section>", 1)[1]


def multiply(times):
    """Copies of every project (with its year plans), blocker, appeal and lead, so that each
    is there `times` times over."""
    for project in Project.objects.prefetch_related("year_plans"):
        plans = list(project.year_plans.all())
        name = project.name
        for i in range(times - 1):
            project.pk, project.project_code, project.name = None, "", f"{name}（{i}）"
            project._state.adding = True
            project.save()
            YearPlan.objects.bulk_create(
                YearPlan(**_fields(p, "project"), project=project) for p in plans
            )
    for model, blank in ((Blocker, {}), (Appeal, {"blocker": None}), (Lead, {"project": None})):
        rows = list(model.objects.all())
        model.objects.bulk_create(
            model(**_fields(row, *blank), **blank) for row in rows for _i in range(times - 1)
        )


def _fields(row, *leave_out):
    """The row's column values but its key and the fields `leave_out` names."""
    return {
        f.attname: getattr(row, f.attname)
        for f in row._meta.concrete_fields
        if not f.primary_key and f.name not in leave_out
    }


def test_home_queries_stay_bounded_with_ten_times_the_data(demo):
    before = {username: home(username)[1] for username in BOUNDS}
    multiply(10)
    assert Blocker.objects.count() >= 50 and Project.objects.count() >= 200
    after = {username: home(username)[1] for username in BOUNDS}
    print("home queries, demo and ×10:", before, after)
    for username, bound in BOUNDS.items():
        assert before[username] <= bound and after[username] <= bound, (username, before, after)
