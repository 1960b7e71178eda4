"""The enterprise register (企业名录) as the import engine reads it."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zonedesk.catalog.models import IndustryCode
from zonedesk.catalog.validators import validate_uscc
from zonedesk.imports.engine import Column, Kind, register
from zonedesk.imports.reader import parse_bool, parse_text

from . import services
from .models import Enterprise


def _text(value, _unit):
    return parse_text(value)


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
    if not IndustryCode.objects.filter(code=major).exists():
        raise ValueError(_("国民经济行业代码“%(c)s”不存在（GB/T 4754-2017）") % {"c": code})
    return major


COLUMNS = [
    Column("name", ["企业名称", "名称"], _text, required=True),
    Column("uscc", ["统一社会信用代码", "信用代码"], _uscc, required=True),
    Column("short_name", ["简称", "企业简称"], _text),
    Column("legal_rep", ["法定代表人", "法人代表"], _text),
    Column("industry", ["国民经济行业代码", "行业代码", "所属行业"], _industry),
    Column(
        "above_scale",
        ["规上", "规模以上", "是否规上"],
        lambda v, u: parse_bool(v),
        choices=["是", "否"],
    ),
]


def find(org, values):
    """By 统一社会信用代码; a code registered in another zone is that zone's to change."""
    enterprise = Enterprise.objects.filter(uscc=values["uscc"]).first()
    if enterprise is not None and not enterprise.org.path.startswith(org.path):
        raise ValueError(_("统一社会信用代码“%(c)s”已在其他组织登记") % {"c": values["uscc"]})
    return enterprise, _("统一社会信用代码"), values["uscc"]


def current(enterprise):
    return {
        "name": enterprise.name,
        "uscc": enterprise.uscc,
        "short_name": enterprise.short_name,
        "legal_rep": enterprise.legal_rep,
        "industry": enterprise.industry.code if enterprise.industry else None,
        "above_scale": enterprise.above_scale,
    }


def save(actor, org, enterprise, values):
    data = dict(values)
    if "industry" in data:
        data["industry"] = IndustryCode.objects.filter(code=data["industry"]).first()
    if enterprise is None:
        return services.create_enterprise(actor, org=org, **data)
    return services.update_enterprise(actor, enterprise, data)


EXAMPLE = ["示例：山西强伟纸业有限公司", "911407258TUB8A9FXW", "强伟纸业", "张三", "22", "是"]

ENTERPRISES = register(
    Kind(
        name="enterprises",
        label=gettext_lazy("企业名录"),
        columns=COLUMNS,
        find=find,
        current=current,
        save=save,
        template_rows=[EXAMPLE],
    )
)
