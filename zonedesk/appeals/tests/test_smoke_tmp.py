from zonedesk.appeals import services
from zonedesk.appeals.models import Appeal

from .conftest import api_client, closed_one


def test_loop(ap, client_for):
    a = closed_one(ap)
    assert a.status == Appeal.Status.CLOSED
    services.rate(ap.w.enterprise_user, a, rating="unsatisfied", comment="没修好")
    a.refresh_from_db()
    assert a.status == "accepted" and a.reopened == 1
    for u, url in [
        (ap.w.owner, "/appeals/"),
        (ap.w.owner, f"/appeals/{a.pk}/"),
        (ap.w.enterprise_user, "/appeals/mine/"),
        (ap.w.enterprise_user, "/appeals/new/"),
        (ap.w.unit_user, "/appeals/inbox/"),
        (ap.w.owner, "/appeals/report/?month=2025-11"),
        (ap.w.owner, "/appeals/report.docx?month=2025-11"),
        (ap.w.owner, "/appeals/report.xlsx?month=2025-11"),
        (ap.w.owner, "/appeals/export.xlsx"),
        (ap.w.owner, "/appeals/categories/"),
        (ap.w.owner, "/appeals/log/"),
        (ap.w.owner, f"/appeals/categories/{ap.cats['用地'].pk}/edit/"),
        (ap.w.unit_user, f"/appeals/{a.pk}/"),
    ]:
        r = client_for(u).get(url)
        assert r.status_code == 200, (url, r.content[:3000])
    c = api_client(ap.w.enterprise_user)
    for url in ["/api/v1/appeals", "/api/v1/appeal-categories", f"/api/v1/appeals/{a.pk}"]:
        r = c.get(url)
        assert r.status_code == 200, r.content
