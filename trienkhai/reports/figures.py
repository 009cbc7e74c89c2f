"""Placeholder until the figures module lands (same commit series)."""

FIGURES: dict = {}
DEFAULT_CODES: list = []


def compute(codes, **kwargs) -> dict:
    raise NotImplementedError
