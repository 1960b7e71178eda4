"""The figure registry (数出一源): every figure a page, an export, the API or a document shows,
defined once — its label, formula, period rule, cut-off date, places, where it appears and
how it shows when its base is zero — and printed through `text`.

Each domain registers its figures in its AppConfig.ready() (`register(...)`), beside the
function that computes them; pages print them with the `figure` template filter
(`{% load figures %}{{ t.start_rate|figure:"start_rate" }}`), documents and exports with
`text` / `rounded`. Two definitions may not carry the same label: a reader who sees
"签约项目（个）" in two places sees one figure. `docs/figures.md` is written from the registry
(`manage.py figures_doc`; a test fails when the committed file is stale).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .money import format_wan, format_yi

UNDEFINED = "—"
# How a figure is printed: count, 万元 to the fen with separators (wan) or whole (wan0),
# 亿元 (yi), a rate in % with its places, a change in percentage points (pp, signed).
KINDS = ("count", "wan", "wan0", "yi", "rate", "pp")


@dataclass(frozen=True)
class Definition:
    key: str
    label: object  # a lazy Chinese msgid
    formula: str
    kind: str
    places: int
    period: str
    cutoff: str
    appears: tuple
    zero_base: str
    owner: str


REGISTRY: dict[str, Definition] = {}


class Clash(ValueError):
    """Two definitions for one key, or one label for two definitions."""


def register(
    key,
    label,
    formula,
    *,
    kind,
    places=None,
    period,
    cutoff,
    appears,
    zero_base=UNDEFINED,
    owner="",
):
    """Add a figure. The same definition registered again (a second ready()) is a no-op."""
    if kind not in KINDS:
        raise Clash(f"{key}: unknown kind {kind!r}")
    places = {"count": 0, "wan": 2, "wan0": 0, "yi": 2}.get(kind, places)
    if places is None and kind == "rate":
        raise Clash(f"{key}: a rate needs its places")
    d = Definition(
        key, label, formula, kind, places, period, cutoff, tuple(appears), zero_base, owner
    )
    if key in REGISTRY and REGISTRY[key] != d:
        raise Clash(f"{key} is defined twice")
    for other in REGISTRY.values():
        if other.key != key and str(other.label) == str(label):
            raise Clash(f"{key} and {other.key} both print the label {label}")
    REGISTRY[key] = d
    return d


def get(key) -> Definition:
    return REGISTRY[key]


def rounded(kind, value, places=None):
    """The value as it is shown (half up), or None when undefined."""
    if value is None or value == "":
        return None
    if kind == "count":
        return value
    if kind == "wan" or (kind in ("rate", "pp") and places is not None):
        q = Decimal(1).scaleb(-(2 if places is None else places))
        return Decimal(value).quantize(q, ROUND_HALF_UP)
    if kind == "wan0":
        return Decimal(value).quantize(Decimal(1), ROUND_HALF_UP)
    if kind == "yi":
        return (Decimal(value) / 10_000).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return Decimal(value)  # a rate or a change keeps the places its formula gave it


def text(kind, value, places=None):
    """The figure as printed everywhere: 万元 with thousands separators, rates with their
    places and %, points signed, and "—" (no "%") when undefined — a zero base."""
    v = rounded(kind, value, places)
    if v is None:
        return UNDEFINED
    if kind == "wan":
        return format_wan(v)
    if kind == "wan0":
        return format_wan(v, 0)
    if kind == "yi":
        return format_yi(value)
    if kind == "rate":
        return f"{v}%"
    if kind == "pp":
        return f"{v:+}"
    return str(v)


def show(key, value):
    """The registered figure `key` as printed."""
    d = REGISTRY[key]
    return text(d.kind, value, d.places if d.kind in ("rate", "pp") else None)


def markdown():
    """docs/figures.md: each figure with its formula, rules and where it appears."""
    lines = [
        "# Figures (数出一源)",
        "",
        "Generated from the figure registry (`zonedesk/catalog/figures.py`, filled by each app's",
        "`AppConfig.ready()`) by `manage.py figures_doc`; do not edit by hand. Every page, export,",
        "API field and document prints these figures through the registry, so one label means",
        "one definition. A rate whose base is zero is undefined and prints “—” everywhere.",
        "",
    ]
    by_owner = {}
    for d in REGISTRY.values():
        by_owner.setdefault(d.owner, []).append(d)
    for owner in sorted(by_owner):
        lines += [f"## {owner}", ""]
        lines += ["| figure | key | formula | shown as | period | cut-off | zero base | where |"]
        lines += ["|---|---|---|---|---|---|---|---|"]
        for d in sorted(by_owner[owner], key=lambda d: d.key):
            shown = {
                "count": "个数",
                "wan": "万元，2位",
                "wan0": "万元，取整",
                "yi": "亿元，2位",
                "rate": f"%，{d.places}位",
                "pp": "百分点，与比率同位",
            }[d.kind]
            cells = [
                str(d.label),
                f"`{d.key}`",
                d.formula,
                shown,
                d.period,
                d.cutoff,
                d.zero_base,
                "; ".join(d.appears),
            ]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        lines.append("")
    return "\n".join(lines)
