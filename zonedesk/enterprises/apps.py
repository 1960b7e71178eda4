from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "zonedesk.enterprises"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Registries are filled here, once every model is loaded (docs/design.md).
        from zonedesk.audit import labels
        from zonedesk.audit import selectors as history
        from zonedesk.imports import exports
        from zonedesk.orgs.models import Role
        from zonedesk.orgs.selectors import STAFF_ROLES
        from zonedesk.web import context as nav
        from zonedesk.web import home

        from . import (
            imports,  # noqa: F401 - its import kinds register with the engine
            selectors,
        )
        from .models import Designation, Enterprise, SupportFund

        nav.register(_("企业"), "enterprises:list", STAFF_ROLES, order=110, group=nav.SERVICE)
        nav.register(
            _("企业称号"), "enterprises:designations", STAFF_ROLES, order=140, group=nav.SERVICE
        )
        nav.register(_("惠企资金"), "enterprises:funds", STAFF_ROLES, order=150, group=nav.SERVICE)
        nav.register(
            _("本企业"), "enterprises:list", {Role.Name.ENTERPRISE}, order=220, group=nav.SERVICE
        )
        home.register_tile(
            "enterprises",
            _("企业"),
            "enterprises:list",
            selectors.enterprises_for,
            order=40,
            roles={Role.Name.ADMIN},
        )
        home.register_panel(
            "enterprises/_home_own.html", selectors.home_own, order=95, roles={Role.Name.ENTERPRISE}
        )
        history.register(Enterprise, selectors.enterprises_for)
        history.register(Designation, selectors.designations_for)
        history.register(SupportFund, selectors.funds_for)
        exports.register(
            "enterprises", "enterprises:export", _("企业名录"), "q chain park above_scale"
        )
        exports.register(
            "designations",
            "enterprises:designation_export",
            _("企业称号"),
            "q kind level chain expiring",
        )
        exports.register(
            "funds", "enterprises:fund_export", _("惠企资金"), "q year source status chain"
        )
        labels.register(
            {
                "enterprise.create": _("登记企业"),
                "enterprise.update": _("修改企业"),
                "contact.create": _("添加联系人"),
                "contact.update": _("修改联系人"),
                "contact.demote": _("取消主要联系人"),
                "contact.remove": _("删除联系人"),
                "designation.create": _("登记企业称号"),
                "designation.update": _("修改企业称号"),
                "designation.remove": _("删除企业称号"),
                "fund.create": _("登记惠企资金"),
                "fund.update": _("修改惠企资金"),
            }
        )
