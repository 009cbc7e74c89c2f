"""A subscription of another system to the events of a subtree, and each delivery to it."""

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return secrets.token_urlsafe(32)


class Subscription(models.Model):
    """Events logged at `unit` or below, of the chosen kinds, POSTed to `url`, signed with
    `secret` (HMAC-SHA256). Made and managed by administrators of the unit."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("tên"), max_length=200)
    url = models.URLField(_("địa chỉ nhận"), max_length=500)
    secret = models.CharField(max_length=64, default=new_secret)
    events = models.JSONField(_("loại sự kiện"), default=list, blank=True)  # prefixes; [] = all
    active = models.BooleanField(_("đang bật"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("webhook")

    def __str__(self):
        return self.name

    def wants(self, action: str) -> bool:
        return not self.events or any(action.startswith(prefix) for prefix in self.events)


class Delivery(models.Model):
    """One event sent (or being sent) to one subscription: the delivery log."""

    class State(models.TextChoices):
        PENDING = "pending", _("Đang gửi")
        OK = "ok", _("Đã nhận")
        FAILED = "failed", _("Không gửi được")

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    entry_id = models.BigIntegerField(null=True, blank=True)  # the change-log entry; None: a test
    event = models.CharField(max_length=100)
    payload = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "entry_id"],
                condition=models.Q(entry_id__isnull=False),
                name="webhook_delivery_once",
            )
        ]
        indexes = [models.Index(fields=["subscription", "-created_at"], name="webhook_log")]

    def __str__(self):
        return f"{self.event} → {self.subscription_id}"
