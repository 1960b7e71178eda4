from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.text import CleanTextForm
from zonedesk.common.forms import BLANK
from zonedesk.web.forms import VersionedForm

from .models import Meeting
from .selectors import chairs_for

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = {"rows": 3}


class MeetingFilter(CleanTextForm):
    kind = forms.ChoiceField(
        label=_("会议类型"), choices=BLANK + Meeting.Kind.choices, required=False
    )
    status = forms.ChoiceField(
        label=_("状态"), choices=BLANK + Meeting.Status.choices, required=False
    )
    q = forms.CharField(label=_("名称或纪要"), required=False)

    def values(self):
        return self.cleaned_data if self.is_valid() else {}


class MeetingForm(VersionedForm):
    kind = forms.ChoiceField(label=_("会议类型"), choices=Meeting.Kind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_at = forms.DateTimeField(
        label=_("会议时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    chair = forms.ModelChoiceField(label=_("主持人"), queryset=None, required=False)
    attendees = forms.CharField(
        label=_("参会人员"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    period = forms.DateField(
        label=_("数据月份"),
        required=False,
        input_formats=["%Y-%m", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("周调度、月汇总的议程读取这个月的数据；不填则为最近一个已到报送期的月份"),
    )

    def __init__(self, *args, user, org, creating=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = chairs_for(user, org)
        if not creating:
            del self.fields["kind"]

    def meeting_data(self):
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class AgendaItemForm(CleanTextForm):
    title = forms.CharField(label=_("议题"), max_length=200)
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs=TEXT), required=False)


class NoteForm(VersionedForm):
    note = forms.CharField(label=_("备注"), widget=forms.Textarea(attrs=TEXT), required=False)


class MinutesForm(VersionedForm):
    minutes = forms.CharField(
        label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 10}), required=False
    )


class DeadlineFields(CleanTextForm):
    deadline = forms.DateField(label=_("办结时限"), required=False, widget=DATE)
    working_days = forms.IntegerField(
        label=_("或：工作日数"), required=False, min_value=1, max_value=250
    )


class DecisionForm(DeadlineFields):
    text = forms.CharField(label=_("决定事项"), widget=forms.Textarea(attrs=TEXT))
    agenda_item = forms.ModelChoiceField(label=_("议题"), queryset=None, required=False)
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None, required=False)
    field_order = ["text", "agenda_item", "unit", "deadline", "working_days"]

    def __init__(self, *args, meeting, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].queryset = meeting.agenda.filter(removed=False)
        self.fields["unit"].queryset = units


class BlockerForm(DeadlineFields):
    unit = forms.ModelChoiceField(label=_("责任单位"), queryset=None)
    field_order = ["unit", "deadline", "working_days"]

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
