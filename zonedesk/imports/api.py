import datetime
import json

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.responses import Status

from zonedesk.common.downloads import XLSX, download

from . import engine, flow
from .exports import EXPORTS, export
from .models import ImportJob
from .views import MAX_UPLOAD
from .views import _zones as zones_for

router = Router(tags=["imports"])
BINARY = {"type": "string", "format": "binary"}


class JobOut(Schema):
    id: int
    org_id: int
    kind: str
    filename: str
    sheet: str
    status: str
    counts: dict
    matched: dict
    errors: list[str]
    options: dict
    questions: list
    done: int
    total: int
    heartbeat: datetime.datetime | None


def _job(request, job_id):
    jobs = ImportJob.objects.filter(org__in=zones_for(request.user)).defer("data")
    return get_object_or_404(jobs, pk=job_id)


@router.get("", response=list[JobOut], summary="我的导入（最近100条）")
def mine(request):
    return ImportJob.objects.filter(created_by=request.user).defer("data")[:100]


@router.post("", response={201: JobOut}, summary="上传台账并预览（不写入；大文件在后台预览）")
def upload(
    request,
    kind: Form[str],
    org_id: Form[int],
    file: File[UploadedFile],
    options: Form[str] = "",
):
    """`options` (JSON): the answers the preview asked for — {"year": 2024, "month": 10,
    "aliases": {"unit": {"县工信局": 12}}, "clear_blanks": true}."""
    zones = {z.pk: z for z in zones_for(request.user)}
    if org_id not in zones:
        raise Http404
    if kind not in engine.KINDS:
        raise ValidationError({"kind": f"未知的台账类型“{kind}”，可选：{'、'.join(engine.KINDS)}"})
    if file.size > MAX_UPLOAD:
        raise HttpError(413, _("文件超过20MB，请拆分后上传"))
    try:
        answers = json.loads(options) if options else {}
    except ValueError:
        answers = None
    if not isinstance(answers, dict):
        raise ValidationError({"options": _("options 应为 JSON 对象")})
    job = flow.start(
        request.user,
        zones[org_id],
        engine.KINDS[kind],
        file.read(),
        filename=file.name,
        options=answers,
    )
    return Status(201, job)


@router.get(
    "/exports/{name}",
    response={200: None},
    openapi_extra={"responses": {200: {"content": {XLSX: {"schema": BINARY}}}}},
    summary="导出列表为 xlsx（与页面相同的范围和筛选条件，筛选条件作为查询参数）",
    description="可导出："
    + "；".join(f"{k}（{v[1]}；筛选：{v[2] or '无'}）" for k, v in EXPORTS.items()),
)
def export_list(request, name: str):
    if name not in EXPORTS:
        raise Http404
    result = export(request.user, name, {k: request.GET.getlist(k) for k in request.GET})
    return download(result.content, result.filename, XLSX)


@router.get("/{job_id}", response=JobOut, summary="导入任务及其预览结果")
def get_job(request, job_id: int):
    return _job(request, job_id)


class ConfirmIn(Schema):
    valid_only: bool = False


@router.post(
    "/{job_id}/confirm", response=JobOut, summary="确认导入（全部成功或全部不写；大文件在后台导入）"
)
def confirm(request, job_id: int, payload: ConfirmIn):
    return flow.confirm(request.user, _job(request, job_id), valid_only=payload.valid_only)


@router.post(
    "/{job_id}/retry",
    response=JobOut,
    summary="重试失败的导入（已确认的重新导入，全部成功或全部不写；未确认的重新预览）",
)
def retry(request, job_id: int):
    return flow.retry(request.user, _job(request, job_id))
