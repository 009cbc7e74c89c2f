"""Deadlines written as the documents write them become dates and reporting periods."""

import datetime
import unicodedata

import pytest

from trienkhai.tracking.deadlines import (
    InvalidDeadline,
    occurrence_plan,
    parse_deadline,
    period_label,
    periods,
)

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
