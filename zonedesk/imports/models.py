from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    """One uploaded workbook: its preview, then its import, as one auditable record."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("待确认")
        DONE = "done", _("已导入")
        REFUSED = "refused", _("已拒绝")

    org = models.ForeignKey(
        "orgs.Org", models.CASCADE, related_name="imports", verbose_name=_("开发区")
    )
    kind = models.CharField(_("类型"), max_length=20)
    filename = models.CharField(_("文件名"), max_length=200)
    data = models.BinaryField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PREVIEWED
    )
    counts = models.JSONField(default=dict)
    errors = models.JSONField(default=list)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("导入")

    def __str__(self):
        return self.filename
