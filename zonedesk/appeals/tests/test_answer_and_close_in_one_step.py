"""答复并办结: a unit answers and closes in one step when it wants to, and otherwise the
appeal says plainly that it waits for 办结 before the enterprise can rate; a title the
enterprise may give, or the text's start cut with "…"."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from hypothesis import given
from hypothesis import strategies as st

from zonedesk.appeals import services
from zonedesk.appeals.models import Appeal, AppealStep
from zonedesk.audit.models import AuditEvent
from zonedesk.notify.models import Message

from .conftest import api_client, raise_one

HTMX = {"HTTP_HX_REQUEST": "true"}
Action = AppealStep.Action


@pytest.fixture
def accepted(ap):
    appeal = raise_one(ap)
    services.accept(ap.w.unit_user, appeal)
    return appeal


def told(user):
    # In the order they were sent: PostgreSQL keeps no order of its own.
    return list(Message.objects.filter(user=user).order_by("pk").values_list("event", "title"))


def test_answer_and_close_is_one_step_with_both_records(ap, accepted):
    before = told(ap.w.enterprise_user)
    services.answer(ap.w.unit_user, accepted, text="已安排施工队本周修复。", close_too=True)
    accepted.refresh_from_db()
    assert accepted.status == Appeal.Status.CLOSED
    assert (accepted.closed_on, accepted.on_time) == (ap.clock.today, True)
    assert accepted.answer == "已安排施工队本周修复。"
    assert list(accepted.steps.values_list("action", flat=True)) == [
        Action.RAISE,
        Action.ACCEPT,
        Action.ANSWER,
        Action.CLOSE,
    ]
    actions = AuditEvent.objects.filter(target_id=accepted.pk).values_list("action", flat=True)
    assert {"appeal.answer", "appeal.close"} <= set(actions)
    # The enterprise hears once: closed, please rate.
    new = told(ap.w.enterprise_user)[len(before) :]
    assert [event for event, _title in new] == ["appeal.closed"]
    assert "rate" in services.selectors.allowed(ap.w.enterprise_user, accepted)


def test_an_answer_alone_waits_for_close_and_says_so(ap, accepted):
    services.answer(ap.w.unit_user, accepted, text="已转交县交通局评估。")
    accepted.refresh_from_db()
    assert accepted.status == Appeal.Status.ANSWERED
    assert "rate" not in services.selectors.allowed(ap.w.enterprise_user, accepted)
    (_event, title), *_ = [m for m in told(ap.w.enterprise_user) if m[0] == "appeal.answered"]
    assert title.startswith("您的诉求已答复，待责任单位办结后即可评价")


def test_a_refused_answer_and_close_writes_nothing(ap, accepted):
    with pytest.raises(PermissionDenied):
        services.answer(ap.land_user, accepted, text="不是我们单位", close_too=True)
    accepted.refresh_from_db()
    assert accepted.status == Appeal.Status.ACCEPTED
    assert not accepted.steps.filter(action__in=[Action.ANSWER, Action.CLOSE]).exists()


def test_unit_answers_and_closes_from_the_page(ap, accepted, client_for):
    c = client_for(ap.w.unit_user)
    page = c.get(f"/appeals/{accepted.pk}/").content.decode()
    assert re.search(r'<input type="checkbox" name="close_too"[^>]* checked', page)
    r = c.post(
        f"/appeals/{accepted.pk}/answer/",
        {"version": accepted.version, "text": "已协调修复", "close_too": "on"},
        **HTMX,
    )
    assert r.status_code == 200 and "已答复并办结" in r.content.decode()
    accepted.refresh_from_db()
    assert accepted.status == Appeal.Status.CLOSED
    mine = client_for(ap.w.enterprise_user).get("/appeals/mine/").content.decode()
    assert f'action="/appeals/{accepted.pk}/rate/"' in mine


def test_answered_only_shows_awaiting_close_to_unit_and_enterprise(
    ap, accepted, client_for, django_assert_max_num_queries
):
    services.answer(ap.w.unit_user, accepted, text="已转交县交通局评估。")
    unit_page = client_for(ap.w.unit_user).get(f"/appeals/{accepted.pk}/").content.decode()
    assert "待办结" in unit_page and "企业在办结后才能评价" in unit_page
    e = client_for(ap.w.enterprise_user)
    with django_assert_max_num_queries(12):
        mine = e.get("/appeals/mine/").content.decode()
    assert "责任单位已答复，办结后您即可评价" in mine
    detail = e.get(f"/appeals/{accepted.pk}/").content.decode()
    assert "责任单位已答复，办结后您即可评价" in detail


def test_answer_and_close_refused_to_the_wrong_role_and_other_zone(ap, accepted, client_for):
    data = {"version": accepted.version, "text": "代答", "close_too": "on"}
    # The enterprise may not answer its own appeal: nothing written.
    r = client_for(ap.w.enterprise_user).post(f"/appeals/{accepted.pk}/answer/", data)
    assert r.status_code == 403
    accepted.refresh_from_db()
    assert accepted.status == Appeal.Status.ACCEPTED
    r = client_for(ap.w.outsider).post(f"/appeals/{accepted.pk}/answer/", data)
    assert r.status_code == 404


def test_api_answers_and_closes_in_one_call(ap, accepted):
    r = api_client(ap.w.unit_user).post(
        f"/api/v1/appeals/{accepted.pk}/answer",
        {"text": "已修复", "close": True},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == Appeal.Status.CLOSED


# --- titles ---------------------------------------------------------------------------------


@given(st.text(alphabet=st.sampled_from("企业用地 \n\t融资ab。"), max_size=80))
def test_a_title_from_the_text_is_its_start_cut_with_an_ellipsis(text):
    flat = " ".join(text.split())
    title = services.title_from(text)
    assert len(title) <= services.TITLE_FROM_DESCRIPTION
    if len(flat) <= services.TITLE_FROM_DESCRIPTION:
        assert title == flat
    else:
        assert title.endswith("…") and flat.startswith(title[:-1])


def test_enterprise_gives_its_own_title_on_the_phone_form(ap, client_for):
    c = client_for(ap.w.enterprise_user)
    assert 'name="title"' in c.get("/appeals/new/").content.decode()
    r = c.post(
        "/appeals/new/",
        {
            "category": ap.cats["用工"].pk,
            "title": "急需焊工",
            "description": "新厂区投产在即，急需持证焊工20名，请协助对接招聘渠道和培训资源。",
        },
    )
    assert r.status_code == 302
    assert Appeal.objects.latest("pk").title == "急需焊工"


def test_a_long_text_without_title_is_cut_visibly(ap):
    appeal = raise_one(ap, description="厂区道路破损严重" * 10)
    assert appeal.title == ("厂区道路破损严重" * 4)[:29] + "…"
