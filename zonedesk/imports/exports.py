"""Every list's xlsx export, by name, for the API and the `zonedesk export_xlsx` command.

Each export is the page's own export view, called with the caller as the request's user and
the filters as its query string: one implementation, so the API and the command are scoped
and filtered exactly as the pages are. A new list plugs in with one `register` in its app's
AppConfig.ready().
"""

from urllib.parse import unquote

from django.http import QueryDict
from django.test import RequestFactory
from django.urls import resolve, reverse

# name → (url name of the export view, what it exports, the filters its page takes); each app
# adds its lists in its AppConfig.ready().
EXPORTS = {}


def register(name, url_name, label, filters=""):
    EXPORTS[name] = (url_name, label, filters)


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
