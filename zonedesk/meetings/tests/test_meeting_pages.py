"""Every page of meetings/urls.py: who may open it (zone leaders and officers edit, viewers
above read, unit staff see only their unit's decisions, other zones nothing), the htmx edits
of agenda, minutes and decisions, the Word print and the xlsx list, bounded query counts."""

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from zonedesk.meetings import services
from zonedesk.meetings.models import AgendaItem, Meeting
from zonedesk.meetings.tests.conftest import (
    IDLE,
    LATE,
    OVERDUE,
    RED,
    YELLOW,
    fresh,
    weekly,
)
from zonedesk.supervision.models import Blocker

K = AgendaItem.Kind
HTMX = {"HTTP_HX_REQUEST": "true"}
PAGE_MAX_QUERIES = 16


@pytest.fixture
def meeting(world, agenda_data, leader):
    m = weekly(world, actor=leader, chair=leader)
    services.record_minutes(leader, m, minutes="一、听取红色项目汇报。\n二、研究电力迁改。")
    return fresh(m)


@pytest.fixture
def decided(world, meeting, leader, other_unit_user):
    """Two decisions: one for world.unit (turned into a blocker), one for another unit."""
    item = meeting.agenda.get(kind=K.RED_PROJECT)
    mine = services.add_decision(
        leader, meeting, text="协调电力公司迁改线路", agenda_item=item, unit=world.unit
    )
    services.decision_to_blocker(leader, mine, unit=world.unit, working_days=5)
    theirs = services.add_decision(
        leader, meeting, text="办理临时用地手续", unit=other_unit_user.unit
    )
    return fresh(mine), fresh(theirs)


def test_leader_sees_agenda_minutes_and_decisions(client_for, leader, meeting, decided):
    r = client_for(leader).get(reverse("meetings:detail", args=[meeting.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    for text in (RED, YELLOW, OVERDUE, LATE, IDLE, "研究电力迁改", "协调电力公司迁改线路"):
        assert text in body
    assert "转为督办" in body  # the second decision is not a blocker yet


def test_viewer_above_reads_but_cannot_edit(client_for, world, meeting, decided):
    c = client_for(world.viewer)
    r = c.get(reverse("meetings:detail", args=[meeting.pk]))
    assert r.status_code == 200
    assert RED in r.content.decode()
    assert "保存纪要" not in r.content.decode()
    r = c.post(reverse("meetings:minutes", args=[meeting.pk]), {"minutes": "越权"})
    assert r.status_code == 403
    assert c.get(reverse("meetings:list")).context["meetings"].paginator.count == 1


def test_unit_user_sees_only_their_units_decisions(client_for, world, meeting, decided):
    c = client_for(world.unit_user)
    r = c.get(reverse("meetings:detail", args=[meeting.pk]))
    assert r.status_code == 200
    body = r.content.decode()
    assert "协调电力公司迁改线路" in body
    assert "办理临时用地手续" not in body
    assert "研究电力迁改" not in body  # no minutes
    assert YELLOW not in body  # no agenda
    assert c.get(reverse("meetings:docx", args=[meeting.pk])).status_code == 403
    assert (
        c.post(reverse("meetings:decision_add", args=[meeting.pk]), {"text": "x"}).status_code
        == 403
    )


def test_unit_user_list_shows_the_meeting_without_its_counts(client_for, world, meeting, decided):
    from zonedesk.leads.tests.conftest import read_xlsx

    c = client_for(world.unit_user)
    r = c.get(reverse("meetings:list"))
    assert [m.title for m in r.context["meetings"]] == [meeting.title]
    assert "议题 / 决定 / 督办" in r.content.decode()
    assert r.context["meetings"][0].full is False
    rows = read_xlsx(c.get(reverse("meetings:export")).content)
    assert rows[2][3] == meeting.title
    assert rows[2][-3:] == ["", "", ""]


def test_unit_user_without_decisions_sees_no_meeting(client_for, world, meeting):
    c = client_for(world.unit_user)
    assert c.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert c.get(reverse("meetings:list")).context["meetings"].paginator.count == 0


def test_other_zone_and_enterprise_see_nothing(client_for, world, meeting, decided):
    c = client_for(world.outsider)
    assert c.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    assert c.get(reverse("meetings:list")).context["meetings"].paginator.count == 0
    assert (
        c.post(reverse("meetings:minutes", args=[meeting.pk]), {"minutes": "x"}).status_code == 404
    )
    e = client_for(world.enterprise_user)
    assert e.get(reverse("meetings:list")).status_code == 403
    assert e.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 403


def test_create_page_builds_the_agenda(client_for, world, agenda_data, leader):
    c = client_for(leader)
    assert c.get(reverse("meetings:create")).status_code == 200
    r = c.post(
        reverse("meetings:create"),
        {
            "kind": "weekly",
            "title": "第34周调度会",
            "held_at": "2025-08-18T09:00",
            "place": "管委会",
            "chair": leader.pk,
            "attendees": "各部门",
        },
    )
    m = Meeting.objects.get(title="第34周调度会")
    assert r.status_code == 302 and r["Location"] == reverse("meetings:detail", args=[m.pk])
    assert m.agenda.filter(kind=K.RED_PROJECT).exists()
    assert m.period == datetime.date(2025, 7, 1)


def test_create_page_names_the_missing_field(client_for, world, leader, clock):
    r = client_for(leader).post(reverse("meetings:create"), {"kind": "weekly", "title": ""})
    assert r.status_code == 200
    assert r.context["form"].errors["title"]
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("user", ["unit_user", "viewer", "enterprise_user"])
def test_create_page_refused_without_the_role(client_for, world, user, clock):
    assert client_for(getattr(world, user)).get(reverse("meetings:create")).status_code == 403


def test_other_zone_creates_only_in_its_own_zone(client_for, world, clock):
    c = client_for(world.outsider)
    r = c.get(reverse("meetings:create"), {"org": world.zone.pk})
    assert r.context["title"] == "在“太谷经济技术开发区”召集调度会"


def test_htmx_note_remove_and_reorder_return_the_agenda(client_for, leader, meeting):
    c = client_for(leader)
    red = meeting.agenda.get(kind=K.RED_PROJECT)
    url = reverse("meetings:agenda_item", args=[red.pk])
    r = c.post(url, {"op": "note", "note": "请包联领导说明", "version": red.version}, **HTMX)
    assert r.status_code == 200
    assert r.content.decode().lstrip().startswith('<section class="card" id="agenda">')
    assert "请包联领导说明" in r.content.decode()
    assert fresh(red).note == "请包联领导说明"
    r = c.post(url, {"op": "remove"}, **HTMX)
    assert fresh(red).removed is True
    assert "已移出的议题" in r.content.decode()
    c.post(url, {"op": "restore"}, **HTMX)
    yellow = meeting.agenda.get(kind=K.YELLOW_PROJECT)
    c.post(reverse("meetings:agenda_item", args=[yellow.pk]), {"op": "up"}, **HTMX)
    first = meeting.agenda.filter(removed=False).order_by("order").first()
    assert first.pk == yellow.pk


def test_stale_note_shows_the_conflict(client_for, leader, meeting):
    red = meeting.agenda.get(kind=K.RED_PROJECT)
    services.note_agenda_item(leader, red, note="先写的")
    r = client_for(leader).post(
        reverse("meetings:agenda_item", args=[red.pk]),
        {"op": "note", "note": "后写的", "version": 1},
        **HTMX,
    )
    assert "该记录已被他人修改" in r.content.decode()
    assert fresh(red).note == "先写的"


def test_add_free_item_and_rebuild(client_for, leader, meeting):
    c = client_for(leader)
    r = c.post(reverse("meetings:agenda_add", args=[meeting.pk]), {"title": "安全生产"}, **HTMX)
    assert "安全生产" in r.content.decode()
    r = c.post(reverse("meetings:rebuild", args=[meeting.pk]), **HTMX)
    assert "新增0项，移除0项" in r.content.decode()
    assert meeting.agenda.filter(title="安全生产").exists()


def test_minutes_saved_through_htmx(client_for, leader, meeting):
    r = client_for(leader).post(
        reverse("meetings:minutes", args=[meeting.pk]),
        {"minutes": "三、部署下周工作。", "version": meeting.version},
        **HTMX,
    )
    assert r.status_code == 200 and "会议纪要已保存" in r.content.decode()
    assert fresh(meeting).minutes == "三、部署下周工作。"


def test_decision_then_blocker_through_the_page(client_for, world, leader, meeting):
    c = client_for(leader)
    r = c.post(
        reverse("meetings:decision_add", args=[meeting.pk]),
        {"text": "限期完成施工许可", "agenda_item": meeting.agenda.first().pk},
        **HTMX,
    )
    assert "限期完成施工许可" in r.content.decode()
    d = meeting.decisions.get()
    r = c.post(
        reverse("meetings:decision_blocker", args=[d.pk]),
        {"unit": world.unit.pk, "working_days": "3"},
        **HTMX,
    )
    assert "已转为督办" in r.content.decode()
    blocker = Blocker.objects.get(decision=d)
    assert blocker.unit == world.unit
    assert blocker.deadline == datetime.date(2025, 8, 20)


def test_blocker_form_without_unit_is_refused(client_for, leader, meeting):
    d = services.add_decision(leader, meeting, text="限期完成")
    r = client_for(leader).post(
        reverse("meetings:decision_blocker", args=[d.pk]), {"working_days": "3"}, **HTMX
    )
    assert "责任单位" in r.content.decode()
    assert fresh(d).blocker is None


def test_status_buttons(client_for, leader, meeting):
    c = client_for(leader)
    c.post(reverse("meetings:status", args=[meeting.pk]), {"to": "held"})
    assert fresh(meeting).status == "held"
    c.post(reverse("meetings:status", args=[meeting.pk]), {"to": "closed"})
    assert fresh(meeting).status == "closed"


def test_edit_page_changes_the_place(client_for, leader, meeting):
    r = client_for(leader).post(
        reverse("meetings:edit", args=[meeting.pk]),
        {
            "title": meeting.title,
            "held_at": "2025-08-18T15:00",
            "place": "园区指挥部",
            "version": meeting.version,
        },
    )
    assert r.status_code == 302
    assert fresh(meeting).place == "园区指挥部"


def test_docx_opens_and_holds_the_meeting(client_for, world, leader, meeting, decided):
    r = client_for(world.viewer).get(reverse("meetings:docx", args=[meeting.pk]))
    assert r.status_code == 200
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert meeting.title in text
    assert "管委会三楼会议室" in text
    assert "2025-08-18" in text
    for title in (RED, YELLOW, OVERDUE, LATE, IDLE):
        assert title in text
    assert "红色预警项目" in text and "完成率10.00%" in text
    assert "研究电力迁改" in text
    [table] = doc.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "决定事项", "责任单位", "办结时限", "督办"]
    assert rows[1][1:4] == ["协调电力公司迁改线路", world.unit.name, "2025-08-22"]
    assert rows[1][4] == "待办理"
    assert rows[2][4] == "未转督办"


def test_xlsx_export_lists_the_scope(client_for, world, leader, meeting, decided):
    from zonedesk.leads.tests.conftest import read_xlsx

    weekly(world, kind="daily", title="8月15日日碰头")
    r = client_for(leader).get(reverse("meetings:export"), {"kind": "weekly"})
    rows = read_xlsx(r.content)
    assert rows[0][0] == "调度会议清单"
    assert rows[1][:4] == ["序号", "开发区", "会议类型", "会议名称"]
    assert len(rows) == 3
    assert rows[2][2:4] == ["周调度", meeting.title]
    assert rows[2][-3:] == [meeting.agenda.filter(removed=False).count(), 2, 1]
    out = client_for(world.outsider).get(reverse("meetings:export"))
    assert len(read_xlsx(out.content)) == 2


def test_list_filters_by_kind(client_for, world, leader, meeting):
    weekly(world, kind="daily", title="8月15日日碰头")
    c = client_for(leader)
    r = c.get(reverse("meetings:list"), {"kind": "daily"})
    assert [m.title for m in r.context["meetings"]] == ["8月15日日碰头"]
    assert r.context["meetings"][0].n_items == 0


def test_pages_stay_within_query_bounds(
    client_for, world, leader, meeting, decided, django_assert_max_num_queries
):
    for i in range(3):
        d = services.add_decision(leader, meeting, text=f"决定{i}", unit=world.unit)
        services.decision_to_blocker(leader, d, unit=world.unit, working_days=5)
        weekly(world, title=f"第{i}次调度会")
    c = client_for(leader)
    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        assert c.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 200
    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        assert c.get(reverse("meetings:list")).status_code == 200
    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        assert c.get(reverse("meetings:docx", args=[meeting.pk])).status_code == 200
    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        assert c.get(reverse("meetings:export")).status_code == 200


def test_meeting_page_in_english(client_for, leader, meeting):
    c = client_for(leader)
    c.cookies["django_language"] = "en"
    body = c.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Rebuild the agenda from the latest data" in body
    assert "Red-warning projects" in body
    assert "Weekly dispatch" in body


WRITE_PAGES = ["edit", "status", "rebuild", "agenda_add", "minutes", "decision_add"]


@pytest.mark.parametrize("name", WRITE_PAGES)
def test_write_pages_refuse_readers_and_other_zones(client_for, world, meeting, decided, name):
    url = reverse(f"meetings:{name}", args=[meeting.pk])
    assert client_for(world.viewer).post(url, {"to": "held", "title": "x"}).status_code == 403
    assert client_for(world.unit_user).post(url, {"to": "held", "title": "x"}).status_code == 403
    assert client_for(world.outsider).post(url, {"to": "held", "title": "x"}).status_code == 404
    assert fresh(meeting).status == "draft" and fresh(meeting).version == meeting.version


def test_item_and_blocker_posts_refuse_readers(client_for, world, meeting, decided):
    item = meeting.agenda.first()
    _mine, theirs = decided
    for user, code in ((world.viewer, 403), (world.unit_user, 403), (world.outsider, 404)):
        c = client_for(user)
        assert (
            c.post(reverse("meetings:agenda_item", args=[item.pk]), {"op": "remove"}).status_code
            == code
        )
        r = c.post(
            reverse("meetings:decision_blocker", args=[theirs.pk]),
            {"unit": world.unit.pk, "working_days": "3"},
        )
        assert r.status_code == code
    assert fresh(item).removed is False
    assert fresh(theirs).blocker is None
