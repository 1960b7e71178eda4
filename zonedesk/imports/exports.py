"""Every list's xlsx export, by name, for the API and the `zonedesk export_xlsx` command.

Each export is the page's own export view, called with the caller as the request's user and
the filters as its query string: one implementation, so the API and the command are scoped
and filtered exactly as the pages are, and a new list plugs in with one line here.
"""

from urllib.parse import unquote

from django.http import QueryDict
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils.translation import gettext_lazy as _

# name → (url name of the export view, what it exports, the filters its page takes)
EXPORTS = {
    "projects": (
        "projects:export",
        _("重点项目（月报17列格式）"),
        "q year month stage category nature level warning chain org park unit leader sort",
    ),
    "enterprises": ("enterprises:export", _("企业名录"), "q chain park above_scale"),
    "designations": (
        "enterprises:designation_export",
        _("企业称号"),
        "q kind level chain expiring",
    ),
    "funds": ("enterprises:fund_export", _("惠企资金"), "q year source status chain"),
    "leads": (
        "leads:export",
        _("在谈项目清单"),
        "q stage team source overdue signed_from signed_before created_year reached",
    ),
    "leaderboard": ("leads:leaderboard_export", _("招商大比拼"), "year month"),
    "funnel": ("leads:funnel_export", _("招商线索转化漏斗"), "year"),
    "users": ("orgs:users_export", _("用户"), "q"),
    "audit": ("audit:export", _("审计日志"), "q action since until"),
    "blockers": ("supervision:export", _("问题督办"), "q status level unit overdue project"),
    "meetings": ("meetings:export", _("调度会"), "kind status q"),
    "appeals": (
        "appeals:export",
        _("企业诉求"),
        "q status channel category unit overdue enterprise",
    ),
    "appeal_report": ("appeals:report_xlsx", _("以月答卷"), "month"),
}


class Export:
    def __init__(self, response):
        self.content = response.content
        disposition = response["Content-Disposition"]
        self.filename = unquote(disposition.partition("filename*=UTF-8''")[2]) or "export.xlsx"


def export(user, name, params=None):
    """The workbook the page's export button would give `user` with these filters.
    Raises KeyError for an unknown name, PermissionDenied or Http404 as the page would."""
    url = reverse(EXPORTS[name][0])
    query = QueryDict(mutable=True)
    for key, value in (params or {}).items():
        query.setlist(key, value if isinstance(value, list) else [value])
    request = RequestFactory().get(url, query)
    request.user = user
    request.htmx = False
    return Export(resolve(url).func(request))
