"""Demo indicators: 晋中市's counties in the first half of 2024, so that corpus 002's figures
reproduce — 寿阳 GDP 98.03 亿元 +6.2% 全市第一; 固定资产投资 32 亿元 +10.2% 全市第一; 限上消费品
零售额 +9.8% 全市第一; 规上工业增加值 +4.7% 全市第二. 寿阳's figures are the corpus's; 太谷's and
榆次's (a county the demo tree adds) are made up to rank around them. 固投's 10.2% is computed
from 2023's value (a current-price amount); GDP's and 增加值's are the reported rates.
"""

from importlib import import_module

from django.apps import apps

from zonedesk.orgs import services as orgs
from zonedesk.orgs.models import Org

from . import services
from .models import Indicator

YEAR, MONTH = 2024, 6
# org → {(year, month): {code: (value 万元 or None, reported growth or None)}}
# fmt: off
VALUES = {
    "寿阳县": {
        (2024, 6): {"GDP": ("980300", "6.2"), "IVA": (None, "4.7"), "FAI": ("320000", None),
                    "RETAIL": ("250000", None), "RETAIL_ABOVE": (None, "9.8"), "HOUSING": (None, "17.6")},
        (2023, 6): {"GDP": ("910000", "5.0"), "FAI": ("290381", None), "RETAIL": ("232775", None)},
    },
    "太谷区": {
        (2024, 6): {"GDP": ("780000", "5.4"), "IVA": (None, "5.9"), "FAI": ("210000", None),
                    "RETAIL": ("300000", None), "RETAIL_ABOVE": (None, "6.1")},
        (2023, 6): {"FAI": ("200000", None), "RETAIL": ("285000", None)},
    },
    "榆次区": {
        (2024, 6): {"GDP": ("1500000", "4.9"), "IVA": (None, "3.8"), "FAI": ("400000", None),
                    "RETAIL": ("900000", None), "RETAIL_ABOVE": (None, "8.0")},
        (2023, 6): {"FAI": ("380000", None), "RETAIL": ("850000", None)},
    },
    "晋中市": {(2024, 6): {"GDP": ("9123400", "5.1"), "IVA": (None, "4.6")}},
}
# 寿阳's 固投 by month, 1—N月 cumulative, for the chart: 2024 to June, 2023 the whole year.
FAI_MONTHS = {
    2024: {2: "60000", 3: "110000", 4: "170000", 5: "240000"},
    2023: {2: "52000", 3: "100000", 4: "155000", 5: "215000", 7: "340000", 8: "390000",
           9: "450000", 10: "500000", 11: "550000", 12: "610000"},
}
TARGETS = {"寿阳县": {"FAI": ("600000", "10.0"), "GDP": (None, "6.5"), "RETAIL": ("520000", "7.0")}}
# fmt: on


def load():
    if not Indicator.objects.exists():
        # A flushed database (`manage.py flush`, or a test after a live server) has lost the
        # catalogue its migration seeded: the migration's own frozen rows put it back.
        import_module("zonedesk.indicators.migrations.0002_catalogue").seed(apps, None)
    city = Org.objects.get(name="晋中市")
    if not Org.objects.filter(parent=city, name="榆次区").exists():
        orgs.create_org(None, parent=city, kind="county", name="榆次区", code="140702")
    enter({o.name: o for o in Org.objects.filter(name__in=list(VALUES))})


def enter(by_name):
    """Write the demo figures for the orgs named in VALUES (tests pass their own)."""
    ind = {i.code: i for i in Indicator.objects.all()}
    for name, periods in VALUES.items():
        for (year, month), cells in periods.items():
            services.write_values(
                None, by_name[name], year, month, {ind[c]: v for c, v in cells.items()}
            )
    for year, months in FAI_MONTHS.items():
        for month, value in months.items():
            services.write_values(None, by_name["寿阳县"], year, month, {ind["FAI"]: (value, None)})
    for name, targets in TARGETS.items():
        for code, (value, growth) in targets.items():
            services.set_target(None, by_name[name], ind[code], YEAR, value=value, growth=growth)
