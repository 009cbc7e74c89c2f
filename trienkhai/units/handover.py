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


PathHandler = Callable[[str, str], int]
_PATH_HANDLERS: list[tuple[str, PathHandler]] = []


def on_path_change(label: str):
    """Decorator: `handler(old_path, new_path) -> rows updated`, for rows that copy unit paths.

    Fact tables copy their unit's path so roll-ups are one range scan; when a subtree moves, each
    copy is rewritten in the same transaction as the units themselves.
    """

    def wrap(func: PathHandler) -> PathHandler:
        _PATH_HANDLERS.append((label, func))
        return func

    return wrap


def paths_moved(old_path: str, new_path: str) -> dict[str, int]:
    return {label: func(old_path, new_path) for label, func in _PATH_HANDLERS}
