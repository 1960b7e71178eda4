from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from zonedesk.audit.selectors import events_for
from zonedesk.enterprises.selectors import enterprises_for
from zonedesk.notify.selectors import worker_status
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs import services
from zonedesk.orgs.models import Role
from zonedesk.projects.selectors import reports_due

from .forms import run


@login_required
def home(request):
    user = request.user
    held = orgs.role_names(user)
    ctx = {"roles": orgs.roles_of(user)}
    if held & orgs.STAFF_ROLES or user.is_superuser:
        ctx["counts"] = {
            "orgs": orgs.orgs_for(user).count(),
            "units": orgs.units_for(user).count(),
            "teams": orgs.teams_for(user).count(),
            "enterprises": enterprises_for(user).count(),
        }
        ctx["my_teams"] = list(user.teams.select_related("org"))
    if Role.Name.ADMIN in held or user.is_superuser:
        ctx["counts"]["users"] = orgs.users_for(user).count()
        ctx["worker_alive"], ctx["worker_seen"] = worker_status()
        ctx["recent_events"] = list(events_for(user)[:8])
    if Role.Name.OFFICER in held:
        due, ctx["due_period"] = reports_due(user)
        ctx["reports_due"] = list(due)
    if Role.Name.ENTERPRISE in held:
        ctx["own_enterprises"] = [r.enterprise for r in ctx["roles"] if r.enterprise]
    return render(request, "web/home.html", ctx)


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("令牌名称"), max_length=60)


@login_required
def profile(request):
    form = TokenForm(request.POST or None)
    new_secret = None
    if request.method == "POST" and form.is_valid():
        result = run(form, lambda: services.create_token(request.user, form.cleaned_data["name"]))
        if result:
            new_secret = result[1]
            form = TokenForm()
    return render(
        request,
        "web/profile.html",
        {
            "form": form,
            "tokens": orgs.tokens_for(request.user),
            "new_secret": new_secret,
            "roles": orgs.roles_of(request.user),
        },
    )


@login_required
@require_POST
def revoke_token(request, pk):
    token = get_object_or_404(orgs.tokens_for(request.user), pk=pk)
    services.revoke_token(request.user, token)
    messages.success(request, _("令牌“%(name)s”已撤销") % {"name": token.name})
    return redirect("profile")


@login_required
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.set_password(request.user, request.user, form.cleaned_data["new_password1"])
        update_session_auth_hash(request, request.user)
        messages.success(request, _("密码已修改"))
        return redirect("profile")
    return render(request, "web/password_change.html", {"form": form})
