from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.audit import selectors as history
        from zonedesk.imports import exports
        from zonedesk.orgs.selectors import STAFF_ROLES
        from zonedesk.web import context as nav

        from . import selectors
        from .models import Meeting

        nav.register(_("调度会"), "meetings:list", STAFF_ROLES, order=80, group=nav.SUPERVISION)
        history.register(Meeting, selectors.meetings_for)
        exports.register("meetings", "meetings:export", _("调度会"), "kind status q")
        labels.register(
            {
                "meeting.create": _("新建调度会"),
                "meeting.update": _("修改调度会"),
                "meeting.agenda_rebuild": _("重新生成议题"),
                "meeting.minutes": _("记录会议纪要"),
                "meeting.held": _("会议已召开"),
                "meeting.close": _("会议闭环"),
                "agenda.add": _("添加议题"),
                "agenda.note": _("修改议题说明"),
                "agenda.remove": _("移除议题"),
                "agenda.restore": _("恢复议题"),
                "agenda.move": _("调整议题顺序"),
                "agenda.renumber": _("议题重新编号"),
                "decision.create": _("记录会议决定"),
                "decision.blocker": _("会议决定转为督办"),
            },
            fields={"agenda": _("议题")},
        )
