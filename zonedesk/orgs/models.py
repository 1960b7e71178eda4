from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Versioned(models.Model):
    """A record two people may edit at once: saves compare this number (see audit.services)."""

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        abstract = True


class Org(Versioned):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市")
        COUNTY = "county", _("县（区）")
        ZONE = "zone", _("开发区")
        PARK = "park", _("园区")

    # A child sits strictly below its parent in this order; a zone may hang under a city.
    RANK = {Kind.PROVINCE: 0, Kind.CITY: 1, Kind.COUNTY: 2, Kind.ZONE: 3, Kind.PARK: 4}

    parent = models.ForeignKey(
        "self",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级"),
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("行政区划代码"), max_length=6, blank=True)
    stat_code = models.CharField(_("统计用区划代码"), max_length=12, blank=True)
    # Materialised path "/1/4/9/": a role at a node reaches every record whose org path
    # starts with the node's path, in one indexed prefix match at any depth.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="org_unique_name_in_parent")
        ]

    def __str__(self):
        return self.name

    @property
    def depth(self):
        return self.path.count("/") - 2


class Unit(Versioned):
    """A department (责任单位 / 服务单位) attached to a node of the tree."""

    org = models.ForeignKey(Org, models.PROTECT, related_name="units", verbose_name=_("组织"))
    name = models.CharField(_("名称"), max_length=100)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["org__path", "name"]
        verbose_name = _("部门")
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="unit_unique_name")]

    def __str__(self):
        return self.name


class Team(Versioned):
    class Kind(models.TextChoices):
        TASK_FORCE = "taskforce", _("项目专班")
        INVESTMENT = "investment", _("招商战队")

    org = models.ForeignKey(Org, models.PROTECT, related_name="teams", verbose_name=_("组织"))
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100)
    chain = models.CharField(_("产业链"), max_length=100, blank=True)
    leader = models.ForeignKey(
        "User",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("包联领导"),
    )
    members = models.ManyToManyField(
        "User", blank=True, related_name="teams", verbose_name=_("成员")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["org__path", "kind", "name"]
        verbose_name = _("团队")
        constraints = [models.UniqueConstraint(fields=["org", "name"], name="team_unique_name")]

    def __str__(self):
        return self.name


class User(AbstractUser):
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    phone = models.CharField(_("电话"), max_length=40, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["username"]
        verbose_name = _("用户")

    def __str__(self):
        return self.name or self.username


class Role(models.Model):
    class Name(models.TextChoices):
        ADMIN = "admin", _("系统管理员")
        LEADER = "leader", _("领导")
        OFFICER = "officer", _("项目专员")
        PROMOTER = "promoter", _("招商员")
        UNIT = "unit", _("部门人员")
        STATISTICIAN = "statistician", _("统计员")
        VIEWER = "viewer", _("查阅人员")
        ENTERPRISE = "enterprise", _("企业联系人")

    user = models.ForeignKey(User, models.CASCADE, related_name="roles", verbose_name=_("用户"))
    org = models.ForeignKey(Org, models.PROTECT, related_name="roles", verbose_name=_("组织"))
    role = models.CharField(_("角色"), max_length=12, choices=Name.choices)
    # A unit role acts for one unit; an enterprise role for one enterprise.
    unit = models.ForeignKey(
        Unit, models.PROTECT, null=True, blank=True, related_name="roles", verbose_name=_("部门")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        models.PROTECT,
        null=True,
        blank=True,
        related_name="roles",
        verbose_name=_("企业"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["org__path", "role"]
        verbose_name = _("角色")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="role_unique_grant")
        ]

    def __str__(self):
        return f"{self.get_role_display()} @ {self.org}"


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(User, models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(max_length=8)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class Totp(models.Model):
    """A user's second login step (TOTP, RFC 6238); the row exists only while it is on."""

    user = models.OneToOneField(User, models.CASCADE, primary_key=True, related_name="totp")
    # Encrypted with a key derived from SECRET_KEY (orgs.totp): a copy of the database
    # alone does not let anyone compute codes. Never shown again after setup.
    secret = models.TextField()
    # The 30-second step of the last code accepted: a code works once, never replayed.
    last_step = models.BigIntegerField(default=0)
    enabled_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("两步验证")

    def __str__(self):
        return str(self.user)
