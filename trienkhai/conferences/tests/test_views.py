"""Conference pages through the Django client: list filters, scope, forms, roll-up, XLSX."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from trienkhai.conferences import actions
from trienkhai.conferences.models import Conference
from trienkhai.conferences.tests.conftest import values

D = datetime.date


@pytest.fixture
def conf(world):
    return actions.record_conference(None, **values(world))


def form_data(w, **over):
    data = {
        "host": "P-a",
        "date": "15/01/2022",
        "title": "Hội nghị quán triệt Kết luận 21",
        "format": "hybrid",
        "documents": "21-KL/TW\n01-KH/TU",
        "members_expected": "1.000",
        "members_attending": "975",
        "non_member_attendances": "",
        "deadline": "31/03/2022",
        "deadline_assignment": "",
        "note": "",
        "version": "",
        "points-TOTAL_FORMS": "2",
        "points-INITIAL_FORMS": "0",
        "points-0-level": "Cấp tỉnh",
        "points-0-count": "1",
        "points-1-level": "Cấp xã",
        "points-1-count": "20",
        "attendance-TOTAL_FORMS": "2",
        "attendance-INITIAL_FORMS": "0",
        "attendance-0-level": "Cấp xã",
        "attendance-0-category": "party_members",
        "attendance-0-count": "1.200",
        "attendance-1-level": "",
        "attendance-1-category": "",
        "attendance-1-count": "",
    }
    data.update(over)
    return data


def test_list_search_ignores_diacritics_and_filters(client, world, conf):
    client.force_login(world["viewer_a"])
    url = reverse("conferences-list")
    page = client.get(url, {"q": "hoi nghi quan triet ket luan"}).content.decode()
    assert "Hội nghị học tập, quán triệt Kết luận 21" in page and "Đúng hạn" in page
    assert "Chưa có hội nghị" in client.get(url, {"q": "khong co"}).content.decode()
    assert "Chưa có hội nghị" in client.get(url, {"date_from": "16/01/2022"}).content.decode()
    assert "15.500" in client.get(url, {"document": world["kh_a"].pk}).content.decode()
    assert client.get(url, {"unit": "C-a"}).content.decode().count("conference-detail") == 0
    assert client.get(url, {"unit": "P-b"}).status_code == 404
    bad = client.get(url, {"date_from": "2022/31/01"})
    assert bad.status_code == 200 and "Nhập một ngày hợp lệ" in bad.content.decode()


def test_another_province_sees_nothing(client, world, conf):
    client.force_login(world["coord_b"])
    assert "Chưa có hội nghị" in client.get(reverse("conferences-list")).content.decode()
    assert client.get(reverse("conference-detail", args=[conf.pk])).status_code == 404
    assert client.get(reverse("conference-edit", args=[conf.pk])).status_code == 404
    assert (
        client.get(reverse("conferences-rollup"), {"unit": world["prov_a"].pk}).status_code == 404
    )


def test_detail_shows_figures_and_rate(client, world, conf):
    client.force_login(world["viewer_a"])
    page = client.get(reverse("conference-detail", args=[conf.pk])).content.decode()
    assert "237" in page and "15.500" in page and "97,55%" in page
    assert "21-KL/TW" in page and "01-KH/TU" in page
    assert reverse("conference-edit", args=[conf.pk]) not in page  # a viewer does not edit


def test_create_with_two_documents_and_rows(client, world):
    client.force_login(world["coord_a"])
    assert client.get(reverse("conference-create")).status_code == 200
    response = client.post(reverse("conference-create"), form_data(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    c = Conference.objects.get()
    assert (c.total_points, c.total_attendees, c.members_expected) == (21, 1_200, 1_000)
    assert sorted(c.documents.values_list("symbol", flat=True)) == ["01-KH/TU", "21-KL/TW"]
    assert c.created_by == world["coord_a"]


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"points-1-count": "-3"}, "Số liệu không được âm."),
        ({"members_attending": "1.001"}, "tỷ lệ trên 100%"),
        ({"date": "2022-15-01"}, "Nhập một ngày hợp lệ"),
        ({"documents": "99-KL/TW"}, "Không tìm thấy văn bản 99-KL/TW"),
        ({"documents": "02-KH/TU"}, "Không tìm thấy văn bản 02-KH/TU"),
        ({"host": "P-b"}, "Không tìm thấy đơn vị “P-b”"),
        ({"points-0-level": ""}, "Hãy ghi cấp của điểm cầu."),
        ({"points-1-level": "cấp tỉnh"}, "được ghi hai lần"),
    ],
)
def test_create_refusals_are_shown_and_change_nothing(client, world, over, message):
    client.force_login(world["coord_a"])
    response = client.post(reverse("conference-create"), form_data(world, **over))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Conference.objects.exists()


def test_viewer_cannot_open_the_form(client, world):
    client.force_login(world["viewer_a"])
    assert client.get(reverse("conference-create")).status_code == 403


def test_edit_without_a_version_is_refused_and_changes_nothing(client, world, conf):
    client.force_login(world["coord_a"])
    response = client.post(reverse("conference-edit", args=[conf.pk]), form_data(world, title="X"))
    assert response.status_code == 400 and "Hãy tải lại trang" in response.content.decode()
    conf.refresh_from_db()
    assert conf.title != "X" and conf.version == 1


def test_edit_refuses_a_stale_version_and_shows_the_other_change(client, world, conf):
    client.force_login(world["coord_a"])
    edit = reverse("conference-edit", args=[conf.pk])
    page = client.get(edit).content.decode()
    assert 'value="Cấp xã"' in page and "21-KL/TW" in page
    actions.update_conference(world["coord_a"], conf, expected_version=1, note="Người khác sửa")
    data = form_data(world, version="1", title="Tên mới")
    response = client.post(edit, data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Người khác vừa lưu thay đổi" in body and "Người khác sửa" in body
    conf.refresh_from_db()
    assert conf.title != "Tên mới"
    response = client.post(edit, form_data(world, version="2", title="Tên mới"))
    assert response.status_code == 302
    conf.refresh_from_db()
    assert (conf.title, conf.version) == ("Tên mới", 3)


def test_rollup_page_and_drill_down(client, world, conf):
    actions.record_conference(
        None,
        **values(
            world,
            host=world["commune_a"],
            date=D(2022, 4, 2),
            documents=[world["kl21"]],
            points=[("Cấp xã", 3)],
            attendance=[("Cấp xã", "party_members", 80)],
        ),
    )
    client.force_login(world["viewer_a"])
    page = client.get(reverse("conferences-rollup")).content.decode()
    assert "Trực tiếp Tỉnh An" in page and "Xã Tây Sơn" in page
    assert f"?unit={world['commune_a'].pk}" in page
    assert "15.580" in page  # totals: 15.500 + 80
    drilled = client.get(reverse("conferences-rollup"), {"unit": world["commune_a"].pk})
    assert "Trực tiếp Xã a" in drilled.content.decode()
    # A document of another province is no choice: refused as a form error, never shown.
    other = client.get(reverse("conferences-rollup"), {"document": world["kh_b"].pk})
    assert 'role="alert"' in other.content.decode() and "02-KH/TU" not in other.content.decode()


def test_exports(client, world, conf):
    client.force_login(world["viewer_a"])
    response = client.get(reverse("conferences-list"), {"export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A2"].value == "Ngày tổ chức"
    assert ws["A3"].value.date() == D(2022, 1, 15) and ws["A3"].number_format == "DD/MM/YYYY"
    assert (ws["G3"].value, ws["H3"].value, ws["K3"].value) == (237, 15_500, 97.55)
    assert ws["F3"].value == "21-KL/TW, 01-KH/TU" or "21-KL/TW" in ws["F3"].value
    response = client.get(reverse("conferences-rollup"), {"export": "xlsx"})
    wb = load_workbook(io.BytesIO(response.content))
    by_unit, by_doc = wb.worksheets
    assert by_unit["A3"].value == "Trực tiếp Tỉnh An" and by_unit["G3"].value == 237
    last = by_unit.max_row
    assert by_unit[f"A{last}"].value == "Cộng" and by_unit[f"H{last}"].value == 15_500
    assert {by_doc["A3"].value[:8], by_doc["A4"].value[:8]} == {"21-KL/TW", "01-KH/TU"}
    client.force_login(world["coord_b"])
    ws = load_workbook(
        io.BytesIO(client.get(reverse("conferences-list"), {"export": "xlsx"}).content)
    ).active
    assert ws.max_row == 2  # caption and headers only
