import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.common import downloads
from zonedesk.common.xlsx import workbook
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Org, Role, Team
from zonedesk.projects.selectors import default_period
from zonedesk.web.forms import act, form_errors, form_page, run
from zonedesk.web.params import MONTH, YEAR, period_params

from . import selectors, services
from .forms import (
    AdvanceForm,
    DropForm,
    LeadFilter,
    LeadForm,
    PeriodForm,
    SignForm,
    TargetForm,
    VisitForm,
)
from .models import Lead


def _require_reader(user):
    if not (user.is_superuser or orgs.role_names(user) & selectors.READERS):
        raise PermissionDenied


@login_required
def lead_list(request):
    _require_reader(request.user)
    form = LeadFilter(request.GET, user=request.user)
    qs = selectors.filtered(request.user, form.values())
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    teams = selectors.contact_reader(request.user)
    for lead in page:
        selectors.mask(lead, teams)
    return render(
        request,
        "leads/list.html",
        {
            "form": form,
            "leads": page,
            "today": timezone.localdate(),
            "can_create": bool(_zones(request.user)),
        },
    )


@login_required
@period_params(created_year=YEAR)
def lead_export(request):
    """The 在谈项目 list in the columns zones send upward, contacts masked as on the page."""
    _require_reader(request.user)
    form = LeadFilter(request.GET, user=request.user)
    f = form.values() or {}
    qs = selectors.filtered(
        request.user, {"stage": Lead.Stage.NEGOTIATING, **{k: v for k, v in f.items() if v}}
    )
    teams = selectors.contact_reader(request.user)
    rows = (
        (
            i,
            lead.name,
            lead.investor,
            lead.estimated_investment,
            lead.investor_intro,
            lead.content,
            lead.land_need,
            lead.contact_name,
            lead.contact_phone,
            lead.park.name if lead.park else "",
            lead.note or lead.next_step,
            lead.chain,
            lead.judgement,
        )
        for i, lead in enumerate((selectors.mask(x, teams) for x in qs), 1)
    )
    headers = [
        _("序号"),
        _("项目名称"),
        _("投资方"),
        _("固定资产投资（万元）"),
        _("投资方简介"),
        _("项目内容"),
        _("需用土地"),
        _("企业联系人"),
        _("联系方式"),
        _("片区"),
        _("进度、备注"),
        _("产业类型"),
        _("研判结果"),
    ]
    title = _("在谈项目")
    return downloads.xlsx(workbook(_("在谈项目清单"), headers, rows), title)


def _zones(user):
    """Zones where the user may register leads: admins, leaders, promoters of a team there."""
    roles = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.PROMOTER}
    return [
        z
        for z in orgs.orgs_for(user).filter(kind=Org.Kind.ZONE)
        if orgs.has_role_over(user, z, roles)
    ]


def _lead(request, pk):
    _require_reader(request.user)
    lead = get_object_or_404(selectors.leads_for(request.user), pk=pk)
    return selectors.mask(lead, selectors.contact_reader(request.user))


def _editable(request, pk):
    _require_reader(request.user)
    lead = get_object_or_404(selectors.leads_for(request.user), pk=pk)
    if not services.can_edit(request.user, lead):
        raise PermissionDenied
    return lead


@login_required
def lead_detail(request, pk):
    lead = _lead(request, pk)
    today = timezone.localdate()
    return render(
        request,
        "leads/detail.html",
        {
            "lead": lead,
            "visits": lead.visits.select_related("team"),
            "can_edit": services.can_edit(request.user, lead),
            "advance_form": AdvanceForm(initial={"on": today}),
            "sign_form": SignForm(initial={"on": today}),
            "drop_form": DropForm(),
            "today": today,
        },
    )


@login_required
def lead_create(request):
    zones = _zones(request.user)
    org = next(
        (z for z in zones if str(z.pk) == (request.GET.get("org") or request.POST.get("org"))), None
    )
    org = org or (zones[0] if zones else None)
    if org is None:
        raise PermissionDenied
    form = LeadForm(
        request.POST or None,
        user=request.user,
        org=org,
        initial={"next_step_on": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        _("在“%(org)s”登记招商线索") % {"org": org},
        lambda form: services.create_lead(
            request.user, org=org, confirmed=form.cleaned_data["confirmed"], **form.lead_data()
        ),
        lambda lead: reverse("leads:detail", args=[lead.pk]),
    )


@login_required
def lead_edit(request, pk):
    lead = _editable(request, pk)
    initial = {f: getattr(lead, f) for f in services.FIELDS} | {"version": lead.version}
    form = LeadForm(request.POST or None, initial=initial, user=request.user, org=lead.org)
    return form_page(
        request,
        form,
        _("编辑线索"),
        lambda form: services.update_lead(
            request.user,
            lead,
            form.lead_data(),
            expected_version=form.cleaned_data["version"],
            confirmed=form.cleaned_data["confirmed"],
        ),
        lambda lead: reverse("leads:detail", args=[lead.pk]),
    )


def _post(request, pk, form_class, action, success):
    lead = _editable(request, pk)
    form = form_class(request.POST)
    if form.is_valid():
        act(request, lambda: action(lead, form.cleaned_data), success)
    else:
        messages.error(request, form_errors(form))
    return redirect("leads:detail", pk=pk)


@login_required
@require_POST
def lead_advance(request, pk):
    return _post(
        request,
        pk,
        AdvanceForm,
        lambda lead, d: services.advance(request.user, lead, **d),
        _("线索已推进"),
    )


@login_required
@require_POST
def lead_sign(request, pk):
    return _post(
        request,
        pk,
        SignForm,
        lambda lead, d: services.sign(request.user, lead, **d),
        _("已签约，并已在项目库登记为签约项目"),
    )


@login_required
@require_POST
def lead_drop(request, pk):
    return _post(
        request,
        pk,
        DropForm,
        lambda lead, d: services.drop(request.user, lead, reason=d["reason"]),
        _("线索已放弃"),
    )


@login_required
def visit_create(request):
    zones = _zones(request.user)
    if not zones:
        raise PermissionDenied
    org = next((z for z in zones if str(z.pk) == request.GET.get("org")), zones[0])
    leads = selectors.leads_for(request.user)
    initial = {
        "date": timezone.localdate(),
        "lead": request.GET.get("lead"),
        "team": request.GET.get("team"),
    }
    form = VisitForm(request.POST or None, user=request.user, org=org, leads=leads, initial=initial)
    return form_page(
        request,
        form,
        _("记录考察 / 拜访 / 接待"),
        lambda form: services.add_visit(request.user, org=org, **form.cleaned_data),
        lambda v: reverse("leads:team", args=[v.team_id]),
    )


@login_required
def team_detail(request, pk):
    """A 招商战队's record: targets, leads, and trips."""
    _require_reader(request.user)
    team = get_object_or_404(orgs.teams_for(request.user).filter(kind=Team.Kind.INVESTMENT), pk=pk)
    year = default_period()[0]
    can_target = orgs.has_role_over(request.user, team.org, {Role.Name.ADMIN, Role.Name.LEADER})
    target = team.targets.filter(year=year).first()
    form = TargetForm(
        request.POST or None,
        initial={
            "year": year,
            "amount": getattr(target, "amount", None),
            "count": getattr(target, "count", None),
            "start_rate": getattr(target, "start_rate", 0),
        },
    )
    if request.method == "POST":
        if not can_target:
            raise PermissionDenied
        if form.is_valid() and run(
            form, lambda: services.set_target(request.user, team, **form.cleaned_data)
        ):
            messages.success(request, _("目标已保存"))
            return redirect("leads:team", pk=pk)
    may_read = selectors.contact_reader(request.user)
    leads = selectors.leads_for(request.user).filter(team=team)[:200]
    visits = selectors.visits_for(request.user).filter(team=team)
    # The leaderboard's 考察拜访 figure links here with its period.
    span = [_date(request.GET.get(k)) for k in ("visits_from", "visits_before")]
    if all(span):
        visits = visits.filter(date__gte=span[0], date__lt=span[1])
    return render(
        request,
        "leads/team.html",
        {
            "team": team,
            "targets": team.targets.all(),
            "form": form,
            "can_target": can_target,
            "leads": [selectors.mask(x, may_read) for x in leads],
            "visits": visits[:100],
        },
    )


def _date(text):
    try:
        return datetime.date.fromisoformat(text or "")
    except ValueError:
        return None


def _period(request):
    year, month = default_period()
    form = PeriodForm({"year": year, "month": month, **request.GET.dict()})
    if form.is_valid():
        year, month = form.cleaned_data["year"], form.cleaned_data["month"]
    return form, year, month


@login_required
def leaderboard(request):
    """招商大比拼: teams ranked by signed amount for January..month, printable."""
    _require_reader(request.user)
    form, year, month = _period(request)
    start, end = selectors.period(year, month)
    rows = selectors.leaderboard(request.user, year, month)
    return render(
        request,
        "leads/leaderboard.html",
        {
            "form": form,
            "year": year,
            "month": month,
            "rows": rows,
            "total": selectors.board_total(rows),
            "start": start,
            "end": end,
        },
    )


@login_required
@period_params(year=YEAR, month=MONTH)
def leaderboard_export(request):
    """招商大比拼 as on the page, with the scope's totals row."""
    _require_reader(request.user)
    _form, year, month = _period(request)
    rows = selectors.leaderboard(request.user, year, month)
    total = selectors.board_total(rows)
    headers = [
        _("名次"),
        _("招商战队"),
        _("签约金额（万元）"),
        _("签约金额目标（万元）"),
        _("金额完成率（%）"),
        _("签约项目（个）"),
        _("签约项目目标（个）"),
        _("个数完成率（%）"),
        _("当年签约项目开工率（%）"),
        _("开工率目标（%）"),
        _("开工率完成率（%）"),
        _("考察拜访（次）"),
        _("推进线索（条）"),
    ]
    body = (
        (
            r["rank"],
            str(r["team"]),
            r["amount"],
            r["target"].amount if r["target"] else None,
            r["amount_rate"],
            r["count"],
            r["target"].count if r["target"] else None,
            r["count_rate"],
            r["start_rate"],
            r["target"].start_rate if r["target"] else None,
            r["start_completion"],
            r["visits"],
            r["advanced"],
        )
        for r in rows
    )
    totals = [
        "",
        _("合计"),
        total["amount"],
        total["target_amount"],
        total["amount_rate"],
        total["count"],
        total["target_count"],
        total["count_rate"],
        None,
        None,
        None,
        total["visits"],
        total["advanced"],
    ]
    title = _("招商大比拼%(y)d年1—%(m)d月") % {"y": year, "m": month}
    return downloads.xlsx(workbook(title, headers, body, totals=totals), title)


@login_required
@period_params(year=YEAR)
def funnel_export(request):
    _require_reader(request.user)
    _form, year, _month = _period(request)
    names = _funnel_names()
    headers = [_("阶段"), _("到达（条）"), _("转化率（%）"), _("用时中位数（天）")]
    body = (
        (str(names[s["stage"]]), s["count"], s["conversion"], s["median_days"])
        for s in selectors.funnel(request.user, year)
    )
    title = _("%(y)d年招商线索转化漏斗") % {"y": year}
    return downloads.xlsx(workbook(title, headers, body), title)


def _funnel_names():
    return dict(Lead.Stage.choices) | {"signed": _("签约"), "started": _("开工")}


@login_required
def funnel(request):
    _require_reader(request.user)
    form, year, _month = _period(request)
    steps = selectors.funnel(request.user, year)
    names, rows = _funnel_names(), reverse("leads:list")
    for s in steps:
        s["label"], s["value"] = names[s["stage"]], s["count"]
        reached = "" if s["stage"] == "lead" else f"&reached={s['stage']}"
        s["url"] = f"{rows}?created_year={year}{reached}"
        s["note"] = (
            _("转化率 %(r)s%%") % {"r": s["conversion"]} if s["conversion"] is not None else ""
        )
    return render(request, "leads/funnel.html", {"form": form, "year": year, "steps": steps})
