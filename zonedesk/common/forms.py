"""Form pieces every domain's filters and uploads share."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

BLANK = [("", _("全部"))]  # the first choice of a filter: no filtering on this field
MONTHS = [(m, format_lazy(_("{}月"), m)) for m in range(1, 13)]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files from one input; each is checked by the service when it is stored."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]
