"""Notification texts rendered when they are read, in the reader's language.

A job that tells users something stores a message *kind* and its *parameters* (numbers, dates
as ISO strings, names), not finished sentences: the inbox renders them with gettext under the
language of the request, so a user who chose English reads English even though the job ran in
Vietnamese. Renderers are registered by the modules that create the messages; those are the
task modules (`TRIENKHAI_JOB_MODULES`), imported on first need like the worker does.

A row without a kind, or whose kind no longer has a renderer, shows its stored title and body.
"""

import logging
from collections.abc import Callable

from django.utils import translation

log = logging.getLogger("trienkhai.notify")

Renderer = Callable[[dict], tuple[str, str]]
_renderers: dict[str, Renderer] = {}


def renderer(kind: str):
    """Register `func(params) -> (title, body)` as the renderer of messages of `kind`."""

    def register(func: Renderer) -> Renderer:
        _renderers[kind] = func
        return func

    return register


def get_renderer(kind: str) -> Renderer | None:
    if kind not in _renderers:
        from trienkhai.core.background.schedule import load_modules

        load_modules()
    return _renderers.get(kind)


def render(notification) -> tuple[str, str]:
    """(title, body) of `notification` in the active language, cached on the instance."""
    language = translation.get_language()
    cached = getattr(notification, "_rendered", None)
    if cached is not None and cached[0] == language:
        return cached[1]
    result = (notification.title, notification.body)
    func = get_renderer(notification.kind) if notification.kind else None
    if func is not None:
        try:
            title, body = func(notification.params or {})
            result = (title[:300], body)
        except (KeyError, TypeError, ValueError):
            log.warning(
                "notification %s: cannot render kind %s", notification.pk, notification.kind
            )
    notification._rendered = (language, result)
    return result
