"""Grants: what a user may do, and where in the tree."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    VIEWER = "viewer", _("Xem")
    REPORTER = "reporter", _("Báo cáo")
    COORDINATOR = "coordinator", _("Điều phối")
    INSPECTOR = "inspector", _("Kiểm tra, giám sát")
    ADMINISTRATOR = "administrator", _("Quản trị")


class Clearance(models.IntegerChoices):
    """Document classification levels; a grant reads documents up to its clearance."""

    NONE = 0, _("Thường")
    CONFIDENTIAL = 1, _("Mật")
    SECRET = 2, _("Tối mật")
    TOP_SECRET = 3, _("Tuyệt mật")


class Grant(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="grants", verbose_name=_("đơn vị")
    )
    include_subtree = models.BooleanField(_("gồm cả đơn vị trực thuộc"), default=True)
    clearance = models.PositiveSmallIntegerField(
        _("độ mật được xem"), choices=Clearance.choices, default=Clearance.NONE
    )

    class Meta:
        indexes = [models.Index(fields=["user", "role"])]
        verbose_name = _("phân quyền")

    def __str__(self):
        return f"{self.user_id} {self.role} @{self.unit_id}"
