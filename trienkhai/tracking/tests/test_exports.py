"""The dashboard's XLSX exports open with openpyxl and hold the rows and headers the page shows:
Vietnamese headers, real Excel dates shown dd/mm/yyyy, scoped like the page."""

import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from tests.builders import bulk, factories
from trienkhai.accounts.models import Role
from trienkhai.core import xlsx
from trienkhai.notify.tests.english import english  # noqa: F401 - the fixture, by name
from trienkhai.tracking.models import Occurrence
from trienkhai.tracking.status import Status

D = datetime.date
AS_OF = "01/06/2022"


@pytest.fixture
def data(tree):
    root = tree["root"]
    directive = bulk.directive(root)
    plan = bulk.plan(directive, root)
    provinces = [tree["prov_a"], tree["prov_b"]]
    communes = [tree["commune_a"], tree["commune_b"]]
    # Provinces: on time; communes: overdue; provinces' plan obligation: A met late, B not met.
    task, occ = bulk.task(plan, due=D(2022, 3, 31), title="Học tập")
    bulk.assign(task, occ, provinces, dates=lambda u: (D(2022, 1, 5), D(2022, 3, 1)))
    bulk.assign(task, occ, communes, dates=lambda u: (None, None))
    req, req_occ = bulk.task(plan, due=D(2021, 12, 31), requires_plan=True, title="Kế hoạch")
    bulk.assign(
        req,
        req_occ,
        provinces,
        dates=lambda u: (None, D(2022, 1, 10)) if u == tree["prov_a"] else (None, None),
    )
    return {**tree, "directive": directive, "admin": factories.user("adm", superuser=True)}


def fetch(client, user, export, **params):
    client.force_login(user)
    resp = client.get(reverse("tracking-dashboard"), {"export": export, "as_of": AS_OF, **params})
    assert resp.status_code == 200
    assert resp["Content-Type"] == xlsx.XLSX
    assert resp["Content-Disposition"].startswith("attachment;")
    return load_workbook(io.BytesIO(resp.content)).active


def rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_rollup_export(client, data):
    ws = fetch(client, data["admin"], "rollup", unit=data["root"].pk)
    values = rows(ws)
    assert "Trung ương" in values[0][0] and "01/06/2022" in values[0][0]
    header = values[1]
    assert header[0] == "Đơn vị"
    assert header[1 : 1 + len(Status.ORDER)] == [str(Status.LABELS[s]) for s in Status.ORDER]
    assert header[-2:] == ["Tổng số", "Tỷ lệ đúng hạn"]
    by_name = {r[0]: r for r in values[2:]}
    done = 1 + Status.ORDER.index(Status.DONE_ON_TIME)
    overdue = 1 + Status.ORDER.index(Status.OVERDUE)
    assert by_name["Tỉnh An"][done] == 1 and by_name["Tỉnh An"][overdue] == 1
    assert by_name["Tỉnh An"][-2] == 3  # on time, overdue commune, plan obligation met late
    assert set(by_name) == {"Tỉnh An", "Tỉnh Bình"}


def test_overdue_export_has_real_dates(client, data):
    ws = fetch(client, data["admin"], "overdue", unit=data["root"].pk)
    values = rows(ws)
    assert values[1] == [
        "Đơn vị",
        "Mã đơn vị",
        "Nhiệm vụ",
        "Kỳ",
        "Hạn",
        "Số ngày quá hạn",
        "Tiến độ (%)",
    ]
    body = values[2:]
    # Oldest first: province B's plan obligation (31/12/2021), then the communes (31/03/2022).
    assert [r[1] for r in body] == ["P-b", "C-a", "C-b"]
    assert body[0][0] == "Trung ương › Tỉnh Bình"
    assert body[1][0] == "Trung ương › Tỉnh An › Xã a"
    due_cell = ws.cell(row=4, column=5)
    assert isinstance(due_cell.value, datetime.datetime)
    assert due_cell.value.date() == D(2022, 3, 31)
    assert due_cell.number_format == "DD/MM/YYYY"
    assert body[1][5] == (D(2022, 6, 1) - D(2022, 3, 31)).days


def test_coverage_export_lists_who_has_not_issued(client, data):
    ws = fetch(client, data["admin"], "coverage", unit=data["root"].pk)
    values = rows(ws)
    assert values[1][:4] == ["Đơn vị", "Số đơn vị phải ban hành", "Đã ban hành", "Ban hành muộn"]
    lines = {r[0]: r for r in values[2:4]}
    assert lines["Tỉnh An"][1:5] == [1, 1, 1, 0]
    assert lines["Tỉnh Bình"][1:5] == [1, 0, 0, 1]
    missing_header = values.index(["Đơn vị chưa ban hành kế hoạch", "Mã", "Hạn", None, None, None])
    missing = values[missing_header + 1]
    assert missing[:2] == ["Trung ương › Tỉnh Bình", "P-b"]
    assert ws.cell(row=missing_header + 2, column=3).number_format == "DD/MM/YYYY"


def test_ranking_export(client, data):
    ws = fetch(
        client, data["admin"], "ranking", unit=data["root"].pk, start="01/01/2022", end=AS_OF
    )
    values = rows(ws)
    assert values[1][:3] == ["Hạng", "Đơn vị", "Tỷ lệ đúng hạn"]
    assert [r[0] for r in values[2:]] == [1, 2]
    assert {r[1] for r in values[2:]} == {"Tỉnh An", "Tỉnh Bình"}
    assert ws.cell(row=3, column=3).number_format == xlsx.PERCENT_FORMAT


def test_export_is_scoped(client, data):
    user = factories.user("viewer-b", (Role.VIEWER, data["prov_b"]))
    for kind in ("rollup", "overdue", "coverage", "ranking"):
        text = str(rows(fetch(client, user, kind)))
        assert "Tỉnh An" not in text and "Xã a" not in text and "P-a" not in text


def test_formula_like_text_stays_text():
    content = xlsx.workbook("t", "caption", ["A"], [['=HYPERLINK("x")']])
    ws = load_workbook(io.BytesIO(content)).active
    assert ws.cell(row=3, column=1).data_type == "s"
    assert ws.cell(row=3, column=1).value.startswith("'=")


@pytest.mark.usefixtures("english")
def test_the_period_column_is_computed_in_the_readers_language(client, data):
    """The "Kỳ" column names the period from the occurrence's dates, never its stored text."""
    Occurrence.objects.filter(due=D(2022, 3, 31)).update(
        period_start=D(2022, 1, 1), label="văn bản cũ"
    )
    body = rows(fetch(client, data["admin"], "overdue", unit=data["root"].pk))[2:]
    assert [r[3] for r in body] == ["31/12/2021", "Quý I/2022", "Quý I/2022"]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = rows(fetch(client, data["admin"], "overdue", unit=data["root"].pk))[2:]
    assert [r[3] for r in body] == ["31/12/2021", "Q1 2022", "Q1 2022"]
