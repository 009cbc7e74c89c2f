"""Other apps react to registry events without the registry knowing them.

Tracking listens for "document X implements Y" to mark a unit's obligation to issue its own
plan as met, inside the same transaction as the relation.
"""

from collections.abc import Callable

_IMPLEMENTS: list[Callable] = []


def on_implements(func: Callable) -> Callable:
    """Decorator: `handler(actor, source_document, target_document)`."""
    _IMPLEMENTS.append(func)
    return func


def implements_created(actor, source, target) -> None:
    for func in _IMPLEMENTS:
        func(actor, source, target)
