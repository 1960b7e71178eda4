"""Pages of the period documents: request one, follow its progress, download it."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render

from zonedesk.notify.selectors import worker_status
from zonedesk.projects.selectors import default_period
from zonedesk.web.forms import run

from . import selectors, services
from .forms import RequestForm

TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@login_required
def index(request):
    orgs = list(selectors.report_orgs(request.user))
    if not orgs:
        raise PermissionDenied
    form = RequestForm(request.POST or None, orgs=orgs, default_period=default_period())
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        job = run(
            form,
            lambda: services.request_report(
                request.user, d["org"], d["kind"], d["year"], d["month"], d["quarter"]
            ),
        )
        if job is not None:
            return redirect("reports:job", pk=job.pk)
    jobs = selectors.jobs_for(request.user).filter(user=request.user)[:30]
    return render(request, "reports/index.html", {"form": form, "jobs": jobs})


def _job(request, pk):
    return get_object_or_404(selectors.jobs_for(request.user), pk=pk)


@login_required
def job(request, pk):
    item = _job(request, pk)
    return render(request, "reports/job.html", {"job": item, **_worker(item)})


@login_required
def progress(request, pk):
    """The progress fragment the job page polls until the document is ready."""
    item = _job(request, pk)
    return render(request, "reports/_progress.html", {"job": item, **_worker(item)})


def _worker(item):
    if item.finished:
        return {}
    alive, _seen = worker_status()
    return {"worker_down": not alive}


@login_required
def download(request, pk, fmt):
    return file_response(_job(request, pk), fmt)


def file_response(item, fmt):
    """The stored document, named after its title; 404 until it exists."""
    stored = getattr(item, fmt, None) if fmt in TYPES else None
    if not stored:
        raise Http404
    response = FileResponse(stored.open("rb"), content_type=TYPES[fmt])
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(item.title)}.{fmt}"
    return response
