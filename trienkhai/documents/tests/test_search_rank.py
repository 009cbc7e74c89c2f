"""A search that names a document finds it first: by its number and symbol, by type and number,
with or without diacritics; documents that only mention it come after, newest first."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.documents import actions, queries
from trienkhai.documents.models import DocType

D = datetime.date


@pytest.fixture
def docs(tree):
    kl21 = actions.register_document(
        None, symbol="21-KL/TW", doc_type=DocType.CONCLUSION, issuing_unit=tree["root"],
        term="XIII", date=D(2021, 10, 25), subject="Về xây dựng, chỉnh đốn Đảng",
    )  # fmt: skip
    # Newer documents that mention it, or share its number, would come first by date alone.
    actions.register_document(
        None, symbol="21-NQ/TW", doc_type=DocType.RESOLUTION, issuing_unit=tree["root"],
        term="XIII", date=D(2022, 6, 16), subject="Kết luận của Hội nghị về tổ chức cơ sở",
    )  # fmt: skip
    actions.register_document(
        None, symbol="05-KH/TU", doc_type=DocType.PLAN, issuing_unit=tree["prov_a"],
        term="XVII", date=D(2022, 1, 5), subject="Thực hiện Kết luận số 21-KL/TW",
    )  # fmt: skip
    return kl21


@pytest.mark.parametrize("query", ["21-KL/TW", "KL 21", "ket luan 21", "Kết luận 21"])
def test_the_named_document_comes_first(docs, query):
    admin = factories.user("search-admin", superuser=True)
    found = list(queries.search(admin, query).order_by("rank", "-date", "-id"))
    assert found and found[0] == docs
    client = APIClient()
    client.force_authenticate(admin)
    results = client.get("/api/documents/", {"q": query}).json()["results"]
    assert results[0]["id"] == docs.pk
    client.force_login(admin)
    page = client.get(reverse("document-list"), {"q": query}).content.decode()
    assert page.index(f"/documents/{docs.pk}/") < min(
        page.index(f"/documents/{d.pk}/") for d in queries.search(admin, query).exclude(pk=docs.pk)
    )


def test_a_query_naming_no_document_keeps_newest_first(docs):
    admin = factories.user("search-admin-2", superuser=True)
    found = list(queries.search(admin, "ket luan").order_by("rank", "-date", "-id"))
    assert [d.date for d in found] == sorted((d.date for d in found), reverse=True)
