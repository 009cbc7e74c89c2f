import pytest
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Grant, Role
from trienkhai.core.models import ChangeLogEntry

PW = "pw-for-tests-123"


@pytest.fixture
def people(tree):
    admin_a = factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]), password=PW)
    staff_a = factories.user("staff-a", (Role.VIEWER, tree["commune_a"]), password=PW)
    staff_b = factories.user("staff-b", (Role.VIEWER, tree["commune_b"]), password=PW)
    return tree, admin_a, staff_a, staff_b


def test_province_admin_sees_only_users_of_its_units(client, people):
    tree, admin_a, staff_a, staff_b = people
    client.login(username="admin-a", password=PW)
    body = client.get(reverse("user-list")).content.decode()
    assert "staff-a" in body and "staff-b" not in body
    assert client.get(reverse("user-detail", args=[staff_b.pk])).status_code == 404


def test_grant_and_revoke_are_scoped_and_logged(client, people):
    tree, admin_a, staff_a, staff_b = people
    client.login(username="admin-a", password=PW)
    url = reverse("user-detail", args=[staff_a.pk])
    refused = client.post(url, {"role": "coordinator", "unit": "P-b", "clearance": 0})
    assert refused.status_code == 200 and "phạm vi" in refused.content.decode()
    assert not Grant.objects.filter(user=staff_a, unit=tree["prov_b"]).exists()
    ok = client.post(url, {"role": "coordinator", "unit": "C-a", "clearance": 0})
    assert ok.status_code == 302
    grant = Grant.objects.get(user=staff_a, role="coordinator")
    assert ChangeLogEntry.objects.filter(action="accounts.grant", object_id=str(grant.pk)).exists()
    client.post(reverse("grant-revoke", args=[staff_a.pk, grant.pk]))
    assert not Grant.objects.filter(pk=grant.pk).exists()
    assert ChangeLogEntry.objects.filter(action="accounts.revoke", object_id=str(grant.pk)).exists()


def test_clearance_above_own_is_refused(client, people):
    tree, admin_a, staff_a, _ = people
    client.login(username="admin-a", password=PW)
    page = client.post(
        reverse("user-detail", args=[staff_a.pk]), {"role": "viewer", "unit": "C-a", "clearance": 2}
    )
    assert page.status_code == 200
    assert not Grant.objects.filter(user=staff_a, clearance=2).exists()


def test_only_system_admin_creates_accounts(client, people):
    client.login(username="admin-a", password=PW)
    client.post(reverse("user-list"), {"username": "newbie", "password": "long-enough-pw"})
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="newbie").exists()


def test_non_admin_gets_404(client, people):
    client.login(username="staff-a", password=PW)
    assert client.get(reverse("user-list")).status_code == 404


def test_the_menu_links_the_user_administration_only_for_administrators(client, people):
    """A page a person cannot use is not linked from the menu."""
    link = f'href="{reverse("user-list")}"'
    client.login(username="staff-a", password=PW)
    assert link not in client.get(reverse("home")).content.decode()
    client.login(username="admin-a", password=PW)
    assert link in client.get(reverse("home")).content.decode()
