from django import forms
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.bounds import YEAR
from zonedesk.catalog.text import CleanTextForm

from .models import ReportJob

MONTHS = [(m, _("%(m)d月") % {"m": m}) for m in range(1, 13)]
QUARTERS = [(q, _("第%(q)d季度") % {"q": q}) for q in range(1, 5)]


class RequestForm(CleanTextForm):
    kind = forms.ChoiceField(label=_("报告类型"), choices=ReportJob.Kind.choices)
    org = forms.TypedChoiceField(label=_("范围"), coerce=int)
    year = YEAR.form_field(label=_("年度"))
    month = forms.TypedChoiceField(
        label=_("月份（月汇总）"), choices=MONTHS, coerce=int, required=False, empty_value=None
    )
    quarter = forms.TypedChoiceField(
        label=_("季度（季分析）"), choices=QUARTERS, coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, orgs, default_period, **kwargs):
        year, month = default_period
        initial = {"year": year, "month": month, "quarter": (month - 1) // 3 + 1}
        super().__init__(*args, initial=initial, **kwargs)
        self.orgs = {o.pk: o for o in orgs}
        top = min((o.depth for o in orgs), default=0)
        self.fields["org"].choices = [(o.pk, "　" * (o.depth - top) + o.name) for o in orgs]

    def clean_org(self):
        return self.orgs[self.cleaned_data["org"]]
