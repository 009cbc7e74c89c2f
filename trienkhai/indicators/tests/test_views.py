import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from trienkhai.indicators import actions
from trienkhai.indicators.models import Value
from trienkhai.indicators.tests.test_import import GOOD, workbook

JULY = datetime.date(2026, 7, 15)


def _setup(w):
    kids = list(actions.cascade_children(w["prov_a"]))
    actions.cascade(
        None, w["count"], w["prov_a"], method="manual", figures={k.pk: 120 for k in kids}
    )
    for month in range(1, 7):
        actions.report_value(None, w["count"], w["commune_a"], month, 10, today=JULY)
    actions.report_value(None, w["count"], w["commune_a3"], 1, 10, today=JULY)


@freeze_time("2026-07-15 09:00:00")
def test_panel_shows_colours_with_words_and_the_rule(client, world):
    w = world
    _setup(w)
    client.force_login(w["coord_a"])
    url = reverse("indicators-set", args=[w["set"].pk])
    r = client.get(url, {"unit": w["prov_a"].pk, "indicator": w["count"].pk})
    assert r.status_code == 200
    html = r.content.decode()
    assert "Cách tính màu cảnh báo" in html
    assert 'data-unit="C-a3"' in html and "Nguy cơ cao không đạt" in html
    assert "risk-row-green" in html and "risk-row-red" in html
    # drill-down into a commune
    r = client.get(url, {"unit": w["commune_a"].pk, "indicator": w["count"].pk})
    assert r.status_code == 200
    # a unit outside the reach, or outside the set, is a 404
    client.force_login(w["coord_b"])
    assert client.get(url, {"unit": w["prov_a"].pk}).status_code == 404


def _unit_risk(page) -> str:
    import re

    return re.search(r'class="unit-risk"><span class="badge risk-(\w+)', page.content.decode())[1]


@freeze_time("2026-07-15 09:00:00")
def test_a_commune_reports_and_its_colour_changes(client, world):
    w = world
    _setup(w)
    client.force_login(w["reporter_c"])
    url = reverse("indicators-set", args=[w["set"].pk])
    page = client.get(url, {"unit": w["commune_a3"].pk, "indicator": w["count"].pk})
    assert page.status_code == 404  # not the reporter's unit
    page = client.get(url, {"unit": w["commune_a"].pk, "indicator": w["count"].pk})
    assert "Lưu số liệu" in page.content.decode()
    assert _unit_risk(page) == "green"
    report = reverse("indicators-report", args=[w["set"].pk])
    data = {"unit": w["commune_a"].pk, "indicator": w["count"].pk, "period": 6, "value": "abc"}
    r = client.post(report, data)
    assert r.status_code == 400 and "không phải là số" in r.content.decode()
    assert Value.objects.get(unit=w["commune_a"], period=6).value == 10
    data["value"] = "0"
    r = client.post(report, data)  # the page knew no version: someone else's value is kept
    assert r.status_code == 409 and Value.objects.get(unit=w["commune_a"], period=6).value == 10
    data["versions"] = "6:1"
    r = client.post(report, data)
    assert r.status_code == 302
    page = client.get(url, {"unit": w["commune_a"].pk, "indicator": w["count"].pk})
    assert _unit_risk(page) == "red"  # 50 in six months: 100 by December, target 120


@freeze_time("2026-07-15 09:00:00")
def test_cascade_form(client, world):
    w = world
    client.force_login(w["coord_a"])
    kids = list(actions.cascade_children(w["prov_a"]))
    url = reverse("indicators-cascade", args=[w["set"].pk])
    base = {"unit": w["prov_a"].pk, "indicator": w["count"].pk, "method": "manual"}
    r = client.post(url, {**base, f"c{kids[0].pk}": "5"})
    assert r.status_code == 400
    r = client.post(url, {**base, **{f"c{k.pk}": "5" for k in kids}})
    assert r.status_code == 302


@freeze_time("2026-07-15 09:00:00")
def test_import_page(client, world):
    w = world
    client.force_login(w["coord_a"])
    url = reverse("indicators-import")
    assert client.get(url).status_code == 200
    base = {
        "document": w["nq57"].pk,
        "unit": f"{w['prov_a'].name} ({w['prov_a'].code})",
        "name": "Bộ thử",
        "year": 2026,
    }
    bad = workbook(GOOD, [["KT-01", "KHONG-CO", 1]])
    r = client.post(url, {**base, "file": bad})
    assert r.status_code == 400
    assert "KHONG-CO" in r.content.decode() and "chưa có gì được lưu" in r.content.decode()
    r = client.post(url, {**base, "file": workbook(GOOD, [["KT-01", "C-a", 90]])})
    assert r.status_code == 302
    template = client.get(reverse("indicators-import-template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"


@freeze_time("2026-07-15 09:00:00")
def test_home_unit_page_dashboard_and_api(client, world):
    w = world
    _setup(w)
    client.force_login(w["coord_a"])
    r = client.get(reverse("unit-detail", args=[w["commune_a3"].pk]))
    assert (
        "Chỉ tiêu năm nay" in r.content.decode() and "Nguy cơ cao không đạt" in r.content.decode()
    )
    r = client.get(reverse("tracking-dashboard"), {"unit": w["prov_a"].pk})
    assert r.status_code == 200 and "indicators-panel" in r.content.decode()
    api = f"/api/indicator-sets/{w['set'].pk}/colours/"
    r = client.get(api, {"unit": w["prov_a"].pk, "indicator": w["count"].pk})
    assert r.status_code == 200
    colours = {c["unit"]: c["colour"] for c in r.json()["children"]}
    assert colours["C-a3"] == "red" and colours["C-a"] == "green"
    assert client.get(api, {"unit": w["prov_b"].pk}).status_code == 404
    # a reporter of a red commune sees it on the home page
    from tests.builders import factories
    from trienkhai.accounts.models import Role

    rep = factories.user("rep-a3", (Role.REPORTER, w["commune_a3"], False))
    client.force_login(rep)
    home = client.get("/").content.decode()
    assert "Chỉ tiêu có nguy cơ không đạt" in home and "CDS-02" in home
    r = client.post(
        f"/api/indicator-sets/{w['set'].pk}/report/",
        {
            "indicator": w["count"].pk,
            "unit": w["commune_a3"].pk,
            "period": 2,
            "value": "60",
            "expected_version": 0,
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    r = client.post(
        f"/api/indicator-sets/{w['set'].pk}/report/",
        {
            "indicator": w["count"].pk,
            "unit": w["commune_a3"].pk,
            "period": 2,
            "value": "61",
            "expected_version": 5,
        },
        content_type="application/json",
    )
    assert r.status_code == 409
    r = client.post(
        f"/api/indicator-sets/{w['set'].pk}/report/",
        {
            "indicator": w["count"].pk,
            "unit": w["commune_a3"].pk,
            "period": 11,
            "value": "1",
            "expected_version": 0,
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "chưa bắt đầu" in r.json()["detail"]


@pytest.mark.parametrize("query", [{"unit": "x"}, {"indicator": "99999"}, {"unit": "99999"}])
@freeze_time("2026-07-15 09:00:00")
def test_bad_queries_are_not_500(client, world, query):
    client.force_login(world["coord_a"])
    r = client.get(reverse("indicators-set", args=[world["set"].pk]), query)
    assert r.status_code in (200, 404)
