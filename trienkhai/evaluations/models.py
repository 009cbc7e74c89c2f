"""Evaluation periods with their rules as data, and one evaluation per organisation and period.

An evaluation walks four dated steps: the organisation rates itself, the reviewing body (the
level above, or its organisation commission acting for it) proposes, the level above's standing
committee decides, and the organisation is notified. Before the decision, the reviewing body or
the decider may return it to the organisation with a reason, which reopens self-rating. Each
step keeps its own score and level, so the screen can show how a rating moved. Members' ratings
are counts per organisation, never records of persons.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    COMPLETE = "complete", _("Hoàn thành nhiệm vụ")
    NOT_COMPLETE = "not_complete", _("Không hoàn thành nhiệm vụ")


LEVEL_ORDER = (Level.EXCELLENT, Level.GOOD, Level.COMPLETE, Level.NOT_COMPLETE)
GOOD_OR_BETTER = frozenset({Level.EXCELLENT, Level.GOOD})


class State(models.TextChoices):
    OPEN = "open", _("Chưa tự đánh giá")
    RETURNED = "returned", _("Trả lại để tự đánh giá lại")
    SELF_RATED = "self_rated", _("Đã tự đánh giá")
    REVIEWED = "reviewed", _("Đã thẩm định, đề xuất")
    DECIDED = "decided", _("Đã quyết định")
    NOTIFIED = "notified", _("Đã thông báo")


def _score(verbose):
    return models.DecimalField(verbose, max_digits=4, decimal_places=1, null=True, blank=True)


def _level(verbose):
    return models.CharField(verbose, max_length=16, choices=Level.choices, blank=True)


class EvaluationPeriod(models.Model):
    """A year's classification, with the scale, thresholds, conditions and cap that apply to the
    subtree of `unit` (normally the centre). Editing the rules is an administrator's act."""

    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="evaluation_periods",
        verbose_name=_("cấp ban hành quy định"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    name = models.CharField(_("tên kỳ đánh giá"), max_length=200)
    ends_on = models.DateField(_("ngày cuối kỳ"))
    general_max = models.PositiveSmallIntegerField(_("điểm tối đa phần chung"))
    results_max = models.PositiveSmallIntegerField(_("điểm tối đa phần kết quả"))
    excellent_min = models.PositiveSmallIntegerField(_("điểm tối thiểu mức xuất sắc"))
    excellent_on_time_min = models.PositiveSmallIntegerField(
        _("tỷ lệ nhiệm vụ đúng hạn tối thiểu mức xuất sắc (%)")
    )
    excellent_exceeded_min = models.PositiveSmallIntegerField(
        _("tỷ lệ chỉ tiêu vượt mức tối thiểu mức xuất sắc (%)")
    )
    good_min = models.PositiveSmallIntegerField(_("điểm tối thiểu mức tốt"))
    complete_min = models.PositiveSmallIntegerField(_("điểm tối thiểu mức hoàn thành"))
    cap_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("tỷ lệ xuất sắc tối đa (% số tổ chức xếp loại tốt trở lên)")
    )
    disqualifiers = models.JSONField(
        _("điều kiện xếp loại không hoàn thành nhiệm vụ"), default=list
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="evaluation_period_once")
        ]
        verbose_name = _("kỳ đánh giá, xếp loại")

    def __str__(self):
        return self.name

    @property
    def max_total(self) -> int:
        return self.general_max + self.results_max

    @property
    def starts_on(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)


class Evaluation(models.Model):
    """One organisation's classification in one period, decided by the unit above it."""

    period = models.ForeignKey(
        EvaluationPeriod, on_delete=models.PROTECT, related_name="evaluations"
    )
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("tổ chức đảng"),
    )
    decider = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="evaluations_decided",
        verbose_name=_("cấp quyết định"),
    )
    reviewer = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="evaluations_reviewed",
        verbose_name=_("cơ quan thẩm định"),
    )
    state = models.CharField(
        _("trạng thái"), max_length=16, choices=State.choices, default=State.OPEN
    )

    # Facts of the year that the top level's conditions test.
    on_time_percent = models.DecimalField(
        _("tỷ lệ nhiệm vụ hoàn thành đúng hạn (%)"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
    )
    exceeded_percent = models.DecimalField(
        _("tỷ lệ chỉ tiêu vượt mức (%)"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    # Members' ratings, as counts only.
    members_excellent = models.PositiveIntegerField(_("đảng viên HTXSNV"), default=0)
    members_good = models.PositiveIntegerField(_("đảng viên HTTNV"), default=0)
    members_complete = models.PositiveIntegerField(_("đảng viên HTNV"), default=0)
    members_not_complete = models.PositiveIntegerField(_("đảng viên KHTNV"), default=0)
    members_not_rated = models.PositiveIntegerField(_("đảng viên chưa xếp loại"), default=0)

    self_general = _score(_("tự chấm: phần chung"))
    self_results = _score(_("tự chấm: phần kết quả"))
    self_level = _level(_("mức tự xếp loại"))
    self_disqualifiers = models.JSONField(default=list, blank=True)
    self_narrative = models.TextField(_("báo cáo kiểm điểm"), blank=True)
    self_rated_on = models.DateField(_("ngày tự đánh giá"), null=True, blank=True)
    self_rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    review_general = _score(_("thẩm định: phần chung"))
    review_results = _score(_("thẩm định: phần kết quả"))
    review_level = _level(_("mức đề xuất"))
    review_disqualifiers = models.JSONField(default=list, blank=True)
    review_narrative = models.TextField(_("ý kiến thẩm định"), blank=True)
    reviewed_on = models.DateField(_("ngày thẩm định"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    final_general = _score(_("quyết định: phần chung"))
    final_results = _score(_("quyết định: phần kết quả"))
    decided_level = _level(_("mức quyết định"))
    decided_disqualifiers = models.JSONField(default=list, blank=True)
    decision_note = models.TextField(_("ghi chú quyết định"), blank=True)
    cap_override_reason = models.TextField(_("lý do vượt tỷ lệ xuất sắc"), blank=True)
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The latest return to the organisation (every return stays in the change log).
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    returned_on = models.DateField(_("ngày trả lại"), null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    notified_on = models.DateField(_("ngày thông báo"), null=True, blank=True)
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period", "decider", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="evaluation_once_per_period")
        ]
        indexes = [
            models.Index(fields=["period", "decider"], name="eval_period_decider"),
            models.Index(fields=["period", "decided_level"], name="eval_period_level"),
        ]
        verbose_name = _("đánh giá, xếp loại")

    def __str__(self):
        return f"{self.unit} — {self.period}"

    @staticmethod
    def _total(general, results):
        if general is None or results is None:
            return None
        return general + results

    @property
    def self_total(self):
        return self._total(self.self_general, self.self_results)

    @property
    def review_total(self):
        return self._total(self.review_general, self.review_results)

    @property
    def final_total(self):
        return self._total(self.final_general, self.final_results)

    @property
    def current_level(self) -> str:
        """The latest level on record: decided, else proposed, else self-rated."""
        return self.decided_level or self.review_level or self.self_level

    @property
    def top_claimed(self) -> bool:
        """Rated, proposed or decided at the top level at some step."""
        return Level.EXCELLENT in (self.self_level, self.review_level, self.decided_level)

    @property
    def members_total(self) -> int:
        return (
            self.members_excellent
            + self.members_good
            + self.members_complete
            + self.members_not_complete
            + self.members_not_rated
        )
