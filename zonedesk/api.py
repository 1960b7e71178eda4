"""The /api/v1/ API: token auth, each app's router, errors as JSON with a Chinese detail."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import OperationalError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaError
from ninja.security import HttpBearer

from zonedesk.appeals.api import router as appeals_router
from zonedesk.audit.services import Conflict
from zonedesk.enterprises.api import designations_router, funds_router
from zonedesk.enterprises.api import router as enterprises_router
from zonedesk.imports.api import router as imports_router
from zonedesk.jobs import Busy
from zonedesk.leads.api import router as leads_router
from zonedesk.meetings.api import router as meetings_router
from zonedesk.notify.api import router as notify_router
from zonedesk.orgs.api import router as orgs_router
from zonedesk.orgs.services import user_for_token
from zonedesk.projects.api import router as projects_router
from zonedesk.reports.api import router as reports_router
from zonedesk.supervision.api import router as supervision_router
from zonedesk.web.middleware import busy_response, database_busy


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="ZoneDesk API",
    version="1",
    description=(
        "开发区项目全流程管理平台接口。在“个人设置”中创建令牌，"
        "以 `Authorization: Bearer <令牌>` 调用。"
    ),
    auth=TokenAuth(),
    urls_namespace="api",
)
api.add_router("", orgs_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("", designations_router)
api.add_router("", funds_router)
api.add_router("/projects", projects_router)
api.add_router("", leads_router)
api.add_router("/imports", imports_router)
api.add_router("", supervision_router)
api.add_router("", appeals_router)
api.add_router("", meetings_router)
api.add_router("", notify_router)
api.add_router("/reports", reports_router)


def _error(request, status, detail, errors=None):
    body = {"detail": detail} | ({"errors": errors} if errors else {})
    return api.create_response(request, body, status=status)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return _error(request, 401, "未提供有效的访问令牌")


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return _error(request, 403, str(exc) or "无权执行此操作")


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, 404, "记录不存在或无权查看")


@api.exception_handler(DjangoValidationError)
def invalid(request, exc):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    detail = "；".join(
        f"{field}：{'，'.join(msgs)}" if field != "__all__" else "，".join(msgs)
        for field, msgs in errors.items()
    )
    return _error(request, 400, detail, errors)


@api.exception_handler(Conflict)
def conflict(request, exc):
    return _error(
        request, 409, str(exc), {f: {"yours": a, "stored": b} for f, (a, b) in exc.changes.items()}
    )


@api.exception_handler(OperationalError)
def database_unavailable(request, exc):
    # With DEBUG on, ninja answers any other error itself (a 500 with the traceback), so the
    # middleware's 503 for a busy database would never be reached.
    if not database_busy(exc):
        raise exc
    return busy_response(request, exc)

@api.exception_handler(Busy)
def busy(request, exc):
    return _error(request, 409, str(exc))


@api.exception_handler(SchemaError)
def malformed(request, exc):
    errors = {}
    for e in exc.errors:
        field = ".".join(str(p) for p in e["loc"] if p not in ("body", "query", "path", "payload"))
        errors.setdefault(field or "__all__", []).append(_schema_message(e))
    detail = "；".join(f"字段“{f}”：{'，'.join(m)}" for f, m in errors.items())
    return _error(request, 422, detail, errors)


def _schema_message(e):
    kind = e.get("type", "")
    if kind == "missing":
        return "必填"
    if kind.startswith(("int", "decimal", "float")):
        return "应为数字"
    if kind.startswith("bool"):
        return "应为 true 或 false"
    if kind.startswith("string"):
        return "应为文本，且长度符合要求"
    return f"格式不正确（{e.get('msg', '')}）"
