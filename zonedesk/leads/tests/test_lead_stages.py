"""Stages of a lead: lead → contacting → negotiating → signed, or dropped with its reason.
Signing creates the project in stage `signed`, linked both ways, in one transaction, and
happens at most once — even when two people click at the same moment."""

import datetime
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from zonedesk.leads import services
from zonedesk.leads.models import Lead
from zonedesk.orgs.models import User
from zonedesk.projects import services as project_services
from zonedesk.projects.models import Project

from .conftest import TODAY, YEAR, events, fresh, make_lead, refused

JAN = datetime.date(YEAR, 1, 10)


@pytest.fixture
def lead(world, clock, paper):
    return make_lead(
        paper, created_on=JAN, chain="造纸", park=world.park, content="年产10万吨特种纸"
    )


def negotiating(lead):
    services.advance(None, lead, "contacting", on=datetime.date(YEAR, 2, 1))
    services.advance(None, lead, "negotiating", on=datetime.date(YEAR, 3, 1))
    return fresh(lead)


# --- moving forward -----------------------------------------------------------------------


def test_a_lead_moves_to_contacting_then_negotiating_keeping_each_date(lead, promoter):
    services.advance(promoter, fresh(lead), "contacting", on=datetime.date(YEAR, 2, 1))
    services.advance(
        promoter,
        fresh(lead),
        "negotiating",
        on=datetime.date(YEAR, 3, 5),
        next_step="起草投资协议",
        next_step_on=datetime.date(YEAR, 9, 1),
    )

    stored = fresh(lead)
    assert stored.stage == Lead.Stage.NEGOTIATING
    assert (stored.created_on, stored.contacting_on, stored.negotiating_on) == (
        JAN,
        datetime.date(YEAR, 2, 1),
        datetime.date(YEAR, 3, 5),
    )
    assert (stored.next_step, stored.next_step_on) == ("起草投资协议", datetime.date(YEAR, 9, 1))
    assert [e.changes["stage"] for e in events("lead.stage", lead)] == [
        ["lead", "contacting"],
        ["contacting", "negotiating"],
    ]
    assert all(e.actor == promoter for e in events("lead.stage", lead))


def test_advancing_without_a_date_uses_today(lead, promoter):
    services.advance(promoter, fresh(lead), "contacting")

    assert fresh(lead).contacting_on == TODAY


@pytest.mark.parametrize(
    "on",
    [TODAY + datetime.timedelta(days=1), JAN - datetime.timedelta(days=1)],
    ids=["future", "before-registration"],
)
def test_a_stage_date_lies_between_registration_and_today(lead, promoter, on):
    with pytest.raises(ValidationError) as e:
        services.advance(promoter, fresh(lead), "contacting", on=on)

    assert refused(e, "on") == "日期应在登记日期与今天之间"
    assert fresh(lead).stage == Lead.Stage.LEAD


def test_advancing_with_a_next_step_but_no_date_is_refused(lead, promoter):
    with pytest.raises(ValidationError) as e:
        services.advance(
            promoter, fresh(lead), "contacting", next_step="再次拜访", next_step_on=None
        )

    assert refused(e, "next_step_on") == "每条线索都须有下一步工作及其日期"
    assert fresh(lead).stage == Lead.Stage.LEAD


@pytest.mark.parametrize(
    ("reached", "target"),
    [("contacting", "contacting"), ("negotiating", "contacting"), ("negotiating", "negotiating")],
)
def test_a_lead_never_goes_back_or_stays(lead, promoter, reached, target):
    services.advance(None, lead, "contacting", on=datetime.date(YEAR, 2, 1))
    if reached == "negotiating":
        services.advance(None, lead, "negotiating", on=datetime.date(YEAR, 3, 1))
    before = fresh(lead)

    with pytest.raises(ValidationError) as e:
        services.advance(promoter, fresh(lead), target)

    assert "线索不能从" in refused(e, "stage")
    after = fresh(lead)
    assert (after.stage, after.contacting_on, after.version) == (
        before.stage,
        before.contacting_on,
        before.version,
    )


@pytest.mark.parametrize("stage", ["signed", "dropped", "lead"])
def test_advance_only_moves_to_contacting_or_negotiating(lead, promoter, stage):
    with pytest.raises(ValidationError) as e:
        services.advance(promoter, fresh(lead), stage)

    assert refused(e, "stage")
    assert fresh(lead).stage == Lead.Stage.LEAD
    assert not Project.objects.exists()


# --- dropping -----------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_dropping_needs_a_reason(lead, promoter, reason):
    with pytest.raises(ValidationError) as e:
        services.drop(promoter, fresh(lead), reason=reason)

    assert refused(e, "drop_reason") == "放弃线索须说明原因"
    assert fresh(lead).stage == Lead.Stage.LEAD


def test_a_dropped_lead_keeps_its_reason_and_moves_no_further(lead, promoter):
    services.drop(promoter, fresh(lead), reason=" 企业投资计划调整，暂缓落地 ")

    stored = fresh(lead)
    assert (stored.stage, stored.drop_reason, stored.dropped_on) == (
        Lead.Stage.DROPPED,
        "企业投资计划调整，暂缓落地",
        TODAY,
    )
    [event] = events("lead.drop", lead)
    assert event.changes["drop_reason"] == ["", "企业投资计划调整，暂缓落地"]

    with pytest.raises(ValidationError):
        services.advance(promoter, fresh(lead), "contacting")
    with pytest.raises(ValidationError) as e:
        services.sign(promoter, fresh(lead), amount=Decimal("1000"), on=TODAY)
    assert refused(e, "stage") == "已放弃的线索不能签约"
    with pytest.raises(ValidationError):
        services.drop(promoter, fresh(lead), reason="另一个原因")

    again = fresh(lead)
    assert (again.stage, again.drop_reason) == (Lead.Stage.DROPPED, "企业投资计划调整，暂缓落地")
    assert not Project.objects.exists()


# --- signing ------------------------------------------------------------------------------


def test_signing_creates_the_signed_project_linked_both_ways(world, lead, promoter):
    lead = negotiating(lead)
    on = datetime.date(YEAR, 4, 18)

    services.sign(promoter, lead, amount=Decimal("270000"), on=on)

    stored = fresh(lead)
    project = stored.project
    assert project is not None
    assert project.lead == stored
    assert (stored.stage, stored.signed_on, stored.signed_amount) == (
        Lead.Stage.SIGNED,
        on,
        Decimal("270000"),
    )
    assert (project.stage, project.signed_on, project.total_investment) == (
        Project.Stage.SIGNED,
        on,
        Decimal("270000"),
    )
    assert (project.name, project.org, project.park, project.chain) == (
        stored.name,
        world.zone,
        world.park,
        "造纸",
    )
    assert [e.action for e in events(obj=project)] == ["project.create"]
    [event] = events("lead.sign", stored)
    assert event.actor == promoter
    assert event.changes["stage"] == ["negotiating", "signed"]
    assert event.changes["signed_amount"] == [None, "270000"]


@pytest.mark.parametrize(
    ("amount", "on", "field"),
    [
        (None, TODAY, "signed_amount"),
        (Decimal("0"), TODAY, "signed_amount"),
        (Decimal("-5"), TODAY, "signed_amount"),
        (Decimal("1000"), None, "signed_on"),
        (Decimal("1000"), TODAY + datetime.timedelta(days=1), "signed_on"),
        (Decimal("1000"), JAN - datetime.timedelta(days=1), "signed_on"),
    ],
    ids=["no-amount", "zero", "negative", "no-date", "future", "before-registration"],
)
def test_signing_asks_an_amount_and_a_date(lead, promoter, new_events, amount, on, field):
    lead = negotiating(lead)
    before = len(new_events())

    with pytest.raises(ValidationError) as e:
        services.sign(promoter, lead, amount=amount, on=on)

    assert refused(e, field)
    assert fresh(lead).stage == Lead.Stage.NEGOTIATING
    assert not Project.objects.exists()
    assert len(new_events()) == before


def test_when_the_project_cannot_be_created_nothing_is_written(world, lead, promoter, new_events):
    lead = negotiating(lead)
    project_services.create_project(
        None,
        org=world.zone,
        name=lead.name,
        category=Project.Category.INDUSTRY,
        nature=Project.Nature.NEW,
        total_investment=Decimal("5000"),
    )
    before = len(new_events())

    with pytest.raises(ValidationError) as e:
        services.sign(promoter, fresh(lead), amount=Decimal("8000"), on=TODAY)

    assert lead.name in refused(e, "name")
    stored = fresh(lead)
    assert (stored.stage, stored.signed_on, stored.signed_amount, stored.project_id) == (
        Lead.Stage.NEGOTIATING,
        None,
        None,
        None,
    )
    assert stored.version == lead.version
    assert Project.objects.filter(name=lead.name).count() == 1
    assert len(new_events()) == before


def test_when_the_lead_cannot_be_written_the_new_project_is_rolled_back(
    lead, promoter, monkeypatch, new_events
):
    lead = negotiating(lead)
    before = len(new_events())
    real_update = services.audit.update

    def failing_update(actor, obj, data, *, action, **kw):
        if action == "lead.sign":
            raise RuntimeError("disk full")
        return real_update(actor, obj, data, action=action, **kw)

    monkeypatch.setattr(services.audit, "update", failing_update)

    with pytest.raises(RuntimeError):
        services.sign(promoter, fresh(lead), amount=Decimal("8000"), on=TODAY)

    assert not Project.objects.exists()
    assert fresh(lead).stage == Lead.Stage.NEGOTIATING
    assert len(new_events()) == before


def test_a_signed_lead_cannot_be_signed_twice(lead, promoter, leader):
    lead = negotiating(lead)
    stale = fresh(lead)  # loaded before the first signing, as a second open page would be
    services.sign(promoter, fresh(lead), amount=Decimal("8000"), on=TODAY)

    for actor, instance in ((promoter, fresh(lead)), (leader, stale)):
        with pytest.raises(ValidationError) as e:
            services.sign(actor, instance, amount=Decimal("9000"), on=TODAY)
        assert refused(e, "stage") == "该线索已签约，不能重复签约"

    stored = fresh(lead)
    assert (stored.signed_amount, Project.objects.count()) == (Decimal("8000"), 1)
    assert len(events("lead.sign", stored)) == 1


def test_a_signed_lead_can_be_neither_dropped_nor_moved_back(lead, promoter):
    lead = negotiating(lead)
    services.sign(promoter, lead, amount=Decimal("8000"), on=TODAY)

    with pytest.raises(ValidationError):
        services.drop(promoter, fresh(lead), reason="企业变卦")
    with pytest.raises(ValidationError):
        services.advance(promoter, fresh(lead), "negotiating")

    assert fresh(lead).stage == Lead.Stage.SIGNED


def test_a_lead_may_be_signed_from_any_open_stage(lead, promoter):
    services.sign(promoter, fresh(lead), amount=Decimal("1200"), on=TODAY)

    stored = fresh(lead)
    assert stored.stage == Lead.Stage.SIGNED
    assert stored.project.total_investment == Decimal("1200")


# --- concurrent double sign ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_signings_make_exactly_one_project(transactional_db, world, clock, paper):
    lead = make_lead(paper, created_on=JAN)
    lead = negotiating(lead)
    promoter = User.objects.get(username="zhaoshang")
    barrier = threading.Barrier(2)
    outcomes = []
    lock = threading.Lock()

    def click(amount):
        actor = User.objects.get(pk=promoter.pk)  # each request loads its own user…
        mine = Lead.objects.get(pk=lead.pk)  # …and its own copy of the lead
        try:
            barrier.wait(timeout=30)
            services.sign(actor, mine, amount=amount, on=TODAY)
            result = "signed"
        except ValidationError as e:
            result = e.message_dict.get("stage", [str(e)])[0]
        except Exception as e:
            result = repr(e)
        finally:
            connection.close()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=click, args=(Decimal(a),)) for a in ("8000", "9000")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(outcomes) == sorted(["signed", "该线索已签约，不能重复签约"])
    stored = fresh(lead)
    assert stored.stage == Lead.Stage.SIGNED
    assert Project.objects.count() == 1
    assert Project.objects.get().pk == stored.project_id
    assert Project.objects.get().total_investment == stored.signed_amount
    assert len(events("lead.sign", stored)) == 1
