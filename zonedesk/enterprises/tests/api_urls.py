"""A URLconf for the tests until zonedesk/api.py mounts the designations and funds routers:
the project's URLs, preceded by an API carrying all of the enterprise routers with the
project API's authentication and error handlers."""

from django.urls import include, path
from ninja import NinjaAPI

from zonedesk import api as project_api
from zonedesk.enterprises.api import designations_router, funds_router, router

api = NinjaAPI(
    title="ZoneDesk API (enterprises test mount)",
    version="1-test",
    auth=project_api.TokenAuth(),
    urls_namespace="enterprises_test_api",
)
for exc, handler in project_api.api._exception_handlers.items():
    api.add_exception_handler(exc, handler)
api.add_router("/enterprises", router)
api.add_router("", designations_router)
api.add_router("", funds_router)

urlpatterns = [path("api/v1/", api.urls), path("", include("zonedesk.urls"))]
