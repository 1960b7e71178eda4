from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from zonedesk.common.downloads import XLSX, download
from zonedesk.jobs import Busy
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Org, Role

from . import engine, flow
from .models import ImportJob

IMPORTERS = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER, Role.Name.PROMOTER}
MAX_UPLOAD = 20 * 1024 * 1024


def _zones(user):
    return [
        z
        for z in orgs.orgs_for(user).filter(kind=Org.Kind.ZONE)
        if orgs.has_role_over(user, z, IMPORTERS)
    ]


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("台账类型"))
    org = forms.TypedChoiceField(label=_("开发区"), coerce=int)
    file = forms.FileField(
        label=_("Excel 文件（.xlsx）"), widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )

    def __init__(self, *args, zones, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.name, k.label) for k in engine.KINDS.values()]
        self.fields["org"].choices = [(z.pk, z.name) for z in zones]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("文件超过20MB，请拆分后上传"))
        return upload


@login_required
def upload(request):
    zones = _zones(request.user)
    if not zones:
        raise PermissionDenied
    form = UploadForm(request.POST or None, request.FILES or None, zones=zones)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        org = next(z for z in zones if z.pk == d["org"])
        job = flow.start(
            request.user, org, engine.KINDS[d["kind"]], d["file"].read(), filename=d["file"].name
        )
        return redirect("imports:job", pk=job.pk)
    jobs = (
        ImportJob.objects.filter(org__in=zones)
        .defer("data")
        .select_related("org", "created_by")[:20]
    )
    return render(
        request,
        "imports/upload.html",
        {"form": form, "jobs": jobs, "kinds": engine.KINDS.values()},
    )


def _job(request, pk):
    return get_object_or_404(
        ImportJob.objects.filter(org__in=_zones(request.user)).defer("data").select_related("org"),
        pk=pk,
    )


@login_required
def job(request, pk):
    return _job_page(request, _job(request, pk))


def _job_page(request, item, status=200):
    context = {"job": item, "kind": engine.KINDS.get(item.kind)}
    return render(request, "imports/job.html", context, status=status)


@login_required
def progress(request, pk):
    """The progress bar, polled by htmx while the worker reads or imports; the whole page
    reloads once the job is finished, to show its result."""
    item = _job(request, pk)
    if not item.busy and request.htmx:
        return HttpResponseClientRefresh()
    return render(request, "imports/_progress.html", {"job": item})


@login_required
def mine(request):
    """我的导入: the user's own imports, to come back to one that ran in the background."""
    jobs = (
        ImportJob.objects.filter(created_by=request.user)
        .defer("data")
        .select_related("org", "created_by")
    )
    page = Paginator(jobs, 50).get_page(request.GET.get("page"))
    return render(request, "imports/mine.html", {"page": page, "jobs": page.object_list})


@login_required
@require_POST
def confirm(request, pk):
    valid_only = request.POST.get("valid_only") == "on"
    return _act(request, pk, lambda item: flow.confirm(request.user, item, valid_only=valid_only))


@login_required
@require_POST
def retry(request, pk):
    return _act(request, pk, lambda item: flow.retry(request.user, item))


def _act(request, pk, action):
    """Confirm or retry; a job whose state refuses it is shown as it is now, with why (409)."""
    item = _job(request, pk)
    try:
        action(item)
    except Busy as e:
        messages.error(request, str(e))
        return _job_page(request, item, status=409)
    return redirect("imports:job", pk=pk)


@login_required
def template(request, kind):
    if not _zones(request.user) or kind not in engine.KINDS:
        raise Http404
    name = f"{engine.KINDS[kind].label}-模板.xlsx"
    return download(engine.template(engine.KINDS[kind]), name, XLSX)
