from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.projects"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import figures

        figures.register()  # its figures in the figure registry (catalog.figures)
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.audit import selectors as history
        from zonedesk.imports import exports
        from zonedesk.notify import reminders as notify
        from zonedesk.orgs.models import Role
        from zonedesk.orgs.selectors import STAFF_ROLES
        from zonedesk.web import context as nav
        from zonedesk.web import home

        from . import (
            imports,  # noqa: F401 - its import kinds register with the engine
            reminders,
            selectors,
        )
        from .models import Project

        managers = STAFF_ROLES - {Role.Name.UNIT}
        nav.register(_("领导驾驶舱"), "projects:cockpit", managers, order=30, group=nav.PROJECTS)
        nav.register(_("项目库"), "projects:list", STAFF_ROLES, order=40, group=nav.PROJECTS)
        nav.register(_("四库看板"), "projects:board", managers, order=50, group=nav.PROJECTS)
        lockers = {Role.Name.STATISTICIAN, Role.Name.ADMIN}
        nav.register(_("月报关账"), "projects:lock", lockers, order=200, group=nav.ECONOMY)
        leader, officer = {Role.Name.LEADER}, {Role.Name.OFFICER}
        panel = home.register_panel
        panel("projects/_home_key_figures.html", selectors.home_key_figures, order=10, roles=leader)
        panel(
            "projects/_home_scope_warnings.html",
            selectors.home_scope_warnings,
            order=20,
            roles=leader,
        )
        panel(
            "projects/_home_my_warnings.html", selectors.home_my_warnings, order=21, roles=officer
        )
        panel(
            "projects/_home_reports_due.html", selectors.home_reports_due, order=30, roles=officer
        )
        panel(
            "projects/_home_late_reports.html", selectors.home_late_reports, order=31, roles=leader
        )
        stats = {Role.Name.STATISTICIAN}
        panel("projects/_home_periods.html", selectors.home_periods, order=70, roles=stats)
        panel("projects/_home_zones.html", selectors.home_zones, order=80, roles={Role.Name.VIEWER})
        history.register(Project, selectors.projects_for)
        exports.register(
            "projects",
            "projects:export",
            _("重点项目（月报17列格式）"),
            "q year month stage category nature level warning chain org park unit leader sort",
        )
        notify.register(reminders.progress_reminders)
        labels.register(
            {
                "project.create": _("新建项目"),
                "project.update": _("修改项目"),
                "project.stage": _("变更项目阶段"),
                "project.stats": _("入库入统"),
                "yearplan.create": _("新建年度计划"),
                "yearplan.update": _("修改年度计划"),
                "progress.file": _("填报月度进展"),
                "progress.update": _("修改月度进展"),
                "progress.correct": _("更正已关账月份"),
                "progress.photo": _("上传现场照片"),
                "period.lock": _("月报关账"),
                "approval.create": _("新建审批事项"),
                "approval.update": _("修改审批事项"),
            }
        )
