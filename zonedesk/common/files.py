"""Uploaded files judged by their content, never by their name or declared type.

One checker for every upload the domains store (progress photos, appeal attachments): the
size limit, read no further than the limit; the kind by its signature; an image fully
decoded, refused beyond Pillow's pixel limit, and written again as JPEG, which drops EXIF
(a phone's location) and anything appended to the picture. The domains word the refusal.
"""

import io
import zipfile
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

IMAGE, PDF, DOCX, XLSX = "image", "pdf", "docx", "xlsx"
EXTENSIONS = {IMAGE: "jpg", PDF: "pdf", DOCX: "docx", XLSX: "xlsx"}
CONTENT_TYPES = {
    IMAGE: "image/jpeg",
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The image formats accepted, and the only decoders Pillow may try on them.
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP")
MAX_UNZIPPED = 50 * 1024 * 1024
_OFFICE = {
    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": DOCX,
    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": XLSX,
}
_BROKEN = (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError)


class Refused(Exception):
    """An upload that cannot be stored: for its size (`too_large`) or for what it is."""

    def __init__(self, too_large=False):
        super().__init__("too large" if too_large else "not an accepted file")
        self.too_large = too_large


@dataclass(frozen=True)
class Checked:
    """An accepted upload: its kind and the bytes to store (an image's re-encoded)."""

    kind: str
    data: bytes
    width: int | None = None
    height: int | None = None

    @property
    def extension(self):
        return EXTENSIONS[self.kind]


def check(upload, *, kinds, max_bytes, max_side):
    """The upload as it may be stored, or Refused: over `max_bytes`, not one of `kinds`, or
    an image that does not decode; images come back as JPEG, at most `max_side` a side."""
    if upload.size > max_bytes:
        raise Refused(too_large=True)
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:  # the declared size was wrong
        raise Refused(too_large=True)
    kind = sniff(data)
    if kind not in kinds:
        raise Refused
    if kind != IMAGE:
        return Checked(kind, data)
    try:
        return Checked(kind, *reencode(data, max_side))
    except _BROKEN as e:
        raise Refused from e


def sniff(data):
    """What a file is by its content: IMAGE, PDF, DOCX, XLSX or None.

    Images (JPEG, PNG, WebP) by their signature (`check` then decodes them fully); PDF by
    `%PDF-` and its `%%EOF` trailer; Word and Excel files as zip archives whose
    [Content_Types].xml declares the main part of a .docx or .xlsx (macro-enabled
    .docm/.xlsm declare another type and are refused)."""
    if (
        data[:3] == b"\xff\xd8\xff"
        or data[:8] == b"\x89PNG\r\n\x1a\n"
        or (data[:4] == b"RIFF" and data[8:12] == b"WEBP")
    ):
        return IMAGE
    if data[:5] == b"%PDF-" and b"%%EOF" in data[-1024:]:
        return PDF
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as z:
                if sum(i.file_size for i in z.infolist()) > MAX_UNZIPPED:
                    return None
                types = z.read("[Content_Types].xml")
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            return None
        if b"vbaProject" in types or b"macroEnabled" in types:
            return None
        return next((kind for main, kind in _OFFICE.items() if main in types), None)
    return None


def reencode(data, max_side):
    """The image decoded whole and written again as JPEG, scaled down to `max_side`:
    (bytes, width, height). Raises Image.DecompressionBombError beyond the pixel limit."""
    with _open(data) as img:
        img.verify()
    with _open(data) as img:
        img = img.convert("RGB")
        img.thumbnail((max_side, max_side))
        out = io.BytesIO()
        img.save(out, "JPEG", quality=85)
    return out.getvalue(), img.width, img.height


def _open(data):
    img = Image.open(io.BytesIO(data), formats=IMAGE_FORMATS)
    # Pillow raises only beyond 2 × MAX_IMAGE_PIXELS; between 1× and 2× it merely warns and
    # decodes (a 10 000 × 10 000 picture is ~300 MB as RGB). Checked here, not by turning the
    # warning into an error: warning filters are process-wide, and another thread may reset
    # them in between.
    limit = Image.MAX_IMAGE_PIXELS
    if limit and img.width * img.height > limit:
        img.close()
        raise Image.DecompressionBombError(f"{img.width}×{img.height} pixels")
    return img
