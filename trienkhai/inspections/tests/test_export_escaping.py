"""A unit named like a formula stays text in the inspection exports."""

from django.urls import reverse

from tests.builders.xlsx import assert_kept_as_text, name_like_a_formula
from trienkhai.inspections.tests.test_views import concluded  # noqa: F401 - the fixture


def test_formula_like_unit_name_is_text(client, world, concluded):  # noqa: F811
    name_like_a_formula(world.prov_a, world.commune_a)
    client.force_login(world.inspector)
    # Both captions are fixed text: the unit's name shows in the body only.
    assert_kept_as_text(client.get(reverse("inspections-export")).content, caption=False)
    requests = client.get(
        reverse("inspections-requests-export"), {"side": "issued", "as_of": "02/11/2024"}
    )
    assert_kept_as_text(requests.content, caption=False)
