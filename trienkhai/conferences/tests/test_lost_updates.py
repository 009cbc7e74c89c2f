"""Twenty editors who loaded the same version: one save wins, the others get 409, none is
lost silently; and an edit without the version it started from is refused."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from trienkhai.conferences import actions
from trienkhai.conferences.models import Conference
from trienkhai.conferences.tests.conftest import values

EDITORS = 20


def _patch(user, pk, title):
    client = APIClient()
    client.force_authenticate(user)
    return client.patch(
        f"/api/conferences/{pk}/", {"expected_version": 1, "title": title}, format="json"
    )


def _fire(user, pk) -> list[int]:
    """Every editor sends version 1: in parallel threads on PostgreSQL (row locks decide);
    one after the other on SQLite, whose in-memory test database serialises writers anyway."""
    codes = [None] * EDITORS
    if connection.vendor != "postgresql":
        return [_patch(user, pk, f"Tiêu đề {i}").status_code for i in range(EDITORS)]
    start = threading.Barrier(EDITORS)

    def run(i):
        try:
            start.wait()
            codes[i] = _patch(user, pk, f"Tiêu đề {i}").status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(EDITORS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return codes


@pytest.mark.django_db(transaction=True)
def test_twenty_edits_of_the_same_version_one_wins(world):
    conference = actions.record_conference(world["coord_a"], **values(world))
    codes = _fire(world["coord_a"], conference.pk)
    assert sorted(codes) == [200] + [409] * (EDITORS - 1)
    conference = Conference.objects.get(pk=conference.pk)
    assert conference.version == 2 and conference.title.startswith("Tiêu đề ")


def test_an_edit_without_its_version_is_refused(world):
    conference = actions.record_conference(world["coord_a"], **values(world))
    client = APIClient()
    client.force_authenticate(world["coord_a"])
    response = client.patch(f"/api/conferences/{conference.pk}/", {"title": "X"}, format="json")
    assert response.status_code == 400 and "expected_version" in response.json()
    assert Conference.objects.get(pk=conference.pk).title == values(world)["title"]
