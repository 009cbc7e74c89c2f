"""The materialised path that makes subtree reads one index range scan on SQLite and PostgreSQL.

Each unit's path is its parent's path plus a fixed-width base-36 segment allocated from the
parent's child counter. Descendants of P are exactly the paths in [P, P + "~"): "~" sorts after
every segment character in a byte-wise ("C") collation, which the field asks PostgreSQL for.
"""

from django.db import models

SEGMENT_WIDTH = 4
_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
MAX_SEGMENT = len(_ALPHABET) ** SEGMENT_WIDTH - 1
UPPER = "~"


def segment(n: int) -> str:
    if not 0 <= n <= MAX_SEGMENT:
        raise ValueError(f"segment {n} out of range")
    out = []
    for _ in range(SEGMENT_WIDTH):
        n, r = divmod(n, len(_ALPHABET))
        out.append(_ALPHABET[r])
    return "".join(reversed(out))


def child_path(parent_path: str, seq: int) -> str:
    return parent_path + segment(seq)


def depth_of(path: str) -> int:
    return len(path) // SEGMENT_WIDTH - 1


def ancestor_paths(path: str) -> list[str]:
    """Paths of every proper ancestor, root first."""
    return [path[:i] for i in range(SEGMENT_WIDTH, len(path), SEGMENT_WIDTH)]


def subtree_q(path: str, prefix: str = "") -> models.Q:
    """Q for the units (or rows joined to units through `prefix`) at or below `path`."""
    field = f"{prefix}path" if not prefix else f"{prefix}__path"
    return models.Q(**{f"{field}__gte": path, f"{field}__lt": path + UPPER})


class PathField(models.CharField):
    """A CharField compared byte-wise on PostgreSQL (SQLite's default is already byte-wise)."""

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params
