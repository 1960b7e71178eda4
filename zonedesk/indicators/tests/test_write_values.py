"""write_values: one period of an org in one transaction; bad cells named, nothing half-written;
locked periods take corrections with a reason; who may write where."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zonedesk.audit.models import AuditEvent
from zonedesk.indicators import services
from zonedesk.indicators.models import IndicatorValue, Period


def _write(w, cells, actor=None, org=None, **kw):
    actor = actor or w.statistician
    cells = {w.ind[code]: v for code, v in cells.items()}
    return services.write_values(actor, org or w.county, 2025, 6, cells, **kw)


def test_a_period_is_written_with_its_audit_events(iw):
    n = _write(iw, {"GDP": ("980300", "6.2"), "FAI": ("320000", None)})
    assert n == 2
    gdp = IndicatorValue.objects.get(indicator=iw.ind["GDP"], org=iw.county)
    assert (gdp.value, gdp.growth) == (Decimal("980300.00"), Decimal("6.2"))
    assert AuditEvent.objects.filter(action="indicator.value").count() == 2


@pytest.mark.parametrize(
    ("cell", "words"),
    [
        (("980300", "6.2%"), "不带%"),
        (("—", None), "“—”不是数字"),
        (("1e400", None), "应在"),
        (("-5", None), "不能为负数"),
        (("abc", None), "应为数字"),
        (("12.345", None), "最多保留2位小数"),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_written(iw, cell, words):
    with pytest.raises(ValidationError) as e:
        _write(iw, {"FAI": ("320000", "10.2"), "GDP": cell})
    messages = e.value.message_dict["GDP"]
    assert any("地区生产总值" in m and words in m for m in messages), messages
    assert not IndicatorValue.objects.exists()  # FAI, a good cell, was not written either


def test_derived_indicators_cannot_be_typed(iw):
    with pytest.raises(ValidationError) as e:
        _write(iw, {"KEY_INV": ("100", None)})
    assert "由系统计算" in e.value.message_dict["KEY_INV"][0]


def test_a_quarterly_indicator_is_not_entered_for_a_month_between_quarters(iw):
    cells = {iw.ind["GDP"]: ("1", None)}
    with pytest.raises(ValidationError) as e:
        services.write_values(iw.statistician, iw.county, 2025, 5, cells)
    assert "1—5月不填报" in e.value.message_dict["GDP"][0]


def test_january_alone_and_future_periods_are_refused(iw):
    for year, month in ((2025, 1), (2025, 9)):
        with pytest.raises(ValidationError):
            services.write_values(iw.statistician, iw.county, year, month, {})


def test_a_county_statistician_cannot_write_another_county_or_its_zone(iw):
    _write(iw, {"FAI": ("1", None)}, org=iw.zone)  # their own county's zone: allowed
    for org in (iw.other_county, iw.other_zone):
        with pytest.raises(PermissionDenied):
            _write(iw, {"FAI": ("1", None)}, org=org)
    for reader in (iw.viewer, iw.county_leader):
        with pytest.raises(PermissionDenied):
            _write(iw, {"FAI": ("1", None)}, actor=reader)


def test_a_submitted_period_is_not_edited_and_a_locked_one_needs_a_reason(iw):
    _write(iw, {"FAI": ("320000", None)})
    services.submit(iw.statistician, iw.county, 2025, 6)
    with pytest.raises(ValidationError) as e:
        _write(iw, {"FAI": ("330000", None)})
    assert "退回后才能修改" in e.value.message_dict["period"][0]
    period = Period.objects.get(org=iw.county, year=2025, month=6)
    services.approve(iw.county_leader, period)
    services.lock(iw.statistician, period)
    with pytest.raises(ValidationError) as e:
        _write(iw, {"FAI": ("330000", None)})
    assert "更正原因" in e.value.message_dict["reason"][0]
    assert _write(iw, {"FAI": ("330000", None)}, reason="统计局反馈口径调整") == 1
    event = AuditEvent.objects.get(action="indicator.correct")
    assert event.changes["value"] == ["320000.00", "330000.00"]
    assert event.changes["reason"] == [None, "统计局反馈口径调整"]


def test_the_approval_runs_in_order_and_by_role(iw):
    with pytest.raises(ValidationError):  # nothing entered yet
        services.submit(iw.statistician, iw.county, 2025, 6)
    _write(iw, {"FAI": ("1", None)})
    with pytest.raises(PermissionDenied):
        services.submit(iw.other_statistician, iw.county, 2025, 6)
    period = services.submit(iw.statistician, iw.county, 2025, 6)
    with pytest.raises(PermissionDenied):
        services.approve(iw.statistician, period)
    with pytest.raises(ValidationError):  # not approved yet
        services.lock(iw.statistician, period)
    with pytest.raises(ValidationError):
        services.send_back(iw.county_leader, period, "  ")
    services.send_back(iw.county_leader, period, "固投口径有误")
    assert period.status == Period.Status.DRAFT and period.note == "固投口径有误"
    services.submit(iw.statistician, iw.county, 2025, 6)
    period.refresh_from_db()
    services.approve(iw.county_leader, period)
    services.lock(iw.statistician, period)
    assert Period.objects.get(pk=period.pk).status == Period.Status.LOCKED
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "indicator.period.submitted",
        "indicator.period.approved",
        "indicator.period.locked",
    } <= actions
