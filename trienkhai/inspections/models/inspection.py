"""Programmes and inspections: who inspects whom, on which directives, and each dated step."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trienkhai.inspections.models.files import StoredFile


class Programme(models.Model):
    """A unit's yearly inspection & supervision programme, possibly run by a support body."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("cấp ủy")
    )
    acting_body = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan giúp việc thực hiện"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên chương trình"), max_length=500)
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("văn bản ban hành chương trình"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["unit", "year"])]
        verbose_name = _("chương trình kiểm tra, giám sát")

    def __str__(self):
        return f"{self.title} ({self.year})"


class InspectionKind(models.TextChoices):
    THEMATIC_INSPECTION = "thematic_inspection", _("Kiểm tra chuyên đề")
    THEMATIC_SUPERVISION = "thematic_supervision", _("Giám sát chuyên đề")
    ROUTINE_SUPERVISION = "routine_supervision", _("Giám sát thường xuyên")


class State(models.TextChoices):
    """The steps of Quyết định 331-QĐ/TW, in order; each move is a dated StepLog row."""

    PLANNED = "planned", _("Dự kiến")
    DECIDED = "decided", _("Đã có quyết định")
    ANNOUNCED = "announced", _("Đã công bố")
    SELF_REPORTS = "self_reports", _("Đã nhận báo cáo tự kiểm tra")
    VERIFYING = "verifying", _("Đang thẩm tra, xác minh")
    CONCLUDED = "concluded", _("Đã thông báo kết luận")
    REMEDIATION = "remediation", _("Theo dõi khắc phục")
    CLOSED = "closed", _("Kết thúc")


STATE_ORDER = [s.value for s in State]


class Inspection(models.Model):
    kind = models.CharField(_("loại"), max_length=32, choices=InspectionKind.choices)
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="inspections_made",
        verbose_name=_("cấp ủy kiểm tra, giám sát"),
    )
    acting_body = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("cơ quan giúp việc thực hiện"),
    )
    programme = models.ForeignKey(
        Programme,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
        verbose_name=_("chương trình"),
    )
    team_name = models.CharField(_("tên đoàn"), max_length=200, blank=True)
    title = models.CharField(_("nội dung"), max_length=1000)
    title_folded = models.CharField(max_length=1400, editable=False, default="")
    directives = models.ManyToManyField(
        "documents.Document", blank=True, related_name="inspections", verbose_name=_("văn bản")
    )
    decision = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("quyết định thành lập đoàn"),
    )
    notice = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("thông báo kết luận"),
    )
    outline_document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đề cương (văn bản)"),
    )
    period_from = models.DateField(_("thời kỳ kiểm tra từ"), null=True, blank=True)
    period_to = models.DateField(_("thời kỳ kiểm tra đến"), null=True, blank=True)
    work_from = models.DateField(_("thời gian làm việc từ"), null=True, blank=True)
    work_to = models.DateField(_("thời gian làm việc đến"), null=True, blank=True)
    work_extended_to = models.DateField(_("gia hạn đến"), null=True, blank=True)
    state = models.CharField(
        _("bước"), max_length=16, choices=State.choices, default=State.PLANNED, db_index=True
    )
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True)
    concluded_on = models.DateField(_("ngày kết luận"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["unit", "year"]), models.Index(fields=["concluded_on"])]
        verbose_name = _("cuộc kiểm tra, giám sát")

    def __str__(self):
        return self.team_name or self.title[:120]

    @property
    def issuing_unit(self):
        """Who signs its decisions and notices: the acting body if any, else the committee."""
        return self.acting_body or self.unit


class OutlineFile(StoredFile):
    """The outline (đề cương) for the self-reports, when uploaded as a file."""

    inspection = models.OneToOneField(Inspection, on_delete=models.PROTECT, related_name="outline")
    uploaded_at = models.DateTimeField(auto_now_add=True)


class InspectedUnit(models.Model):
    """One inspected organisation: its self-reports, findings and requests hang on this row."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="parts")
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="inspected_in",
        verbose_name=_("đối tượng"),
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["inspection", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "unit"], name="inspected_unit_once")
        ]
        verbose_name = _("đối tượng kiểm tra, giám sát")

    def __str__(self):
        return self.unit.name


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Trưởng đoàn")
    DEPUTY = "deputy", _("Phó trưởng đoàn")
    MEMBER = "member", _("Thành viên")


class TeamMember(models.Model):
    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="members")
    name = models.CharField(_("họ và tên"), max_length=150)
    position = models.CharField(_("chức vụ"), max_length=300, blank=True)
    role = models.CharField(
        _("vai trò"), max_length=16, choices=MemberRole.choices, default=MemberRole.MEMBER
    )
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["inspection", "order", "id"]

    def __str__(self):
        return self.name


class StepLog(models.Model):
    """One step taken: from which state to which, on which date, by whom."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="steps")
    from_state = models.CharField(max_length=16, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=State.choices)
    date = models.DateField(pgettext_lazy("date of a step", "ngày"))
    note = models.TextField(_("ghi chú"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["inspection", "date", "id"]

    def __str__(self):
        return f"{self.inspection_id} {self.to_state} {self.date}"


class SelfReport(StoredFile):
    """An inspected unit's self-report; a new upload is a new version, earlier ones are kept."""

    part = models.ForeignKey(InspectedUnit, on_delete=models.PROTECT, related_name="self_reports")
    number = models.PositiveSmallIntegerField(_("lần gửi"), default=1)
    submitted_on = models.DateField(_("ngày gửi"))
    note = models.TextField(_("ghi chú"), blank=True)
    document = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("báo cáo đã vào sổ"),
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["part", "-number"]
        constraints = [models.UniqueConstraint(fields=["part", "number"], name="self_report_once")]

    def __str__(self):
        return f"{self.part_id} #{self.number}"
