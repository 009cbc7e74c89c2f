"""The morning's mix of requests, per kind of person (plain Python: the load generator imports it
without Django). A page is (name, path, weight); the weights are how often a person of that
kind opens it among their actions. Reporters also file a progress report (`REPORT`): they open
their assignment, read its version from the form, and post."""

import datetime
import random
import re
from urllib.parse import quote

REPORT = "report write"
VERSION = re.compile(r'name="version" value="(\d+)"')


def pages(plan: dict, person: dict) -> list[tuple[str, str, int]]:
    unit, directive, province = person["unit"], plan["directive"], plan["province"]
    search = quote(random.choice(plan["searches"]))
    if person["kind"] == "reporter":
        return [
            ("home, commune reporter", "/", 3),
            ("assignment page", f"/tracking/assignments/{person['assignment']}/", 2),
            (REPORT, f"/tracking/assignments/{person['assignment']}/report/", 5),
        ]
    if person["kind"] == "coordinator":
        return [
            ("home, province coordinator", "/", 2),
            ("dashboard, province", f"/tracking/?unit={province}&directive={directive}", 3),
            ("default dashboard, province", "/tracking/", 1),
            ("roll-up API, province", f"/api/rollup/?unit={province}&directive={directive}", 2),
            ("review queue, province", "/tracking/review/", 2),
            ("tree, province children", f"/units/{province}/children/", 1),
            ("search, province", f"/documents/?q={search}", 1),
        ]
    return [
        ("home, commune coordinator", "/", 3),
        ("dashboard, commune", f"/tracking/?unit={unit}&directive={directive}", 2),
        ("tree, commune children", f"/units/{unit}/children/", 1),
        ("review queue, commune", "/tracking/review/", 1),
        ("search, commune", f"/documents/?q={search}", 1),
    ]


def report_form(version: str) -> dict:
    """What the report form posts: work in progress, today, a percentage, a sentence."""
    return {
        "state": "in_progress",
        "reported_on": datetime.date.today().strftime("%d/%m/%Y"),
        "percent": str(random.randint(10, 90)),
        "narrative": "Đã phổ biến tới các chi bộ, đang tổ chức thực hiện.",
        "version": version,
    }


def server_timing(header: str) -> dict:
    """{'app': ms, 'cpu': ms, 'db': ms, 'queries': n} from our Server-Timing header."""
    out = {}
    for part in header.split(","):
        bits = [b.strip() for b in part.split(";")]
        name = bits[0]
        for b in bits[1:]:
            if b.startswith("dur="):
                out[name] = float(b[4:])
            elif b.startswith("desc=") and name == "db":
                out["queries"] = int(b[5:].strip('"'))
    return out
