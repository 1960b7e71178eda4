"""The one way a page hands a file to the browser: saved under its own name, Chinese
included, never shown inline."""

from urllib.parse import quote

from django.http import FileResponse, HttpResponse
from django.utils import timezone

from . import files

XLSX = files.CONTENT_TYPES[files.XLSX]
DOCX = files.CONTENT_TYPES[files.DOCX]


def download(content, filename, content_type):
    """`content` (bytes, or an open file, which is streamed) as the attachment `filename`,
    encoded per RFC 5987 so every browser the zones use keeps the Chinese name."""
    response = (FileResponse if hasattr(content, "read") else HttpResponse)(
        content, content_type=content_type
    )
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def dated(name, extension):
    """ "问题督办清单-20260315.xlsx": a file named as the zones date theirs, by today's date."""
    return f"{name}-{timezone.localdate():%Y%m%d}.{extension}"


def xlsx(content, name):
    """A workbook download named `name` and dated."""
    return download(content, dated(name, "xlsx"), XLSX)
