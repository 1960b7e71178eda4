from django.db import models
from django.utils.translation import gettext_lazy as _

from zonedesk.orgs.models import Org, Versioned


class Enterprise(Versioned):
    org = models.ForeignKey(Org, models.PROTECT, related_name="enterprises", verbose_name=_("组织"))
    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_rep = models.CharField(_("法定代表人"), max_length=50, blank=True)
    industry = models.ForeignKey(
        "catalog.IndustryCode",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("国民经济行业"),
    )
    above_scale = models.BooleanField(_("规模以上"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="enterprise_unique_name")
        ]

    def __str__(self):
        return self.name
