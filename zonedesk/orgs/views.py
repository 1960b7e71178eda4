from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.common import downloads
from zonedesk.common.xlsx import workbook
from zonedesk.web.forms import act, edit_page, form_errors

from . import selectors, services
from .forms import NewUserForm, OrgForm, PasswordForm, RoleForm, TeamForm, UnitForm, UserForm
from .models import Role


def _require_staff(user):
    if not (user.is_superuser or selectors.role_names(user) & selectors.STAFF_ROLES):
        raise PermissionDenied


def _require_admin_role(user):
    if not (user.is_superuser or Role.Name.ADMIN in selectors.role_names(user)):
        raise PermissionDenied


@login_required
def tree(request):
    _require_staff(request.user)
    nodes = selectors.org_tree(request.user)
    for n in nodes:
        n.manageable = selectors.can_admin(request.user, n)
    return render(request, "orgs/tree.html", {"nodes": nodes})


@login_required
def org_detail(request, pk):
    _require_staff(request.user)
    org = get_object_or_404(selectors.orgs_for(request.user).select_related("parent"), pk=pk)
    roles = (
        Role.objects.filter(org=org).select_related("user", "unit", "enterprise").order_by("role")
    )
    ctx = {
        "org": org,
        "children": org.children.all(),
        "units": org.units.all(),
        "teams": org.teams.select_related("leader").prefetch_related("members"),
        "roles": roles,
        "manageable": selectors.can_admin(request.user, org),
    }
    return render(request, "orgs/org_detail.html", ctx)


def _edit(request, form, template, ctx, save, done):
    return edit_page(request, form, lambda: save(form.cleaned_data), done, template, ctx)


def _fields(data, *names):
    return {n: data[n] for n in names}


def _managed(request, queryset, pk):
    """An object of the user's scope whose node the user administers, or 404 / 403."""
    obj = get_object_or_404(queryset, pk=pk)
    if not selectors.can_admin(request.user, getattr(obj, "org", obj)):
        raise PermissionDenied
    return obj


@login_required
def org_create(request, parent_pk):
    parent = _managed(request, selectors.orgs_for(request.user), parent_pk)
    form = OrgForm(request.POST or None)
    return _edit(
        request,
        form,
        "web/form.html",
        {"title": _("在“%(org)s”下新建组织") % {"org": parent}},
        lambda d: services.create_org(
            request.user, parent=parent, **_fields(d, "kind", "name", "code", "stat_code")
        ),
        lambda org: reverse("orgs:org", args=[org.pk]),
    )


@login_required
def org_edit(request, pk):
    org = _managed(request, selectors.orgs_for(request.user), pk)
    initial = {
        f: getattr(org, f) for f in ("kind", "name", "code", "stat_code", "is_active", "version")
    }
    form = OrgForm(request.POST or None, initial=initial)
    return _edit(
        request,
        form,
        "web/form.html",
        {"title": _("编辑组织"), "obj": org},
        lambda d: services.update_org(
            request.user,
            org,
            _fields(d, "kind", "name", "code", "stat_code", "is_active"),
            expected_version=d["version"],
        ),
        lambda o: reverse("orgs:org", args=[o.pk]),
    )


@login_required
def unit_create(request, org_pk):
    org = _managed(request, selectors.orgs_for(request.user), org_pk)
    form = UnitForm(request.POST or None)
    return _edit(
        request,
        form,
        "web/form.html",
        {"title": _("在“%(org)s”下新建部门") % {"org": org}},
        lambda d: services.create_unit(request.user, org=org, **_fields(d, "name", "phone")),
        lambda u: reverse("orgs:org", args=[org.pk]),
    )


@login_required
def unit_edit(request, pk):
    unit = _managed(request, selectors.units_for(request.user), pk)
    initial = {f: getattr(unit, f) for f in ("name", "phone", "is_active", "version")}
    form = UnitForm(request.POST or None, initial=initial)
    return _edit(
        request,
        form,
        "web/form.html",
        {"title": _("编辑部门"), "obj": unit},
        lambda d: services.update_unit(
            request.user,
            unit,
            _fields(d, "name", "phone", "is_active"),
            expected_version=d["version"],
        ),
        lambda u: reverse("orgs:org", args=[u.org_id]),
    )


@login_required
def team_create(request, org_pk):
    org = _managed(request, selectors.orgs_for(request.user), org_pk)
    form = TeamForm(request.POST or None, user=request.user)
    return _edit(
        request,
        form,
        "web/form.html",
        {"title": _("在“%(org)s”下新建团队") % {"org": org}},
        lambda d: services.create_team(
            request.user,
            org=org,
            members=list(d["members"]),
            **_fields(d, "kind", "name", "chain", "leader"),
        ),
        lambda t: reverse("orgs:org", args=[org.pk]),
    )


@login_required
def team_edit(request, pk):
    team = _managed(request, selectors.teams_for(request.user), pk)
    initial = {
        f: getattr(team, f) for f in ("kind", "name", "chain", "leader", "is_active", "version")
    }
    initial["members"] = list(team.members.all())
    form = TeamForm(request.POST or None, initial=initial, user=request.user, team=team)
    return _edit(
        request,
        form,
        "web/form.html",
        {"title": _("编辑团队"), "obj": team},
        lambda d: services.update_team(
            request.user,
            team,
            _fields(d, "kind", "name", "chain", "leader", "is_active"),
            members=list(d["members"]),
            expected_version=d["version"],
        ),
        lambda t: reverse("orgs:org", args=[t.org_id]),
    )


@login_required
def users(request, export=False):
    _require_admin_role(request.user)
    qs = selectors.users_for(request.user).prefetch_related(
        Prefetch("roles", queryset=Role.objects.select_related("org", "unit", "enterprise"))
    )
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(name__icontains=q) | Q(phone__icontains=q))
    if export:
        return qs.order_by("username")
    page = Paginator(qs.order_by("username"), 50).get_page(request.GET.get("page"))
    return render(request, "orgs/users.html", {"users": page, "q": q})


@login_required
def users_export(request):
    """The user list with its search: accounts, names and roles, never passwords."""
    rows = (
        (
            u.username,
            u.name,
            "；".join(f"{r.get_role_display()} · {r.org}" for r in u.roles.all()),
            _("启用") if u.is_active else _("停用"),
        )
        for u in users(request, export=True)
    )
    headers = [_("用户名"), _("姓名"), _("角色"), _("状态")]
    return downloads.xlsx(workbook(_("用户"), headers, rows), _("用户"))


@login_required
def user_create(request):
    _require_admin_role(request.user)
    form = NewUserForm(
        request.POST or None, user=request.user, initial={"org": request.GET.get("org")}
    )
    return _edit(
        request,
        form,
        "web/form.html",
        {"title": _("新建用户")},
        lambda d: services.create_user(
            request.user,
            **_fields(d, *NewUserForm.field_order),
        ),
        lambda u: reverse("orgs:user", args=[u.pk]),
    )


@login_required
def user_detail(request, pk):
    _require_admin_role(request.user)
    person = get_object_or_404(selectors.users_for(request.user), pk=pk)
    initial = {f: getattr(person, f) for f in ("name", "email", "phone", "is_active", "version")}
    form = UserForm(request.POST or None, initial=initial)
    return _edit(
        request,
        form,
        "orgs/user_detail.html",
        {
            "person": person,
            "grants": person.roles.select_related("org", "unit", "enterprise"),
            "role_form": RoleForm(user=request.user),
            "password_form": PasswordForm(),
            "person_totp": selectors.totp_of(person),
        },
        lambda d: services.update_user(
            request.user,
            person,
            _fields(d, "name", "email", "phone", "is_active"),
            expected_version=d["version"],
        ),
        lambda u: reverse("orgs:user", args=[u.pk]),
    )


@login_required
@require_POST
def user_grant(request, pk):
    _require_admin_role(request.user)
    person = get_object_or_404(selectors.users_for(request.user), pk=pk)
    form = RoleForm(request.POST, user=request.user)
    if form.is_valid():
        act(
            request,
            lambda: services.grant_role(request.user, user=person, **form.cleaned_data),
            _("已授予角色"),
        )
    else:
        messages.error(request, form_errors(form))
    return redirect("orgs:user", pk=person.pk)


@login_required
@require_POST
def user_revoke(request, pk, role_pk):
    _require_admin_role(request.user)
    person = get_object_or_404(selectors.users_for(request.user), pk=pk)
    grant = get_object_or_404(person.roles.select_related("org"), pk=role_pk)
    act(request, lambda: services.revoke_role(request.user, grant), _("已撤销角色"))
    return redirect("orgs:user", pk=person.pk)


@login_required
@require_POST
def user_password(request, pk):
    _require_admin_role(request.user)
    person = get_object_or_404(selectors.users_for(request.user), pk=pk)
    form = PasswordForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.set_password(request.user, person, form.cleaned_data["password"]),
            _("密码已重置"),
        )
    else:
        messages.error(request, form_errors(form))
    return redirect("orgs:user", pk=person.pk)


@login_required
@require_POST
def user_totp_off(request, pk):
    """For a user who lost the phone: their admin turns the second step off."""
    _require_admin_role(request.user)
    person = get_object_or_404(selectors.users_for(request.user), pk=pk)
    act(request, lambda: services.disable_totp(request.user, person), _("两步验证已关闭"))
    return redirect("orgs:user", pk=person.pk)
