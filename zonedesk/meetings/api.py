"""/api/v1/meetings: meetings, their agenda and decisions, scoped like the pages."""

import datetime
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zonedesk.catalog.bounds import WorkingDays
from zonedesk.catalog.text import column, line
from zonedesk.orgs.models import Org
from zonedesk.orgs.selectors import orgs_for

from . import selectors, services
from .models import AgendaItem, Decision, Meeting

router = Router(tags=["meetings"])


class MeetingOut(Schema):
    id: int
    org_id: int
    kind: Meeting.Kind
    title: str
    held_at: datetime.datetime
    place: str
    chair_id: int | None
    attendees: str = ""
    period: datetime.date | None
    status: Meeting.Status
    minutes: str = ""
    version: int

    # Unit staff see a meeting for its decisions only: no attendees, no minutes.
    @staticmethod
    def resolve_minutes(obj, context):
        return obj.minutes if selectors.can_read_all(context["request"].user, obj) else ""

    @staticmethod
    def resolve_attendees(obj, context):
        return obj.attendees if selectors.can_read_all(context["request"].user, obj) else ""


class AgendaItemOut(Schema):
    id: int
    order: int
    kind: AgendaItem.Kind
    title: str
    facts: str
    note: str
    removed: bool
    project_id: int | None
    lead_id: int | None
    blocker_id: int | None
    approval_id: int | None
    version: int


class DecisionOut(Schema):
    id: int
    meeting_id: int
    agenda_item_id: int | None
    text: str
    unit_id: int | None
    unit_name: str | None = Field(None, alias="unit.name")
    deadline: datetime.date | None
    blocker_id: int | None
    version: int


class MeetingIn(Schema):
    org_id: int
    kind: Meeting.Kind
    title: column(Meeting, "title")
    held_at: datetime.datetime
    place: column(Meeting, "place") = ""
    chair_id: int | None = None
    attendees: column(Meeting, "attendees") = ""
    period: datetime.date | None = None


class MinutesIn(Schema):
    minutes: column(Meeting, "minutes")
    version: int


class AgendaItemIn(Schema):
    title: column(AgendaItem, "title")
    note: column(AgendaItem, "note") = ""


class AgendaItemPatch(Schema):
    version: int
    note: column(AgendaItem, "note") | None = None
    removed: bool | None = None


class DeadlineIn(Schema):
    deadline: datetime.date | None = None
    working_days: WorkingDays | None = None


class DecisionIn(DeadlineIn):
    text: column(Decision, "text")
    unit_id: int | None = None
    agenda_item_id: int | None = None


class BlockerIn(DeadlineIn):
    unit_id: int


class StatusIn(Schema):
    to: Literal["held", "closed"]


class ListFilter(Schema):
    kind: Meeting.Kind | None = None
    status: Meeting.Status | None = None
    q: line(200) = ""


class RebuildOut(Schema):
    added: list[str]
    dropped: list[str]


def _meeting(request, meeting_id):
    return get_object_or_404(selectors.meetings_for(request.user), pk=meeting_id)


def _full(request, meeting_id):
    meeting = _meeting(request, meeting_id)
    if not selectors.can_read_all(request.user, meeting):
        raise PermissionDenied(_("部门人员只能查看交办给本单位的决定事项"))
    return meeting


def _unit(meeting, unit_id):
    if unit_id is None:
        return None
    return get_object_or_404(selectors.units_of(meeting), pk=unit_id)


@router.get("/meetings", response=list[MeetingOut], summary="调度会列表（本人范围内）")
@paginate
def list_meetings(request, filters: Query[ListFilter]):
    return selectors.filtered(request.user, filters.dict())


@router.get("/meetings/{meeting_id}", response=MeetingOut, summary="调度会详情")
def get_meeting(request, meeting_id: int):
    return _meeting(request, meeting_id)


@router.post(
    "/meetings", response={201: MeetingOut}, summary="召集调度会（周调度、月汇总自动生成议程）"
)
def create_meeting(request, payload: MeetingIn):
    org = get_object_or_404(orgs_for(request.user).filter(kind=Org.Kind.ZONE), pk=payload.org_id)
    chair = (
        get_object_or_404(selectors.chairs_for(request.user, org), pk=payload.chair_id)
        if payload.chair_id
        else None
    )
    data = payload.dict(exclude={"org_id", "chair_id"})
    meeting = services.create_meeting(request.user, org=org, chair=chair, **data)
    return Status(201, meeting)


@router.put(
    "/meetings/{meeting_id}/minutes", response=MeetingOut, summary="记录会议纪要（须带 version）"
)
def put_minutes(request, meeting_id: int, payload: MinutesIn):
    meeting = _meeting(request, meeting_id)
    services.record_minutes(
        request.user, meeting, minutes=payload.minutes, expected_version=payload.version
    )
    return meeting


@router.post("/meetings/{meeting_id}/status", response=MeetingOut, summary="标记已召开或归档")
def set_status(request, meeting_id: int, payload: StatusIn):
    meeting = _meeting(request, meeting_id)
    action = services.mark_held if payload.to == "held" else services.close_meeting
    return action(request.user, meeting)


@router.get("/meetings/{meeting_id}/agenda", response=list[AgendaItemOut], summary="议程")
def list_agenda(request, meeting_id: int):
    return selectors.agenda_of(_full(request, meeting_id))


@router.post("/meetings/{meeting_id}/agenda", response={201: AgendaItemOut}, summary="添加议题")
def add_agenda_item(request, meeting_id: int, payload: AgendaItemIn):
    meeting = _meeting(request, meeting_id)
    return Status(201, services.add_agenda_item(request.user, meeting, **payload.dict()))


@router.post(
    "/meetings/{meeting_id}/agenda/rebuild", response=RebuildOut, summary="按最新数据重建议程"
)
def rebuild_agenda(request, meeting_id: int):
    added, dropped = services.rebuild_agenda(request.user, _meeting(request, meeting_id))
    return {"added": added, "dropped": dropped}


@router.patch(
    "/meetings/{meeting_id}/agenda/{item_id}",
    response=AgendaItemOut,
    summary="修改议题备注或移出 / 恢复（须带 version）",
)
def patch_agenda_item(request, meeting_id: int, item_id: int, payload: AgendaItemPatch):
    meeting = _meeting(request, meeting_id)
    item = get_object_or_404(meeting.agenda, pk=item_id)
    item.meeting = meeting
    if payload.note is not None:
        services.note_agenda_item(
            request.user, item, note=payload.note, expected_version=payload.version
        )
    if payload.removed is not None and payload.removed != item.removed:
        services.remove_agenda_item(request.user, item, removed=payload.removed)
    return item


@router.get(
    "/meetings/{meeting_id}/decisions",
    response=list[DecisionOut],
    summary="决定事项（部门人员只见本单位的）",
)
def list_decisions(request, meeting_id: int):
    return selectors.decisions_for(request.user, _meeting(request, meeting_id))


@router.post(
    "/meetings/{meeting_id}/decisions", response={201: DecisionOut}, summary="记录决定事项"
)
def add_decision(request, meeting_id: int, payload: DecisionIn):
    meeting = _meeting(request, meeting_id)
    item = (
        get_object_or_404(meeting.agenda, pk=payload.agenda_item_id)
        if payload.agenda_item_id
        else None
    )
    decision = services.add_decision(
        request.user,
        meeting,
        text=payload.text,
        unit=_unit(meeting, payload.unit_id),
        deadline=payload.deadline,
        working_days=payload.working_days,
        agenda_item=item,
    )
    return Status(201, decision)


@router.post(
    "/meetings/{meeting_id}/decisions/{decision_id}/blocker",
    response={201: DecisionOut},
    summary="决定事项转为督办（交办责任单位，限时办结）",
)
def decision_to_blocker(request, meeting_id: int, decision_id: int, payload: BlockerIn):
    meeting = _meeting(request, meeting_id)
    decision = get_object_or_404(meeting.decisions.select_related("agenda_item"), pk=decision_id)
    decision.meeting = meeting
    services.decision_to_blocker(
        request.user,
        decision,
        unit=_unit(meeting, payload.unit_id),
        deadline=payload.deadline,
        working_days=payload.working_days,
    )
    return Status(201, selectors.decisions_for(request.user, meeting).get(pk=decision.pk))
