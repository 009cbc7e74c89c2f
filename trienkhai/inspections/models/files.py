"""Uploaded files kept on inspection records: stored once under their hash, served as downloads."""

from django.db import models


class StoredFile(models.Model):
    """An optional uploaded file (self-report, outline, remediation evidence)."""

    file = models.FileField(upload_to="inspections/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True

    @property
    def has_file(self) -> bool:
        return bool(self.file)
