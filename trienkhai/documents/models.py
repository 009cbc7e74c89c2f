"""The document registry: Party and State documents, their attachments and their relations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from trienkhai.accounts.models import Clearance


class System(models.TextChoices):
    PARTY = "party", _("Văn bản của Đảng")
    STATE = "state", _("Văn bản của Nhà nước")


class DocType(models.TextChoices):
    """The document's kind. Its own field: the abbreviation alone is ambiguous (QĐ)."""

    RESOLUTION = "nghi_quyet", _("Nghị quyết")
    CONCLUSION = "ket_luan", _("Kết luận")
    DIRECTIVE = "chi_thi", _("Chỉ thị")
    DECISION = "quyet_dinh", _("Quyết định")
    REGULATION = "quy_dinh", _("Quy định")
    RULES = "quy_che", _("Quy chế")
    CIRCULAR_PARTY = "thong_tri", _("Thông tri")
    GUIDANCE = "huong_dan", _("Hướng dẫn")
    NOTICE = "thong_bao", _("Thông báo")
    REPORT = "bao_cao", _("Báo cáo")
    PLAN = "ke_hoach", _("Kế hoạch")
    PROGRAMME = "chuong_trinh", _("Chương trình")
    ACTION_PROGRAMME = "chuong_trinh_hanh_dong", _("Chương trình hành động")
    SUBMISSION = "to_trinh", _("Tờ trình")
    LETTER = "cong_van", _("Công văn")
    PROJECT = "de_an", _("Đề án")
    MINUTES = "bien_ban", _("Biên bản")
    DECREE = "nghi_dinh", _("Nghị định")
    CIRCULAR = "thong_tu", _("Thông tư")
    LAW = "luat", _("Luật")
    OTHER = "khac", _("Văn bản khác")


class Urgency(models.TextChoices):
    NORMAL = "", _("Thường")
    URGENT = "khan", _("Khẩn")
    VERY_URGENT = "thuong_khan", _("Thượng khẩn")
    FLASH = "hoa_toc", _("Hỏa tốc")


class Document(models.Model):
    """A registered document: identity is (issuing unit, type, number, term), not the symbol."""

    system = models.CharField(_("hệ thống"), max_length=8, choices=System.choices)
    doc_type = models.CharField(_("loại văn bản"), max_length=32, choices=DocType.choices)
    number = models.CharField(_("số"), max_length=16)
    type_code = models.CharField(_("ký hiệu loại"), max_length=16)
    issuer_code = models.CharField(_("ký hiệu cơ quan ban hành"), max_length=64)
    year = models.PositiveSmallIntegerField(_("năm (văn bản quy phạm)"), null=True, blank=True)
    symbol = models.CharField(_("số và ký hiệu"), max_length=100, db_index=True)
    issuing_unit = models.ForeignKey(
        "units.Unit",
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("cơ quan ban hành"),
    )
    co_issuers = models.ManyToManyField(
        "units.Unit", blank=True, related_name="co_issued_documents", verbose_name=_("liên tịch")
    )
    term = models.CharField(_("nhiệm kỳ, khóa"), max_length=32)
    date = models.DateField(_("ngày ban hành"), db_index=True)
    place = models.CharField(_("nơi ban hành"), max_length=100, blank=True)
    subject = models.TextField(_("trích yếu"))
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    authority = models.CharField(_("thẩm quyền ký"), max_length=32, blank=True)
    classification = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Clearance.choices, default=Clearance.NONE
    )
    urgency = models.CharField(
        _("độ khẩn"), max_length=16, choices=Urgency.choices, blank=True, default=""
    )
    search_text = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuing_unit", "doc_type", "number", "term"], name="document_identity"
            )
        ]
        indexes = [models.Index(fields=["issuing_unit", "-date"])]
        verbose_name = _("văn bản")
        verbose_name_plural = _("văn bản")

    def __str__(self):
        return f"{self.get_doc_type_display()} {self.symbol}"

    @property
    def is_classified(self) -> bool:
        return self.classification > Clearance.NONE


def attachment_path(instance, filename: str) -> str:
    return f"documents/{instance.document_id}/{instance.sha256[:16]}"


class Attachment(models.Model):
    """A file attached to a document. Stored under a hash, always served as a download."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=255)
    size = models.PositiveIntegerField()
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.original_name


class RelationKind(models.TextChoices):
    IMPLEMENTS = "implements", _("Thực hiện")
    BASED_ON = "based_on", _("Căn cứ")
    REPLACES = "replaces", _("Thay thế")
    AMENDS = "amends", _("Sửa đổi, bổ sung")
    REPEALS = "repeals", _("Bãi bỏ")
    CITES = "cites", _("Dẫn chiếu")
    REPORTS_ON = "reports_on", _("Báo cáo việc thực hiện")


class DocumentRelation(models.Model):
    """`source` <kind> `target`: a plan implements a directive, a regulation replaces another."""

    source = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="outgoing")
    target = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="incoming")
    kind = models.CharField(_("quan hệ"), max_length=16, choices=RelationKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target", "kind"], name="relation_once"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="relation_not_self"
            ),
        ]
        indexes = [models.Index(fields=["target", "kind"])]

    def __str__(self):
        return f"{self.source_id} {self.kind} {self.target_id}"
