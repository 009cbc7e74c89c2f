"""Documents in edXML, the message format Vietnamese e-office systems exchange (QCVN 102:2016/
BTTTT, "Cấu trúc thông điệp dữ liệu công văn điện tử", the format of the national document
exchange axis): read an incoming message into a document to register, and write a registered
document (an issued report with its DOCX) as a message to send.

The parts used, all in the namespace http://www.mic.gov.vn/TBT/QCVN_102_2016:

    edXML
      edXMLEnvelope
        edXMLHeader/MessageHeader
          From (OrganId, OrganName), To* (OrganId, OrganName), DocumentId,
          Code (CodeNumber, CodeNotation), PromulgationInfo (Place, PromulgationDate),
          DocumentType (Type, TypeName), Subject, SignerInfo (Competence, Position, FullName),
          OtherInfo (Priority, PageAmount)
        edXMLBody/edXMLManifest/Reference* (ContentId, ContentType, AttachmentName)
      AttachmentEncoded/Attachment* (ContentId, ContentTransferEncoded: base64)

Limits of this version: `DocumentType/Type` is written as our own kind's name in TypeName only,
the standard's numeric type codes are not mapped; attachments travel base64-encoded inside the
message (AttachmentEncoded), not as separate MIME parts; the exchange axis's transport (its
SOAP/REST service and digital signatures) is left to the e-office system that sends the file.
"""

import base64
import binascii
import datetime
import uuid
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET  # noqa: S405 - writing only; reading uses defusedxml

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.utils.translation import gettext as _

from trienkhai.core.actions import ActionError
from trienkhai.core.text import fold
from trienkhai.documents.models import DocType, Urgency

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
MAX_BYTES = 30 * 1024 * 1024
PRIORITY = {"": "0", Urgency.URGENT: "1", Urgency.VERY_URGENT: "2", Urgency.FLASH: "3"}
URGENCY = {v: k for k, v in PRIORITY.items()}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


@dataclass
class Incoming:
    """What an edXML message says of its document, in the registry's terms."""

    symbol: str
    doc_type: str
    date: datetime.date
    subject: str
    place: str = ""
    signer: str = ""
    signer_position: str = ""
    authority: str = ""
    urgency: str = ""
    from_id: str = ""
    from_name: str = ""
    files: list[tuple[str, bytes]] = field(default_factory=list)


def _text(parent, *path: str) -> str:
    """The text at `path` below `parent` (children in the edXML namespace, or, as some senders
    write them, without one); "" when absent."""
    node = parent
    for tag in path:
        child = node.find(_q(tag))
        node = child if child is not None else node.find(tag)
        if node is None:
            return ""
    return (node.text or "").strip()


def _doc_type(name: str) -> str | None:
    wanted = fold(name)
    for value, label in DocType.choices:
        if fold(str(label)) == wanted:
            return value
    return None


def _symbol(number: str, notation: str) -> str:
    """ "21" + "KL/TW" → "21-KL/TW" (Party documents); "30" + "2020/NĐ-CP" → "30/2020/NĐ-CP"."""
    if not number:
        return notation
    if not notation:
        return number
    separator = "/" if notation[:4].isdigit() else "-"
    return f"{number}{separator}{notation}"


def read(content: bytes) -> Incoming:
    """Read an edXML message; an ActionError (in the user's language) says what is wrong."""
    if len(content) > MAX_BYTES:
        raise ActionError(
            _("Tệp edXML quá lớn (tối đa %(mb)s MB).") % {"mb": MAX_BYTES // (1024 * 1024)},
            field="file",
        )
    try:
        root = fromstring(content, forbid_dtd=True)
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise ActionError(
            _("Tệp không phải edXML đọc được: %(error)s") % {"error": exc}, field="file"
        ) from exc
    if root.tag != _q("edXML"):
        raise ActionError(
            _("Tệp không theo cấu trúc edXML (QCVN 102:2016/BTTTT): thiếu phần tử edXML."),
            field="file",
        )
    header = root.find(f"{_q('edXMLEnvelope')}/{_q('edXMLHeader')}/{_q('MessageHeader')}")
    if header is None:
        raise ActionError(_("Tệp edXML thiếu phần MessageHeader."), field="file")
    number, notation = _text(header, "Code", "CodeNumber"), _text(header, "Code", "CodeNotation")
    missing = [
        label
        for label, value in (
            (_("số, ký hiệu (Code)"), number or notation),
            (
                _("ngày ban hành (PromulgationDate)"),
                _text(header, "PromulgationInfo", "PromulgationDate"),
            ),
            (_("trích yếu (Subject)"), _text(header, "Subject")),
        )
        if not value
    ]
    if missing:
        raise ActionError(
            _("Tệp edXML thiếu: %(fields)s.") % {"fields": ", ".join(missing)}, field="file"
        )
    raw_date = _text(header, "PromulgationInfo", "PromulgationDate")
    try:
        date = datetime.date.fromisoformat(raw_date[:10])
    except ValueError:
        try:
            date = datetime.datetime.strptime(raw_date[:10], "%d/%m/%Y").date()
        except ValueError as exc:
            raise ActionError(
                _("Ngày ban hành “%(value)s” không đọc được.") % {"value": raw_date},
                field="file",
            ) from exc
    type_name = _text(header, "DocumentType", "TypeName")
    doc_type = _doc_type(type_name) or DocType.OTHER
    incoming = Incoming(
        symbol=_symbol(number, notation),
        doc_type=doc_type,
        date=date,
        subject=_text(header, "Subject"),
        place=_text(header, "PromulgationInfo", "Place")[:100],
        signer=_text(header, "SignerInfo", "FullName")[:150],
        signer_position=_text(header, "SignerInfo", "Position")[:150],
        authority=_text(header, "SignerInfo", "Competence")[:32],
        urgency=URGENCY.get(_text(header, "OtherInfo", "Priority"), ""),
        from_id=_text(header, "From", "OrganId"),
        from_name=_text(header, "From", "OrganName"),
    )
    incoming.files = _attachments(root)
    return incoming


def _attachments(root) -> list[tuple[str, bytes]]:
    names = {}
    manifest = root.find(f"{_q('edXMLEnvelope')}/{_q('edXMLBody')}/{_q('edXMLManifest')}")
    for ref in manifest.findall(_q("Reference")) if manifest is not None else []:
        names[_text(ref, "ContentId")] = _text(ref, "AttachmentName")
    files = []
    encoded = root.find(_q("AttachmentEncoded"))
    if encoded is None:
        encoded = root.find("AttachmentEncoded")
    for att in list(encoded) if encoded is not None else []:
        content_id = _text(att, "ContentId")
        if content_id not in names:
            raise ActionError(
                _("Tệp đính kèm %(id)s không có trong danh mục edXMLManifest.")
                % {"id": content_id},
                field="file",
            )
        try:
            data = base64.b64decode(_text(att, "ContentTransferEncoded"), validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ActionError(
                _("Tệp đính kèm %(name)s hỏng (base64).") % {"name": names[content_id]},
                field="file",
            ) from exc
        files.append((names[content_id] or f"{content_id}.bin", data))
    return files


def _add(parent, tag: str, text: str | None = None):
    node = ET.SubElement(parent, _q(tag))
    if text is not None:
        node.text = str(text)
    return node


def write(doc, *, to=(), files=()) -> bytes:
    """An edXML message for a registered document, from its issuing unit to `to` (units), with
    `files` ((name, content type, bytes)) attached."""
    ET.register_namespace("edXML", NS)
    root = ET.Element(_q("edXML"))
    envelope = _add(root, "edXMLEnvelope")
    header = _add(_add(envelope, "edXMLHeader"), "MessageHeader")
    sender = _add(header, "From")
    _add(sender, "OrganId", doc.issuing_unit.code)
    _add(sender, "OrganName", doc.issuing_unit.name)
    for unit in to:
        receiver = _add(header, "To")
        _add(receiver, "OrganId", unit.code)
        _add(receiver, "OrganName", unit.name)
    _add(header, "DocumentId", str(uuid.uuid4()))
    code = _add(header, "Code")
    _add(code, "CodeNumber", doc.number)
    _add(code, "CodeNotation", doc.symbol.removeprefix(doc.number).lstrip("-/"))
    promulgation = _add(header, "PromulgationInfo")
    _add(promulgation, "Place", doc.place)
    _add(promulgation, "PromulgationDate", doc.date.isoformat())
    kind = _add(header, "DocumentType")
    _add(kind, "TypeName", doc.get_doc_type_display())
    _add(header, "Subject", doc.subject)
    signer = _add(header, "SignerInfo")
    _add(signer, "Competence", doc.authority)
    _add(signer, "Position", doc.signer_position)
    _add(signer, "FullName", doc.signer)
    other = _add(header, "OtherInfo")
    _add(other, "Priority", PRIORITY.get(doc.urgency, "0"))
    manifest = _add(_add(envelope, "edXMLBody"), "edXMLManifest")
    encoded = _add(root, "AttachmentEncoded")
    for i, (name, content_type, content) in enumerate(files, start=1):
        reference = _add(manifest, "Reference")
        _add(reference, "ContentId", f"att{i}")
        _add(reference, "ContentType", content_type)
        _add(reference, "AttachmentName", name)
        attachment = _add(encoded, "Attachment")
        _add(attachment, "ContentId", f"att{i}")
        _add(attachment, "ContentTransferEncoded", base64.b64encode(content).decode())
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
