"""The extension registry: what each app offers is registered once at start-up, and a mistake
is an error then, not a feature silently missing later."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from trienkhai.core import registry


def test_every_app_registered_its_extensions_at_start_up():
    assert registry.names("units.handover") == [
        "inspections.requests",
        "reports.reports",
        "tracking.assignments",
    ]
    assert registry.names("units.paths_moved") == [
        "conferences.host_path",
        "indicators.unit_path",
        "reports.paths",
        "tracking.assignments",
        "tracking.reports",
    ]
    assert registry.names("documents.implements") == ["tracking.plans"]
    assert registry.names("evaluations.flags") == [
        "explanations",
        "open_remediation",
        "overdue_tasks",
        "violations",
    ]
    assert registry.names("tracking.dashboard_panels") == [
        "conferences",
        "evaluations",
        "indicators",
        "inspections",
    ]
    assert registry.names("units.page_panels") == ["indicators", "reports"]
    prefixes = set(registry.names("api.routes"))
    assert {"units", "documents", "plans", "inspections", "conferences", "practices"} <= prefixes
    assert {"evaluations", "evaluation-periods"} <= prefixes
    assert {"api-token", "api-me", "api-rollup", "api-conference-rollup"} <= set(
        registry.names("api.paths")
    )


def test_an_unknown_point_or_a_second_entry_under_one_name_is_refused():
    with pytest.raises(ImproperlyConfigured):
        registry.add("no.such.point", "x", object())
    with pytest.raises(ImproperlyConfigured):
        registry.add("units.handover", "tracking.assignments", object())


def test_override_puts_the_registered_entry_back():
    def stand_in(*args):
        return 0

    real = dict(registry.entries("units.handover"))["tracking.assignments"]
    with registry.override("units.handover", "tracking.assignments", stand_in):
        assert dict(registry.entries("units.handover"))["tracking.assignments"] is stand_in
    assert dict(registry.entries("units.handover"))["tracking.assignments"] is real
