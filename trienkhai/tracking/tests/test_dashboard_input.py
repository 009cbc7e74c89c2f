"""The dashboard refuses a query it cannot answer with a 400 and the reason, never a 500."""

import pytest
from django.test import Client

from tests.builders import factories


@pytest.fixture
def client(tree):
    c = Client(raise_request_exception=False)
    c.force_login(factories.user("dash-input", superuser=True))
    return c


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"as_of": "01/01/0001"}, "01/01/1930"),
        ({"start": "01/01/0001"}, "01/01/1930"),
        ({"opage": "99999999999999999999"}, "1000000000"),
        ({"opage": "0"}, "1"),
        ({"opage": "abc"}, "số"),
        ({"unit": "9" * 30}, "9223372036854775807"),
    ],
)
def test_a_query_the_page_cannot_answer_is_a_400_with_the_reason(client, query, message):
    response = client.get("/tracking/", query)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="errors" role="alert"' in page and message in page.replace(".", "")


def test_the_last_overdue_page_and_old_dates_still_answer(client):
    assert client.get("/tracking/", {"opage": "1000000000"}).status_code == 200
    assert client.get("/tracking/", {"as_of": "01/01/1930"}).status_code == 200
