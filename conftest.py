"""Fixtures shared by every test: fast password hashing and the small tree."""

import pytest

from tests.builders import factories


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Sign-ins are what tests repeat; PBKDF2's deliberate slowness only costs time here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def tree(db):
    return factories.small_tree()


@pytest.fixture
def admin_user(db):
    return factories.user("root-admin", superuser=True)
