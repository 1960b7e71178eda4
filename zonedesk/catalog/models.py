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
