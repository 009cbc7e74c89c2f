"""Every list, in the API and on the pages, costs the same number of queries for one row as for many
(no query per row), the way NetBox's query-count baselines hold its lists.

The lists are not named one by one: the API's are every route on the router (`core.registry`), the
pages' every list page below. Each is read over a small world, then the world gets several more rows
of every kind and each list is read again: it must show more rows, with no more queries. A new API
route is covered as soon as it is registered, and fails here until the world below gives it rows.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.conferences import actions as conference_actions
from trienkhai.core import registry
from trienkhai.core.tests.test_api_schemathesis import api_world
from trienkhai.documents import actions as doc_actions
from trienkhai.documents.models import DocType
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.indicators import actions as indicator_actions
from trienkhai.indicators.models import Explanation
from trienkhai.inspections.actions import conclusions as conclusion_actions
from trienkhai.inspections.actions import inspections as inspection_actions
from trienkhai.inspections.actions import programmes as programme_actions
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.models import FindingKind
from trienkhai.inspections.tests.conftest import new_inspection
from trienkhai.notify import actions as notify_actions
from trienkhai.practices import actions as practice_actions
from trienkhai.reports.actions import drafting
from trienkhai.reports.actions import requests as request_actions
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment
from trienkhai.tree.kinds import UnitKind

D = datetime.date
MORE = 4  # rows of every kind added between the two reads

# The list pages, with the query that makes each show the world's records.
PAGES = [
    ("/units/", {"q": "xa"}),
    ("/documents/", {}),
    ("/tracking/plans/", {}),
    ("/tracking/my-work/", {"all": "1"}),
    ("/inspections/", {}),
    ("/inspections/programmes/", {}),
    ("/inspections/requests/", {}),
    ("/conferences/", {}),
    ("/practices/", {}),
    ("/evaluations/", {}),
    ("/notifications/", {}),
    ("/log/", {}),
    ("/accounts/users/", {}),
    ("/reports/", {}),
]


def _api_lists() -> list[str]:
    return sorted(f"/api/{prefix}/" for prefix in registry.names("api.routes")) + ["/api/overdue/"]


def _rows(response) -> int:
    if response["Content-Type"].startswith("application/json"):
        body = response.json()
        return body["count"] if "count" in body else len(body["results"])
    # A page lists its records as table rows or list items.
    html = response.content.decode()
    return len(re.findall(r"<tr[ >]", html)) + len(re.findall(r"<li[ >]", html))


def _read(client, url, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), _rows(response)


def _more_of_everything(data, n: int) -> None:
    """`n` more records of every kind the lists show, through the actions."""
    w, admin, inspector = data["world"], data["user"], data["inspector"]
    tree = w
    directive = w["directive"]
    communes = [
        factories.unit(tree["prov_a"], UnitKind.COMMUNE, f"Xã thêm {i}", f"C-x{i}")
        for i in range(n)
    ]
    for i, commune in enumerate(communes):
        factories.unit(commune, UnitKind.GRASSROOTS, f"Đảng bộ thêm {i}", f"G-x{i}")
        factories.user(f"qc-user-{i}", (Role.REPORTER, commune))
    notify_actions.create_notifications(
        {"user": admin, "title": f"Thông báo {i}", "body": "", "url": "/"} for i in range(n)
    )
    for i in range(n):
        plan_doc = doc_actions.register_document(
            None, symbol=f"{10 + i}-KH/TU", doc_type=DocType.PLAN, issuing_unit=tree["prov_a"],
            term="XVII", date=D(2022, 1, 10 + i), subject=f"Kế hoạch {i}",
        )  # fmt: skip
        doc_actions.relate(None, source=plan_doc, target=directive, kind="implements")
        plan = plan_actions.register_plan(admin, plan_doc)
        task = plan_actions.add_task(
            admin, plan, title=f"Nhiệm vụ {i}", lead_unit=tree["prov_a"], deadline_text="quý I/2022"
        )
        assign_actions.assign(admin, task, units=[tree["commune_a"], *communes], rule="units")
        assignment = task.occurrences.first().assignments.first()
        report_actions.report_progress(
            admin, assignment, reported_on=D(2022, 2, 1), percent=40, done=False
        )
        report_actions.request_explanation(admin, assignment, question=f"Vì sao chậm {i}?")
        _indicator_set(admin, directive, tree["prov_a"], f"Bộ chỉ tiêu {i}")
        _report_request(admin, directive, tree["prov_a"], f"Báo cáo {i}")
        conference_actions.record_conference(
            admin, host=communes[i], date=D(2022, 1, 20 + i), title=f"Hội nghị {i}",
            format="online", documents=[directive],
        )  # fmt: skip
        practice = practice_actions.record_practice(
            admin, unit=communes[i], title=f"Cách làm {i}", description="Mô tả", year=2022
        )
        practice_actions.adopt(admin, practice, unit=tree["commune_a"], adopted_on=D(2022, 6, 1))
        programme_actions.create_programme(
            inspector, unit=tree["prov_a"], year=2025 + i, title=f"Chương trình {i}"
        )
        inspection = new_inspection(w, title=f"Kiểm tra {i}", inspected_units=[communes[i]])
        decision = step_actions.register_side_document(
            inspector, inspection, doc_type=DocType.DECISION, symbol=f"{40 + i}-QĐ/TU",
            date=D(2024, 8, 20), subject="Quyết định", term="XVII",
        )  # fmt: skip
        inspection = step_actions.decide(inspector, inspection, decision=decision)
        inspection = step_actions.announce(inspector, inspection, date=D(2024, 9, 1))
        inspection_actions.upload_self_report(
            admin, inspection.parts.get(), submitted_on=D(2024, 9, 10), name="bc.pdf",
            content=b"%PDF-1.4 bao cao",
        )  # fmt: skip
    part = data["part"]
    for i in range(n):
        conclusion_actions.add_finding(inspector, part, kind=FindingKind.values[0], text=f"Ưu {i}")
        conclusion_actions.add_request(
            inspector, part, text=f"Khắc phục {i}", deadline=D(2025, 4, 1)
        )
        conclusion_actions.add_recommendation(inspector, part, text=f"Kiến nghị {i}")
        period = period_actions.create_period(None, unit=tree["root"], year=2015 + i)
        rating_actions.open_evaluations(None, period, tree["commune_a"])
    rating_actions.open_evaluations(None, data["period"], tree["prov_a"])


def _indicator_set(actor, directive, unit, name):
    made = indicator_actions.create_set(actor, document=directive, unit=unit, name=name, year=2026)
    _explanation(made, unit)
    return made


def _report_request(actor, directive, unit, title):
    """A report request to the unit's children, one of them drafted (its figures and texts)."""
    made = request_actions.create_request(
        None, unit=unit, title=title, kind="ad_hoc", directives=[directive],
        period_start=D(2022, 1, 1), period_end=D(2022, 6, 30), deadline=D(2030, 1, 1),
        rule="children", sections=[{"number": "I", "title": "Kết quả", "facts": "plans"}],
        figure_codes=["tasks_due"],
    )  # fmt: skip
    drafting.prefill(None, made.reports.filter(own=False).first())
    return made


def _explanation(indicator_set, unit):
    """An explanation asked on the set's first indicator, written directly: the action asks
    only on a red indicator (`indicators/tests/test_explanations.py`), a world of its own."""
    indicator = indicator_actions.add_indicator(
        None, indicator_set, code="CT-1", name="Chỉ tiêu", measure="%", direction="more",
        aggregation="rate", period="month",
    )  # fmt: skip
    commune = unit.children.filter(kind=UnitKind.COMMUNE).first()
    Explanation.objects.create(
        indicator=indicator, unit=commune, unit_path=commune.path, year=2026,
        question="Vì sao thấp?", answer_by=D(2026, 7, 1),
    )  # fmt: skip


@pytest.fixture
def world(db):
    """One record of every kind (a list that is empty may skip its later queries)."""
    data = api_world()
    admin = data["user"]
    notify_actions.create_notification(user=admin, title="Thông báo", body="", url="/")
    late = Assignment.objects.get(pk=data["ids"]["assignments"])
    report_actions.request_explanation(admin, late, question="Vì sao chậm?")
    _indicator_set(admin, data["world"]["directive"], data["world"]["prov_a"], "Bộ chỉ tiêu")
    _report_request(admin, data["world"]["directive"], data["world"]["prov_a"], "Báo cáo")
    return data


def test_every_list_costs_the_same_queries_for_one_row_and_for_many(world):
    admin = world["user"]
    api = APIClient()
    api.force_authenticate(admin)
    web = APIClient()
    web.force_login(admin)
    # "Việc của tôi" lists the work of the units where one reports.
    reporter = APIClient()
    reporter.force_login(
        factories.user("qc-reporter", (Role.REPORTER, world["world"]["commune_a"], False))
    )
    reads = [(api, url, {"unit": world["world"]["root"].pk} if "overdue" in url else {})
             for url in _api_lists()]  # fmt: skip
    reads += [(reporter if "my-work" in url else web, url, params) for url, params in PAGES]
    # One read of each first: caches (content types, the user's reach) are warm for both counts.
    for client, url, params in reads:
        _read(client, url, params)
    before = {url: _read(client, url, params) for client, url, params in reads}
    _more_of_everything(world, MORE)
    after = {url: _read(client, url, params) for client, url, params in reads}
    grew = {url for url in before if after[url][1] > before[url][1]}
    assert grew == set(before), f"lists the test gave no more rows: {sorted(set(before) - grew)}"
    per_row = {url: (before[url], after[url]) for url in before if after[url][0] != before[url][0]}
    assert not per_row, f"(queries, rows) before and after more rows: {per_row}"
