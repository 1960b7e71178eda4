"""/api/v1/indicators: the catalogue, values (bulk per period), targets and rankings, scoped."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema

from zonedesk.api_params import Id
from zonedesk.catalog.bounds import Year
from zonedesk.catalog.text import line

from . import selectors, services
from .models import Indicator

router = Router(tags=["indicators"])
Typed = str | int | float | None  # as typed: services read it and name a bad cell


class IndicatorOut(Schema):
    id: int
    code: str
    name: str
    unit: str
    frequency: str
    price_basis: str
    rollup: str
    higher_is_better: bool
    lead_unit: str
    source: str
    derivation: str
    release_lag: int
    yellow_gap: Decimal
    red_gap: Decimal
    is_active: bool


class IndicatorValueOut(Schema):
    org_id: int
    code: str
    year: int
    month: int
    value: Decimal | None
    growth: Decimal | None
    version: int

    @staticmethod
    def resolve_code(obj):
        return obj.indicator.code


class IndicatorCell(Schema):
    code: line(20)
    value: Typed = None
    growth: Typed = None


class IndicatorValuesIn(Schema):
    org_id: Id
    year: Year
    month: int
    cells: list[IndicatorCell]
    reason: line(200) = ""


class IndicatorValuesWritten(Schema):
    changed: int


class IndicatorTargetIn(Schema):
    org_id: Id
    code: line(20)
    year: Year
    value: Typed = None
    growth: Typed = None


class IndicatorTargetOut(Schema):
    org_id: int
    code: str
    year: int
    value: Decimal | None
    growth: Decimal | None

    @staticmethod
    def resolve_code(obj):
        return obj.indicator.code


class IndicatorFigure(Schema):
    code: str
    value: Decimal | None
    last: Decimal | None
    growth: Decimal | None
    target: Decimal | None
    completion: Decimal | None
    gap: Decimal | None
    warning: str
    rank: int | None
    versus: Decimal | None
    sentence: str


class IndicatorRankingRow(Schema):
    org_id: int
    org: str
    figures: list[IndicatorFigure]


class IndicatorRankingOut(Schema):
    org_id: int
    year: int
    month: int
    parent: IndicatorRankingRow
    rows: list[IndicatorRankingRow]


def _reader(request):
    if not selectors.is_reader(request.user):
        raise PermissionDenied


@router.get("/indicators", response=list[IndicatorOut], summary="指标目录")
def list_indicators(request):
    _reader(request)
    return Indicator.objects.all()


@router.get("/indicators/values", response=list[IndicatorValueOut], summary="指标值（本人范围内）")
def list_values(request, year: Year, month: int | None = None, org: Id | None = None):
    _reader(request)
    qs = selectors.values_for(request.user).filter(year=year)
    if month:
        qs = qs.filter(month=month)
    return qs.filter(org=org) if org else qs


@router.put(
    "/indicators/values", response=IndicatorValuesWritten, summary="整期填报一个组织的指标值"
)
def put_values(request, payload: IndicatorValuesIn):
    org = get_object_or_404(selectors.readable_orgs(request.user), pk=payload.org_id)
    known = {i.code: i for i in Indicator.objects.all()}
    unknown = [c.code for c in payload.cells if c.code not in known]
    if unknown:
        raise ValidationError({c: [_("未知的指标代码“%(c)s”") % {"c": c}] for c in unknown})
    cells = {known[c.code]: (c.value, c.growth) for c in payload.cells}
    changed = services.write_values(
        request.user, org, payload.year, payload.month, cells, reason=payload.reason
    )
    return {"changed": changed}


@router.get("/indicators/targets", response=list[IndicatorTargetOut], summary="年度目标")
def list_targets(request, year: Year, org: Id | None = None):
    _reader(request)
    qs = selectors.targets_for(request.user).filter(year=year)
    return qs.filter(org=org) if org else qs


@router.put("/indicators/targets", response=IndicatorTargetOut, summary="设定年度目标")
def put_target(request, payload: IndicatorTargetIn):
    org = get_object_or_404(selectors.readable_orgs(request.user), pk=payload.org_id)
    indicator = get_object_or_404(Indicator, code=payload.code)
    return services.set_target(
        request.user, org, indicator, payload.year, value=payload.value, growth=payload.growth
    )


@router.get("/indicators/rankings", response=IndicatorRankingOut, summary="同级排名（统计通报）")
def rankings(request, org: Id, year: Year, month: int):
    _reader(request)
    parent = get_object_or_404(selectors.readable_orgs(request.user), pk=org)
    if not 2 <= month <= 12:
        raise ValidationError({"month": [_("截至月份应为2—12（1—2月合为一期）")]})
    board = selectors.rows_for(parent, year, month)

    def row(o):
        cells = board["rows"][o.pk]
        return {
            "org_id": o.pk,
            "org": o.name,
            "figures": [
                {
                    **cells[i.pk],
                    "code": i.code,
                    "target": cells[i.pk]["target"].value if cells[i.pk]["target"] else None,
                }
                for i in board["indicators"]
            ],
        }

    return {
        "org_id": parent.pk,
        "year": year,
        "month": month,
        "parent": row(parent),
        "rows": [row(o) for o in board["orgs"]],
    }
