"""Report requests down the tree and the units' reports that answer them.

A `ReportRequest` is a unit asking the units below it for a report on one or more directives over
a period, by a deadline, following an outline (`OutlineSection`) and a statistical form
(`FormIndicator`). Each recipient unit gets one `UnitReport` (the request's assignment to it: it
is due, drafted, submitted on time or late, accepted or returned). The requesting unit's own
report is the one that consolidates them: `ReportRequest.answers` names it — the requester's
report on a request from the level above when the request passes one down (a cascade), else the
requester's own report on this request (`UnitReport.own`). A report's text lives per outline
section (`SectionText`), its figures per form indicator (`FigureValue`: the computed value and,
where a person typed one, the typed value with the reason).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trienkhai.tree.paths import PathField


class ReportKind(models.TextChoices):
    SIX_MONTHS = "six_months", _("Báo cáo 6 tháng")
    YEARLY = "yearly", _("Báo cáo năm")
    INTERIM = "interim", _("Báo cáo sơ kết")
    FINAL = "final", _("Báo cáo tổng kết")
    AD_HOC = "ad_hoc", _("Báo cáo đột xuất")


class RecipientRule(models.TextChoices):
    CHILDREN = "children", _("Mọi đơn vị trực thuộc")
    KINDS = "kinds", _("Mọi đơn vị thuộc các loại đã chọn trong phạm vi")


class ReportRequest(models.Model):
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="report_requests",
        verbose_name=_("đơn vị yêu cầu"),
    )
    unit_path = PathField(max_length=255)
    title = models.CharField(_("tên báo cáo"), max_length=300)
    kind = models.CharField(_("loại báo cáo"), max_length=16, choices=ReportKind.choices)
    directives = models.ManyToManyField(
        "documents.Document", related_name="report_requests", verbose_name=_("văn bản")
    )
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    deadline = models.DateField(_("hạn gửi báo cáo"))
    rule = models.CharField(_("đơn vị được yêu cầu"), max_length=16, choices=RecipientRule.choices)
    kinds = models.JSONField(_("loại đơn vị"), default=list, blank=True)
    # The requester's report this request gathers figures for (see the module's docstring).
    answers = models.ForeignKey(
        "reports.UnitReport",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sub_requests",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-deadline", "-id"]
        indexes = [models.Index(fields=["unit_path", "deadline"], name="rr_path_deadline")]
        verbose_name = _("yêu cầu báo cáo")

    def __str__(self):
        return self.title


class Facts(models.TextChoices):
    """What the system knows that an outline section starts from (reports.facts)."""

    NONE = "", _("Không")
    PLANS = "plans", _("Văn bản, kế hoạch đã ban hành")
    CONFERENCES = "conferences", _("Hội nghị học tập, quán triệt")
    INSPECTIONS = "inspections", _("Kiểm tra, giám sát và kết luận")
    PRACTICES = "practices", _("Mô hình, cách làm hay")
    OVERDUE = "overdue", _("Nhiệm vụ quá hạn và lý do")
    EXPLANATIONS = "explanations", _("Giải trình đã gửi")


class OutlineSection(models.Model):
    """One numbered section of the outline (đề cương): "I. Công tác lãnh đạo, chỉ đạo …"."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(_("số thứ tự"), max_length=12)
    title = models.CharField(_("tiêu đề"), max_length=300)
    guidance = models.TextField(_("hướng dẫn"), blank=True)
    facts = models.CharField(
        _("số liệu gợi ý"), max_length=16, choices=Facts.choices, blank=True, default=""
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["request", "order", "id"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class FormIndicator(models.Model):
    """One line of the statistical form (biểu mẫu): computed from the system's data (`figure`,
    a code of reports.figures) or entered by hand; a hand-entered one may name the computed
    figure it should agree with (`check_against`), so the consolidation can flag a unit whose
    written figure differs from its own data."""

    request = models.ForeignKey(ReportRequest, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("mã"), max_length=32)
    label = models.CharField(_("chỉ tiêu"), max_length=300)
    measure = models.CharField(_("đơn vị tính"), max_length=40, blank=True)
    definition = models.TextField(_("định nghĩa"), blank=True)
    figure = models.CharField(_("tính từ hệ thống"), max_length=40, blank=True)
    check_against = models.CharField(_("đối chiếu với"), max_length=40, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["request", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "code"], name="form_indicator_code_once")
        ]

    def __str__(self):
        return f"{self.code} {self.label}"

    @property
    def computed(self) -> bool:
        return bool(self.figure)


class ReportState(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa soạn")
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã gửi, chờ duyệt")
    RETURNED = "returned", _("Bị trả lại")
    ACCEPTED = "accepted", _("Đã chấp nhận")


class UnitReport(models.Model):
    request = models.ForeignKey(ReportRequest, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="reports")
    unit_path = PathField(max_length=255)
    due = models.DateField(_("hạn"))
    # The requester's own report on its own request (it consolidates; nobody above reviews it).
    own = models.BooleanField(default=False)
    state = models.CharField(
        _("tình trạng"), max_length=16, choices=ReportState.choices, default=ReportState.NOT_STARTED
    )
    prefilled_at = models.DateTimeField(null=True, blank=True)
    submitted_on = models.DateField(_("ngày gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    # The issued document (BC) once the unit issues its report.
    document = models.ForeignKey(
        "documents.Document", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What the issued document prints below the text (set when issuing).
    signer = models.CharField(_("người ký"), max_length=120, blank=True)
    position = models.CharField(_("chức vụ"), max_length=120, blank=True)
    authority = models.CharField(_("thẩm quyền ký"), max_length=120, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["unit_path", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "unit"], name="unit_report_once")]
        indexes = [
            models.Index(fields=["request", "unit_path"], name="ur_request_path"),
            models.Index(fields=["unit", "state", "due"], name="ur_unit_state_due"),
        ]
        verbose_name = _("báo cáo của đơn vị")

    def __str__(self):
        return f"{self.request_id} · {self.unit_id}"

    @property
    def late(self) -> bool:
        """Sent after its due date, or still not sent once it has passed."""
        if self.submitted_on is not None:
            return self.submitted_on > self.due
        return timezone.localdate() > self.due

    @property
    def sent(self) -> bool:
        return self.state in (ReportState.SUBMITTED, ReportState.ACCEPTED)


class SectionText(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="texts")
    section = models.ForeignKey(OutlineSection, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True)
    # The starting text the system wrote from its facts, kept to show what the drafter changed.
    suggested = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "section"], name="section_text_once")
        ]

    def __str__(self):
        return f"{self.report_id} · {self.section_id}"


class FigureValue(models.Model):
    """A report's figure for one form indicator: what the data say (`computed`, with its
    breakdown by child unit) and what the unit wrote (`entered`: a hand-entered indicator's
    value, or an override of a computed one, which needs a `reason`); both are kept and shown."""

    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="figures")
    indicator = models.ForeignKey(FormIndicator, on_delete=models.CASCADE, related_name="+")
    computed = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    breakdown = models.JSONField(default=dict, blank=True)
    entered = models.DecimalField(max_digits=20, decimal_places=4, null=True, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="figure_value_once")
        ]

    def __str__(self):
        return f"{self.report_id} · {self.indicator_id}"

    @property
    def value(self):
        """The figure the report states: the typed one where there is one."""
        return self.entered if self.entered is not None else self.computed

    @property
    def overridden(self) -> bool:
        return self.indicator.computed and self.entered is not None


class ReportFile(models.Model):
    report = models.ForeignKey(UnitReport, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="reports/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
