"""Remediation requests followed until the inspecting side has verified the remedy worked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trienkhai.inspections.models.files import StoredFile


class RequestState(models.TextChoices):
    OPEN = "open", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang khắc phục")
    REPORTED = "reported", _("Đã báo cáo khắc phục")
    CLOSED = "closed", _("Đã khắc phục")


class RemediationRequest(models.Model):
    part = models.ForeignKey(
        "inspections.InspectedUnit", on_delete=models.PROTECT, related_name="requests"
    )
    inspection = models.ForeignKey(
        "inspections.Inspection", on_delete=models.PROTECT, related_name="requests"
    )
    owner = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="remediation_requests",
        verbose_name=_("đơn vị thực hiện"),
    )
    text = models.TextField(_("nội dung yêu cầu khắc phục"))
    deadline = models.DateField(_("thời hạn"))
    issued_on = models.DateField(_("ngày yêu cầu"))
    state = models.CharField(
        _("tình trạng"),
        max_length=16,
        choices=RequestState.choices,
        default=RequestState.OPEN,
        db_index=True,
    )
    action_plan = models.TextField(_("kế hoạch khắc phục"), blank=True)
    action_plan_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("văn bản kế hoạch khắc phục"),
    )
    started_on = models.DateField(_("bắt đầu khắc phục"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["owner", "closed_on", "deadline"]),
            models.Index(fields=["inspection", "deadline"]),
        ]
        verbose_name = _("yêu cầu khắc phục")

    def __str__(self):
        return self.text[:100]

    def is_overdue(self, as_of) -> bool:
        return self.deadline < as_of and (self.closed_on is None or self.closed_on > as_of)


class RemediationReport(StoredFile):
    """What the owner unit reports it has done, with evidence."""

    request = models.ForeignKey(
        RemediationRequest, on_delete=models.PROTECT, related_name="reports"
    )
    reported_on = models.DateField(_("ngày báo cáo"))
    text = models.TextField(_("kết quả khắc phục"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "reported_on", "id"]


class Evaluation(models.Model):
    """The inspecting side's verdict on a reported remedy: only an effective one allows closing."""

    request = models.ForeignKey(
        RemediationRequest, on_delete=models.PROTECT, related_name="evaluations"
    )
    evaluated_on = models.DateField(_("ngày đánh giá"))
    effective = models.BooleanField(_("khắc phục có hiệu quả"))
    note = models.TextField(_("nhận xét"), blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "evaluated_on", "id"]

    def __str__(self):
        return f"{self.request_id} {self.evaluated_on} {self.effective}"
