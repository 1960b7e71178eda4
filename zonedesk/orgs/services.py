"""Every write to organisations, units, teams, users, roles, tokens and second login steps.

Each function runs in one transaction, checks that the actor may make the change, and
records its audit event. `actor=None` is the system (demo loader, migrations).
"""

import datetime
import hashlib
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zonedesk.audit import services as audit
from zonedesk.catalog.validators import region_code_within, validate_region_code, validate_stat_code
from zonedesk.common.cache import changed

from . import totp
from .models import ApiToken, Org, Role, Team, Totp, Unit, User
from .selectors import can_admin, may_use_totp, roles_of

ORG_FIELDS = ["parent", "kind", "name", "code", "stat_code", "is_active"]
UNIT_FIELDS = ["org", "name", "phone", "is_active"]
TEAM_FIELDS = ["org", "kind", "name", "chain", "leader", "is_active"]
USER_FIELDS = ["username", "name", "email", "phone", "is_active"]
TOKEN_TOUCH = datetime.timedelta(minutes=1)
LEVEL_OF_KIND = {Org.Kind.PROVINCE: "province", Org.Kind.CITY: "city", Org.Kind.COUNTY: "county"}


def require_admin(actor, org):
    if actor is not None and not can_admin(actor, org):
        raise PermissionDenied(_("您没有管理“%(org)s”的权限") % {"org": org})


def _require_name(data, field="name"):
    data[field] = (data.get(field) or "").strip()
    if not data[field]:
        raise ValidationError({field: _("名称不能为空")})


def _check_unique(qs, name, label):
    if qs.filter(name=name).exists():
        raise ValidationError(
            {"name": _("%(label)s中已有名为“%(name)s”的记录") % {"label": label, "name": name}}
        )


# --- organisations -----------------------------------------------------------------


def _clean_org(data, instance=None):
    _require_name(data)
    parent, kind = data.get("parent"), data["kind"]
    if parent is not None and Org.RANK[kind] <= Org.RANK[parent.kind]:
        raise ValidationError(
            {
                "kind": _("“%(kind)s”不能设在“%(parent)s”（%(pkind)s）之下")
                % {
                    "kind": Org.Kind(kind).label,
                    "parent": parent,
                    "pkind": parent.get_kind_display(),
                }
            }
        )
    siblings = Org.objects.filter(parent=parent)
    if instance is not None:
        siblings = siblings.exclude(pk=instance.pk)
    _check_unique(siblings, data["name"], str(parent) if parent else _("顶层"))
    checks = {
        "code": lambda v: validate_region_code(v, LEVEL_OF_KIND.get(kind)),
        "stat_code": validate_stat_code,
    }
    for field, check in checks.items():
        data[field] = (data.get(field) or "").strip()
        if data[field]:
            try:
                data[field] = check(data[field])
            except ValidationError as e:
                raise ValidationError({field: e.messages}) from e
    coded = _nearest_coded(parent) if data["code"] else None
    if coded is not None and not region_code_within(data["code"], coded.code):
        raise ValidationError(
            {
                "code": _("行政区划代码“%(code)s”不属于上级“%(parent)s”（%(pcode)s）")
                % {"code": data["code"], "parent": coded, "pcode": coded.code}
            }
        )
    return data


def _nearest_coded(node):
    """The node or its closest ancestor that carries a division code (a zone may not)."""
    if node is None or node.code:
        return node
    ancestors = node.path.strip("/").split("/")
    return Org.objects.filter(pk__in=ancestors).exclude(code="").order_by("-path").first()


@transaction.atomic
def create_org(actor, *, parent, kind, name, code="", stat_code=""):
    if parent is None:
        if actor is not None and not actor.is_superuser:
            raise PermissionDenied(_("只有超级管理员可以创建顶层组织"))
    else:
        require_admin(actor, parent)
    data = _clean_org(
        {"parent": parent, "kind": kind, "name": name, "code": code, "stat_code": stat_code}
    )
    org = Org(**data)
    audit.check_fields(org, ORG_FIELDS)
    org.save()
    # The path needs the new primary key, hence the second, cheap UPDATE.
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    Org.objects.filter(pk=org.pk).update(path=org.path)
    initial = {f: [None, v] for f, v in audit.snapshot(org, ORG_FIELDS).items()}
    audit.record(actor, "org.create", org, org=org, changes=initial)
    changed(Org)
    return org


@transaction.atomic
def update_org(actor, org, data, *, expected_version=None):
    require_admin(actor, org)
    current = {f: getattr(org, f) for f in ORG_FIELDS}
    data = _clean_org({**current, **data}, instance=org)
    data.pop("parent")  # moving a node is not offered: its whole subtree's scope would change
    if data["kind"] != org.kind and org.children.exists():
        raise ValidationError({"kind": _("有下级组织时不能修改类型")})
    audit.update(actor, org, data, action="org.update", org=org, expected_version=expected_version)
    changed(Org)
    return org


# --- units and teams ---------------------------------------------------------------------


@transaction.atomic
def create_unit(actor, *, org, name, phone=""):
    require_admin(actor, org)
    data = {"name": name, "phone": phone.strip()}
    _require_name(data)
    _check_unique(Unit.objects.filter(org=org), data["name"], str(org))
    changed(Unit)
    return audit.create(
        actor, Unit(org=org, **data), action="unit.create", org=org, fields=UNIT_FIELDS
    )


@transaction.atomic
def update_unit(actor, unit, data, *, expected_version=None):
    require_admin(actor, unit.org)
    data = {"name": unit.name, **data}
    _require_name(data)
    _check_unique(
        Unit.objects.filter(org=unit.org).exclude(pk=unit.pk), data["name"], str(unit.org)
    )
    audit.update(
        actor, unit, data, action="unit.update", org=unit.org, expected_version=expected_version
    )
    changed(Unit)
    return unit


def _clean_team(org, data, members, instance=None):
    _require_name(data)
    others = Team.objects.filter(org=org)
    if instance is not None:
        others = others.exclude(pk=instance.pk)
    _check_unique(others, data["name"], str(org))
    leader = data.get("leader")
    for field, people in (("leader", [leader] if leader else []), ("members", members)):
        outside = [u for u in people if not _works_under(u, org)]
        if outside:
            raise ValidationError(
                {
                    field: _("“%(user)s”在“%(org)s”没有角色，不能加入该团队")
                    % {"user": outside[0], "org": org}
                }
            )
    return data


def _works_under(user, org):
    """Team members must hold a role at the team's node, above it or beneath it."""
    return any(
        org.path.startswith(r.org.path) or r.org.path.startswith(org.path) for r in roles_of(user)
    )


@transaction.atomic
def create_team(actor, *, org, kind, name, chain="", leader=None, members=()):
    require_admin(actor, org)
    data = _clean_team(
        org, {"kind": kind, "name": name, "chain": chain.strip(), "leader": leader}, members
    )
    team = audit.create(
        actor, Team(org=org, **data), action="team.create", org=org, fields=TEAM_FIELDS
    )
    _set_members(actor, team, members, new=True)
    return team


@transaction.atomic
def update_team(actor, team, data, *, members=None, expected_version=None):
    require_admin(actor, team.org)
    data = _clean_team(team.org, {"name": team.name, **data}, members or [], instance=team)
    audit.update(
        actor, team, data, action="team.update", org=team.org, expected_version=expected_version
    )
    if members is not None:
        _set_members(actor, team, members)
    return team


def _set_members(actor, team, members, new=False):
    before = [] if new else [str(u) for u in team.members.all()]
    team.members.set(members)
    after = [str(u) for u in members]
    if sorted(before) != sorted(after):
        audit.record(
            actor,
            "team.members",
            team,
            org=team.org,
            changes={"members": [sorted(before), sorted(after)]},
        )


# --- users, roles and tokens ---------------------------------------------------------------


def _clean_user(data, instance=None):
    data["username"] = (data.get("username") or "").strip()
    if not data["username"]:
        raise ValidationError({"username": _("用户名不能为空")})
    taken = User.objects.filter(username__iexact=data["username"])
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise ValidationError(
            {"username": _("用户名“%(name)s”已被使用") % {"name": data["username"]}}
        )
    data["name"] = (data.get("name") or "").strip()
    if not data["name"]:
        raise ValidationError({"name": _("姓名不能为空")})
    return data


def _check_password(password, user):
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise ValidationError({"password": e.messages}) from e


@transaction.atomic
def create_user(
    actor, *, username, name, password, org, role, email="", phone="", unit=None, enterprise=None
):
    """A user is always created with a first role, so an admin never loses sight of them."""
    require_admin(actor, org)
    data = _clean_user(
        {"username": username, "name": name, "email": email.strip(), "phone": phone.strip()}
    )
    user = User(**data)
    _check_password(password, user)
    user.set_password(password)
    audit.create(actor, user, action="user.create", org=org, fields=USER_FIELDS)
    grant_role(actor, user=user, org=org, role=role, unit=unit, enterprise=enterprise)
    return user


def _home_org(user):
    role = user.roles.select_related("org").first()
    return role.org if role else None


def _require_user_admin(actor, user):
    if actor is None:
        return
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("您没有管理该用户的权限"))
    # Every node where the user works must be the actor's: otherwise an admin of one zone
    # could reset the password of someone who also administers another.
    if not actor.is_superuser and not all(
        can_admin(actor, r.org) for r in user.roles.select_related("org")
    ):
        raise PermissionDenied(_("您没有管理该用户的权限"))


@transaction.atomic
def update_user(actor, user, data, *, expected_version=None):
    if actor is None or actor.pk != user.pk or "is_active" in data or "username" in data:
        _require_user_admin(actor, user)
    data = _clean_user({"username": user.username, "name": user.name, **data}, instance=user)
    if actor is not None and actor.pk == user.pk and data.get("is_active") is False:
        raise ValidationError({"is_active": _("不能停用自己的账号")})
    audit.update(
        actor,
        user,
        data,
        action="user.update",
        org=_home_org(user),
        expected_version=expected_version,
    )
    changed(User)
    return user


@transaction.atomic
def set_password(actor, user, password):
    if actor is None or actor.pk != user.pk:
        _require_user_admin(actor, user)
    _check_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    # The event says that it changed, never the hash.
    audit.record(
        actor,
        "user.password",
        user,
        org=_home_org(user),
        changes={"password": ["******", "******"]},
    )


@transaction.atomic
def grant_role(actor, *, user, org, role, unit=None, enterprise=None):
    require_admin(actor, org)
    if role == Role.Name.UNIT and unit is None:
        raise ValidationError({"unit": _("部门人员角色须指定所属部门")})
    if role == Role.Name.ENTERPRISE and enterprise is None:
        raise ValidationError({"enterprise": _("企业联系人角色须指定企业")})
    if (
        unit is not None
        and not unit.org.path.startswith(org.path)
        and not org.path.startswith(unit.org.path)
    ):
        raise ValidationError(
            {"unit": _("部门“%(unit)s”不在“%(org)s”范围内") % {"unit": unit, "org": org}}
        )
    if enterprise is not None and not enterprise.org.path.startswith(org.path):
        raise ValidationError(
            {"enterprise": _("企业“%(e)s”不在“%(org)s”范围内") % {"e": enterprise, "org": org}}
        )
    if Role.objects.filter(user=user, org=org, role=role).exists():
        raise ValidationError({"role": _("该用户在“%(org)s”已有此角色") % {"org": org}})
    grant = Role.objects.create(
        user=user,
        org=org,
        role=role,
        unit=unit if role == Role.Name.UNIT else None,
        enterprise=enterprise if role == Role.Name.ENTERPRISE else None,
    )
    audit.record(
        actor, "user.grant_role", user, org=org, changes={"role": [None, _describe(grant)]}
    )
    changed(Role)
    return grant


@transaction.atomic
def revoke_role(actor, grant):
    require_admin(actor, grant.org)
    user = grant.user
    if actor is not None and actor.pk == user.pk and grant.role == Role.Name.ADMIN:
        raise ValidationError({"role": _("不能撤销自己的管理员角色")})
    if not user.roles.exclude(pk=grant.pk).exists():
        # A user without roles would drop out of every admin's sight yet still log in.
        raise ValidationError({"role": _("这是该用户唯一的角色：请先授予其他角色，或停用该账号")})
    description = _describe(grant)
    grant.delete()
    audit.record(
        actor, "user.revoke_role", user, org=grant.org, changes={"role": [description, None]}
    )
    changed(Role)


def _describe(grant):
    extra = grant.unit or grant.enterprise
    return f"{grant.org} · {grant.get_role_display()}" + (f" · {extra}" if extra else "")


def _digest(token):
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_token(user, name):
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("令牌名称不能为空")})
    secret = "zd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=secret[:8], digest=_digest(secret))
    audit.record(
        user, "token.create", user, org=_home_org(user), changes={"token": [None, str(token)]}
    )
    return token, secret


@transaction.atomic
def revoke_token(user, token):
    if token.user_id != user.pk:
        raise PermissionDenied
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(
        user, "token.revoke", user, org=_home_org(user), changes={"token": [str(token), None]}
    )


def user_for_token(secret):
    """The active user a presented API token belongs to, or None."""
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    # At most once a minute: a write on every read would take SQLite's write lock per GET.
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- the second login step (TOTP) ----------------------------------------------------------


def _wrong_code():
    return ValidationError({"code": _("验证码不正确或已用过，请输入验证器上当前的 6 位数字")})


def _fresh_step(device, code):
    """The step of a current code not used before, or None."""
    step = totp.matching_step(totp.decrypt(device.secret), code)
    return step if step is not None and step > device.last_step else None


@transaction.atomic
def enable_totp(user, secret, code):
    """Turn the second step on with the secret the setup page showed, once the user's
    authenticator proves it holds it by giving the current code."""
    if not may_use_totp(user):
        raise PermissionDenied(_("只有领导和系统管理员可以开启两步验证"))
    if Totp.objects.filter(user=user).exists():
        raise ValidationError({"code": _("两步验证已经开启")})
    step = totp.matching_step(secret, code)
    if step is None:
        raise _wrong_code()
    # Recording the step means the code that turned it on cannot also log in.
    Totp.objects.create(user=user, secret=totp.encrypt(secret), last_step=step)
    audit.record(user, "user.totp_on", user, org=_home_org(user), changes={"totp": [False, True]})


@transaction.atomic
def disable_totp(actor, user, code=None):
    """The user turns it off with a current code; their admin without one (a lost phone)."""
    own = actor is not None and actor.pk == user.pk
    if not own:
        _require_user_admin(actor, user)
    device = Totp.objects.select_for_update().filter(user=user).first()
    if device is None:
        raise ValidationError({"code": _("两步验证未开启")})
    if own and _fresh_step(device, code) is None:
        raise _wrong_code()
    device.delete()
    audit.record(actor, "user.totp_off", user, org=_home_org(user), changes={"totp": [True, False]})


def check_totp(user, code):
    """Is this the user's current code, not used before? Marks it used (the login step)."""
    device = Totp.objects.filter(user=user).first()
    step = device and _fresh_step(device, code)
    # Conditional, so that of two requests racing with one code only one gets in.
    return bool(step) and bool(
        Totp.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step)
    )
