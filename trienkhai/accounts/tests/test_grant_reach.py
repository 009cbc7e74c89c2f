"""A grant never widens what its author holds: reach, subtree and clearance are all bounded."""

import pytest

from tests.builders import factories
from trienkhai.accounts.actions import grant_role, revoke_grant
from trienkhai.accounts.models import Clearance, Grant, Role
from trienkhai.core.actions import ActionError

pytestmark = pytest.mark.django_db


def test_clearance_on_one_office_does_not_clear_the_whole_province(tree):
    """Clearance 0 over the province, 3 on one commune: 3 is granted there, not province-wide."""
    admin = factories.user(
        "mixed-admin",
        (Role.ADMINISTRATOR, tree["prov_a"], True, Clearance.NONE),
        (Role.ADMINISTRATOR, tree["commune_a"], False, Clearance.TOP_SECRET),
    )
    target = factories.user("target")
    with pytest.raises(ActionError):
        grant_role(
            admin, target, role=Role.VIEWER, unit=tree["prov_a"], clearance=Clearance.TOP_SECRET
        )
    with pytest.raises(ActionError):
        grant_role(
            admin,
            target,
            role=Role.VIEWER,
            unit=tree["commune_a"],
            include_subtree=True,
            clearance=Clearance.TOP_SECRET,
        )
    assert not Grant.objects.filter(user=target).exists()
    grant = grant_role(
        admin,
        target,
        role=Role.VIEWER,
        unit=tree["commune_a"],
        include_subtree=False,
        clearance=Clearance.TOP_SECRET,
    )
    assert grant.clearance == Clearance.TOP_SECRET and not grant.include_subtree


def test_exact_unit_administrator_cannot_grant_the_subtree(tree):
    admin = factories.user("exact-admin", (Role.ADMINISTRATOR, tree["prov_a"], False))
    target = factories.user("target")
    with pytest.raises(ActionError):
        grant_role(admin, target, role=Role.VIEWER, unit=tree["prov_a"], include_subtree=True)
    assert not Grant.objects.filter(user=target).exists()
    grant_role(admin, target, role=Role.VIEWER, unit=tree["prov_a"], include_subtree=False)
    assert Grant.objects.filter(user=target, include_subtree=False).count() == 1


def test_exact_unit_administrator_cannot_widen_its_own_grant(tree):
    """The reproducer: an exact-unit administrator granting itself include_subtree."""
    admin = factories.user("exact-admin", (Role.ADMINISTRATOR, tree["prov_a"], False))
    with pytest.raises(ActionError):
        grant_role(admin, admin, role=Role.ADMINISTRATOR, unit=tree["prov_a"])
    assert list(Grant.objects.filter(user=admin).values_list("include_subtree", flat=True)) == [
        False
    ]


def test_nobody_changes_their_own_grants(tree):
    admin = factories.user(
        "prov-admin", (Role.ADMINISTRATOR, tree["prov_a"], True, Clearance.SECRET)
    )
    with pytest.raises(ActionError):
        grant_role(admin, admin, role=Role.VIEWER, unit=tree["commune_a"])
    (own,) = Grant.objects.filter(user=admin)
    with pytest.raises(ActionError):
        revoke_grant(admin, own)
    assert Grant.objects.filter(user=admin).count() == 1


def test_revoking_is_bounded_by_the_same_reach(tree):
    exact = factories.user("exact-admin", (Role.ADMINISTRATOR, tree["prov_a"], False))
    other = factories.user("other", (Role.COORDINATOR, tree["prov_a"], True))
    (wide,) = Grant.objects.filter(user=other)
    with pytest.raises(ActionError):
        revoke_grant(exact, wide)
    assert Grant.objects.filter(pk=wide.pk).exists()
    province_admin = factories.user("prov-admin", (Role.ADMINISTRATOR, tree["prov_a"]))
    revoke_grant(province_admin, wide)
    assert not Grant.objects.filter(pk=wide.pk).exists()


def test_clearance_held_over_the_subtree_may_be_passed_on(tree):
    admin = factories.user(
        "prov-admin", (Role.ADMINISTRATOR, tree["prov_a"], True, Clearance.SECRET)
    )
    target = factories.user("target")
    grant_role(admin, target, role=Role.VIEWER, unit=tree["commune_a"], clearance=Clearance.SECRET)
    with pytest.raises(ActionError):
        grant_role(
            admin, target, role=Role.VIEWER, unit=tree["commune_a"], clearance=Clearance.TOP_SECRET
        )


def test_system_and_superuser_grant_anything(tree):
    root = factories.user("root", superuser=True)
    target = factories.user("target")
    grant_role(root, target, role=Role.ADMINISTRATOR, unit=tree["root"], clearance=3)
    grant_role(None, target, role=Role.VIEWER, unit=tree["prov_b"], clearance=3)
    assert Grant.objects.filter(user=target).count() == 2
