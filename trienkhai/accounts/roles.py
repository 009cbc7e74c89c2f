"""Which roles include which: a coordinator can do what a reporter does, and so on."""

from trienkhai.accounts.models import Role

IMPLIES: dict[str, frozenset[str]] = {
    Role.VIEWER: frozenset({Role.VIEWER}),
    Role.REPORTER: frozenset({Role.REPORTER, Role.VIEWER}),
    Role.COORDINATOR: frozenset({Role.COORDINATOR, Role.REPORTER, Role.VIEWER}),
    Role.INSPECTOR: frozenset({Role.INSPECTOR, Role.VIEWER}),
    Role.ADMINISTRATOR: frozenset(
        {Role.ADMINISTRATOR, Role.COORDINATOR, Role.INSPECTOR, Role.REPORTER, Role.VIEWER}
    ),
}


def roles_granting(role: str) -> frozenset[str]:
    """The grant roles that allow `role`."""
    return frozenset(r for r, implied in IMPLIES.items() if role in implied)
