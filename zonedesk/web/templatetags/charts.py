"""Charts drawn on the server as inline SVG: no script, no CDN, legible on an intranet phone.

Each tag takes figures the views already hold (Decimal 万元 or rates in %), draws them to a
viewBox about as wide as a phone (so its text stays readable there and scales up on a
desk), and makes every bar, point and funnel step a link to the rows behind it. A title on
each mark carries its exact figure; the unit is always written on the chart.
"""

from decimal import Decimal

from django import template
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from zonedesk.catalog.templatetags.figures import wan

register = template.Library()

WIDTH = 360
LABEL_CHARS = 7


def amount(value, places=2):
    """Money as a table shows it (the house's `wan`): separators, `places` decimals, exact."""
    return wan(value, places)


def _fmt(fmt, *args):
    """format_html that leaves numbers numbers (so "{:.1f}" works); text is escaped."""
    safe = (a if isinstance(a, int | float) else conditional_escape(a) for a in args)
    return mark_safe(fmt.format(*safe))


def _short(label, chars=LABEL_CHARS):
    label = str(label)
    return label if len(label) <= chars else label[: chars - 1] + "…"


def _svg(height, body, label):
    return _fmt(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}">{}</svg>',
        WIDTH,
        height,
        label,
        body,
    )


def _link(url, title, inner):
    """A mark as a link to its rows, its exact figure as the tooltip."""
    if not url:
        return _fmt("<g><title>{}</title>{}</g>", title, inner)
    return _fmt('<a href="{}"><title>{}</title>{}</a>', url, title, inner)


@register.simple_tag
def hbars(bars, unit):
    """Horizontal bars, one row each: {label, value, url}; the value written after the bar."""
    if not bars:
        return _fmt('<p class="hint">{}</p>', _("暂无数据"))
    top = max((b["value"] for b in bars), default=0) or 1
    left, room, row = 112, 150, 24
    marks = []
    for i, b in enumerate(bars):
        y = 4 + i * row
        w = max(float(b["value"]) / float(top) * room, 1)
        text = f"{amount(b['value'])}"
        marks.append(
            _link(
                b.get("url"),
                f"{b['label']}：{text} {unit}",
                _fmt(
                    '<text x="0" y="{}" class="label">{}</text>'
                    '<rect x="{}" y="{}" width="{:.1f}" height="14" rx="2" class="mark"/>'
                    '<text x="{:.1f}" y="{}" class="value">{}</text>',
                    y + 12,
                    _short(b["label"]),
                    left,
                    y + 1,
                    w,
                    left + w + 4,
                    y + 12,
                    text,
                ),
            )
        )
    body = format_html_join("", "{}", ((m,) for m in marks))
    caption = _fmt(
        '<text x="{}" y="{}" class="unit" text-anchor="end">{}{}</text>',
        WIDTH,
        4 + len(bars) * row + 10,
        _("单位："),
        unit,
    )
    return _svg(len(bars) * row + 20, body + caption, unit)


def _nice(top):
    """The axis' top: the figure rounded up to 1, 2, 2.5 or 5 times a power of ten."""
    top = Decimal(top)
    if top <= 0:
        return Decimal(1)
    power = Decimal(10) ** (top.adjusted())
    return next(power * m for m in (1, 2, Decimal("2.5"), 5, 10) if power * m >= top)


def _scale(top, height):
    top = float(top) or 1.0
    return lambda v: height - float(v) / top * height


@register.simple_tag
def columns(bars, unit, line=None, line_label=""):
    """Vertical columns ({label, value, url}, e.g. one per month) with an optional reference
    line (one value per column, e.g. 时序进度); the last column's figure written on it."""
    if not bars:
        return _fmt('<p class="hint">{}</p>', _("暂无数据"))
    line = list(line or [])
    top = _nice(max([*(b["value"] for b in bars), *line]))
    left, plot_w, plot_h, base = 48, WIDTH - 52, 150, 22
    y = _scale(top, plot_h)
    step = plot_w / len(bars)
    marks = [_grid(top, plot_h, left, base, unit)]
    for i, b in enumerate(bars):
        x = left + i * step + step * 0.15
        h = plot_h - y(b["value"])
        marks.append(
            _link(
                b.get("url"),
                f"{b['label']}：{amount(b['value'])} {unit}",
                _fmt(
                    '<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" class="mark"/>',
                    x,
                    base + plot_h - h,
                    step * 0.7,
                    max(h, 0.5),
                ),
            )
        )
        marks.append(
            _fmt(
                '<text x="{:.1f}" y="{}" class="label" text-anchor="middle">{}</text>',
                x + step * 0.35,
                base + plot_h + 13,
                b["label"],
            )
        )
    last = bars[-1]
    marks.append(
        _fmt(
            '<text x="{}" y="12" class="value" text-anchor="end">{}：{} {}</text>',
            WIDTH,
            last["label"],
            amount(last["value"]),
            unit,
        )
    )
    if line:
        points = " ".join(
            f"{left + (i + 0.5) * step:.1f},{base + y(v):.1f}" for i, v in enumerate(line)
        )
        marks.append(_fmt('<polyline points="{}" class="line plan"/>', points))
        marks.append(_legend(left + 40, line_label))
    body = format_html_join("", "{}", ((m,) for m in marks))
    return _svg(base + plot_h + 20, body, unit)


def _grid(top, plot_h, left, base, unit):
    """Three gridlines (0, half, top) labelled in the chart's unit."""
    lines = []
    for frac in (0, 0.5, 1):
        yy = base + plot_h - frac * plot_h
        lines.append(
            _fmt(
                '<line x1="{}" x2="{}" y1="{:.1f}" y2="{:.1f}" class="grid"/>'
                '<text x="{}" y="{:.1f}" class="tick" text-anchor="end">{}</text>',
                left,
                WIDTH,
                yy,
                yy,
                left - 3,
                yy + 3,
                amount(Decimal(top) * Decimal(str(frac)), 0),
            )
        )
    lines.append(_fmt('<text x="0" y="12" class="unit">{}</text>', unit))
    return format_html_join("", "{}", ((m,) for m in lines))


def _legend(x, label, kind="plan"):
    if not label:
        return ""
    return _fmt(
        '<line x1="{}" x2="{}" y1="8" y2="8" class="line {}"/>'
        '<text x="{}" y="12" class="label">{}</text>',
        x,
        x + 18,
        kind,
        x + 22,
        label,
    )


@register.simple_tag
def curve(points, plan_points, unit, actual_label, plan_label):
    """Two cumulative lines over months: the actual ({label, value, url} per month reported)
    and the plan (one value per month of the year); each actual point a link to its month."""
    if not points and not plan_points:
        return _fmt('<p class="hint">{}</p>', _("暂无数据"))
    n = max(len(plan_points), len(points), 1)
    top = _nice(max([*(p["value"] for p in points), *plan_points]))
    left, plot_w, plot_h, base = 48, WIDTH - 52, 150, 22
    y = _scale(top, plot_h)
    step = plot_w / n
    xs = [left + (i + 0.5) * step for i in range(n)]
    marks = [_grid(top, plot_h, left, base, unit)]
    if plan_points:
        coords = " ".join(f"{xs[i]:.1f},{base + y(v):.1f}" for i, v in enumerate(plan_points))
        marks.append(_fmt('<polyline points="{}" class="line plan"/>', coords))
    if points:
        coords = " ".join(f"{xs[i]:.1f},{base + y(p['value']):.1f}" for i, p in enumerate(points))
        marks.append(_fmt('<polyline points="{}" class="line actual"/>', coords))
    for i, p in enumerate(points):
        marks.append(
            _link(
                p.get("url"),
                f"{p['label']}：{amount(p['value'])} {unit}",
                _fmt(
                    '<circle cx="{:.1f}" cy="{:.1f}" r="4" class="point"/>',
                    xs[i],
                    base + y(p["value"]),
                ),
            )
        )
    for i in range(n):
        marks.append(
            _fmt(
                '<text x="{:.1f}" y="{}" class="label" text-anchor="middle">{}</text>',
                xs[i],
                base + plot_h + 13,
                i + 1,
            )
        )
    marks.append(_legend(left + 40, actual_label, "actual"))
    if plan_points:
        marks.append(_legend(left + 160, plan_label))
    body = format_html_join("", "{}", ((m,) for m in marks))
    return _svg(base + plot_h + 20, body, unit)


@register.simple_tag
def funnel(steps, unit):
    """A funnel: one trapezoid per step ({label, value, url, note}), as wide as its count,
    each narrowing to the next; the count and the note (e.g. the conversion) written on it."""
    if not steps:
        return _fmt('<p class="hint">{}</p>', _("暂无数据"))
    top = max((s["value"] for s in steps), default=0) or 1
    row, gap, mid, room = 40, 4, WIDTH / 2, WIDTH - 8
    # A third of the width at least, so the last step's words fit inside it.
    widths = [room * (0.35 + 0.65 * s["value"] / top) for s in steps]
    marks = []
    for i, s in enumerate(steps):
        y0 = i * (row + gap)
        w0 = widths[i]
        w1 = widths[i + 1] if i + 1 < len(widths) else w0 * 0.8
        shape = _fmt(
            '<polygon points="{:.1f},{} {:.1f},{} {:.1f},{} {:.1f},{}" class="step s{}"/>'
            '<text x="{}" y="{}" class="step-label" text-anchor="middle">{} · {} {}</text>'
            '<text x="{}" y="{}" class="step-note" text-anchor="middle">{}</text>',
            mid - w0 / 2,
            y0,
            mid + w0 / 2,
            y0,
            mid + w1 / 2,
            y0 + row,
            mid - w1 / 2,
            y0 + row,
            i,
            mid,
            y0 + 17,
            s["label"],
            s["value"],
            unit,
            mid,
            y0 + 32,
            s.get("note", ""),
        )
        marks.append(_link(s.get("url"), f"{s['label']}：{s['value']} {unit}", shape))
    body = format_html_join("", "{}", ((m,) for m in marks))
    return _svg(len(steps) * (row + gap), body, unit)
