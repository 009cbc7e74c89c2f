"""The guided flow's pages: opened from a directive, rows pasted, previewed, confirmed; bad input
refused row by row with nothing written; only coordinators may use it."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.models import Document
from trienkhai.tracking.models import Assignment, Plan, Task
from trienkhai.tracking.tests.test_issue import build_world
from trienkhai.tree.kinds import UnitKind

pytestmark = pytest.mark.django_db
URL = reverse("tracking-plan-issue")
PASTE = "\n".join(f"Nhiệm vụ {i}\t\t\tquý III/2026\tBáo cáo\t100 %" for i in range(1, 6))


def post_data(world, step, rows=(), **extra):
    data = {
        "step": step,
        "source": str(world["directive"].pk),
        "issuing_unit": "Tỉnh An (P-a)",
        "doc_type": "ke_hoach",
        "symbol": "06-KH/TU",
        "term": "XVII",
        "date": "02/03/2026",
        "subject": "Kế hoạch thực hiện Kết luận 21",
        "default_rule": "commune",
        "requires_plan": "on",
        "plan_due": "30/04/2026",
        "paste": "",
        "t-TOTAL_FORMS": str(len(rows)),
        "t-INITIAL_FORMS": "0",
    }
    for i, row in enumerate(rows):
        data.update({f"t-{i}-rule": "default"})
        data.update({f"t-{i}-{k}": v for k, v in row.items()})
    data.update(extra)
    return data


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def client_in(client, world):
    client.force_login(world["coordinator"])
    return client


def test_opens_from_the_directive_with_the_number_proposed(client_in, world):
    page = client_in.get(URL, {"from": world["directive"].pk}).content.decode()
    assert 'value="06-KH/TU"' in page and 'value="XVII"' in page
    assert "21-KL/TW" in page
    assert 'value="Tỉnh An (P-a)"' in page  # the issuing unit defaults to the user's unit
    assert 'role="listbox"' in page and "data-unit-picker" in page


def test_paste_step_turns_sheet_lines_into_rows(client_in, world):
    resp = client_in.post(URL, post_data(world, "paste", paste=PASTE, **{"t-TOTAL_FORMS": "1"}))
    page = resp.content.decode()
    assert resp.status_code == 200
    assert 'name="t-TOTAL_FORMS" value="5"' in page
    assert "Nhiệm vụ 5</textarea>" in page
    assert not Plan.objects.exists()


def test_preview_counts_then_confirm_writes_everything(client_in, world):
    rows = [{"title": f"Nhiệm vụ {i}", "deadline_text": "quý III/2026"} for i in range(1, 6)]
    preview = client_in.post(URL, post_data(world, "preview", rows))
    page = preview.content.decode()
    assert preview.status_code == 200, page
    assert "Xác nhận ban hành" in page
    # 6 tasks (5 + the obligation) to 2 xã, 1 phường, 1 đặc khu each.
    assert "12 xã, 6 phường, 6 đặc khu" in page
    assert not Plan.objects.exists()
    resp = client_in.post(URL, post_data(world, "confirm", rows))
    plan = Plan.objects.get()
    assert resp.status_code == 302 and resp.url == reverse("tracking-plan", args=[plan.pk])
    assert plan.tasks.count() == 6 and plan.tasks.filter(requires_plan=True).count() == 1
    assert Assignment.objects.filter(task__plan=plan).count() == 24


def test_bad_rows_get_their_own_errors_and_nothing_is_written(client_in, world):
    docs = Document.objects.count()
    rows = [
        {"title": "Đúng", "deadline_text": "quý III/2026"},
        {"title": "Sai hạn", "deadline_text": "quý V/2026"},
        {"title": "Sai đơn vị", "deadline_text": "quý III/2026", "lead_unit": "Xã Không Có"},
        {"deadline_text": "quý III/2026"},
    ]
    resp = client_in.post(URL, post_data(world, "confirm", rows))
    page = resp.content.decode()
    assert resp.status_code == 400
    assert "Không tìm thấy đơn vị “Xã Không Có” trong phạm vi của bạn." in page
    assert Document.objects.count() == docs and not Task.objects.exists()
    # Once the unit is fixed, the action's own refusals name their rows.
    rows[2]["lead_unit"] = "xa tuy phong"
    page = client_in.post(URL, post_data(world, "confirm", rows)).content.decode()
    assert "Dòng 2: Không đọc được thời hạn" in page
    assert "Dòng 4: Nội dung nhiệm vụ là bắt buộc." in page
    assert Document.objects.count() == docs and not Task.objects.exists()


def test_units_outside_scope_are_refused(client_in, world):
    rows = [{"title": "A", "deadline_text": "quý III/2026", "rule": "units", "units": "Xã b (C-b)"}]
    resp = client_in.post(URL, post_data(world, "preview", rows))
    assert resp.status_code == 400
    assert "Không tìm thấy đơn vị “Xã b (C-b)”" in resp.content.decode()


def test_live_preview_answers_a_fragment(client_in, world):
    rows = [{"title": "A", "deadline_text": "quý III/2026"}]
    resp = client_in.post(
        URL, post_data(world, "preview", rows, requires_plan=""), headers={"X-Preview": "1"}
    )
    page = resp.content.decode()
    assert "<html" not in page and "2 xã, 1 phường, 1 đặc khu" in page


def test_number_endpoint_proposes_for_the_chosen_unit(client_in, world):
    url = reverse("tracking-plan-issue-number")
    got = client_in.get(url, {"unit": "Tỉnh An (P-a)", "doc_type": "chuong_trinh_hanh_dong"})
    assert got.json()["symbol"] == "01-CTr/TU"
    assert client_in.get(url, {"unit": "Tỉnh Bình (P-b)"}).json()["symbol"] == ""


def test_reporters_may_not_issue_plans(client, world):
    client.force_login(factories.user("vanthu", (Role.REPORTER, world["commune_a"])))
    assert client.get(URL).status_code == 403


def test_a_document_outside_reach_is_not_found(client, world):
    secret_holder = factories.user("bithu-binh", (Role.COORDINATOR, world["prov_b"]))
    other = Document.objects.get(symbol="05-KH/TU")
    client.force_login(secret_holder)
    assert client.get(URL, {"from": other.pk}).status_code == 404
    assert datetime.date.today()  # the flow itself does not depend on the day


def test_back_to_editing_keeps_every_row(client_in, world):
    rows = [{"title": f"Nhiệm vụ {i}", "deadline_text": "quý III/2026"} for i in range(1, 4)]
    page = client_in.post(URL, post_data(world, "edit", rows)).content.decode()
    assert 'name="t-TOTAL_FORMS" value="3"' in page
    assert "Nhiệm vụ 3</textarea>" in page and 'value="06-KH/TU"' in page
    assert not Plan.objects.exists()


def test_a_lower_unit_issues_its_plan_from_the_higher_plan(client, world):
    rows = [{"title": "Quán triệt", "deadline_text": "quý III/2026"}]
    client.force_login(world["coordinator"])
    client.post(URL, post_data(world, "confirm", rows))
    province_plan = Plan.objects.get()
    cell = factories.unit(world["tuyphong"], UnitKind.GRASSROOTS, "Chi bộ thôn 1", "C-tp-1")
    commune = factories.user("bithu-xa", (Role.COORDINATOR, world["tuyphong"]))
    client.force_login(commune)
    page = client.get(URL, {"plan": province_plan.pk}).content.decode()
    assert "06-KH/TU" in page and 'value="Xã Tuy Phong (C-tp)"' in page
    data = post_data(
        world,
        "confirm",
        rows,
        source=str(province_plan.document.pk),
        issuing_unit="Xã Tuy Phong (C-tp)",
        symbol="01-KH/ĐU",
        term="2025-2030",
        default_rule="children",
        requires_plan="",
    )
    resp = client.post(f"{URL}?plan={province_plan.pk}", data)
    assert resp.status_code == 302, re.findall(r"errorlist[^<]*<li>([^<]*)", resp.content.decode())
    plan = Plan.objects.get(document__symbol="01-KH/ĐU")
    assert plan.parent == province_plan and plan.directive_id == world["directive"].pk
    assert list(Assignment.objects.filter(task__plan=plan).values_list("unit", flat=True)) == [
        cell.pk
    ]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"step": "confirm", "t-TOTAL_FORMS": "x"},
        {"step": "paste", "paste": "\t\t\n\t"},
        {"step": "add_row"},
        {"step": "confirm", "source": "99999999999999999999"},
    ],
)
def test_malformed_posts_are_answered_never_with_a_500(client_in, data):
    resp = client_in.post(URL, data)
    assert resp.status_code in (200, 400, 404)
    assert not Plan.objects.exists()
