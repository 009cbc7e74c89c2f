"""A unit named like a formula stays text in every dashboard export, caption (A1) included."""

import pytest
from django.urls import reverse

from tests.builders.xlsx import assert_kept_as_text, name_like_a_formula
from trienkhai.tracking.tests.test_exports import AS_OF, data  # noqa: F401 - the fixture


@pytest.mark.parametrize("export", ["rollup", "ranking", "coverage", "overdue"])
def test_formula_like_unit_name_is_text(client, data, export):  # noqa: F811
    name_like_a_formula(data["root"], data["prov_a"], data["prov_b"])
    client.force_login(data["admin"])
    params = {"export": export, "as_of": AS_OF, "unit": data["root"].pk}
    if export == "ranking":
        params.update(start="01/01/2022", end=AS_OF)
    resp = client.get(reverse("tracking-dashboard"), params)
    assert resp.status_code == 200
    assert_kept_as_text(resp.content)
