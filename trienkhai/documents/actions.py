"""Every write to the registry: register, edit, relate, attach. Each one logged."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from trienkhai.accounts.models import Role
from trienkhai.accounts.permissions import require
from trienkhai.accounts.scope import document_access, is_global, max_clearance
from trienkhai.core.actions import ActionError, record, snapshot
from trienkhai.core.dates import check_date
from trienkhai.core.files import check_upload, store_content
from trienkhai.core.text import fold
from trienkhai.documents import events
from trienkhai.documents.models import (
    Attachment,
    Document,
    DocumentRelation,
    RelationKind,
    System,
)
from trienkhai.documents.numbering import InvalidDocumentNumber, parse_symbol

EDITABLE = (
    "doc_type",
    "term",
    "date",
    "place",
    "subject",
    "signer",
    "signer_position",
    "authority",
    "classification",
    "urgency",
)


def require_readable(actor, documents, *, field: str, kept=()) -> None:
    """Refuse to link `documents` to a record unless `actor` may read each of them.

    A document outside the actor's sight is "not found" (its existence stays hidden); one they
    may know of but whose classification is above their clearance is refused as such. `kept`:
    documents already linked that the actor may not read, which an edit keeps as they were.
    """
    kept = {d.pk for d in kept}
    wanted = {d.pk for d in documents if d is not None and d.pk not in kept}
    if not wanted or actor is None or is_global(actor):
        return
    visible, readable = document_access(actor)
    found = Document.objects.filter(pk__in=sorted(wanted))
    if found.filter(visible).count() != len(wanted):
        raise ActionError(_("Không tìm thấy văn bản trong phạm vi của bạn."), field=field)
    if found.filter(readable).count() != len(wanted):
        raise ActionError(
            _(
                "Văn bản mật có độ mật cao hơn độ mật bạn được xem: không thể gắn văn bản này "
                "vào bản ghi."
            ),
            field=field,
        )


def unreadable_by(actor, documents) -> list:
    """Those of `documents` (a queryset) that `actor` may not read: an edit by the actor keeps
    them linked, as the form never showed them."""
    if actor is None or is_global(actor):
        return []
    return list(documents.exclude(pk__in=Document.objects.filter(document_access(actor)[1])))


def _search_text(doc: Document) -> str:
    return fold(
        " ".join(
            [
                doc.get_doc_type_display(),
                "số",
                doc.symbol,
                doc.number,
                doc.subject,
                doc.term,
                doc.place,
                doc.signer,
                # The issuer, so that "quang ninh" finds what Quảng Ninh's bodies issued.
                doc.issuing_unit.name,
                doc.issuing_unit.short_name,
            ]
        )
    )


def _apply_symbol(doc: Document, symbol: str) -> None:
    try:
        parsed = parse_symbol(symbol)
    except InvalidDocumentNumber as exc:
        raise ActionError(str(exc), field="symbol") from exc
    doc.number = parsed.number
    doc.type_code = parsed.type
    doc.issuer_code = parsed.issuer
    doc.year = parsed.year
    doc.system = System.PARTY if parsed.system == "party" else System.STATE
    doc.symbol = parsed.format()


def _check_classification(actor, classification) -> None:
    """Nobody files (or edits) a document above their own clearance."""
    if actor is None or classification is None:
        return
    if int(classification) > max_clearance(actor):
        raise ActionError(_("Độ mật vượt quá mức bạn được phép xem."), field="classification")


def _save_unique(doc: Document, **kwargs) -> None:
    try:
        with transaction.atomic():
            doc.save(**kwargs)
    except IntegrityError as exc:
        raise ActionError(
            _("Đã có văn bản %(type)s số %(number)s của %(unit)s trong nhiệm kỳ %(term)s.")
            % {
                "type": doc.get_doc_type_display(),
                "number": doc.number,
                "unit": doc.issuing_unit.name,
                "term": doc.term,
            },
            field="symbol",
        ) from exc


@transaction.atomic
def register_document(
    actor,
    *,
    symbol: str,
    doc_type: str,
    issuing_unit,
    term: str,
    date: datetime.date,
    subject: str,
    co_issuers=(),
    **fields,
) -> Document:
    """Register a document from its printed number-and-symbol and its metadata."""
    require(actor, Role.COORDINATOR, issuing_unit)
    if not subject or not subject.strip():
        raise ActionError(_("Trích yếu là bắt buộc."), field="subject")
    if not term or not term.strip():
        raise ActionError(_("Nhiệm kỳ (khóa) là bắt buộc."), field="term")
    check_date(date, "date")
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValueError(f"unknown document fields: {sorted(unknown)}")
    _check_classification(actor, fields.get("classification"))
    doc = Document(
        doc_type=doc_type,
        issuing_unit=issuing_unit,
        term=term.strip(),
        date=date,
        subject=subject.strip(),
        **fields,
    )
    _apply_symbol(doc, symbol)
    doc.search_text = _search_text(doc)
    _save_unique(doc)
    if co_issuers:
        doc.co_issuers.set(co_issuers)
    record(actor, "documents.register", doc, unit=issuing_unit, after=snapshot(doc))
    return doc


@transaction.atomic
def update_document(
    actor, doc: Document, *, expected_updated_at=None, symbol=None, **fields
) -> Document:
    """Edit a document. A stale `expected_updated_at` means someone else saved first: refuse."""
    doc = Document.objects.select_for_update().select_related("issuing_unit").get(pk=doc.pk)
    require(actor, Role.COORDINATOR, doc.issuing_unit)
    if expected_updated_at is not None and doc.updated_at != expected_updated_at:
        raise ActionError(
            _("Văn bản đã được người khác sửa lúc %(time)s. Hãy tải lại trang để xem thay đổi.")
            % {"time": timezone.localtime(doc.updated_at).strftime("%d/%m/%Y %H:%M:%S")}
        )
    _check_classification(actor, doc.classification)
    _check_classification(actor, fields.get("classification"))
    check_date(fields.get("date"), "date")
    before = snapshot(doc)
    for key, value in fields.items():
        if key not in EDITABLE:
            raise ValueError(f"field {key} is not editable")
        setattr(doc, key, value.strip() if isinstance(value, str) else value)
    if symbol is not None:
        _apply_symbol(doc, symbol)
    doc.search_text = _search_text(doc)
    _save_unique(doc)
    record(
        actor, "documents.update", doc, unit=doc.issuing_unit, before=before, after=snapshot(doc)
    )
    return doc


@transaction.atomic
def relate(actor, source: Document, target: Document, kind: str) -> DocumentRelation:
    require(actor, Role.COORDINATOR, source.issuing_unit)
    if source.pk == target.pk:
        raise ActionError(_("Một văn bản không thể liên kết với chính nó."), field="target")
    relation, created = DocumentRelation.objects.get_or_create(
        source=source, target=target, kind=kind
    )
    if created:
        record(
            actor, "documents.relate", relation, unit=source.issuing_unit, after=snapshot(relation)
        )
        if kind == RelationKind.IMPLEMENTS:
            events.implements_created(actor, source, target)
    return relation


@transaction.atomic
def unrelate(actor, relation: DocumentRelation) -> None:
    require(actor, Role.COORDINATOR, relation.source.issuing_unit)
    before = snapshot(relation)
    unit = relation.source.issuing_unit
    record(actor, "documents.unrelate", relation, unit=unit, before=before)
    relation.delete()


@transaction.atomic
def attach(actor, doc: Document, *, name: str, content: bytes) -> Attachment:
    """Store a file under its hash. Only listed types and sizes; never served inline."""
    require(actor, Role.COORDINATOR, doc.issuing_unit)
    content_type = check_upload(name, content)
    att = Attachment(document=doc)
    store_content(att, name, content, content_type)
    att.save()
    record(actor, "documents.attach", att, unit=doc.issuing_unit, after=snapshot(att))
    return att


@transaction.atomic
def register_with_attachments(actor, *, files=(), **kwargs) -> Document:
    """Register a document and attach `files` ((name, bytes) pairs): all of it, or nothing."""
    doc = register_document(actor, **kwargs)
    for name, content in files:
        attach(actor, doc, name=name, content=content)
    return doc


@transaction.atomic
def attach_many(actor, doc: Document, files) -> list[Attachment]:
    """Attach several files at once; one refused file refuses them all."""
    return [attach(actor, doc, name=name, content=content) for name, content in files]
