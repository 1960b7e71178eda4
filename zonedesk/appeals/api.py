import datetime

from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zonedesk.api_params import Id
from zonedesk.catalog.text import column, line
from zonedesk.enterprises.selectors import enterprises_for
from zonedesk.orgs.selectors import units_for

from . import selectors, services
from .models import Appeal, AppealCategory, AppealStep

router = Router(tags=["appeals"])


class CategoryOut(Schema):
    id: int
    org_id: int
    name: str
    unit_id: int | None
    days: int
    is_active: bool


class StepOut(Schema):
    action: str
    actor_name: str
    text: str
    from_unit_name: str
    to_unit_name: str
    at: datetime.datetime


class AttachmentOut(Schema):
    id: int
    kind: str
    name: str
    size: int


class AppealOut(Schema):
    id: int
    org_id: int
    enterprise_id: int
    enterprise_name: str
    channel: str
    category_id: int
    title: str
    description: str
    unit_id: int | None
    status: str
    received_on: datetime.date
    deadline: datetime.date
    deadline_estimated: bool
    answer: str
    closed_on: datetime.date | None
    on_time: bool | None
    rating: str
    rating_comment: str
    rated_on: datetime.date | None
    reopened: int
    level: int
    version: int

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name


class AppealDetail(AppealOut):
    steps: list[StepOut]
    attachments: list[AttachmentOut]

    @staticmethod
    def resolve_steps(obj):
        return list(selectors.steps_of(obj))

    @staticmethod
    def resolve_attachments(obj):
        return list(obj.attachments.all())


class AppealIn(Schema):
    enterprise_id: int
    category_id: int
    description: column(Appeal, "description")
    title: column(Appeal, "title") = ""
    channel: Appeal.Channel | None = None
    received_on: datetime.date | None = None
    contact: column(Appeal, "contact") = ""


class AppealFilter(Schema):
    q: line(200) = ""
    status: line(20) = ""
    channel: line(20) = ""
    unit: line(20) = ""
    enterprise: Id | None = None
    received: line(20) = ""
    closed: line(20) = ""
    rated: line(20) = ""
    reopened: line(20) = ""
    open_at: line(20) = ""
    on_time: bool = False
    satisfied: bool = False
    overdue: bool = False
    open: bool = False


class VersionIn(Schema):
    version: int | None = None


class TransferIn(VersionIn):
    to_unit_id: int
    reason: column(AppealStep, "text")


class ReasonIn(VersionIn):
    reason: column(AppealStep, "text")


class AnswerIn(VersionIn):
    text: column(Appeal, "answer")
    close: bool = Field(False, description="答复并办结：同时办结，企业即可评价")


class RateIn(VersionIn):
    rating: Appeal.Rating
    comment: column(Appeal, "rating_comment") = ""


def _get(request, appeal_id):
    return get_object_or_404(selectors.appeals_for(request.user), pk=appeal_id)


def _detail(request, appeal_id):
    return _get(request, appeal_id)


@router.get("/appeal-categories", response=list[CategoryOut], summary="诉求类别")
def list_categories(request):
    return selectors.categories_for(request.user).filter(is_active=True)


@router.get(
    "/appeals",
    response=list[AppealOut],
    summary="企业诉求（按权限：企业只见本企业，部门只见分派给本部门的）",
)
@paginate
def list_appeals(request, filters: Query[AppealFilter]):
    return selectors.filtered(request.user, filters.dict())


@router.get("/appeals/{appeal_id}", response=AppealDetail, summary="诉求详情及办理记录")
def get_appeal(request, appeal_id: int):
    return _detail(request, appeal_id)


@router.post(
    "/appeals",
    response={201: AppealDetail},
    summary="提出诉求（企业联系人为本企业；开发区工作人员可为本区任一企业登记）",
)
def create_appeal(request, payload: AppealIn):
    enterprise = get_object_or_404(enterprises_for(request.user), pk=payload.enterprise_id)
    category = get_object_or_404(AppealCategory.objects.all(), pk=payload.category_id)
    appeal = services.raise_appeal(
        request.user,
        enterprise=enterprise,
        category=category,
        description=payload.description,
        title=payload.title,
        channel=payload.channel,
        received_on=payload.received_on,
        contact=payload.contact,
    )
    return Status(201, _detail(request, appeal.pk))


@router.post("/appeals/{appeal_id}/accept", response=AppealDetail, summary="受理")
def accept(request, appeal_id: int, payload: VersionIn):
    services.accept(request.user, _get(request, appeal_id), expected_version=payload.version)
    return _detail(request, appeal_id)


@router.post("/appeals/{appeal_id}/transfer", response=AppealDetail, summary="转办（须说明原因）")
def transfer(request, appeal_id: int, payload: TransferIn):
    appeal = _get(request, appeal_id)
    unit = get_object_or_404(units_for(request.user), pk=payload.to_unit_id)
    services.transfer(
        request.user, appeal, to_unit=unit, reason=payload.reason, expected_version=payload.version
    )
    return _detail(request, appeal_id)


@router.post("/appeals/{appeal_id}/return", response=AppealDetail, summary="退回（须说明原因）")
def return_appeal(request, appeal_id: int, payload: ReasonIn):
    services.return_appeal(
        request.user,
        _get(request, appeal_id),
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _detail(request, appeal_id)


@router.post("/appeals/{appeal_id}/answer", response=AppealDetail, summary="答复")
def answer(request, appeal_id: int, payload: AnswerIn):
    services.answer(
        request.user,
        _get(request, appeal_id),
        text=payload.text,
        close_too=payload.close,
        expected_version=payload.version,
    )
    return _detail(request, appeal_id)


@router.post("/appeals/{appeal_id}/close", response=AppealDetail, summary="办结")
def close(request, appeal_id: int, payload: VersionIn):
    services.close(request.user, _get(request, appeal_id), expected_version=payload.version)
    return _detail(request, appeal_id)


@router.post(
    "/appeals/{appeal_id}/rate",
    response=AppealDetail,
    summary="评价（不满意须说明原因，将重新办理）",
)
def rate(request, appeal_id: int, payload: RateIn):
    services.rate(
        request.user,
        _get(request, appeal_id),
        rating=payload.rating,
        comment=payload.comment,
        expected_version=payload.version,
    )
    return _detail(request, appeal_id)
