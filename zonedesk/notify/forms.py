from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.text import CleanTextForm
from zonedesk.web.forms import VersionedForm

from .models import GROUPS, Webhook

TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class PreferenceForm(CleanTextForm):
    email = forms.MultipleChoiceField(
        label=_("以下事件同时发送电子邮件"),
        choices=GROUPS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("站内消息总是送达；邮件发往个人设置中的邮箱。"),
    )
    quiet_start = forms.TimeField(label=_("免打扰开始"), required=False, widget=TIME)
    quiet_end = forms.TimeField(
        label=_("免打扰结束"),
        required=False,
        widget=TIME,
        help_text=_(
            "免打扰时段内邮件推迟到结束时发送，站内消息照常显示。可跨午夜，如 22:00—07:00。"
        ),
    )

    def clean(self):
        data = super().clean()
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            self.add_error("quiet_end", _("免打扰时段须同时填写开始和结束时间"))
        return data


class WebhookForm(VersionedForm):
    target = forms.ChoiceField(label=_("所属单位或专班/战队"))
    kind = forms.ChoiceField(label=_("类型"), choices=Webhook.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=60, required=False)
    url = forms.URLField(
        label=_("Webhook 地址"),
        max_length=500,
        assume_scheme="https",
        help_text=_("在群设置 → 群机器人中复制。"),
    )
    secret = forms.CharField(
        label=_("加签密钥"),
        max_length=200,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("仅钉钉“加签”安全设置需要；修改时留空表示不变。"),
    )
    quiet_start = forms.TimeField(label=_("免打扰开始"), required=False, widget=TIME)
    quiet_end = forms.TimeField(label=_("免打扰结束"), required=False, widget=TIME)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, units=(), teams=(), editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [
            (_("单位"), [(f"unit:{u.pk}", f"{u.org.name} · {u.name}") for u in units]),
            (_("专班/战队"), [(f"team:{t.pk}", f"{t.org.name} · {t.name}") for t in teams]),
        ]
        if editing:
            del self.fields["target"]

    def clean(self):
        data = super().clean()
        if bool(data.get("quiet_start")) != bool(data.get("quiet_end")):
            self.add_error("quiet_end", _("免打扰时段须同时填写开始和结束时间"))
        return data
