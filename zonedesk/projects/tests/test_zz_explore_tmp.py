import pytest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.db import connection
from zonedesk.projects.tests.fixtures import projects, add_projects  # noqa
from zonedesk.orgs.services import create_token

def test_explore(world, projects, client_for):
    c = client_for(world.owner)
    c.raise_request_exception = False
    for u in ["/projects/", "/projects/board/", "/projects/cockpit/", f"/projects/{projects.a.pk}/"]:
        with CaptureQueriesContext(connection) as q:
            r = c.get(u)
        print(u, r.status_code, len(q))
    add_projects(world.zone, 30, projects.year, projects.month)
    for u in ["/projects/", "/projects/board/", "/projects/cockpit/", f"/projects/{projects.a.pk}/"]:
        with CaptureQueriesContext(connection) as q:
            r = c.get(u)
        print(u, r.status_code, len(q))
    r = c.post(f"/projects/{projects.a.pk}/stage/", {"stage": "completed", "on": "2026-11-01", "version": 1})
    print("stage stale", r.status_code)
    r = c.get(f"/projects/{projects.a.pk}/plan/?year=abc")
    print("plan abc", r.status_code)
    _t, s = create_token(world.owner, "t")
    api = Client(headers={"Authorization": f"Bearer {s}"}, raise_request_exception=False)
    r = api.get("/api/v1/projects?month=13"); print("month13", r.status_code, r.content[:200])
    r = api.post("/api/v1/projects", {"org_id": world.park.pk, "name": "x", "category": "industry", "nature": "new", "total_investment": "10"}, content_type="application/json"); print("park", r.status_code, r.content[:300])
    r = api.patch(f"/api/v1/projects/{projects.c.pk}", {"version": projects.c.version, "category": None}, content_type="application/json"); print("cat null", r.status_code, r.content[:300])
    r = api.get("/api/v1/projects"); print(r.json().keys(), r.json()["count"])
