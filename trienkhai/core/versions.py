"""Computed panels kept in the cache under versions that every write changes.

A page such as the home's work list or the dashboard's figures runs dozens of queries; most
of the time it is opened again before anything it shows has changed. Such a panel is kept in
the cache under a key made of what it is, for whom, and the current *token* of each area of
data it reads. A write changes the token of each area it touches, so the next read finds no
entry under the new tokens and computes the panel again: a write is never shown stale, and
nothing has to know which panels a write affects.

What an area is (a province's subtree, the rest of the country) is decided by the caller
(`units.areas`); this module keeps the tokens (`AreaVersion` rows, read in one query) and the
entries (in the cache: Redis in production):
- a token is a random string, not a counter, so two writers can never leave it unchanged;
- it changes after the write commits (until then no other connection can see the write).
  A reader that read the old token while the write was in flight stored its panel under a
  token that is gone by the time anyone reads again.
- Within the writing transaction itself (an action followed by its own page, or a test), the
  touched areas are marked on the connection and their panels are computed afresh until it
  ends (the mark is dropped at the commit, or at the first read outside a transaction).
- No token row is locked while a transaction runs: concurrent writers meet only on the short
  upsert after their commits.

An entry also expires after TRIENKHAI_PANEL_CACHE_SECONDS; 0 turns the cache off.
"""

import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from trienkhai.core.models import AreaVersion

log = logging.getLogger("trienkhai.cache")
PANEL = "tk:p:"  # panel entries
EVERYTHING = "*"  # the area every write touches (read by those who see the whole tree)


def _new_tokens(areas) -> None:
    """One upsert for every area (rows in key order: concurrent writers lock them alike)."""
    AreaVersion.objects.bulk_create(
        [AreaVersion(area=a, token=secrets.token_hex(8)) for a in sorted(areas)],
        update_conflicts=True,
        unique_fields=["area"],
        update_fields=["token"],
    )


def _dirty() -> set:
    if not connection.in_atomic_block:
        connection.__dict__.pop("_tk_dirty", None)
        return set()
    return connection.__dict__.setdefault("_tk_dirty", set())


def touch(areas) -> None:
    """Mark `areas` (and EVERYTHING) as changed by the current write."""
    areas = frozenset(areas) | {EVERYTHING}
    if not connection.in_atomic_block:
        _new_tokens(areas)
        return
    dirty = _dirty()
    pending = bool(dirty) and any(
        func is _committed for _sids, func, _robust in connection.run_on_commit
    )
    dirty.update(areas)
    # One callback per transaction: registered again when the last one has run, or when a
    # savepoint rolled back the one registered. robust: the write has committed; a failed
    # token update must not answer it with a 500 (the entries then expire after
    # TRIENKHAI_PANEL_CACHE_SECONDS).
    if not pending:
        transaction.on_commit(_committed, robust=True)


def _committed() -> None:
    """Every area the transaction touched gets a new token, in one upsert: the first of the
    transaction's callbacks takes them all, the others find nothing left to do."""
    areas = connection.__dict__.pop("_tk_dirty", None)
    if areas:
        _new_tokens(areas)


def tokens(areas) -> tuple[str, ...]:
    """The current token of each area, in one query. An area without one gets a new random
    token (never a fixed value that entries kept from before could still match)."""
    found = dict(AreaVersion.objects.filter(area__in=areas).values_list("area", "token"))
    missing = [a for a in areas if a not in found]
    if missing:
        AreaVersion.objects.bulk_create(
            [AreaVersion(area=a, token=secrets.token_hex(8)) for a in missing],
            ignore_conflicts=True,
        )
        found.update(AreaVersion.objects.filter(area__in=missing).values_list("area", "token"))
    # Read from a standby (core/replica.py), the rows just written may not be there yet: such a
    # panel is computed under a random token no later read can match.
    return tuple(found.get(a) or secrets.token_hex(8) for a in areas)


def enabled() -> bool:
    return getattr(settings, "TRIENKHAI_PANEL_CACHE_SECONDS", 0) > 0


def cached(name: str, parts: tuple, areas, compute):
    """`compute()`, kept under `name`, `parts` (whatever else the result depends on: the user,
    their grants, the language, the parameters) and the tokens of `areas`, which are read
    before the computation so that a write committed during it leaves the entry unreachable."""
    areas = sorted(set(areas))
    if not enabled() or _dirty().intersection(areas):
        return compute()
    signature = repr((parts, areas, tokens(areas)))
    key = PANEL + name + ":" + hashlib.sha256(signature.encode()).hexdigest()[:40]
    try:
        hit = cache.get(key)
    except Exception:  # the cache server is down: the page is computed, not refused
        log.warning("panel cache unreachable", exc_info=True)
        return compute()
    if hit is not None:
        return hit[0]
    value = compute()
    try:
        cache.set(key, (value,), timeout=settings.TRIENKHAI_PANEL_CACHE_SECONDS)
    except Exception:
        log.warning("panel cache unreachable", exc_info=True)
    return value
