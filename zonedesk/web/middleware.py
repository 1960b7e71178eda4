import logging

from django.conf import settings
from django.db import OperationalError
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from psycopg_pool import PoolTimeout, TooManyRequests

logger = logging.getLogger(__name__)


class LanguageMiddleware:
    """Chinese unless the user picked another language with the switch (a cookie).

    The browser's Accept-Language is ignored on purpose: many office PCs run an
    English-language browser, and their users still expect the Chinese interface.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # The thread serves other work next (a test, a job in a threaded worker): it must
            # not inherit this user's language.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
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
        page = render_to_string("web/busy.html", {"detail": detail})
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    """A request that finds the database busy answers 503 instead of a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return busy_response(request, exception) if database_busy(exception) else None
