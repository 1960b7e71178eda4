from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from . import selectors


class RoleOut(Schema):
    role: str
    role_label: str
    org_id: int
    org_name: str
    unit: str | None
    enterprise_id: int | None


class MeOut(Schema):
    id: int
    username: str
    name: str
    email: str
    roles: list[RoleOut]


class OrgOut(Schema):
    id: int
    parent_id: int | None
    kind: str
    name: str
    code: str
    stat_code: str
    is_active: bool
    version: int


class UnitOut(Schema):
    id: int
    org_id: int
    name: str
    phone: str
    is_active: bool


class TeamOut(Schema):
    id: int
    org_id: int
    kind: str
    name: str
    chain: str
    leader_id: int | None
    is_active: bool


router = Router(tags=["organisations"])


@router.get("/me", response=MeOut, summary="当前用户及其角色")
def me(request):
    user = request.user
    roles = [
        RoleOut(
            role=r.role,
            role_label=str(r.get_role_display()),
            org_id=r.org_id,
            org_name=r.org.name,
            unit=r.unit.name if r.unit else None,
            enterprise_id=r.enterprise_id,
        )
        for r in selectors.roles_of(user)
    ]
    return MeOut(id=user.pk, username=user.username, name=user.name, email=user.email, roles=roles)


@router.get("/orgs", response=list[OrgOut], summary="组织机构（本人范围内）")
@paginate
def list_orgs(request):
    return selectors.orgs_for(request.user)


@router.get("/orgs/{org_id}", response=OrgOut, summary="组织详情")
def get_org(request, org_id: int):
    return get_object_or_404(selectors.orgs_for(request.user), pk=org_id)


@router.get("/units", response=list[UnitOut], summary="部门（本人范围内）")
@paginate
def list_units(request):
    return selectors.units_for(request.user)


@router.get("/teams", response=list[TeamOut], summary="专班与招商战队（本人范围内）")
@paginate
def list_teams(request):
    return selectors.teams_for(request.user)
