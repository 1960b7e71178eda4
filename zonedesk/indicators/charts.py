"""Server-drawn SVG: an indicator's cumulative value by month, this year against last."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

W, H, LEFT, BOTTOM, TOP = 320, 140, 44, 22, 10


def cumulative(series, year, unit):
    """`series` {year: [(month, value or None)]}: a line per year, last year dashed."""
    points = [v for y in series for _m, v in series[y] if v is not None]
    if not points:
        return ""
    top = max(points) or 1
    width = W - LEFT - 8

    def xy(month, value):
        x = LEFT + (month - 2) * width / 10
        y = TOP + (H - TOP - BOTTOM) * (1 - float(value / top))  # a position, not a figure
        return f"{x:.1f},{y:.1f}"

    lines, dots = [], []
    for y, style in ((year - 1, "last"), (year, "this")):
        coords = [xy(m, v) for m, v in series.get(y, []) if v is not None]
        if coords:
            lines.append((style, " ".join(coords)))
            # A dot per month, so that a single figure (a quarter, a first month) shows too.
            dots += [(style, *c.split(",")) for c in coords]
    ticks = format_html_join(
        "",
        '<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>',
        ((f"{LEFT + (m - 2) * width / 10:.1f}", H - 6, f"{m}月") for m in (2, 4, 6, 8, 10, 12)),
    )
    return format_html(
        '<svg class="ichart" viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        '<line x1="{left}" y1="{b}" x2="{w}" y2="{b}" class="axis"/>'
        '<text x="2" y="{t}" class="tick">{top}</text><text x="2" y="{b}" class="tick">0</text>'
        "{ticks}{lines}"
        '<text x="{l}" y="{t}" class="legend this">━ {year}</text>'
        '<text x="{l2}" y="{t}" class="legend last">┅ {last}</text></svg>',
        w=W,
        h=H,
        left=LEFT,
        l=W - 110,
        l2=W - 60,
        b=H - BOTTOM,
        t=TOP + 2,
        top=f"{top:,.0f}{unit}",
        label=f"{year}年与{year - 1}年逐月累计",
        ticks=ticks,
        lines=mark_safe(
            "".join(f'<polyline class="{s}" points="{c}" fill="none"/>' for s, c in lines)
            + "".join(f'<circle class="{s}" cx="{x}" cy="{y}" r="2.5"/>' for s, x, y in dots)
        ),
        year=year,
        last=year - 1,
    )
