import time

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.contrib import messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zonedesk.orgs import selectors as orgs
from zonedesk.orgs import services, totp
from zonedesk.orgs.forms import TotpCodeForm

from . import home as home_page
from .forms import run


@login_required
def home(request):
    """The greeting, the figures a staff member reaches, and each app's cards (web/home.py)."""
    user = request.user
    ctx = {"roles": orgs.roles_of(user)}
    tiles = home_page.tiles(user)
    if tiles is not None:
        ctx["tiles"] = tiles
        ctx["counts"] = {t["key"]: t["count"] for t in tiles}
    ctx["panels"] = home_page.panels(user, ctx)
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
            "may_use_totp": orgs.may_use_totp(request.user),
            "has_totp": orgs.has_totp(request.user),
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


# --- login with an optional second step -----------------------------------------------------

# Session keys: the user who gave the right password and still owes a code; the secret a
# setup page showed and awaits confirmation.
PENDING = "zd_totp_pending"
SETUP_SECRET = "zd_totp_setup"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not orgs.has_totp(user):
            return super().form_valid(form)
        # The password was right, but the session stays anonymous until the code is too.
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "next": self.get_success_url(),
            "at": time.time(),
        }
        return redirect("login_code")


@never_cache
def login_code(request):
    if request.user.is_authenticated:
        return redirect("home")
    pending = request.session.get(PENDING)
    user = pending and orgs.active_user(pending["user"])
    if user is None or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.error(request, _("请重新输入用户名和密码"))
        return redirect("login")
    credentials = {"username": user.username}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.session.pop(PENDING, None)
        return get_lockout_response(request, None, credentials)
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.check_totp(user, form.cleaned_data["code"]):
            del request.session[PENDING]
            login(request, user, backend=pending["backend"])
            return redirect(pending["next"])
        # A wrong code counts like a wrong password: django-axes locks after five; its
        # middleware then answers with the lockout page.
        user_login_failed.send(__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            request.session.pop(PENDING, None)
        form.add_error("code", _("验证码不正确或已用过，请输入验证器上当前的 6 位数字"))
    return render(request, "web/login_code.html", {"form": form})


@login_required
def totp_setup(request):
    user = request.user
    if orgs.has_totp(user):
        return render(request, "web/totp.html", {"form": TotpCodeForm(), "enabled": True})
    if not orgs.may_use_totp(user):
        raise PermissionDenied
    # The secret waits in the session, not the database, until a code confirms it; the
    # same one survives a reload so a half-scanned QR code stays valid.
    secret = request.session.setdefault(SETUP_SECRET, totp.new_secret())
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        run(form, lambda: services.enable_totp(user, secret, form.cleaned_data["code"]))
        if not form.errors:
            del request.session[SETUP_SECRET]
            messages.success(request, _("两步验证已开启"))
            return redirect("profile")
    ctx = {"form": form, "secret": totp.grouped(secret), "qr": totp.qr_svg(user, secret)}
    return render(request, "web/totp.html", ctx)


@login_required
@require_POST
def totp_disable(request):
    form = TotpCodeForm(request.POST)
    if form.is_valid():
        run(
            form,
            lambda: services.disable_totp(request.user, request.user, form.cleaned_data["code"]),
        )
    if form.errors:
        ctx = {"form": form, "enabled": orgs.has_totp(request.user)}
        return render(request, "web/totp.html", ctx)
    messages.success(request, _("两步验证已关闭"))
    return redirect("profile")
