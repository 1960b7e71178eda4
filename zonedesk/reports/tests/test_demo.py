from zonedesk.reports import demo
from zonedesk.reports.models import ReportJob


def test_demo_builds_one_monthly_summary_per_zone_once(seeded):
    demo.load()
    demo.load()
    jobs = ReportJob.objects.order_by("org__name")
    assert [(j.org.name, j.kind, j.status) for j in jobs] == [
        ("太谷经济技术开发区", "monthly", "done"),
        ("寿阳经济技术开发区", "monthly", "done"),
    ]
