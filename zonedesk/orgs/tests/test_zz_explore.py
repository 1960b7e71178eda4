from django.core.exceptions import ValidationError, PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from zonedesk.orgs import services
from zonedesk.orgs.models import Org, User
from zonedesk.audit.models import AuditEvent

def test_explore(world, client_for):
    for o in Org.objects.all():
        print(o.pk, o.name, o.kind, o.path, o.code)
    try:
        services.create_org(world.owner, parent=world.zone, kind="city", name="x")
    except ValidationError as e:
        print(e.message_dict)
    try:
        services.create_user(world.owner, username="abc", name="A", password="123", org=world.zone, role="officer")
    except ValidationError as e:
        print(e.message_dict)
    services.update_org(world.owner, world.zone, {"name": "新名"})
    world.zone.refresh_from_db(); print("code after partial update:", repr(world.zone.code))
    print(AuditEvent.objects.filter(action="org.update").values_list("changes", flat=True))
    c = client_for(world.owner)
    for url in ["/orgs/", f"/orgs/{world.zone.pk}/", "/users/", f"/users/{world.member.pk}/", f"/orgs/{world.zone.pk}/teams/new/"]:
        with CaptureQueriesContext(connection) as ctx:
            r = c.get(url)
        print(url, r.status_code, len(ctx.captured_queries))
    r = c.get("/orgs/")
    print(r.content.decode()[:3000])
