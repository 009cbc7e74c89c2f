"""The registry's pages: what each user sees, what forms refuse and say, what downloads send."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents import actions, views
from trienkhai.documents.models import Attachment, DocType, Document, DocumentRelation
from trienkhai.documents.tests.test_queries import build_registry

D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def reg(tree):
    t = build_registry(tree)
    t["coord_a"] = factories.user("coord-a", (Role.COORDINATOR, t["prov_a"]))
    return t


def page(client, user, url, **params):
    client.force_login(user)
    response = client.get(url, params)
    return response, response.content.decode()


def detail_url(doc):
    return reverse("document-detail", args=[doc.pk])


def test_list_shows_scope_and_hides_what_is_classified(client, reg):
    response, body = page(client, reg["viewer_a"], reverse("document-list"))
    assert response.status_code == 200
    assert "21-KL/TW" in body and "52-KH/BTCTW" in body and "Kế hoạch tỉnh An" in body
    assert "Kế hoạch tỉnh Bình" not in body and "Quảng Ninh" not in body
    assert "Văn bản mật" in body
    for secret in ("07-CT/TU", "bảo vệ bí mật", "Người Ký Mật"):
        assert secret not in body
    assert "25/10/2021" in body  # dd/mm/yyyy


def test_search_without_diacritics_and_by_symbol(client, reg):
    _r, body = page(client, reg["viewer_a"], reverse("document-list"), q="ket luan 21")
    assert "21-KL/TW" in body and "52-KH/BTCTW" not in body
    _r, body = page(client, reg["viewer_a"], reverse("document-list"), q="21-KL/TW")
    assert detail_url(reg["kl21"]) in body and "03-KH/TW" not in body
    _r, body = page(client, reg["viewer_a"], reverse("document-list"), q="bao ve bi mat")
    assert "Văn bản mật" not in body and "Không tìm thấy văn bản nào" in body


def test_filters_and_their_errors(client, reg):
    url = reverse("document-list")
    _r, body = page(client, reg["viewer_a"], url, unit="P-a", doc_type=DocType.PLAN)
    assert "01-KH/TU" in body and "21-KL/TW" not in body
    response, body = page(client, reg["viewer_a"], url, date_from="32/13/2021")
    assert response.status_code == 200 and 'role="alert"' in body
    _r, body = page(client, reg["viewer_a"], url, date_from="01/10/2021", date_to="31/12/2021")
    assert "21-KL/TW" in body and "03-KH/TW" in body and "01-KH/TU" not in body
    response, body = page(client, reg["viewer_a"], url, date_from="31/12/2021", date_to="1/1/2021")
    assert "Ngày kết thúc phải sau ngày bắt đầu" in body


def test_list_paginates(client, reg):
    for n in range(50):
        actions.register_document(
            None,
            symbol=f"{100 + n}-TB/TU",
            doc_type=DocType.NOTICE,
            issuing_unit=reg["prov_a"],
            term="XVII",
            date=D(2023, 1, 1),
            subject=f"Thông báo {n}",
        )
    _r, first = page(client, reg["viewer_a"], reverse("document-list"))
    _r, second = page(client, reg["viewer_a"], reverse("document-list"), page=2)
    assert "Trang 1/2" in first and "Trang 2/2" in second
    assert "21-KL/TW" not in first and "21-KL/TW" in second  # oldest last


def test_detail_shows_every_field_and_relations_both_ways(client, reg):
    response, body = page(client, reg["viewer_a"], detail_url(reg["kh03"]))
    assert response.status_code == 200
    for text in ("03-KH/TW", "Kế hoạch Bộ Chính trị", "01/12/2021", "XIII", "Trung ương"):
        assert text in body
    assert "Thực hiện" in body and "Được thực hiện bởi" in body
    assert detail_url(reg["kl21"]) in body and detail_url(reg["plan_a"]) in body
    assert detail_url(reg["plan_b"]) not in body
    assert reverse("document-edit", args=[reg["kh03"].pk]) not in body  # viewer: no editing
    _r, body = page(client, reg["viewer_a"], detail_url(reg["kl21"]))
    assert "Người Ký Trung Ương" in body
    assert "Văn bản mật" in body and "07-CT/TU" not in body  # an unreadable relation


def test_history_tab(client, reg):
    _r, body = page(client, reg["viewer_a"], detail_url(reg["kl21"]), tab="history")
    assert "Đăng ký văn bản" in body and "documents.register" not in body


def test_classified_detail_says_only_that_it_exists(client, reg):
    response, body = page(client, reg["viewer_a"], detail_url(reg["secret"]))
    assert response.status_code == 200 and "Văn bản mật" in body
    for secret in ("07-CT/TU", "bảo vệ bí mật", "Người Ký Mật", "Tỉnh An"):
        assert secret not in body
    cascade = reverse("document-cascade", args=[reg["secret"].pk])
    assert "bảo vệ bí mật" not in page(client, reg["viewer_a"], cascade)[1]
    _r, body = page(client, reg["cleared_a"], detail_url(reg["secret"]))
    assert "07-CT/TU" in body and "Người Ký Mật" in body


@pytest.mark.parametrize("name", ["document-detail", "document-cascade", "document-edit"])
def test_outside_scope_is_404(client, reg, name):
    response, _body = page(client, reg["viewer_a"], reverse(name, args=[reg["plan_b"].pk]))
    assert response.status_code == 404
    response, _body = page(client, reg["viewer_a"], reverse(name, args=[999999]))
    assert response.status_code == 404


def test_download_is_an_attachment_with_the_stored_type(client, reg):
    att = actions.attach(None, reg["plan_a"], name="Kế hoạch.pdf", content=b"%PDF-1.4 x")
    url = reverse("document-attachment-download", args=[reg["plan_a"].pk, att.pk])
    client.force_login(reg["viewer_a"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == b"%PDF-1.4 x"
    # The same attachment through another document's URL, or as someone outside: 404.
    wrong = reverse("document-attachment-download", args=[reg["kl21"].pk, att.pk])
    assert client.get(wrong).status_code == 404
    client.force_login(factories.user("viewer-b", (Role.VIEWER, reg["prov_b"])))
    assert client.get(url).status_code == 404


def test_download_of_unreadable_classified_is_404(client, reg):
    att = actions.attach(None, reg["secret"], name="mat.pdf", content=b"%PDF secret")
    url = reverse("document-attachment-download", args=[reg["secret"].pk, att.pk])
    client.force_login(reg["viewer_a"])
    assert client.get(url).status_code == 404
    client.force_login(reg["cleared_a"])
    assert client.get(url).status_code == 200


def test_cascade_page_levels_counts_and_classified(client, reg):
    url = reverse("document-cascade", args=[reg["kl21"].pk])
    response, body = page(client, reg["viewer_a"], url)
    assert response.status_code == 200
    titles = re.findall(r"<h2>([^<]+?) <span", body)
    assert titles == ["Cấp Trung ương", "Cấp tỉnh", "Cấp xã", "Cơ sở"]
    assert detail_url(reg["org_a_plan"]) in body and detail_url(reg["plan_b"]) not in body
    assert "Văn bản mật" in body and "07-CT/TU" not in body


def test_cascade_page_caps_levels_with_true_counts(client, reg, admin_user, monkeypatch):
    monkeypatch.setattr(views, "CASCADE_PER_LEVEL", 1)
    _r, body = page(client, admin_user, reverse("document-cascade", args=[reg["kl21"].pk]))
    assert "và 2 văn bản khác" in body  # province level: 3 documents, 1 shown


def register_post(client, user, **overrides):
    data = {
        "symbol": "15-NQ/TU",
        "doc_type": DocType.RESOLUTION,
        "issuing_unit": "P-a",
        "term": "XVII",
        "date": "05/02/2026",
        "subject": "Về chuyển đổi số",
        "classification": "0",
        "urgency": "",
    }
    data.update(overrides)
    client.force_login(user)
    return client.post(reverse("document-create"), data)


def test_register_form_saves_with_attachments(client, reg, tmp_path):
    upload = tmp_path / "nghi-quyet.pdf"
    upload.write_bytes(b"%PDF-1.4 nq")
    with upload.open("rb") as fh:
        response = register_post(client, reg["coord_a"], attachments=[fh])
    doc = Document.objects.get(symbol="15-NQ/TU")
    assert response.status_code == 302 and response["Location"] == detail_url(doc)
    assert doc.date == D(2026, 2, 5) and doc.issuing_unit == reg["prov_a"]
    assert Attachment.objects.get(document=doc).original_name == "nghi-quyet.pdf"


def test_register_form_bad_symbol_names_the_part(client, reg):
    response = register_post(client, reg["coord_a"], symbol="15-XX/TU")
    body = response.content.decode()
    assert response.status_code == 200
    assert "loại văn bản" in body and "XX" in body
    assert not Document.objects.filter(subject="Về chuyển đổi số").exists()


def test_register_form_refusals(client, reg, tmp_path):
    response = register_post(client, reg["coord_a"], issuing_unit="P-b")
    assert "Không tìm thấy đơn vị “P-b” trong phạm vi của bạn." in response.content.decode()
    response = register_post(client, reg["coord_a"], classification="1")
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    response = register_post(client, reg["coord_a"], date="2026-31-31")
    assert response.status_code == 200
    bad = tmp_path / "trang.html"
    bad.write_bytes(b"<script>alert(1)</script>")
    with bad.open("rb") as fh:
        response = register_post(client, reg["coord_a"], attachments=[fh])
    assert "không được phép" in response.content.decode()
    # Duplicate identity: the action's refusal lands on the symbol field.
    response = register_post(client, reg["coord_a"], symbol="01-KH/TU", doc_type=DocType.PLAN)
    assert "Đã có văn bản" in response.content.decode()
    assert not Document.objects.filter(subject="Về chuyển đổi số").exists()
    assert not Attachment.objects.exists()


def test_viewer_cannot_open_the_register_form(client, reg):
    response, _body = page(client, reg["viewer_a"], reverse("document-create"))
    assert response.status_code == 403


def edit_data(doc, **overrides):
    data = {
        "symbol": doc.symbol,
        "doc_type": doc.doc_type,
        "term": doc.term,
        "date": doc.date.strftime("%d/%m/%Y"),
        "place": doc.place,
        "subject": doc.subject,
        "signer": doc.signer,
        "signer_position": doc.signer_position,
        "authority": doc.authority,
        "classification": str(doc.classification),
        "urgency": doc.urgency,
        "updated_at": doc.updated_at.isoformat(),
    }
    data.update(overrides)
    return data


def test_edit_refuses_a_stale_save_and_shows_the_other_values(client, reg):
    doc = Document.objects.get(pk=reg["plan_a"].pk)
    stale = edit_data(doc, subject="Bản của tôi")
    actions.update_document(None, doc, subject="Bản của người khác")
    client.force_login(reg["coord_a"])
    url = reverse("document-edit", args=[doc.pk])
    response = client.post(url, stale)
    body = response.content.decode()
    assert response.status_code == 409
    assert "Người khác vừa sửa văn bản này" in body and "Bản của người khác" in body
    # The time of the other save is shown in the local time zone, not in UTC.
    saved = Document.objects.get(pk=doc.pk).updated_at
    assert timezone.localtime(saved).strftime("%d/%m/%Y %H:%M:%S") in body
    assert "Bản của tôi" in body  # the person's own input is kept
    assert Document.objects.get(pk=doc.pk).subject == "Bản của người khác"
    # Saving again, knowingly, from the version now shown goes through.
    fresh = re.search(r'name="updated_at" value="([^"]+)"', body).group(1)
    response = client.post(url, {**stale, "updated_at": fresh})
    assert response.status_code == 302
    assert Document.objects.get(pk=doc.pk).subject == "Bản của tôi"


def test_edit_bad_symbol_shows_the_parser_message(client, reg):
    doc = reg["plan_a"]
    client.force_login(reg["coord_a"])
    response = client.post(reverse("document-edit", args=[doc.pk]), edit_data(doc, symbol="01-KH/"))
    assert "thiếu cơ quan ban hành" in response.content.decode()
    assert Document.objects.get(pk=doc.pk).symbol == "01-KH/TU"


def test_relation_form(client, reg):
    client.force_login(reg["coord_a"])
    url = reverse("document-relate", args=[reg["plan_a"].pk])
    response = client.post(url, {"rel-kind": "cites", "rel-symbol": "21 - KL/TW"})
    assert response.status_code == 302
    assert DocumentRelation.objects.filter(
        source=reg["plan_a"], target=reg["kl21"], kind="cites"
    ).exists()
    response = client.post(url, {"rel-kind": "cites", "rel-symbol": "99-KL/TW"})
    assert response.status_code == 400
    assert "Không tìm thấy văn bản này" in response.content.decode()
    response = client.post(url, {"rel-kind": "cites", "rel-symbol": "99-ZZ/TW"})
    assert "loại văn bản" in response.content.decode()
    # A classified document the user cannot read cannot be found by its number.
    response = client.post(url, {"rel-kind": "cites", "rel-symbol": "07-CT/TU"})
    assert "Không tìm thấy văn bản này" in response.content.decode()
    # Not a coordinator of the source: refused.
    client.force_login(reg["viewer_a"])
    assert client.post(url, {"rel-kind": "cites", "rel-symbol": "21-KL/TW"}).status_code == 403


def test_attach_form_refuses_html(client, reg, tmp_path):
    bad = tmp_path / "x.html"
    bad.write_bytes(b"<html>")
    client.force_login(reg["coord_a"])
    with bad.open("rb") as fh:
        response = client.post(
            reverse("document-attach", args=[reg["plan_a"].pk]), {"att-files": [fh]}
        )
    assert response.status_code == 400 and "không được phép" in response.content.decode()
    assert not Attachment.objects.exists()


def test_register_form_picks_the_issuer_among_coordinated_units(client, reg):
    response, body = page(client, reg["coord_a"], reverse("document-create"))
    assert response.status_code == 200
    # The issuing unit defaults to the user's own; the picker offers coordinated units only.
    assert 'value="Tỉnh An (P-a)"' in body
    assert "/units/pick/?role=coordinator" in body
    client.force_login(reg["coord_a"])
    found = client.get(reverse("unit-pick"), {"q": "tinh", "role": "coordinator"}).json()
    assert [r["code"] for r in found["results"]] == ["P-a"]


def test_detail_lists_only_co_issuers_the_user_may_know_of(client, reg):
    """A joint document of the centre and both provinces: a province-A reader learns nothing of
    province B (the API already left it out of `co_issuers`)."""
    doc = actions.register_document(
        None,
        symbol="02-HD/TW",
        doc_type=DocType.GUIDANCE,
        issuing_unit=reg["root"],
        term="XIII",
        date=D(2022, 2, 1),
        subject="Hướng dẫn liên tịch",
        co_issuers=[reg["prov_a"], reg["prov_b"]],
    )
    _r, body = page(client, reg["viewer_a"], detail_url(doc))
    assert "Tỉnh An" in body and "Tỉnh Bình" not in body
    viewer_b = factories.user("viewer-b", (Role.VIEWER, reg["prov_b"]))
    _r, body = page(client, viewer_b, detail_url(doc))
    assert "Tỉnh Bình" in body and "Tỉnh An" not in body
