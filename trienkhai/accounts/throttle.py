"""Login throttling: after too many failures for a name or an address, sign-in waits."""

import hashlib

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, address: str) -> list[str]:
    name = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    return [f"login-fail:user:{name}", f"login-fail:addr:{address}"]


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def is_locked(username: str, address: str) -> bool:
    return any(
        (cache.get(k) or 0) >= settings.LOGIN_THROTTLE_LIMIT for k in _keys(username, address)
    )


def note_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        if cache.add(key, 1, settings.LOGIN_THROTTLE_WINDOW):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_THROTTLE_WINDOW)


def clear(username: str, address: str) -> None:
    cache.delete_many(_keys(username, address))
