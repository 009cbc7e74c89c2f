"""Steps used by many tests: rate, review, decide at a level with scores that fit it."""

import datetime

from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Level

D = datetime.date
SELF_DAY = D(2025, 12, 10)
REVIEW_DAY = D(2026, 1, 5)
DECIDE_DAY = D(2026, 1, 15)

# level -> (general, results) on the 30 + 70 scale
SCORES = {
    Level.EXCELLENT: (28, 64),  # 92
    Level.GOOD: (25, 55),  # 80
    Level.COMPLETE: (20, 40),  # 60
    Level.NOT_COMPLETE: (10, 30),  # 40
}


def self_rate(ev, level, actor=None, **kw):
    general, results = SCORES[level]
    kw.setdefault("on_time_percent", 100)
    kw.setdefault("exceeded_percent", 35)
    return rating_actions.self_rate(
        actor, ev, general=general, results=results, level=level, rated_on=SELF_DAY, **kw
    )


def review(ev, level, actor=None, **kw):
    general, results = SCORES[level]
    return rating_actions.review(
        actor, ev, general=general, results=results, level=level, reviewed_on=REVIEW_DAY, **kw
    )


def decide(ev, level, actor=None, **kw):
    return rating_actions.decide(actor, ev, level=level, decided_on=DECIDE_DAY, **kw)


def proposed(ev, level):
    """Self-rated and reviewed at `level`."""
    return review(self_rate(ev, level), level)
