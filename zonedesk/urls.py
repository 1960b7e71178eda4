from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path

from zonedesk.api import api, not_found_page
from zonedesk.web import views as web

urlpatterns = [
    path("", web.home, name="home"),
    path("login/", web.LoginView.as_view(), name="login"),
    path("login/code/", web.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", web.profile, name="profile"),
    path("profile/password/", web.password_change, name="password_change"),
    path("profile/totp/", web.totp_setup, name="totp_setup"),
    path("profile/totp/off/", web.totp_disable, name="totp_disable"),
    path("profile/tokens/<int:pk>/revoke/", web.revoke_token, name="revoke_token"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("zonedesk.audit.urls")),
    path("calendar/", include("zonedesk.catalog.urls")),
    path("enterprises/", include("zonedesk.enterprises.urls")),
    path("projects/", include("zonedesk.projects.urls")),
    path("leads/", include("zonedesk.leads.urls")),
    path("imports/", include("zonedesk.imports.urls")),
    path("supervision/", include("zonedesk.supervision.urls")),
    path("meetings/", include("zonedesk.meetings.urls")),
    path("appeals/", include("zonedesk.appeals.urls")),
    path("reports/", include("zonedesk.reports.urls")),
    path("economy/", include("zonedesk.indicators.urls")),
    path("messages/", include("zonedesk.notify.urls")),
    path("", include("zonedesk.orgs.urls")),
    path("api/v1/", api.urls),
    # What no API route matches is a JSON 404 too, not the site's HTML page.
    re_path(r"^api/", not_found_page),
]

handler400 = "zonedesk.web.errors.bad_request"
handler403 = "zonedesk.web.errors.forbidden"
handler404 = "zonedesk.web.errors.not_found"
handler500 = "zonedesk.web.errors.server_error"
