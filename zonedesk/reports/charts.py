"""Charts for the Word document, drawn on the server as PNG (Pillow): python-docx has no
native charts. Each bar carries the value as the document prints it, so the picture shows
exactly the numbers of the table beneath it (Excel gets native charts: common/xlsx.py)."""

import glob
import io
import os

from PIL import Image, ImageDraw, ImageFont

WIDTH, ROW, PAD = 1200, 44, 24
BAR = (47, 111, 178)
INK = (34, 34, 34)
# A CJK font the server has (Debian's fonts-noto-cjk), or ZONEDESK_CHART_FONT.
FONT_GLOBS = ("/usr/share/fonts/**/NotoSansCJK-Regular.ttc", "/usr/share/fonts/**/*CJK*.tt[cf]")


def _font_path():
    path = os.environ.get("ZONEDESK_CHART_FONT")
    if path and os.path.exists(path):
        return path
    for pattern in FONT_GLOBS:
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    return None


def _font(size):
    path = _font_path()
    # Without a CJK font Chinese labels would be boxes; Pillow's own font still draws values.
    return ImageFont.truetype(path, size) if path else ImageFont.load_default(size)


def bars_png(bars):
    """A horizontal bar chart of [(label, value, text)]: value a number or None."""
    font = _font(24)
    label_w = int(max((font.getlength(label) for label, _v, _t in bars), default=0)) + PAD
    text_w = int(max((font.getlength(text) for _l, _v, text in bars), default=0)) + PAD
    height = PAD * 2 + ROW * len(bars)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    top = max((v for _l, v, _t in bars if v is not None), default=0) or 1
    room = max(WIDTH - label_w - text_w - PAD * 2, 10)
    for i, (label, value, text) in enumerate(bars):
        y = PAD + i * ROW
        draw.text((PAD, y + 6), label, fill=INK, font=font)
        width = int(room * max(value or 0, 0) / top)
        x0 = PAD + label_w
        if width:
            draw.rectangle([x0, y + 6, x0 + width, y + ROW - 8], fill=BAR)
        draw.text((x0 + width + 8, y + 6), text, fill=INK, font=font)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()
