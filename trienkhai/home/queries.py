"""Reads of the site-wide change log, always through the scoping function."""

import datetime

from trienkhai.accounts.classified import mask_log, readable_log
from trienkhai.accounts.scope import unit_scope
from trienkhai.core.models import ChangeLogEntry
from trienkhai.tree.paths import subtree_q


def log_entries(
    user,
    *,
    username: str = "",
    unit=None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
):
    """The site-wide log the user may read, newest first, optionally filtered."""
    qs = ChangeLogEntry.objects.filter(unit_scope(user, "unit")).select_related("unit")
    if username:
        qs = qs.filter(user_name__iexact=username.strip())
    if unit is not None:
        qs = qs.filter(subtree_q(unit.path, "unit"))
    if date_from:
        qs = qs.filter(time__date__gte=date_from)
    if date_to:
        qs = qs.filter(time__date__lte=date_to)
    return qs


def shown_to(user, entries) -> list:
    """A page of log entries as `user` may read them: the stored name of a record whose
    document is classified above the reader's clearance (a plan, a task, a document) shows as
    its mask, decided now, for this reader (see `accounts.classified`)."""
    return mask_log(user, entries)


def rows_shown_to(user, entries) -> list:
    """The same page in words (`core.log_rows`), naming only units the reader may know."""
    return readable_log(user, entries)
