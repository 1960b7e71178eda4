"""The 经济运行 pages: overview of an org, the ranking table (通报) and its export, entry of a
period with its approval, targets, and the catalogue."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.common import downloads
from zonedesk.common.xlsx import workbook
from zonedesk.orgs.selectors import is_admin
from zonedesk.web.forms import act, form_page
from zonedesk.web.params import MONTH, YEAR, period_params

from . import charts, selectors, services
from .models import Indicator, period_label


def _reader(request):
    if not selectors.is_reader(request.user):
        raise PermissionDenied


class PeriodForm(forms.Form):
    org = forms.ModelChoiceField(queryset=None, label=_("组织"), empty_label=None)
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    month = forms.TypedChoiceField(
        label=_("期别"), coerce=int, choices=[(m, period_label(m)) for m in range(2, 13)]
    )

    def __init__(self, data, orgs):
        super().__init__(data)
        self.fields["org"].queryset = orgs


def _period(request, orgs):
    """The org, year and month a page asks for; the first org in scope and the latest
    period by default; a parameter outside the scope is a 404."""
    year, month = selectors.latest_month(timezone.localdate())
    first = orgs.order_by("path").first()
    if first is None:
        raise PermissionDenied
    data = {"org": first.pk, "year": year, "month": month}
    data.update({k: v for k, v in request.GET.items() if k in data and v})
    form = PeriodForm(data, orgs)
    if not form.is_valid():
        if "org" in form.errors:
            raise Http404
        form = PeriodForm({"org": data["org"], "year": year, "month": month}, orgs)
        form.is_valid()
    c = form.cleaned_data
    return form, c["org"], c["year"], c["month"]


@login_required
def overview(request):
    """经济运行: every indicator of an org with value, 同比, target, 完成率, 时序 gap, rank."""
    _reader(request)
    form, org, year, month = _period(request, selectors.readable_orgs(request.user))
    data = selectors.overview(org, year, month)
    for row in data["rows"]:
        row["chart"] = charts.cumulative(row["series"], year, row["indicator"].unit)
    # Indicators without any figure this period are named in one line, not drawn as cards.
    filled = [r for r in data["rows"] if _has_figure(r)]
    data["empty"] = [r["indicator"] for r in data["rows"] if not _has_figure(r)]
    data["rows"] = filled
    context = {
        "form": form,
        "org": org,
        "year": year,
        "month": month,
        "period": period_label(month),
    }
    return render(request, "indicators/overview.html", {**context, **data})


@login_required
def ranking(request):
    """The siblings under one org ranked by each indicator: the bureau's 通报, printable."""
    _reader(request)
    orgs = selectors.readable_orgs(request.user).exclude(kind="park")
    form, org, year, month = _period(request, orgs)
    board = selectors.rows_for(org, year, month)
    context = {
        "form": form,
        "org": org,
        "year": year,
        "month": month,
        "period": period_label(month),
    }
    table = _table(board)  # before the board is read: it drops the indicators without figures
    return render(request, "indicators/ranking.html", {**context, **board, "table": table})


def _has_figure(row):
    return any(row[k] is not None for k in ("value", "growth", "target"))


def _table(board):
    """The ranking as rows of cells in the page's and the workbook's column order, leaving
    out the indicators no org has a figure for."""
    orgs = [board["parent"], *board["orgs"]]
    board["indicators"] = [
        i for i in board["indicators"] if any(_has_figure(board["rows"][o.pk][i.pk]) for o in orgs)
    ]
    return [(o, [(i, board["rows"][o.pk][i.pk]) for i in board["indicators"]]) for o in orgs]


@login_required
@period_params(year=YEAR, month=MONTH)
def ranking_export(request):
    """The 通报 as a workbook: per indicator 绝对值 / 增速 / 位次, the parent's row first."""
    _reader(request)
    orgs = selectors.readable_orgs(request.user).exclude(kind="park")
    _form, org, year, month = _period(request, orgs)
    board = selectors.rows_for(org, year, month)
    table = _table(board)
    headers = [_("地区")]
    for i in board["indicators"]:
        headers += [
            _("%(n)s绝对值（%(u)s）") % {"n": i.name, "u": i.unit},
            _("%(n)s增速（%%）") % {"n": i.name},
            _("%(n)s位次") % {"n": i.name},
        ]
    body = []
    for o, cells in table:
        line = [str(o)]
        for _i, r in cells:
            line += [r["value"], r["growth"], r["rank"] if o != org else "—"]
        body.append(line)
    title = _("%(org)s%(y)d年%(p)s主要经济指标通报") % {
        "org": org,
        "y": year,
        "p": period_label(month),
    }
    return downloads.xlsx(workbook(title, headers, body), title)


@login_required
def entry(request):
    """One org's period on one page: every entered indicator, value and reported 同比, last
    year's value beside."""
    orgs = selectors.writable_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    request.GET = source  # the period travels in the form on POST
    form, org, year, month = _period(request, orgs)
    rows = selectors.entry_rows(org, year, month)
    period = selectors.period_of(org, year, month)
    errors = {}
    if request.method == "POST":
        cells = {
            r["indicator"]: (
                source.get(f"v_{r['indicator'].code}"),
                source.get(f"g_{r['indicator'].code}"),
            )
            for r in rows
        }
        try:
            n = services.write_values(
                request.user, org, year, month, cells, reason=source.get("reason", "")
            )
        except ValidationError as e:
            errors = e.message_dict
            messages.error(request, _("未保存：请改正标红的单元格"))
        else:
            messages.success(request, _("已保存%(n)d项") % {"n": n})
            return redirect(f"{reverse('indicators:entry')}?org={org.pk}&year={year}&month={month}")
    for r in rows:
        code = r["indicator"].code
        r["errors"] = errors.get(code, [])
        r["typed_value"] = source.get(f"v_{code}") if errors else _plain(r["current"], "value")
        r["typed_growth"] = source.get(f"g_{code}") if errors else _plain(r["current"], "growth")
    context = {
        "form": form,
        "org": org,
        "year": year,
        "month": month,
        "rows": rows,
        "period": period,
        "page_errors": [
            m
            for k, ms in errors.items()
            if k not in {r["indicator"].code for r in rows}
            for m in ms
        ],
        "can_approve": selectors.can_approve(request.user, org),
    }
    return render(request, "indicators/entry.html", context)


def _plain(value, field):
    got = None if value is None else getattr(value, field)
    return "" if got is None else str(got)


@login_required
@require_POST
def period_action(request, action):
    orgs = selectors.readable_orgs(request.user)
    org = get_object_or_404(orgs, pk=request.POST.get("org"))
    try:
        year, month = int(request.POST.get("year")), int(request.POST.get("month"))
    except (TypeError, ValueError):
        raise Http404 from None
    period = selectors.period_of(org, year, month)
    steps = {
        "submit": (
            lambda: services.submit(request.user, org, year, month),
            _("已报送，待领导审核"),
        ),
        "approve": (lambda: services.approve(request.user, period), _("已审核")),
        "send_back": (
            lambda: services.send_back(request.user, period, request.POST.get("note", "")),
            _("已退回"),
        ),
        "lock": (lambda: services.lock(request.user, period), _("已锁定；此后修改须填写更正原因")),
    }
    if action not in steps:
        raise Http404
    act(request, *steps[action])
    return redirect(f"{reverse('indicators:entry')}?org={org.pk}&year={year}&month={month}")


@login_required
def targets(request):
    """The year's targets of an org, one row per indicator."""
    orgs = selectors.target_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    request.GET = source
    form, org, year, _month = _period(request, orgs)
    indicators = [i for i in selectors.active() if i.unit != Indicator.Unit.PERCENT]
    stored = {
        t.indicator_id: t for t in services.IndicatorTarget.objects.filter(org=org, year=year)
    }
    errors = {}
    if request.method == "POST":
        for i in indicators:
            value, growth = source.get(f"v_{i.code}", ""), source.get(f"g_{i.code}", "")
            if not (value.strip() or growth.strip()) and i.pk not in stored:
                continue
            try:
                services.set_target(request.user, org, i, year, value=value, growth=growth)
            except ValidationError as e:
                errors[i.code] = e.messages
        if not errors:
            messages.success(request, _("已保存"))
            return redirect(f"{reverse('indicators:targets')}?org={org.pk}&year={year}")
    rows = [
        {
            "indicator": i,
            "errors": errors.get(i.code, []),
            "value": source.get(f"v_{i.code}") if errors else _plain(stored.get(i.pk), "value"),
            "growth": source.get(f"g_{i.code}") if errors else _plain(stored.get(i.pk), "growth"),
        }
        for i in indicators
    ]
    return render(
        request, "indicators/targets.html", {"form": form, "org": org, "year": year, "rows": rows}
    )


def _admin(request):
    if not is_admin(request.user):
        raise PermissionDenied


@login_required
def catalogue(request):
    _admin(request)
    return render(request, "indicators/catalogue.html", {"indicators": Indicator.objects.all()})


class IndicatorForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Indicator
        fields = services.CATALOGUE_FIELDS


@login_required
def catalogue_edit(request, pk):
    _admin(request)
    indicator = get_object_or_404(Indicator, pk=pk)
    form = IndicatorForm(
        request.POST or None, instance=indicator, initial={"version": indicator.version}
    )

    def save(f):
        data = {k: f.cleaned_data[k] for k in services.CATALOGUE_FIELDS}
        return services.update_indicator(
            request.user,
            Indicator.objects.get(pk=pk),
            data,
            expected_version=f.cleaned_data["version"],
        )

    return form_page(
        request, form, indicator.name, save, lambda _obj: reverse("indicators:catalogue")
    )
