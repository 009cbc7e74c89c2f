"""Dissemination conferences (hội nghị học tập, quán triệt) and their figures.

A Conference copies its host unit's path (`host_path`) and its totals (`total_points`,
`total_attendees`) so that "who held a conference, on time or late, with how many points and
attendees, by child unit" is one GROUP BY over a range of `host_path`, like tracking's
assignments. The copies are written only by `conferences.actions` (totals) and by the path hook
in `conferences.hooks` (unit moves). Conferences are history: they stay with their host when the
host closes, so no hand-over applies.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trienkhai.tree.paths import PathField


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("Trực tiếp")
    ONLINE = "online", _("Trực tuyến")
    HYBRID = "hybrid", _("Kết hợp trực tiếp và trực tuyến")


class Category(models.TextChoices):
    """Who the attendees were; "unspecified" holds a total the source does not break down."""

    PARTY_MEMBERS = "party_members", _("Đảng viên")
    KEY_OFFICIALS = "key_officials", _("Cán bộ chủ chốt")
    PUBLIC = "public", _("Quần chúng")
    OTHER = "other", _("Khác")
    UNSPECIFIED = "unspecified", _("Không phân loại")


class Conference(models.Model):
    host = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="conferences",
        verbose_name=_("đơn vị tổ chức"),
    )
    host_path = PathField(max_length=255)
    date = models.DateField(_("ngày tổ chức"))
    title = models.TextField(_("tên hội nghị"))
    format = models.CharField(_("hình thức"), max_length=16, choices=Format.choices)
    documents = models.ManyToManyField(
        "documents.Document",
        related_name="conferences",
        verbose_name=_("văn bản được quán triệt"),
    )
    members_expected = models.PositiveIntegerField(
        _("số đảng viên phải tham gia"), null=True, blank=True
    )
    members_attending = models.PositiveIntegerField(
        _("số đảng viên tham gia"), null=True, blank=True
    )
    non_member_attendances = models.PositiveIntegerField(
        _("lượt quần chúng tham dự"), null=True, blank=True
    )
    deadline = models.DateField(_("thời hạn tổ chức"), null=True, blank=True)
    deadline_assignment = models.ForeignKey(
        "tracking.Assignment",
        null=True,
        blank=True,
        # The handover may fold an assignment into its successor's; the date stays copied here.
        on_delete=models.SET_NULL,
        related_name="conferences",
        verbose_name=_("nhiệm vụ đặt thời hạn"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    total_points = models.PositiveIntegerField(default=0, editable=False)
    total_attendees = models.PositiveIntegerField(default=0, editable=False)
    search_text = models.TextField(default="", editable=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [
            # Covering for the roll-up: a range on the path, then the timing and the totals.
            models.Index(
                fields=["host_path", "date", "deadline", "total_points", "total_attendees"],
                name="conf_rollup",
            ),
            models.Index(fields=["host", "-date"], name="conf_host_date"),
            models.Index(fields=["date", "id"], name="conf_date"),
        ]
        verbose_name = _("hội nghị học tập, quán triệt")

    def __str__(self):
        return f"{self.title[:80]} ({self.date:%d/%m/%Y})"


class ConnectionPoints(models.Model):
    """Connection points (điểm cầu) at one level: "Cấp huyện: 13"."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="points")
    level = models.CharField(_("cấp"), max_length=100)
    count = models.PositiveIntegerField(_("số điểm cầu"))

    class Meta:
        ordering = ["conference", "id"]
        constraints = [
            models.UniqueConstraint(fields=["conference", "level"], name="conf_points_level_once")
        ]

    def __str__(self):
        return f"{self.level}: {self.count}"


class Attendance(models.Model):
    """Attendees at one level in one category: "Cấp xã, đảng viên: 1.200"."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="attendance")
    level = models.CharField(_("cấp"), max_length=100)
    category = models.CharField(_("thành phần"), max_length=16, choices=Category.choices)
    count = models.PositiveIntegerField(_("số người"))

    class Meta:
        ordering = ["conference", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "level", "category"], name="conf_attendance_once"
            )
        ]

    def __str__(self):
        return f"{self.level} / {self.category}: {self.count}"
