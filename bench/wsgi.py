"""The WSGI application bench/http.py serves with gunicorn: ZoneDesk's own, with one more URL,
`/bench/bare`, a view that answers "ok" through the same middleware (the request floor)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zonedesk.settings")
settings.ROOT_URLCONF = "bench.urls"
application = get_wsgi_application()
