"""The usual catalogue of a zone's and a county's economic indicators, frozen here as data:
later changes to it are an admin's edits, not code."""

from decimal import Decimal

from django.db import migrations

# code, name, unit, frequency, price basis, roll-up, 牵头单位, source, derivation, release lag
# (days after the period), yellow and red gap to 时序进度 (percentage points)
# fmt: off
CATALOGUE = [
    ("GDP", "地区生产总值", "万元", "quarterly", "comparable", "none", "统计局", "entered", "", 25),
    ("IVA", "规上工业增加值", "万元", "monthly", "comparable", "none", "工业和信息化局", "entered", "", 15),
    ("IOV", "规上工业总产值", "万元", "monthly", "current", "sum", "工业和信息化局", "entered", "", 15),
    ("FAI", "固定资产投资", "万元", "monthly", "current", "sum", "发展改革局", "entered", "", 15),
    ("IND_INV", "工业投资", "万元", "monthly", "current", "sum", "工业和信息化局", "entered", "", 15),
    ("RETAIL", "社会消费品零售总额", "万元", "monthly", "current", "sum", "商务局", "entered", "", 20),
    ("RETAIL_ABOVE", "限上消费品零售额", "万元", "monthly", "current", "sum", "商务局", "entered", "", 15),
    ("TRADE", "进出口总额", "万元", "monthly", "current", "sum", "商务局", "entered", "", 20),
    ("FDI", "实际使用外资", "万美元", "monthly", "current", "sum", "商务局", "entered", "", 20),
    ("BUDGET", "一般公共预算收入", "万元", "monthly", "current", "sum", "财政局", "entered", "", 10),
    ("TAX", "税收收入", "万元", "monthly", "current", "sum", "税务局", "entered", "", 10),
    ("FIRMS", "规上工业企业数", "家", "monthly", "current", "sum", "统计局", "entered", "", 15),
    ("HOUSING", "商品房销售面积", "万平方米", "monthly", "current", "sum", "住房和城乡建设局", "entered", "", 15),
    ("KEY_INV", "重点项目完成投资", "万元", "monthly", "current", "sum", "项目建设服务中心", "derived", "project_investment", 5),
    ("SIGNED", "签约额", "万元", "monthly", "current", "sum", "招商服务中心", "derived", "signed_amount", 5),
    ("SIGNED_N", "签约项目数", "个", "monthly", "current", "sum", "招商服务中心", "derived", "signed_count", 5),
    ("START_RATE", "开复工率", "%", "monthly", "current", "none", "项目建设服务中心", "derived", "start_resume_rate", 5),
]
# fmt: on


def seed(apps, schema_editor):
    Indicator = apps.get_model("indicators", "Indicator")
    for order, row in enumerate(CATALOGUE, start=1):
        code, name, unit, freq, basis, rollup, lead, source, derivation, lag = row
        Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "unit": unit,
                "frequency": freq,
                "price_basis": basis,
                "rollup": rollup,
                "lead_unit": lead,
                "source": source,
                "derivation": derivation,
                "release_lag": lag,
                "yellow_gap": Decimal("10.0"),
                "red_gap": Decimal("30.0"),
                "order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    codes = [row[0] for row in CATALOGUE]
    apps.get_model("indicators", "Indicator").objects.filter(code__in=codes).delete()


class Migration(migrations.Migration):
    dependencies = [("indicators", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
