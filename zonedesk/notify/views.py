from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.orgs.models import Unit
from zonedesk.web.forms import edit_page, form_page

from . import selectors, services
from .forms import PreferenceForm, WebhookForm
from .models import GROUP_NAMES, Preference


def _read(user, pk):
    """The user's own message `pk`, now marked read (404 for anyone else's)."""
    msg = selectors.message_for(user, pk)
    if msg is None:
        raise Http404
    services.mark_read(user, [msg.pk])
    msg.refresh_from_db()
    return msg


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    unread = selectors.unread_count(request.user)
    page = Paginator(selectors.inbox(request.user, unread_only), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notify/inbox.html",
        {"page": page, "unread_only": unread_only, "unread": unread, "notify_unread": unread},
    )


@login_required
def open_message(request, pk):
    """Following a message marks it read and goes to the page it is about."""
    msg = _read(request.user, pk)
    url = services.safe_url(msg.url)
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = reverse("notify:inbox")  # no redirect off the site
    return redirect(url)


@login_required
@require_POST
def mark_read(request, pk):
    msg = _read(request.user, pk)
    if request.htmx:
        response = render(request, "notify/_message.html", {"m": msg})
        response["HX-Trigger"] = "notify-read"
        return response
    return redirect("notify:inbox")


@login_required
@require_POST
def mark_all_read(request):
    n = services.mark_read(request.user)
    messages.success(request, _("已将 %(n)d 条消息标为已读") % {"n": n})
    return redirect("notify:inbox")


@login_required
def badge(request):
    """The header badge alone, refreshed by htmx after a message is marked read."""
    return render(
        request, "notify/_badge.html", {"notify_unread": selectors.unread_count(request.user)}
    )


@login_required
def preferences(request):
    pref = Preference.objects.filter(user=request.user).first()
    initial = {
        "email": [g for g in GROUP_NAMES if not pref or g not in pref.email_off],
        "quiet_start": (pref and pref.quiet_start) or None,
        "quiet_end": (pref and pref.quiet_end) or None,
    }
    form = PreferenceForm(request.POST or None, initial=initial)

    def save():
        d = form.cleaned_data
        return services.save_preference(
            request.user,
            email_off=[g for g in GROUP_NAMES if g not in d["email"]],
            quiet_start=d["quiet_start"],
            quiet_end=d["quiet_end"],
        )

    return edit_page(
        request,
        form,
        save,
        lambda _pref: reverse("notify:preferences"),
        "notify/preferences.html",
        {"has_email": bool(request.user.email)},
    )


def _require_manager(user):
    if not selectors.can_manage(user):
        raise PermissionDenied


@login_required
def webhooks(request):
    _require_manager(request.user)
    failed = Paginator(selectors.problem_deliveries(request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notify/webhooks.html",
        {
            "hooks": selectors.webhooks_for(request.user),
            "failed": failed,
            "worker": selectors.worker_status(),
        },
    )


def _target(value, units, teams):
    kind, _sep, pk = (value or "").partition(":")
    pool = {"unit": units, "team": teams}.get(kind, [])
    found = next((o for o in pool if str(o.pk) == pk), None)
    if found is None:
        raise PermissionDenied
    return {"unit": found} if isinstance(found, Unit) else {"team": found}


def _hook_data(form):
    d = dict(form.cleaned_data)
    for k in ("target", "version"):
        d.pop(k, None)
    d["quiet_start"], d["quiet_end"] = (
        services.hhmm(d["quiet_start"]),
        services.hhmm(d["quiet_end"]),
    )
    return d


def _to_webhooks(_hook):
    return reverse("notify:webhooks")


@login_required
def webhook_create(request):
    _require_manager(request.user)
    units, teams = selectors.targets_for(request.user)
    form = WebhookForm(request.POST or None, units=units, teams=teams)

    def save(form):
        return services.create_webhook(
            request.user, **_target(form.cleaned_data["target"], units, teams), **_hook_data(form)
        )

    return form_page(request, form, _("添加群机器人"), save, _to_webhooks)


@login_required
def webhook_edit(request, pk):
    _require_manager(request.user)
    hook = selectors.webhooks_for(request.user).filter(pk=pk).first()
    if hook is None:
        raise Http404
    initial = {f: getattr(hook, f) for f in services.WEBHOOK_FIELDS if f != "secret"}
    form = WebhookForm(
        request.POST or None, initial={**initial, "version": hook.version}, editing=True
    )

    def save(form):
        return services.update_webhook(
            request.user, hook, _hook_data(form), expected_version=form.cleaned_data["version"]
        )

    title = _("修改群机器人：%(name)s") % {"name": hook}
    return form_page(request, form, title, save, _to_webhooks)


@login_required
@require_POST
def retry(request, pk):
    _require_manager(request.user)
    delivery = selectors.delivery_for(request.user, pk)
    if delivery is None:
        raise Http404
    if services.retry_now(request.user, delivery):
        messages.success(request, _("已安排立即重试"))
    else:
        messages.error(request, _("该投递正在发送或已发送，无需重试"))
    return redirect("notify:webhooks")
