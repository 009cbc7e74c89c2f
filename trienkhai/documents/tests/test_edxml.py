"""edXML (QCVN 102:2016/BTTTT): a message built from the standard's structure is registered with
its attachments; a registered document goes out as a message that reads back the same; broken,
hostile or oversized messages change nothing and say why."""

import base64
import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.actions import ActionError
from trienkhai.documents import actions, edxml
from trienkhai.documents.models import DocType, Document, Urgency

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4 Ke hoach thuc hien Ket luan 21 " * 50


def message(
    *,
    number="05",
    notation="KH/TU",
    date="2021-12-10",
    type_name="Kế hoạch",
    subject="Thực hiện Kết luận số 21-KL/TW của Ban Chấp hành Trung ương",
    attachments=(("att1", "application/pdf", "ke-hoach-05.pdf", PDF),),
    priority="1",
    extra_manifest="",
    root="edXML:edXML",
    prolog="",
) -> bytes:
    """An edXML message written from the standard's published structure, by hand."""
    refs = "".join(
        f"<edXML:Reference><edXML:ContentId>{cid}</edXML:ContentId>"
        f"<edXML:ContentType>{ctype}</edXML:ContentType>"
        f"<edXML:AttachmentName>{name}</edXML:AttachmentName></edXML:Reference>"
        for cid, ctype, name, _data in attachments
    )
    encoded = "".join(
        f"<Attachment><ContentId>{cid}</ContentId><ContentTransferEncoded>"
        f"{base64.b64encode(data).decode()}</ContentTransferEncoded></Attachment>"
        for cid, _t, _n, data in attachments
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<{root} xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016">'
        "<edXML:edXMLEnvelope><edXML:edXMLHeader><edXML:MessageHeader>"
        "<edXML:From><edXML:OrganId>000.00.01.H01</edXML:OrganId>"
        "<edXML:OrganName>Tỉnh ủy An</edXML:OrganName></edXML:From>"
        "<edXML:To><edXML:OrganId>000.00.00.G01</edXML:OrganId>"
        "<edXML:OrganName>Văn phòng Trung ương Đảng</edXML:OrganName></edXML:To>"
        "<edXML:DocumentId>5b3c0d4e-0000-4000-8000-000000000001</edXML:DocumentId>"
        f"<edXML:Code><edXML:CodeNumber>{number}</edXML:CodeNumber>"
        f"<edXML:CodeNotation>{notation}</edXML:CodeNotation></edXML:Code>"
        "<edXML:PromulgationInfo><edXML:Place>An</edXML:Place>"
        f"<edXML:PromulgationDate>{date}</edXML:PromulgationDate></edXML:PromulgationInfo>"
        f"<edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>{type_name}"
        "</edXML:TypeName></edXML:DocumentType>"
        f"<edXML:Subject>{subject}</edXML:Subject>"
        "<edXML:SignerInfo><edXML:Competence>T/M BAN THƯỜNG VỤ</edXML:Competence>"
        "<edXML:Position>Phó Bí thư</edXML:Position>"
        "<edXML:FullName>Nguyễn Văn A</edXML:FullName></edXML:SignerInfo>"
        f"<edXML:OtherInfo><edXML:Priority>{priority}</edXML:Priority></edXML:OtherInfo>"
        "</edXML:MessageHeader></edXML:edXMLHeader>"
        f"<edXML:edXMLBody><edXML:edXMLManifest>{refs}{extra_manifest}</edXML:edXMLManifest>"
        "</edXML:edXMLBody></edXML:edXMLEnvelope>"
        f"<AttachmentEncoded>{encoded}</AttachmentEncoded></{root}>"
    ).encode()


@pytest.fixture
def coord_a(tree):
    return factories.user("dieuphoi-a", (Role.COORDINATOR, tree["prov_a"]))


def _post(client, user, content, unit, term="XVII"):
    client.force_login(user)
    return client.post(
        reverse("document-import-edxml"),
        {
            "file": SimpleUploadedFile("ke-hoach.edxml", content, "application/xml"),
            "issuing_unit": unit.code,
            "term": term,
        },
    )


def test_a_message_from_an_e_office_system_is_registered_with_its_file(client, tree, coord_a):
    response = _post(client, coord_a, message(), tree["prov_a"])
    assert response.status_code == 302, response.content.decode()[:3000]
    doc = Document.objects.get()
    assert (doc.symbol, doc.doc_type, doc.date) == (
        "05-KH/TU",
        DocType.PLAN,
        datetime.date(2021, 12, 10),
    )
    assert doc.subject.startswith("Thực hiện Kết luận số 21-KL/TW")
    assert (doc.signer, doc.signer_position, doc.authority) == (
        "Nguyễn Văn A",
        "Phó Bí thư",
        "T/M BAN THƯỜNG VỤ",
    )
    assert doc.urgency == Urgency.URGENT and doc.place == "An" and doc.term == "XVII"
    (attachment,) = doc.attachments.all()
    assert attachment.original_name == "ke-hoach-05.pdf"
    assert attachment.file.read() == PDF


def test_a_registered_document_goes_out_and_reads_back_the_same(client, tree, coord_a):
    doc = actions.register_with_attachments(
        coord_a,
        files=[("bao-cao.pdf", PDF)],
        symbol="12-BC/TU",
        doc_type=DocType.REPORT,
        issuing_unit=tree["prov_a"],
        term="XVII",
        date=datetime.date(2026, 11, 30),
        subject="Báo cáo kết quả thực hiện Kết luận 21",
        signer="Trần Thị B",
        signer_position="Bí thư",
        urgency=Urgency.FLASH,
    )
    client.force_login(coord_a)
    response = client.get(reverse("document-edxml", args=[doc.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response["Content-Disposition"].startswith("attachment")
    back = edxml.read(response.content)
    assert (back.symbol, back.doc_type, back.date, back.subject) == (
        "12-BC/TU",
        DocType.REPORT,
        datetime.date(2026, 11, 30),
        "Báo cáo kết quả thực hiện Kết luận 21",
    )
    assert (back.signer, back.signer_position, back.urgency) == (
        "Trần Thị B",
        "Bí thư",
        Urgency.FLASH,
    )
    assert back.from_id == tree["prov_a"].code and back.files == [("bao-cao.pdf", PDF)]
    # Someone who cannot read it gets nothing.
    client.force_login(factories.user("xem-b", (Role.VIEWER, tree["prov_b"])))
    assert client.get(reverse("document-edxml", args=[doc.pk])).status_code == 404


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"not xml at all", "không phải edXML"),
        (b"<?xml version='1.0'?><other/>", "thiếu phần tử edXML"),
        (message(subject=""), "trích yếu"),
        (message(date="10.12.2021"), "không đọc được"),
        (
            message(
                prolog='<!DOCTYPE edXML:edXML [<!ENTITY a "aaaaaaaaaa">'
                '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            ),
            "không phải edXML",
        ),
        (
            message(attachments=(("att9", "application/pdf", "x.pdf", PDF),)).replace(
                b"<edXML:ContentId>att9", b"<edXML:ContentId>att1"
            ),
            "danh mục",
        ),
        (message().replace(base64.b64encode(PDF)[:40], b"!!!!"), "base64"),
        (message(attachments=(("att1", "application/x-msdownload", "virus.exe", b"MZ"),)), "exe"),
    ],
)
def test_a_bad_message_changes_nothing_and_says_why(client, tree, coord_a, content, says):
    response = _post(client, coord_a, content, tree["prov_a"])
    assert response.status_code == 400
    assert says in response.content.decode()
    assert not Document.objects.exists()


def test_only_a_coordinator_of_the_issuing_unit_registers(client, tree, coord_a):
    response = _post(client, coord_a, message(), tree["prov_b"])
    assert response.status_code == 400 and not Document.objects.exists()


def test_an_oversized_message_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(edxml, "MAX_BYTES", 100)
    with pytest.raises(ActionError, match="quá lớn"):
        edxml.read(message())
