import pytest

from trienkhai.testing import factories


@pytest.fixture
def tree(db):
    return factories.small_tree()


@pytest.fixture
def admin_user(db):
    return factories.user("root-admin", superuser=True)
