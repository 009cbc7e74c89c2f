"""The grant action the demo uses: checked, logged, idempotent."""

import pytest

from tests.builders import factories
from trienkhai.accounts.actions import grant_role
from trienkhai.accounts.models import Grant, Role
from trienkhai.core.actions import ActionError
from trienkhai.core.models import ChangeLogEntry

pytestmark = pytest.mark.django_db


def test_grant_role_checks_the_granter(tree):
    """Only an administrator of the unit grants, never above their own clearance; no duplicates."""
    admin = factories.user("prov-admin", (Role.ADMINISTRATOR, tree["prov_a"]))
    viewer = factories.user("prov-viewer", (Role.VIEWER, tree["prov_a"]))
    target = factories.user("target")
    grant = grant_role(admin, target, role=Role.REPORTER, unit=tree["commune_a"])
    assert grant_role(admin, target, role=Role.REPORTER, unit=tree["commune_a"]) == grant
    assert ChangeLogEntry.objects.filter(action="accounts.grant").count() == 1
    with pytest.raises(ActionError):
        grant_role(admin, target, role=Role.VIEWER, unit=tree["prov_b"])
    with pytest.raises(ActionError):
        grant_role(viewer, target, role=Role.VIEWER, unit=tree["commune_a"])
    with pytest.raises(ActionError):
        grant_role(admin, target, role=Role.VIEWER, unit=tree["prov_a"], clearance=1)
    with pytest.raises(ActionError):
        grant_role(admin, target, role="owner", unit=tree["prov_a"])
    assert Grant.objects.filter(user=target).count() == 1
