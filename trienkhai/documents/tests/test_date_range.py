"""A document dated outside 1930–2100 (01/01/0001, 31/12/9999 …) is refused by the form, the
API and the action alike, with a message naming the allowed range, and nothing is saved."""

import datetime

import pytest
from rest_framework.test import APIClient

from trienkhai.core.actions import ActionError
from trienkhai.documents import actions
from trienkhai.documents.models import DocType, Document
from trienkhai.documents.tests.test_views import media, reg, register_post  # noqa: F401

D = datetime.date
RANGE = "từ 01/01/1930 đến 31/12/2100"
OUT = [("01/01/0001", "0001-01-01"), ("31/12/9999", "9999-12-31"), ("31/12/1929", "1929-12-31")]


@pytest.mark.parametrize(("typed", "_iso"), OUT)
def test_the_form_refuses_a_date_out_of_range(client, reg, typed, _iso):  # noqa: F811
    before = Document.objects.count()
    response = register_post(client, reg["coord_a"], date=typed)
    assert response.status_code == 200 and RANGE in response.content.decode()
    assert Document.objects.count() == before


def test_the_form_accepts_the_first_day_of_the_range(client, reg):  # noqa: F811
    # (The form refuses a document dated after tomorrow on its own.)
    response = register_post(client, reg["coord_a"], symbol="16-NQ/TU", date="01/01/1930")
    assert response.status_code == 302
    assert Document.objects.get(symbol="16-NQ/TU").date == D(1930, 1, 1)


@pytest.mark.parametrize(("_typed", "iso"), OUT)
def test_the_api_refuses_a_date_out_of_range(reg, _typed, iso):  # noqa: F811
    client = APIClient()
    client.force_authenticate(reg["coord_a"])
    before = Document.objects.count()
    payload = {
        "symbol": "12-KH/TU",
        "doc_type": "ke_hoach",
        "issuing_unit": reg["prov_a"].pk,
        "term": "XIII",
        "date": iso,
        "subject": "Kế hoạch học tập",
    }
    response = client.post("/api/documents/", payload, format="json")
    assert response.status_code == 400 and RANGE in response.json()["date"][0]
    assert Document.objects.count() == before


def test_the_actions_refuse_a_date_out_of_range(reg):  # noqa: F811
    with pytest.raises(ActionError) as exc:
        actions.register_document(
            None,
            symbol="13-KH/TU",
            doc_type=DocType.PLAN,
            issuing_unit=reg["prov_a"],
            term="XVII",
            date=D(1, 1, 1),
            subject="Ngày sai",
        )
    assert exc.value.field == "date" and RANGE in str(exc.value.message)
    doc = reg["plan_a"]
    with pytest.raises(ActionError) as exc:
        actions.update_document(None, doc, date=D(9999, 12, 31))
    assert exc.value.field == "date"
    doc.refresh_from_db()
    assert doc.date != D(9999, 12, 31)
