"""Placeholder until the facts module lands (same commit series)."""


def text(kind, **kwargs) -> str:
    raise NotImplementedError
