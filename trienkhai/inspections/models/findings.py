"""What the notice of conclusions says about each inspected unit, and what it sends upward."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingKind(models.TextChoices):
    STRENGTH = "strength", _("Ưu điểm")
    SHORTCOMING = "shortcoming", _("Hạn chế, khuyết điểm")
    VIOLATION = "violation", _("Vi phạm")


class Finding(models.Model):
    part = models.ForeignKey(
        "inspections.InspectedUnit", on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(_("loại"), max_length=16, choices=FindingKind.choices)
    text = models.TextField(_("nội dung"))
    cause = models.TextField(_("nguyên nhân"), blank=True)
    responsibility = models.TextField(_("trách nhiệm"), blank=True)
    area = models.CharField(_("lĩnh vực"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["part", "order", "id"]
        indexes = [models.Index(fields=["kind", "part"])]
        verbose_name = _("kết luận")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:80]}"


class Recommendation(models.Model):
    """A recommendation (kiến nghị) the inspected side sends upward, and the answer."""

    part = models.ForeignKey(
        "inspections.InspectedUnit", on_delete=models.PROTECT, related_name="recommendations"
    )
    text = models.TextField(_("nội dung kiến nghị"))
    addressed_to = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("gửi tới")
    )
    response = models.TextField(_("trả lời"), blank=True)
    responded_on = models.DateField(_("ngày trả lời"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["part", "id"]

    def __str__(self):
        return self.text[:80]
