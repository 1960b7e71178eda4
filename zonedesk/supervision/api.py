import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zonedesk.api_params import Id
from zonedesk.catalog.bounds import WorkingDays
from zonedesk.catalog.text import column, line
from zonedesk.enterprises.selectors import enterprises_for
from zonedesk.orgs.models import Org
from zonedesk.orgs.selectors import orgs_for, users_for
from zonedesk.projects.models import ProgressReport
from zonedesk.projects.selectors import projects_for

from . import selectors, services
from .models import Blocker, BlockerStep

router = Router(tags=["supervision"])


class StepOut(Schema):
    action: str
    actor_name: str
    text: str
    at: datetime.datetime


class BlockerOut(Schema):
    id: int
    org_id: int
    title: str
    description: str
    project_id: int | None
    enterprise_id: int | None
    progress_report_id: int | None
    source_note: str
    unit_id: int
    unit_name: str = Field(..., alias="unit.name")
    leader_id: int | None
    supervisor_id: int | None
    raised_by_id: int | None
    raised_on: datetime.date
    deadline: datetime.date
    level: Blocker.Level
    status: Blocker.Status
    answer: str
    resolved_on: datetime.date | None
    closed_at: datetime.datetime | None
    on_time: bool | None
    version: int


class BlockerDetail(BlockerOut):
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class BlockerIn(Schema):
    org_id: int
    title: column(Blocker, "title")
    description: column(Blocker, "description") = ""
    unit_id: int
    leader_id: int | None = None
    deadline: datetime.date | None = Field(None, description="办结日期；与 days 二选一")
    days: WorkingDays | None = Field(None, description="办结时限（工作日，按国家节假日及调休计算）")
    project_id: int | None = None
    enterprise_id: int | None = None
    progress_report_id: int | None = None
    source_note: column(Blocker, "source_note") = ""


class TextIn(Schema):
    text: column(BlockerStep, "text") = ""


class ResolveIn(Schema):
    text: column(BlockerStep, "text")
    on: datetime.date | None = None


class ReasonIn(Schema):
    reason: column(BlockerStep, "text")


class ReassignIn(Schema):
    unit_id: int
    reason: column(BlockerStep, "text")


class ListFilter(Schema):
    q: line(200) = ""
    status: line(20) = ""
    level: line(20) = ""
    unit: Id | None = None
    project: Id | None = None
    overdue: bool = False
    state: line(20) = Field("", description="open / overdue / resolved / on_time / late")


class UnitRow(Schema):
    unit_id: int
    unit_name: str
    open: int
    overdue: int
    resolved: int
    on_time: int
    rate: Decimal | None = Field(None, description="按期办结率（%，一位小数）")


def _reader(request):
    if not selectors.is_reader(request.user):
        raise PermissionDenied(_("您没有查看问题督办的权限"))


def _one(request, blocker_id):
    _reader(request)
    return get_object_or_404(selectors.blockers_for(request.user), pk=blocker_id)


@router.get("/blockers", response=list[BlockerOut], summary="问题督办列表（本人范围内）")
@paginate
def list_blockers(request, filters: Query[ListFilter]):
    _reader(request)
    return selectors.filtered(request.user, filters.dict()).order_by("deadline", "pk")


@router.get("/blockers/by-unit", response=list[UnitRow], summary="按责任单位汇总")
def blockers_by_unit(request, filters: Query[ListFilter]):
    _reader(request)
    rows, _total = selectors.by_unit(selectors.filtered(request.user, filters.dict()))
    return [
        {
            "unit_id": r["unit"],
            "unit_name": r["unit__name"],
            **{k: r[k] for k in ("open", "overdue", "resolved", "on_time", "rate")},
        }
        for r in rows
    ]


@router.get("/blockers/{blocker_id}", response=BlockerDetail, summary="问题详情（含办理记录）")
def get_blocker(request, blocker_id: int):
    return _one(request, blocker_id)


def _pick(qs, pk, field, label):
    if pk is None:
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise ValidationError(
            {field: _("%(f)s %(pk)s 不存在或不在您的范围内") % {"f": label, "pk": pk}}
        )
    return found


@router.post("/blockers", response={201: BlockerDetail}, summary="提出问题")
def create_blocker(request, payload: BlockerIn):
    _reader(request)
    user = request.user
    org = get_object_or_404(orgs_for(user).filter(kind=Org.Kind.ZONE), pk=payload.org_id)
    if (payload.deadline is None) == (payload.days is None):
        raise ValidationError(
            {"deadline": _("请填写办结时限：deadline（日期）或 days（工作日数），二选一")}
        )
    projects = projects_for(user)
    blocker = services.raise_blocker(
        user,
        org=org,
        title=payload.title,
        description=payload.description,
        unit=_pick(selectors.units_serving(org), payload.unit_id, "unit_id", _("责任单位")),
        leader=_pick(users_for(user), payload.leader_id, "leader_id", _("协调领导")),
        deadline=payload.days if payload.days is not None else payload.deadline,
        project=_pick(projects, payload.project_id, "project_id", _("项目")),
        enterprise=_pick(enterprises_for(user), payload.enterprise_id, "enterprise_id", _("企业")),
        progress_report=_pick(
            ProgressReport.objects.filter(project__in=projects),
            payload.progress_report_id,
            "progress_report_id",
            _("月度进展"),
        ),
        source_note=payload.source_note,
    )
    return Status(201, _one(request, blocker.pk))


@router.post("/blockers/{blocker_id}/answer", response=BlockerDetail, summary="责任单位答复")
def answer_blocker(request, blocker_id: int, payload: TextIn):
    services.answer(request.user, _one(request, blocker_id), text=payload.text)
    return _one(request, blocker_id)


@router.post("/blockers/{blocker_id}/resolve", response=BlockerDetail, summary="责任单位办结")
def resolve_blocker(request, blocker_id: int, payload: ResolveIn):
    services.resolve(request.user, _one(request, blocker_id), text=payload.text, on=payload.on)
    return _one(request, blocker_id)


@router.post("/blockers/{blocker_id}/verify", response=BlockerDetail, summary="核实销号")
def verify_blocker(request, blocker_id: int, payload: TextIn):
    services.verify(request.user, _one(request, blocker_id), text=payload.text)
    return _one(request, blocker_id)


@router.post("/blockers/{blocker_id}/reopen", response=BlockerDetail, summary="退回重办")
def reopen_blocker(request, blocker_id: int, payload: ReasonIn):
    services.reopen(request.user, _one(request, blocker_id), reason=payload.reason)
    return _one(request, blocker_id)


@router.post("/blockers/{blocker_id}/reassign", response=BlockerDetail, summary="改派责任单位")
def reassign_blocker(request, blocker_id: int, payload: ReassignIn):
    blocker = _one(request, blocker_id)
    unit = _pick(selectors.units_serving(blocker.org), payload.unit_id, "unit_id", _("责任单位"))
    services.reassign(request.user, blocker, unit=unit, reason=payload.reason)
    return _one(request, blocker_id)


@router.post("/blockers/{blocker_id}/escalate", response=BlockerDetail, summary="升级督办一级")
def escalate_blocker(request, blocker_id: int, payload: ReasonIn):
    services.escalate(request.user, _one(request, blocker_id), reason=payload.reason)
    return _one(request, blocker_id)
