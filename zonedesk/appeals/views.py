from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.catalog.calendar import estimate_note
from zonedesk.common import downloads, files
from zonedesk.enterprises.selectors import enterprises_for
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Org
from zonedesk.web.forms import act, form_errors, form_page, run
from zonedesk.web.params import YEAR_MONTH, period_params

from . import exports, selectors, services
from .forms import (
    AnswerForm,
    AppealFilter,
    AttachForm,
    BlockerForm,
    CategoryForm,
    LogForm,
    RaiseForm,
    RateForm,
    ReasonForm,
    ReportForm,
    TransferForm,
)
from .models import Appeal, AppealCategory, Attachment


def _require_use(user):
    if not selectors.may_use(user):
        raise PermissionDenied


def _staff_zones(user):
    zones = orgs.orgs_for(user).filter(kind=Org.Kind.ZONE)
    return [z for z in zones if selectors.is_staff(user, z)]


def _manager_zones(user):
    zones = orgs.orgs_for(user).filter(kind=Org.Kind.ZONE)
    return [z for z in zones if selectors.is_manager(user, z)]


def _chosen(request, items, key):
    """The item whose id the request names under `key`, or the first (items are in scope)."""
    wanted = request.POST.get(key) or request.GET.get(key)
    return next((i for i in items if str(i.pk) == wanted), items[0])


def _filter(request):
    form = AppealFilter(request.GET, categories=selectors.categories_for(request.user))
    return form, selectors.filtered(request.user, form.values())


# ---------------------------------------------------------------- lists


@login_required
def appeal_list(request):
    """Staff and units: every appeal they see, with the filters the report links to."""
    _require_use(request.user)
    if not selectors.is_reader(request.user) and not selectors.unit_ids(request.user):
        return redirect("appeals:mine")
    form, qs = _filter(request)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/list.html",
        {
            "form": form,
            "appeals": page,
            "today": timezone.localdate(),
            "can_log": bool(_staff_zones(request.user)),
            "title": _("企业诉求"),
        },
    )


@login_required
def inbox(request):
    """A unit's open appeals, the most urgent first."""
    units = selectors.unit_ids(request.user)
    if not units:
        raise PermissionDenied
    qs = (
        selectors.appeals_for(request.user)
        .filter(unit__in=units, status__in=Appeal.OPEN)
        .order_by("deadline", "pk")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "appeals/list.html",
        {"appeals": page, "today": timezone.localdate(), "title": _("待办诉求"), "inbox": True},
    )


@login_required
def appeal_export(request):
    _require_use(request.user)
    _form, qs = _filter(request)
    return downloads.xlsx(exports.appeals_xlsx(qs), _("企业诉求"))


def _own_enterprises(user):
    ids = selectors.enterprise_ids(user)
    return list(enterprises_for(user).filter(pk__in=ids)) if ids else []


@login_required
def mine(request):
    """我的诉求: the enterprise's appeals, each with its steps and, once closed, the rating."""
    companies = _own_enterprises(request.user)
    if not companies:
        raise PermissionDenied
    appeals = list(
        selectors.appeals_for(request.user)
        .filter(enterprise__in=companies)
        .prefetch_related("steps", "attachments")[:100]
    )
    for a in appeals:
        a.can = selectors.allowed(request.user, a)
    return render(
        request,
        "appeals/mine.html",
        {"appeals": appeals, "rate_form": RateForm(), "companies": companies},
    )


@login_required
def appeal_raise(request):
    """提诉求: the enterprise's phone form."""
    companies = _own_enterprises(request.user)
    if not companies:
        raise PermissionDenied
    enterprise = _chosen(request, companies, "enterprise")
    zone = selectors.zone_of(enterprise)
    categories = AppealCategory.objects.filter(org=zone, is_active=True)
    form = RaiseForm(request.POST or None, request.FILES or None, categories=categories)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        appeal = run(
            form,
            lambda: services.raise_appeal(
                request.user,
                enterprise=enterprise,
                category=d["category"],
                title=d["title"],
                description=d["description"],
                attachments=request.FILES.getlist("attachments"),
            ),
        )
        if appeal is not None:
            messages.success(request, _("诉求已提交，办理时限 %(d)s") % {"d": appeal.deadline})
            return redirect("appeals:mine")
    return render(
        request,
        "appeals/raise.html",
        {"form": form, "enterprise": enterprise, "companies": companies},
    )


@login_required
def appeal_log(request):
    """Staff log an appeal taken by phone, on a visit or at the monthly meeting."""
    zones = _staff_zones(request.user)
    if not zones:
        raise PermissionDenied
    org = _chosen(request, zones, "org")
    categories = AppealCategory.objects.filter(org=org, is_active=True)
    form = LogForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        org=org,
        categories=categories,
        initial={
            "received_on": timezone.localdate(),
            "enterprise": request.GET.get("enterprise"),
            "channel": request.GET.get("channel"),
        },
    )
    return form_page(
        request,
        form,
        _("在“%(org)s”登记企业诉求") % {"org": org},
        lambda form: services.raise_appeal(
            request.user,
            attachments=request.FILES.getlist("attachments"),
            **{k: v for k, v in form.cleaned_data.items() if k != "attachments"},
        ),
        lambda appeal: reverse("appeals:detail", args=[appeal.pk]),
    )


# ---------------------------------------------------------------- one appeal


def _appeal(request, pk):
    _require_use(request.user)
    return get_object_or_404(selectors.appeals_for(request.user), pk=pk)


def _context(request, appeal, **forms):
    can = selectors.allowed(request.user, appeal)
    all_units = orgs.units_for(request.user).filter(
        org__path__startswith=appeal.org.path, is_active=True
    )
    units = all_units.exclude(pk=appeal.unit_id)
    initial = {"version": appeal.version}
    return {
        "a": appeal,
        "can": can,
        "steps": selectors.steps_of(appeal),
        "attachments": appeal.attachments.all(),
        "today": timezone.localdate(),
        "transfer_form": forms.get("transfer") or TransferForm(initial=initial, units=units),
        "return_form": forms.get("return") or ReasonForm(initial=initial),
        "answer_form": forms.get("answer") or AnswerForm(initial=initial | {"text": appeal.answer}),
        "rate_form": forms.get("rate") or RateForm(initial=initial),
        "attach_form": AttachForm(),
        "blocker_form": forms.get("blocker")
        or _blocker_form(request, appeal, all_units, initial=initial),
        "estimate_note": _estimate(appeal),
        "blocker_ready": _blocker_ready(request.user, appeal),
        "own": selectors.enterprise_ids(request.user),
    }


def _estimate(appeal):
    if not appeal.deadline_estimated:
        return ""
    return estimate_note(appeal.received_on, appeal.deadline)


def _blocker_ready(user, appeal):
    return "blocker" in selectors.allowed(user, appeal)


def _blocker_form(request, appeal, units, data=None, initial=None):
    leaders = (
        orgs.users_for(request.user)
        .filter(is_active=True, roles__org=appeal.org, roles__role="leader")
        .distinct()
    )
    return BlockerForm(
        data,
        units=units,
        leaders=leaders,
        initial=(initial or {})
        | {"title": appeal.title, "unit": appeal.unit_id, "deadline": appeal.category.days},
    )


@login_required
@require_POST
def appeal_blocker(request, pk):
    """转为督办: zone leaders and officers hand the appeal to supervision."""
    appeal = _appeal(request, pk)
    units = orgs.units_for(request.user).filter(
        org__path__startswith=appeal.org.path, is_active=True
    )
    form = _blocker_form(request, appeal, units, data=request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return _respond(request, appeal)
    d = form.cleaned_data
    act(
        request,
        lambda: services.to_blocker(
            request.user,
            appeal,
            title=d["title"],
            unit=d["unit"],
            leader=d["leader"],
            deadline=d["deadline"],
            expected_version=d["version"],
        ),
        _("已转为督办"),
    )
    return _respond(request, appeal)


@login_required
def appeal_detail(request, pk):
    appeal = _appeal(request, pk)
    return render(request, "appeals/detail.html", _context(request, appeal))


def _respond(request, appeal, **forms):
    """After an action: the refreshed appeal (htmx) or a redirect to the page."""
    if request.htmx:
        appeal = get_object_or_404(selectors.appeals_for(request.user), pk=appeal.pk)
        return render(request, "appeals/_appeal.html", _context(request, appeal, **forms))
    if request.POST.get("next") == "mine":
        return redirect("appeals:mine")
    return redirect("appeals:detail", pk=appeal.pk)


# step name → (form, service call taking (user, appeal, data, version), success message)
STEPS = {
    "accept": (None, lambda u, a, d, v: services.accept(u, a, expected_version=v), _("已受理")),
    "transfer": (
        TransferForm,
        lambda u, a, d, v: services.transfer(u, a, expected_version=v, **d),
        _("已转办"),
    ),
    "return": (
        ReasonForm,
        lambda u, a, d, v: services.return_appeal(u, a, expected_version=v, **d),
        _("已退回"),
    ),
    "answer": (
        AnswerForm,
        lambda u, a, d, v: services.answer(u, a, expected_version=v, **d),
        _("已答复，待办结"),
    ),
    "close": (None, lambda u, a, d, v: services.close(u, a, expected_version=v), _("已办结")),
    "rate": (
        RateForm,
        lambda u, a, d, v: services.rate(u, a, expected_version=v, **d),
        _("感谢您的评价"),
    ),
}


@login_required
@require_POST
def appeal_step(request, pk, step):
    """One step of the loop, posted from the appeal page (htmx) or 我的诉求."""
    if step not in STEPS:
        raise Http404
    form_class, call, success = STEPS[step]
    appeal = _appeal(request, pk)
    form = None
    if form_class is TransferForm:
        units = _context(request, appeal)["transfer_form"].fields["to_unit"].queryset
        form = TransferForm(request.POST, units=units)
    elif form_class is not None:
        form = form_class(request.POST)
    if form is not None and not form.is_valid():
        messages.error(request, form_errors(form))
        return _respond(request, appeal, **{step: form})
    data = dict(form.cleaned_data) if form is not None else {}
    version = data.pop("version", None) if form is not None else request.POST.get("version")
    if data.get("close_too"):
        success = _("已答复并办结，企业可以评价了")
    act(request, lambda: call(request.user, appeal, data, version or None), success)
    return _respond(request, appeal)


@login_required
@require_POST
def appeal_attach(request, pk):
    appeal = _appeal(request, pk)
    uploads = request.FILES.getlist("attachments")
    if not uploads:
        messages.error(request, _("请选择要上传的文件"))
    else:
        act(request, lambda: services.add_attachments(request.user, appeal, uploads), _("已上传"))
    return _respond(request, appeal)


@login_required
def attachment(request, pk):
    """Attachments are served only to those who may see the appeal, never inline as HTML."""
    _require_use(request.user)
    item = get_object_or_404(
        Attachment.objects.filter(appeal__in=selectors.appeals_for(request.user)), pk=pk
    )
    response = FileResponse(
        item.file.open("rb"),
        content_type=files.CONTENT_TYPES[item.kind],
        as_attachment=item.kind != Attachment.Kind.IMAGE,
        filename=item.name if item.kind != Attachment.Kind.IMAGE else None,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------- 以月答卷


def _month(request):
    today = timezone.localdate()
    default = f"{today:%Y-%m}"
    form = ReportForm({"month": request.GET.get("month") or default})
    span = selectors.month_span(form.data["month"]) or selectors.month_span(default)
    return form, span[0].year, span[0].month


def _report(request):
    if not (selectors.is_reader(request.user) or selectors.unit_ids(request.user)):
        raise PermissionDenied
    form, year, month = _month(request)
    return form, selectors.monthly_report(request.user, year, month)


@login_required
def report(request):
    form, data = _report(request)
    return render(request, "appeals/report.html", {"form": form, "r": data})


@login_required
@period_params(month=YEAR_MONTH)
def report_xlsx(request):
    _form, data = _report(request)
    return downloads.download(
        exports.report_xlsx(data), f"{_('以月答卷')}-{data['key']}.xlsx", downloads.XLSX
    )


@login_required
@period_params(month=YEAR_MONTH)
def report_docx(request):
    _form, data = _report(request)
    return downloads.download(
        exports.report_docx(data), f"{_('以月答卷')}-{data['key']}.docx", downloads.DOCX
    )


# ---------------------------------------------------------------- categories


@login_required
def category_list(request):
    zones = _manager_zones(request.user)
    if not zones:
        raise PermissionDenied
    categories = AppealCategory.objects.filter(org__in=zones).select_related(
        "org", "unit", "leader"
    )
    return render(request, "appeals/categories.html", {"categories": categories, "zones": zones})


@login_required
def category_create(request):
    zones = _manager_zones(request.user)
    if not zones:
        raise PermissionDenied
    org = _chosen(request, zones, "org")
    form = CategoryForm(request.POST or None, user=request.user, org=org, initial={"days": 5})
    return form_page(
        request,
        form,
        _("在“%(org)s”新增诉求类别") % {"org": org},
        lambda form: services.create_category(
            request.user, org=org, **_without_version(form.cleaned_data)
        ),
        lambda c: reverse("appeals:categories"),
    )


def _without_version(data):
    return {k: v for k, v in data.items() if k != "version"}


@login_required
def category_edit(request, pk):
    zones = _manager_zones(request.user)
    category = get_object_or_404(AppealCategory.objects.filter(org__in=zones), pk=pk)
    initial = {f: getattr(category, f) for f in services.CATEGORY_FIELDS}
    form = CategoryForm(
        request.POST or None,
        user=request.user,
        org=category.org,
        initial=initial | {"version": category.version},
    )
    return form_page(
        request,
        form,
        _("编辑诉求类别"),
        lambda form: services.update_category(
            request.user,
            category,
            _without_version(form.cleaned_data),
            expected_version=form.cleaned_data["version"],
        ),
        lambda c: reverse("appeals:categories"),
    )


@login_required
@require_POST
@transaction.atomic
def category_seed(request):
    zones = _manager_zones(request.user)
    if not zones:
        raise PermissionDenied
    org = _chosen(request, zones, "org")
    act(request, lambda: services.seed_categories(request.user, org), _("已添加常用类别"))
    return redirect("appeals:categories")
