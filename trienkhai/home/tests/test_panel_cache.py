"""The panel cache (core/versions.py, units/areas.py): what a page shows after a write is what
it would show computed afresh, while pages nobody's write touched are served from the cache."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tests.builders import factories
from trienkhai.accounts.models import Role
from trienkhai.core import versions
from trienkhai.documents.models import DocType
from trienkhai.inspections.actions import steps as step_actions
from trienkhai.inspections.tests.conftest import World, new_inspection, register, upload
from trienkhai.tracking.actions import assign as assign_actions
from trienkhai.tracking.actions import plans as plan_actions
from trienkhai.tracking.actions import reports as report_actions
from trienkhai.tracking.models import Assignment, Plan
from trienkhai.tracking.tests.test_views import world as world  # noqa: F401, PLC0414 (a fixture)
from trienkhai.tree.kinds import UnitKind
from trienkhai.units import actions as unit_actions
from trienkhai.units import areas

D = datetime.date
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


@pytest.fixture
def people(world):
    world["commune_a2"] = factories.unit(world["prov_a"], UnitKind.COMMUNE, "Xã a hai", "C-a2")
    return {
        "commune A2 reporter": factories.user(
            "rep-xa2", (Role.REPORTER, world["commune_a2"], False)
        ),
        "inspector A": factories.user("kt-a", (Role.INSPECTOR, world["prov_a"])),
        "centre": world["coord"],
        "province A": world["coord_a"],
        "province B": factories.user("coord-b", (Role.COORDINATOR, world["prov_b"])),
        "commune A reporter": world["rep_commune"],
        "province A viewer": world["viewer_a"],
        "superuser": factories.user("root", superuser=True),
    }


def pages(world):
    return [
        "/",
        "/tracking/?as_of=01/06/2022",
        f"/tracking/?unit={world['prov_a'].pk}&directive={world['directive'].symbol}",
        f"/tracking/?unit={world['commune_a'].pk}",
    ]


def _page(client, user, path) -> tuple[int, str]:
    client.force_login(user)
    response = client.get(path)
    return response.status_code, CSRF.sub("", response.content.decode())


def shown(client, settings, people, world) -> dict:
    """Every page of every person as served (cache on), after checking that each equals the
    page computed without the cache."""
    out = {}
    for who, user in people.items():
        for path in pages(world):
            settings.TRIENKHAI_PANEL_CACHE_SECONDS = 600
            served = _page(client, user, path)
            settings.TRIENKHAI_PANEL_CACHE_SECONDS = 0
            fresh = _page(client, user, path)
            assert served == fresh, f"{who} sees a stale {path}"
            out[who, path] = served
    settings.TRIENKHAI_PANEL_CACHE_SECONDS = 600
    return out


def study(world, unit_key):
    return Assignment.objects.get(task=world["study"], unit=world[unit_key])


def test_every_write_is_shown_at_once(
    client, settings, world, people, django_capture_on_commit_callbacks
):
    coord, coord_a = world["coord"], world["coord_a"]
    state = {}

    def write(what, action):
        """Do `action` as if in its own committed transaction, then compare every page."""
        with django_capture_on_commit_callbacks(execute=True):
            action()
        before = state.get("last")
        state["last"] = shown(client, settings, people, world)
        if before is not None:
            state.setdefault("changed", {})[what] = {
                k for k, page in state["last"].items() if page != before[k]
            }

    commit_so_far()
    state["last"] = shown(client, settings, people, world)
    # Commune A files "done"; the centre accepts it; province B files and is sent back.
    write(
        "report",
        lambda: report_actions.report_progress(
            None, study(world, "commune_a"), reported_on=D(2022, 3, 20), percent=100, done=True
        ),
    )
    write(
        "accept",
        lambda: report_actions.review_report(
            coord, study(world, "commune_a").reports.get(), accept=True
        ),
    )
    write(
        "report B",
        lambda: report_actions.report_progress(
            None, study(world, "prov_b"), reported_on=D(2022, 3, 25), percent=100, done=True
        ),
    )
    write(
        "return B",
        lambda: report_actions.review_report(
            coord, study(world, "prov_b").reports.get(), accept=False, reason="Thiếu minh chứng"
        ),
    )
    # Province A adds a task of its own and gives it to its communes (an INSERT … SELECT).
    plan_a = Plan.objects.get(unit=world["prov_a"])

    def task_for_communes():
        task = plan_actions.add_task(
            coord_a, plan_a, title="Sơ kết", lead_unit=world["prov_a"], deadline_text="quý II/2022"
        )
        assign_actions.assign(coord_a, task, rule="kind", kind="commune")

    write("task", task_for_communes)
    # The province inspects commune A: announced at the province's level, the commune is
    # asked for its self-report; the commune files it, and the inspector is told.
    w = World({**world, "inspector": people["inspector A"], "commune_rep": world["rep_commune"]})

    def announce():
        inspection = new_inspection(w, inspected_units=[world["commune_a"]])
        decision = register(w, inspection, DocType.DECISION, "15-QĐ/TU", D(2024, 8, 20))
        inspection = step_actions.decide(w.inspector, inspection, decision=decision)
        state["inspection"] = step_actions.announce(w.inspector, inspection, date=D(2024, 9, 1))

    write("announce", announce)
    write(
        "self-report",
        lambda: upload(w, state["inspection"].parts.get(), world["rep_commune"]),
    )
    # A reorganisation: the commune's new name shows everywhere it is named.
    write(
        "rename",
        lambda: unit_actions.rename_unit(
            None, world["commune_a"], name="Xã An Mới", date=D(2022, 7, 1)
        ),
    )
    # A commune moves from province A to province B: both provinces' figures change.
    write(
        "move",
        lambda: unit_actions.move_unit(
            None, world["commune_a"], new_parent=world["prov_b"], date=D(2022, 8, 1)
        ),
    )
    changed = state["changed"]
    # The writes did change pages (so the comparisons above were about something) ...
    assert ("commune A reporter", "/") in changed["task"]
    assert ("centre", "/") in changed["report"]
    assert any(who == "province A" for who, _path in changed["rename"])
    assert {"province A", "province B"} <= {who for who, _path in changed["move"]}
    assert ("commune A reporter", "/") in changed["announce"]
    assert ("inspector A", "/") in changed["self-report"]
    # ... and a write in province B changed nothing that province A's people see.
    assert not {k for k in changed["report B"] if k[0].startswith("province A")}


def commit_so_far() -> None:
    """What the commit of the writes made so far would run (the fixtures' writes included)."""
    callbacks, connection.run_on_commit = connection.run_on_commit, []
    for _sids, func, _robust in callbacks:
        func()


def _queries(client, user, path) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx)


def test_a_write_in_one_province_leaves_the_other_provinces_panels_cached(
    client, settings, world, people, django_capture_on_commit_callbacks
):
    settings.TRIENKHAI_PANEL_CACHE_SECONDS = 600
    commit_so_far()
    b, a = people["province B"], people["province A"]
    first_b, first_a = _queries(client, b, "/"), _queries(client, a, "/")
    cached_b, cached_a = _queries(client, b, "/"), _queries(client, a, "/")
    assert cached_b < first_b and cached_a < first_a
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.report_progress(
            None, study(world, "commune_a"), reported_on=D(2022, 3, 20), percent=40, done=False
        )
    assert _queries(client, b, "/") == cached_b  # still served from the cache
    assert _queries(client, a, "/") > cached_a + 5  # computed again
    assert _queries(client, people["centre"], "/") > cached_b  # the centre reads everything


def test_a_commune_write_leaves_its_sibling_communes_panels_cached(
    client, settings, world, people, django_capture_on_commit_callbacks
):
    settings.TRIENKHAI_PANEL_CACHE_SECONDS = 600
    commit_so_far()
    sibling, own = people["commune A2 reporter"], people["commune A reporter"]
    province = people["province A"]
    first = {u: _queries(client, u, "/") for u in (sibling, own, province)}
    cached = {u: _queries(client, u, "/") for u in (sibling, own, province)}
    assert all(cached[u] < first[u] for u in first)
    with django_capture_on_commit_callbacks(execute=True):
        report_actions.report_progress(
            None, study(world, "commune_a"), reported_on=D(2022, 3, 20), percent=40, done=False
        )
    assert _queries(client, sibling, "/") == cached[sibling]  # another commune: kept
    # computed again (the first time also created the areas' tokens: two queries more)
    assert _queries(client, own, "/") > cached[own] + 5
    assert _queries(client, province, "/") > cached[province] + 5
    # A write at the province's own level reaches every commune of the province.
    with django_capture_on_commit_callbacks(execute=True):
        plan_actions.add_task(
            world["coord_a"],
            Plan.objects.get(unit=world["prov_a"]),
            title="Sơ kết",
            lead_unit=world["prov_a"],
            deadline_text="quý II/2022",
        )
    assert _queries(client, sibling, "/") > cached[sibling] + 5


def test_people_with_the_same_grants_share_a_dashboard_not_a_home(client, settings, world, people):
    """The dashboard depends on what the grants reach, not on who holds them; the home lists
    what waits for that person (the explanations they asked, for instance)."""
    settings.TRIENKHAI_PANEL_CACHE_SECONDS = 600
    commit_so_far()
    twin = factories.user("coord-a2", (Role.COORDINATOR, world["prov_a"]))
    other = people["province A viewer"]  # same unit, another role
    dashboard = f"/tracking/?unit={world['prov_a'].pk}"
    first = _queries(client, world["coord_a"], dashboard)
    assert _queries(client, twin, dashboard) < first - 5  # the first one's entry
    assert _queries(client, other, dashboard) > first - 5  # computed for its own grants
    _queries(client, world["coord_a"], "/")
    kept = _queries(client, world["coord_a"], "/")
    assert _queries(client, twin, "/") > kept + 5  # a home of its own
    _, served = _page(client, twin, dashboard)
    settings.TRIENKHAI_PANEL_CACHE_SECONDS = 0
    assert _page(client, twin, dashboard)[1] == served


def test_inside_the_writing_transaction_panels_are_computed_afresh(settings, world):
    settings.TRIENKHAI_PANEL_CACHE_SECONDS = 600
    commit_so_far()
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    area = f"c:{world['commune_a'].path}"
    assert versions.cached("t", (), [area], compute) == 1
    assert versions.cached("t", (), [area], compute) == 1  # kept
    with transaction.atomic():
        areas.touch_units([world["commune_a"].pk])
        # Not committed yet: this transaction sees its own write, so nothing is kept for it.
        assert versions.cached("t", (), [area], compute) == 2
        assert versions.cached("t", (), [area], compute) == 3


def test_a_write_committed_while_a_panel_is_computed_is_not_kept(
    settings, world, django_capture_on_commit_callbacks
):
    settings.TRIENKHAI_PANEL_CACHE_SECONDS = 600
    commit_so_far()
    area = f"c:{world['commune_a'].path}"
    calls = []

    def compute_while_someone_writes():
        calls.append(1)
        if len(calls) == 1:
            # Another request's write commits after this reader read the tokens.
            with django_capture_on_commit_callbacks(execute=True):
                areas.touch_units([world["commune_a"].pk])
        return len(calls)

    assert versions.cached("t", (), [area], compute_while_someone_writes) == 1
    # What was computed then is stored under the tokens read before the write: not found now.
    assert versions.cached("t", (), [area], compute_while_someone_writes) == 2
    assert versions.cached("t", (), [area], compute_while_someone_writes) == 2


def test_areas_of_writes_and_readers(world, people):
    prov_a, prov_b = world["prov_a"], world["prov_b"]
    a = prov_a.path
    commune = f"c:{world['commune_a'].path}"
    # A write in a commune touches its commune and its province; one at the province's level
    # touches the province's level and the province.
    assert areas.written(world["cell_a"].path) == {commune, f"p:{a}"}
    assert areas.written(world["commune_a"].path) == {commune, f"p:{a}"}
    assert areas.written(a) == {f"pl:{a}", f"p:{a}"}
    assert areas.written(prov_b.path) == {f"pl:{prov_b.path}", f"p:{prov_b.path}"}
    # The root, a central organisation, and no unit at all are "everything else".
    assert areas.written(world["root"].path) == {areas.GLOBAL}
    assert areas.written(world["office"].path) == {areas.GLOBAL}
    assert areas.written(None) == {areas.GLOBAL}
    # A commune's reporter reads the commune, the province's level and "g"; the province's
    # people the whole province; the centre and a superuser everything.
    assert areas.of_user(people["commune A reporter"]) == sorted([areas.GLOBAL, commune, f"pl:{a}"])
    assert areas.of_user(people["province A viewer"]) == [areas.GLOBAL, f"p:{a}"]
    assert areas.of_user(people["centre"]) == [versions.EVERYTHING]
    assert areas.of_user(people["superuser"]) == [versions.EVERYTHING]
    # Someone with grants in a commune and in its whole province reads the province.
    both = factories.user(
        "both", (Role.REPORTER, world["commune_a"], False), (Role.VIEWER, prov_a, True)
    )
    assert areas.of_user(both) == [areas.GLOBAL, f"p:{a}"]
