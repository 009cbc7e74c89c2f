"""Indicator sets attached to a directive (or a plan), their targets per unit and year, and the
values units report per period.

Storage for national scale: `Target` and `Value` copy their unit's path (`unit_path`), and
`Rollup` keeps, for every unit that has a reporting unit below it (itself included), the total and
the number of reporting units of one indicator in one period. The report action updates the
unit's row and its ancestors' rows in the same transaction, so a panel "by child unit" reads a
few hundred rows of `Rollup` whatever the size of the subtree. `queries.rebuild_rollups`
recomputes them from the values (after a unit moves, or to check them).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from trienkhai.tree.paths import PathField


class Direction(models.TextChoices):
    MORE = "more", _("Càng cao càng tốt")
    LESS = "less", _("Càng thấp càng tốt")


class Aggregation(models.TextChoices):
    SUM = "sum", _("Cộng dồn (tổng)")
    RATE = "rate", _("Tỷ lệ (%)")
    AVERAGE = "average", _("Bình quân")


class Period(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")


PERIODS_IN_YEAR = {Period.MONTH: 12, Period.QUARTER: 4, Period.YEAR: 1}


class Source(models.TextChoices):
    REPORTED = "reported", _("Đơn vị báo cáo")
    PLAN_COVERAGE = "plan_coverage", _("Tính từ hệ thống: đã ban hành kế hoạch thực hiện")
    CONFERENCES = "conferences", _("Tính từ hệ thống: số hội nghị quán triệt đã tổ chức")
    ON_TIME = "on_time", _("Tính từ hệ thống: tỷ lệ nhiệm vụ hoàn thành đúng hạn")
    REMEDIATION_CLOSED = (
        "remediation",
        _("Tính từ hệ thống: tỷ lệ yêu cầu khắc phục sau kiểm tra đã khắc phục xong"),
    )


class IndicatorSet(models.Model):
    document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        related_name="indicator_sets",
        verbose_name=_("văn bản"),
    )
    plan = models.ForeignKey(
        "tracking.Plan",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_sets",
        verbose_name=_("kế hoạch"),
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="indicator_sets",
        verbose_name=_("đơn vị giao chỉ tiêu"),
    )
    name = models.CharField(_("tên bộ chỉ tiêu"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "name", "id"]
        verbose_name = _("bộ chỉ tiêu")

    def __str__(self):
        return f"{self.name} ({self.year})"


class Indicator(models.Model):
    indicator_set = models.ForeignKey(
        IndicatorSet, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(_("mã"), max_length=32)
    name = models.CharField(_("tên chỉ tiêu"), max_length=300)
    definition = models.TextField(_("định nghĩa"), blank=True)
    measure = models.CharField(_("đơn vị tính"), max_length=40)
    direction = models.CharField(
        _("chiều"), max_length=8, choices=Direction.choices, default=Direction.MORE
    )
    aggregation = models.CharField(_("cách tổng hợp"), max_length=8, choices=Aggregation.choices)
    period = models.CharField(_("kỳ báo cáo"), max_length=8, choices=Period.choices)
    source = models.CharField(
        _("nguồn số liệu"), max_length=16, choices=Source.choices, default=Source.REPORTED
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["indicator_set", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_set", "code"], name="indicator_code_once")
        ]
        verbose_name = _("chỉ tiêu")

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def periods(self) -> int:
        return PERIODS_IN_YEAR[self.period]


class Target(models.Model):
    """A unit's target for one indicator and one year."""

    class Split(models.TextChoices):
        SET = "set", _("Giao trực tiếp")
        EVEN = "even", _("Chia đều từ cấp trên")
        WEIGHT = "weight", _("Chia theo trọng số từ cấp trên")
        MANUAL = "manual", _("Cấp trên giao từng đơn vị")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=255)
    year = models.PositiveSmallIntegerField()
    value = models.DecimalField(_("chỉ tiêu"), max_digits=18, decimal_places=4)
    split = models.CharField(max_length=8, choices=Split.choices, default=Split.SET)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["indicator", "unit", "year"], name="target_once")
        ]
        indexes = [models.Index(fields=["indicator", "year", "unit_path"], name="target_path")]
        verbose_name = _("chỉ tiêu giao")

    def __str__(self):
        return f"{self.indicator.code} · {self.year}: {self.value}"


class Value(models.Model):
    """The value a unit reached for one indicator in one period (1..12, 1..4 or 1)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=255)
    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    value = models.DecimalField(_("giá trị"), max_digits=18, decimal_places=4)
    computed = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "period"], name="value_once"
            )
        ]
        indexes = [models.Index(fields=["indicator", "year", "unit_path"], name="value_path")]
        verbose_name = _("số liệu chỉ tiêu")

    def __str__(self):
        return f"{self.indicator.code} · {self.period}/{self.year}: {self.value}"


class Rollup(models.Model):
    """The values of one indicator and period in a unit's subtree (the unit included): their
    total and how many units reported. Kept by `indicators.actions` with every value written."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    parent_id_copy = models.BigIntegerField(null=True)
    year = models.PositiveSmallIntegerField()
    period = models.PositiveSmallIntegerField()
    total = models.DecimalField(max_digits=22, decimal_places=4, default=0)
    reporting = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "unit", "year", "period"], name="rollup_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["indicator", "year", "parent_id_copy", "unit", "period"],
                name="rollup_children",
            )
        ]

    def __str__(self):
        return f"{self.indicator_id} · {self.unit_id} · {self.period}/{self.year}"


class Explanation(models.Model):
    """The level above asks a unit why one of its indicators is red (giải trình); the unit
    answers once. Counted with the tasks' explanations in the unit's record
    (`tracking.queries.EXPLANATION_SOURCES`)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="explanations")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    unit_path = PathField(max_length=255)
    year = models.PositiveSmallIntegerField()
    # What the asker saw: the projection and the target when asking, kept with the request.
    projected = models.DecimalField(max_digits=22, decimal_places=4, null=True)
    target = models.DecimalField(max_digits=18, decimal_places=4, null=True)
    question = models.TextField(_("nội dung yêu cầu giải trình"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    answer_by = models.DateField(_("hạn giải trình"))
    answer = models.TextField(_("nội dung giải trình"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # one open request per indicator and unit: asking again waits for the answer
            models.UniqueConstraint(
                fields=["indicator", "unit"],
                condition=models.Q(answered_at__isnull=True),
                name="indicator_explanation_open_once",
            )
        ]
        indexes = [models.Index(fields=["unit_path", "requested_at"], name="ind_expl_path")]
        verbose_name = _("giải trình chỉ tiêu")

    def __str__(self):
        return f"{self.indicator_id} · {self.unit_id} · {self.requested_at:%d/%m/%Y}"

    @property
    def answered_late(self) -> bool:
        """Answered after the day set (the local day of the answer counts)."""
        if self.answered_at is None:
            return False
        return timezone.localtime(self.answered_at).date() > self.answer_by
