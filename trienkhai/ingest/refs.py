"""Find references to Party and State documents in running Vietnamese text.

A reference is a number-and-symbol (``21-KL/TW``, ``68/NQ-HĐND``, ``30/2020/NĐ-CP``; read by
:mod:`trienkhai.documents.numbering`), widened to the phrase a reader would quote, as the hand
annotations in ``shared/seeds/gold`` draw it:

* the type word and "số" right before it: "Kết luận số 21-KL/TW", "NGHỊ QUYẾT SỐ 57-NQ/TW", also
  the generic "văn bản số …"; without a type word the reference is the code alone;
* the document's date right after it, with or without a comma and "ngày": "…, ngày 1-12-2021",
  "ngày 25 tháng 10 năm 2021", "15.5.2016", "(ngày 25/10/2021)". Any other word in between
  ("…, từ ngày", "; ngày", a new sentence) means the date belongs to another clause. An impossible
  date (31/2/2021) stays in the text but gives ``date=None``.

Not references: named documents without a code ("Nghị quyết Trung ương 4 khóa XII"), team numbers
("Đoàn kiểm tra số 1355"). A bare "Kết luận 21" / "Kết luận số 21" is reported only when the same
text gives the full code for that type word and number elsewhere, and takes the issuer (and the
number as coded) from there; with no such code, or several, it is skipped. On the seeds
(``bench/refs_gold.py``) this raises mention recall from 0.70 to 1.00 with no false positive, so it
is the default; ``resolve_bare=False`` turns it off.

Which symbols print without a type and what type they get (``CV`` for letters ``1234/UBND-VX``, the
type word or ``L``/``PL`` for ``57/2014/QH13``) is documented in ``numbering``. A letter-shaped code
with no type word must have a listed issuer and a unit (``1234/UBND-VX``), so that fractions like
"35/TW" are not taken for letters.

Offsets are into the string as given: the text is NFC-normalised cluster by cluster with a map back,
so NFD input, non-breaking spaces, look-alike dashes and "Ð" (U+00D0) all work.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from trienkhai.documents.numbering import (
    CHAR_FIXES,
    PARTY,
    STATE,
    TYPE_BY_NAME,
    DocumentNumber,
    InvalidDocumentNumber,
    format_symbol,
    is_known_issuer,
    lookup_type_name,
    normalise_issuer_segment,
    parse_symbol,
    split_run,
    types_named,
)

# Words that may stand before "số" and a code without naming a type.
GENERIC_WORDS = ("văn bản",)

_L = r"[^\W\d_]"  # a letter
_SEG = r"(?:TU'(?![^\W_])|[^\W\d_][^\W_]*)"  # one issuer code ("TU'" is a spelling of TƯ)
_SP = r"[ \t]*"
_JOINED = rf"(?:-{_SEG}){{0,4}}"  # joint issuers and units; a cap keeps junk input cheap
CODE_RE = re.compile(
    rf"""(?<![\w/])(?<!\d[.,])(?P<num>\d{{1,6}})
    (?: {_SP}/{_SP}(?:(?P<year>\d{{4}}){_SP}/{_SP})?
            (?P<state>{_SEG}(?:{_SP}-{_SP}{_SEG}{_JOINED})?)
      | (?:{_SP}-{_SP}|[ \t]+)(?P<ptype>{_L}+){_SP}/{_SP}(?P<piss>{_SEG}{_JOINED})
      | {_SP}-{_SP}(?P<run>{_L}{{3,}}{_JOINED})
    )""",
    re.VERBOSE | re.IGNORECASE,
)
SEGMENT_RE = re.compile(_SEG, re.IGNORECASE)
DATE_RE = re.compile(
    r"""[ \t]*,?\s*(?P<paren>\(\s*)?(?:(?:được\s+)?ban\s+hành\s+)?(?:ngày\s*:?\s*)?
    (?: (?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})
      | (?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s*,?\s*năm\s+(?P<y2>\d{4})
    )(?![\d/])(?(paren)\s*\))""",
    re.VERBOSE | re.IGNORECASE,
)
SO_TAIL_RE = re.compile(r"(?<!\w)số\s*:?\s*$", re.IGNORECASE)
WORDS_TAIL_RE = re.compile(rf"(?<!\w)(?:{_L}+\s+)*{_L}+\s*$")
WORD_RE = re.compile(rf"{_L}+")
BARE_NUMBER_RE = re.compile(r"(?<![\w/.,-])\d{1,6}(?![\w/]|[.,]\d|[ \t]*[-/])")


@dataclass
class Ref:
    """One reference: where it stands in the input and which document it names.

    ``system`` (party or state) is kept so the canonical symbol can be printed; ``to_json`` gives
    the agreed keys only.
    """

    text: str
    start: int
    end: int
    number: str
    type: str
    issuer: str
    year: int | None = None
    date: dt.date | None = None
    system: str = PARTY

    @property
    def symbol(self) -> str:
        """Canonical number-and-symbol, e.g. ``21-KL/TW``."""
        return format_symbol(self.number, self.type, self.issuer, self.system, self.year)

    def to_json(self) -> dict:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "number": self.number,
            "type": self.type,
            "issuer": self.issuer,
            "year": self.year,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True)
class _Hit:
    """A reference found in the normalised text, before offsets are mapped back."""

    start: int
    end: int
    doc: DocumentNumber
    date: dt.date | None


def find_refs(text: str, *, resolve_bare: bool = True) -> list[Ref]:
    """Every document reference in ``text``, in order; overlapping finds resolve to the longest."""
    norm, starts, ends = _normalise(text)
    hits = [hit for m in CODE_RE.finditer(norm) if (hit := _coded_hit(norm, m))]
    if resolve_bare:
        hits += _bare_hits(norm, hits)
    return [_to_ref(text, hit, starts, ends) for hit in _longest_first(hits)]


def _to_ref(text: str, hit: _Hit, starts: list[int] | None, ends: list[int] | None) -> Ref:
    """The reference with offsets mapped back from the normalised text to the given one."""
    start = starts[hit.start] if starts else hit.start
    end = ends[hit.end - 1] if ends else hit.end
    doc = hit.doc
    return Ref(
        text[start:end],
        start,
        end,
        doc.number,
        doc.type,
        doc.issuer,
        doc.year,
        hit.date,
        doc.system,
    )


def _normalise(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """NFC text with, when it differs in length, each character's original start and end."""
    fixed = text.translate(CHAR_FIXES)  # one character for one, offsets unchanged
    if unicodedata.is_normalized("NFC", fixed):
        return fixed, None, None
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    while i < len(fixed):
        j = i + 1
        while j < len(fixed) and unicodedata.combining(fixed[j]):
            j += 1
        piece = unicodedata.normalize("NFC", fixed[i:j])
        out.append(piece)
        starts += [i] * len(piece)
        ends += [j] * len(piece)
        i = j
    return "".join(out), starts, ends


def _coded_hit(norm: str, m: re.Match) -> _Hit | None:
    """Read one code match, widened to its type word before and its date after."""
    prefix_start, word = _prefix(norm, m.start())
    read = _read_code(norm, m, word)
    if read is None:
        return None
    doc, code_end = read
    end, date = _date_after(norm, code_end)
    return _Hit(prefix_start, end, doc, date)


def _read_code(norm: str, m: re.Match, word: str | None) -> tuple[DocumentNumber, int] | None:
    """The document a code match names and where the code ends, or None if it is not a code."""
    name = "state" if m["state"] else "piss" if m["piss"] else "run"
    end = _code_end(norm, m, name)
    if end is None:
        return None
    if name == "run" and not _run_splits_to_known(norm[m.start("run") : end]):
        return None
    generic = word is not None and word.casefold() in GENERIC_WORDS
    hint = "CV" if generic else lookup_type_name(word) if word else None
    try:
        doc = parse_symbol(norm[m.start() : end], type_hint=hint)
    except InvalidDocumentNumber:
        return None
    if doc.type == "CV" and doc.system == STATE and not _letter_ok(doc, hint):
        return None
    return doc, end


def _code_end(norm: str, m: re.Match, name: str) -> int | None:
    """End of the code: issuer segments stop at the first that is not code-like ("…-ngày")."""
    segments = list(SEGMENT_RE.finditer(norm, m.start(name), m.end(name)))
    # The first segment of a State code or a slashless run is a type, which parse_symbol checks.
    checked = segments if name == "piss" else segments[1:]
    end = segments[0].end() if name != "piss" else None
    for seg in checked:
        if not _looks_like_code(seg[0]):
            break
        end = seg.end()
    return end


def _looks_like_code(segment: str) -> bool:
    """A listed code in any case, or a code printed in capitals ("VX", "QH13")."""
    return is_known_issuer(segment) or (
        segment == segment.upper() and normalise_issuer_segment(segment) is not None
    )


def _run_splits_to_known(run: str) -> bool:
    """A slashless "KLTW" counts only when it splits into a known type and known issuers."""
    try:
        _, issuer = split_run(run, run)
    except InvalidDocumentNumber:
        return False
    return bool(issuer) and all(is_known_issuer(s) for s in issuer.split("-"))


def _letter_ok(doc: DocumentNumber, hint: str | None) -> bool:
    """Letters without a type word need a listed issuer and a unit, so "35/TW" is no letter."""
    parts = doc.issuer.split("-")
    return hint == "CV" or (len(parts) >= 2 and is_known_issuer(parts[0]))


def _prefix(norm: str, code_start: int) -> tuple[int, str | None]:
    """Where the type word (with "số") before a code starts, and the word; the code if none."""
    tail = norm[max(0, code_start - 80) : code_start]
    so = SO_TAIL_RE.search(tail)
    found = _type_word(tail[: so.start() if so else len(tail)])
    if found is None:
        return code_start, None
    word_start, word = found
    return code_start - len(tail) + word_start, word


def _type_word(tail: str) -> tuple[int, str] | None:
    """The longest type name (or generic word) that ends ``tail``, with its start in ``tail``."""
    m = WORDS_TAIL_RE.search(tail)
    if m is None:
        return None
    words = list(WORD_RE.finditer(tail, m.start()))
    longest = max(len(n.split()) for n in [*TYPE_BY_NAME, *GENERIC_WORDS])
    for k in range(min(longest, len(words)), 0, -1):
        phrase = " ".join(w[0] for w in words[-k:])
        if lookup_type_name(phrase) or phrase.casefold() in GENERIC_WORDS:
            return words[-k].start(), phrase
    return None


def _date_after(norm: str, pos: int) -> tuple[int, dt.date | None]:
    """End of an attached date right after ``pos`` and the date (None if absent or impossible)."""
    m = DATE_RE.match(norm, pos)
    if m is None:
        return pos, None
    day, month, year = (m["d"], m["m"], m["y"]) if m["d"] else (m["d2"], m["m2"], m["y2"])
    try:
        return m.end(), dt.date(int(year), int(month), int(day))
    except ValueError:
        return m.end(), None


def _bare_hits(norm: str, coded: list[_Hit]) -> list[_Hit]:
    """A bare "Kết luận 21" where the text gives exactly one full code for that type and number."""
    by_number: dict[int, set[DocumentNumber]] = {}
    for hit in coded:
        by_number.setdefault(int(hit.doc.number), set()).add(hit.doc)
    hits = []
    for m in BARE_NUMBER_RE.finditer(norm):
        if int(m[0]) not in by_number:
            continue
        start, word = _prefix(norm, m.start())
        if word is None or not word[0].isupper():
            continue  # a document's name is capitalised; "kết luận 5 nội dung" is prose
        docs = {d for d in by_number[int(m[0])] if d.type in types_named(word)}
        if len(docs) == 1:
            end, date = _date_after(norm, m.end())
            hits.append(_Hit(start, end, docs.pop(), date))
    return hits


def _longest_first(hits: list[_Hit]) -> list[_Hit]:
    """Drop duplicates and overlaps, keeping the longest; return in text order."""
    kept: list[_Hit] = []  # disjoint, in text order
    starts: list[int] = []
    for hit in sorted(hits, key=lambda h: (-(h.end - h.start), h.start)):
        i = bisect.bisect_left(starts, hit.start)
        if (i > 0 and kept[i - 1].end > hit.start) or (i < len(kept) and kept[i].start < hit.end):
            continue
        kept.insert(i, hit)
        starts.insert(i, hit.start)
    return kept
