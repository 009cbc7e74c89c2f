"""Names like formulas (units, the period) stay text in the classification exports, captions
(A1) included."""

import pytest

from tests.builders.xlsx import FORMULA_NAME, assert_kept_as_text, name_like_a_formula
from trienkhai.evaluations.models import EvaluationPeriod
from trienkhai.evaluations.tests.test_flags import overdue  # noqa: F401 - the fixture
from trienkhai.evaluations.tests.test_views import board, url  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


def test_formula_like_names_are_text(client, board):  # noqa: F811
    name_like_a_formula(board["commune"], *board["orgs"])
    EvaluationPeriod.objects.filter(pk=board["period"].pk).update(name=FORMULA_NAME)
    client.force_login(board["users"]["decider"])
    assert_kept_as_text(client.get(url(board) + "?export=xlsx").content)
    distribution = client.get(
        f"/evaluations/distribution/?period={board['period'].pk}&unit={board['commune'].pk}"
        "&export=xlsx"
    )
    assert_kept_as_text(distribution.content)
