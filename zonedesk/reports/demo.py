"""Demo data: one finished monthly summary per demo zone, so the list and downloads show."""

from zonedesk.orgs.models import Org, Role
from zonedesk.projects.selectors import default_period

from . import selectors, services
from .models import ReportJob


def load():
    """Build last month's 月汇总 for each zone, requested by a leader or admin of it (run
    after the projects, leads and supervision demos)."""
    year, month = default_period()
    roles = (
        Role.objects.filter(org__kind=Org.Kind.ZONE, role__in=selectors.GENERATORS)
        .select_related("user", "org")
        .order_by("org__path", "role", "pk")
    )
    for role in roles:
        if ReportJob.objects.filter(org=role.org).exists():
            continue
        job = services.request_report(role.user, role.org, ReportJob.Kind.MONTHLY, year, month)
        services.run(job.pk)
