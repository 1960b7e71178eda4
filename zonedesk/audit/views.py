import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from zonedesk.common import downloads
from zonedesk.common.xlsx import workbook
from zonedesk.orgs import selectors as orgs

from .selectors import HISTORY_SCOPES, events_for, history_of


@login_required
def history(request, label, pk):
    scope = HISTORY_SCOPES.get(label)
    if scope is None:
        raise Http404
    obj = get_object_or_404(scope(request.user), pk=pk)
    events = Paginator(history_of(obj, request.user), 50).get_page(request.GET.get("page"))
    return render(request, "audit/history.html", {"obj": obj, "events": events})


class SearchForm(forms.Form):
    q = forms.CharField(label=_("对象或操作人"), required=False)
    action = forms.CharField(label=_("操作"), required=False)
    since = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


def _searched(request):
    if not orgs.is_admin(request.user):
        raise PermissionDenied
    form = SearchForm(request.GET or None)
    events = events_for(request.user)
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            events = events.filter(target_repr__icontains=d["q"]) | events.filter(
                actor_name__icontains=d["q"]
            )
        if d["action"]:
            events = events.filter(action__startswith=d["action"])
        if d["since"]:
            events = events.filter(created_at__date__gte=d["since"])
        if d["until"]:
            events = events.filter(created_at__date__lte=d["until"])
    return form, events


@login_required
def search(request):
    form, events = _searched(request)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "audit/search.html", {"form": form, "events": page})


EXPORT_LIMIT = 50_000


@login_required
def export(request):
    """The searched events, newest first, at most 50,000 rows (narrow the dates for more)."""
    _form, events = _searched(request)
    rows = (
        (
            localtime(e.created_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_name,
            e.action,
            e.target_repr,
            str(e.org or ""),
            json.dumps(e.changes, ensure_ascii=False)[:30_000],
        )
        for e in events.select_related("org")[:EXPORT_LIMIT]
    )
    headers = [_("时间"), _("操作人"), _("操作"), _("对象"), _("组织"), _("变更内容")]
    title = str(_("审计日志"))
    return downloads.xlsx(workbook(title, [str(h) for h in headers], rows), title)
