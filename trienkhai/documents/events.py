"""Other apps react to registry events without the registry knowing them.

Tracking listens (point `documents.implements` of `core.registry`) for "document X implements
Y" to mark a unit's obligation to issue its own plan as met, inside the same transaction as the
relation.
"""

from trienkhai.core import registry


def implements_created(actor, source, target) -> None:
    for _name, handler in registry.entries("documents.implements"):
        handler(actor, source, target)
