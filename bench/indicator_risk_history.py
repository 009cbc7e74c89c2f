"""How well the indicators' risk colour foretold the outcome in a database's history (the demo's).

For every target of every indicator set whose year has at least two ended periods: the colour the
rule (`indicators.risk`) gave with only the first k periods known (a quarter, half and three
quarters of the year, as far as they have ended), against the colour with every period ended by
today (the outcome: the year's end once the year is over, otherwise the latest projection). Prints
per cut-off: how many targets, how often the early colour equals the outcome, and for the targets
that end red: how many were already red (or red/orange) at the cut-off, and how many early reds
ended red.

Usage: python bench/indicator_risk_history.py   (TRIENKHAI_DATA_DIR / DATABASE_URL as for the app)
"""

import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trienkhai.settings")

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from trienkhai.indicators import periods, risk  # noqa: E402
from trienkhai.indicators.models import Aggregation, Indicator, Rollup, Target  # noqa: E402


def main() -> int:
    today = timezone.localdate()
    results = defaultdict(list)  # share of the year -> [(early, outcome)]
    for ind in Indicator.objects.select_related("indicator_set"):
        year = ind.indicator_set.year
        ended = periods.elapsed(ind.period, year, today)
        if ended < 2:
            continue
        series = defaultdict(dict)
        for unit_id, period, total, reporting in Rollup.objects.filter(
            indicator=ind, year=year
        ).values_list("unit_id", "period", "total", "reporting"):
            if reporting:
                series[unit_id][period] = (
                    total if ind.aggregation == Aggregation.SUM else total / reporting
                )
        for unit_id, target in Target.objects.filter(indicator=ind, year=year).values_list(
            "unit_id", "value"
        ):
            outcome = risk.assess(ind, series[unit_id], ended, target).colour
            for share in (0.25, 0.5, 0.75):
                k = round(ind.periods * share)
                if 1 <= k < ended:
                    early = risk.assess(ind, series[unit_id], k, target).colour
                    results[share].append((early, outcome))
    print(f"as of {today:%d/%m/%Y}")
    for share, pairs in sorted(results.items()):
        agree = sum(1 for e, o in pairs if e == o)
        ended_red = [e for e, o in pairs if o == risk.RED]
        early_red = [o for e, o in pairs if e == risk.RED]
        print(
            f"after {share:.0%} of the year: {len(pairs)} targets, same colour {agree} "
            f"({agree / len(pairs):.0%}); ending red {len(ended_red)}: red already "
            f"{sum(1 for e in ended_red if e == risk.RED)}, red or orange "
            f"{sum(1 for e in ended_red if e in (risk.RED, risk.ORANGE))}; early red "
            f"{len(early_red)}, of which ended red {sum(1 for o in early_red if o == risk.RED)}"
        )
        known = [(e, o) for e, o in pairs if e != risk.NO_DATA]
        same = sum(1 for e, o in known if e == o)
        print(
            f"   with data at the cut-off: {len(known)} targets, same colour {same} "
            f"({same / max(len(known), 1):.0%})"
        )
        print("   early → outcome:", dict(Counter(pairs).most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
