"""The register's API: `router` at /enterprises, `designations_router` at /designations and
`funds_router` at /funds, scoped exactly as the pages are."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zonedesk.api_params import Id
from zonedesk.catalog.bounds import Money, Year
from zonedesk.catalog.models import IndustryCode
from zonedesk.catalog.text import column, line
from zonedesk.orgs.models import Org
from zonedesk.orgs.selectors import is_staff, orgs_for
from zonedesk.projects.selectors import projects_for

from . import selectors, services
from .models import Designation, Enterprise, SupportFund

# --- enterprises -----------------------------------------------------------------------------


class ContactOut(Schema):
    id: int
    name: str
    title: str
    phone: str
    email: str
    is_primary: bool


class EnterpriseOut(Schema):
    id: int
    org_id: int
    name: str
    short_name: str
    uscc: str
    legal_rep: str
    industry_code: str | None = None
    above_scale: bool
    chain: str
    park_id: int | None
    address: str
    registered_capital: Decimal | None
    established_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_industry_code(obj):
        return obj.industry.code if obj.industry else None


class EnterpriseDetailOut(EnterpriseOut):
    contacts: list[ContactOut] = []

    @staticmethod
    def resolve_contacts(obj):
        # Masked for readers without rights to them (see selectors.contact_reader).
        return getattr(obj, "contacts_shown", [])


class EnterpriseFields(Schema):
    short_name: column(Enterprise, "short_name") = ""
    legal_rep: column(Enterprise, "legal_rep") = ""
    industry_code: line(10) | None = Field(None, description="GB/T 4754-2017 大类代码，如 22")
    above_scale: bool = False
    chain: column(Enterprise, "chain") = ""
    park_id: int | None = None
    address: column(Enterprise, "address") = ""
    registered_capital: Money | None = None
    established_on: datetime.date | None = None


class EnterpriseIn(EnterpriseFields):
    org_id: int
    name: column(Enterprise, "name")
    uscc: line(40)


class EnterprisePatch(Schema):
    version: int
    name: column(Enterprise, "name") | None = None
    uscc: line(40) | None = None
    short_name: column(Enterprise, "short_name") | None = None
    legal_rep: column(Enterprise, "legal_rep") | None = None
    industry_code: line(10) | None = None
    # Omitted means unchanged; null is refused, the flag cannot be empty.
    above_scale: bool = None
    chain: column(Enterprise, "chain") | None = None
    park_id: int | None = None
    address: column(Enterprise, "address") | None = None
    registered_capital: Money | None = None
    established_on: datetime.date | None = None


class EnterpriseFilter(Schema):
    q: line(200) = ""
    chain: column(Enterprise, "chain") = ""


router = Router(tags=["enterprises"])


def _resolve(data):
    """API ids and codes → the objects the services take; unknown ones refused by field."""
    if "industry_code" in data:
        code = data.pop("industry_code")
        data["industry"] = None
        if code:
            data["industry"] = IndustryCode.objects.filter(code=code).first()
            if data["industry"] is None:
                raise ValidationError(
                    {"industry_code": f"国民经济行业代码“{code}”不存在（GB/T 4754-2017）"}
                )
    if "park_id" in data:
        park_id = data.pop("park_id")
        data["park"] = None
        if park_id:
            data["park"] = Org.objects.filter(pk=park_id, kind=Org.Kind.PARK).first()
            if data["park"] is None:
                raise ValidationError({"park_id": f"园区 {park_id} 不存在"})
    return data


def _detail(request, enterprise_id):
    enterprise = get_object_or_404(selectors.enterprises_for(request.user), pk=enterprise_id)
    enterprise.contacts_shown = selectors.contacts_of(request.user, enterprise)
    return enterprise


@router.get("", response=list[EnterpriseOut], summary="企业（本人范围内）")
@paginate
def list_enterprises(request, filters: Query[EnterpriseFilter]):
    return selectors.search_enterprises(request.user, filters.q, chain=filters.chain)


@router.get(
    "/{enterprise_id}", response=EnterpriseDetailOut, summary="企业详情（含联系人，无权者电话脱敏）"
)
def get_enterprise(request, enterprise_id: int):
    return _detail(request, enterprise_id)


@router.post(
    "",
    response={201: EnterpriseDetailOut},
    summary="登记企业（代码或名称重复时返回400并指向已登记企业）",
)
def create_enterprise(request, payload: EnterpriseIn):
    org = get_object_or_404(orgs_for(request.user), pk=payload.org_id)
    data = _resolve(payload.dict(exclude={"org_id"}))
    enterprise = services.create_enterprise(request.user, org=org, **data)
    return Status(201, _detail(request, enterprise.pk))


@router.patch("/{enterprise_id}", response=EnterpriseDetailOut, summary="修改企业（须带 version）")
def update_enterprise(request, enterprise_id: int, payload: EnterprisePatch):
    enterprise = get_object_or_404(selectors.enterprises_for(request.user), pk=enterprise_id)
    data = _resolve(payload.dict(exclude={"version"}, exclude_unset=True))
    services.update_enterprise(request.user, enterprise, data, expected_version=payload.version)
    return _detail(request, enterprise_id)


# --- designations ----------------------------------------------------------------------------


class DesignationOut(Schema):
    id: int
    enterprise_id: int
    enterprise_name: str
    kind: str
    title: str
    other_name: str
    level: str
    certificate_no: str
    granted_on: datetime.date
    expires_on: datetime.date | None
    note: str
    version: int

    @staticmethod
    def resolve_enterprise_name(obj):
        return obj.enterprise.name


class DesignationFields(Schema):
    other_name: column(Designation, "other_name") = ""
    certificate_no: column(Designation, "certificate_no") = ""
    expires_on: datetime.date | None = None
    note: column(Designation, "note") = ""


class DesignationIn(DesignationFields):
    enterprise_id: int
    kind: Designation.Kind
    level: Designation.Level
    granted_on: datetime.date


class DesignationPatch(Schema):
    version: int
    kind: Designation.Kind | None = None
    other_name: column(Designation, "other_name") | None = None
    level: Designation.Level | None = None
    certificate_no: column(Designation, "certificate_no") | None = None
    granted_on: datetime.date | None = None
    expires_on: datetime.date | None = None
    note: column(Designation, "note") | None = None


class DesignationFilter(Schema):
    q: line(200) = ""
    kind: line(20) = ""
    level: line(20) = ""
    chain: column(Enterprise, "chain") = ""
    enterprise: Id | None = None
    expiring: bool = Field(False, description="仅列出今天起90天内（含首尾）到期的称号")


designations_router = Router(tags=["designations"])


@designations_router.get("/designations", response=list[DesignationOut], summary="企业称号")
@paginate
def list_designations(request, filters: Query[DesignationFilter]):
    return selectors.filter_designations(request.user, filters.dict())


@designations_router.get(
    "/designations/{designation_id}", response=DesignationOut, summary="企业称号详情"
)
def get_designation(request, designation_id: int):
    return get_object_or_404(selectors.designations_for(request.user), pk=designation_id)


@designations_router.post("/designations", response={201: DesignationOut}, summary="登记企业称号")
def create_designation(request, payload: DesignationIn):
    enterprise = get_object_or_404(
        selectors.enterprises_for(request.user), pk=payload.enterprise_id
    )
    data = payload.dict(exclude={"enterprise_id"})
    return Status(201, services.add_designation(request.user, enterprise, **data))


@designations_router.patch(
    "/designations/{designation_id}",
    response=DesignationOut,
    summary="修改企业称号（须带 version）",
)
def update_designation(request, designation_id: int, payload: DesignationPatch):
    designation = get_object_or_404(selectors.designations_for(request.user), pk=designation_id)
    data = payload.dict(exclude={"version"}, exclude_unset=True)
    services.update_designation(request.user, designation, data, expected_version=payload.version)
    return designation


@designations_router.delete(
    "/designations/{designation_id}", response={204: None}, summary="删除企业称号"
)
def delete_designation(request, designation_id: int):
    designation = get_object_or_404(selectors.designations_for(request.user), pk=designation_id)
    services.remove_designation(request.user, designation)
    return Status(204, None)


# --- support funds ---------------------------------------------------------------------------


class FundOut(Schema):
    id: int
    org_id: int
    enterprise_id: int | None
    project_id: int | None
    chain: str
    year: int
    source: str
    policy: str
    amount: Decimal
    purpose: str
    status: str
    paid_on: datetime.date | None
    version: int

    @staticmethod
    def resolve_chain(obj):
        return getattr(obj, "chain", None) or (obj.enterprise or obj.project).chain


class FundIn(Schema):
    enterprise_id: int | None = None
    project_id: int | None = None
    year: Year
    source: SupportFund.Source
    policy: column(SupportFund, "policy") = ""
    amount: Money
    purpose: column(SupportFund, "purpose") = ""
    status: SupportFund.Status = SupportFund.Status.PENDING
    paid_on: datetime.date | None = None


class FundPatch(Schema):
    version: int
    year: Year | None = None
    source: SupportFund.Source | None = None
    policy: column(SupportFund, "policy") | None = None
    amount: Money | None = None
    purpose: column(SupportFund, "purpose") | None = None
    status: SupportFund.Status | None = None
    paid_on: datetime.date | None = None


class FundFilter(Schema):
    q: line(200) = ""
    year: Year | None = None
    source: line(20) = ""
    status: line(20) = ""
    chain: column(Enterprise, "chain") = Field("", description="产业链名称；“-”表示未分类")
    enterprise: Id | None = None
    project: Id | None = None


class TotalRow(Schema):
    value: str
    label: str | None
    total: Decimal
    paid: Decimal
    count: int


class FundTotals(Schema):
    total: Decimal
    paid: Decimal
    count: int
    by_year: list[TotalRow]
    by_source: list[TotalRow]
    by_chain: list[TotalRow]


funds_router = Router(tags=["funds"])


def _staff(request):
    if not is_staff(request.user):
        raise PermissionDenied("企业用户请在本企业页面查看")


@funds_router.get("/funds", response=list[FundOut], summary="惠企资金")
@paginate
def list_funds(request, filters: Query[FundFilter]):
    return selectors.filter_funds(request.user, filters.dict())


@funds_router.get(
    "/funds/totals", response=FundTotals, summary="惠企资金合计：按年度、来源、产业链"
)
def fund_totals(request, filters: Query[FundFilter]):
    _staff(request)
    t = selectors.fund_totals(selectors.filter_funds(request.user, filters.dict()))
    for key in ("by_year", "by_source", "by_chain"):
        for row in t[key]:
            row["value"] = str(row["value"])
    return t


@funds_router.get("/funds/{fund_id}", response=FundOut, summary="惠企资金详情")
def get_fund(request, fund_id: int):
    return get_object_or_404(selectors.funds_for(request.user), pk=fund_id)


def _recipients(request, payload):
    data = payload.dict(exclude={"enterprise_id", "project_id"})
    data["enterprise"] = data["project"] = None
    if payload.enterprise_id:
        data["enterprise"] = get_object_or_404(
            selectors.enterprises_for(request.user), pk=payload.enterprise_id
        )
    if payload.project_id:
        data["project"] = get_object_or_404(projects_for(request.user), pk=payload.project_id)
    return data


@funds_router.post("/funds", response={201: FundOut}, summary="登记惠企资金（企业与项目二选一）")
def create_fund(request, payload: FundIn):
    fund = services.create_fund(request.user, **_recipients(request, payload))
    return Status(201, selectors.funds_for(request.user).get(pk=fund.pk))


@funds_router.patch("/funds/{fund_id}", response=FundOut, summary="修改惠企资金（须带 version）")
def update_fund(request, fund_id: int, payload: FundPatch):
    fund = get_object_or_404(selectors.funds_for(request.user), pk=fund_id)
    data = payload.dict(exclude={"version"}, exclude_unset=True)
    services.update_fund(request.user, fund, data, expected_version=payload.version)
    return selectors.funds_for(request.user).get(pk=fund_id)
