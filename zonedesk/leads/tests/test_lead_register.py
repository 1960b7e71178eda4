"""Registering a lead (services.create_lead / update_lead): a dated next step is required,
look-alike investors are flagged until confirmed, the team is an investment team of the zone,
the registration date is not in the future, and every write leaves its audit event."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from zonedesk.leads import services
from zonedesk.leads.models import Lead

from .conftest import TODAY, events, fresh, lead_fields, make_lead, refused

NEXT_STEP_MESSAGE = "每条线索都须有下一步工作及其日期"


# --- the dated next step ------------------------------------------------------------------


@pytest.mark.parametrize(
    "over",
    [
        {"next_step_on": None},
        {"next_step": ""},
        {"next_step": "   "},
        {"next_step": None, "next_step_on": None},
    ],
    ids=["no-date", "no-step", "blank-step", "neither"],
)
def test_a_lead_without_a_dated_next_step_cannot_be_saved(world, clock, paper, promoter, over):
    with pytest.raises(ValidationError) as e:
        services.create_lead(promoter, org=world.zone, **lead_fields(paper, **over))

    assert refused(e, "next_step_on") == NEXT_STEP_MESSAGE
    assert not Lead.objects.exists()


def test_an_edit_cannot_remove_the_next_step_or_its_date(world, clock, paper, promoter):
    lead = make_lead(paper)

    for data in ({"next_step_on": None}, {"next_step": ""}):
        with pytest.raises(ValidationError) as e:
            services.update_lead(promoter, fresh(lead), data)
        assert refused(e, "next_step_on") == NEXT_STEP_MESSAGE

    stored = fresh(lead)
    assert (stored.next_step, stored.next_step_on, stored.version) == (
        "洽谈投资协议",
        TODAY + datetime.timedelta(days=7),
        1,
    )


# --- possible duplicates ------------------------------------------------------------------


def test_an_investor_resembling_an_enterprise_of_the_zone_is_refused_naming_it(
    world, clock, paper, promoter
):
    # world.enterprise is 山西强伟纸业有限公司, registered in zone A.
    fields = lead_fields(paper, investor="强伟纸业")

    with pytest.raises(ValidationError) as e:
        services.create_lead(promoter, org=world.zone, **fields)

    message = refused(e, "investor")
    assert "疑似重复" in message
    assert "企业“山西强伟纸业有限公司”" in message
    assert "确认不是重复" in message
    assert not Lead.objects.exists()
    assert events("lead.create") == []


def test_an_investor_resembling_an_existing_lead_is_refused_naming_the_lead(
    world, clock, paper, digital, promoter2
):
    make_lead(paper, investor="广东省东莞市鑫程新材料有限公司")

    with pytest.raises(ValidationError) as e:
        services.create_lead(
            promoter2, org=world.zone, **lead_fields(digital, investor="东莞鑫程新材料")
        )

    message = refused(e, "investor")
    assert "线索“广东省东莞市鑫程新材料有限公司”" in message
    assert Lead.objects.count() == 1


def test_a_look_alike_lists_every_resembling_lead_and_enterprise(world, clock, paper, promoter):
    make_lead(paper, investor="强伟纸业集团")

    alike = services.look_alikes(world.zone, "强伟纸业")

    assert alike == sorted(["企业“山西强伟纸业有限公司”", "线索“强伟纸业集团”"])


def test_a_confirmed_look_alike_is_saved(world, clock, paper, promoter):
    lead = services.create_lead(
        promoter, org=world.zone, confirmed=True, **lead_fields(paper, investor="强伟纸业")
    )

    assert fresh(lead).investor == "强伟纸业"
    assert fresh(lead).team == paper


@pytest.mark.parametrize(
    "investor",
    [
        "北京丰越供应链管理有限公司",
        # Shares only the words every company name carries (山西 … 有限公司).
        "山西际安电气有限公司",
        "AA&W战略投资集团",
    ],
)
def test_unrelated_investors_pass_without_confirmation(world, clock, paper, promoter, investor):
    make_lead(paper, investor="广东省东莞市鑫程新材料有限公司")

    lead = services.create_lead(promoter, org=world.zone, **lead_fields(paper, investor=investor))

    assert fresh(lead).investor == investor


def test_look_alikes_in_another_zone_do_not_count(world, clock, paper, promoter):
    # 山西亮拓精密铸造有限公司 is an enterprise of zone B only.
    make_lead(world.other_team, investor="河北瑞德铸业有限公司")

    for investor in ("亮拓精密铸造", "瑞德铸业"):
        lead = services.create_lead(
            promoter, org=world.zone, **lead_fields(paper, investor=investor)
        )
        assert fresh(lead).org == world.zone


def test_changing_the_investor_to_a_look_alike_needs_confirmation(world, clock, paper, promoter):
    lead = make_lead(paper, investor="北京丰越供应链管理有限公司")

    with pytest.raises(ValidationError) as e:
        services.update_lead(promoter, fresh(lead), {"investor": "强伟纸业"})
    assert "企业“山西强伟纸业有限公司”" in refused(e, "investor")
    assert fresh(lead).investor == "北京丰越供应链管理有限公司"

    services.update_lead(promoter, fresh(lead), {"investor": "强伟纸业"}, confirmed=True)
    assert fresh(lead).investor == "强伟纸业"


def test_editing_other_fields_of_a_confirmed_look_alike_does_not_ask_again(
    world, clock, paper, promoter
):
    lead = make_lead(paper, investor="强伟纸业")

    services.update_lead(promoter, fresh(lead), {"note": "已完成首轮洽谈"})

    assert fresh(lead).note == "已完成首轮洽谈"


def test_a_lead_does_not_resemble_itself(world, clock, paper, promoter):
    lead = make_lead(paper, investor="北京丰越供应链管理有限公司")

    assert services.look_alikes(world.zone, lead.investor, exclude=lead) == []
    services.update_lead(promoter, fresh(lead), {"investor": "北京丰越供应链有限公司"})
    assert fresh(lead).investor == "北京丰越供应链有限公司"


# --- team, dates, figures -------------------------------------------------------------------


@pytest.mark.parametrize("which", ["task_force", "other_zone"])
def test_the_team_must_be_an_investment_team_of_the_zone(world, clock, paper, which):
    team = {"task_force": world.team, "other_zone": world.other_team}[which]

    with pytest.raises(ValidationError) as e:
        services.create_lead(None, org=world.zone, **lead_fields(team))

    assert refused(e, "team") == "请选择本开发区的招商战队"
    assert not Lead.objects.exists()


def test_a_lead_cannot_be_moved_to_a_task_force(world, clock, paper, leader):
    lead = make_lead(paper)

    with pytest.raises(ValidationError) as e:
        services.update_lead(leader, fresh(lead), {"team": world.team})

    assert refused(e, "team") == "请选择本开发区的招商战队"
    assert fresh(lead).team == paper


def test_a_registration_date_in_the_future_is_refused(world, clock, paper, promoter):
    with pytest.raises(ValidationError) as e:
        services.create_lead(
            promoter,
            org=world.zone,
            created_on=TODAY + datetime.timedelta(days=1),
            **lead_fields(paper),
        )

    assert refused(e, "created_on") == "登记日期不能晚于今天"
    assert not Lead.objects.exists()


def test_a_registration_date_defaults_to_today_and_may_lie_in_the_past(
    world, clock, paper, promoter
):
    today = services.create_lead(promoter, org=world.zone, **lead_fields(paper))
    earlier = services.create_lead(
        promoter, org=world.zone, created_on=datetime.date(2024, 11, 3), **lead_fields(paper)
    )

    assert fresh(today).created_on == TODAY
    assert fresh(earlier).created_on == datetime.date(2024, 11, 3)
    assert fresh(today).stage == Lead.Stage.LEAD


def test_a_negative_estimated_investment_is_refused(world, clock, paper, promoter):
    with pytest.raises(ValidationError) as e:
        services.create_lead(
            promoter, org=world.zone, **lead_fields(paper, estimated_investment=Decimal("-1"))
        )

    assert "预计投资" in refused(e, "estimated_investment")


def test_a_park_of_another_zone_is_refused(world, clock, paper, promoter):
    from zonedesk.orgs.services import create_org

    other_park = create_org(None, parent=world.other_zone, kind="park", name="太谷物流园")

    with pytest.raises(ValidationError) as e:
        services.create_lead(promoter, org=world.zone, **lead_fields(paper, park=other_park))

    assert "太谷物流园" in refused(e, "park")


# --- audit --------------------------------------------------------------------------------


def test_registering_a_lead_records_who_registered_what(world, clock, paper, promoter):
    lead = services.create_lead(
        promoter,
        org=world.zone,
        **lead_fields(
            paper, investor="欧丽华集团", estimated_investment=Decimal("50000"), origin="法国"
        ),
    )

    [event] = events("lead.create", lead)
    assert event.actor == promoter
    assert event.org == world.zone
    assert event.changes["investor"] == [None, "欧丽华集团"]
    assert event.changes["estimated_investment"] == [None, "50000"]
    assert event.changes["team"] == [None, "造纸产业链招商战队"]
    assert event.changes["origin"] == [None, "法国"]


def test_an_edit_records_old_and_new_values_and_a_refused_one_records_nothing(
    world, clock, paper, promoter, new_events
):
    lead = make_lead(paper, land_need="约100亩")
    before = len(new_events())

    services.update_lead(promoter, fresh(lead), {"land_need": "约150亩"})
    with pytest.raises(ValidationError):
        services.update_lead(promoter, fresh(lead), {"next_step_on": None})

    added = new_events()[before:]
    assert [(e.action, e.changes) for e in added] == [
        ("lead.update", {"land_need": ["约100亩", "约150亩"]})
    ]
    assert added[0].actor == promoter
    assert fresh(lead).version == 2
