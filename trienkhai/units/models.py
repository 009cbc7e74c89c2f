"""The organisation tree, its dated history, and the reorganisations that changed it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from trienkhai.tree.kinds import SUPPORT_KINDS, UnitKind
from trienkhai.tree.paths import PathField


class Unit(models.Model):
    """A unit as it is today (or was when it closed). Its past shapes live in UnitState."""

    code = models.CharField(_("mã"), max_length=64, unique=True)
    name = models.CharField(_("tên"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=100, blank=True)
    kind = models.CharField(_("loại"), max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = PathField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    child_seq = models.PositiveIntegerField(default=0, editable=False)
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("giải thể/hợp nhất từ"), null=True, blank=True)
    name_folded = models.CharField(max_length=400, editable=False, db_index=True)

    class Meta:
        ordering = ["path"]
        indexes = [
            models.Index(fields=["parent", "valid_to", "name"]),
            # "Every unit of this kind under P" (fan-out by kind): a range of this index
            # instead of a scan of the whole tree.
            models.Index(fields=["kind", "path"], name="unit_kind_path"),
            # The roots (depth 0) in path order: every page's default unit for a national user.
            models.Index(fields=["depth", "path"], name="unit_depth_path"),
        ]
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")

    def __str__(self):
        return self.name

    @property
    def is_open(self) -> bool:
        return self.valid_to is None

    @property
    def is_support(self) -> bool:
        return self.kind in SUPPORT_KINDS


class UnitState(models.Model):
    """One period of a unit's life: its name, kind and parent between two dates.

    The tree as of a date is the set of states valid on that date; valid_to is exclusive.
    """

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="states")
    parent = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="child_states"
    )
    name = models.CharField(max_length=255)
    short_name = models.CharField(max_length=100, blank=True)
    kind = models.CharField(max_length=32, choices=UnitKind.choices)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["unit", "valid_from"]
        indexes = [
            models.Index(fields=["parent", "valid_from"]),
            models.Index(fields=["unit", "valid_from"]),
        ]

    def __str__(self):
        return f"{self.name} ({self.valid_from}–{self.valid_to or ''})"


class Reorganisation(models.Model):
    """A dated operation on the tree, linking predecessors to successors."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Thành lập")
        RENAME = "rename", _("Đổi tên")
        MOVE = "move", _("Điều chuyển")
        MERGE = "merge", _("Hợp nhất, sáp nhập")
        SPLIT = "split", _("Chia tách")
        DISSOLVE = "dissolve", _("Giải thể")

    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    date = models.DateField(_("ngày hiệu lực"))
    note = models.TextField(_("ghi chú"), blank=True)
    decision = models.ForeignKey(
        "documents.Document",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reorganisations",
        verbose_name=_("quyết định"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("sắp xếp tổ chức")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"


class ReorganisationLink(models.Model):
    """Predecessor → successor. `takes_work` marks the successor that received open work."""

    operation = models.ForeignKey(Reorganisation, on_delete=models.PROTECT, related_name="links")
    predecessor = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="successor_links")
    successor = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="predecessor_links"
    )
    takes_work = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["predecessor"]), models.Index(fields=["successor"])]

    def __str__(self):
        return f"{self.predecessor_id} → {self.successor_id}"


class UnitImport(models.Model):
    """One uploaded unit file on its way through `units.imports.jobs`: progress, then result.

    Bookkeeping of the import itself, like the task queue's rows: the units it creates or changes
    are logged one by one in the change log; this row is not. The stored upload is deleted once
    the import has finished (kept after an unexpected failure, for the job's retry).
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Đang chờ xử lý")
        READING = "reading", _("Đang đọc tệp")
        CHECKING = "checking", _("Đang kiểm tra")
        APPLYING = "applying", _("Đang ghi")
        DONE = "done", _("Đã nhập xong")
        REFUSED = "refused", _("Có lỗi, chưa nhập")
        INTERRUPTED = "interrupted", _("Dừng giữa chừng")
        FAILED = "failed", _("Lỗi hệ thống")

    FINISHED = (State.DONE, State.REFUSED, State.INTERRUPTED, State.FAILED)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(upload_to="imports/%Y/%m/", blank=True)
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    language = models.CharField(max_length=10, default="vi")
    request_id = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    rows = models.PositiveIntegerField(default=0)  # rows read so far
    done = models.PositiveIntegerField(default=0)  # changes written so far
    total = models.PositiveIntegerField(default=0)  # changes to write
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [line, code, message], the first 1,000
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lần nhập đơn vị")

    def __str__(self):
        return f"{self.filename} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in self.FINISHED
