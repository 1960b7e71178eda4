from django import forms
from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from zonedesk.audit.services import Conflict
from zonedesk.catalog.text import CleanTextForm


class VersionedForm(CleanTextForm):
    """A form for editing a record that someone else may save meanwhile."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def run(form, action):
    """Call a service for a valid form; put what it refuses onto the form, return its result.

    Field errors land on their fields (or on top for fields the form lacks); a version
    conflict is kept on `form.conflict` so the page can show the difference.
    """
    try:
        return action()
    except ValidationError as e:
        if not hasattr(e, "error_dict"):
            form.add_error(None, e)
            return None
        for field, errors in e.error_dict.items():
            form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)
    except Conflict as c:
        form.conflict = c
        form.data = form.data.copy()
        form.data["version"] = c.current.version
        form.add_error(None, str(c))
    return None


def form_errors(form):
    return " ".join(e for errors in form.errors.values() for e in errors)


def act(request, action, success):
    """Run a one-click service call (grant, revoke …) and report the outcome as a message."""
    try:
        result = action()
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return None
    except Conflict as c:
        messages.error(request, str(c))
        return None
    messages.success(request, success)
    return result


def edit_page(request, form, save, done, template, context):
    """The shape of every create/edit page: validate, call the service, report, redirect."""
    if request.method == "POST" and form.is_valid():
        obj = run(form, save)
        if obj is not None:
            messages.success(request, _("已保存"))
            return redirect(done(obj))
    return render(request, template, {"form": form, **context})


def form_page(request, form, title, save, done):
    """A create/edit page on the shared form template; `save` takes the bound form."""
    return edit_page(request, form, lambda: save(form), done, "web/form.html", {"title": title})
