"""The documents API: scoped lists, restricted classified rows, writes through the actions."""

import datetime

import pytest
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Clearance, Role
from trienkhai.documents import actions
from trienkhai.documents.models import DocType, Document, DocumentRelation, RelationKind

D = datetime.date
RESTRICTED = {"id", "classification", "classification_label", "date", "issuing_unit", "readable"}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def rows(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def register(unit, symbol, doc_type, subject, **fields):
    return actions.register_document(
        None,
        symbol=symbol,
        doc_type=doc_type,
        issuing_unit=unit,
        term="XIII",
        date=fields.pop("date", D(2022, 2, 1)),
        subject=subject,
        **fields,
    )


@pytest.fixture
def docs(tree):
    central = register(tree["root"], "21-KL/TW", DocType.CONCLUSION, "Về đẩy mạnh xây dựng Đảng")
    plan_a = register(tree["prov_a"], "05-KH/TU", DocType.PLAN, "Kế hoạch thực hiện ở tỉnh An")
    plan_b = register(tree["prov_b"], "06-KH/TU", DocType.PLAN, "Kế hoạch thực hiện ở tỉnh Bình")
    secret = register(
        tree["prov_a"],
        "07-CT/TU",
        DocType.DIRECTIVE,
        "Chỉ thị mật về nhân sự",
        classification=Clearance.SECRET,
        signer="Người Ký Mật",
    )
    cell_plan = register(tree["org_a"], "01-KH/ĐU", DocType.PLAN, "Kế hoạch của đảng bộ a")
    for doc in (plan_a, plan_b):
        actions.relate(None, doc, central, RelationKind.IMPLEMENTS)
    actions.relate(None, cell_plan, plan_a, RelationKind.IMPLEMENTS)
    return {"central": central, "a": plan_a, "b": plan_b, "secret": secret, "cell": cell_plan}


@pytest.fixture
def viewer_a(tree):
    return factories.user("viewer-a", (Role.VIEWER, tree["prov_a"]))


@pytest.fixture
def coord_a(tree):
    return factories.user("coord-a", (Role.COORDINATOR, tree["prov_a"], True, Clearance.SECRET))


def test_list_shows_own_and_from_above_never_a_sibling(docs, viewer_a):
    ids = {r["id"] for r in rows(api(viewer_a).get("/api/documents/"))}
    assert ids == {docs["central"].pk, docs["a"].pk, docs["secret"].pk, docs["cell"].pk}


def test_classified_beyond_clearance_is_a_bare_fact(docs, viewer_a):
    response = api(viewer_a).get(f"/api/documents/{docs['secret'].pk}/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == RESTRICTED and body["readable"] is False and body["classification"] == 2
    assert "Người Ký Mật" not in response.content.decode()
    assert "07-CT" not in response.content.decode()


def test_cleared_user_reads_the_classified_document(docs, coord_a):
    body = api(coord_a).get(f"/api/documents/{docs['secret'].pk}/").json()
    assert (
        body["readable"] is True
        and body["symbol"] == "07-CT/TU"
        and body["signer"] == "Người Ký Mật"
    )


@pytest.mark.parametrize("suffix", ["", "relations/", "cascade/"])
def test_document_outside_scope_is_404(docs, viewer_a, suffix):
    assert api(viewer_a).get(f"/api/documents/{docs['b'].pk}/{suffix}").status_code == 404


def test_relations_and_cascade_of_an_unreadable_document_are_refused(docs, viewer_a):
    client = api(viewer_a)
    for suffix in ("relations/", "cascade/"):
        response = client.get(f"/api/documents/{docs['secret'].pk}/{suffix}")
        assert response.status_code == 403 and "độ mật" in response.json()["detail"]


def test_search_is_diacritic_free_scoped_and_skips_unreadable(docs, viewer_a, coord_a):
    client = api(viewer_a)
    assert {r["id"] for r in rows(client.get("/api/documents/", {"q": "ke hoach thuc hien"}))} == {
        docs["a"].pk
    }
    assert rows(client.get("/api/documents/", {"q": "tinh binh"})) == []
    assert rows(client.get("/api/documents/", {"q": "nhan su"})) == []
    found = rows(api(coord_a).get("/api/documents/", {"q": "nhan su"}))
    assert [r["id"] for r in found] == [docs["secret"].pk]


def test_filters(docs, admin_user, tree):
    client = api(admin_user)
    assert {r["id"] for r in rows(client.get("/api/documents/", {"doc_type": "ke_hoach"}))} == {
        docs["a"].pk,
        docs["b"].pk,
        docs["cell"].pk,
    }
    by_unit = rows(client.get("/api/documents/", {"issuing_unit": tree["prov_b"].pk}))
    assert [r["id"] for r in by_unit] == [docs["b"].pk]
    register(tree["prov_a"], "30/2020/NĐ-CP", DocType.DECREE, "Nghị định", date=D(2020, 3, 1))
    state = rows(client.get("/api/documents/", {"system": "state"}))
    assert [r["symbol"] for r in state] == ["30/2020/NĐ-CP"]
    dated = rows(
        client.get("/api/documents/", {"date_from": "01/01/2020", "date_to": "2021-12-31"})
    )
    assert [r["symbol"] for r in dated] == ["30/2020/NĐ-CP"]


def test_relations_show_only_visible_other_ends(docs, viewer_a):
    body = api(viewer_a).get(f"/api/documents/{docs['central'].pk}/relations/").json()
    assert body["outgoing"] == []
    assert [r["document"]["id"] for r in body["incoming"]] == [docs["a"].pk]
    assert body["incoming"][0]["kind"] == "implements"


def test_cascade_follows_only_visible_documents(docs, viewer_a, admin_user):
    body = api(viewer_a).get(f"/api/documents/{docs['central'].pk}/cascade/").json()
    assert [[d["id"] for d in level] for level in body["levels"]] == [
        [docs["a"].pk],
        [docs["cell"].pk],
    ]
    full = api(admin_user).get(f"/api/documents/{docs['central'].pk}/cascade/").json()
    assert {d["id"] for d in full["levels"][0]} == {docs["a"].pk, docs["b"].pk}


def test_relation_list_never_mentions_outside_documents(docs, viewer_a):
    client = api(viewer_a)
    found = rows(client.get("/api/relations/"))
    assert {(r["source"]["id"], r["target"]["id"]) for r in found} == {
        (docs["a"].pk, docs["central"].pk),
        (docs["cell"].pk, docs["a"].pk),
    }
    hidden = DocumentRelation.objects.get(source=docs["b"])
    assert client.get(f"/api/relations/{hidden.pk}/").status_code == 404
    assert client.delete(f"/api/relations/{hidden.pk}/").status_code == 404


def test_register_through_the_api(docs, coord_a, tree):
    payload = {
        "symbol": "12 - KH/TU",
        "doc_type": "ke_hoach",
        "issuing_unit": tree["prov_a"].pk,
        "term": "XIII",
        "date": "15/03/2022",
        "subject": "Kế hoạch học tập",
    }
    response = api(coord_a).post("/api/documents/", payload, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["symbol"] == "12-KH/TU" and body["system"] == "party" and body["date"] == "2022-03-15"
    )


def test_bad_number_names_the_part_and_saves_nothing(docs, coord_a, tree):
    before = Document.objects.count()
    payload = {
        "symbol": "ab-KH/TU",
        "doc_type": "ke_hoach",
        "issuing_unit": tree["prov_a"].pk,
        "term": "XIII",
        "date": "2022-03-15",
        "subject": "Sai số",
    }
    response = api(coord_a).post("/api/documents/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["field"] == "symbol" and "phần số" in body["detail"]
    assert Document.objects.count() == before


def test_register_for_a_unit_outside_scope_is_refused(docs, coord_a, tree):
    payload = {
        "symbol": "09-KH/TU",
        "doc_type": "ke_hoach",
        "issuing_unit": tree["prov_b"].pk,
        "term": "XIII",
        "date": "2022-03-15",
        "subject": "Ngoài phạm vi",
    }
    response = api(coord_a).post("/api/documents/", payload, format="json")
    assert response.status_code == 400 and "issuing_unit" in response.json()
    assert not Document.objects.filter(symbol="09-KH/TU").exists()


def test_viewer_cannot_register(docs, viewer_a, tree):
    payload = {
        "symbol": "10-KH/TU",
        "doc_type": "ke_hoach",
        "issuing_unit": tree["prov_a"].pk,
        "term": "XIII",
        "date": "2022-03-15",
        "subject": "Không có quyền",
    }
    assert api(viewer_a).post("/api/documents/", payload, format="json").status_code == 403
    assert not Document.objects.filter(symbol="10-KH/TU").exists()


def test_update_with_fresh_stamp_then_stale_is_409(docs, coord_a):
    client = api(coord_a)
    url = f"/api/documents/{docs['a'].pk}/"
    stamp = client.get(url).json()["updated_at"]
    ok = client.patch(
        url, {"subject": "Trích yếu mới", "expected_updated_at": stamp}, format="json"
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["subject"] == "Trích yếu mới"
    stale = client.patch(url, {"subject": "Ghi đè", "expected_updated_at": stamp}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert "người khác sửa" in body["detail"] and body["current"]["subject"] == "Trích yếu mới"
    assert Document.objects.get(pk=docs["a"].pk).subject == "Trích yếu mới"


def test_update_needs_the_stamp_and_a_valid_symbol(docs, coord_a):
    client = api(coord_a)
    url = f"/api/documents/{docs['a'].pk}/"
    assert "expected_updated_at" in client.patch(url, {"subject": "x"}, format="json").json()
    stamp = client.get(url).json()["updated_at"]
    bad = client.put(url, {"symbol": "05-XYZ/TU", "expected_updated_at": stamp}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "symbol"
    assert "loại văn bản" in bad.json()["detail"]
    assert Document.objects.get(pk=docs["a"].pk).symbol == "05-KH/TU"


def test_relate_and_unrelate(docs, coord_a):
    client = api(coord_a)
    created = client.post(
        "/api/relations/",
        {"source": docs["secret"].pk, "target": docs["central"].pk, "kind": "based_on"},
        format="json",
    )
    assert created.status_code == 201, created.content
    rel_id = created.json()["id"]
    self_rel = client.post(
        "/api/relations/",
        {"source": docs["a"].pk, "target": docs["a"].pk, "kind": "cites"},
        format="json",
    )
    assert self_rel.status_code == 400 and "chính nó" in self_rel.json()["detail"]
    outside = client.post(
        "/api/relations/",
        {"source": docs["a"].pk, "target": docs["b"].pk, "kind": "cites"},
        format="json",
    )
    assert outside.status_code == 400 and "target" in outside.json()
    assert client.delete(f"/api/relations/{rel_id}/").status_code == 204
    assert not DocumentRelation.objects.filter(pk=rel_id).exists()


def test_superuser_sees_everything(docs, admin_user):
    ids = {r["id"] for r in rows(api(admin_user).get("/api/documents/"))}
    assert ids == {d.pk for d in docs.values()}
    assert len(rows(api(admin_user).get("/api/relations/"))) == 3
