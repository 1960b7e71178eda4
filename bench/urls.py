"""ZoneDesk's URLs and the bare view of bench/http.py."""

from django.http import HttpResponse
from django.urls import path

from zonedesk.urls import urlpatterns as zonedesk


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), *zonedesk]
