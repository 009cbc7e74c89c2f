"""The tree page, its children endpoint, search, unit detail and the reorganisation forms."""

import datetime

import pytest
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.models import ChangeLogEntry
from trienkhai.units import actions
from trienkhai.units.models import Unit

D = datetime.date


@pytest.fixture
def user_a(tree):
    return factories.user("viewer-a", (Role.VIEWER, tree["prov_a"]))


@pytest.fixture
def admin_a(tree):
    return factories.user("admin-a", (Role.ADMINISTRATOR, tree["prov_a"]))


def get(client, user, name, *args, **params):
    client.force_login(user)
    return client.get(reverse(name, args=args), params)


def test_tree_renders_the_users_roots_with_lazy_toggles(client, tree, user_a, admin_user):
    body = get(client, user_a, "unit-tree").content.decode()
    assert "Tỉnh An" in body and "Tỉnh Bình" not in body and "Trung ương" not in body
    assert 'aria-expanded="false"' in body
    assert reverse("unit-children", args=[tree["prov_a"].pk]) in body
    assert "Xã a" not in body  # deeper levels load on demand
    assert "<script>" not in body and "onclick" not in body
    body = get(client, admin_user, "unit-tree").content.decode()
    assert "Trung ương" in body and "Tỉnh An" not in body


def test_children_endpoint_returns_one_level(client, tree, user_a):
    response = get(client, user_a, "unit-children", tree["prov_a"].pk)
    body = response.content.decode()
    assert response.status_code == 200 and "Xã a" in body and "Đảng bộ a" not in body
    assert reverse("unit-children", args=[tree["commune_a"].pk]) in body


def test_children_endpoint_is_one_query_per_expand(
    client, tree, user_a, django_assert_max_num_queries
):
    client.force_login(user_a)
    url = reverse("unit-children", args=[tree["prov_a"].pk])
    client.get(url)  # warm the session and the user's grants
    with django_assert_max_num_queries(5):  # session, user, grants, the unit, its children
        client.get(url)


def test_closed_units_appear_only_when_asked(client, tree, admin_user):
    actions.dissolve_unit(None, tree["cell_a"], date=D(2024, 1, 1))
    url_args = (tree["org_a"].pk,)
    assert "Chi bộ a" not in get(client, admin_user, "unit-children", *url_args).content.decode()
    body = get(client, admin_user, "unit-children", *url_args, closed="1").content.decode()
    assert "Chi bộ a" in body and "Đã kết thúc" in body


def test_children_as_of_differ_after_a_move(client, tree, admin_user):
    actions.move_unit(None, tree["org_a"], new_parent=tree["commune_b"], date=D(2024, 5, 1))
    actions.rename_unit(None, tree["commune_b"], name="Xã b mới", date=D(2024, 5, 1))
    before = get(client, admin_user, "unit-children", tree["commune_a"].pk, as_of="01/01/2023")
    assert "Đảng bộ a" in before.content.decode()
    after = get(client, admin_user, "unit-children", tree["commune_a"].pk, as_of="2024-06-01")
    assert "Đảng bộ a" not in after.content.decode()
    today_b = get(client, admin_user, "unit-children", tree["commune_b"].pk).content.decode()
    assert "Đảng bộ a" in today_b
    # names as they were: the province's children on a past date carry the old name
    old = get(client, admin_user, "unit-children", tree["prov_b"].pk, as_of="01/01/2023")
    assert "Xã b" in old.content.decode() and "Xã b mới" not in old.content.decode()


def test_tree_as_of_a_date_before_a_merge(client, tree, admin_user):
    actions.merge_units(None, units=[tree["prov_a"]], into=tree["prov_b"], date=D(2025, 7, 1))
    today = get(client, admin_user, "unit-children", tree["root"].pk).content.decode()
    assert "Tỉnh An" not in today and "Tỉnh Bình" in today
    then = get(client, admin_user, "unit-children", tree["root"].pk, as_of="30/06/2025")
    assert "Tỉnh An" in then.content.decode()
    page = get(client, admin_user, "unit-tree", as_of="30/06/2025").content.decode()
    assert "Cây tổ chức tại ngày 30/06/2025" in page and "as_of=2025-06-30" in page


def test_search_ignores_diacritics_and_shows_full_path(client, tree, admin_user):
    dam_ha = factories.unit(tree["prov_a"], "commune", "Đảng bộ xã Đầm Hà", "C-dh")
    body = get(client, admin_user, "unit-tree", q="dam ha").content.decode()
    assert reverse("unit-detail", args=[dam_ha.pk]) in body
    assert "Trung ương › Tỉnh An › Đảng bộ xã Đầm Hà" in body


def test_province_a_user_never_sees_province_b(client, tree, user_a):
    b = tree["prov_b"]
    assert "Tỉnh Bình" not in get(client, user_a, "unit-tree").content.decode()
    assert get(client, user_a, "unit-children", b.pk).status_code == 404
    assert get(client, user_a, "unit-children", tree["root"].pk).status_code == 404
    assert get(client, user_a, "unit-detail", b.pk).status_code == 404
    assert get(client, user_a, "unit-detail", tree["cell_b"].pk).status_code == 404
    body = get(client, user_a, "unit-tree", q="xa").content.decode()
    assert "Xã a" in body and "Xã b" not in body
    body = get(client, user_a, "unit-tree", q="binh").content.decode()
    assert "Không tìm thấy đơn vị nào." in body


def test_detail_shows_facts_breadcrumb_children_and_links(client, tree, admin_user):
    actions.merge_units(None, units=[tree["commune_b"]], into=tree["commune_a"], date=D(2025, 7, 1))
    response = get(client, admin_user, "unit-detail", tree["commune_a"].pk)
    body = response.content.decode()
    assert response.status_code == 200
    assert "C-a" in body and "Xã" in body
    assert reverse("unit-detail", args=[tree["prov_a"].pk]) in body  # parent and breadcrumb
    assert "Đảng bộ a" in body and "Đảng bộ b" in body  # both organisations now under it
    assert "Xã b" in body and "Hợp nhất, sáp nhập" in body and "01/07/2025" in body
    closed = get(client, admin_user, "unit-detail", tree["commune_b"].pk).content.decode()
    assert "Đã kết thúc từ 01/07/2025" in closed
    assert reverse("unit-detail", args=[tree["commune_a"].pk]) in closed  # successor link


def test_detail_history_tab_lists_periods_and_log(client, tree, admin_user):
    actions.rename_unit(None, tree["commune_a"], name="Xã An mới", date=D(2024, 3, 1))
    body = get(client, admin_user, "unit-detail", tree["commune_a"].pk, tab="history")
    body = body.content.decode()
    assert "01/01/2020" in body and "01/03/2024" in body and "Xã An mới" in body
    assert "Đổi tên đơn vị" in body and "Thành lập đơn vị" in body and "units.rename" not in body


def test_detail_as_of_shows_the_state_and_children_then(client, tree, admin_user):
    actions.rename_unit(None, tree["commune_a"], name="Xã An mới", date=D(2024, 3, 1))
    actions.move_unit(None, tree["org_a"], new_parent=tree["commune_b"], date=D(2024, 5, 1))
    body = get(client, admin_user, "unit-detail", tree["commune_a"].pk, as_of="01/01/2023")
    body = body.content.decode()
    assert 'class="facts as-of"' in body and "<dd>Xã a</dd>" in body
    assert "Đơn vị trực thuộc ngày 01/01/2023" in body and "Đảng bộ a" in body


def test_detail_outside_scope_is_404(client, tree, user_a):
    assert get(client, user_a, "unit-detail", tree["commune_b"].pk).status_code == 404
    assert get(client, user_a, "unit-detail", 999999).status_code == 404


def post(client, user, unit, op, **data):
    # The dates below lie months or years back: confirmed, as the form asks for them.
    data.setdefault("confirm_backdated", "on")
    client.force_login(user)
    return client.post(
        reverse("unit-reorganise", args=[unit.pk, op]), {f"{op}-{k}": v for k, v in data.items()}
    )


def test_forms_shown_only_to_administrators(client, tree, user_a, admin_a):
    assert (
        'id="reorg-rename"'
        not in get(client, user_a, "unit-detail", tree["commune_a"].pk).content.decode()
    )
    assert (
        'id="reorg-rename"'
        in get(client, admin_a, "unit-detail", tree["commune_a"].pk).content.decode()
    )


def test_rename_and_move_refused_for_non_admin(client, tree, user_a):
    r = post(client, user_a, tree["commune_a"], "rename", name="Tên khác", date="01/01/2025")
    assert r.status_code == 403
    r = post(client, user_a, tree["org_a"], "move", parent_code="C-a", date="01/01/2025")
    assert r.status_code == 403
    assert Unit.objects.get(pk=tree["commune_a"].pk).name == "Xã a"


def test_rename_by_admin_redirects_with_a_message(client, tree, admin_a):
    r = post(
        client, admin_a, tree["commune_a"], "rename", name="Xã An", short_name="", date="01/03/2025"
    )
    assert r.status_code == 302
    assert Unit.objects.get(pk=tree["commune_a"].pk).name == "Xã An"
    assert "Đã đổi tên đơn vị." in client.get(r["Location"]).content.decode()


def test_move_under_own_descendant_shows_the_message_and_changes_nothing(client, tree, admin_a):
    logs = ChangeLogEntry.objects.count()
    path = Unit.objects.get(pk=tree["commune_a"].pk).path
    r = post(client, admin_a, tree["commune_a"], "move", parent_code="G-a", date="01/01/2025")
    body = r.content.decode()
    assert r.status_code == 200 and "chính nó hoặc đơn vị trực thuộc" in body
    assert '<details id="reorg-move" open>' in body
    commune = Unit.objects.get(pk=tree["commune_a"].pk)
    assert commune.parent_id == tree["prov_a"].pk and commune.path == path
    assert ChangeLogEntry.objects.count() == logs


def test_move_to_a_parent_outside_scope_is_not_found(client, tree, admin_a):
    r = post(client, admin_a, tree["org_a"], "move", parent_code="C-b", date="01/01/2025")
    assert "Không tìm thấy đơn vị “C-b”" in r.content.decode()
    assert Unit.objects.get(pk=tree["org_a"].pk).parent_id == tree["commune_a"].pk


def test_move_merge_split_and_dissolve_by_admin(client, tree, admin_a):
    prov = tree["prov_a"]
    c2 = factories.unit(prov, "commune", "Xã hai", "C-2")
    r = post(client, admin_a, tree["org_a"], "move", parent_code="C-2", date="01/02/2025")
    assert r.status_code == 302 and Unit.objects.get(pk=tree["org_a"].pk).parent_id == c2.pk
    r = post(client, admin_a, tree["commune_a"], "merge", into_code="C-2", date="01/03/2025")
    assert r.status_code == 302 and Unit.objects.get(pk=tree["commune_a"].pk).valid_to == D(
        2025, 3, 1
    )
    r = post(
        client,
        admin_a,
        c2,
        "split",
        successors="C-3; Xã ba\nC-4; Xã bốn",
        work_to="2",
        date="01/04/2025",
    )
    assert r.status_code == 302, r.content.decode()
    c4 = Unit.objects.get(code="C-4")
    assert c4.parent_id == prov.pk and Unit.objects.get(pk=tree["org_a"].pk).parent_id == c4.pk
    r = post(client, admin_a, Unit.objects.get(code="C-3"), "dissolve", date="01/05/2025")
    assert r.status_code == 302 and Unit.objects.get(code="C-3").valid_to == D(2025, 5, 1)


def test_bad_date_is_a_form_error(client, tree, admin_a):
    r = post(client, admin_a, tree["commune_a"], "rename", name="X", date="2025/31/12")
    assert r.status_code == 200 and 'class="errorlist' in r.content.decode()
    assert Unit.objects.get(pk=tree["commune_a"].pk).name == "Xã a"
