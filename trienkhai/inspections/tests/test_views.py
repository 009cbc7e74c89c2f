"""Pages through the Django client: scope (404 outside), each section, forms and their refusals."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.models import Inspection, RemediationRequest, RequestState, State
from trienkhai.inspections.tests.conftest import new_inspection, to_concluded

D = datetime.date


@pytest.fixture
def concluded(world):
    inspection, parts = to_concluded(world, new_inspection(world))
    conclusion_actions.add_finding(
        world.inspector, parts[world.commune_a.pk], kind="strength", text="Quán triệt nghiêm túc"
    )
    conclusion_actions.add_finding(
        world.inspector, parts[world.org_a.pk], kind="violation", text="Vi phạm của đảng bộ"
    )
    req = conclusion_actions.add_request(
        world.inspector, parts[world.commune_a.pk], text="Sửa quy chế", deadline=D(2024, 11, 1)
    )
    return inspection, parts, req


def test_list_detail_and_search(client, world, concluded):
    inspection, _parts, _req = concluded
    client.force_login(world.inspector)
    page = client.get(reverse("inspections-list"), {"q": "ket luan 21"}).content.decode()
    assert "Đoàn kiểm tra số 5" in page
    assert (
        "Đoàn kiểm tra số 5"
        not in client.get(reverse("inspections-list"), {"q": "khong co"}).content.decode()
    )
    detail = client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()
    assert "30-TB/TU" in detail and "Vi phạm của đảng bộ" in detail
    assert "Bước tiếp theo: Theo dõi khắc phục" in detail


def test_other_province_gets_404(client, world, concluded):
    inspection, parts, req = concluded
    client.force_login(world.viewer_b)
    assert "Đoàn kiểm tra số 5" not in client.get(reverse("inspections-list")).content.decode()
    assert client.get(reverse("inspection-detail", args=[inspection.pk])).status_code == 404
    assert client.get(reverse("inspections-request", args=[req.pk])).status_code == 404
    assert client.get(reverse("inspection-conclusions", args=[inspection.pk])).status_code == 404
    page = client.get(reverse("inspections-requests")).content.decode()
    assert "Sửa quy chế" not in page
    client.force_login(world.inspector_b)
    response = client.post(reverse("inspection-step", args=[inspection.pk]), {"date": "06/10/2024"})
    assert response.status_code == 404


def test_inspected_unit_sees_only_its_part(client, world, concluded):
    inspection, parts, _req = concluded
    client.force_login(world.commune_rep)
    page = client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()
    assert "Quán triệt nghiêm túc" in page
    assert "Vi phạm của đảng bộ" not in page
    assert world.org_a.name not in page
    assert "Bạn chỉ xem được phần của đơn vị mình." in page
    report = parts[world.org_a.pk].self_reports.first()
    assert client.get(reverse("selfreport-file", args=[report.pk])).status_code == 404
    own = parts[world.commune_a.pk].self_reports.first()
    response = client.get(reverse("selfreport-file", args=[own.pk]))
    assert response.status_code == 200 and response["X-Content-Type-Options"] == "nosniff"


def test_create_with_warnings_and_refusal(client, world):
    client.force_login(world.inspector)
    data = {
        "kind": "thematic_inspection",
        "unit": "P-a",
        "title": "Giám sát việc học tập nghị quyết",
        "inspected_units": "C-b",
        "period_from": "01/01/2015",
        "period_to": "31/12/2023",
        "work_from": "01/03/2024",
        "work_to": "30/06/2024",
    }
    response = client.post(reverse("inspection-create"), data)
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị “C-b” trong phạm vi của bạn." in response.content.decode()
    assert not Inspection.objects.exists()
    data["inspected_units"] = "C-a, G-a"
    response = client.post(reverse("inspection-create"), data)
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("inspection-detail", args=[inspection.pk])).content.decode()
    assert "Thời kỳ kiểm tra dài hơn 5 năm" in page
    assert "vượt giới hạn 45 ngày" in page


def test_step_form_registers_the_decision(client, world):
    inspection = new_inspection(world)
    client.force_login(world.inspector)
    url = reverse("inspection-step", args=[inspection.pk])
    response = client.post(
        url, {"symbol": "15-QĐ/TU", "doc_date": "20/08/2024", "version": inspection.version}
    )
    assert response.status_code == 400
    assert "hãy nhập trích yếu" in response.content.decode()
    response = client.post(
        url,
        {
            "symbol": "15-QĐ/TU",
            "doc_date": "20/08/2024",
            "subject": "Quyết định thành lập đoàn",
            "term": "XVII",
            "version": inspection.version,
        },
    )
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.state == State.DECIDED and inspection.decision.symbol == "15-QĐ/TU"
    # A stale form is refused with the stored values shown.
    response = client.post(url, {"date": "01/09/2024", "version": 1})
    assert response.status_code == 409
    assert "Người khác vừa lưu thay đổi" in response.content.decode()
    # A post that carries no version at all is refused too: it could overwrite unseen work.
    response = client.post(url, {"date": "01/09/2024"})
    assert response.status_code == 400
    assert "Hãy tải lại trang" in response.content.decode()
    inspection.refresh_from_db()
    assert inspection.state == State.DECIDED


def test_request_page_flow_and_refusal(client, world, concluded):
    _inspection, _parts, req = concluded
    client.force_login(world.commune_rep)
    page = client.get(reverse("inspections-request", args=[req.pk])).content.decode()
    assert "Lưu kế hoạch" in page and "Ghi đánh giá" not in page
    response = client.post(
        reverse("inspections-request-plan", args=[req.pk]),
        {"text": "Họp chi bộ sửa quy chế", "start_on": "10/10/2024", "version": req.version},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == RequestState.IN_PROGRESS
    response = client.post(
        reverse("inspections-request-report", args=[req.pk]),
        {
            "reported_on": "20/10/2024",
            "text": "Đã sửa quy chế",
            "file": SimpleUploadedFile("quy-che.pdf", b"%PDF quy che"),
            "version": req.version,
        },
    )
    assert response.status_code == 302
    client.force_login(world.inspector)
    req.refresh_from_db()
    response = client.post(
        reverse("inspections-request-close", args=[req.pk]),
        {"date": "25/10/2024", "version": req.version},
    )
    assert response.status_code == 400
    assert "Chưa có đánh giá xác nhận" in response.content.decode()
    req.refresh_from_db()
    assert req.state == RequestState.REPORTED


def test_conclusions_page_adds_request(client, world, concluded):
    inspection, parts, _req = concluded
    client.force_login(world.inspector)
    url = reverse("inspection-conclusions", args=[inspection.pk])
    assert "Ghi yêu cầu" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "form": "request",
            "request-part": parts[world.org_a.pk].pk,
            "request-text": "Xử lý vi phạm",
            "request-deadline": "31/12/2024",
        },
    )
    assert response.status_code == 302
    assert RemediationRequest.objects.filter(text="Xử lý vi phạm", owner=world.org_a).exists()
    response = client.post(
        url,
        {
            "form": "request",
            "request-part": parts[world.org_a.pk].pk,
            "request-text": "Sai hạn",
            "request-deadline": "01/01/2020",
        },
    )
    assert response.status_code == 400
    assert "Thời hạn phải sau ngày thông báo kết luận." in response.content.decode()


def test_recommendation_answer_forms_have_their_own_ids(client, world, concluded):
    import re

    inspection, parts, _req = concluded
    recs = [
        conclusion_actions.add_recommendation(world.commune_rep, parts[world.commune_a.pk], text=t)
        for t in ("Kiến nghị một", "Kiến nghị hai")
    ]
    client.force_login(world.inspector)
    url = reverse("inspection-conclusions", args=[inspection.pk])
    page = client.get(url).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # no element id repeated on the page
    for rec in recs:
        assert f'id="response-{rec.pk}_response"' in page
    assert page.count('name="version"') == 2  # one per form, not two in each
    answer = reverse("recommendation-respond", args=[recs[1].pk])
    bad = client.post(answer, {"response": "", "responded_on": "20/10/2024", "version": 1})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert html.count("has-errors") == 1  # only the form that was sent shows the error
    assert f'id="response-{recs[0].pk}_response"' in html
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    ok = client.post(answer, {"response": "Sẽ trả lời", "responded_on": "20/10/2024", "version": 1})
    assert ok.status_code == 302
    recs[1].refresh_from_db()
    assert recs[1].response == "Sẽ trả lời" and recs[0].response == ""


def test_requests_lists_both_sides_and_exports(client, world, concluded):
    _inspection, _parts, req = concluded
    client.force_login(world.commune_rep)
    owner = client.get(reverse("inspections-requests"), {"side": "owner"}).content.decode()
    assert "Sửa quy chế" in owner
    issued = client.get(reverse("inspections-requests"), {"side": "issued"}).content.decode()
    assert "Sửa quy chế" not in issued
    client.force_login(world.inspector)
    overdue = client.get(
        reverse("inspections-requests"),
        {"side": "issued", "status": "overdue", "as_of": "02/11/2024"},
    ).content.decode()
    assert "Sửa quy chế" in overdue and "Quá hạn 1 ngày" in overdue
    response = client.get(
        reverse("inspections-requests-export"), {"side": "issued", "as_of": "02/11/2024"}
    )
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A3"].value == "Sửa quy chế" and ws["I3"].value == 1
    response = client.get(reverse("inspections-export"))
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A3"].value == "Đoàn kiểm tra số 5"
    assert ws["E3"].value.count(";") == 1


def test_panel_counts_both_sides(world, concluded):
    from django.template.loader import render_to_string

    from trienkhai.inspections.panels import panel

    data = panel(world.inspector, world.prov_a, D(2024, 11, 2))
    assert (data["owned_open"], data["owned_overdue"]) == (1, 1)
    assert (data["issued_open"], data["issued_overdue"]) == (1, 1)
    assert [r.text for r in data["oldest_overdue"]] == ["Sửa quy chế"]
    html = render_to_string("inspections/_panel.html", {"panel": data})
    assert "quá 1 ngày" in html
    early = panel(world.inspector, world.prov_a, D(2024, 10, 1))
    assert early["owned_open"] == 0  # not issued yet on that date
    other = panel(world.viewer_b, world.prov_b, D(2024, 11, 2))
    assert other["owned_open"] == other["issued_open"] == 0


def test_panel_reads_the_scope_only_for_users_who_do_not_reach_the_whole_subtree(world, concluded):
    from trienkhai.inspections import queries
    from trienkhai.inspections.panels import panel
    from trienkhai.tree.paths import subtree_q

    as_of = D(2024, 11, 2)
    for user in (world.inspector, world.commune_rep):
        data = panel(user, world.prov_a, as_of)
        visible = queries.visible_requests(user).filter(
            subtree_q(world.prov_a.path, "owner") | subtree_q(world.prov_a.path, "inspection__unit")
        )
        expected = [
            r.pk for r in visible.filter(queries.overdue_q(as_of)).order_by("deadline", "id")
        ]
        assert [r.pk for r in data["oldest_overdue"]] == expected
        assert data["owned_open"] + data["issued_open"] >= len(expected)
