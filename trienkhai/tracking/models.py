"""Plans, their tasks, each unit's assignment, progress reports and explanation requests.

The Assignment row is the fact every roll-up counts. It copies the unit's path and the root
directive so that "counts by child unit for directive D under unit U" is one index range scan
(see MEASUREMENTS.md and bench/README.md); the copies are kept right by hooks on unit moves.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from trienkhai.tree.paths import PathField


class Plan(models.Model):
    """A registered plan or programme (a Document) that implements directives or a higher plan."""

    document = models.OneToOneField(
        "documents.Document", on_delete=models.PROTECT, related_name="plan"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="plans")
    directive = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="plans_for_directive",
        verbose_name=_("văn bản gốc được triển khai"),
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("kế hoạch")

    def __str__(self):
        return str(self.document)


class TaskKind(models.TextChoices):
    ONE_OFF = "one_off", _("Có thời hạn")
    RECURRING = "recurring", _("Định kỳ")
    CONTINUOUS = "continuous", _("Thường xuyên")


class Period(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    HALF_YEARLY = "half_yearly", _("6 tháng")
    YEARLY = "yearly", _("Hằng năm")


class TargetDirection(models.TextChoices):
    MORE = "more", _("càng nhiều càng tốt")
    LESS = "less", _("càng ít càng tốt")


class TargetAggregation(models.TextChoices):
    # A count adds up the tree; a rate or an average is the mean over every assigned unit
    # below (each unit once, however deep), never the mean of the children's means.
    SUM = "sum", _("cộng dồn (số lượng)")
    AVERAGE = "average", _("bình quân (tỷ lệ, mức bình quân)")


class Task(models.Model):
    """One task of a plan, with the "5 rõ": what, who leads, who helps, by when, what results."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="tasks")
    number = models.CharField(_("số thứ tự"), max_length=16, blank=True)
    title = models.TextField(_("nội dung nhiệm vụ"))
    lead_unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="led_tasks", verbose_name=_("chủ trì")
    )
    cooperating_units = models.ManyToManyField(
        "units.Unit", blank=True, related_name="cooperating_tasks", verbose_name=_("phối hợp")
    )
    kind = models.CharField(_("loại"), max_length=16, choices=TaskKind.choices)
    period = models.CharField(_("kỳ"), max_length=16, choices=Period.choices, blank=True)
    deadline_text = models.CharField(_("thời hạn (như văn bản ghi)"), max_length=100, blank=True)
    deadline = models.DateField(_("thời hạn"), null=True, blank=True)
    starts_on = models.DateField(_("bắt đầu từ"), null=True, blank=True)
    ends_on = models.DateField(_("kết thúc"), null=True, blank=True)
    deliverable = models.TextField(_("sản phẩm"), blank=True)
    target_value = models.DecimalField(
        _("chỉ tiêu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    target_unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    target_direction = models.CharField(
        _("chiều của chỉ tiêu"),
        max_length=8,
        choices=TargetDirection.choices,
        default=TargetDirection.MORE,
    )
    target_aggregation = models.CharField(
        _("cách tổng hợp chỉ tiêu"),
        max_length=8,
        choices=TargetAggregation.choices,
        default=TargetAggregation.SUM,
    )
    requires_plan = models.BooleanField(
        _("yêu cầu cấp dưới ban hành kế hoạch"),
        default=False,
        help_text=_(
            "Hoàn thành khi đơn vị đăng ký văn bản thực hiện văn bản gốc hoặc kế hoạch này."
        ),
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "id"]
        verbose_name = _("nhiệm vụ")

    def __str__(self):
        return f"{self.number} {self.title[:80]}".strip()


class Occurrence(models.Model):
    """One due date of a task: the only one for a one-off task, one per period otherwise.

    Recurring occurrences are created ahead of time; an occurrence that has been completed by
    every assignee is frozen.
    """

    task = models.ForeignKey(Task, on_delete=models.PROTECT, related_name="occurrences")
    label = models.CharField(_("kỳ"), max_length=50)
    period_start = models.DateField()
    period_end = models.DateField()
    due = models.DateField(_("hạn"))

    class Meta:
        ordering = ["task", "due"]
        constraints = [models.UniqueConstraint(fields=["task", "due"], name="occurrence_once")]

    def __str__(self):
        return f"{self.task_id} {self.label}"


class Assignment(models.Model):
    """One unit's share of one occurrence: what roll-ups, coverage and overdue lists count."""

    # No index of their own for occurrence, task and unit: `assignment_once`, `asg_task_id` and
    # `asg_unit_due` lead with them, and each index is paid again for every row a fan-out adds.
    occurrence = models.ForeignKey(
        Occurrence, on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    task = models.ForeignKey(
        Task, on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    directive = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,  # the covering index below leads with it; a second one misleads planners
    )
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="assignments", db_index=False
    )
    unit_path = PathField(max_length=255)
    assigned_by = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="assignments_given"
    )
    due = models.DateField(_("hạn"))
    requires_plan = models.BooleanField(default=False)
    started_on = models.DateField(_("bắt đầu thực hiện"), null=True, blank=True)
    completed_on = models.DateField(_("hoàn thành ngày"), null=True, blank=True)
    # The date of a completion the unit reported and nobody has accepted yet (tracking/status.py).
    claimed_on = models.DateField(_("báo cáo hoàn thành ngày (chờ duyệt)"), null=True, blank=True)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    fulfilled_by = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fulfilled_assignments",
    )
    # The unit's share of the task's numeric target for this period (tracking/targets.py).
    target = models.DecimalField(
        _("chỉ tiêu của đơn vị"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    # The amount reached to date: that of the latest accepted report giving one (a report's
    # amount is cumulative to date, not an increment); `reached_pending`, that of a later
    # report still awaiting review, shown apart and never added to `reached`.
    reached = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    reached_pending = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["occurrence", "unit"], name="assignment_once")
        ]
        indexes = [
            # Covering: a roll-up for (directive, subtree) is an index-only range scan.
            models.Index(
                fields=["directive", "unit_path", "due", "completed_on", "started_on"],
                name="asg_rollup",
            ),
            models.Index(fields=["due", "id"], name="asg_due"),
            # A directive's overdue list, oldest first, without sorting its rows.
            models.Index(fields=["directive", "due", "id"], name="asg_directive_due"),
            # Plan coverage reads only the obligations: an index-only scan of a small index.
            models.Index(
                fields=["directive", "unit_path", "unit", "due", "completed_on"],
                name="asg_plan_obligation",
                condition=models.Q(requires_plan=True),
            ),
            models.Index(fields=["unit_path", "due"], name="asg_path_due"),
            # The obligations not yet met, in path order (the page's "missing" list, every
            # directive): an ordered range of the obligations only, not of every assignment.
            models.Index(
                fields=["unit_path", "due", "unit", "completed_on"],
                name="asg_obligation_path",
                condition=models.Q(requires_plan=True),
            ),
            # One unit's obligations under every directive (refolded by the coverage triggers).
            models.Index(
                fields=["unit", "due", "completed_on", "unit_path"],
                name="asg_unit_obligation",
                condition=models.Q(requires_plan=True),
            ),
            models.Index(fields=["unit", "due"], name="asg_unit_due"),
            # The fan-out's "rows of this task above id N" (its new rows): a probe, not a walk
            # of the primary key backwards through every assignment.
            models.Index(fields=["task", "id"], name="asg_task_id"),
            # Reached against target under a subtree for one task: an index-only range scan
            # of the targeted rows only.
            models.Index(
                fields=["task", "occurrence", "unit_path", "target", "reached", "reached_pending"],
                name="asg_target",
                condition=models.Q(target__isnull=False),
            ),
        ]
        verbose_name = _("phân công")

    def __str__(self):
        return f"{self.task_id}@{self.unit_id} {self.due}"


class RollupCounter(models.Model):
    """How many assignments of a directive under one child of the root share the four dates.

    Kept by database triggers on `Assignment` (tracking/counters.py), so every write path — the
    actions, the fan-out's INSERT … SELECT, unit moves — keeps it right in the same transaction.
    Keyed by the four dates a status depends on, `status_case` over these rows gives the exact
    counts for any as-of date, which makes the country-wide roll-up, ranking and trend read
    thousands of rows instead of hundreds of thousands. "Never" is stored as 9999-12-31 rather
    than NULL so that the key is unique on both engines (NULLs never conflict).
    """

    directive_id = models.BigIntegerField()
    top_path = PathField(max_length=8)  # the child of the root (or the root itself) holding the row
    due = models.DateField()
    started_on = models.DateField()
    completed_on = models.DateField()
    claimed_on = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "directive_id",
                    "top_path",
                    "due",
                    "started_on",
                    "completed_on",
                    "claimed_on",
                ],
                name="rollup_counter_key",
            )
        ]
        indexes = [
            # All directives at once: the rows not yet settled at a date (see SettledCounter),
            # and the ranking's rows due in a period.
            models.Index(
                fields=["completed_on", "claimed_on", "due"], name="rollup_counter_settle"
            ),
            models.Index(fields=["due"], name="rollup_counter_due"),
        ]

    def __str__(self):
        return f"{self.directive_id} {self.top_path} {self.due}: {self.n}"


class SettledCounter(models.Model):
    """Assignments of every directive whose status no longer depends on the as-of date, per
    child of the root, month and that final status — the "all directives" country page.

    An assignment completed on C is done (on time or late) for any as-of date from C on; one
    whose completion the unit reported on R awaits review for any date from R on; one neither
    completed nor reported is overdue from the day after its due date D. So from the month after
    `settle` = C (or R, or D) its status is fixed, and counting those per month answers, for a date
    T, everything settled before T's month; the rows of `RollupCounter` settling from that
    month on (an index range) are evaluated exactly. Without it the page summed all ~786,000
    counter rows of every directive. Kept by triggers with the others (tracking/counters.py).
    """

    top_path = PathField(max_length=8)
    month = models.DateField()  # the first day of the month of `settle`
    # done_on_time, done_late, overdue; or "pending": a completion awaiting review
    status = models.CharField(max_length=16)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["top_path", "month", "status"], name="settled_counter_key"
            )
        ]

    def __str__(self):
        return f"{self.top_path} {self.month} {self.status}: {self.n}"


class PlanCoverage(models.Model):
    """One unit's plan obligations under one directive, folded: when they were all met, and
    when the first was met late ("never" = 9999-12-31). Kept by triggers with `CoverageCounter`
    (tracking/counters.py); coverage counts units, so it needs each unit once."""

    directive_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    top_path = PathField(max_length=8)
    met_on = models.DateField()
    late_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["directive_id", "unit_id"], name="plan_coverage_key")
        ]

    def __str__(self):
        return f"{self.directive_id} {self.unit_id}"


class CoverageCounter(models.Model):
    """How many units under one child of the root met their obligations on the same dates:
    the country-wide coverage of a directive, exact for any as-of date."""

    directive_id = models.BigIntegerField()
    top_path = PathField(max_length=8)
    met_on = models.DateField()
    late_on = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["directive_id", "top_path", "met_on", "late_on"],
                name="coverage_counter_key",
            )
        ]

    def __str__(self):
        return f"{self.directive_id} {self.top_path}: {self.n}"


class UnitCoverage(models.Model):
    """One unit's plan obligations under every directive, folded like `PlanCoverage`: the
    coverage of the country page when no directive is chosen counts each unit once."""

    unit_id = models.BigIntegerField(unique=True)
    top_path = PathField(max_length=8)
    met_on = models.DateField()
    late_on = models.DateField()

    def __str__(self):
        return f"{self.unit_id}"


class UnitCoverageCounter(models.Model):
    """How many units under one child of the root met all their obligations (any directive)
    on the same dates: `CoverageCounter` for "every directive"."""

    top_path = PathField(max_length=8)
    met_on = models.DateField()
    late_on = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["top_path", "met_on", "late_on"], name="unit_coverage_counter_key"
            )
        ]

    def __str__(self):
        return f"{self.top_path}: {self.n}"


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", _("Đã gửi")
    ACCEPTED = "accepted", _("Đã chấp nhận")
    RETURNED = "returned", pgettext_lazy("report state", "Trả lại")


class ProgressReport(models.Model):
    """What the assigned unit reports for a period; the assigning unit accepts or returns it."""

    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="reports")
    # The assigning unit's path (`Assignment.assigned_by`), copied so that the review queue of a
    # subtree is one range of a partial index, not a walk from plans to assignments to reports.
    # Kept by the unit-move hooks like `Assignment.unit_path`.
    assigner_path = PathField(max_length=255, default="")
    reported_on = models.DateField(_("ngày báo cáo"))
    done = models.BooleanField(_("đã hoàn thành"), default=False)
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    narrative = models.TextField(_("nội dung"), blank=True)
    target_reached = models.DecimalField(
        _("chỉ tiêu đạt được"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    documents = models.ManyToManyField("documents.Document", blank=True, related_name="+")
    state = models.CharField(
        max_length=16, choices=ReportState.choices, default=ReportState.SUBMITTED
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["assignment", "-reported_on"]),
            # The review queue: only the reports not yet decided, by assignment and by age.
            models.Index(
                fields=["assignment"],
                name="report_waiting",
                condition=models.Q(state="submitted"),
            ),
            # The state is a column of these partial indexes too: SQLite cannot tell that a
            # parameter `state = ?` matches the index's condition, and without the column it
            # reads every row's state from the table (80 ms to count the country's queue).
            models.Index(
                fields=["submitted_at", "id", "state"],
                name="report_waiting_age_state",
                condition=models.Q(state="submitted"),
            ),
            # A coordinator's queue: the waiting reports of the subtrees they coordinate.
            models.Index(
                fields=["assigner_path", "submitted_at", "id", "state"],
                name="report_waiting_path_state",
                condition=models.Q(state="submitted"),
            ),
        ]

    def __str__(self):
        return f"{self.assignment_id} {self.reported_on}"


class Evidence(models.Model):
    """A file attached to a report: stored under its hash, only served as a download."""

    report = models.ForeignKey(ProgressReport, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="evidence/")
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.original_name


class ExplanationRequest(models.Model):
    """A coordinator asks a late unit to explain (giải trình); the answer stays on the task."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.PROTECT, related_name="explanations"
    )
    question = models.TextField(_("nội dung yêu cầu giải trình"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # The day by which the unit must answer; an answer after it counts as answered late
    # (tracking.queries.explanation_counts). Null for requests made before it existed.
    answer_by = models.DateField(_("hạn giải trình"), null=True, blank=True)
    answer = models.TextField(_("nội dung giải trình"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.assignment_id} {self.requested_at:%d/%m/%Y}"
