from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.orgs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.audit import selectors as history
        from zonedesk.imports import exports
        from zonedesk.web import context as nav
        from zonedesk.web import home

        from . import selectors
        from .models import Org, Role, Team, Unit, User

        nav.register(_("组织机构"), "orgs:tree", selectors.STAFF_ROLES, order=210, group=nav.ADMIN)
        nav.register(_("用户管理"), "orgs:users", {Role.Name.ADMIN}, order=250, group=nav.ADMIN)
        # The tree's figures are an administrator's work; the others' cards are their own.
        admin = {Role.Name.ADMIN}
        tile = home.register_tile
        tile("orgs", _("组织"), "orgs:tree", selectors.orgs_for, order=10, roles=admin)
        tile("units", _("部门"), "orgs:tree", selectors.units_for, order=20, roles=admin)
        tile("teams", _("专班与战队"), "orgs:tree", selectors.teams_for, order=30, roles=admin)
        tile("users", _("用户"), "orgs:users", selectors.users_for, order=50, roles=admin)
        home.register_panel(
            "orgs/_home_teams.html", selectors.home_teams, order=120, roles=selectors.STAFF_ROLES
        )
        history.register(Org, selectors.orgs_for)
        history.register(Unit, selectors.units_for)
        history.register(Team, selectors.teams_for)
        history.register(User, selectors.users_for)
        exports.register("users", "orgs:users_export", _("用户"), "q")
        labels.register(
            {
                "org.create": _("新建组织"),
                "org.update": _("修改组织"),
                "unit.create": _("新建部门"),
                "unit.update": _("修改部门"),
                "team.create": _("新建团队"),
                "team.update": _("修改团队"),
                "team.members": _("调整团队成员"),
                "user.create": _("新建用户"),
                "user.update": _("修改用户"),
                "user.password": _("重置密码"),
                "user.grant_role": _("授予角色"),
                "user.revoke_role": _("撤销角色"),
                "user.totp_on": _("开启两步验证"),
                "user.totp_off": _("关闭两步验证"),
                "token.create": _("创建接口令牌"),
                "token.revoke": _("吊销接口令牌"),
            }
        )
