"""Every page of leads/urls.py: who gets 200, 403, 404 or the login page; the forms driven
through the pages (duplicate then 确认不是重复, advance, sign, drop, visits, targets); past-due
next steps standing out; the 在谈 column of the 四库 board; bounded queries."""

import datetime
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zonedesk.leads import services
from zonedesk.leads.models import Lead, TeamTarget, Visit
from zonedesk.projects.models import Project

from .conftest import TODAY, YEAR, fresh, make_lead

# name → (method, kwargs builder); kwargs from the `leads` fixture
PAGES = {
    "list": ("get", lambda ls: {}),
    "export": ("get", lambda ls: {}),
    "create": ("get", lambda ls: {}),
    "leaderboard": ("get", lambda ls: {}),
    "funnel": ("get", lambda ls: {}),
    "leaderboard_export": ("get", lambda ls: {}),
    "funnel_export": ("get", lambda ls: {}),
    "visit_create": ("get", lambda ls: {}),
    "team": ("get", lambda ls: {"pk": ls.paper.team_id}),
    "detail": ("get", lambda ls: {"pk": ls.paper.pk}),
    "edit": ("get", lambda ls: {"pk": ls.paper.pk}),
    "advance": ("post", lambda ls: {"pk": ls.paper.pk}),
    "sign": ("post", lambda ls: {"pk": ls.paper.pk}),
    "drop": ("post", lambda ls: {"pk": ls.paper.pk}),
}
# What each page's form would send; the role checks come before it is read.
POSTED = {"amount": "100", "on": "2025-08-01", "reason": "企业变卦"}


def url_of(name, leads):
    return reverse(f"leads:{name}", kwargs=PAGES[name][1](leads))


def call(client, name, leads):
    method = PAGES[name][0]
    url = url_of(name, leads)
    return client.post(url, POSTED) if method == "post" else client.get(url)


def test_every_url_of_the_app_is_covered():
    from zonedesk.leads.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(PAGES)


# --- allowed, refused, elsewhere, anonymous -----------------------------------------------

# page → the role that may use it (a zone-A user)
ALLOWED = {
    "list": "member",
    "export": "member",
    "create": "promoter",
    "leaderboard": "viewer",
    "funnel": "viewer",
    "leaderboard_export": "viewer",
    "funnel_export": "viewer",
    "visit_create": "promoter",
    "team": "member",
    "detail": "viewer",
    "edit": "promoter",
    "advance": "promoter",
    "sign": "promoter",
    "drop": "promoter",
}
# page → a zone-A role that may not
REFUSED = {
    "list": "unit_user",
    "export": "enterprise_user",
    "create": "member",
    "leaderboard": "unit_user",
    "funnel": "enterprise_user",
    "leaderboard_export": "unit_user",
    "funnel_export": "enterprise_user",
    "visit_create": "member",
    "team": "unit_user",
    "detail": "enterprise_user",
    "edit": "member",
    "advance": "viewer",
    "sign": "member",
    "drop": "promoter2",
}


def user(world, request, who):
    if who in ("promoter", "promoter2", "leader"):
        return request.getfixturevalue(who)
    return getattr(world, who)


@pytest.mark.parametrize("name", list(PAGES))
def test_the_allowed_role_gets_the_page(world, leads, client_for, request, name):
    response = call(client_for(user(world, request, ALLOWED[name])), name, leads)

    expected = 302 if PAGES[name][0] == "post" else 200
    assert response.status_code == expected, response.content[:300]
    if PAGES[name][0] == "post":
        assert response["Location"] == reverse("leads:detail", args=[leads.paper.pk])


@pytest.mark.parametrize("name", list(PAGES))
def test_a_role_without_business_there_gets_403(world, leads, client_for, request, name):
    response = call(client_for(user(world, request, REFUSED[name])), name, leads)

    assert response.status_code == 403
    stored = fresh(leads.paper)
    assert (stored.stage, stored.version) == (Lead.Stage.NEGOTIATING, 3)


@pytest.mark.parametrize("name", ["team", "detail", "edit", "advance", "sign", "drop"])
def test_another_zone_gets_404(world, leads, client_for, name):
    assert call(client_for(world.outsider), name, leads).status_code == 404
    assert not Project.objects.exists()


@pytest.mark.parametrize("name", list(PAGES))
def test_anonymous_visitors_are_sent_to_login(world, leads, name):
    response = call(Client(), name, leads)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={quote(url_of(name, leads))}"
    assert fresh(leads.paper).stage == Lead.Stage.NEGOTIATING


@pytest.mark.parametrize("name", ["advance", "sign", "drop"])
def test_the_stage_actions_answer_post_only(world, leads, client_for, promoter, name):
    assert client_for(promoter).get(url_of(name, leads)).status_code == 405


def test_a_task_force_has_no_investment_team_page(world, leads, client_for):
    assert (
        client_for(world.owner).get(reverse("leads:team", args=[world.team.pk])).status_code == 404
    )


def test_another_zone_registers_only_in_its_own_zone(world, leads, client_for):
    client = client_for(world.outsider)

    page = client.get(reverse("leads:create"), {"org": world.zone.pk}).content.decode()
    assert "太谷经济技术开发区" in page and "寿阳经济技术开发区" not in page
    response = client.post(
        reverse("leads:create") + f"?org={world.zone.pk}",
        {
            "org": world.zone.pk,
            "name": "越界项目",
            "investor": "某某创投",
            "estimated_investment": "1",
            "source": "other",
            "team": leads.paper.team_id,
            "next_step": "x",
            "next_step_on": "2025-09-01",
        },
    )
    assert response.status_code == 200
    assert not Lead.objects.filter(name="越界项目").exists()


# --- registering through the page ---------------------------------------------------------


def form_data(team, **over):
    return {
        "name": "强伟生活用纸加工项目二期",
        "investor": "强伟纸业",
        "origin": "山西",
        "estimated_investment": "176400",
        "source": "by_business",
        "team": team.pk,
        "land_need": "约150亩",
        "contact_name": "王经理",
        "contact_phone": "13835400001",
        "next_step": "洽谈投资协议",
        "next_step_on": "2025-09-01",
    } | over


def test_a_look_alike_is_flagged_then_saved_once_confirmed(
    world, clock, paper, promoter, client_for
):
    client = client_for(promoter)
    url = reverse("leads:create")

    first = client.post(url, form_data(paper))
    assert first.status_code == 200
    text = first.content.decode()
    assert "疑似重复" in text and "山西强伟纸业有限公司" in text
    assert 'name="confirmed"' in text
    assert not Lead.objects.exists()

    second = client.post(url, form_data(paper, confirmed="on"))
    lead = Lead.objects.get()
    assert second.status_code == 302
    assert second["Location"] == reverse("leads:detail", args=[lead.pk])
    assert (lead.investor, lead.team, lead.created_on) == ("强伟纸业", paper, TODAY)


def test_an_unrelated_investor_is_saved_without_confirmation(
    world, clock, paper, promoter, client_for
):
    response = client_for(promoter).post(
        reverse("leads:create"), form_data(paper, investor="北京丰越供应链管理有限公司")
    )

    assert response.status_code == 302
    assert Lead.objects.get().investor == "北京丰越供应链管理有限公司"


def test_the_form_refuses_a_lead_without_a_dated_next_step(
    world, clock, paper, promoter, client_for
):
    response = client_for(promoter).post(
        reverse("leads:create"), form_data(paper, next_step_on="", confirmed="on")
    )

    assert response.status_code == 200
    assert "next_step_on" in response.context["form"].errors
    assert not Lead.objects.exists()


def test_an_edit_with_a_stale_version_shows_the_conflict(world, leads, promoter, client_for):
    client = client_for(promoter)
    url = reverse("leads:edit", args=[leads.paper.pk])
    data = form_data(
        fresh(leads.paper).team,
        name=leads.paper.name,
        investor=leads.paper.investor,
        version=3,
    )
    assert client.post(url, data | {"note": "先到"}).status_code == 302

    response = client.post(url, data | {"note": "后到"})

    assert response.status_code == 200
    assert response.context["form"].conflict.changes["note"] == ("后到", "先到")
    assert fresh(leads.paper).note == "先到"


# --- advance, sign, drop through the detail page ------------------------------------------


def test_the_detail_page_offers_the_stage_forms_to_the_team(world, leads, promoter, client_for):
    text = client_for(promoter).get(reverse("leads:detail", args=[leads.paper.pk])).content.decode()

    for action in ("sign", "drop"):
        assert reverse(f"leads:{action}", args=[leads.paper.pk]) in text
    assert 'name="amount"' in text and 'name="reason"' in text


def test_the_detail_page_offers_no_stage_forms_to_readers(world, leads, client_for):
    text = (
        client_for(world.member)
        .get(reverse("leads:detail", args=[leads.paper.pk]))
        .content.decode()
    )

    for action in ("advance", "sign", "drop", "edit"):
        assert reverse(f"leads:{action}", args=[leads.paper.pk]) not in text


def test_advancing_through_the_page(world, clock, paper, promoter, client_for):
    lead = make_lead(paper, created_on=datetime.date(YEAR, 1, 10))

    response = client_for(promoter).post(
        reverse("leads:advance", args=[lead.pk]),
        {
            "stage": "contacting",
            "on": "2025-02-01",
            "next_step": "上门拜访",
            "next_step_on": "2025-09-10",
        },
        follow=True,
    )

    assert "线索已推进" in response.content.decode()
    stored = fresh(lead)
    assert (stored.stage, stored.contacting_on, stored.next_step) == (
        Lead.Stage.CONTACTING,
        datetime.date(2025, 2, 1),
        "上门拜访",
    )


def test_signing_through_the_page_once_and_only_once(world, leads, promoter, client_for):
    client = client_for(promoter)
    url = reverse("leads:sign", args=[leads.paper.pk])

    first = client.post(url, {"amount": "270000", "on": "2025-04-18"}, follow=True)
    assert "已签约，并已在项目库登记为签约项目" in first.content.decode()
    project = Project.objects.get()
    assert (project.total_investment, project.stage) == (Decimal("270000"), Project.Stage.SIGNED)
    assert reverse("projects:detail", args=[project.pk]) in first.content.decode()

    second = client.post(url, {"amount": "1", "on": "2025-08-01"}, follow=True)
    assert "该线索已签约，不能重复签约" in second.content.decode()
    assert Project.objects.count() == 1
    assert fresh(leads.paper).signed_amount == Decimal("270000")


@pytest.mark.parametrize(
    "data",
    [{"on": "2025-08-01"}, {"amount": "100"}, {"amount": "100", "on": "2025-08-16"}],
    ids=["no-amount", "no-date", "future"],
)
def test_the_sign_form_asks_amount_and_date(world, leads, promoter, client_for, data):
    response = client_for(promoter).post(
        reverse("leads:sign", args=[leads.paper.pk]), data, follow=True
    )

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Project.objects.exists()
    assert fresh(leads.paper).stage == Lead.Stage.NEGOTIATING


def test_dropping_through_the_page_needs_and_keeps_the_reason(world, leads, promoter, client_for):
    client = client_for(promoter)
    url = reverse("leads:drop", args=[leads.paper.pk])

    refused = client.post(url, {"reason": ""}, follow=True)
    assert [m.level_tag for m in refused.context["messages"]] == ["error"]
    assert fresh(leads.paper).stage == Lead.Stage.NEGOTIATING

    done = client.post(url, {"reason": "企业投资计划调整，暂缓落地"}, follow=True)
    assert "线索已放弃" in done.content.decode()
    assert "企业投资计划调整，暂缓落地" in done.content.decode()
    assert fresh(leads.paper).drop_reason == "企业投资计划调整，暂缓落地"


# --- visits and targets -------------------------------------------------------------------


def test_a_visit_recorded_through_the_page_appears_in_the_teams_record(
    world, leads, promoter, client_for
):
    client = client_for(promoter)
    lead = leads.paper
    query = f"?lead={lead.pk}&team={lead.team_id}&org={lead.org_id}"
    url = reverse("leads:visit_create") + query
    form = client.get(url)
    assert form.status_code == 200
    assert form.context["form"].initial["lead"] == str(lead.pk)

    response = client.post(
        url,
        {
            "kind": "inspection",
            "team": lead.team_id,
            "lead": lead.pk,
            "date": "2025-04-16",
            "place": "赴江苏、河南考察招商",
            "participants": "李志强、赵鹏",
            "met": "造纸及包装企业",
            "outcome": "对接项目3个",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("leads:team", args=[lead.team_id])
    v = Visit.objects.get()
    assert (v.lead, v.team, v.date) == (fresh(lead), lead.team, datetime.date(2025, 4, 16))
    team_page = client.get(response["Location"]).content.decode()
    assert "赴江苏、河南考察招商" in team_page
    assert (
        "赴江苏、河南考察招商"
        in client.get(reverse("leads:detail", args=[lead.pk])).content.decode()
    )


def test_a_visit_without_a_place_is_refused_on_the_form(world, leads, promoter, client_for):
    response = client_for(promoter).post(
        reverse("leads:visit_create"),
        {"kind": "call", "team": leads.paper.team_id, "date": "2025-04-16", "participants": "某人"},
    )

    assert response.status_code == 200
    assert "place" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_a_promoter_cannot_record_a_visit_for_another_team(world, leads, promoter, client_for):
    response = client_for(promoter).post(
        reverse("leads:visit_create"),
        {
            "kind": "call",
            "team": leads.digital.team_id,
            "date": "2025-04-16",
            "place": "北京",
            "participants": "某人",
        },
    )

    assert response.status_code == 403
    assert not Visit.objects.exists()


def target_form(**over):
    return {"year": YEAR, "amount": "420000", "count": "8", "start_rate": "60"} | over


def test_a_leader_sets_the_target_on_the_team_page(world, leads, leader, client_for):
    client = client_for(leader)
    url = reverse("leads:team", args=[leads.paper.team_id])
    assert "保存目标" in client.get(url).content.decode()

    response = client.post(url, target_form())

    assert response.status_code == 302
    target = TeamTarget.objects.get()
    assert (target.team_id, target.year, target.amount, target.count, target.start_rate) == (
        leads.paper.team_id,
        YEAR,
        Decimal("420000"),
        8,
        Decimal("60"),
    )
    page = client.get(url).content.decode()
    assert "420" in page and "60" in page


def test_a_target_rate_above_100_is_refused_on_the_page(world, leads, leader, client_for):
    response = client_for(leader).post(
        reverse("leads:team", args=[leads.paper.team_id]), target_form(start_rate="120")
    )

    assert response.status_code == 200
    assert "start_rate" in response.context["form"].errors
    assert not TeamTarget.objects.exists()


def test_a_promoter_may_not_set_the_target(world, leads, promoter, client_for):
    client = client_for(promoter)
    url = reverse("leads:team", args=[leads.paper.team_id])

    assert "保存目标" not in client.get(url).content.decode()
    assert client.post(url, target_form()).status_code == 403
    assert not TeamTarget.objects.exists()


# --- the list: overdue next steps, filters ------------------------------------------------


def test_leads_whose_next_step_is_past_due_stand_out(world, clock, paper, leader, client_for):
    late = make_lead(paper, name="逾期项目", next_step_on=TODAY - datetime.timedelta(days=1))
    due = make_lead(paper, name="今日项目", next_step_on=TODAY)
    done = make_lead(
        paper,
        name="已签项目",
        created_on=datetime.date(YEAR, 1, 2),
        next_step_on=datetime.date(YEAR, 2, 1),
    )
    services.sign(None, done, amount=Decimal("1"), on=datetime.date(YEAR, 2, 1))
    client = client_for(leader)

    rows = client.get(reverse("leads:list")).content.decode().split("<tr")
    [late_row] = [r for r in rows if late.name in r]
    [due_row] = [r for r in rows if due.name in r]
    [done_row] = [r for r in rows if "已签项目" in r]
    assert 'class="overdue"' in late_row and "逾期" in late_row
    assert "overdue" not in due_row and "逾期" not in due_row
    assert "overdue" not in done_row

    overdue = client.get(reverse("leads:list"), {"overdue": "on"}).context["leads"]
    assert [x.name for x in overdue] == [late.name]


def test_the_export_is_the_negotiating_list_with_the_zones_columns(
    world, leads, leader, client_for
):
    from .conftest import EXPORT_HEADERS, read_xlsx

    make_lead(leads.paper.team, name="尚未在谈项目")
    response = client_for(leader).get(reverse("leads:export"))

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    rows = read_xlsx(response.content)
    assert rows[1] == EXPORT_HEADERS
    body = {r[1]: r for r in rows[2:]}
    assert set(body) == {leads.paper.name, leads.digital.name}
    paper = body[leads.paper.name]
    assert paper[0] == 1
    assert (paper[2], paper[3], paper[6], paper[9], paper[11]) == (
        "广东鑫程新材料有限公司",
        10000.0,
        "约150亩",
        "造纸产业园",
        "造纸",
    )


# --- the 在谈 column of the 四库 board ----------------------------------------------------


@pytest.mark.parametrize(
    ("who", "shown"),
    [
        ("leader", {"paper", "digital"}),
        ("outsider", {"other"}),
        ("viewer", {"paper", "digital", "other"}),
    ],
)
def test_the_board_has_a_negotiating_column_of_the_scope_only(
    world, leads, paper, client_for, request, who, shown
):
    make_lead(paper, name="仍是线索的项目")
    response = client_for(user(world, request, who)).get(reverse("projects:board"))

    assert response.status_code == 200
    text = response.content.decode()
    column = text.split('class="column leads-column"')[1].split("</section>")[0]
    assert "在谈" in column
    for key in ("paper", "digital", "other"):
        lead = getattr(leads, key)
        assert (lead.name in column) == (key in shown), key
        if key in shown:
            assert reverse("leads:detail", args=[lead.pk]) in column
    assert "仍是线索的项目" not in text
    assert f'<span class="tag">{len(shown)}</span>' in column


def test_a_signed_lead_leaves_the_negotiating_column(world, leads, leader, client_for):
    services.sign(None, fresh(leads.paper), amount=Decimal("1000"), on=TODAY)

    text = client_for(leader).get(reverse("projects:board")).content.decode()
    column = text.split('class="column leads-column"')[1].split("</section>")[0]

    assert leads.paper.name not in column and leads.digital.name in column


# --- bounded queries ----------------------------------------------------------------------


def _more_leads(world, paper, digital, n):
    for i in range(n):
        team = (paper, digital, world.other_team)[i % 3]
        lead = make_lead(
            team,
            created_on=datetime.date(YEAR, 1, 2),
            park=world.park if team != world.other_team else None,
        )
        services.advance(None, lead, "negotiating", on=datetime.date(YEAR, 2, 1))
        services.add_visit(
            None,
            org=team.org,
            team=team,
            lead=lead,
            kind="call",
            date=TODAY,
            place="某地",
            participants="某人",
        )


@pytest.mark.parametrize(
    "page",
    ["list", "export", "team", "detail", "board"],
)
def test_page_queries_do_not_grow_with_more_leads(
    world, leads, paper, digital, client_for, django_assert_max_num_queries, page
):
    url = {
        "list": reverse("leads:list"),
        "export": reverse("leads:export"),
        "team": reverse("leads:team", args=[paper.pk]),
        "detail": reverse("leads:detail", args=[leads.paper.pk]),
        "board": reverse("projects:board"),
    }[page]
    client = client_for(world.viewer)
    _more_leads(world, paper, digital, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200

    _more_leads(world, paper, digital, 21)
    for i in range(3):
        services.add_visit(
            None,
            org=world.zone,
            team=paper,
            lead=leads.paper,
            kind="call",
            date=TODAY,
            place=f"地{i}",
            participants="某人",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200
    assert len(few.captured_queries) <= 25
