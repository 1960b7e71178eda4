"""The site's error pages in the house style: Chinese (or the user's language), with a way
back; JSON for the API. Django calls these for what a view raises (urls.py handler400…500)
and for a failed CSRF check (settings.CSRF_FAILURE_VIEW)."""

from django.http import HttpResponseServerError, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from .middleware import is_api, refusal


def bad_request(request, exception):
    return refusal(request, 400, _("请求无法处理，请检查填写的内容后重试。"))


def forbidden(request, exception):
    # Our services' refusals say in Chinese who may do what; Django's own have no message.
    return refusal(request, 403, str(exception) or _("您没有权限打开此页面或执行此操作。"))


def not_found(request, exception):
    # Http404's own text is Django's English ("No Project matches the given query"), not shown.
    return refusal(request, 404, _("页面不存在，或记录已删除、不在您的查看范围内。"))


def server_error(request):
    """Rendered without the request's context: whatever failed may be what a context
    processor needs."""
    detail = _("服务器处理请求时出错，已记录。请稍后重试；如仍出错，请联系系统管理员。")
    if is_api(request):
        return JsonResponse({"detail": detail}, status=500)
    page = render_to_string("web/plain.html", {"title": _("系统出错"), "detail": detail})
    return HttpResponseServerError(page)


def csrf_failure(request, reason=""):
    return refusal(request, 403, _("页面已过期或安全校验失败：请返回上一页，刷新后重新提交。"))
