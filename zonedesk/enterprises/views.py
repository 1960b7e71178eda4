from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.catalog.validators import validate_uscc
from zonedesk.common import downloads
from zonedesk.common.xlsx import workbook
from zonedesk.leads.selectors import READERS as LEAD_READERS
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Org
from zonedesk.projects.selectors import projects_for
from zonedesk.supervision.services import can_raise
from zonedesk.web.forms import act, edit_page, run
from zonedesk.web.params import YEAR, period_params

from . import selectors, services
from .forms import (
    ContactForm,
    DesignationFilter,
    DesignationForm,
    EnterpriseFilter,
    EnterpriseForm,
    FundFilter,
    FundForm,
)
from .models import Contact

# The appeals app fills the enterprise page's 企业诉求 section with this template, if present.
APPEALS_TEMPLATE = "appeals/_enterprise_appeals.html"


def _require_staff(user):
    """Registers, lists and exports are for staff; an enterprise sees only its own page."""
    if not orgs.is_staff(user):
        raise PermissionDenied


def _xlsx(title, headers, rows, totals=None):
    return downloads.xlsx(workbook(title, headers, rows, totals=totals), title)


# --- enterprises -----------------------------------------------------------------------------


def _enterprise_filter(request):
    return EnterpriseFilter(
        request.GET,
        chains=selectors.chains_for(request.user),
        parks=selectors.parks_for(request.user),
    )


@login_required
def enterprise_list(request):
    if not orgs.is_staff(request.user):
        own = orgs.own_enterprise_ids(request.user)
        if len(own) == 1:
            return redirect("enterprises:detail", pk=own[0])
    form = _enterprise_filter(request)
    qs = selectors.search_enterprises(request.user, **form.values())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "enterprises/list.html",
        {"enterprises": page, "form": form, "can_create": bool(_zones(request.user))},
    )


@login_required
def enterprise_export(request):
    _require_staff(request.user)
    form = _enterprise_filter(request)
    qs = selectors.search_enterprises(request.user, **form.values()).prefetch_related("contacts")
    may_read = selectors.contact_reader(request.user)

    def primary(e):
        shown = [selectors.mask_contact(c, may_read(e)) for c in e.contacts.all()]
        c = next((c for c in shown if c.is_primary), shown[0] if shown else None)
        return (c.name, c.phone) if c else ("", "")

    rows = (
        (
            i,
            e.name,
            e.uscc,
            e.legal_rep,
            str(e.industry or ""),
            e.chain,
            e.park.name if e.park else "",
            e.above_scale,
            e.registered_capital,
            f"{e.established_on:%Y-%m-%d}" if e.established_on else "",
            e.address,
            *primary(e),
            e.org.name,
        )
        for i, e in enumerate(qs, 1)
    )
    headers = [
        _("序号"),
        _("企业名称"),
        _("统一社会信用代码"),
        _("法定代表人"),
        _("国民经济行业"),
        _("产业链"),
        _("园区"),
        _("规模以上"),
        _("注册资本（万元）"),
        _("成立日期"),
        _("地址"),
        _("主要联系人"),
        _("联系电话"),
        _("所属组织"),
    ]
    return _xlsx(_("企业名录"), headers, rows)


def _zones(user):
    """Organisations where the user may register enterprises."""
    return [
        o
        for o in orgs.orgs_for(user).filter(kind=Org.Kind.ZONE)
        if orgs.has_role_over(user, o, services.EDITORS)
    ]


def _duplicate_links(user, form, org, instance=None):
    """The records a refused entry duplicates and the user may open, for links beside the
    refusal."""
    if not (form.errors.get("uscc") or form.errors.get("name")):
        return []
    try:
        uscc = validate_uscc(form.data.get("uscc") or "")
    except ValidationError:
        uscc = ""
    found = services.duplicates(org, (form.data.get("name") or "").strip(), uscc, instance)
    return list(selectors.enterprises_for(user).filter(pk__in=[e.pk for e in found.values()]))


def _enterprise_form_page(request, form, org, title, save, instance=None):
    if request.method == "POST" and form.is_valid():
        enterprise = run(form, lambda: save(form))
        if enterprise is not None:
            messages.success(request, _("已保存"))
            return redirect("enterprises:detail", pk=enterprise.pk)
    duplicates = _duplicate_links(request.user, form, org, instance) if form.is_bound else []
    return render(
        request,
        "enterprises/form.html",
        {"form": form, "title": title, "duplicates": duplicates},
    )


@login_required
def enterprise_create(request):
    zones = _zones(request.user)
    org = next((z for z in zones if str(z.pk) == (request.GET.get("org") or "")), None) or (
        zones[0] if zones else None
    )
    if org is None:
        raise PermissionDenied
    form = EnterpriseForm(request.POST or None, org=org, chains=selectors.chains_for(request.user))
    return _enterprise_form_page(
        request,
        form,
        org,
        _("在“%(org)s”登记企业") % {"org": org},
        lambda form: services.create_enterprise(request.user, org=org, **form.data_for_service()),
    )


def _enterprise(request, pk):
    return get_object_or_404(selectors.enterprises_for(request.user), pk=pk)


@login_required
def enterprise_edit(request, pk):
    enterprise = _enterprise(request, pk)
    if not services.can_edit(request.user, enterprise):
        raise PermissionDenied
    fields = [f for f in services.FIELDS if f != "org"]
    initial = {f: getattr(enterprise, f) for f in fields} | {"version": enterprise.version}
    form = EnterpriseForm(
        request.POST or None,
        initial=initial,
        org=enterprise.org,
        chains=selectors.chains_for(request.user),
    )
    return _enterprise_form_page(
        request,
        form,
        enterprise.org,
        _("编辑企业"),
        lambda form: services.update_enterprise(
            request.user,
            enterprise,
            form.data_for_service(),
            expected_version=form.cleaned_data["version"],
        ),
        instance=enterprise,
    )


def _appeals_template():
    try:
        get_template(APPEALS_TEMPLATE)
    except TemplateDoesNotExist:
        return None
    return APPEALS_TEMPLATE


@login_required
def enterprise_detail(request, pk):
    enterprise = _enterprise(request, pk)
    page = selectors.enterprise_page(request.user, enterprise)
    return render(
        request,
        "enterprises/detail.html",
        {
            "e": enterprise,
            **page,
            "can_edit": services.can_edit(request.user, enterprise),
            "can_edit_contacts": services.can_edit_contacts(request.user, enterprise),
            "is_staff": orgs.is_staff(request.user),
            "show_leads": request.user.is_superuser
            or bool(orgs.role_names(request.user) & LEAD_READERS),
            "appeals_template": _appeals_template(),
            "can_raise_blocker": can_raise(request.user, enterprise.org),
        },
    )


# --- contacts --------------------------------------------------------------------------------


def _child_page(request, enterprise, form, save, anchor, title):
    """The create/edit page of a record shown in one section of the enterprise page."""
    return edit_page(
        request,
        form,
        lambda: save(form),
        lambda obj: reverse("enterprises:detail", args=[enterprise.pk]) + anchor,
        "web/form.html",
        {"title": f"{title} · {enterprise}"},
    )


def _enterprise_if(request, pk, allowed):
    enterprise = _enterprise(request, pk)
    if not allowed(request.user, enterprise):
        raise PermissionDenied
    return enterprise


def _create_child(request, enterprise, form_class, add, anchor, title):
    form = form_class(request.POST or None)
    return _child_page(
        request,
        enterprise,
        form,
        lambda form: add(request.user, enterprise, **_without_version(form.cleaned_data)),
        anchor,
        title,
    )


def _edit_child(request, enterprise, obj, form_class, fields, update, anchor, title):
    initial = {f: getattr(obj, f) for f in fields} | {"version": obj.version}
    form = form_class(request.POST or None, initial=initial)
    return _child_page(
        request,
        enterprise,
        form,
        lambda form: update(
            request.user,
            obj,
            _without_version(form.cleaned_data),
            expected_version=form.cleaned_data["version"],
        ),
        anchor,
        title,
    )


@login_required
def contact_create(request, pk):
    enterprise = _enterprise_if(request, pk, services.can_edit_contacts)
    return _create_child(
        request, enterprise, ContactForm, services.add_contact, "#contacts", _("联系人")
    )


@login_required
def contact_edit(request, pk, contact_pk):
    enterprise = _enterprise_if(request, pk, services.can_edit_contacts)
    contact = get_object_or_404(Contact.objects.filter(enterprise=enterprise), pk=contact_pk)
    return _edit_child(
        request,
        enterprise,
        contact,
        ContactForm,
        services.CONTACT_FIELDS,
        services.update_contact,
        "#contacts",
        _("联系人"),
    )


@login_required
@require_POST
def contact_remove(request, pk, contact_pk):
    enterprise = _enterprise_if(request, pk, services.can_edit_contacts)
    contact = get_object_or_404(Contact.objects.filter(enterprise=enterprise), pk=contact_pk)
    act(request, lambda: services.remove_contact(request.user, contact), _("已删除联系人"))
    return redirect(reverse("enterprises:detail", args=[pk]) + "#contacts")


def _without_version(data):
    return {k: v for k, v in data.items() if k != "version"}


# --- designations ----------------------------------------------------------------------------


def _designation_filter(request):
    return DesignationFilter(request.GET, chains=selectors.chains_for(request.user))


@login_required
def designation_list(request):
    _require_staff(request.user)
    form = _designation_filter(request)
    f = form.values()
    qs = selectors.filter_designations(request.user, f)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    start, end = selectors.expiring_window()
    return render(
        request,
        "enterprises/designations.html",
        {"form": form, "designations": page, "f": f, "start": start, "end": end},
    )


@login_required
def designation_export(request):
    _require_staff(request.user)
    f = _designation_filter(request).values()
    qs = selectors.filter_designations(request.user, f)
    headers = [
        _("序号"),
        _("企业名称"),
        _("统一社会信用代码"),
        _("称号"),
        _("级别"),
        _("证书编号"),
        _("认定日期"),
        _("有效期至"),
        _("产业链"),
        _("备注"),
    ]
    rows = (
        (
            i,
            d.enterprise.name,
            d.enterprise.uscc,
            d.title,
            d.get_level_display(),
            d.certificate_no,
            f"{d.granted_on:%Y-%m-%d}",
            f"{d.expires_on:%Y-%m-%d}" if d.expires_on else _("长期"),
            d.enterprise.chain,
            d.note,
        )
        for i, d in enumerate(qs, 1)
    )
    title = _("90天内到期企业称号") if f.get("expiring") else _("企业称号")
    return _xlsx(title, headers, rows)


@login_required
def designation_create(request, pk):
    enterprise = _enterprise_if(request, pk, services.can_edit)
    return _create_child(
        request,
        enterprise,
        DesignationForm,
        services.add_designation,
        "#designations",
        _("企业称号"),
    )


def _designation(request, pk):
    designation = get_object_or_404(selectors.designations_for(request.user), pk=pk)
    if not services.can_edit(request.user, designation.enterprise):
        raise PermissionDenied
    return designation


@login_required
def designation_edit(request, pk):
    designation = _designation(request, pk)
    return _edit_child(
        request,
        designation.enterprise,
        designation,
        DesignationForm,
        services.DESIGNATION_FIELDS,
        services.update_designation,
        "#designations",
        _("企业称号"),
    )


@login_required
@require_POST
def designation_remove(request, pk):
    designation = _designation(request, pk)
    enterprise = designation.enterprise
    act(
        request,
        lambda: services.remove_designation(request.user, designation),
        _("已删除称号“%(t)s”") % {"t": designation.title},
    )
    return redirect(reverse("enterprises:detail", args=[enterprise.pk]) + "#designations")


# --- support funds ---------------------------------------------------------------------------


def _fund_rows(request):
    form = FundFilter(request.GET)
    f = form.values()
    return form, f, selectors.filter_funds(request.user, f)


@login_required
def fund_list(request):
    _require_staff(request.user)
    form, f, qs = _fund_rows(request)
    page = Paginator(qs.select_related("enterprise__org", "project__org"), 50).get_page(
        request.GET.get("page")
    )
    # No link the reader could not follow: edit for the recipient's editors, the project's
    # page for those who may read the project.
    shown = {s.project_id for s in page if s.project_id}
    readable = set(projects_for(request.user).filter(pk__in=shown).values_list("pk", flat=True))
    for s in page:
        s.editable = services.can_edit_fund(request.user, s)
        s.project_readable = s.project_id in readable
    totals = selectors.fund_totals(qs)
    return render(
        request,
        "enterprises/funds.html",
        {
            "form": form,
            "f": f,
            "funds": page,
            "t": totals,
            "can_create": bool(_zones(request.user)),
        },
    )


@login_required
@period_params(year=YEAR)
def fund_export(request):
    _require_staff(request.user)
    _form, _f, qs = _fund_rows(request)
    t = selectors.fund_totals(qs)
    headers = [
        _("序号"),
        _("年度"),
        _("企业"),
        _("项目"),
        _("产业链"),
        _("资金来源"),
        _("政策名称"),
        _("金额（万元）"),
        _("用途"),
        _("状态"),
        _("拨付日期"),
    ]
    rows = (
        (
            i,
            s.year,
            s.enterprise.name if s.enterprise else "",
            s.project.name if s.project else "",
            s.chain,
            s.get_source_display(),
            s.policy,
            s.amount,
            s.purpose,
            s.get_status_display(),
            f"{s.paid_on:%Y-%m-%d}" if s.paid_on else "",
        )
        for i, s in enumerate(qs, 1)
    )
    totals = ["", _("合计（%(n)d笔）") % {"n": t["count"]}, "", "", "", "", "", t["total"]]
    return _xlsx(_("惠企资金"), headers, rows, totals=totals)


def _fund_form(request, **kwargs):
    enterprises = selectors.enterprises_for(request.user)
    projects = projects_for(request.user).select_related("org")
    return FundForm(request.POST or None, enterprises=enterprises, projects=projects, **kwargs)


def _fund_page(request, form, save):
    def done(fund):
        target = fund.enterprise or (fund.project and fund.project.enterprise)
        if target is not None:
            return reverse("enterprises:detail", args=[target.pk]) + "#funds"
        return reverse("enterprises:funds")

    return edit_page(
        request, form, lambda: save(form), done, "web/form.html", {"title": _("惠企资金")}
    )


@login_required
def fund_create(request):
    if not _zones(request.user):
        raise PermissionDenied
    initial = {k: request.GET[k] for k in ("enterprise", "project") if request.GET.get(k)}
    form = _fund_form(request, initial=initial)
    return _fund_page(
        request,
        form,
        lambda form: services.create_fund(request.user, **form.data_for_service()),
    )


@login_required
def fund_edit(request, pk):
    fund = get_object_or_404(selectors.funds_for(request.user), pk=pk)
    if not services.can_edit_fund(request.user, fund):
        raise PermissionDenied
    initial = {f: getattr(fund, f) for f in services.FUND_FIELDS} | {"version": fund.version}
    form = _fund_form(request, initial=initial)
    return _fund_page(
        request,
        form,
        lambda form: services.update_fund(
            request.user,
            fund,
            form.data_for_service(),
            expected_version=form.cleaned_data["version"],
        ),
    )
