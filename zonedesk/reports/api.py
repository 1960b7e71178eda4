"""/api/v1/reports: request a period document, follow it, download it (scoped like the pages)."""

import datetime
from typing import Literal

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.responses import Status

from zonedesk.catalog.bounds import Month, Quarter, Year

from . import selectors, services
from .models import ReportJob
from .views import TYPES, file_response

router = Router(tags=["reports"])


class ReportIn(Schema):
    org_id: int
    kind: ReportJob.Kind
    year: Year
    month: Month | None = None
    quarter: Quarter | None = None


class ReportOut(Schema):
    id: int
    org_id: int
    kind: str
    year: int
    month: int | None
    quarter: int | None
    title: str
    status: str
    progress: int
    message: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None
    docx_url: str | None
    xlsx_url: str | None

    @staticmethod
    def resolve_docx_url(obj):
        return f"/api/v1/reports/{obj.pk}/docx" if obj.docx else None

    @staticmethod
    def resolve_xlsx_url(obj):
        return f"/api/v1/reports/{obj.pk}/xlsx" if obj.xlsx else None


def _job(request, report_id):
    return get_object_or_404(selectors.jobs_for(request.user), pk=report_id)


@router.post(
    "",
    response={201: ReportOut},
    summary="申请生成月汇总、季分析或年交账（领导、项目专员、管理员；查阅人员和统计员 403）",
)
def request_report(request, payload: ReportIn):
    # An organisation whose documents the caller may read but not produce is 403, by the
    # service; one beyond the caller's reach is 404.
    readable = selectors.report_orgs(request.user, roles=selectors.READERS)
    org = get_object_or_404(readable, pk=payload.org_id)
    job = services.request_report(
        request.user, org, payload.kind, payload.year, payload.month, payload.quarter
    )
    return Status(201, job)


@router.get("", response=list[ReportOut], summary="我申请的报告（最近50份）")
def list_reports(request):
    return selectors.jobs_for(request.user).filter(user=request.user)[:50]


@router.get("/{report_id}", response=ReportOut, summary="报告状态、进度与下载地址")
def get_report(request, report_id: int):
    return _job(request, report_id)


@router.post(
    "/{report_id}/retry", response=ReportOut, summary="重试失败的报告（重新排队生成；未失败 409）"
)
def retry(request, report_id: int):
    return services.retry(request.user, _job(request, report_id))


@router.get(
    "/{report_id}/{fmt}",
    summary="下载 Word（docx）或 Excel（xlsx）",
    response={200: None},
    openapi_extra={
        "responses": {
            200: {
                "content": {
                    t: {"schema": {"type": "string", "format": "binary"}} for t in TYPES.values()
                }
            }
        }
    },
)
def download(request, report_id: int, fmt: Literal["docx", "xlsx"]):
    return file_response(_job(request, report_id), fmt)
