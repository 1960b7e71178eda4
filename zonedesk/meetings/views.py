from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zonedesk.common import downloads
from zonedesk.common.xlsx import workbook
from zonedesk.orgs import selectors as orgs
from zonedesk.orgs.models import Org, Role
from zonedesk.web.forms import act, form_errors, form_page

from . import document, selectors, services
from .forms import (
    AgendaItemForm,
    BlockerForm,
    DecisionForm,
    MeetingFilter,
    MeetingForm,
    MinutesForm,
    NoteForm,
)
from .models import AgendaItem, Decision, Meeting


def _zones(user):
    """Zones where the user may call a meeting: leaders, officers and admins there."""
    return [
        z
        for z in orgs.orgs_for(user).filter(kind=Org.Kind.ZONE)
        if orgs.has_role_over(user, z, selectors.EDITORS)
    ]


def _readable(request):
    if not (
        request.user.is_superuser
        or orgs.role_names(request.user) & (selectors.READERS | {Role.Name.UNIT})
    ):
        raise PermissionDenied


@login_required
def meeting_list(request):
    _readable(request)
    form = MeetingFilter(request.GET)
    qs = selectors.with_counts(selectors.filtered(request.user, form.values()))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    for m in page:
        # Unit staff see a meeting for their decisions only, not its counts.
        m.full = selectors.can_read_all(request.user, m)
    return render(
        request,
        "meetings/list.html",
        {"form": form, "meetings": page, "can_create": bool(_zones(request.user))},
    )


@login_required
def meeting_export(request):
    """The meeting list with its filter: one row per meeting, with its counts."""
    _readable(request)
    form = MeetingFilter(request.GET)
    qs = selectors.with_counts(selectors.filtered(request.user, form.values()))
    headers = [
        _("序号"),
        _("开发区"),
        _("会议类型"),
        _("会议名称"),
        _("会议时间"),
        _("地点"),
        _("主持人"),
        _("状态"),
        _("议题数"),
        _("决定事项数"),
        _("已转督办数"),
    ]
    rows = (
        (
            i,
            m.org.name,
            m.get_kind_display(),
            m.title,
            f"{timezone.localtime(m.held_at):%Y-%m-%d %H:%M}",
            m.place,
            str(m.chair or ""),
            m.get_status_display(),
            *(
                (m.n_items, m.n_decisions, m.n_blockers)
                if selectors.can_read_all(request.user, m)
                else ("", "", "")
            ),
        )
        for i, m in enumerate(qs, 1)
    )
    title = _("调度会议清单")
    return downloads.xlsx(workbook(title, headers, rows), title)


@login_required
def meeting_create(request):
    zones = _zones(request.user)
    org = next(
        (z for z in zones if str(z.pk) == (request.GET.get("org") or request.POST.get("org"))),
        zones[0] if zones else None,
    )
    if org is None:
        raise PermissionDenied
    now = timezone.localtime().replace(second=0, microsecond=0)
    form = MeetingForm(
        request.POST or None,
        user=request.user,
        org=org,
        initial={
            "kind": request.GET.get("kind") or Meeting.Kind.WEEKLY,
            "held_at": now,
            "chair": request.user.pk,
        },
    )
    return form_page(
        request,
        form,
        _("在“%(org)s”召集调度会") % {"org": org},
        lambda form: services.create_meeting(request.user, org=org, **form.meeting_data()),
        lambda m: reverse("meetings:detail", args=[m.pk]),
    )


def _meeting(request, pk):
    _readable(request)
    return get_object_or_404(selectors.meetings_for(request.user), pk=pk)


def _editable(request, pk):
    meeting = _meeting(request, pk)
    if not selectors.can_edit(request.user, meeting):
        raise PermissionDenied
    return meeting


def _context(request, meeting):
    full = selectors.can_read_all(request.user, meeting)
    can_edit = selectors.can_edit(request.user, meeting)
    items = list(selectors.agenda_of(meeting)) if full else []
    units = list(selectors.units_of(meeting)) if can_edit else []
    decisions = list(selectors.decisions_for(request.user, meeting))
    open_ = meeting.status != Meeting.Status.CLOSED
    return {
        "m": meeting,
        "full": full,
        "can_edit": can_edit,
        "can_edit_agenda": can_edit and meeting.status == Meeting.Status.DRAFT,
        "can_decide": can_edit and open_,
        "items": items,
        "groups": selectors.grouped(items),
        "removed": [i for i in items if i.removed],
        "decisions": decisions,
        "item_form": AgendaItemForm(),
        "minutes_form": MinutesForm(
            initial={"minutes": meeting.minutes, "version": meeting.version}
        ),
        "decision_form": DecisionForm(meeting=meeting, units=selectors.units_of(meeting)),
        "units": units,
        "item_ops": [("up", "↑"), ("down", "↓"), ("remove", _("移出"))],
    }


@login_required
def meeting_detail(request, pk):
    meeting = _meeting(request, pk)
    return render(request, "meetings/detail.html", _context(request, meeting))


def _fragment(request, meeting, template):
    """An htmx request gets the part of the page it replaced; a plain post the whole page."""
    if request.htmx:
        return render(request, template, _context(request, meeting))
    return redirect("meetings:detail", pk=meeting.pk)


@login_required
def meeting_edit(request, pk):
    meeting = _editable(request, pk)
    initial = {f: getattr(meeting, f) for f in services.EDITABLE} | {"version": meeting.version}
    initial["held_at"] = timezone.localtime(meeting.held_at)
    form = MeetingForm(
        request.POST or None, initial=initial, user=request.user, org=meeting.org, creating=False
    )
    return form_page(
        request,
        form,
        _("编辑调度会"),
        lambda form: services.update_meeting(
            request.user,
            meeting,
            form.meeting_data(),
            expected_version=form.cleaned_data["version"],
        ),
        lambda m: reverse("meetings:detail", args=[m.pk]),
    )


@login_required
@require_POST
def agenda_rebuild(request, pk):
    meeting = _editable(request, pk)
    result = act(
        request, lambda: services.rebuild_agenda(request.user, meeting), _("议程已按最新数据更新")
    )
    if result:
        added, dropped = result
        messages.info(
            request,
            _("新增%(a)d项，移除%(d)d项（已编辑的议题保留）")
            % {"a": len(added), "d": len(dropped)},
        )
    return _fragment(request, meeting, "meetings/_agenda.html")


@login_required
@require_POST
def agenda_add(request, pk):
    meeting = _editable(request, pk)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.add_agenda_item(request.user, meeting, **form.cleaned_data),
            _("议题已添加"),
        )
    else:
        messages.error(request, form_errors(form))
    return _fragment(request, meeting, "meetings/_agenda.html")


ITEM_OPS = {
    "remove": (lambda u, i, d: services.remove_agenda_item(u, i), _("议题已移出议程")),
    "restore": (
        lambda u, i, d: services.remove_agenda_item(u, i, removed=False),
        _("议题已恢复"),
    ),
    "up": (lambda u, i, d: services.move_agenda_item(u, i, up=True), _("已上移")),
    "down": (lambda u, i, d: services.move_agenda_item(u, i, up=False), _("已下移")),
    "note": (
        lambda u, i, d: services.note_agenda_item(
            u, i, note=d["note"], expected_version=d["version"]
        ),
        _("备注已保存"),
    ),
}


@login_required
@require_POST
def agenda_item(request, pk):
    item = get_object_or_404(AgendaItem.objects.select_related("meeting"), pk=pk)
    meeting = _editable(request, item.meeting_id)
    item.meeting = meeting
    op = ITEM_OPS.get(request.POST.get("op"))
    form = NoteForm(request.POST)
    if op is None or not form.is_valid():
        messages.error(request, form_errors(form) or _("未知操作"))
    else:
        action, success = op
        act(request, lambda: action(request.user, item, form.cleaned_data), success)
    return _fragment(request, meeting, "meetings/_agenda.html")


@login_required
@require_POST
def minutes(request, pk):
    meeting = _editable(request, pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        act(
            request,
            lambda: services.record_minutes(
                request.user,
                meeting,
                minutes=form.cleaned_data["minutes"],
                expected_version=form.cleaned_data["version"],
            ),
            _("会议纪要已保存"),
        )
    else:
        messages.error(request, form_errors(form))
    return _fragment(request, meeting, "meetings/_minutes.html")


@login_required
@require_POST
def decision_add(request, pk):
    meeting = _editable(request, pk)
    form = DecisionForm(request.POST, meeting=meeting, units=selectors.units_of(meeting))
    if form.is_valid():
        act(
            request,
            lambda: services.add_decision(request.user, meeting, **form.cleaned_data),
            _("决定事项已记录"),
        )
    else:
        messages.error(request, form_errors(form))
    return _fragment(request, meeting, "meetings/_decisions.html")


@login_required
@require_POST
def decision_blocker(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    meeting = _editable(request, decision.meeting_id)
    decision.meeting = meeting
    form = BlockerForm(request.POST, units=selectors.units_of(meeting))
    if form.is_valid():
        act(
            request,
            lambda: services.decision_to_blocker(request.user, decision, **form.cleaned_data),
            _("已转为督办，已通知责任单位"),
        )
    else:
        messages.error(request, form_errors(form))
    return _fragment(request, meeting, "meetings/_decisions.html")


TRANSITIONS = {
    "held": (services.mark_held, _("会议已标记为已召开")),
    "closed": (services.close_meeting, _("会议已归档")),
}


@login_required
@require_POST
def meeting_status(request, pk):
    meeting = _editable(request, pk)
    action, success = TRANSITIONS.get(request.POST.get("to"), (None, None))
    if action is None:
        messages.error(request, _("未知操作"))
    else:
        act(request, lambda: action(request.user, meeting), success)
    return redirect("meetings:detail", pk=pk)


@login_required
def meeting_docx(request, pk):
    meeting = _meeting(request, pk)
    if not selectors.can_read_all(request.user, meeting):
        raise PermissionDenied
    content = document.meeting_document(meeting)
    name = f"{meeting.title}-{timezone.localtime(meeting.held_at):%Y%m%d}.docx"
    return downloads.download(content, name, downloads.DOCX)
