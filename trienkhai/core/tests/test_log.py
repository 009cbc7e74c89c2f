import datetime

import pytest
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core import registry
from trienkhai.core.actions import Change, record, record_many
from trienkhai.core.context import acting_as
from trienkhai.core.models import ChangeLogEntry
from trienkhai.core.queries import history_for
from trienkhai.home.queries import log_entries
from trienkhai.units import actions

D = datetime.date


@pytest.fixture
def renamed(tree):
    admin_a = factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))
    with acting_as(admin_a, "a" * 32):
        actions.rename_unit(
            admin_a,
            tree["commune_a"],
            name="Phường An Mới",
            date=D(2024, 1, 1),
            confirm_backdated=True,
        )
    actions.rename_unit(None, tree["commune_b"], name="Phường Bình Mới", date=D(2024, 1, 1))
    return tree, admin_a


def test_log_is_scoped_to_the_users_units(renamed):
    tree, admin_a = renamed
    viewer_a = factories.user("viewer-a", (Role.VIEWER, tree["prov_a"]))
    reprs = set(log_entries(viewer_a).values_list("object_repr", flat=True))
    assert "Phường An Mới" in reprs
    assert "Phường Bình Mới" not in reprs


def test_log_filters_by_user_unit_and_date(renamed):
    tree, admin_a = renamed
    root_admin = factories.user("boss", superuser=True)
    by_user = log_entries(root_admin, username="admin-a")
    assert by_user.exists() and set(by_user.values_list("user_name", flat=True)) == {"admin-a"}
    assert all(e.request_id == "a" * 32 for e in by_user)
    by_unit = log_entries(root_admin, unit=tree["prov_b"])
    assert "Phường Bình Mới" in set(by_unit.values_list("object_repr", flat=True))
    assert "Phường An Mới" not in set(by_unit.values_list("object_repr", flat=True))
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    assert not log_entries(root_admin, date_from=tomorrow).exists()


def test_history_for_object(renamed):
    tree, _ = renamed
    entries = list(history_for(tree["commune_a"]))
    assert [e.action for e in entries][:1] == ["units.rename"]
    assert entries[-1].action == "units.create"


def test_log_page_renders_filtered_and_scoped(client, renamed):
    tree, _ = renamed
    factories.user("viewer-b", (Role.VIEWER, tree["prov_b"]), password="pw-viewer-b!")
    client.login(username="viewer-b", password="pw-viewer-b!")
    page = client.get(reverse("change-log"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Phường Bình Mới" in body and "Phường An Mới" not in body
    bad = client.get(reverse("change-log"), {"date_from": "31/02/2024"})
    assert bad.status_code == 200 and "errors" in bad.content.decode()


def test_no_view_edits_the_log(renamed):
    count = ChangeLogEntry.objects.count()
    assert count > 0
    with pytest.raises(Exception):  # noqa: B017
        ChangeLogEntry.objects.all().delete()
    assert ChangeLogEntry.objects.count() == count


def test_record_many_writes_the_rows_record_writes_one_by_one(tree):
    admin = factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))
    units = [tree["commune_a"], tree["org_a"]]

    def rows(action):
        values = list(ChangeLogEntry.objects.filter(action=action).order_by("id").values())
        for v in values:
            assert v.pop("id") and v.pop("time")
        return [{**v, "action": "-"} for v in values]

    one = registry.override("log.actions", "test.one", "one")
    many = registry.override("log.actions", "test.many", "many")
    with one, many, acting_as(admin, "b" * 32):
        for u in units:
            record(admin, "test.one", u, unit=u, before={"n": 1}, after={"n": u.pk})
        changes = [Change(u, unit=u, before={"n": 1}, after={"n": u.pk}) for u in units]
        record_many(admin, "test.many", changes)
    one_by_one = rows("test.one")
    assert one_by_one == rows("test.many")
    assert [r["object_id"] for r in one_by_one] == [str(u.pk) for u in units]
    assert {r["request_id"] for r in one_by_one} == {"b" * 32}
