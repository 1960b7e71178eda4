import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Model
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.catalog import calendar
from zonedesk.common.downloads import XLSX, download
from zonedesk.common.xlsx import workbook
from zonedesk.leads.selectors import leads_for
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Org, Role
from zonedesk.web.forms import act, form_errors, form_page, run
from zonedesk.web.params import MONTH, YEAR, period_params

from . import formulas, selectors, services
from .forms import (
    ApprovalForm,
    ProgressForm,
    ProjectFilter,
    ProjectForm,
    StageForm,
    StatsForm,
    YearPlanForm,
)
from .formulas import ZERO, approval_timing, money
from .models import ProgressPhoto, ProgressReport, Project


def _require_staff(user):
    """The registers, board and cockpit are the government's: warnings, rankings and the
    zone's figures. An enterprise contact reads its own projects' pages only."""
    if not orgs.is_staff(user):
        raise PermissionDenied(
            _("驾驶舱、项目库和四库看板供政府工作人员使用；企业请在“本企业”页查看自己的项目。")
        )


def _filter(request):
    _require_staff(request.user)
    return ProjectFilter.for_user(request.GET, request.user, selectors.default_period())


@login_required
def project_list(request):
    form = _filter(request)
    f = form.values()
    totals = selectors.list_totals(request.user, f)
    rows = selectors.ListRows(request.user, f, totals["count"])
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/list.html",
        {
            "form": form,
            "f": f,
            "projects": page,
            "totals": totals,
            "chosen": _chosen(form),
            "can_create": _creatable_zones(request.user).exists(),
        },
    )


def _chosen(form):
    """The filters in use beyond the period and the order, in words (预警：红色), for the
    collapsed filter panel's summary: a drill from the cockpit opens on its results and says
    what it shows."""
    if not form.is_valid():
        return []
    shown = []
    for name, value in form.cleaned_data.items():
        if name in ("year", "month", "sort") or value in ("", None, False):
            continue
        field = form.fields[name]
        if value is True or isinstance(value, Model):
            text = "" if value is True else str(value)
        else:  # a choice in words; typed text (名称、代码或企业) as typed
            text = dict(getattr(field, "choices", ())).get(value, value)
        shown.append(f"{field.label}：{text}" if text else str(field.label))
    return shown


@login_required
@period_params(year=YEAR, month=MONTH)
def project_export(request):
    """The list with its filter, in the zones' standard monthly-report layout."""
    form = _filter(request)
    f = form.values()
    qs = selectors.filtered(request.user, f)
    period = datetime.date(f["year"], f["month"], 1)
    rows = list(selectors.page_rows(qs))
    reports = {
        r.project_id: r
        for r in ProgressReport.objects.filter(project__in=[p.pk for p in rows], period=period)
    }
    t = selectors.totals(qs, f["year"], f["month"])
    headers = [
        _("项目编号"),
        _("项目名称"),
        _("建设性质"),
        _("建设内容"),
        _("总投资（万元）"),
        _("今年计划投资（万元）"),
        _("今年累计完成投资（万元）"),
        _("本月完成投资（万元）"),
        _("计划开工时间"),
        _("计划竣工时间"),
        _("包联领导"),
        _("责任单位"),
        _("服务单位"),
        _("项目类型"),
        _("建设阶段"),
        _("本月进展"),
        _("问题和建议"),
    ]
    body = (
        (
            p.project_code,
            p.name,
            p.get_nature_display(),
            p.content or p.scale,
            money(p.total_investment),
            money(p.plan),
            money(p.ytd),
            money(p.month_invested),
            _day(p.planned_start),
            _day(p.planned_completion),
            str(p.leader or ""),
            str(p.unit or ""),
            str(p.agent_unit or ""),
            p.get_category_display(),
            p.get_stage_display(),
            getattr(reports.get(p.pk), "progress", ""),
            getattr(reports.get(p.pk), "problems", ""),
        )
        for p in rows
    )
    totals = [
        "",
        _("合计（%(n)d个）") % {"n": t["count"]},
        "",
        "",
        t["total"],
        t["plan"],
        t["ytd"],
        t["month"],
    ]
    title = _("重点项目%(y)d年%(m)d月进展情况表") % {"y": f["year"], "m": f["month"]}
    return download(workbook(title, headers, body, totals=totals), f"{title}.xlsx", XLSX)


def _day(value):
    return f"{value:%Y-%m-%d}" if value else ""


@login_required
def board(request):
    """The 四库 board: 储备 / 签约 / 在建 / 投产, each card with its warning colour."""
    form = _filter(request)
    f = form.values()
    negotiating = leads_for(request.user).filter(stage="negotiating")
    if f.get("org"):
        negotiating = negotiating.filter(org=f["org"])
    return render(
        request,
        "projects/board.html",
        {
            "form": form,
            "f": f,
            "columns": selectors.board(request.user, f),
            "stage_form": StageForm(),
            "negotiating": negotiating[: selectors.BOARD_CARDS],
            "negotiating_count": negotiating.count(),
        },
    )


def _creatable_zones(user):
    zones = orgs.orgs_for(user).filter(kind=Org.Kind.ZONE)
    return (
        zones
        if user.is_superuser
        else zones.filter(
            pk__in=[
                z.pk
                for z in zones
                if orgs.has_role_over(
                    user, z, {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER}
                )
            ]
        )
    )


def _project(request, pk):
    year, month = selectors.default_period()
    try:
        return selectors.project_with_figures(request.user, pk, year, month)
    except Project.DoesNotExist as e:
        raise Http404 from e


def _editable(request, pk):
    project = _project(request, pk)
    if not services.can_edit(request.user, project):
        raise PermissionDenied
    return project


@login_required
def project_detail(request, pk):
    project = _project(request, pk)
    approvals = list(project.approvals.select_related("unit", "agent"))
    today = timezone.localdate()
    work = calendar.WorkCalendar()  # loads each year's holidays once for all the steps
    for step in approvals:
        if step.started_on:
            timing = approval_timing(step, work, today)
            step.deadline, step.elapsed, step.overdue = timing  # overdue: 超时, done or not
            step.estimate_note = work.estimate_note(step.started_on, step.deadline)
    year, month = selectors.default_period()
    reports = list(project.reports.prefetch_related("photos")[:24])
    actual, plan = selectors.investment_curve(reports, project.plan, year, month)
    return render(
        request,
        "projects/detail.html",
        {
            "p": project,
            "plans": project.year_plans.all(),
            "reports": reports,
            "photos": [(r, ph) for r in reports for ph in r.photos.all()],
            "curve": [
                {
                    "label": _("{}月").format(a["month"]),
                    "value": a["value"],
                    "url": f"#r-{year}-{a['month']:02d}" if a["filed"] else "",
                }
                for a in actual
            ],
            "plan_curve": plan,
            # Why it is red or yellow: the government's judgement, not shown to the enterprise.
            "reason": formulas.warning_reason(project, year, month)
            if request.user.is_superuser or orgs.role_names(request.user) & orgs.STAFF_ROLES
            else "",
            "approvals": approvals,
            "can_edit": services.can_edit(request.user, project),
            "is_staff": orgs.is_staff(request.user),
            "stage_form": StageForm(
                initial={"version": project.version, "stage": services.next_stage(project.stage)}
            ),
            "stats_form": StatsForm(initial={"on": today}),
            "year": year,
            "month": month,
        },
    )


@login_required
def project_create(request):
    zones = _creatable_zones(request.user)
    org = (
        zones.filter(pk=request.GET.get("org") or request.POST.get("org")).first() or zones.first()
    )
    if org is None:
        raise PermissionDenied
    form = ProjectForm(request.POST or None, user=request.user, org=org)
    return form_page(
        request,
        form,
        _("在“%(org)s”登记项目") % {"org": org},
        lambda form: services.create_project(request.user, org=org, **form.project_data()),
        lambda p: reverse("projects:detail", args=[p.pk]),
    )


@login_required
def project_edit(request, pk):
    project = _editable(request, pk)
    initial = {f: getattr(project, f) for f in services.FIELDS if f != "org"} | {
        "version": project.version
    }
    form = ProjectForm(request.POST or None, initial=initial, user=request.user, org=project.org)
    return form_page(
        request,
        form,
        _("编辑项目"),
        lambda form: services.update_project(
            request.user,
            project,
            form.project_data(),
            expected_version=form.cleaned_data["version"],
        ),
        lambda p: reverse("projects:detail", args=[p.pk]),
    )


@login_required
@require_POST
def project_stage(request, pk):
    project = _editable(request, pk)
    form = StageForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        act(
            request,
            lambda: services.change_stage(
                request.user,
                project,
                d["stage"],
                on=d["on"],
                reason=d["reason"],
                expected_version=d["version"],
            ),
            _("阶段已更新为“%(s)s”") % {"s": Project.Stage(d["stage"]).label},
        )
    else:
        messages.error(request, form_errors(form))
    if request.htmx:
        return render(request, "projects/_card.html", {"p": _project(request, pk), "flash": True})
    return redirect(request.POST.get("next") or reverse("projects:detail", args=[pk]))


@login_required
@require_POST
def project_stats(request, pk):
    project = _editable(request, pk)
    form = StatsForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.register_stats(request.user, project, on=form.cleaned_data["on"]),
            _("已登记入库入统"),
        )
    else:
        messages.error(request, form_errors(form))
    return redirect("projects:detail", pk=pk)


@login_required
def year_plan(request, pk):
    project = _editable(request, pk)
    year = request.GET.get("year", "")
    year = (
        int(year) if year.isdigit() and 2000 <= int(year) <= 2100 else selectors.default_period()[0]
    )
    plan = project.year_plans.filter(year=year).first()
    initial = {"year": year}
    if plan:
        initial |= {
            "planned_investment": plan.planned_investment,
            "planned_start_month": plan.planned_start_month,
            "goal": plan.goal,
        }
    form = YearPlanForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form,
        _("“%(p)s”年度计划") % {"p": project},
        lambda form: services.set_year_plan(request.user, project, **form.cleaned_data),
        lambda plan: reverse("projects:detail", args=[pk]),
    )


@login_required
def progress(request, pk):
    """File this month's progress: built for a phone in the field."""
    project = _editable(request, pk)
    year, month = selectors.default_period()
    period = datetime.date(year, month, 1)
    existing = project.reports.filter(period=period).first()
    initial = {"period": f"{period:%Y-%m}"}
    if existing:
        initial |= {
            "invested": existing.invested,
            "progress": existing.progress,
            "problems": existing.problems,
        }
    form = ProgressForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data

        def save():
            with transaction.atomic():
                report = services.file_progress(
                    request.user,
                    project,
                    period=d["period"],
                    invested=d["invested"],
                    progress=d["progress"],
                    problems=d["problems"],
                    reason=d["reason"],
                )
                for upload in request.FILES.getlist("photos"):
                    services.add_photo(request.user, report, upload)
                return report

        if run(form, save):
            messages.success(
                request,
                _("%(y)d年%(m)d月的月报已提交") % {"y": d["period"].year, "m": d["period"].month},
            )
            return redirect("projects:detail", pk=pk)
    deadline, shifted_from = services.deadline_moved(project.org, period)
    return render(
        request,
        "projects/progress.html",
        {
            "p": project,
            "form": form,
            "deadline": deadline,
            "shifted_from": shifted_from,
            "existing": existing,
            "late": timezone.localdate() > deadline,
            "locked": services.is_locked(project.org, period),
        },
    )


@login_required
def photo(request, pk):
    """Photos are served only to those who may see the project."""
    return FileResponse(_photo(request, pk).image.open("rb"), content_type="image/jpeg")


@login_required
def photo_thumb(request, pk):
    """A photo's thumbnail for the gallery, drawn once and kept beside the photos."""
    thumb = services.photo_thumbnail(_photo(request, pk))
    response = FileResponse(thumb.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


def _photo(request, pk):
    return get_object_or_404(
        ProgressPhoto.objects.filter(report__project__in=selectors.projects_for(request.user)),
        pk=pk,
    )


@login_required
def approval(request, pk, step_pk=None):
    project = _editable(request, pk)
    step = get_object_or_404(project.approvals, pk=step_pk) if step_pk else None
    initial = (
        {f: getattr(step, f) for f in services.STEP_FIELDS} | {"version": step.version}
        if step
        else {"status": "pending"}
    )
    form = ApprovalForm(request.POST or None, initial=initial, user=request.user)

    def save(form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        if step is None:
            return services.add_approval_step(request.user, project, **data)
        return services.update_approval_step(
            request.user, step, data, expected_version=form.cleaned_data["version"]
        )

    return form_page(
        request,
        form,
        _("审批事项 · %(p)s") % {"p": project},
        save,
        lambda s: reverse("projects:detail", args=[pk]) + "#approvals",
    )


@login_required
def cockpit(request):
    """领导驾驶舱: the scope's KPIs, charts, and each zone beneath side by side."""
    form = _filter(request)
    f = form.values()
    year, month = f["year"], f["month"]
    figures = selectors.cockpit(request.user, year, month, group_by_zone=True)
    completion = selectors.monthly_completion(request.user, year, month)
    charts = selectors.charts(request.user, year, month)
    return render(
        request,
        "projects/cockpit.html",
        {
            "year": year,
            "month": month,
            "months": ProjectFilter.base_fields["month"].choices,
            "t": figures["total"],
            "zones": figures["zones"] if len(figures["zones"]) > 1 else [],
            # Each bar links to the list behind it: the projects of the plan as of that month,
            # the projects of that chain or park.
            "completion": [
                {
                    "label": _("{}月").format(c["month"]),
                    "value": c["completion"] or ZERO,
                    "url": _rows(year, c["month"], in_plan="on", sort="-ytd"),
                }
                for c in completion
            ],
            "time_line": [c["time_progress"] for c in completion],
            **{name: _bars(year, month, rows) for name, rows in charts.items()},
        },
    )


def _rows(year, month, **filters):
    """The project list behind a chart's bar: the period and the bar's filter."""
    return f"{reverse('projects:list')}?{urlencode({'year': year, 'month': month, **filters})}"


def _bars(year, month, rows):
    """A chart's bars, each a link to its rows (none for 未分类, which no filter selects)."""
    return [
        {
            "label": label,
            "value": v,
            "url": "" if f is None else _rows(year, **{"month": month, **f}),
        }
        for label, v, f in rows
    ]


@login_required
def lock(request):
    """A statistician closes a month for a zone."""
    zones = [
        z
        for z in orgs.orgs_for(request.user).filter(kind=Org.Kind.ZONE)
        if orgs.has_role_over(request.user, z, {Role.Name.STATISTICIAN, Role.Name.ADMIN})
    ]
    if not zones:
        raise PermissionDenied
    if request.method == "POST":
        zone = next((z for z in zones if str(z.pk) == request.POST.get("org")), None)
        try:
            period = datetime.datetime.strptime(request.POST.get("period", ""), "%Y-%m").date()
        except ValueError:
            messages.error(request, _("请选择要关账的月份"))
        else:
            if zone is None:
                raise PermissionDenied
            act(
                request,
                lambda: services.lock_period(request.user, zone, period),
                _("%(z)s %(m)s已关账") % {"z": zone, "m": f"{period:%Y-%m}"},
            )
        return redirect("projects:lock")
    locks = services.PeriodLock.objects.filter(org__in=zones).select_related("org", "locked_by")[
        :36
    ]
    year, month = selectors.default_period()
    return render(
        request,
        "projects/lock.html",
        {"zones": zones, "locks": locks, "period": f"{year}-{month:02d}"},
    )
