"""Issue 12: weak passwords passed (`Zonedesk`, `aaaaaaaaaaaa`, `Shouyang1`). Every way a
password is set now refuses them — creating a user, an admin's reset, one's own change —
with a Chinese (or English) message on the password field, and writes nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from zonedesk.audit.models import AuditEvent
from zonedesk.conftest import PASSWORD
from zonedesk.orgs import services
from zonedesk.orgs.models import Role, User

DEFECT = ["Zonedesk", "aaaaaaaaaaaa", "Shouyang1"]
GOOD = [PASSWORD, "Jinzhong#Kaifaqu2026", "yangquan-gaoxinqu-7"]


def create(world, password, username="zhangwei2026"):
    return services.create_user(
        world.owner,
        username=username,
        name="张伟",
        password=password,
        org=world.zone,
        role=Role.Name.OFFICER,
    )


def refusal(world, password, username="zhangwei2026"):
    with pytest.raises(ValidationError) as e:
        create(world, password, username)
    assert not User.objects.filter(username=username).exists()
    return " ".join(e.value.message_dict["password"])


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Zonedesk", "密码太短，至少需要 10 个字符。"),
        ("aaaaaaaaaaaa", "密码须包含小写字母、大写字母、数字、符号中的至少两类。"),
        ("Shouyang1", "密码太短，至少需要 10 个字符。"),
        ("1234567890", "密码只包含数字。"),
        ("Aa1Aa1Aa1Aa1", "密码中不同的字符太少，至少需要 5 个不同的字符。"),
    ],
)
def test_the_defects_passwords_are_refused_with_the_reason(world, password, reason):
    assert reason in refusal(world, password)


@pytest.mark.parametrize("password", ["Zhangwei2026", "zhangwei2026!"])
def test_a_password_that_is_or_holds_the_user_name_is_refused(world, password):
    message = refusal(world, password)
    assert "密码跟 用户名 太相似了。" in message and "密码不能包含用户名。" in message


def test_a_password_holding_the_user_name_within_other_characters_is_refused(world):
    # Django's similarity check alone lets this one through (ratio below 0.7).
    assert "密码不能包含用户名。" in refusal(world, "Q7vRt5zhangwei2026Kp9Rm3")


def test_a_password_like_the_phone_number_is_refused(world):
    with pytest.raises(ValidationError) as e:
        services.create_user(
            world.owner,
            username="lina",
            name="李娜",
            phone="13912345678",
            password="13912345678a",
            org=world.zone,
            role=Role.Name.OFFICER,
        )
    assert "密码跟 电话 太相似了。" in e.value.message_dict["password"]


@pytest.mark.parametrize(
    "password", ["Woaini@1314", "Password2026!", "Qwertyuiop123", "password123"]
)
def test_common_pinyin_and_keyboard_passwords_with_digits_are_refused(world, password):
    message = refusal(world, password)
    assert "常见" in message


@pytest.mark.parametrize("password", GOOD)
def test_a_good_password_is_accepted_including_the_demo_one(world, password):
    user = create(world, password)
    assert User.objects.get(pk=user.pk).check_password(password)


def test_refusals_are_in_english_for_english_users(world):
    with translation.override("en"):
        message = refusal(world, "aaaaaaaaaaaa")
    assert "at least two of lowercase letters, uppercase letters, digits and symbols" in message
    assert "密码" not in message


# --- every place that sets a password ------------------------------------------------------


@pytest.mark.parametrize("password", DEFECT)
def test_an_admins_reset_refuses_them_and_keeps_the_old_password(world, client_for, password):
    response = client_for(world.owner).post(
        reverse("orgs:user_password", args=[world.member.pk]), {"password": password}, follow=True
    )
    assert '<p class="flash error" role="status">密码' in response.content.decode()
    assert User.objects.get(pk=world.member.pk).check_password(PASSWORD)
    assert not AuditEvent.objects.filter(action="user.password").exists()


@pytest.mark.parametrize("password", DEFECT)
def test_the_new_user_page_refuses_them_on_the_password_field(world, client_for, password):
    response = client_for(world.owner).post(
        reverse("orgs:user_create"),
        {
            "username": "zhangwei",
            "name": "张伟",
            "password": password,
            "org": world.zone.pk,
            "role": "officer",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    assert not User.objects.filter(username="zhangwei").exists()


@pytest.mark.parametrize("password", DEFECT)
def test_ones_own_password_change_refuses_them(world, client_for, password):
    response = client_for(world.member).post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"]
    assert User.objects.get(pk=world.member.pk).check_password(PASSWORD)


def test_the_forms_that_set_a_password_state_the_rules(world, client_for):
    page = client_for(world.owner).get(reverse("orgs:user_create")).content.decode()
    assert "至少两类" in page and "10" in page
    page = client_for(world.member).get(reverse("password_change")).content.decode()
    assert "至少两类" in page
