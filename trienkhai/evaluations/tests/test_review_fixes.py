"""Fixes from the security review: the cap figures (counts over the deciding unit's whole set)
are shown only to users who reach the deciding unit; a stale return re-renders the evaluation
as now stored."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Level, State
from trienkhai.evaluations.tests.helpers import decide, proposed

CAP = "cap-status"
CAP_TEXT = "tổ chức được quyết định"


def test_cap_figures_only_for_who_reaches_the_decider(client, world):
    u, evs, period, commune = world["users"], world["evs"], world["period"], world["commune"]
    decide(proposed(evs[1], Level.GOOD), Level.GOOD)
    ev = proposed(evs[0], Level.GOOD)
    classification = reverse("evaluations-classification", args=[period.pk, commune.pk])

    client.force_login(u["reporter"])
    for url in (f"/evaluations/{ev.pk}/", classification):
        page = client.get(url)
        assert page.status_code == 200 and CAP not in page.content.decode(), url
    export = client.get(classification, {"export": "xlsx"})
    caption = load_workbook(io.BytesIO(export.content)).active["A1"].value
    assert CAP_TEXT not in caption

    client.force_login(u["decider"])
    for url in (f"/evaluations/{ev.pk}/", classification):
        assert CAP in client.get(url).content.decode(), url
    export = client.get(classification, {"export": "xlsx"})
    assert CAP_TEXT in load_workbook(io.BytesIO(export.content)).active["A1"].value


def test_a_stale_return_shows_the_evaluation_as_now_stored(client, world, monkeypatch):
    u = world["users"]
    ev = proposed(world["evs"][0], Level.GOOD)
    real = rating_actions.return_to_organisation

    def raced(actor, evaluation, **kwargs):
        # Another reviewer returns it first; this post then carries a stale version.
        real(u["decider"], evaluation, reason="Trả lại trước")
        return real(actor, evaluation, **kwargs)

    monkeypatch.setattr(
        "trienkhai.evaluations.views.steps.rating_actions.return_to_organisation", raced
    )
    client.force_login(u["decider"])
    page = client.post(
        f"/evaluations/{ev.pk}/return/", {"reason": "Thiếu minh chứng", "version": ev.version}
    )
    ev.refresh_from_db()
    assert ev.state == State.RETURNED
    body = page.content.decode()
    assert page.status_code == 409 and 'class="step-return"' in body
    assert "Trả lại trước" in body and "return-form" not in body
    assert "hãy xem lại" in body  # the refusal is still shown
