"""Pages of the period documents: request one, follow its progress, download it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from zonedesk.common import downloads
from zonedesk.jobs import Busy
from zonedesk.notify.selectors import worker_status
from zonedesk.projects.selectors import default_period
from zonedesk.web.forms import run

from . import selectors, services
from .forms import RequestForm
from .models import ReportJob

TYPES = {"docx": downloads.DOCX, "xlsx": downloads.XLSX}


@login_required
def index(request):
    """Those who generate documents request one here and see their own; those who only read
    them (viewers, statisticians) see the finished documents of their organisations."""
    orgs = list(selectors.report_orgs(request.user))
    if not orgs:
        if request.method == "POST" or not selectors.is_reader(request.user):
            raise PermissionDenied
        jobs = selectors.jobs_for(request.user).filter(status=ReportJob.Status.DONE)[:30]
        return render(request, "reports/index.html", {"jobs": jobs})
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
    return render(request, "reports/job.html", _context(request, item))


@login_required
def progress(request, pk):
    """The progress fragment the job page polls until the document is ready."""
    item = _job(request, pk)
    return render(request, "reports/_progress.html", _context(request, item))


@login_required
@require_POST
def retry(request, pk):
    """重试 a failed document; one not failed is shown as it is now, with why (409)."""
    item = _job(request, pk)
    try:
        services.retry(request.user, item)
    except Busy as e:
        messages.error(request, str(e))
        return render(request, "reports/job.html", _context(request, item), status=409)
    return redirect("reports:job", pk=pk)


def _context(request, item):
    if item.status == ReportJob.Status.FAILED:
        return {"job": item, "may_retry": services.can_generate(request.user, item.org)}
    if item.finished:
        return {"job": item}
    alive, _seen = worker_status()
    return {"job": item, "worker_down": not alive}


@login_required
def download(request, pk, fmt):
    return file_response(_job(request, pk), fmt)


def file_response(item, fmt):
    """The stored document, named after its title; 404 until it exists."""
    stored = getattr(item, fmt, None) if fmt in TYPES else None
    if not stored:
        raise Http404
    return downloads.download(stored.open("rb"), f"{item.title}.{fmt}", TYPES[fmt])
