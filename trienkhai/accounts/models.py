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


class FailedLogin(models.Model):
    """Failed sign-ins counted for one (username, address) or one address (`accounts.throttle`).

    A row is forgotten once `forget_at` passes: a quiet window after the last failure, or after
    the end of the lock it caused, so a lock that follows a lock lasts longer.
    """

    BY_USER = "user"
    BY_ADDRESS = "address"

    scope = models.CharField(max_length=8)
    username = models.CharField(max_length=150, blank=True)
    ip_address = models.CharField(max_length=64)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField()
    locked_until = models.DateTimeField(null=True, blank=True)
    forget_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "username", "ip_address"], name="failed_login_once"
            )
        ]

    def __str__(self):
        return f"{self.scope} {self.username} @{self.ip_address}: {self.failures}"
