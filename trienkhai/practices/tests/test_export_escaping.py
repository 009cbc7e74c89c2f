"""A unit named like a formula stays text in the good-practice export, caption (A1) included."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from tests.builders.xlsx import assert_kept_as_text, name_like_a_formula
from trienkhai.practices.tests.test_practices import (
    practice,  # noqa: F401 - the fixture
    urlpatterns,  # noqa: F401 - the URLs
)


def test_formula_like_unit_name_is_text(client, world, practice):  # noqa: F811
    name_like_a_formula(world["prov_a"])
    client.force_login(world["viewer_a"])
    resp = client.get(reverse("practices-list"), {"export": "xlsx", "unit": "P-a"})
    assert_kept_as_text(resp.content)


def test_the_year_is_a_plain_number_and_the_count_a_count(client, world, practice):  # noqa: F811
    """Per-column formats: the year is not shown grouped like a count ("2,022")."""
    client.force_login(world["viewer_a"])
    ws = load_workbook(
        io.BytesIO(client.get(reverse("practices-list"), {"export": "xlsx"}).content)
    ).active
    assert (ws["A3"].value, ws["A3"].number_format) == (2022, "General")
    assert ws["G3"].number_format == "#,##0"
