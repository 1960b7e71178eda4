"""A running period is cut at today and says so ("截至8月15日"), with its 1—N月 figures at the
last month already over; a closed one at its end. A county with a single zone still gets
its 合计 column."""

from zonedesk.conftest import make_user
from zonedesk.orgs.models import Role
from zonedesk.supervision import services as supervision
from zonedesk.supervision.models import Blocker

from .conftest import YEAR, d
from .documents import by_label, docx_tables, docx_text, generate, read


def blocker(s, title, deadline):
    return supervision.raise_blocker(
        None,
        org=s.world.zone,
        title=title,
        description="待协调",
        unit=s.world.unit,
        leader=s.leader,
        deadline=deadline,
        project=s.green,
    )


def test_a_running_year_is_cut_at_today_and_says_so(seeded):
    s = seeded  # today is 2025-08-15
    late = blocker(s, "用地指标未落实", d(YEAR, 12, 1))
    Blocker.objects.filter(pk=late.pk).update(raised_on=d(YEAR, 2, 20), deadline=d(YEAR, 3, 1))
    blocker(s, "供电接入待批", d(YEAR, 12, 1))  # its deadline has not come
    content = read(generate(s.leader, s.world.zone, "annual", YEAR), "docx")
    text = docx_text(content)
    assert "截至8月15日（月度数据为2025年1—7月）" in text
    assert "截至2025年12月底" not in text
    tables = docx_tables(content)
    kpis = by_label(tables[0])
    assert kpis["时序进度"] == ["58.33%"]  # 7 of 12 months, not 100% before December is in
    blockers = by_label(next(t for t in tables if t[0] == ["指标", "数量"]))
    assert blockers["逾期未办结问题（个）"] == ["1"]
    assert "逾期未办结按截至8月15日的状态计。" in text
    assert "截至8月15日逾期未办结1件" in text  # the approvals, on the same day


def test_a_closed_month_is_cut_at_its_end(seeded):
    content = read(generate(seeded.leader, seeded.world.zone, "monthly", YEAR, 7), "docx")
    text = docx_text(content)
    assert "截至2025年7月底，" in text and "截至期末逾期未办结1件" in text


def test_a_running_quarter_shows_the_months_already_over(seeded):
    content = read(generate(seeded.leader, seeded.world.zone, "quarterly", YEAR, quarter=3), "docx")
    months = next(t for t in docx_tables(content) if t[0][0] == "指标" and "7月" in t[0])
    assert months[0] == ["指标", "7月"]


def test_a_county_with_one_zone_gets_its_total_column(seeded):
    s = seeded
    leader = make_user("taigu_county", s.world.other_county, Role.Name.LEADER)
    tables = docx_tables(read(generate(leader, s.world.other_county, "monthly", YEAR, 7), "docx"))
    assert tables[0][0] == ["指标", s.world.other_zone.name, "合计"]
    kpis = by_label(tables[0])
    assert kpis["年度计划投资（万元）"] == ["1,000.00", "1,000.00"]


def test_a_zone_document_keeps_its_single_column(seeded):
    tables = docx_tables(
        read(generate(seeded.leader, seeded.world.zone, "monthly", YEAR, 7), "docx")
    )
    assert tables[0][0] == ["指标", seeded.world.zone.name]
