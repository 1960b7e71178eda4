from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.projects"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import figures

        figures.register()  # its figures in the figure registry (catalog.figures)
        # Registries are filled here, once every model is loaded (docs/design.md).
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
