"""Every download is saved under its own name, Chinese included, never shown inline."""

import datetime
import io
from urllib.parse import unquote

from django.http import FileResponse

from zonedesk.common import downloads


def saved_as(response):
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    return unquote(disposition.partition("''")[2])


def test_bytes_are_saved_under_their_chinese_name():
    response = downloads.download(b"PK", "以月答卷-2026-03.docx", downloads.DOCX)
    assert saved_as(response) == "以月答卷-2026-03.docx"
    assert response["Content-Type"] == downloads.DOCX
    assert response.content == b"PK"


def test_an_open_file_is_streamed():
    response = downloads.download(io.BytesIO(b"PK" * 1000), "周期报告.xlsx", downloads.XLSX)
    assert isinstance(response, FileResponse)
    assert saved_as(response) == "周期报告.xlsx"
    assert b"".join(response.streaming_content) == b"PK" * 1000


def test_a_workbook_is_named_after_its_list_and_dated_today(clock):
    clock.today = datetime.date(2026, 3, 15)
    response = downloads.xlsx(b"PK", "问题督办清单")
    assert saved_as(response) == "问题督办清单-20260315.xlsx"
    assert response["Content-Type"] == downloads.XLSX
