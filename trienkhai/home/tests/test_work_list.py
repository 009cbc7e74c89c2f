"""The home page is the person's work list: the right lines for each role, grouped by urgency,
one click from acting, with the summary band of their scope and the count in the menu."""

import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core.todo import Urgency
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.home.todo import work_list
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment

D = datetime.date
TODAY = D(2026, 12, 4)


@pytest.fixture(autouse=True)
def frozen_today(db):
    """Today is TODAY for every reader of the local date (django.utils.timezone is one module)."""
    cache.clear()
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


@pytest.fixture
def world(tree):
    root = tree["root"]
    coord = factories.user("coord-home", (Role.COORDINATOR, root))
    directive = doc_actions.register_document(
        coord,
        symbol="21-KL/TW",
        doc_type=DocType.CONCLUSION,
        issuing_unit=root,
        term="XIII",
        date=D(2026, 10, 1),
        subject="Kết luận 21",
    )
    plan_doc = doc_actions.register_document(
        coord,
        symbol="30-KH/TW",
        doc_type=DocType.PLAN,
        issuing_unit=root,
        term="XIII",
        date=D(2026, 10, 15),
        subject="Kế hoạch thực hiện",
    )
    plan = plan_actions.register_plan(coord, plan_doc, implements=directive)

    def task(title, deadline):
        t = plan_actions.add_task(coord, plan, title=title, lead_unit=root, deadline_text=deadline)
        assign_actions.assign(coord, t, units=[tree["prov_a"], tree["prov_b"]], rule="units")
        return t

    overdue = task("Sơ kết việc học tập", "trước 30/11/2026")
    soon = task("Báo cáo quý IV", "trước 08/12/2026")
    later = task("Tổng kết năm", "trước 31/03/2027")
    return {
        **tree,
        "coord": coord,
        "overdue": overdue,
        "soon": soon,
        "later": later,
        "rep_a": factories.user("rep-home-a", (Role.REPORTER, tree["prov_a"], False)),
        "rep_b": factories.user("rep-home-b", (Role.REPORTER, tree["prov_b"], False)),
    }


def share(world, task, unit):
    return Assignment.objects.get(task=world[task], unit=world[unit])


def lines(user):
    return {g.urgency: [(t.kind, t.title) for t in g.items] for g in work_list(user, TODAY)}


def test_a_reporter_sees_what_their_unit_owes_grouped_by_urgency(world):
    got = lines(world["rep_a"])
    assert [t for _k, t in got[Urgency.OVERDUE]] == ["Sơ kết việc học tập"]
    assert [t for _k, t in got[Urgency.SOON]] == ["Báo cáo quý IV"]
    assert Urgency.WAITING not in got  # a reporter decides nothing
    # Reported done: awaiting review, so no longer owed.
    report_actions.report_progress(
        world["rep_a"], share(world, "soon", "prov_a"), reported_on=TODAY, percent=100, done=True
    )
    assert Urgency.SOON not in lines(world["rep_a"])


def test_the_coordinator_is_told_what_waits_and_the_reporter_what_came_back(world):
    report = report_actions.report_progress(
        world["rep_a"], share(world, "soon", "prov_a"), reported_on=TODAY, percent=100, done=True
    )
    waiting = lines(world["coord"])[Urgency.WAITING]
    assert waiting == [("Duyệt báo cáo hoàn thành", "Báo cáo quý IV")]
    report_actions.review_report(world["coord"], report, accept=False, reason="Thiếu số liệu")
    assert Urgency.WAITING not in lines(world["coord"])
    (item,) = [
        t for g in work_list(world["rep_a"], TODAY) if g.urgency == Urgency.NOW for t in g.items
    ]
    assert item.kind == "Báo cáo bị trả lại" and "Thiếu số liệu" in item.detail
    # The other province's reporter hears nothing of it.
    assert Urgency.NOW not in lines(world["rep_b"])


def test_an_explanation_request_reaches_the_unit_and_its_answer_the_coordinator(world):
    req = report_actions.request_explanation(
        world["coord"], share(world, "overdue", "prov_a"), question="Vì sao chưa sơ kết?"
    )
    assert ("Yêu cầu giải trình", "Vì sao chưa sơ kết?") in lines(world["rep_a"])[Urgency.NOW]
    report_actions.answer_explanation(world["rep_a"], req, answer="Do sáp nhập xã")
    assert ("Đọc giải trình", "Do sáp nhập xã") in lines(world["coord"])[Urgency.WAITING]
    assert Urgency.NOW not in lines(world["rep_a"])


def test_home_page_shows_the_lines_the_band_and_the_menu_count(client, world):
    client.force_login(world["rep_a"])
    page = client.get(reverse("home")).content.decode()
    assert "Việc cần làm" in page and "Quá hạn" in page and "Sơ kết việc học tập" in page
    link = reverse("tracking-assignment", args=[share(world, "overdue", "prov_a").pk])
    assert f'href="{link}#report"' in page
    assert client.get(link).status_code == 200
    # The band: the reporter's province, its overdue share counted.
    assert "quá hạn chưa hoàn thành" in page and "Tỉnh An" in page
    # Another page's menu shows the count the home counted (2 lines).
    other = client.get(reverse("document-list")).content.decode()
    assert 'class="badge"' in other and ">2</span>" in other


def test_home_query_count_does_not_grow_with_the_work(client, world):
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["coord"])

    def file_reports(percent):
        for unit in ("prov_a", "prov_b"):
            for task in ("overdue", "soon", "later"):
                report_actions.report_progress(
                    None, share(world, task, unit), reported_on=TODAY, percent=percent, done=False
                )

    def shapes(ctx):
        # The menu count is saved with the session when it changed; savepoint names carry a
        # counter. The reads of work are what must not grow.
        return [
            re.sub(r"\d+", "N", q["sql"][:60])
            for q in ctx.captured_queries
            if "django_session" not in q["sql"]
        ]

    file_reports(10)  # six reports waiting: more than one screen's worth already
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("home")).status_code == 200
    file_reports(20)
    with CaptureQueriesContext(connection) as more:
        page = client.get(reverse("home")).content.decode()
    assert "Còn 7 việc nữa" in page
    assert shapes(more) == shapes(few)


def test_the_menu_count_is_kept_in_the_session_for_a_while(monkeypatch):
    """Written when it changes (or after a minute), shown for five minutes, then not at all."""
    from trienkhai.home import todo as home_todo

    clock = [1_000_000.0]
    monkeypatch.setattr(home_todo.time, "time", lambda: clock[0])
    session = {}
    home_todo.remember_count(session, 7)
    assert home_todo.work_count(session) == 7
    written = session[home_todo.SESSION_KEY]
    clock[0] += 30
    home_todo.remember_count(session, 7)
    assert session[home_todo.SESSION_KEY] is written  # unchanged: the session is not touched
    home_todo.remember_count(session, 8)
    assert home_todo.work_count(session) == 8
    clock[0] += home_todo.COUNT_SECONDS + 1
    assert home_todo.work_count(session) is None
