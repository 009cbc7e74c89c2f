"""A unit named like a formula stays text in the conference exports, caption (A1) included."""

from django.urls import reverse

from tests.builders.xlsx import assert_kept_as_text, name_like_a_formula
from trienkhai.conferences.tests.test_views import conf  # noqa: F401 - the fixture


def test_formula_like_unit_name_is_text(client, world, conf):  # noqa: F811
    name_like_a_formula(world["prov_a"], world["commune_a"])
    client.force_login(world["viewer_a"])
    listed = client.get(reverse("conferences-list"), {"export": "xlsx", "unit": "P-a"})
    assert_kept_as_text(listed.content)
    rolled = client.get(reverse("conferences-rollup"), {"export": "xlsx"})
    assert_kept_as_text(rolled.content)
