from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.audit.services import Conflict
from zonedesk.catalog.calendar import WorkCalendar
from zonedesk.common import downloads
from zonedesk.common.xlsx import workbook
from zonedesk.enterprises.selectors import enterprises_for
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Org
from zonedesk.projects.models import ProgressReport
from zonedesk.projects.selectors import projects_for
from zonedesk.web.forms import form_errors, form_page

from . import selectors, services
from .forms import BlockerFilter, BlockerForm, ReasonForm, ReassignForm, TextForm


def _require_reader(user):
    if not selectors.is_reader(user):
        raise PermissionDenied


def _with_notes(blockers, today):
    """Each row's overdue flag and, for a deadline in an unpublished year, the estimate note."""
    work = WorkCalendar()
    for b in blockers:
        b.overdue = b.is_overdue(today)
        b.estimate_note = work.estimate_note(b.deadline)
    return blockers


def _zones(user):
    """Zones where the user may raise blockers."""
    return [
        z for z in orgs.orgs_for(user).filter(kind=Org.Kind.ZONE) if services.can_raise(user, z)
    ]


def _filtered(request):
    """The filter form and its rows: the list page and its export show the same ones."""
    _require_reader(request.user)
    today = timezone.localdate()
    form = BlockerFilter(request.GET, user=request.user)
    return form, selectors.filtered(request.user, form.values(), today), today


@login_required
def blocker_list(request):
    form, qs, today = _filtered(request)
    rows, total = selectors.by_unit(qs, today)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    _with_notes(page, today)
    return render(
        request,
        "supervision/list.html",
        {
            "form": form,
            "blockers": page,
            "rows": rows,
            "total": total,
            "base": _without(request.GET, "state", "unit", "page"),
            "can_create": bool(_zones(request.user)),
        },
    )


def _without(query, *keys):
    q = query.copy()
    for k in keys:
        q.pop(k, None)
    return q.urlencode()


@login_required
def blocker_export(request):
    """The filtered list as a workbook: the same rows the page shows, nothing beyond scope."""
    _form, qs, today = _filtered(request)
    headers = [
        _("序号"),
        _("问题"),
        _("项目"),
        _("企业"),
        _("来源说明"),
        _("责任单位"),
        _("协调领导"),
        _("提出人"),
        _("提出日期"),
        _("办结时限"),
        _("督办级别"),
        _("状态"),
        _("办结日期"),
        _("按期办结"),
        _("逾期"),
        _("答复"),
    ]
    rows = (
        (
            i,
            b.title,
            b.project.name if b.project else "",
            b.enterprise.name if b.enterprise else "",
            b.source_note,
            b.unit.name,
            str(b.leader or ""),
            str(b.raised_by or ""),
            b.raised_on.isoformat(),
            b.deadline.isoformat(),
            b.get_level_display(),
            b.get_status_display(),
            b.resolved_on.isoformat() if b.resolved_on else "",
            b.on_time,
            b.is_overdue(today),
            b.answer,
        )
        for i, b in enumerate(qs, 1)
    )
    title = _("问题督办清单")
    return downloads.xlsx(workbook(title, headers, rows), title)


@login_required
def inbox(request):
    """待办: the open blockers of the user's unit, most urgent first."""
    _require_reader(request.user)
    today = timezone.localdate()
    blockers = _with_notes(list(selectors.inbox(request.user)[:200]), today)
    return render(request, "supervision/inbox.html", {"blockers": blockers})


def _blocker(request, pk):
    _require_reader(request.user)
    return get_object_or_404(selectors.blockers_for(request.user), pk=pk)


def _detail_context(request, blocker):
    today = timezone.localdate()
    _with_notes([blocker], today)
    allowed = services.actions_for(request.user, blocker)
    return {
        "b": blocker,
        "steps": blocker.steps.select_related(None),
        "allowed": allowed,
        "text_form": TextForm(),
        "reason_form": ReasonForm(),
        "reassign_form": ReassignForm(org=blocker.org) if "reassign" in allowed else None,
        "project_visible": blocker.project_id
        and projects_for(request.user).filter(pk=blocker.project_id).exists(),
    }


@login_required
def blocker_detail(request, pk):
    blocker = _blocker(request, pk)
    return render(request, "supervision/detail.html", _detail_context(request, blocker))


ACTIONS = {
    "answer": (TextForm, lambda u, b, d: services.answer(u, b, text=d["text"]), _("已答复")),
    "resolve": (TextForm, lambda u, b, d: services.resolve(u, b, text=d["text"]), _("已办结")),
    "verify": (TextForm, lambda u, b, d: services.verify(u, b, text=d["text"]), _("已销号")),
    "reopen": (
        ReasonForm,
        lambda u, b, d: services.reopen(u, b, reason=d["reason"]),
        _("已退回重办"),
    ),
    "reassign": (
        ReassignForm,
        lambda u, b, d: services.reassign(u, b, unit=d["unit"], reason=d["reason"]),
        _("已改派"),
    ),
    "escalate": (
        ReasonForm,
        lambda u, b, d: services.escalate(u, b, reason=d["reason"]),
        _("已升级督办"),
    ),
}


@login_required
@require_POST
def blocker_action(request, pk, action):
    """One transition; with htmx the panel (status, actions, timeline) comes back in place."""
    if action not in ACTIONS:
        raise Http404
    blocker = _blocker(request, pk)
    form_class, call, success = ACTIONS[action]
    kwargs = {"org": blocker.org} if form_class is ReassignForm else {}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            call(request.user, blocker, form.cleaned_data)
            messages.success(request, success)
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        except Conflict as c:
            messages.error(request, str(c))
    else:
        messages.error(request, form_errors(form))
    if request.htmx:
        blocker = _blocker(request, pk)
        return render(request, "supervision/_panel.html", _detail_context(request, blocker))
    return redirect("supervision:detail", pk=pk)


@login_required
def blocker_create(request):
    """Raise a blocker; ?project= preselects a project (and its zone), ?report= a monthly
    report whose problems text becomes the description."""
    zones = _zones(request.user)
    if not zones:
        raise PermissionDenied
    source = request.GET if request.method == "GET" else request.POST
    report = None
    project = None
    if request.GET.get("report"):
        report = get_object_or_404(
            ProgressReport.objects.filter(project__in=projects_for(request.user)).select_related(
                "project"
            ),
            pk=request.GET["report"],
        )
        project = report.project
    elif request.GET.get("project"):
        project = get_object_or_404(projects_for(request.user), pk=request.GET["project"])
    enterprise = None
    if request.GET.get("enterprise"):
        enterprise = get_object_or_404(
            enterprises_for(request.user).select_related("org"), pk=request.GET["enterprise"]
        )
    if project is not None or enterprise is not None:
        # The zone the project or the enterprise (perhaps in a park) belongs to.
        path = (project or enterprise).org.path
        org = next((z for z in zones if path.startswith(z.path)), None)
        if org is None:
            raise PermissionDenied
    else:
        wanted = source.get("org")
        org = next((z for z in zones if str(z.pk) == wanted), zones[0])
    initial = {"project": project, "leader": getattr(project, "leader", None)}
    if enterprise is not None:
        initial["enterprise"] = enterprise
    if project is not None:
        initial |= {"unit": project.unit, "enterprise": project.enterprise}
    if report is not None:
        initial |= {
            "description": report.problems,
            "title": report.problems.strip().splitlines()[0][:200] if report.problems else "",
            "source_note": _("%(month)s月度进展") % {"month": f"{report.period:%Y-%m}"},
        }
    form = BlockerForm(request.POST or None, user=request.user, org=org, initial=initial)
    return form_page(
        request,
        form,
        _("在“%(org)s”提出问题") % {"org": org},
        lambda form: services.raise_blocker(
            request.user, org=org, progress_report=report, **form.blocker_data()
        ),
        lambda b: reverse("supervision:detail", args=[b.pk]),
    )


@login_required
def today_page(request):
    """日碰头: what needs the user today, from blockers, monthly reports, approvals, leads."""
    _require_reader(request.user)
    today = timezone.localdate()
    return render(
        request, "supervision/today.html", selectors.today(request.user, today) | {"today": today}
    )


@login_required
def project_rows(request, pk):
    """The blockers of one project in the user's scope: the project page's section."""
    _require_reader(request.user)
    project = get_object_or_404(projects_for(request.user), pk=pk)
    blockers = selectors.blockers_for(request.user).filter(project=project).order_by("-pk")
    return render(
        request,
        "supervision/_project_rows.html",
        {"blockers": _with_notes(list(blockers[:20]), timezone.localdate()), "project": project},
    )
