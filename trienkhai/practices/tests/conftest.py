"""Practices tests reuse the conferences world: two provinces, communes, documents, users."""

import pytest

from trienkhai.conferences.tests.conftest import world  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Evidence files go to a temporary directory, not the data directory."""
    settings.MEDIA_ROOT = tmp_path
