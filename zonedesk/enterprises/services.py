from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.catalog.validators import validate_uscc
from zonedesk.orgs.models import Role
from zonedesk.orgs.selectors import has_role_over

from .models import Enterprise

FIELDS = ["org", "name", "short_name", "uscc", "legal_rep", "industry", "above_scale"]
EDITORS = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER, Role.Name.PROMOTER}


def _clean(data, instance=None):
    for field in ("name", "short_name", "legal_rep"):
        data[field] = (data.get(field) or "").strip()
    if not data["name"]:
        raise ValidationError({"name": _("企业名称不能为空")})
    try:
        data["uscc"] = validate_uscc(data.get("uscc") or "")
    except ValidationError as e:
        raise ValidationError({"uscc": e.messages}) from e
    others = Enterprise.objects.exclude(pk=instance.pk) if instance else Enterprise.objects.all()
    same_code = others.filter(uscc=data["uscc"]).first()
    if same_code and same_code.org_id == data["org"].pk:
        raise ValidationError(
            {"uscc": _("统一社会信用代码已登记为“%(name)s”") % {"name": same_code}}
        )
    if same_code:
        # Another zone's register is not this user's to read: say only that it exists.
        raise ValidationError({"uscc": _("该统一社会信用代码已在其他组织登记")})
    if others.filter(org=data["org"], name=data["name"]).exists():
        raise ValidationError(
            {
                "name": _("“%(org)s”已有名为“%(name)s”的企业")
                % {"org": data["org"], "name": data["name"]}
            }
        )
    return data


def _require_editor(actor, org):
    if actor is not None and not has_role_over(actor, org, EDITORS):
        raise PermissionDenied(_("您没有编辑该组织企业的权限"))


@transaction.atomic
def create_enterprise(
    actor, *, org, name, uscc, short_name="", legal_rep="", industry=None, above_scale=False
):
    _require_editor(actor, org)
    data = _clean(
        {
            "org": org,
            "name": name,
            "uscc": uscc,
            "short_name": short_name,
            "legal_rep": legal_rep,
            "industry": industry,
            "above_scale": above_scale,
        }
    )
    return audit.create(
        actor, Enterprise(**data), action="enterprise.create", org=org, fields=FIELDS
    )


@transaction.atomic
def update_enterprise(actor, enterprise, data, *, expected_version=None):
    _require_editor(actor, enterprise.org)
    current = {f: getattr(enterprise, f) for f in FIELDS}
    data = _clean({**current, **data, "org": enterprise.org}, instance=enterprise)
    audit.update(
        actor,
        enterprise,
        data,
        action="enterprise.update",
        org=enterprise.org,
        expected_version=expected_version,
    )
    return enterprise
