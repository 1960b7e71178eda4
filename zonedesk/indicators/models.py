"""Economic indicators (经济运行监测): the catalogue, values per org and period, targets, and
the state of each org's period (draft → submitted → approved → locked).

A period is (year, month): the cumulative figure 1—N月 through `month`. January and February
are one period (1—2月, month 2); quarterly figures sit at months 3, 6, 9, 12, yearly at 12.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.bounds import YEAR, Bound
from zonedesk.orgs.models import Org, Versioned

# An indicator's cumulative value (万元, 万美元, 家, 万平方米 …) and a growth rate in %.
VALUE = Bound("VALUE", _("指标值"), 0, 10**12 - 1, 2)
GROWTH = Bound("GROWTH", _("同比增速"), -100, 99999, 1, "%")
GAP = Bound("GAP", _("预警差距"), 0, 100, 1, "个百分点")


class Indicator(Versioned):
    class Unit(models.TextChoices):
        WAN = "万元", _("万元")
        WAN_USD = "万美元", _("万美元")
        FIRMS = "家", _("家")
        PROJECTS = "个", _("个")
        AREA = "万平方米", _("万平方米")
        PERCENT = "%", _("%")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("月度累计（1—N月）")
        QUARTERLY = "quarterly", _("季度累计")
        YEARLY = "yearly", _("年度")

    class Basis(models.TextChoices):
        CURRENT = "current", _("现价")
        COMPARABLE = "comparable", _("可比价")

    class Rollup(models.TextChoices):
        SUM = "sum", _("逐级加总")
        NONE = "none", _("不加总")

    class Source(models.TextChoices):
        ENTERED = "entered", _("填报")
        IMPORTED = "imported", _("统计局报表导入")
        DERIVED = "derived", _("系统计算")

    class Derivation(models.TextChoices):
        NONE = "", _("无")
        PROJECT_INVESTMENT = "project_investment", _("重点项目月度进展完成投资")
        SIGNED_AMOUNT = "signed_amount", _("招商线索签约金额")
        SIGNED_COUNT = "signed_count", _("招商线索签约个数")
        START_RESUME_RATE = "start_resume_rate", _("项目台账开复工率")

    code = models.CharField(_("指标代码"), max_length=20, unique=True)
    name = models.CharField(_("指标名称"), max_length=60, unique=True)
    unit = models.CharField(_("计量单位"), max_length=8, choices=Unit.choices)
    frequency = models.CharField(_("频度"), max_length=10, choices=Frequency.choices)
    price_basis = models.CharField(_("价格口径"), max_length=10, choices=Basis.choices)
    rollup = models.CharField(_("汇总方式"), max_length=4, choices=Rollup.choices)
    higher_is_better = models.BooleanField(_("越高越好"), default=True)
    lead_unit = models.CharField(_("牵头单位"), max_length=60, blank=True)
    source = models.CharField(_("数据来源"), max_length=10, choices=Source.choices)
    derivation = models.CharField(
        _("计算来源"), max_length=20, choices=Derivation.choices, blank=True
    )
    release_lag = models.PositiveSmallIntegerField(_("发布滞后（天）"), default=15)
    yellow_gap = models.DecimalField(
        _("黄色预警（落后时序百分点）"), max_digits=4, decimal_places=1
    )
    red_gap = models.DecimalField(_("红色预警（落后时序百分点）"), max_digits=4, decimal_places=1)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("经济指标")
        constraints = [
            # A derived indicator names what it is computed from; no other does.
            models.CheckConstraint(
                condition=Q(source="derived", derivation__gt="")
                | (~Q(source="derived") & Q(derivation="")),
                name="indicator_derivation_iff_derived",
            ),
            models.CheckConstraint(
                condition=Q(yellow_gap__lte=models.F("red_gap")),
                name="indicator_gaps_ordered",
                violation_error_message=_("红色预警差距应不小于黄色预警差距"),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_derived(self):
        return self.source == self.Source.DERIVED

    @property
    def is_money(self):
        return self.unit == self.Unit.WAN

    def months(self):
        """The months of the year that close one of this indicator's periods."""
        return {"monthly": range(2, 13), "quarterly": (3, 6, 9, 12), "yearly": (12,)}[
            self.frequency
        ]


def period_label(month):
    """1—2月 … 1—12月: the cumulative period that ends with `month`."""
    return f"1—{month}月"


class Period(Versioned):
    """An org's period of indicator values and where it stands in its approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("填报中")
        SUBMITTED = "submitted", _("已报送")
        APPROVED = "approved", _("已审核")
        LOCKED = "locked", _("已锁定")

    org = models.ForeignKey(
        Org, models.PROTECT, related_name="indicator_periods", verbose_name=_("组织")
    )
    year = models.PositiveSmallIntegerField(_("年度"), **YEAR.column)
    month = models.PositiveSmallIntegerField(_("截至月份"))
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("退回原因"), max_length=200, blank=True)

    class Meta:
        ordering = ["-year", "-month"]
        verbose_name = _("指标填报期")
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "month"], name="iperiod_unique"),
            models.CheckConstraint(condition=Q(month__gte=2, month__lte=12), name="iperiod_month"),
        ]

    def __str__(self):
        return f"{self.org} {self.year}年{period_label(self.month)}"


class IndicatorValue(Versioned):
    """org × indicator × period: the cumulative value and the 同比 the source reported."""

    org = models.ForeignKey(
        Org, models.PROTECT, related_name="indicator_values", verbose_name=_("组织")
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="values", verbose_name=_("指标")
    )
    year = models.PositiveSmallIntegerField(_("年度"), **YEAR.column)
    month = models.PositiveSmallIntegerField(_("截至月份"))
    value = models.DecimalField(_("累计值"), max_digits=14, decimal_places=2, null=True, blank=True)
    growth = models.DecimalField(
        _("同比增速（%）"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    source_row = models.CharField(_("来源"), max_length=100, blank=True)

    class Meta:
        ordering = ["indicator__order", "-year", "-month"]
        verbose_name = _("指标值")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "indicator", "year", "month"], name="ivalue_unique"
            ),
            VALUE.constraint("ivalue", "value"),
            GROWTH.constraint("ivalue", "growth"),
            models.CheckConstraint(condition=Q(month__gte=2, month__lte=12), name="ivalue_month"),
        ]
        indexes = [models.Index(fields=["year", "month", "indicator"])]

    def __str__(self):
        return f"{self.org} {self.indicator} {self.year}年{period_label(self.month)}"


class IndicatorTarget(Versioned):
    """org × indicator × year: the year's target value, or target growth, or both."""

    org = models.ForeignKey(
        Org, models.PROTECT, related_name="indicator_targets", verbose_name=_("组织")
    )
    indicator = models.ForeignKey(
        Indicator, models.PROTECT, related_name="targets", verbose_name=_("指标")
    )
    year = models.PositiveSmallIntegerField(_("年度"), **YEAR.column)
    value = models.DecimalField(
        _("年度目标值"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    growth = models.DecimalField(
        _("目标增速（%）"), max_digits=7, decimal_places=1, null=True, blank=True
    )

    class Meta:
        ordering = ["indicator__order", "-year"]
        verbose_name = _("指标目标")
        constraints = [
            models.UniqueConstraint(fields=["org", "indicator", "year"], name="itarget_unique"),
            VALUE.constraint("itarget", "value"),
            GROWTH.constraint("itarget", "growth"),
        ]

    def __str__(self):
        return f"{self.org} {self.indicator} {self.year}年目标"
