from decimal import Decimal as Dec

from trienkhai.indicators import periods, risk
from trienkhai.indicators.models import Period


class Ind:
    def __init__(self, aggregation, direction="more", periods_=12):
        self.aggregation, self.direction, self.periods = aggregation, direction, periods_


def test_sum_projects_linearly_and_counts_missing_periods_as_nothing():
    # 6 elapsed months, 30 reached (a month missing counts as 0): 30 / 6 * 12 = 60
    series = {1: Dec(5), 2: Dec(5), 3: Dec(5), 4: Dec(5), 5: Dec(10)}
    r = risk.assess(Ind("sum"), series, 6, Dec(60))
    assert r.projected == Dec(60) and r.colour == risk.GREEN and r.so_far == Dec(30)
    assert risk.assess(Ind("sum"), series, 6, Dec(65)).colour == risk.ORANGE
    assert risk.assess(Ind("sum"), series, 6, Dec(70)).colour == risk.RED


def test_rate_fits_a_line_to_the_year_end():
    series = {1: Dec(10), 2: Dec(20), 3: Dec(30)}
    r = risk.assess(Ind("rate"), series, 3, Dec(100))
    # the line reaches 120 at month 12: a rate cannot pass 100 %
    assert r.projected == Dec(100) and r.colour == risk.GREEN and r.so_far == Dec(30)
    # an average may pass 100, but no projection falls below 0
    assert risk.assess(Ind("average"), series, 3, Dec(100)).projected == Dec(120)
    falling = {1: Dec(30), 2: Dec(20), 3: Dec(10)}
    assert risk.assess(
        Ind("average"),
        falling,
        3,
        Dec(5),
    ).projected == Dec(0)
    flat = {1: Dec(80), 2: Dec(80)}
    assert risk.assess(Ind("rate"), flat, 2, Dec(85)).colour == risk.ORANGE
    assert risk.assess(Ind("rate"), flat, 2, Dec(95)).colour == risk.RED


def test_periods_not_yet_ended_are_not_projected():
    series = {1: Dec(10), 7: Dec(1000)}
    assert risk.project("sum", series, 6, 12) == Dec(20)


def test_less_is_better_is_reversed():
    ind = Ind("average", "less")
    assert risk.assess(ind, {1: Dec(5), 2: Dec(5)}, 2, Dec(5)).colour == risk.GREEN
    assert risk.assess(ind, {1: Dec(5), 2: Dec(5)}, 2, Dec("4.6")).colour == risk.ORANGE
    assert risk.assess(ind, {1: Dec(5), 2: Dec(5)}, 2, Dec(4)).colour == risk.RED


def test_no_target_and_no_data():
    assert risk.assess(Ind("sum"), {1: Dec(1)}, 3, None).colour == risk.NO_TARGET
    assert risk.assess(Ind("sum"), {}, 3, Dec(10)).colour == risk.NO_DATA
    assert risk.assess(Ind("sum"), {4: Dec(1)}, 3, Dec(10)).colour == risk.NO_DATA
    assert risk.assess(Ind("sum"), {1: Dec(1)}, 0, Dec(10)).colour == risk.NO_DATA


def test_periods_elapsed():
    import datetime

    d = datetime.date
    assert periods.elapsed(Period.MONTH, 2026, d(2026, 7, 15)) == 6
    assert periods.elapsed(Period.MONTH, 2026, d(2026, 7, 31)) == 6
    assert periods.elapsed(Period.MONTH, 2026, d(2026, 8, 1)) == 7
    assert periods.elapsed(Period.QUARTER, 2026, d(2026, 7, 15)) == 2
    assert periods.elapsed(Period.YEAR, 2026, d(2026, 7, 15)) == 0
    assert periods.elapsed(Period.YEAR, 2026, d(2027, 1, 1)) == 1
    assert periods.elapsed(Period.MONTH, 2026, d(2025, 12, 1)) == 0
