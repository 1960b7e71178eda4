"""The enterprise register (企业名录) as the import engine reads it."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.catalog.models import IndustryCode
from zonedesk.catalog.validators import validate_uscc
from zonedesk.imports.engine import (
    Column,
    Kind,
    chunked,
    create_write,
    register,
    text,
    update_write,
)
from zonedesk.imports.reader import parse_bool, parse_text
from zonedesk.orgs.selectors import has_role_over

from . import services
from .models import Enterprise


def _uscc(value, _unit):
    try:
        return validate_uscc(parse_text(value))
    except ValidationError as e:
        raise ValueError(e.messages[0]) from e


def _industry(value, _unit):
    code = parse_text(value).split(" ")[0]
    if not code:
        return None
    # A 4-digit 小类 or 3-digit 中类 belongs to its 2-digit 大类, the finest level stored.
    major = code if code.isalpha() else code[:2]
    if not _industry_exists(major):
        raise ValueError(_("国民经济行业代码“%(c)s”不存在（GB/T 4754-2017）") % {"c": code})
    return major


_KNOWN_INDUSTRIES = set()


def _industry_exists(code):
    """The catalogue of industry codes is fixed (GB/T 4754-2017): a known code is asked once."""
    if code not in _KNOWN_INDUSTRIES and IndustryCode.objects.filter(code=code).exists():
        _KNOWN_INDUSTRIES.add(code)
    return code in _KNOWN_INDUSTRIES


COLUMNS = [
    Column("name", ["企业名称", "名称"], text, required=True),
    Column("uscc", ["统一社会信用代码", "信用代码"], _uscc, required=True),
    Column("short_name", ["简称", "企业简称"], text),
    Column("legal_rep", ["法定代表人", "法人代表"], text),
    Column("industry", ["国民经济行业代码", "行业代码", "所属行业"], _industry),
    Column(
        "above_scale",
        ["规上", "规模以上", "是否规上"],
        lambda v, u: parse_bool(v),
        choices=["是", "否"],
    ),
]


class Context:
    """The file's codes and the zone's names, loaded once for the whole file."""

    def __init__(self, actor, org, rows, options=None):
        self.actor, self.org = actor, org
        codes = {v["uscc"] for v in rows if v.get("uscc")}
        query = Enterprise.objects.select_related("org", "industry")
        self.by_code = {e.uscc: e for e in chunked(query, "uscc", codes)}
        self.names = dict(Enterprise.objects.filter(org=org).values_list("name", "pk"))
        self.claimed = {}  # names taken by earlier rows of this file
        self.editor = actor is None or has_role_over(actor, org, services.EDITORS)
        self.industries = {
            i.code: i
            for i in chunked(IndustryCode.objects.all(), "code", {v.get("industry") for v in rows})
        }


def find(ctx, values):
    """By 统一社会信用代码; a code registered in another zone is that zone's to change."""
    enterprise = ctx.by_code.get(values["uscc"])
    if enterprise is not None and not enterprise.org.path.startswith(ctx.org.path):
        raise ValueError(_("统一社会信用代码“%(c)s”已在其他组织登记") % {"c": values["uscc"]})
    return enterprise, _("统一社会信用代码"), values["uscc"]


def current(ctx, enterprise):
    return {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "short_name": enterprise.short_name,
        "legal_rep": enterprise.legal_rep,
        "industry": enterprise.industry.code if enterprise.industry else None,
        "above_scale": enterprise.above_scale,
    }


def build(ctx, enterprise, values):
    """services.create_enterprise / update_enterprise's rules, against the loaded context."""
    if not ctx.editor:
        raise PermissionDenied(_("您没有编辑该组织企业的权限"))
    data = dict(values)
    if "industry" in data:
        data["industry"] = ctx.industries.get(data["industry"])
    for name in ("name", "short_name", "legal_rep"):
        if name in data:
            data[name] = (data[name] or "").strip()
    if not data.get("name", "x"):
        raise ValidationError({"name": _("企业名称不能为空")})
    org = enterprise.org if enterprise else ctx.org
    name = data.get("name", getattr(enterprise, "name", ""))
    holder = ctx.names.get(name) if org == ctx.org else None
    if (holder and holder != getattr(enterprise, "pk", None)) or name in ctx.claimed:
        raise ValidationError(
            {"name": _("“%(org)s”已有名为“%(name)s”的企业") % {"org": org, "name": name}}
        )
    ctx.claimed[name] = True
    if enterprise is None:
        fields = {f: data.get(f, "") for f in ("short_name", "legal_rep")}
        obj = Enterprise(
            org=org,
            name=name,
            uscc=data["uscc"],
            industry=data.get("industry"),
            above_scale=data.get("above_scale", False),
            **fields,
        )
        return [create_write(obj, action="enterprise.create", org=org, fields=services.FIELDS)]
    write = update_write(enterprise, data, action="enterprise.update", org=org)
    return [write] if write else []


EXAMPLE = ["示例：山西强伟纸业有限公司", "911407258TUB8A9FXW", "强伟纸业", "张三", "22", "是"]

ENTERPRISES = register(
    Kind(
        name="enterprises",
        label=gettext_lazy("企业名录"),
        columns=COLUMNS,
        prepare=Context,
        find=find,
        current=current,
        build=build,
        template_rows=[EXAMPLE],
    )
)
