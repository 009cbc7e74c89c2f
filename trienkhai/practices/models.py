"""Good practices (mô hình, cách làm hay), their evidence files, and the units that adopted them.

A practice hangs on the unit that developed it. Visibility (see `practices.queries`): a practice
is visible to users who reach its unit, and to users below it — good practices are recorded to
be replicated, so what a province or the centre records is read by every level under it. A
sibling province's practices stay invisible, like every other record of that province.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class GoodPractice(models.Model):
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="good_practices",
        verbose_name=_("đơn vị"),
    )
    title = models.CharField(_("tên mô hình, cách làm"), max_length=300)
    description = models.TextField(_("nội dung"))
    directives = models.ManyToManyField(
        "documents.Document",
        blank=True,
        related_name="good_practices",
        verbose_name=_("văn bản liên quan"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    source = models.CharField(_("nguồn"), max_length=300, blank=True)
    search_text = models.TextField(default="", editable=False)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-year", "-id"]
        indexes = [models.Index(fields=["unit", "-year"], name="practice_unit_year")]
        verbose_name = _("mô hình, cách làm hay")

    def __str__(self):
        return self.title


def evidence_path(instance, filename: str) -> str:
    return f"practices/{instance.practice_id}/{instance.sha256[:16]}"


class PracticeEvidence(models.Model):
    """A file that documents a practice: stored under its hash, only served as a download."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to=evidence_path)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.original_name


class Adoption(models.Model):
    """Another unit took the practice up (nhân rộng)."""

    practice = models.ForeignKey(GoodPractice, on_delete=models.PROTECT, related_name="adoptions")
    unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="practice_adoptions",
        verbose_name=_("đơn vị áp dụng"),
    )
    adopted_on = models.DateField(_("ngày áp dụng"))
    note = models.TextField(_("ghi chú"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["adopted_on", "id"]
        constraints = [models.UniqueConstraint(fields=["practice", "unit"], name="adoption_once")]
        verbose_name = _("áp dụng, nhân rộng")

    def __str__(self):
        return f"{self.practice_id} → {self.unit_id}"
