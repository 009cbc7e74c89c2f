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


@pytest.fixture
def rq_tasks(settings):
    """Tasks go through RQ on the tests' own Redis database (see `tests.builders.background`);
    the database backend is back after the test."""
    from tests.builders.background import rq_backend

    with rq_backend(settings) as client:
        yield client


@pytest.fixture(params=["database", "rq"])
def task_backend(request, settings):
    """Run the test once with each backend: the database (the default), then RQ over Redis."""
    if request.param == "database":
        yield "database"
        return
    from tests.builders.background import rq_backend

    with rq_backend(settings):
        yield "rq"
