"""Deadlines written as the documents write them become dates and reporting periods."""

import datetime
import unicodedata

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.documents.actions import register_document
from trienkhai.documents.models import DocType
from trienkhai.notify.tests.english import english  # noqa: F401 - the fixture, by name
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.deadlines import (
    InvalidDeadline,
    occurrence_label,
    occurrence_plan,
    parse_deadline,
    period_label,
    periods,
)
from trienkhai.tracking.models import Assignment, Occurrence

D = datetime.date


@pytest.mark.parametrize(
    ("text", "due", "starts_on"),
    [
        ("31/12/2021", D(2021, 12, 31), None),
        ("ngày 31-12-2021", D(2021, 12, 31), None),
        ("trước ngày 15/01/2022", D(2022, 1, 15), None),
        ("ngày 25 tháng 10 năm 2021", D(2021, 10, 25), None),
        ("tháng 12/2021", D(2021, 12, 31), D(2021, 12, 1)),
        ("Trong tháng 2/2024", D(2024, 2, 29), D(2024, 2, 1)),
        ("quý I/2022", D(2022, 3, 31), D(2022, 1, 1)),
        ("Quý I năm 2022", D(2022, 3, 31), D(2022, 1, 1)),
        ("Ngay trong Quý I/2022", D(2022, 3, 31), D(2022, 1, 1)),
        ("quý IV/2022", D(2022, 12, 31), D(2022, 10, 1)),
        ("quý 3/2022", D(2022, 9, 30), D(2022, 7, 1)),
        ("6 tháng đầu năm 2022", D(2022, 6, 30), D(2022, 1, 1)),
        ("6 tháng cuối năm 2022", D(2022, 12, 31), D(2022, 7, 1)),
        ("năm 2022", D(2022, 12, 31), D(2022, 1, 1)),
    ],
)
def test_dates_and_periods(text, due, starts_on):
    d = parse_deadline(text)
    assert (d.kind, d.due, d.starts_on, d.period, d.text) == ("date", due, starts_on, None, text)


@pytest.mark.parametrize(
    ("text", "kind", "period", "starts_on", "ends_on"),
    [
        ("hằng năm từ 2022", "recurring", "yearly", D(2022, 1, 1), None),
        ("hàng năm, từ năm 2022", "recurring", "yearly", D(2022, 1, 1), None),
        (
            "Hằng năm từ năm 2022 đến năm 2025",
            "recurring",
            "yearly",
            D(2022, 1, 1),
            D(2025, 12, 31),
        ),
        ("hằng quý", "recurring", "quarterly", None, None),
        ("hằng quý, từ quý II/2022", "recurring", "quarterly", D(2022, 4, 1), None),
        ("hằng tháng", "recurring", "monthly", None, None),
        ("6 tháng một lần", "recurring", "half_yearly", None, None),
        ("thường xuyên", "continuous", "yearly", None, None),
        ("thường xuyên, báo cáo hằng quý", "continuous", "quarterly", None, None),
        ("Thường xuyên; báo cáo 6 tháng", "continuous", "half_yearly", None, None),
    ],
)
def test_recurring_and_continuous(text, kind, period, starts_on, ends_on):
    d = parse_deadline(text)
    assert (d.kind, d.period, d.starts_on, d.ends_on, d.due) == (
        kind,
        period,
        starts_on,
        ends_on,
        None,
    )


def test_decomposed_unicode_reads_the_same():
    text = unicodedata.normalize("NFD", "Quý I năm 2022")
    assert parse_deadline(text).due == D(2022, 3, 31)


def test_year_from_context():
    assert parse_deadline("ngày 14/11", default_year=2019).due == D(2019, 11, 14)
    assert parse_deadline("quý II", default_year=2022).due == D(2022, 6, 30)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "bắt buộc"),
        ("   ", "bắt buộc"),
        ("sớm nhất có thể", "Không đọc được"),
        ("quý V/2022", "Không đọc được"),
        ("31/02/2022", "không tồn tại"),
        ("tháng 13/2022", "không hợp lệ"),
        ("ngày 14/11", "thiếu năm"),
        ("hằng năm từ khi có điều kiện", "Không đọc được"),
        ("hằng năm từ 2025 đến 2022", "kết thúc trước"),
    ],
)
def test_refusals_say_why_in_vietnamese(text, words):
    with pytest.raises(InvalidDeadline) as err:
        parse_deadline(text)
    assert words in str(err.value)


def test_period_labels():
    assert period_label("monthly", D(2022, 3, 1)) == "Tháng 3/2022"
    assert period_label("quarterly", D(2022, 1, 1)) == "Quý I/2022"
    assert period_label("half_yearly", D(2022, 1, 1)) == "6 tháng đầu năm 2022"
    assert period_label("half_yearly", D(2022, 7, 1)) == "6 tháng cuối năm 2022"
    assert period_label("yearly", D(2022, 1, 1)) == "Năm 2022"


def test_periods_start_at_the_period_holding_the_start():
    got = list(periods("quarterly", D(2021, 12, 1), D(2022, 6, 30)))
    assert got == [
        ("Quý IV/2021", D(2021, 10, 1), D(2021, 12, 31)),
        ("Quý I/2022", D(2022, 1, 1), D(2022, 3, 31)),
        ("Quý II/2022", D(2022, 4, 1), D(2022, 6, 30)),
    ]


def test_occurrence_plan():
    one = occurrence_plan(parse_deadline("quý I/2022"), start=D(2021, 12, 1), horizon=D(2030, 1, 1))
    assert one == [("Quý I/2022", D(2022, 1, 1), D(2022, 3, 31), D(2022, 3, 31))]
    day = occurrence_plan(parse_deadline("15/01/2022"), start=D(2021, 12, 1), horizon=D(2030, 1, 1))
    assert day == [("15/01/2022", D(2022, 1, 15), D(2022, 1, 15), D(2022, 1, 15))]
    yearly = parse_deadline("hằng năm từ 2022 đến 2023")
    dues = [o[3] for o in occurrence_plan(yearly, start=D(2021, 12, 1), horizon=D(2030, 1, 1))]
    assert dues == [D(2022, 12, 31), D(2023, 12, 31)]
    monthly = occurrence_plan(
        parse_deadline("hằng tháng"), start=D(2022, 1, 15), horizon=D(2022, 3, 31)
    )
    assert [o[0] for o in monthly] == ["Tháng 1/2022", "Tháng 2/2022", "Tháng 3/2022"]


# --- period labels computed at display time, in the reader's language -------------------------

LABELS = [
    # (period_start, period_end, Vietnamese, English)
    (D(2021, 12, 1), D(2021, 12, 31), "Tháng 12/2021", "December 2021"),
    (D(2022, 1, 1), D(2022, 3, 31), "Quý I/2022", "Q1 2022"),
    (D(2022, 10, 1), D(2022, 12, 31), "Quý IV/2022", "Q4 2022"),
    (D(2022, 1, 1), D(2022, 6, 30), "6 tháng đầu năm 2022", "H1 2022"),
    (D(2022, 7, 1), D(2022, 12, 31), "6 tháng cuối năm 2022", "H2 2022"),
    (D(2022, 1, 1), D(2022, 12, 31), "Năm 2022", "Year 2022"),
    (D(2022, 1, 15), D(2022, 1, 15), "15/01/2022", "15/01/2022"),  # a plain date
    (D(2022, 2, 1), D(2022, 4, 30), "30/04/2022", "30/04/2022"),  # no period: its last day
]


@pytest.mark.parametrize(("start", "end", "vi", "en"), LABELS)
@pytest.mark.usefixtures("english")
def test_occurrence_label_is_computed_in_the_active_language(start, end, vi, en):
    occurrence = Occurrence(period_start=start, period_end=end, due=end, label="nhãn đã lưu")
    with translation.override("vi"):
        assert occurrence_label(occurrence) == vi
    with translation.override("en"):
        assert occurrence_label(occurrence) == en


@pytest.mark.usefixtures("english")
def test_stored_labels_stay_vietnamese_whoever_plans():
    """`Occurrence.label` is written once, in the site's language, even by an English user."""
    with translation.override("en"):
        quarter = occurrence_plan(
            parse_deadline("quý I/2022"), start=D(2021, 12, 1), horizon=D(2030, 1, 1)
        )
        monthly = list(periods("monthly", D(2021, 12, 1), D(2022, 1, 31)))
        assert period_label("quarterly", D(2022, 1, 1)) == "Q1 2022"  # display: English
    assert quarter[0][0] == "Quý I/2022"
    assert [m[0] for m in monthly] == ["Tháng 12/2021", "Tháng 1/2022"]


@pytest.fixture
def planned(tree):
    """A centre plan with a quý I/2022 task and a monthly one, assigned to both provinces."""
    root = tree["root"]
    coord = factories.user("coord", (Role.COORDINATOR, root))

    def register(symbol, doc_type, subject):
        return register_document(
            coord,
            symbol=symbol,
            doc_type=doc_type,
            issuing_unit=root,
            term="XIII",
            date=D(2021, 11, 1),
            subject=subject,
        )

    directive = register("21-KL/TW", DocType.CONCLUSION, "Kết luận 21")
    plan = plan_actions.register_plan(
        coord, register("03-KH/TW", DocType.PLAN, "Kế hoạch"), implements=directive
    )
    quarter = plan_actions.add_task(
        coord, plan, title="Học tập, quán triệt", lead_unit=root, deadline_text="quý I/2022"
    )
    monthly = plan_actions.add_task(
        coord, plan, title="Báo cáo tháng", lead_unit=root, deadline_text="hằng tháng từ 12/2021"
    )
    for task in (quarter, monthly):
        assign_actions.assign(coord, task, units=[tree["prov_a"], tree["prov_b"]], rule="units")
    reporter = factories.user("rep-a", (Role.REPORTER, tree["prov_a"], False))
    return {"coord": coord, "quarter": quarter, "monthly": monthly, "reporter": reporter, **tree}


def _page(client, user, url, language=None):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.usefixtures("english")
def test_pages_name_periods_in_the_readers_language(client, planned):
    quarter = planned["quarter"]
    assert quarter.occurrences.get().label == "Quý I/2022"  # stored, and left as written
    assignment = Assignment.objects.get(task=quarter, unit=planned["prov_a"])
    pages = [
        (planned["coord"], reverse("tracking-task", args=[quarter.pk])),
        (planned["coord"], reverse("tracking-task", args=[planned["monthly"].pk])),
        (planned["reporter"], reverse("tracking-assignment", args=[assignment.pk])),
        (planned["reporter"], reverse("tracking-my-work")),
    ]
    vi = [_page(client, user, url) for user, url in pages]
    assert "Quý I/2022" in vi[0] and "Q1 2022" not in vi[0]
    assert "Tháng 12/2021" in vi[1] and "December 2021" not in vi[1]
    assert "Quý I/2022" in vi[2] and "Quý I/2022" in vi[3]
    en = [_page(client, user, url, "en") for user, url in pages]
    assert "Q1 2022" in en[0] and "Quý I/2022" not in en[0]
    assert "December 2021" in en[1] and "January 2022" in en[1] and "Tháng 12/2021" not in en[1]
    assert "Q1 2022" in en[2] and "Quý I/2022" not in en[2]
    assert "Q1 2022" in en[3] and "December 2021" in en[3]


@pytest.mark.usefixtures("english")
def test_the_api_gives_the_label_in_the_callers_language(client, planned):
    client.force_login(planned["reporter"])
    url = reverse("api-assignment-list")
    rows = client.get(url, {"task": planned["quarter"].pk}).json()
    rows = rows.get("results", rows)
    assert {r["occurrence_label"] for r in rows if r["task"] == planned["quarter"].pk} == {
        "Quý I/2022"
    }
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = client.get(url).json()
    rows = rows.get("results", rows)
    labels = {r["occurrence_label"] for r in rows}
    assert "Q1 2022" in labels and "December 2021" in labels
    assert not any("Quý" in label or "Tháng" in label for label in labels)
