import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zonedesk.api_params import Id
from zonedesk.catalog.bounds import Count, Money, Rate, Year
from zonedesk.catalog.text import column, line
from zonedesk.orgs.models import Org, Team
from zonedesk.orgs.selectors import orgs_for, teams_for, users_for
from zonedesk.projects.selectors import default_period

from . import selectors, services
from .models import Lead, Visit

router = Router(tags=["leads"])


class LeadOut(Schema):
    id: int
    org_id: int
    team_id: int
    leader_id: int | None
    name: str
    investor: str
    origin: str
    content: str
    chain: str
    estimated_investment: Decimal
    land_need: str
    source: str
    contact_name: str
    contact_phone: str
    stage: str
    next_step: str
    next_step_on: datetime.date
    note: str
    judgement: str
    drop_reason: str
    created_on: datetime.date
    contacting_on: datetime.date | None
    negotiating_on: datetime.date | None
    signed_on: datetime.date | None
    signed_amount: Decimal | None
    project_id: int | None
    version: int


class LeadIn(Schema):
    org_id: int
    team_id: int
    name: column(Lead, "name")
    investor: column(Lead, "investor")
    estimated_investment: Money
    source: Lead.Source
    next_step: column(Lead, "next_step")
    next_step_on: datetime.date
    leader_id: int | None = None
    origin: column(Lead, "origin") = ""
    investor_intro: column(Lead, "investor_intro") = ""
    content: column(Lead, "content") = ""
    chain: column(Lead, "chain") = ""
    land_need: column(Lead, "land_need") = ""
    contact_name: column(Lead, "contact_name") = ""
    contact_phone: column(Lead, "contact_phone") = ""
    note: column(Lead, "note") = ""
    judgement: column(Lead, "judgement") = ""
    confirmed: bool = False


class LeadPatch(Schema):
    version: int
    confirmed: bool = False
    name: column(Lead, "name") | None = None
    investor: column(Lead, "investor") | None = None
    estimated_investment: Money | None = None
    content: column(Lead, "content") | None = None
    chain: column(Lead, "chain") | None = None
    land_need: column(Lead, "land_need") | None = None
    contact_name: column(Lead, "contact_name") | None = None
    contact_phone: column(Lead, "contact_phone") | None = None
    next_step: column(Lead, "next_step") | None = None
    next_step_on: datetime.date | None = None
    note: column(Lead, "note") | None = None
    judgement: column(Lead, "judgement") | None = None


class StageIn(Schema):
    stage: line(20)  # contacting, negotiating, signed or dropped
    on: datetime.date | None = None
    amount: Money | None = None
    reason: column(Lead, "drop_reason") = ""


class VisitIO(Schema):
    id: int | None = None
    org_id: int
    team_id: int
    lead_id: int | None = None
    kind: Visit.Kind
    date: datetime.date
    place: column(Visit, "place")
    participants: column(Visit, "participants")
    met: column(Visit, "met") = ""
    outcome: column(Visit, "outcome") = ""
    follow_up: column(Visit, "follow_up") = ""


class TargetIO(Schema):
    team_id: int
    year: Year
    amount: Money
    count: Count
    start_rate: Rate = Decimal("0")


class LeadFilter(Schema):
    q: line(200) = ""
    stage: line(20) = ""
    team: Id | None = None
    overdue: bool = False


def _lead(request, lead_id):
    lead = get_object_or_404(selectors.leads_for(request.user), pk=lead_id)
    return selectors.mask(lead, selectors.contact_reader(request.user))


@router.get("/leads", response=list[LeadOut], summary="招商线索（联系方式按权限隐去）")
@paginate
def list_leads(request, filters: Query[LeadFilter]):
    teams = selectors.contact_reader(request.user)
    qs = selectors.filtered(request.user, filters.dict())
    return [selectors.mask(lead, teams) for lead in qs]


@router.get("/leads/{lead_id}", response=LeadOut, summary="线索详情")
def get_lead(request, lead_id: int):
    return _lead(request, lead_id)


def _refs(request, team_id, leader_id=None):
    team = get_object_or_404(teams_for(request.user).filter(kind=Team.Kind.INVESTMENT), pk=team_id)
    leader = get_object_or_404(users_for(request.user), pk=leader_id) if leader_id else None
    return team, leader


@router.post("/leads", response={201: LeadOut}, summary="登记线索（疑似重复时须 confirmed=true）")
def create_lead(request, payload: LeadIn):
    org = get_object_or_404(orgs_for(request.user).filter(kind=Org.Kind.ZONE), pk=payload.org_id)
    team, leader = _refs(request, payload.team_id, payload.leader_id)
    data = payload.dict(exclude={"org_id", "team_id", "leader_id", "confirmed"})
    lead = services.create_lead(
        request.user, org=org, team=team, leader=leader, confirmed=payload.confirmed, **data
    )
    return Status(201, _lead(request, lead.pk))


@router.patch("/leads/{lead_id}", response=LeadOut, summary="修改线索（须带 version）")
def update_lead(request, lead_id: int, payload: LeadPatch):
    lead = get_object_or_404(selectors.leads_for(request.user), pk=lead_id)
    data = payload.dict(exclude={"version", "confirmed"}, exclude_unset=True)
    services.update_lead(
        request.user, lead, data, expected_version=payload.version, confirmed=payload.confirmed
    )
    return _lead(request, lead_id)


@router.post("/leads/{lead_id}/stage", response=LeadOut, summary="推进、签约或放弃")
def change_stage(request, lead_id: int, payload: StageIn):
    lead = get_object_or_404(selectors.leads_for(request.user), pk=lead_id)
    if payload.stage == Lead.Stage.SIGNED:
        services.sign(request.user, lead, amount=payload.amount, on=payload.on)
    elif payload.stage == Lead.Stage.DROPPED:
        services.drop(request.user, lead, reason=payload.reason, on=payload.on)
    else:
        services.advance(request.user, lead, payload.stage, on=payload.on)
    return _lead(request, lead_id)


@router.get("/visits", response=list[VisitIO], summary="考察拜访")
@paginate
def list_visits(request, team: Id | None = None):
    qs = selectors.visits_for(request.user)
    return qs.filter(team=team) if team else qs


@router.post("/visits", response={201: VisitIO}, summary="记录考察拜访")
def create_visit(request, payload: VisitIO):
    org = get_object_or_404(orgs_for(request.user).filter(kind=Org.Kind.ZONE), pk=payload.org_id)
    team, _leader = _refs(request, payload.team_id)
    lead = (
        get_object_or_404(selectors.leads_for(request.user), pk=payload.lead_id)
        if payload.lead_id
        else None
    )
    data = payload.dict(exclude={"id", "org_id", "team_id", "lead_id"})
    return Status(201, services.add_visit(request.user, org=org, team=team, lead=lead, **data))


@router.get("/targets", response=list[TargetIO], summary="招商战队年度目标")
def list_targets(request, year: Year | None = None):
    teams = teams_for(request.user).filter(kind=Team.Kind.INVESTMENT)
    return services.TeamTarget.objects.filter(team__in=teams, year=year or default_period()[0])


@router.put("/targets", response=TargetIO, summary="设定年度目标")
def put_target(request, payload: TargetIO):
    team = get_object_or_404(
        teams_for(request.user).filter(kind=Team.Kind.INVESTMENT), pk=payload.team_id
    )
    return services.set_target(request.user, team, **payload.dict(exclude={"team_id"}))
