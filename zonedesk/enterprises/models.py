from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from zonedesk.catalog.bounds import MONEY, YEAR
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
    # Named like projects.Project.chain and leads.Lead.chain: the same free text, so one
    # chain's enterprises, projects and leads line up by the same words.
    chain = models.CharField(_("产业链"), max_length=60, blank=True, db_index=True)
    park = models.ForeignKey(
        Org,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="park_enterprises",
        verbose_name=_("园区"),
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), null=True, blank=True, **MONEY.column
    )
    established_on = models.DateField(_("成立日期"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("企业")
        constraints = [
            models.UniqueConstraint(fields=["org", "name"], name="enterprise_unique_name"),
            MONEY.constraint("enterprise", "registered_capital"),
        ]

    def __str__(self):
        return self.name


class Contact(Versioned):
    enterprise = models.ForeignKey(
        Enterprise, models.CASCADE, related_name="contacts", verbose_name=_("企业")
    )
    name = models.CharField(_("姓名"), max_length=50)
    title = models.CharField(_("职务"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    email = models.EmailField(_("电子邮箱"), max_length=100, blank=True)
    is_primary = models.BooleanField(_("主要联系人"), default=False)

    class Meta:
        ordering = ["-is_primary", "name", "pk"]
        verbose_name = _("企业联系人")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(is_primary=True),
                name="contact_one_primary",
            )
        ]

    def __str__(self):
        return self.name


class Designation(Versioned):
    class Kind(models.TextChoices):
        HIGH_TECH = "high_tech", _("高新技术企业")
        TECH_SME = "tech_sme", _("科技型中小企业")
        SPECIALISED = "specialised", _("专精特新中小企业")
        LITTLE_GIANT = "little_giant", _("专精特新“小巨人”")
        CHAMPION = "champion", _("单项冠军")
        CHAIN_LEADER = "chain_leader", _("链主企业")
        DRAGON_HEAD = "dragon_head", _("龙头企业")
        CITY_PARTNER = "city_partner", _("城市发展合伙人")
        OTHER = "other", _("其他")

    class Level(models.TextChoices):
        NATIONAL = "national", _("国家级")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")

    enterprise = models.ForeignKey(
        Enterprise, models.CASCADE, related_name="designations", verbose_name=_("企业")
    )
    kind = models.CharField(_("称号"), max_length=16, choices=Kind.choices)
    other_name = models.CharField(_("其他称号名称"), max_length=60, blank=True)
    level = models.CharField(_("级别"), max_length=10, choices=Level.choices)
    certificate_no = models.CharField(_("证书编号"), max_length=60, blank=True)
    granted_on = models.DateField(_("认定日期"))
    expires_on = models.DateField(_("有效期至"), null=True, blank=True, db_index=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        # Soonest expiry first; those without an expiry last, on every database.
        ordering = [models.F("expires_on").asc(nulls_last=True), "pk"]
        verbose_name = _("企业称号")

    def __str__(self):
        return f"{self.enterprise} · {self.title}"

    @property
    def title(self):
        return self.other_name if self.kind == self.Kind.OTHER else self.get_kind_display()


class SupportFund(Versioned):
    class Source(models.TextChoices):
        CENTRAL = "central", _("中央")
        PROVINCE = "province", _("省级")
        CITY = "city", _("市级")
        COUNTY = "county", _("县级")
        PARK = "park", _("园区")

    class Status(models.TextChoices):
        PENDING = "pending", _("待拨付")
        PAID = "paid", _("已拨付")

    # The zone whose register the allocation belongs to: the enterprise's or the project's.
    org = models.ForeignKey(
        Org, models.PROTECT, related_name="support_funds", verbose_name=_("组织")
    )
    enterprise = models.ForeignKey(
        Enterprise,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="funds",
        verbose_name=_("企业"),
    )
    project = models.ForeignKey(
        "projects.Project",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="support_funds",
        verbose_name=_("项目"),
    )
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True, **YEAR.column)
    source = models.CharField(_("资金来源"), max_length=10, choices=Source.choices)
    policy = models.CharField(_("政策名称"), max_length=120, blank=True)
    amount = models.DecimalField(_("金额（万元）"), **MONEY.column)
    purpose = models.CharField(_("用途"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    paid_on = models.DateField(_("拨付日期"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-amount", "pk"]
        verbose_name = _("惠企资金")
        constraints = [
            models.CheckConstraint(
                condition=(Q(enterprise__isnull=False) & Q(project__isnull=True))
                | (Q(enterprise__isnull=True) & Q(project__isnull=False)),
                name="supportfund_enterprise_xor_project",
            ),
            YEAR.constraint("supportfund", "year"),
            MONEY.constraint("supportfund", "amount"),
        ]

    def __str__(self):
        return f"{self.year} {self.recipient} {self.amount}"

    @property
    def recipient(self):
        return self.enterprise or self.project
