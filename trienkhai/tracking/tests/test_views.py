"""Tracking pages through the Django client: dashboard scope and drill-down, plan and task forms,
the report → return → resubmit → accept flow, stale saves."""

import datetime

import pytest
from django.urls import reverse

from tests.builders import bulk, factories
from trienkhai.accounts.models import Role
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment, Plan, ProgressReport, ReportState, Task
from trienkhai.tree.kinds import UnitKind

D = datetime.date
PLAN_DATE = D(2021, 11, 1)


def register(actor, symbol, unit, doc_type=DocType.PLAN, date=PLAN_DATE, subject="Kế hoạch"):
    return doc_actions.register_document(
        actor,
        symbol=symbol,
        doc_type=doc_type,
        issuing_unit=unit,
        term="XIII",
        date=date,
        subject=subject,
    )


@pytest.fixture
def world(tree):
    """Centre plan for Kết luận 21 with a quý I/2022 task for every province and every commune,
    and a plan obligation for the provinces (province A has issued its plan, B has not)."""
    root = tree["root"]
    coord = factories.user("coord", (Role.COORDINATOR, root))
    directive = register(
        coord, "21-KL/TW", root, DocType.CONCLUSION, D(2021, 10, 25), "Kết luận 21"
    )
    plan_doc = register(coord, "03-KH/TW", root, subject="Kế hoạch thực hiện Kết luận 21")
    plan = plan_actions.register_plan(coord, plan_doc, implements=directive)
    study = plan_actions.add_task(
        coord, plan, title="Học tập, quán triệt", lead_unit=root, deadline_text="quý I/2022"
    )
    assign_actions.assign(coord, study, rule="children")
    assign_actions.assign(coord, study, rule="kind", kind=UnitKind.COMMUNE)
    obligation = plan_actions.add_task(
        coord,
        plan,
        title="Ban hành kế hoạch thực hiện",
        lead_unit=root,
        deadline_text="tháng 12/2021",
        requires_plan=True,
    )
    assign_actions.assign(coord, obligation, units=[tree["prov_a"], tree["prov_b"]], rule="units")
    coord_a = factories.user("coord-a", (Role.COORDINATOR, tree["prov_a"]))
    plan_a = register(coord_a, "05-KH/TU", tree["prov_a"], date=D(2021, 12, 10))
    plan_actions.register_plan(coord_a, plan_a, implements=directive)
    return {
        **tree,
        "coord": coord,
        "coord_a": coord_a,
        "directive": directive,
        "plan": plan,
        "study": study,
        "obligation": obligation,
        "rep_a": factories.user("rep-a", (Role.REPORTER, tree["prov_a"], False)),
        "rep_commune": factories.user("rep-xa", (Role.REPORTER, tree["commune_a"], False)),
        "viewer_a": factories.user("viewer-a", (Role.VIEWER, tree["prov_a"])),
    }


def client_for(client, user):
    client.force_login(user)
    return client


def study_of(world, unit):
    return Assignment.objects.get(task=world["study"], unit=world[unit])


# --- dashboard -------------------------------------------------------------------------------


def test_dashboard_for_the_country(client, world):
    c = client_for(client, world["coord"])
    resp = c.get(reverse("tracking-dashboard"), {"as_of": "01/06/2022"})
    assert resp.status_code == 200
    html = resp.content.decode()
    assert "Tỉnh An" in html and "Tỉnh Bình" in html
    # Coverage in the seeds' words, with the province that has not issued named in full.
    assert "1/2 đơn vị đã ban hành kế hoạch (50%)" in html
    assert "Trung ương › Tỉnh Bình" in html
    # Statuses in words (not only colours) and the charts as inline SVG.
    assert "Quá hạn chưa hoàn thành" in html
    assert html.count("<svg") == 2
    assert "<script>" not in html and 'style="' not in html
    # Overdue list: full unit path.
    assert "Trung ương › Tỉnh An › Xã a" in html


def test_dashboard_query_count_does_not_grow_with_rows(
    client, world, django_assert_max_num_queries
):
    c = client_for(client, world["coord"])
    # 30 plus the targets section's task list and the ranking's explanation counts (one each).
    with django_assert_max_num_queries(32):
        resp = c.get(reverse("tracking-dashboard"), {"as_of": "01/06/2022"})
    assert resp.status_code == 200
    # The dates actually used are shown, including the defaulted ranking period.
    assert resp.context["form"]["start"].value() == "01/01/2022"
    assert resp.context["form"]["end"].value() == "01/06/2022"


def test_drill_down_link_opens_the_child(client, world):
    c = client_for(client, world["coord"])
    resp = c.get(reverse("tracking-dashboard"), {"as_of": "01/06/2022"})
    prov_a = world["prov_a"]
    link = f"?as_of=01%2F06%2F2022&amp;unit={prov_a.pk}"
    assert link in resp.content.decode()
    child = c.get(reverse("tracking-dashboard"), {"as_of": "01/06/2022", "unit": prov_a.pk})
    html = child.content.decode()
    assert child.status_code == 200
    assert "Theo dõi thực hiện: Tỉnh An" in html
    assert "Xã a" in html and "Tỉnh Bình" not in html


def test_dashboard_for_a_commune(client, world):
    user = factories.user("viewer-xa", (Role.VIEWER, world["commune_a"]))
    resp = client_for(client, user).get(reverse("tracking-dashboard"), {"as_of": "01/06/2022"})
    html = resp.content.decode()
    assert resp.status_code == 200
    assert "Theo dõi thực hiện: Xã a" in html
    assert "Trực tiếp Xã a" in html
    assert "Tỉnh Bình" not in html and "Xã b" not in html


def test_province_user_never_sees_another_province(client, world):
    c = client_for(client, world["viewer_a"])
    resp = c.get(reverse("tracking-dashboard"), {"as_of": "01/06/2022"})
    html = resp.content.decode()
    assert "Theo dõi thực hiện: Tỉnh An" in html
    for name in ("Tỉnh Bình", "Xã b", "Trực tiếp Trung ương"):
        assert name not in html
    # The province's own obligation only: 1 of 1.
    assert "1/1 đơn vị đã ban hành kế hoạch (100%)" in html
    # Another province, or the centre above: as if they did not exist.
    for unit in ("prov_b", "root", "commune_b"):
        assert c.get(reverse("tracking-dashboard"), {"unit": world[unit].pk}).status_code == 404
    other = study_of(world, "prov_b")
    assert c.get(reverse("tracking-assignment", args=[other.pk])).status_code == 404
    for kind in ("rollup", "overdue", "coverage", "ranking"):
        content = c.get(reverse("tracking-dashboard"), {"export": kind, "as_of": "01/06/2022"})
        assert content.status_code == 200
        assert "Tỉnh Bình" not in str(read_rows(content)) and "Xã b" not in str(read_rows(content))


def test_dashboard_bad_input(client, world):
    c = client_for(client, world["coord"])
    # A date that is not on the calendar is the form's refusal (400); it is not exported.
    resp = c.get(reverse("tracking-dashboard"), {"as_of": "31/02/2022", "export": "nope"})
    assert resp.status_code == 400
    assert 'class="errors" role="alert"' in resp.content.decode()
    # A well-formed query asking for an export that does not exist finds nothing.
    resp = c.get(reverse("tracking-dashboard"), {"as_of": "28/02/2022", "export": "nope"})
    assert resp.status_code == 404
    resp = c.get(reverse("tracking-dashboard"), {"start": "01/06/2022", "end": "01/01/2022"})
    assert resp.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu." in resp.content.decode()


def test_counts_move_as_of_a_date(client, world):
    c = client_for(client, world["coord"])
    before = c.get(reverse("tracking-dashboard"), {"as_of": "01/02/2022"}).context
    assert before["grand_total"] > 0
    overdue_before = dict(zip([s for s, *_ in before["statuses"]], before["totals"], strict=True))
    after = c.get(reverse("tracking-dashboard"), {"as_of": "01/06/2022"}).context
    overdue_after = dict(zip([s for s, *_ in after["statuses"]], after["totals"], strict=True))
    assert overdue_after["overdue"] > overdue_before["overdue"]


# --- exports ---------------------------------------------------------------------------------


def read_rows(response):
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(response.content))
    return [list(r) for r in wb.active.iter_rows(values_only=True)]


# --- plans and tasks -------------------------------------------------------------------------


def test_plan_list_and_detail(client, world):
    c = client_for(client, world["viewer_a"])
    html = c.get(reverse("tracking-plans")).content.decode()
    assert "03-KH/TW" in html and "05-KH/TU" in html
    detail = c.get(reverse("tracking-plan", args=[world["plan"].pk])).content.decode()
    assert "Học tập, quán triệt" in detail and "quý I/2022" in detail
    assert "31/03/2022" in detail
    # A viewer gets no "add task" button and no form.
    assert reverse("tracking-task-create", args=[world["plan"].pk]) not in detail
    assert c.get(reverse("tracking-task-create", args=[world["plan"].pk])).status_code == 403


def test_register_plan_form(client, world):
    c = client_for(client, world["coord_a"])
    doc = register(world["coord_a"], "07-KH/TU", world["prov_a"], date=D(2022, 1, 5))
    resp = c.post(reverse("tracking-plan-register"), {"symbol": "99-KH/TU"})
    assert "Không tìm thấy văn bản này trong phạm vi của bạn." in resp.content.decode()
    resp = c.post(reverse("tracking-plan-register"), {"symbol": "không phải số"})
    assert resp.status_code == 200 and 'class="errors"' in resp.content.decode()
    resp = c.post(
        reverse("tracking-plan-register"), {"symbol": "07-KH/TU", "implements_symbol": "03-KH/TW"}
    )
    plan = Plan.objects.get(document=doc)
    assert resp.status_code == 302 and resp["Location"] == reverse("tracking-plan", args=[plan.pk])
    assert plan.directive == world["directive"]


def test_add_task_shows_deadline_error_on_the_field(client, world):
    c = client_for(client, world["coord"])
    url = reverse("tracking-task-create", args=[world["plan"].pk])
    count = Task.objects.count()
    resp = c.post(url, {"title": "Sơ kết", "lead_unit": "TW", "deadline_text": "quý V/2022"})
    assert resp.status_code == 200
    assert resp.context["form"].errors["deadline_text"]
    resp = c.post(url, {"title": "Sơ kết", "lead_unit": "KHONG-CO", "deadline_text": "năm 2022"})
    assert "Không tìm thấy đơn vị “KHONG-CO” trong phạm vi của bạn." in resp.content.decode()
    assert Task.objects.count() == count
    resp = c.post(
        url,
        {
            "title": "Tự phê bình",
            "lead_unit": "TW",
            "cooperating": "BTCTW",
            "deadline_text": "hằng năm từ 2022",
        },
    )
    task = Task.objects.latest("id")
    assert resp.status_code == 302 and task.title == "Tự phê bình"
    assert task.occurrences.count() >= 2
    assert list(task.cooperating_units.values_list("code", flat=True)) == ["BTCTW"]


def test_assign_form(client, world):
    c = client_for(client, world["coord"])
    task = plan_actions.add_task(
        world["coord"],
        world["plan"],
        title="Kiểm tra",
        lead_unit=world["root"],
        deadline_text="31/12/2022",
    )
    url = reverse("tracking-task-assign", args=[task.pk])
    resp = c.post(url, {"rule": "units", "units": ""})
    assert "Hãy chọn ít nhất một đơn vị." in resp.content.decode()
    resp = c.post(url, {"rule": "kind"})
    assert "Hãy chọn loại đơn vị." in resp.content.decode()
    resp = c.post(url, {"rule": "units", "units": "P-a, NOPE"})
    assert "Không tìm thấy đơn vị “NOPE”" in resp.content.decode()
    assert not Assignment.objects.filter(task=task).exists()
    resp = c.post(url, {"rule": "units", "units": "P-a; C-b"})
    assert resp.status_code == 302
    assert set(Assignment.objects.filter(task=task).values_list("unit__code", flat=True)) == {
        "P-a",
        "C-b",
    }


def test_task_detail_shows_statuses_in_words(client, world):
    c = client_for(client, world["coord"])
    html = c.get(reverse("tracking-task", args=[world["study"].pk])).content.decode()
    assert "Quý I/2022" in html or "quý I/2022" in html
    assert "st-overdue" in html and "Quá hạn chưa hoàn thành" in html


def test_task_edit_stale_version_shows_current_and_changes_nothing(client, world):
    task = world["study"]
    c = client_for(client, world["coord"])
    url = reverse("tracking-task-edit", args=[task.pk])
    form = c.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    plan_actions.update_task(
        world["coord"], task, expected_version=task.version, title="Học tập (sửa bởi người khác)"
    )
    data["title"] = "Bản của tôi"
    resp = c.post(url, data)
    html = resp.content.decode()
    assert resp.status_code == 409
    assert "Người khác vừa lưu thay đổi" in html
    assert "Học tập (sửa bởi người khác)" in html
    current = dict(resp.context["conflict"])
    assert current["nội dung nhiệm vụ"] == "Học tập (sửa bởi người khác)"
    assert current["chủ trì"] == "Trung ương"
    task.refresh_from_db()
    assert task.title == "Học tập (sửa bởi người khác)"
    # Without the version the page loaded, the save is refused and changes nothing.
    data.pop("version")
    resp = c.post(url, data)
    assert resp.status_code == 400 and "Hãy tải lại trang" in resp.content.decode()
    task.refresh_from_db()
    assert task.title == "Học tập (sửa bởi người khác)"


# --- report, return, resubmit, accept ---------------------------------------------------------


def test_report_return_resubmit_accept_flow(client, world):
    a = study_of(world, "prov_a")
    url = reverse("tracking-assignment", args=[a.pk])
    rep = client_for(client, world["rep_a"])
    page = rep.get(url).content.decode()
    assert reverse("tracking-report", args=[a.pk]) in page
    assert reverse("tracking-explain-request", args=[a.pk]) not in page
    resp = rep.post(
        reverse("tracking-report", args=[a.pk]),
        {
            "state": "done",
            "reported_on": "15/03/2022",
            "percent": "40",
            "narrative": "Đã tổ chức hội nghị",
            "documents": "05-KH/TU",
            "version": a.version,
        },
    )
    assert resp.status_code == 302
    a.refresh_from_db()
    assert (a.completed_on, a.claimed_on, a.percent) == (None, D(2022, 3, 15), 100)
    report = a.reports.get()
    assert [d.symbol for d in report.documents.all()] == ["05-KH/TU"]
    page = rep.get(url).content.decode()
    assert "Đơn vị báo cáo hoàn thành ngày 15/03/2022" in page
    assert "Báo cáo hoàn thành, chờ duyệt" in page
    assert reverse("tracking-report", args=[a.pk]) not in page

    coord = client_for(client, world["coord"])
    page = coord.get(url).content.decode()
    assert reverse("tracking-review", args=[report.pk]) in page
    resp = coord.post(
        reverse("tracking-review", args=[report.pk]),
        {"decision": "return", "reason": "", "version": report.version},
    )
    assert resp.status_code == 400
    assert "Trả lại báo cáo cần ghi rõ lý do." in resp.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    resp = coord.post(
        reverse("tracking-review", args=[report.pk]),
        {"decision": "return", "reason": "Thiếu biên bản hội nghị", "version": report.version},
    )
    assert resp.status_code == 302
    a.refresh_from_db()
    assert (a.completed_on, a.claimed_on) == (None, None)

    rep = client_for(client, world["rep_a"])
    a.refresh_from_db()
    resp = rep.post(
        reverse("tracking-report", args=[a.pk]),
        {"state": "done", "reported_on": "20/03/2022", "percent": "100", "version": a.version},
    )
    assert resp.status_code == 302
    second = a.reports.order_by("-id").first()
    coord = client_for(client, world["coord"])
    resp = coord.post(
        reverse("tracking-review", args=[second.pk]),
        {"decision": "accept", "version": second.version},
    )
    assert resp.status_code == 302
    html = coord.get(url).content.decode()
    assert "Thiếu biên bản hội nghị" in html  # the return stays in the history
    assert "Trả lại" in html and "Đã chấp nhận" in html
    assert "Hoàn thành đúng hạn" in html
    a.refresh_from_db()
    assert a.completed_on == D(2022, 3, 20)


def test_stale_report_shows_the_other_change_and_changes_nothing(client, world):
    a = study_of(world, "prov_a")
    stale_version = a.version
    report_actions.report_progress(
        world["rep_a"], a, reported_on=D(2022, 2, 1), percent=30, done=False, narrative="Lần 1"
    )
    rep = client_for(client, world["rep_a"])
    resp = rep.post(
        reverse("tracking-report", args=[a.pk]),
        {
            "state": "in_progress",
            "reported_on": "02/02/2022",
            "percent": "50",
            "version": stale_version,
        },
    )
    html = resp.content.decode()
    assert resp.status_code == 409
    assert "Người khác vừa lưu thay đổi" in html
    assert dict(resp.context["conflict"])["tiến độ (%)"] == "30"
    assert dict(resp.context["conflict"])["bắt đầu thực hiện"] == "01/02/2022"
    assert ProgressReport.objects.filter(assignment=a).count() == 1
    a.refresh_from_db()
    assert a.percent == 30


def test_report_form_errors(client, world):
    a = study_of(world, "prov_a")
    rep = client_for(client, world["rep_a"])
    resp = rep.post(
        reverse("tracking-report", args=[a.pk]),
        {
            "state": "in_progress",
            "reported_on": "32/01/2022",
            "percent": "150",
            "documents": "99-KH/TU",
        },
    )
    form = resp.context["report_form"]
    assert resp.status_code == 400
    assert form.errors["reported_on"] and form.errors["percent"]
    assert not a.reports.exists()
    # A viewer cannot report: the action refuses, nothing is stored.
    viewer = client_for(client, world["viewer_a"])
    resp = viewer.post(
        reverse("tracking-report", args=[a.pk]),
        {"state": "done", "reported_on": "01/03/2022", "percent": "100"},
    )
    assert resp.status_code in (400, 403)
    assert not a.reports.exists()


def test_evidence_is_a_download(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = study_of(world, "prov_a")
    rep = client_for(client, world["rep_a"])
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    resp = rep.post(
        reverse("tracking-report", args=[a.pk]),
        {
            "state": "in_progress",
            "reported_on": "01/03/2022",
            "percent": "50",
            "files": upload,
            "version": a.version,
        },
    )
    assert resp.status_code == 302, resp.content.decode()[:2000]
    evidence = a.reports.get().evidence.get()
    got = rep.get(reverse("tracking-evidence", args=[evidence.pk]))
    assert got.status_code == 200
    assert got["Content-Disposition"].startswith("attachment")
    assert got["X-Content-Type-Options"] == "nosniff"
    other = client_for(client, factories.user("viewer-b", (Role.VIEWER, world["prov_b"])))
    assert other.get(reverse("tracking-evidence", args=[evidence.pk])).status_code == 404


def test_explanation_request_and_answer(client, world):
    a = study_of(world, "prov_a")
    coord = client_for(client, world["coord"])
    resp = coord.post(reverse("tracking-explain-request", args=[a.pk]), {"question": ""})
    assert resp.status_code == 400
    resp = coord.post(
        reverse("tracking-explain-request", args=[a.pk]), {"question": "Vì sao chậm?"}
    )
    assert resp.status_code == 302
    req = a.explanations.get()
    rep = client_for(client, world["rep_a"])
    resp = rep.post(
        reverse("tracking-explain-answer", args=[req.pk]), {"answer": "Do sáp nhập đơn vị"}
    )
    assert resp.status_code == 302
    html = rep.get(reverse("tracking-assignment", args=[a.pk])).content.decode()
    assert "Vì sao chậm?" in html and "Do sáp nhập đơn vị" in html


def test_my_work_lists_own_units_due_soonest_first(client, world):
    extra = plan_actions.add_task(
        world["coord"],
        world["plan"],
        title="Sơ kết sớm",
        lead_unit=world["root"],
        deadline_text="31/01/2022",
    )
    assign_actions.assign(world["coord"], extra, rule="kind", kind=UnitKind.COMMUNE)
    rep = client_for(client, world["rep_commune"])
    resp = rep.get(reverse("tracking-my-work"))
    rows = list(resp.context["page"])
    assert [r.task.title for r in rows] == ["Sơ kết sớm", "Học tập, quán triệt"]
    assert {r.unit.code for r in rows} == {"C-a"}
    assert "Quá hạn chưa hoàn thành" in resp.content.decode()


def test_assignment_page_shows_a_report_filed_by_the_system(client, world):
    """Reports filed by jobs, imports or the demo loader have no submitting user."""
    a = study_of(world, "prov_a")
    report_actions.report_progress(None, a, reported_on=D(2022, 2, 1), percent=30, done=False)
    page = client_for(client, world["coord"]).get(f"/tracking/assignments/{a.pk}/")
    assert page.status_code == 200
    assert "hệ thống" in page.content.decode()


def test_a_long_history_shows_the_latest_reports_and_the_rest_on_request(client, world):
    """A page that grew with every report would end up unreadable: the latest 20 show, and
    the whole history on request."""
    a = study_of(world, "prov_a")
    for day in range(3, 29):
        report_actions.report_progress(
            None, a, reported_on=D(2022, 1, day), percent=day, done=False
        )
    page = client_for(client, world["coord"]).get(f"/tracking/assignments/{a.pk}/")
    html = page.content.decode()
    assert html.count('<article class="report ') == 20
    assert "Hiển thị 20 báo cáo gần nhất trong tổng số 26" in html
    assert "28/01/2022" in html and "05/01/2022" not in html
    whole = client.get(f"/tracking/assignments/{a.pk}/", {"reports": "all"}).content.decode()
    assert whole.count('<article class="report ') == 26 and "05/01/2022" in whole
    assert "Hiển thị" not in whole


def test_a_long_ranking_shows_both_ends_and_says_how_many_are_between(client, tree):
    province = tree["prov_a"]
    communes = [factories.unit(province, UnitKind.COMMUNE, f"Xã số {i:02d}") for i in range(25)]
    directive = bulk.directive(tree["root"])
    plan = bulk.plan(directive, tree["root"])
    task, occ = bulk.task(plan, due=D(2022, 3, 31))
    # Commune i finishes on time when i is even: rates differ, so the order is known.
    even = {c.pk for i, c in enumerate(communes) if i % 2 == 0}
    bulk.assign(
        task,
        occ,
        communes,
        dates=lambda u: (D(2022, 1, 5), D(2022, 3, 1) if u.pk in even else None),
    )
    admin = factories.user("rank-admin", superuser=True)
    c = client_for(client, admin)
    page = c.get(
        reverse("tracking-dashboard"),
        {
            "unit": province.pk,
            "directive": directive.pk,
            "as_of": "30/06/2022",
            "start": "01/01/2022",
        },
    )
    ranking = page.context["ranking"]
    assert [r.rank for r in ranking] == [*range(1, 11), *range(16, 26)]
    assert ranking[10].gap_before == 5
    assert "… 5 đơn vị ở giữa bảng xếp hạng" in page.content.decode()


# --- the directive picker ------------------------------------------------------------------


def test_dashboard_takes_any_readable_directive_not_only_the_newest(client, world):
    """Two hundred newer directives: the older Kết luận 21 can still be chosen, by id (links)
    or typed by its number and symbol, and its figures are shown."""
    for n in range(201):
        bulk.plan(
            bulk.directive(world["root"], date=D(2022, 1, 1) + datetime.timedelta(n)), world["root"]
        )
    c = client_for(client, world["coord"])
    for chosen in (str(world["directive"].pk), "21-kl/tw", " 21-KL/TW "):
        resp = c.get(reverse("tracking-dashboard"), {"as_of": "01/06/2022", "directive": chosen})
        html = resp.content.decode()
        assert resp.status_code == 200
        assert resp.context["directive"] == world["directive"], chosen
        assert 'class="errors"' not in html
        assert "Văn bản gốc: 21-KL/TW." in html
        assert resp.context["form"]["directive"].value() == "21-KL/TW"
        assert 'id="rollup"' in html
    # The newest are offered as suggestions in the type-ahead list.
    assert (
        'list="directive-suggestions"' in html and '<datalist id="directive-suggestions">' in html
    )


def test_dashboard_says_so_when_the_directive_is_unknown_or_unreadable(client, world):
    coord_b = factories.user("coord-b", (Role.COORDINATOR, world["prov_b"]))
    kl_b = register(coord_b, "07-NQ/TU", world["prov_b"], DocType.RESOLUTION, D(2021, 9, 1))
    plan_actions.register_plan(
        coord_b, register(coord_b, "09-KH/TU", world["prov_b"]), implements=kl_b
    )
    c = client_for(client, world["coord_a"])  # province A: Bình's resolution is not theirs
    for chosen in (str(kl_b.pk), "07-NQ/TU", "999999", "không có"):
        resp = c.get(reverse("tracking-dashboard"), {"as_of": "01/06/2022", "directive": chosen})
        html = resp.content.decode()
        assert resp.status_code == 200
        assert "Không tìm thấy văn bản gốc" in html, chosen
        assert 'role="alert"' in html
        # No figures at all rather than every directive's passing for the chosen one.
        assert 'id="rollup"' not in html and 'id="coverage"' not in html
        assert resp.context["unit"] == world["prov_a"]
    # Their own province's coordinator finds it.
    resp = client_for(client, coord_b).get(reverse("tracking-dashboard"), {"directive": kl_b.pk})
    assert resp.context["directive"] == kl_b
