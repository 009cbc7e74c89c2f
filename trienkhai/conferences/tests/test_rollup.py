"""Roll-up numbers: units held, on time and late by child, totals, zeros, documents, the panel."""

import datetime

import pytest
from django.template.loader import render_to_string

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.conferences import actions, queries
from trienkhai.conferences.panels import panel
from trienkhai.conferences.tests.conftest import values

D = datetime.date


@pytest.fixture
def held(world):
    """Province A on time (237 points); commune A on time twice; A2 late; A3 none; B its own."""
    rec = actions.record_conference
    rec(None, **values(world))
    for date in (D(2022, 2, 1), D(2022, 5, 1)):
        rec(
            None,
            **values(
                world,
                host=world["commune_a"],
                date=date,
                documents=[world["kl21"]],
                points=[("Cấp xã", 1)],
                attendance=[("Cấp xã", "party_members", 100)],
            ),
        )
    rec(
        None,
        **values(
            world,
            host=world["commune_a2"],
            date=D(2022, 4, 20),
            documents=[world["kl21"], world["kh_a"]],
            points=[("Cấp xã", 2)],
            attendance=[("Cấp xã", "public", 50)],
        ),
    )
    # An org under commune A with no deadline.
    rec(
        None,
        **values(
            world,
            host=world["org_a"],
            date=D(2022, 2, 3),
            documents=[world["kl21"]],
            points=[],
            attendance=[("Cơ sở", "party_members", 30)],
            deadline=None,
        ),
    )
    rec(
        None,
        **values(
            world,
            host=world["prov_b"],
            documents=[world["kl21"], world["kh_b"]],
            points=[("Cấp tỉnh", 90)],
            attendance=[("Cấp tỉnh", "unspecified", 4000)],
        ),
    )
    return world


def by_name(rows):
    return {r.name: r for r in rows}


def test_rollup_by_child_counts_units_on_time_and_late(held):
    w = held
    rows = queries.rollup(w["coord_a"], unit=w["prov_a"])
    lines = by_name(rows)
    own = rows[0]
    assert own.own and own.name == "Trực tiếp Tỉnh An"
    assert (own.held, own.on_time, own.late, own.points, own.attendees) == (1, 1, 0, 237, 15_500)
    xa = lines["Xã a"]  # commune A and its organisation
    assert (xa.held, xa.on_time, xa.late, xa.no_deadline) == (2, 1, 0, 1)
    assert (xa.conferences, xa.points, xa.attendees) == (3, 2, 230)
    dong = lines["Xã Đông Hưng"]
    assert (dong.held, dong.on_time, dong.late, dong.points, dong.attendees) == (1, 0, 1, 2, 50)
    tay = lines["Xã Tây Sơn"]  # held none, still listed
    assert (tay.held, tay.conferences, tay.points) == (0, 0, 0)
    total = queries.totals(rows)
    assert (total.held, total.on_time, total.late, total.no_deadline) == (4, 2, 1, 1)
    assert (total.conferences, total.points, total.attendees) == (5, 241, 15_780)
    assert "Tỉnh Bình" not in lines


def test_rollup_filters_by_document_and_dates(held):
    w = held
    rows = queries.rollup(w["coord_a"], unit=w["prov_a"], document=w["kh_a"])
    total = queries.totals(rows)
    assert (total.held, total.on_time, total.late, total.points) == (2, 1, 1, 239)
    rows = queries.rollup(
        w["coord_a"], unit=w["prov_a"], date_from=D(2022, 2, 1), date_to=D(2022, 3, 31)
    )
    assert queries.totals(rows).conferences == 2


def test_centre_sees_both_provinces_and_drills_down(held):
    w = held
    admin = factories.user("adm", superuser=True)
    lines = by_name(queries.rollup(admin, unit=w["root"]))
    assert lines["Tỉnh An"].held == 4 and lines["Tỉnh Bình"].held == 1
    assert lines["Tỉnh Bình"].points == 90
    drilled = by_name(queries.rollup(admin, unit=w["commune_a"]))
    assert drilled["Đảng bộ a"].held == 1 and drilled["Trực tiếp Xã a"].conferences == 2


def test_rollup_is_scoped(held):
    w = held
    rows = queries.rollup(w["coord_b"], unit=w["prov_b"])
    assert queries.totals(rows).held == 1
    # Province B's user asking about province A's subtree sees nothing of it.
    rows = queries.rollup(w["coord_b"], unit=w["prov_a"])
    assert queries.totals(rows).conferences == 0
    commune_user = factories.user("xa", (Role.VIEWER, w["commune_a2"]))
    assert queries.totals(queries.rollup(commune_user, unit=w["commune_a2"])).held == 1
    assert not queries.visible_conferences(commune_user).filter(host=w["prov_a"]).exists()


def test_by_document(held):
    w = held
    lines = {d.document.symbol: d for d in queries.by_document(w["coord_a"], unit=w["prov_a"])}
    assert set(lines) == {"21-KL/TW", "01-KH/TU"}
    assert (lines["21-KL/TW"].held, lines["21-KL/TW"].conferences) == (4, 5)
    assert (lines["01-KH/TU"].held, lines["01-KH/TU"].on_time, lines["01-KH/TU"].late) == (2, 1, 1)


def test_panel_figures_and_template(held):
    w = held
    data = panel(w["coord_a"], w["prov_a"], D(2022, 3, 1))
    # By 1/3/2022: the province, commune A (1/2) and its organisation (3/2).
    assert (data["held"], data["on_time"], data["late"], data["points"]) == (3, 2, 0, 238)
    assert data["attendees"] == 15_630
    html = render_to_string("conferences/_panel.html", {"panel": data})
    assert "15.630" in html and 'id="conferences-panel"' in html
    assert "3 đơn vị đã tổ chức hội nghị (2 đúng hạn, 0 muộn)" in html
    empty = panel(w["coord_b"], w["prov_b"], D(2021, 12, 31))
    assert empty["held"] == 0
    assert "Chưa có hội nghị" in render_to_string("conferences/_panel.html", {"panel": empty})
