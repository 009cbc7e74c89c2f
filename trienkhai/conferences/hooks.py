"""How conferences follow the tree.

A subtree that moves rewrites the host paths copied onto its conferences, in the same transaction
as the units. Nothing is handed over when a unit closes: a conference is a fact of the past and
stays with the unit that held it (the successor's roll-up does not claim it).
"""

from django.db.models import Value
from django.db.models.functions import Concat, Substr

from trienkhai.conferences.models import Conference
from trienkhai.tree.paths import UPPER


def rewrite_host_paths(old_path: str, new_path: str) -> int:
    return Conference.objects.filter(
        host_path__gte=old_path, host_path__lt=old_path + UPPER
    ).update(host_path=Concat(Value(new_path), Substr("host_path", len(old_path) + 1)))
