from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from zonedesk.orgs.selectors import orgs_for

from . import services
from .selectors import enterprises_for, search_enterprises


class EnterpriseOut(Schema):
    id: int
    org_id: int
    name: str
    short_name: str
    uscc: str
    legal_rep: str
    industry_code: str | None = None
    above_scale: bool
    version: int

    @staticmethod
    def resolve_industry_code(obj):
        return obj.industry.code if obj.industry else None


class EnterpriseIn(Schema):
    org_id: int
    name: str
    uscc: str
    short_name: str = ""
    legal_rep: str = ""
    above_scale: bool = False


router = Router(tags=["enterprises"])


@router.get("", response=list[EnterpriseOut], summary="企业（本人范围内）")
@paginate
def list_enterprises(request, q: str = ""):
    return search_enterprises(request.user, q)


@router.get("/{enterprise_id}", response=EnterpriseOut, summary="企业详情")
def get_enterprise(request, enterprise_id: int):
    return get_object_or_404(enterprises_for(request.user), pk=enterprise_id)


@router.post("", response={201: EnterpriseOut}, summary="登记企业")
def create_enterprise(request, payload: EnterpriseIn):
    org = get_object_or_404(orgs_for(request.user), pk=payload.org_id)
    data = payload.dict(exclude={"org_id"})
    return Status(201, services.create_enterprise(request.user, org=org, **data))
