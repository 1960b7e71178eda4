from django.db import models
from django.utils.translation import gettext_lazy as _


class IndustryCode(models.Model):
    """One 门类 or 大类 of a 国民经济行业分类 edition; loaded by migration, not edited."""

    class Level(models.TextChoices):
        SECTION = "section", _("门类")
        DIVISION = "division", _("大类")

    edition = models.CharField(_("标准版本"), max_length=32)  # "GB/T 4754-2017"
    code = models.CharField(_("代码"), max_length=4)  # "C" for a 门类, "38" for a 大类
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级门类"),
    )

    class Meta:
        verbose_name = _("国民经济行业代码")
        verbose_name_plural = _("国民经济行业代码")
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"], name="catalog_industry_edition_code"
            )
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class CalendarYear(models.Model):
    """One year of China's official calendar: has the State Council schedule been loaded?

    A year without a row, or with `published` false, counts Monday to Friday and every
    deadline in it is shown as estimated.
    """

    class Source(models.TextChoices):
        PACKAGE = "chinese-calendar", _("chinese-calendar 数据包")
        IMPORT = "import", _("文件导入")
        MANUAL = "manual", _("手工维护")

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    published = models.BooleanField(_("已发布"), default=False)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("工作日历年度")
        verbose_name_plural = _("工作日历年度")
        ordering = ["-year"]

    def __str__(self):
        return _("%(year)d年工作日历") % {"year": self.year}


class CalendarDay(models.Model):
    """A day that differs from the Monday–Friday rule: a holiday on a weekday (放假) or an
    adjusted workday on a weekend (调休上班). Every other day follows the rule."""

    Source = CalendarYear.Source

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"))
    name = models.CharField(_("名称"), max_length=50, blank=True)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self):
        kind = _("上班") if self.is_workday else _("放假")
        return f"{self.date.isoformat()} {kind} {self.name}".rstrip()
