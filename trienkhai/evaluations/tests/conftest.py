"""Shared set-up: a commune deciding on six grassroots organisations, a 2025 period, users."""

import pytest

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.evaluations.actions import periods as period_actions
from trienkhai.evaluations.actions import ratings as rating_actions
from trienkhai.evaluations.models import Evaluation
from trienkhai.tree.kinds import UnitKind


@pytest.fixture
def world(tree):
    """commune_a decides on org_a and five more organisations; users at each role."""
    commune = tree["commune_a"]
    orgs = [tree["org_a"]] + [
        factories.unit(commune, UnitKind.GRASSROOTS, f"Chi bộ thôn {i}", f"G-a{i}")
        for i in range(2, 7)
    ]
    factories.unit(commune, UnitKind.ORGANISATION_COMMISSION, "Ban Tổ chức xã a", "BTC-a")
    period = period_actions.create_period(None, unit=tree["root"], year=2025)
    users = {
        "admin": factories.user("eval-admin", superuser=True),
        "decider": factories.user("thuong-vu-xa", (Role.COORDINATOR, commune)),
        "reporter": factories.user("chi-bo-a", (Role.REPORTER, orgs[0], False)),
        "reporter2": factories.user("chi-bo-2", (Role.REPORTER, orgs[1], False)),
        "other": factories.user("tinh-binh", (Role.COORDINATOR, tree["prov_b"])),
        "viewer": factories.user("xem-xa", (Role.VIEWER, commune)),
    }
    rating_actions.open_evaluations(None, period, commune)
    evs = {ev.unit_id: ev for ev in Evaluation.objects.filter(period=period)}
    return {
        **tree,
        "commune": commune,
        "orgs": orgs,
        "period": period,
        "users": users,
        "evs": [evs[o.pk] for o in orgs],
    }
