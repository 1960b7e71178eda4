"""Reading generated documents back: Word through python-docx, Excel through calamine."""

import io

from django.utils import translation
from docx import Document
from python_calamine import CalamineWorkbook

from zonedesk.orgs.models import User
from zonedesk.reports import services
from zonedesk.reports.models import ReportJob


def fresh_user(user):
    """As a new request or the worker loads it: roles not cached on the object."""
    return User.objects.get(pk=user.pk)


def generate(user, org, kind="monthly", year=2025, month=None, quarter=None):
    """Request a document as `user` and build it here, as the worker would."""
    if kind == "monthly" and month is None:
        month = 7
    # Written in the language active at the request: Chinese here, whatever ran before.
    with translation.override("zh-hans"):
        job = services.request_report(fresh_user(user), org, kind, year, month, quarter)
    services.build_report.call_local(job.pk)
    job = ReportJob.objects.get(pk=job.pk)
    assert job.status == ReportJob.Status.DONE, job.message
    return job


def docx_tables(content):
    """Each table of the Word document as rows of cell texts."""
    document = Document(io.BytesIO(content))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


def docx_text(content):
    document = Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


def xlsx_sheets(content):
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def by_label(rows):
    """Rows keyed by their first cell."""
    return {row[0]: row[1:] for row in rows}


def read(job, fmt):
    with getattr(job, fmt).open("rb") as f:
        return f.read()
