"""The one registry of extension points.

A lower floor calls into the apps above it without importing them: each app adds what it offers in
its `AppConfig.ready()` (a handover of open work, a warning for the annual classification, a
dashboard panel, API routes …), and the lower floor reads the entries of its point. Every point is
declared here with the shape of its entries; adding to an unknown point, or twice under one name,
is an error at start-up, never a silently missing feature.
"""

from contextlib import contextmanager

from django.core.exceptions import ImproperlyConfigured

POINTS = {
    # handler(actor, predecessor, successor, operation) -> records moved, inside the merge,
    # split or dissolution's transaction
    "units.handover": "open work of a closing unit moves to its successor",
    # handler(old_path, new_path) -> rows updated, for fact rows that copy their unit's path
    "units.paths_moved": "path copies follow a subtree that moves",
    # handler(actor, source_document, target_document), inside the relation's transaction
    "documents.implements": "a document now implements another",
    # provider(unit_ids, year, as_of) -> {unit_id: [evaluations.flags.Flag, ...]}
    "evaluations.flags": "warnings against an organisation proposed for the top rating",
    # panel(user, unit, as_of) -> dict for its template, or None to show nothing
    "tracking.dashboard_panels": "panels other apps add to the tracking dashboard",
    # panel(user, unit, today) -> {"template": ..., "panel": ...} or None: a card other apps
    # add to a unit's page (its indicators' colours …)
    "units.page_panels": "cards other apps add to a unit's page",
    # provider(user, today) -> list[core.todo.Todo]: what the user must do, for the home page
    "home.todo": "lines of a person's work list",
    # (prefix, viewset, basename)
    "api.routes": "viewsets on the API router",
    # django.urls.path(...)
    "api.paths": "plain API views",
    # label (lazy gettext), named by the action ("tracking.progress"); `core.actions.record`
    # refuses an action without one
    "log.actions": "the change log's words for each action",
    # label (lazy gettext), named by the job ("tracking.recurrence.extend_recurring")
    "log.jobs": "the change log's words for a background job that acted",
    # (word, describe or None), named by the model ("tracking.assignment"): what a record is
    # called, and describe(ids, known) -> {id: text}, readable names for records whose own is
    # not, naming only units in known(prefix) (one query for a page of entries)
    "log.names": "readable names of records in the change log",
    # listener(entry) for every entry `core.actions.record` writes, inside the action's
    # transaction (notify schedules its hand-off job there)
    "core.recorded": "listeners of the change log (each call: the entries one write logged)",
    # handler(entry) -> notify.handoffs.Handoff | None, under the action's name: who is told
    # what when an action of that name is logged (run later, by the notification job)
    "notify.handoffs": "hand-offs that notify the next person",
}

_entries: dict[str, dict[str, object]] = {point: {} for point in POINTS}


def add(point: str, name: str, entry) -> None:
    """Register `entry` under `name` at `point` (from an `AppConfig.ready()`)."""
    if point not in POINTS:
        raise ImproperlyConfigured(f"Unknown extension point {point!r}")
    if name in _entries[point]:
        raise ImproperlyConfigured(f"{name!r} is already registered at {point!r}")
    _entries[point][name] = entry


def remove(point: str, name: str) -> None:
    """Forget an entry (tests that register a stand-in take it out again)."""
    _entries[point].pop(name, None)


def entries(point: str) -> list[tuple[str, object]]:
    """(name, entry) pairs of `point`, by name, so every run calls them in the same order."""
    return sorted(_entries[point].items())


def get(point: str, name: str):
    """The entry registered under `name` at `point`, or None."""
    return _entries[point].get(name)


def names(point: str) -> list[str]:
    return [name for name, _entry in entries(point)]


def add_api(module) -> None:
    """Register an app's API: its `ROUTES` (prefix, viewset, basename) and `PATHS` (path())."""
    for route in module.ROUTES:
        add("api.routes", route[0], route)
    for item in module.PATHS:
        add("api.paths", item.name, item)


def add_log_words(module) -> None:
    """Register an app's change-log words: its `ACTIONS` {action: label}, `JOBS` {job: label}
    and `NAMES` {"app_label.model": describe} (each optional)."""
    for action, label in getattr(module, "ACTIONS", {}).items():
        add("log.actions", action, label)
    for name, label in getattr(module, "JOBS", {}).items():
        add("log.jobs", name, label)
    for model, describe in getattr(module, "NAMES", {}).items():
        add("log.names", model, describe)


def entry(point: str, name: str, default=None):
    """The entry registered under `name` at `point`, or `default`."""
    return _entries[point].get(name, default)


@contextmanager
def override(point: str, name: str, entry=None):
    """For tests: within the block, `name` at `point` is `entry` (or absent when None); the
    registered entry comes back afterwards."""
    saved = _entries[point].pop(name, None)
    if entry is not None:
        _entries[point][name] = entry
    try:
        yield
    finally:
        _entries[point].pop(name, None)
        if saved is not None:
            _entries[point][name] = saved
