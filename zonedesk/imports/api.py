from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status

from . import engine, kinds  # noqa: F401 - kinds fill the registry
from .models import ImportJob
from .views import MAX_UPLOAD
from .views import _zones as zones_for

router = Router(tags=["imports"])


class JobOut(Schema):
    id: int
    org_id: int
    kind: str
    filename: str
    status: str
    counts: dict
    errors: list[str]


def _job(request, job_id):
    return get_object_or_404(ImportJob.objects.filter(org__in=zones_for(request.user)), pk=job_id)


@router.post("", response={201: JobOut}, summary="上传台账并预览（不写入）")
def upload(request, kind: Form[str], org_id: Form[int], file: File[UploadedFile]):
    zones = {z.pk: z for z in zones_for(request.user)}
    if org_id not in zones:
        raise Http404
    if kind not in engine.KINDS:
        raise ValidationError({"kind": f"未知的台账类型“{kind}”，可选：{'、'.join(engine.KINDS)}"})
    if file.size > MAX_UPLOAD:
        raise ValidationError({"file": "文件超过20MB，请拆分后上传"})
    job = engine.preview(
        request.user, zones[org_id], engine.KINDS[kind], file.read(), filename=file.name
    )
    return Status(201, job)


@router.get("/{job_id}", response=JobOut, summary="导入任务及其预览结果")
def get_job(request, job_id: int):
    return _job(request, job_id)


class ConfirmIn(Schema):
    valid_only: bool = False


@router.post("/{job_id}/confirm", response=JobOut, summary="确认导入（全部成功或全部不写）")
def confirm(request, job_id: int, payload: ConfirmIn):
    job = _job(request, job_id)
    if job.status == ImportJob.Status.PREVIEWED:
        job = engine.run(request.user, job, valid_only=payload.valid_only)
    return job
