"""Every write to the enterprise register: enterprises, their contacts, designations (称号)
and support funds (惠企资金). Each function is one transaction with one audit event."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.catalog.bounds import check
from zonedesk.catalog.validators import validate_uscc
from zonedesk.orgs.models import Org, Role
from zonedesk.orgs.selectors import has_role_over, roles_of

from .models import Contact, Designation, Enterprise, SupportFund
from .selectors import enterprises_for

FIELDS = [
    "org",
    "name",
    "short_name",
    "uscc",
    "legal_rep",
    "industry",
    "above_scale",
    "chain",
    "park",
    "address",
    "registered_capital",
    "established_on",
]
TEXT = ["name", "short_name", "legal_rep", "chain", "address"]
EDITORS = {Role.Name.ADMIN, Role.Name.LEADER, Role.Name.OFFICER, Role.Name.PROMOTER}


# --- permissions -----------------------------------------------------------------------------


def can_edit(user, enterprise):
    """Admins, leaders, officers and promoters over the enterprise's organisation."""
    return user is None or has_role_over(user, enterprise.org, EDITORS)


def can_edit_fund(user, fund):
    """Editors over the organisation of the allocation's recipient (enterprise or project)."""
    return has_role_over(user, (fund.enterprise or fund.project).org, EDITORS)


def is_own(user, enterprise):
    """Is the user a contact (enterprise role) of this very enterprise?"""
    return user is not None and any(
        r.role == Role.Name.ENTERPRISE and r.enterprise_id == enterprise.pk for r in roles_of(user)
    )


def can_edit_contacts(user, enterprise):
    """Staff who may edit the enterprise, and the enterprise's own contacts."""
    return can_edit(user, enterprise) or is_own(user, enterprise)


def _require_editor(actor, org):
    if actor is not None and not has_role_over(actor, org, EDITORS):
        raise PermissionDenied(_("您没有编辑该组织企业的权限"))


# --- enterprises -----------------------------------------------------------------------------


def zone_of(org):
    """The development zone an organisation belongs to: itself, or the zone above a park."""
    if org.kind != Org.Kind.PARK:
        return org
    prefixes = [org.path[: i + 1] for i, c in enumerate(org.path) if c == "/" and i]
    return Org.objects.filter(path__in=prefixes, kind=Org.Kind.ZONE).first() or org


def pointer(enterprise):
    """How a refusal points at the record already holding a code or name."""
    return _("“%(name)s”（%(url)s）") % {
        "name": enterprise.name,
        "url": reverse("enterprises:detail", args=[enterprise.pk]),
    }


def duplicates(org, name, uscc, exclude=None):
    """The enterprises an entry would duplicate: by code anywhere, by name in the zone."""
    others = Enterprise.objects.exclude(pk=getattr(exclude, "pk", None)).select_related("org")
    found = {}
    if uscc:
        found["uscc"] = others.filter(uscc=uscc).first()
    if name:
        zone = zone_of(org)
        found["name"] = others.filter(org__path__startswith=zone.path, name=name).first()
    return {k: v for k, v in found.items() if v is not None}


def _visible(actor, enterprise):
    if actor is None or actor.is_superuser:
        return True
    return enterprises_for(actor).filter(pk=enterprise.pk).exists()


def _clean(actor, data, instance=None):
    for field in TEXT:
        data[field] = (data.get(field) or "").strip()
    if not data["name"]:
        raise ValidationError({"name": _("企业名称不能为空")})
    try:
        data["uscc"] = validate_uscc(data.get("uscc") or "")
    except ValidationError as e:
        raise ValidationError({"uscc": e.messages}) from e
    org = data["org"]
    found = duplicates(org, data["name"], data["uscc"], exclude=instance)
    if "uscc" in found:
        holder = found["uscc"]
        if not _visible(actor, holder):
            # Another zone's register is not this user's to read: say only that it exists.
            raise ValidationError({"uscc": _("该统一社会信用代码已在其他组织登记")})
        raise ValidationError(
            {"uscc": _("统一社会信用代码已登记为%(pointer)s") % {"pointer": pointer(holder)}}
        )
    if "name" in found:
        raise ValidationError(
            {
                "name": _("“%(zone)s”已有名为%(pointer)s的企业")
                % {"zone": zone_of(org), "pointer": pointer(found["name"])}
            }
        )
    park = data.get("park")
    if park is None and org.kind == Org.Kind.PARK:
        data["park"] = park = org
    zone = zone_of(org)
    if park is not None and (park.kind != Org.Kind.PARK or not park.path.startswith(zone.path)):
        raise ValidationError(
            {"park": _("“%(park)s”不是“%(zone)s”的园区") % {"park": park, "zone": zone}}
        )
    check(Enterprise, "registered_capital", data.get("registered_capital"))
    established = data.get("established_on")
    if established is not None and established > timezone.localdate():
        raise ValidationError({"established_on": _("成立日期不能晚于今天")})
    return data


@transaction.atomic
def create_enterprise(actor, *, org, name, uscc, **fields):
    _require_editor(actor, org)
    data = {f: fields.get(f) for f in FIELDS} | {"org": org, "name": name, "uscc": uscc}
    data["above_scale"] = bool(data["above_scale"])
    data = _clean(actor, data)
    return audit.create(
        actor, Enterprise(**data), action="enterprise.create", org=org, fields=FIELDS
    )


@transaction.atomic
def update_enterprise(actor, enterprise, data, *, expected_version=None):
    _require_editor(actor, enterprise.org)
    current = {f: getattr(enterprise, f) for f in FIELDS}
    data = _clean(actor, {**current, **data, "org": enterprise.org}, instance=enterprise)
    audit.update(
        actor,
        enterprise,
        data,
        action="enterprise.update",
        org=enterprise.org,
        expected_version=expected_version,
    )
    return enterprise


# --- contacts --------------------------------------------------------------------------------

CONTACT_FIELDS = ["name", "title", "phone", "email", "is_primary"]


def _require_contacts(actor, enterprise):
    if not can_edit_contacts(actor, enterprise):
        raise PermissionDenied(_("只有本企业或负责该企业的工作人员可以维护联系人"))


def _clean_contact(data):
    for field in ("name", "title", "phone", "email"):
        data[field] = (data.get(field) or "").strip()
    if not data["name"]:
        raise ValidationError({"name": _("请填写联系人姓名")})
    if not data["phone"] and not data["email"]:
        raise ValidationError({"phone": _("请至少填写电话或电子邮箱之一")})
    if data["email"]:
        try:
            validate_email(data["email"])
        except ValidationError:
            raise ValidationError({"email": _("电子邮箱格式不正确")}) from None
    data["is_primary"] = bool(data.get("is_primary"))
    audit.check_fields(Contact(**data), CONTACT_FIELDS)
    return data


def _take_primary(actor, enterprise, data, contact=None):
    """One primary contact per enterprise: a new primary takes over, and each contact it
    replaces gets its own event. Called after every check and before the contact itself is
    written, since the database allows only one primary at a time."""
    if not data["is_primary"]:
        return data
    others = enterprise.contacts.select_for_update().filter(is_primary=True)
    for other in others.exclude(pk=getattr(contact, "pk", None)):
        audit.update(
            actor, other, {"is_primary": False}, action="contact.demote", org=enterprise.org
        )
    return data


@transaction.atomic
def add_contact(actor, enterprise, **fields):
    _require_contacts(actor, enterprise)
    data = _clean_contact({f: fields.get(f) for f in CONTACT_FIELDS})
    _take_primary(actor, enterprise, data)
    contact = Contact(enterprise=enterprise, **data)
    return audit.create(
        actor, contact, action="contact.create", org=enterprise.org, fields=CONTACT_FIELDS
    )


@transaction.atomic
def update_contact(actor, contact, data, *, expected_version=None):
    enterprise = contact.enterprise
    _require_contacts(actor, enterprise)
    return _update(
        actor,
        contact,
        data,
        CONTACT_FIELDS,
        lambda merged: _take_primary(actor, enterprise, _clean_contact(merged), contact),
        "contact.update",
        expected_version,
    )


def _update(actor, obj, data, fields, clean, action, expected_version):
    """Merge `data` into a contact's or designation's values, check them, save with the
    version check and one event in the enterprise's organisation."""
    current = {f: getattr(obj, f) for f in fields}
    audit.update(
        actor,
        obj,
        clean({**current, **data}),
        action=action,
        org=obj.enterprise.org,
        expected_version=expected_version,
    )
    return obj


@transaction.atomic
def remove_contact(actor, contact):
    enterprise = contact.enterprise
    _require_contacts(actor, enterprise)
    _record_removal(actor, contact, "contact.remove", enterprise.org, CONTACT_FIELDS)


def _record_removal(actor, obj, action, org, fields):
    audit.record(
        actor,
        action,
        obj,
        org=org,
        changes={f: [v, None] for f, v in audit.snapshot(obj, fields).items()},
    )
    obj.delete()


# --- designations ----------------------------------------------------------------------------

DESIGNATION_FIELDS = [
    "kind",
    "other_name",
    "level",
    "certificate_no",
    "granted_on",
    "expires_on",
    "note",
]


def _require_designation_editor(actor, enterprise):
    if not can_edit(actor, enterprise):
        raise PermissionDenied(_("您没有维护该企业称号的权限"))


def _clean_designation(data):
    for field in ("other_name", "certificate_no", "note"):
        data[field] = (data.get(field) or "").strip()
    if data.get("kind") not in Designation.Kind.values:
        raise ValidationError({"kind": _("请选择称号")})
    if data["kind"] == Designation.Kind.OTHER:
        if not data["other_name"]:
            raise ValidationError({"other_name": _("称号选“其他”时须填写称号名称")})
    else:
        data["other_name"] = ""
    if data.get("level") not in Designation.Level.values:
        raise ValidationError({"level": _("请选择级别（国家级、省级、市级、县级）")})
    granted, expires = data.get("granted_on"), data.get("expires_on")
    if granted is None:
        raise ValidationError({"granted_on": _("请填写认定日期")})
    if granted > timezone.localdate():
        raise ValidationError({"granted_on": _("认定日期不能晚于今天")})
    if expires is not None and expires <= granted:
        raise ValidationError({"expires_on": _("有效期至应晚于认定日期")})
    return data


@transaction.atomic
def add_designation(actor, enterprise, **fields):
    _require_designation_editor(actor, enterprise)
    data = _clean_designation({f: fields.get(f) for f in DESIGNATION_FIELDS})
    return audit.create(
        actor,
        Designation(enterprise=enterprise, **data),
        action="designation.create",
        org=enterprise.org,
        fields=DESIGNATION_FIELDS,
    )


@transaction.atomic
def update_designation(actor, designation, data, *, expected_version=None):
    _require_designation_editor(actor, designation.enterprise)
    return _update(
        actor,
        designation,
        data,
        DESIGNATION_FIELDS,
        _clean_designation,
        "designation.update",
        expected_version,
    )


@transaction.atomic
def remove_designation(actor, designation):
    enterprise = designation.enterprise
    _require_designation_editor(actor, enterprise)
    _record_removal(actor, designation, "designation.remove", enterprise.org, DESIGNATION_FIELDS)


# --- support funds ---------------------------------------------------------------------------

FUND_FIELDS = [
    "enterprise",
    "project",
    "year",
    "source",
    "policy",
    "amount",
    "purpose",
    "status",
    "paid_on",
]


def _clean_fund(data):
    enterprise, project = data.get("enterprise"), data.get("project")
    if (enterprise is None) == (project is None):
        raise ValidationError({"enterprise": _("请选择企业或项目（二者选其一）")})
    org = (enterprise or project).org
    if data.get("year") is None:
        raise ValidationError({"year": _("请填写年度")})
    check(SupportFund, "year", data["year"])
    if data.get("source") not in SupportFund.Source.values:
        raise ValidationError({"source": _("请选择资金来源（中央、省级、市级、县级、园区）")})
    amount = check(SupportFund, "amount", data.get("amount"))
    if amount in (None, 0):
        raise ValidationError({"amount": _("请填写大于0的金额（万元）")})
    data["amount"] = amount
    for field in ("policy", "purpose"):
        data[field] = (data.get(field) or "").strip()
    status = data.get("status") or SupportFund.Status.PENDING
    if status not in SupportFund.Status.values:
        raise ValidationError({"status": _("状态应为待拨付或已拨付")})
    data["status"] = status
    paid_on = data.get("paid_on")
    if status == SupportFund.Status.PAID:
        if paid_on is None:
            raise ValidationError({"paid_on": _("已拨付的资金须填写拨付日期")})
        if paid_on > timezone.localdate():
            raise ValidationError({"paid_on": _("拨付日期不能晚于今天")})
    elif paid_on is not None:
        raise ValidationError({"paid_on": _("待拨付的资金不应有拨付日期")})
    return org, data


def _require_fund_editor(actor, org):
    if actor is not None and not has_role_over(actor, org, EDITORS):
        raise PermissionDenied(_("您没有登记该组织惠企资金的权限"))


@transaction.atomic
def create_fund(actor, **fields):
    org, data = _clean_fund({f: fields.get(f) for f in FUND_FIELDS})
    _require_fund_editor(actor, org)
    return audit.create(
        actor,
        SupportFund(org=org, **data),
        action="fund.create",
        org=org,
        fields=FUND_FIELDS,
    )


@transaction.atomic
def update_fund(actor, fund, data, *, expected_version=None):
    _require_fund_editor(actor, fund.org)
    current = {f: getattr(fund, f) for f in FUND_FIELDS}
    org, data = _clean_fund({**current, **data})
    _require_fund_editor(actor, org)
    audit.update(
        actor,
        fund,
        data | {"org": org},
        action="fund.update",
        org=org,
        expected_version=expected_version,
    )
    return fund
