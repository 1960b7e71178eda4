from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.text import CleanTextForm
from zonedesk.common.forms import BLANK, MultipleFileField, MultipleFileInput
from zonedesk.enterprises.selectors import enterprises_for
from zonedesk.orgs import selectors as orgs
from zonedesk.web.forms import VersionedForm

from .models import Appeal

DATE = forms.DateInput(attrs={"type": "date"})
MONTH = forms.TextInput(attrs={"type": "month"})
ACCEPT = "image/*,.pdf,.docx,.xlsx"


def files_field(label=None):
    return MultipleFileField(
        label=label or _("照片或文件"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=_("可多选；图片、PDF、Word、Excel，每个不超过10MB"),
    )


class RaiseForm(CleanTextForm):
    """The enterprise's phone form: a category, a title, what is wrong, and photos."""

    category = forms.ModelChoiceField(label=_("诉求类别"), queryset=None, empty_label=None)
    title = forms.CharField(
        label=_("标题"),
        max_length=100,
        required=False,
        help_text=_("一句话概括；不填则取诉求内容的开头"),
    )
    description = forms.CharField(
        label=_("诉求内容"),
        max_length=4000,
        widget=forms.Textarea(
            attrs={"rows": 5, "placeholder": _("请简要说明遇到的问题和希望的帮助")}
        ),
    )
    attachments = files_field()

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class LogForm(CleanTextForm):
    """Staff log an appeal taken by phone, on a visit or at the monthly meeting."""

    enterprise = forms.ModelChoiceField(label=_("企业"), queryset=None)
    channel = forms.ChoiceField(
        label=_("受理渠道"),
        choices=[c for c in Appeal.Channel.choices if c[0] != Appeal.Channel.SELF],
    )
    received_on = forms.DateField(label=_("受理日期"), widget=DATE)
    category = forms.ModelChoiceField(label=_("诉求类别"), queryset=None)
    title = forms.CharField(label=_("标题"), max_length=100, required=False)
    description = forms.CharField(
        label=_("诉求内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    contact = forms.CharField(label=_("联系人及电话"), max_length=80, required=False)
    attachments = files_field(_("附件"))

    def __init__(self, *args, user, org, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises_for(user).filter(
            org__path__startswith=org.path
        )
        self.fields["category"].queryset = categories


class AppealFilter(CleanTextForm):
    q = forms.CharField(label=_("标题、内容或企业"), required=False)
    status = forms.ChoiceField(
        label=_("状态"), choices=BLANK + Appeal.Status.choices, required=False
    )
    channel = forms.ChoiceField(
        label=_("渠道"), choices=BLANK + Appeal.Channel.choices, required=False
    )
    category = forms.ModelChoiceField(label=_("类别"), queryset=None, required=False)
    unit = forms.CharField(label=_("责任单位"), required=False, widget=forms.HiddenInput)
    received = forms.CharField(label=_("受理月份"), required=False, widget=MONTH)
    closed = forms.CharField(label=_("办结月份"), required=False, widget=MONTH)
    rated = forms.CharField(label=_("评价月份"), required=False, widget=MONTH)
    reopened = forms.CharField(label=_("重办月份"), required=False, widget=MONTH)
    open_at = forms.CharField(label=_("截至该月仍未办结"), required=False, widget=MONTH)
    on_time = forms.BooleanField(label=_("按时办结"), required=False)
    satisfied = forms.BooleanField(label=_("满意或基本满意"), required=False)
    overdue = forms.BooleanField(label=_("已逾期"), required=False)
    needs_unit = forms.BooleanField(label=_("待分派、已退回或单位已停用"), required=False)
    enterprise = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, data, *, categories):
        super().__init__(data)
        self.fields["category"].queryset = categories

    def values(self):
        return self.cleaned_data if self.is_valid() else {}


class ReasonForm(VersionedForm):
    reason = forms.CharField(
        label=_("原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class TransferForm(VersionedForm):
    to_unit = forms.ModelChoiceField(label=_("转至单位"), queryset=None)
    reason = forms.CharField(
        label=_("转办原因"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_unit"].queryset = units


class AnswerForm(VersionedForm):
    text = forms.CharField(
        label=_("答复"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )
    close_too = forms.BooleanField(
        label=_("答复并办结"),
        required=False,
        initial=True,
        help_text=_("不勾选则答复后仍为“待办结”，企业在办结后才能评价"),
    )


class RateForm(VersionedForm):
    rating = forms.ChoiceField(
        label=_("评价"), choices=Appeal.Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见（不满意时必填）"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AttachForm(CleanTextForm):
    attachments = files_field()


class CategoryForm(VersionedForm):
    name = forms.CharField(label=_("名称"), max_length=40)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False)
    leader = forms.ModelChoiceField(label=_("分管领导"), queryset=None, required=False)
    days = forms.IntegerField(label=_("办理时限（工作日）"), min_value=1, max_value=60)
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, user, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = orgs.units_for(user).filter(
            org__path__startswith=org.path, is_active=True
        )
        self.fields["leader"].queryset = (
            orgs.users_for(user)
            .filter(is_active=True, roles__org=org, roles__role__in=["leader", "admin"])
            .distinct()
        )


class ReportForm(CleanTextForm):
    month = forms.CharField(label=_("月份"), widget=MONTH)


class BlockerForm(VersionedForm):
    title = forms.CharField(label=_("督办事项"), max_length=200)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None)
    leader = forms.ModelChoiceField(label=_("协调领导"), queryset=None, required=False)
    deadline = forms.IntegerField(label=_("办结时限（工作日）"), min_value=1, max_value=120)

    def __init__(self, *args, units, leaders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["leader"].queryset = leaders
