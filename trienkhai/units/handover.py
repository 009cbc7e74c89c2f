"""Open work of a closing unit moves to its successor.

Apps that hold open work (tasks, remediation requests, …) register a handler; a merge, split or
dissolve calls every handler inside its transaction, so nothing is left on a closed unit.
"""

from collections.abc import Callable

Handler = Callable[..., int]
_HANDLERS: list[tuple[str, Handler]] = []


def register(label: str):
    """Decorator: `handler(actor, predecessor, successor, operation) -> number of records moved`."""

    def wrap(func: Handler) -> Handler:
        _HANDLERS.append((label, func))
        return func

    return wrap


def hand_over(actor, predecessor, successor, operation) -> dict[str, int]:
    return {label: func(actor, predecessor, successor, operation) for label, func in _HANDLERS}
