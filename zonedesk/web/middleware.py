import logging

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from psycopg_pool import PoolTimeout, TooManyRequests

from .params import nul_parameter

logger = logging.getLogger(__name__)


def is_api(request):
    return request.path_info.startswith("/api/")


class LanguageMiddleware:
    """Chinese unless the user picked another language with the switch (a cookie).

    The browser's Accept-Language is ignored on purpose: many office PCs run an
    English-language browser, and their users still expect the Chinese interface.
    API clients are programs, not office browsers: for /api/ the Accept-Language header
    counts (after the cookie), so a client that asks for English gets English errors.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = (
                translation.get_language_from_request(request)
                if is_api(request)
                else settings.LANGUAGE_CODE
            )
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread serves other work next (a test, a job in a threaded worker): it must
            # not inherit this user's language.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        if is_api(request):
            patch_vary_headers(response, ["Accept-Language"])
        return response


# What a database says when it has no connection to give: the pool's timeout or queue limit,
# PostgreSQL's max_connections or a role's limit, and SQLite's write lock held by another
# writer past the busy timeout. Any other OperationalError (SQLite's "no such table") is a
# bug and stays a 500.
BUSY_MESSAGES = (
    "too many clients",
    "too many connections",
    "remaining connection slots",
    "database is locked",
)
RETRY_AFTER_SECONDS = 5


def database_busy(exc):
    if not isinstance(exc, OperationalError):
        return False
    if isinstance(exc.__cause__, PoolTimeout | TooManyRequests):
        return True
    return any(m in str(exc).lower() for m in BUSY_MESSAGES)


def busy_response(request, exc):
    """503 with Retry-After, rendered without the database: it is the thing that is busy."""
    logger.warning("Database busy, answered 503 to %s %s: %s", request.method, request.path, exc)
    detail = _("系统繁忙：数据库暂时无法处理请求，请稍后重试。")
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": detail}, status=503)
    else:
        page = render_to_string("web/plain.html", {"title": _("系统繁忙"), "detail": detail})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def too_large(limit):
    mb = f"{limit / 1024 / 1024:.3g}"
    return _("请求体超过 %(mb)s MB 的上限，请拆分或压缩后重试") % {"mb": mb}


def refusal(request, status, message, field=None):
    """A refused request: JSON `{detail, errors}` for the API, a page for the web."""
    if is_api(request):
        body = {"detail": message} | ({"errors": {field: [message]}} if field else {})
        return JsonResponse(body, status=status)
    return render(
        request,
        "web/refused.html",
        {"title": REFUSAL_TITLES.get(status, _("请求无法处理")), "message": message},
        status=status,
    )


REFUSAL_TITLES = {
    403: _lazy("无权访问"),
    404: _lazy("页面不存在"),
    413: _lazy("上传内容过大"),
}


class RequestGuardMiddleware:
    """Refuses what no view can handle before any view reads it: a body over the limit (413,
    judged by Content-Length, so nothing is read or spooled to disk) and a NUL in the query
    string (400 naming the parameter; PostgreSQL cannot compare a string holding one).
    A body over the limit that had no Content-Length, and a view's BadRequest (an export's
    unreadable period), are answered the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        multipart = request.content_type == "multipart/form-data"
        limit = (
            settings.MAX_UPLOAD_REQUEST_BYTES if multipart else settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        )
        if limit is not None and length > limit:
            return refusal(request, 413, too_large(limit))
        if "\x00" in request.path_info:
            return refusal(request, 400, _("地址含有空字符（NUL）"))
        name = nul_parameter(request)
        if name is not None:
            return refusal(
                request, 400, _("查询参数“%(name)s”含有空字符（NUL）") % {"name": name}, name
            )
        return self.get_response(request)

    def process_exception(self, request, exc):
        if isinstance(exc, RequestDataTooBig):
            return refusal(request, 413, too_large(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
        if isinstance(exc, BadRequest):
            return refusal(request, 400, str(exc), getattr(exc, "name", None))
        return None


class DatabaseBusyMiddleware:
    """A request that finds the database busy answers 503 instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return busy_response(request, exception) if database_busy(exception) else None
