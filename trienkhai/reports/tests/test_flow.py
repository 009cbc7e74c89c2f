"""A report request down the tree and back up: requested, pre-filled, drafted, sent, reviewed,
passed down and consolidated, issued as a BC; each refusal changes nothing."""

import datetime
from decimal import Decimal

import pytest

from trienkhai.core.actions import ActionError, PermissionRefused, StaleEdit
from trienkhai.core.models import ChangeLogEntry
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType, DocumentRelation, RelationKind
from trienkhai.reports import outline, queries
from trienkhai.reports.actions import drafting, issue, review
from trienkhai.reports.actions import requests as request_actions
from trienkhai.reports.models import FigureValue, ReportState, UnitReport
from trienkhai.reports.tests.conftest import TODAY, make_request, sections
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions

D = datetime.date


def test_a_request_asks_each_child_once_and_the_requester_gets_its_own_report(w):
    req = make_request(w)
    asked = UnitReport.objects.filter(request=req, own=False)
    # the direct children, not the centre's support bodies (the organisation commission)
    assert sorted(asked.values_list("unit__code", flat=True)) == ["P-a", "P-b"]
    own = req.answers
    assert own.own and own.unit == w["root"] and own.request == req
    assert all(r.due == req.deadline and r.state == ReportState.NOT_STARTED for r in asked)
    assert req.sections.count() == len(outline.DEFAULT_OUTLINE)
    assert req.indicators.filter(figure="").count() == 2
    entry = ChangeLogEntry.objects.get(action="reports.create_request")
    assert entry.after["recipients"] == asked.count()


def test_by_kinds_reaches_every_commune_level_unit(w):
    req = make_request(w, rule="kinds", kinds=["commune", "ward"])
    asked = UnitReport.objects.filter(request=req, own=False)
    assert set(asked.values_list("unit__code", flat=True)) == {"C-a", "C-b", "W-a2"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"directives": []}, "directives"),
        ({"period_end": D(2021, 1, 1)}, "period_end"),
        ({"deadline": D(2020, 1, 1)}, "deadline"),
        ({"rule": "kinds", "kinds": []}, "kinds"),
        ({"sections": [{"title": ""}]}, "sections"),
        ({"figure_codes": ["no-such-figure"]}, "figures"),
        ({"manual": [{"code": "bad code!", "label": "x"}]}, "manual"),
    ],
)
def test_bad_requests_are_refused_and_write_nothing(w, change, field):
    with pytest.raises(ActionError) as refused:
        make_request(w, **change)
    assert refused.value.field == field
    assert not UnitReport.objects.exists()


def test_only_a_coordinator_of_the_unit_requests(w):
    with pytest.raises(PermissionRefused):
        request_actions.create_request(
            w["coord_a"],
            unit=w["root"],
            title="x",
            kind="ad_hoc",
            directives=[w["kl21"]],
            period_start=D(2022, 1, 1),
            period_end=D(2022, 6, 30),
            deadline=TODAY,
            rule="children",
            sections=sections(),
        )


def _report_of(req, unit):
    return UnitReport.objects.get(request=req, unit=unit)


def test_draft_send_return_and_accept(w):
    req = make_request(w)
    report = _report_of(req, w["prov_a"])
    with pytest.raises(PermissionRefused):
        drafting.prefill(w["rep_b"], report)
    report = drafting.prefill(w["rep_a"], report, expected_version=report.version)
    assert report.state == ReportState.DRAFT and report.prefilled_at is not None
    values = {f.indicator.code: f for f in report.figures.select_related("indicator")}
    assert set(values) == {i.code for i in req.indicators.all()}
    texts = list(report.texts.select_related("section"))
    assert len(texts) == req.sections.count()
    # sending is refused until every hand-entered figure is given
    with pytest.raises(ActionError, match="Chưa nhập số liệu"):
        drafting.submit(w["rep_a"], report, expected_version=report.version)
    computed = next(f for f in values.values() if f.indicator.computed)
    # an override of a computed figure needs a reason; nothing is written without one
    other = (computed.computed or Decimal(0)) + 7
    with pytest.raises(ActionError, match="lý do"):
        drafting.save_draft(
            w["rep_a"],
            report,
            figures_entered={computed.indicator_id: (str(other), "")},
            expected_version=report.version,
        )
    computed.refresh_from_db()
    assert computed.entered is None
    report = drafting.save_draft(
        w["rep_a"],
        report,
        texts={texts[0].section_id: "Tỉnh ủy đã quán triệt."},
        figures_entered={
            computed.indicator_id: (str(other), "Số liệu rà soát lại"),
            values["KH-TYLE"].indicator_id: ("100", ""),
            values["DV-HT"].indicator_id: ("1.234", ""),
        },
        expected_version=report.version,
    )
    computed.refresh_from_db()
    assert computed.entered == other and computed.overridden
    assert FigureValue.objects.get(report=report, indicator__code="DV-HT").entered == 1234
    # a stale edit is refused
    with pytest.raises(StaleEdit):
        drafting.save_draft(w["rep_a"], report, texts={}, expected_version=report.version - 1)
    report = drafting.submit(w["rep_a"], report, expected_version=report.version)
    assert report.state == ReportState.SUBMITTED and report.submitted_on == TODAY
    assert not report.late
    with pytest.raises(ActionError, match="không sửa được"):
        drafting.save_draft(w["rep_a"], report, texts={}, expected_version=report.version)
    with pytest.raises(PermissionRefused):
        review.accept(w["coord_a"], report, expected_version=report.version)
    with pytest.raises(ActionError, match="lý do"):
        review.return_report(w["coord_root"], report, reason=" ", expected_version=report.version)
    report = review.return_report(
        w["coord_root"], report, reason="Thiếu số liệu hội nghị", expected_version=report.version
    )
    assert report.state == ReportState.RETURNED
    report = drafting.submit(w["rep_a"], report, expected_version=report.version)
    report = review.accept(w["coord_root"], report, expected_version=report.version)
    assert report.state == ReportState.ACCEPTED


def test_pass_down_consolidates_the_level_below_with_the_late_and_the_mismatched(w):
    req = make_request(w)
    province = _report_of(req, w["prov_a"])
    with pytest.raises(PermissionRefused):
        request_actions.pass_down(w["rep_a"], province, deadline=TODAY, rule="children")
    with pytest.raises(ActionError, match="Hạn của cấp dưới"):
        request_actions.pass_down(
            w["coord_a"], province, deadline=province.due + datetime.timedelta(days=1),
            rule="children",
        )  # fmt: skip
    sub = request_actions.pass_down(
        w["coord_a"], province, deadline=TODAY - datetime.timedelta(days=1), rule="children"
    )
    assert sub.answers == province and sub.unit == w["prov_a"]
    assert [i.code for i in sub.indicators.all()] == [i.code for i in req.indicators.all()]
    with pytest.raises(ActionError, match="đã chuyển"):
        request_actions.pass_down(w["coord_a"], province, deadline=TODAY, rule="children")
    # the commune owes its own plan by mid-2022 and never issued it: its coverage is 0 %
    plan_doc = register_document(
        None, symbol="03-KH/TW", doc_type=DocType.PLAN, issuing_unit=w["root"], term="XIII",
        date=D(2021, 12, 1), subject="Kế hoạch thực hiện Kết luận 21",
    )  # fmt: skip
    plan = plan_actions.register_plan(None, plan_doc, implements=w["kl21"])
    task = plan_actions.add_task(
        None, plan, title="Ban hành kế hoạch thực hiện", lead_unit=w["root"],
        deadline_text="30/6/2022", requires_plan=True,
    )  # fmt: skip
    assign_actions.assign(None, task, units=[w["commune_a"]], rule="units")
    commune = _report_of(sub, w["commune_a"])
    ward = _report_of(sub, w["commune_a2"])
    commune = drafting.prefill(w["rep_commune"], commune)
    data = FigureValue.objects.get(report=commune, indicator__code="KH-TYLE").computed
    assert data == 0
    by_code = {
        f.indicator.code: f.indicator_id for f in commune.figures.select_related("indicator")
    }
    written = {
        by_code["KH-TYLE"]: ("100", ""),
        by_code["DV-HT"]: ("40", ""),
    }
    commune = drafting.save_draft(
        w["rep_commune"], commune, figures_entered=written, expected_version=commune.version
    )
    commune = drafting.submit(w["rep_commune"], commune, expected_version=commune.version)
    assert commune.late  # a day after the deadline
    c = queries.consolidate(province, TODAY)
    assert (c.progress.asked, c.progress.sent, c.progress.sent_late, c.progress.overdue) == (
        2,
        1,
        1,
        1,
    )
    assert [r.unit.code for r in c.missing] == ["W-a2"]
    assert {r.unit.code for r in c.late} == {"C-a", "W-a2"}
    lines = {line.code: line for line in c.lines}
    assert lines["DV-HT"].children_total == 40 and lines["DV-HT"].reporting == 1
    assert lines["KH-TYLE"].averaged and lines["KH-TYLE"].children_total == 100
    # the commune wrote 100 % coverage; its own data say 0 % (no plan issued): flagged
    assert [(m.unit, m.code, m.written, m.data) for m in c.mismatches] == [
        ("Xã a", "KH-TYLE", Decimal("100"), Decimal("0"))
    ]
    assert ward.state == ReportState.NOT_STARTED


def test_issue_registers_the_next_bc_related_to_the_directive(w):
    req = make_request(w)
    report = _report_of(req, w["prov_a"])
    report = drafting.prefill(w["rep_a"], report)
    by_code = {f.indicator.code: f.indicator_id for f in report.figures.select_related("indicator")}
    report = drafting.save_draft(
        w["rep_a"], report, expected_version=report.version,
        figures_entered={by_code["KH-TYLE"]: ("50", ""), by_code["DV-HT"]: ("3", "")},
    )  # fmt: skip
    with pytest.raises(ActionError, match="gửi báo cáo trước"):
        issue.issue(w["coord_a"], report, symbol="06-BC/TU", term="XVII", date=TODAY)
    report = drafting.submit(w["rep_a"], report, expected_version=report.version)
    proposal = issue.proposal(report, TODAY)
    assert proposal.symbol == "06-BC/TU" and proposal.term == "XVII"
    with pytest.raises(ActionError, match="BC"):
        issue.issue(w["coord_a"], report, symbol="06-KH/TU", term="XVII", date=TODAY)
    with pytest.raises(PermissionRefused):
        issue.issue(w["rep_a"], report, symbol=proposal.symbol, term="XVII", date=TODAY)
    report = issue.issue(
        w["coord_a"], report, symbol=proposal.symbol, term="XVII", date=TODAY,
        place="An", signer="Nguyễn Văn A", position="Phó Bí thư", authority="T/M BAN THƯỜNG VỤ",
    )  # fmt: skip
    doc = report.document
    assert doc.symbol == "06-BC/TU" and doc.doc_type == DocType.REPORT
    assert doc.subject == req.title and doc.issuing_unit == w["prov_a"]
    assert DocumentRelation.objects.filter(
        source=doc, target=w["kl21"], kind=RelationKind.REPORTS_ON
    ).exists()
    with pytest.raises(ActionError, match="đã được ban hành"):
        issue.issue(w["coord_a"], report, symbol="07-BC/TU", term="XVII", date=TODAY)


def test_scope_a_province_sees_its_report_not_the_others(w):
    req = make_request(w)
    mine = queries.visible_reports(w["viewer_b"])
    assert set(mine.values_list("unit__code", flat=True)) == {"P-b"}
    assert queries.visible_requests(w["viewer_b"]).filter(pk=req.pk).exists()
    assert queries.get_report(w["viewer_b"], _report_of(req, w["prov_a"]).pk) is None
    # the requester sees every answer
    assert queries.visible_reports(w["coord_root"]).filter(request=req).count() == 3


def test_an_issued_report_leaves_as_edxml_with_its_docx(client, w):
    """The BC goes to the e-office system as an edXML message addressed to the requesting unit,
    its DOCX attached; a draft, which has no number, has no message."""
    from django.urls import reverse

    from trienkhai.documents import edxml

    req = make_request(w)
    report = drafting.prefill(w["rep_a"], _report_of(req, w["prov_a"]))
    by_code = {f.indicator.code: f.indicator_id for f in report.figures.select_related("indicator")}
    report = drafting.save_draft(
        w["rep_a"], report, expected_version=report.version,
        figures_entered={by_code["KH-TYLE"]: ("50", ""), by_code["DV-HT"]: ("3", "")},
    )  # fmt: skip
    report = drafting.submit(w["rep_a"], report, expected_version=report.version)
    client.force_login(w["coord_a"])
    assert client.get(reverse("reports-edxml", args=[report.pk])).status_code == 404
    report = issue.issue(
        w["coord_a"], report, symbol="06-BC/TU", term="XVII", date=TODAY, signer="Nguyễn Văn A"
    )
    response = client.get(reverse("reports-edxml", args=[report.pk]))
    assert response.status_code == 200
    message = edxml.read(response.content)
    assert (message.symbol, message.doc_type, message.signer) == (
        "06-BC/TU",
        DocType.REPORT,
        "Nguyễn Văn A",
    )
    assert b"Trung" in response.content  # addressed to the requesting unit (the centre)
    ((name, content),) = message.files
    assert name.endswith(".docx") and content.startswith(b"PK")
