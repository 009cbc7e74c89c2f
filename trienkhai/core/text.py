"""Folding for search that ignores diacritics ("ket luan 21" finds "Kết luận 21")."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_PUNCT_SPACES = re.compile(r"[^\w/\-.]+")


def fold(text: str | None) -> str:
    """Lower-case, strip diacritics (đ → d), collapse white space."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D").replace("Ð", "D")
    return _SPACES.sub(" ", stripped.lower()).strip()


def search_terms(query: str) -> list[str]:
    """Split a user query into folded terms; punctuation other than / - . separates words."""
    return [t for t in _PUNCT_SPACES.sub(" ", fold(query)).split(" ") if t]
