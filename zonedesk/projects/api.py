import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zonedesk.catalog.bounds import Money, Month, Year
from zonedesk.catalog.text import column, line
from zonedesk.orgs.models import Org
from zonedesk.orgs.selectors import is_staff, orgs_for

from . import selectors, services
from .formulas import money
from .models import ProgressReport, Project

router = Router(tags=["projects"])


class ProjectOut(Schema):
    id: int
    org_id: int
    park_id: int | None
    name: str
    project_code: str
    category: str
    nature: str
    stage: str
    is_provincial: bool
    is_municipal: bool
    is_county: bool
    is_double_hundred: bool
    chain: str
    enterprise_id: int | None
    scale: str
    total_investment: Decimal
    leader_id: int | None
    unit_id: int | None
    agent_unit_id: int | None
    team_id: int | None
    planned_start: datetime.date | None
    planned_completion: datetime.date | None
    signed_on: datetime.date | None
    started_on: datetime.date | None
    completed_on: datetime.date | None
    operating_on: datetime.date | None
    stats_registered: bool
    stats_registered_on: datetime.date | None
    version: int
    plan: Decimal | None = None
    ytd: Decimal | None = None
    cumulative: Decimal | None = None
    warning: str | None = None

    # Sums computed by the database come back with the backend's precision; a report shows
    # them to the fen.
    @staticmethod
    def resolve_ytd(obj):
        return money(obj.ytd)

    @staticmethod
    def resolve_cumulative(obj):
        return money(obj.cumulative)

    @staticmethod
    def resolve_plan(obj):
        return money(obj.plan)

    @staticmethod
    def resolve_warning(obj, context):
        # The warning colour is the government's judgement: an enterprise contact gets none.
        return getattr(obj, "warning", None) if is_staff(context["request"].user) else None


class ProjectIn(Schema):
    name: column(Project, "name")
    category: Project.Category
    nature: Project.Nature
    total_investment: Money
    project_code: line(40) = ""
    park_id: int | None = None
    chain: column(Project, "chain") = ""
    scale: column(Project, "scale") = ""
    content: column(Project, "content") = ""
    is_provincial: bool = False
    is_municipal: bool = False
    is_county: bool = False
    is_double_hundred: bool = False
    planned_start: datetime.date | None = None
    planned_completion: datetime.date | None = None


class ProjectCreate(ProjectIn):
    org_id: int


class ProjectPatch(Schema):
    version: int
    name: column(Project, "name") | None = None
    category: Project.Category | None = None
    nature: Project.Nature | None = None
    total_investment: Money | None = None
    project_code: line(40) | None = None
    chain: column(Project, "chain") | None = None
    scale: column(Project, "scale") | None = None
    content: column(Project, "content") | None = None
    planned_start: datetime.date | None = None
    planned_completion: datetime.date | None = None


class StageIn(Schema):
    stage: Project.Stage
    on: datetime.date | None = None
    reason: column(Project, "cancel_reason") = ""
    version: int | None = None


class ProgressIn(Schema):
    period: line(20)  # YYYY-MM
    invested: Money
    progress: column(ProgressReport, "progress")
    problems: column(ProgressReport, "problems") = ""
    reason: line(200) = ""


class ProgressOut(Schema):
    id: int
    project_id: int
    period: datetime.date
    invested: Decimal
    progress: str
    problems: str
    is_late: bool


class ListFilter(Schema):
    q: line(200) = ""
    stage: line(20) = ""
    warning: line(20) = ""
    year: Year | None = None
    month: Month | None = None


def _one(request, project_id):
    year, month = selectors.default_period()
    try:
        return selectors.project_with_figures(request.user, project_id, year, month)
    except Project.DoesNotExist as e:
        raise Http404 from e


@router.get(
    "", response=list[ProjectOut], summary="项目列表（本人范围内，含年度计划、今年完成与预警）"
)
@paginate
def list_projects(request, filters: Query[ListFilter]):
    year, month = selectors.default_period()
    f = {
        "year": filters.year or year,
        "month": filters.month or month,
        "q": filters.q,
        "stage": filters.stage,
        "warning": filters.warning,
    }
    return selectors.filtered(request.user, f)


@router.get("/{project_id}", response=ProjectOut, summary="项目详情")
def get_project(request, project_id: int):
    return _one(request, project_id)


def _park(org, park_id):
    return get_object_or_404(Org.objects.filter(parent=org), pk=park_id) if park_id else None


@router.post("", response={201: ProjectOut}, summary="登记项目")
def create_project(request, payload: ProjectCreate):
    org = get_object_or_404(orgs_for(request.user).filter(kind=Org.Kind.ZONE), pk=payload.org_id)
    data = payload.dict(exclude={"org_id", "park_id"})
    project = services.create_project(
        request.user, org=org, park=_park(org, payload.park_id), **data
    )
    return Status(201, _one(request, project.pk))


@router.patch("/{project_id}", response=ProjectOut, summary="修改项目（须带 version）")
def update_project(request, project_id: int, payload: ProjectPatch):
    project = _one(request, project_id)
    data = payload.dict(exclude={"version"}, exclude_unset=True)
    services.update_project(request.user, project, data, expected_version=payload.version)
    return _one(request, project_id)


@router.post("/{project_id}/stage", response=ProjectOut, summary="变更阶段")
def change_stage(request, project_id: int, payload: StageIn):
    project = _one(request, project_id)
    services.change_stage(
        request.user,
        project,
        payload.stage,
        on=payload.on,
        reason=payload.reason,
        expected_version=payload.version,
    )
    return _one(request, project_id)


@router.get("/{project_id}/progress", response=list[ProgressOut], summary="月度进展")
def list_progress(request, project_id: int):
    return _one(request, project_id).reports.all()


@router.post("/{project_id}/progress", response={201: ProgressOut}, summary="填报或更正月报")
def file_progress(request, project_id: int, payload: ProgressIn):
    project = _one(request, project_id)
    try:
        period = datetime.datetime.strptime(payload.period, "%Y-%m").date()
    except ValueError:
        raise ValidationError({"period": "月份格式应为 YYYY-MM"}) from None
    report = services.file_progress(
        request.user,
        project,
        period=period,
        invested=payload.invested,
        progress=payload.progress,
        problems=payload.problems,
        reason=payload.reason,
    )
    return Status(201, report)
