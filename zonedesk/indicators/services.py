"""Every write to indicators, their values, targets and periods, each with its audit event."""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.catalog.bounds import YEAR
from zonedesk.orgs.selectors import has_role_over, is_admin

from .models import GROWTH, VALUE, Indicator, IndicatorTarget, IndicatorValue, Period, period_label
from .selectors import APPROVERS, WRITERS

S = Period.Status
CATALOGUE_FIELDS = [
    "name",
    "unit",
    "frequency",
    "price_basis",
    "rollup",
    "higher_is_better",
    "lead_unit",
    "release_lag",
    "yellow_gap",
    "red_gap",
    "order",
    "is_active",
]


def _require(actor, org, roles, message):
    if actor is not None and not has_role_over(actor, org, roles):
        raise PermissionDenied(message % {"org": org})


def _check_period(year, month):
    YEAR.clean(year, label=_("年度"))
    if not isinstance(month, int) or not 2 <= month <= 12:
        raise ValidationError({"month": _("截至月份应为2—12（1—2月合为一期）")})
    if datetime.date(year, month, 1) > timezone.localdate():
        raise ValidationError(
            {"month": _("%(y)d年%(p)s尚未开始") % {"y": year, "p": period_label(month)}}
        )


def parse_cell(raw, bound, label):
    """A typed cell as a Decimal, None when empty, or ValidationError naming the cell: text
    such as "6.2%" or "—", 1e400, a negative figure where the bound forbids it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, str) and text in ("—", "-", "--", "——", "/"):
        raise ValidationError(_("%(c)s：“%(v)s”不是数字，无数据请留空") % {"c": label, "v": text})
    if isinstance(text, str) and text.endswith("%"):
        raise ValidationError(
            _("%(c)s：请只填数字，不带%%（如 6.2），而不是“%(v)s”") % {"c": label, "v": text}
        )
    # Stored as the column keeps it, so the audit's old → new compare like with like.
    return bound.clean(text, label=label).quantize(Decimal(1).scaleb(-bound.places))


def write_values(actor, org, year, month, cells, *, reason="", source_row=""):
    """Write one period's values for an org: `cells` maps an Indicator to (value, growth) as
    typed. Every cell is read before anything is written; the first bad cell's message, and
    every other's, name the indicator and the column; nothing is half-written. A locked period
    takes a correction with a reason."""
    _require(actor, org, WRITERS, _("您没有填报“%(org)s”经济指标的权限"))
    _check_period(year, month)
    errors, parsed = {}, {}
    for ind, (value, growth) in cells.items():
        if ind.is_derived:
            errors[ind.code] = [_("“%(n)s”由系统计算，不能填报") % {"n": ind.name}]
            continue
        if month not in ind.months():
            errors[ind.code] = [
                _("“%(n)s”为%(f)s指标，%(p)s不填报")
                % {"n": ind.name, "f": ind.get_frequency_display(), "p": period_label(month)}
            ]
            continue
        try:
            parsed[ind] = (
                parse_cell(value, VALUE, _("“%(n)s”累计值") % {"n": ind.name}),
                parse_cell(growth, GROWTH, _("“%(n)s”同比增速") % {"n": ind.name}),
            )
        except ValidationError as e:
            errors[ind.code] = e.messages
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        period = _period_for_update(org, year, month)
        locked = period.status == S.LOCKED
        if period.status in (S.SUBMITTED, S.APPROVED):
            raise ValidationError(
                {
                    "period": _("%(p)s已%(s)s，退回后才能修改")
                    % {"p": period, "s": period.get_status_display()}
                }
            )
        if locked and not reason.strip():
            raise ValidationError({"reason": _("%(p)s已锁定，修改须填写更正原因") % {"p": period}})
        stored = {
            v.indicator_id: v
            for v in IndicatorValue.objects.filter(
                org=org, year=year, month=month
            ).select_for_update()
        }
        changed = 0
        for ind, (value, growth) in parsed.items():
            row = stored.get(ind.pk)
            data = {"value": value, "growth": growth}
            if row is None:
                if value is None and growth is None:
                    continue
                row = IndicatorValue(
                    org=org, indicator=ind, year=year, month=month, source_row=source_row, **data
                )
                audit.create(
                    actor, row, action="indicator.value", org=org, fields=["value", "growth"]
                )
                changed += 1
            else:
                action = "indicator.correct" if locked else "indicator.value"
                if audit.update(
                    actor, row, data, action=action, org=org, note=reason.strip() or None
                ):
                    changed += 1
        return changed


def _period_for_update(org, year, month):
    period, _created = Period.objects.select_for_update().get_or_create(
        org=org, year=year, month=month
    )
    return period


def _move(actor, period, to, expected, roles, message, note=""):
    _require(actor, period.org, roles, message)
    if period.status != expected:
        raise ValidationError(
            {
                "status": _("%(p)s当前为“%(s)s”，不能执行此操作")
                % {"p": period, "s": period.get_status_display()}
            }
        )
    data = {"status": to, "note": note}
    if to == S.SUBMITTED:
        data["submitted_by"] = actor
    if to == S.APPROVED:
        data["approved_by"] = actor
    audit.update(actor, period, data, action=f"indicator.period.{to}", org=period.org)
    return period


@transaction.atomic
def submit(actor, org, year, month):
    """The statistician sends the period up for approval."""
    _check_period(year, month)
    period = _period_for_update(org, year, month)
    if not IndicatorValue.objects.filter(org=org, year=year, month=month).exists():
        raise ValidationError({"status": _("%(p)s尚未填报任何指标") % {"p": period}})
    return _move(
        actor, period, S.SUBMITTED, S.DRAFT, WRITERS, _("您没有报送“%(org)s”经济指标的权限")
    )


@transaction.atomic
def send_back(actor, period, reason):
    if not reason.strip():
        raise ValidationError({"note": _("退回须说明原因")})
    return _move(
        actor,
        period,
        S.DRAFT,
        S.SUBMITTED,
        APPROVERS,
        _("只有领导可以退回“%(org)s”的经济指标"),
        reason.strip(),
    )


@transaction.atomic
def approve(actor, period):
    return _move(
        actor, period, S.APPROVED, S.SUBMITTED, APPROVERS, _("只有领导可以审核“%(org)s”的经济指标")
    )


@transaction.atomic
def lock(actor, period):
    """An approved period locks: later changes are corrections with a reason."""
    return _move(
        actor,
        period,
        S.LOCKED,
        S.APPROVED,
        WRITERS,
        _("只有统计员或管理员可以锁定“%(org)s”的经济指标"),
    )


@transaction.atomic
def set_target(actor, org, indicator, year, *, value=None, growth=None):
    _require(actor, org, WRITERS | APPROVERS, _("您没有设定“%(org)s”指标目标的权限"))
    YEAR.clean(year, label=_("年度"))
    if indicator.is_derived and indicator.unit == Indicator.Unit.PERCENT and growth is not None:
        raise ValidationError({"growth": _("“%(n)s”为比率，不设目标增速") % {"n": indicator.name}})
    data = {
        "value": parse_cell(value, VALUE, _("“%(n)s”年度目标值") % {"n": indicator.name}),
        "growth": parse_cell(growth, GROWTH, _("“%(n)s”目标增速") % {"n": indicator.name}),
    }
    if data["value"] is None and data["growth"] is None:
        raise ValidationError({"value": _("请填写年度目标值或目标增速")})
    target = IndicatorTarget.objects.filter(org=org, indicator=indicator, year=year).first()
    if target is None:
        target = IndicatorTarget(org=org, indicator=indicator, year=year, **data)
        return audit.create(
            actor, target, action="indicator.target", org=org, fields=["year", *data]
        )
    audit.update(actor, target, data, action="indicator.target", org=org)
    return target


@transaction.atomic
def update_indicator(actor, indicator, data, *, expected_version=None):
    """An admin edits the catalogue; what a derived indicator is computed from stays."""
    if actor is not None and not is_admin(actor):
        raise PermissionDenied(_("只有系统管理员可以修改指标目录"))
    data = {k: v for k, v in data.items() if k in CATALOGUE_FIELDS}
    gaps = {**{f: getattr(indicator, f) for f in ("yellow_gap", "red_gap")}, **data}
    if (
        gaps["yellow_gap"] is None
        or gaps["red_gap"] is None
        or gaps["yellow_gap"] > gaps["red_gap"]
    ):
        raise ValidationError({"red_gap": _("红色预警差距应不小于黄色预警差距")})
    audit.update(
        actor,
        indicator,
        data,
        action="indicator.catalogue",
        org=None,
        expected_version=expected_version,
    )
    return indicator
