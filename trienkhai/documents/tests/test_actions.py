"""Writes to the registry: parsing, identity, stale edits, relations, attachments, the log."""

import datetime
import hashlib

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role
from trienkhai.core import files
from trienkhai.core.actions import ActionError
from trienkhai.core.models import ChangeLogEntry
from trienkhai.core.queries import history_for
from trienkhai.documents import actions
from trienkhai.documents.models import Attachment, DocType, Document, RelationKind, System

D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Attachments go to a throw-away folder, not the data directory."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def coord(tree):
    return factories.user("coord-a", (Role.COORDINATOR, tree["prov_a"]))


def register(actor, unit, symbol="21-KL/TU", term="XVII", **fields):
    fields.setdefault("doc_type", DocType.CONCLUSION)
    fields.setdefault("date", D(2022, 3, 1))
    fields.setdefault("subject", "Về công tác cán bộ")
    return actions.register_document(actor, symbol=symbol, issuing_unit=unit, term=term, **fields)


def test_register_parses_the_printed_symbol(tree, coord):
    doc = register(coord, tree["prov_a"], symbol="21 - KLTU")
    doc.refresh_from_db()
    assert (doc.symbol, doc.number, doc.type_code, doc.issuer_code) == (
        "21-KL/TU",
        "21",
        "KL",
        "TU",
    )
    assert doc.system == System.PARTY
    state = register(coord, tree["prov_a"], symbol="283/KH-UBND", doc_type=DocType.PLAN)
    assert state.system == System.STATE and state.issuer_code == "UBND"
    entry = ChangeLogEntry.objects.get(action="documents.register", object_id=str(doc.pk))
    assert entry.user == coord and entry.unit_id == tree["prov_a"].pk


def test_identity_is_unit_type_number_term(tree, coord):
    register(coord, tree["prov_a"])
    with pytest.raises(ActionError) as err:
        register(coord, tree["prov_a"], subject="Bản trùng")
    assert err.value.field == "symbol" and "XVII" in str(err.value.message)
    assert Document.objects.count() == 1
    # The same symbol in the next term is another document.
    register(coord, tree["prov_a"], term="XVIII", date=D(2026, 1, 5))
    assert Document.objects.filter(symbol="21-KL/TU").count() == 2


def test_bad_symbol_names_the_part_and_saves_nothing(tree, coord):
    with pytest.raises(ActionError) as err:
        register(coord, tree["prov_a"], symbol="21-XX/TU")
    assert err.value.field == "symbol"
    assert "loại văn bản" in str(err.value.message) and "XX" in str(err.value.message)
    with pytest.raises(ActionError) as err:
        register(coord, tree["prov_a"], symbol="21-KL/")
    assert "cơ quan ban hành" in str(err.value.message)
    assert not Document.objects.exists()
    assert not ChangeLogEntry.objects.filter(action="documents.register").exists()


def test_register_needs_coordinator_of_the_issuing_unit(tree, coord):
    viewer = factories.user("viewer-a", (Role.VIEWER, tree["prov_a"]))
    with pytest.raises(ActionError):
        register(viewer, tree["prov_a"])
    with pytest.raises(ActionError):
        register(coord, tree["prov_b"])
    assert not Document.objects.exists()


def test_classification_cannot_exceed_own_clearance(tree, coord):
    with pytest.raises(ActionError) as err:
        register(coord, tree["prov_a"], classification=Clearance.CONFIDENTIAL)
    assert err.value.field == "classification" and not Document.objects.exists()
    cleared = factories.user("cleared", (Role.COORDINATOR, tree["prov_a"], True, Clearance.SECRET))
    doc = register(cleared, tree["prov_a"], classification=Clearance.SECRET)
    # Someone without that clearance cannot edit it (nor lower it to read it).
    with pytest.raises(ActionError):
        actions.update_document(coord, doc, classification=Clearance.NONE)
    assert Document.objects.get(pk=doc.pk).classification == Clearance.SECRET


def test_stale_update_is_refused_and_changes_nothing(tree, coord):
    doc = register(coord, tree["prov_a"])
    seen = doc.updated_at
    actions.update_document(coord, doc, expected_updated_at=seen, subject="Lần sửa thứ nhất")
    with pytest.raises(ActionError) as err:
        actions.update_document(coord, doc, expected_updated_at=seen, subject="Lần sửa thứ hai")
    assert "người khác" in str(err.value.message)
    assert Document.objects.get(pk=doc.pk).subject == "Lần sửa thứ nhất"
    kinds = [e.action for e in history_for(doc)]
    assert kinds == ["documents.update", "documents.register"]


def test_update_reparses_a_new_symbol(tree, coord):
    doc = register(coord, tree["prov_a"])
    doc = actions.update_document(coord, doc, symbol="22-KL/TU")
    assert (doc.symbol, doc.number) == ("22-KL/TU", "22")
    with pytest.raises(ActionError) as err:
        actions.update_document(coord, doc, symbol="hai mươi hai")
    assert err.value.field == "symbol"
    assert Document.objects.get(pk=doc.pk).symbol == "22-KL/TU"


def test_relate_is_logged_once(tree, coord):
    directive = register(None, tree["root"], symbol="21-KL/TW", term="XIII")
    plan = register(coord, tree["prov_a"], symbol="01-KH/TU", doc_type=DocType.PLAN)
    actions.relate(coord, plan, directive, RelationKind.IMPLEMENTS)
    actions.relate(coord, plan, directive, RelationKind.IMPLEMENTS)
    assert ChangeLogEntry.objects.filter(action="documents.relate").count() == 1
    with pytest.raises(ActionError):
        actions.relate(coord, plan, plan, RelationKind.CITES)
    # Only the source's coordinators may relate it.
    with pytest.raises(ActionError):
        actions.relate(coord, directive, plan, RelationKind.CITES)


def test_attach_stores_the_hash_and_refuses_bad_types(tree, coord):
    doc = register(coord, tree["prov_a"])
    content = b"%PDF-1.4 minimal"
    att = actions.attach(coord, doc, name="KL21.pdf", content=content)
    assert att.sha256 == hashlib.sha256(content).hexdigest()
    assert att.content_type == "application/pdf" and att.size == len(content)
    with att.file.open("rb") as fh:
        assert fh.read() == content
    for name in ("trang.html", "cai-dat.exe", "khong-duoi"):
        with pytest.raises(ActionError) as err:
            actions.attach(coord, doc, name=name, content=b"<script>alert(1)</script>")
        assert err.value.field == "file"
    assert Attachment.objects.filter(document=doc).count() == 1
    assert ChangeLogEntry.objects.filter(action="documents.attach").count() == 1


def test_attach_refuses_oversize(tree, coord, monkeypatch):
    doc = register(coord, tree["prov_a"])
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 10)
    with pytest.raises(ActionError) as err:
        actions.attach(coord, doc, name="lon.pdf", content=b"x" * 11)
    assert "quá lớn" in str(err.value.message)
    assert not Attachment.objects.exists()


def test_register_with_attachments_is_all_or_nothing(tree, coord):
    with pytest.raises(ActionError):
        actions.register_with_attachments(
            coord,
            files=[("a.pdf", b"ok"), ("b.html", b"<html>")],
            symbol="30-KL/TU",
            doc_type=DocType.CONCLUSION,
            issuing_unit=tree["prov_a"],
            term="XVII",
            date=D(2022, 3, 1),
            subject="Có tệp đính kèm",
        )
    assert not Document.objects.exists() and not Attachment.objects.exists()
    assert not ChangeLogEntry.objects.filter(action__startswith="documents.").exists()
