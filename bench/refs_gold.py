"""Score the document-reference finder against the hand annotations of the seed texts.

Usage: python bench/refs_gold.py [--seeds DIR]  (DIR defaults to ../shared/seeds from the repo root)

A found reference matches a gold entry when its (number, type, issuer) equal the entry's (the issuer
may also be one of ``issuer_alternatives``) and its text is the gold ``surface`` or one of the
``mentions``, or overlaps an occurrence of one of them. Scores:

* documents: distinct (number, type, issuer) per file — precision over found documents, recall over
  gold entries;
* mentions: every span — precision over found spans, recall over every occurrence of a gold surface
  form in the text (an occurrence inside a longer one of the same entry counts once);
* dates: gold entries with a date that some matching reference dates correctly; "wrong" counts
  matching references whose date differs from the gold date (including a date where gold has none).

Both readings of bare mentions ("Kết luận 21" without a code) are measured: resolved against a code
in the same text (the default of ``find_refs``) and skipped.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"


@dataclass
class Score:
    docs_found: int = 0
    docs_found_ok: int = 0
    docs_gold: int = 0
    docs_gold_hit: int = 0
    spans_found: int = 0
    spans_found_ok: int = 0
    spans_gold: int = 0
    spans_gold_hit: int = 0
    dates_gold: int = 0
    dates_ok: int = 0
    dates_wrong: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for name in self.__dataclass_fields__:
            if name != "misses":
                setattr(self, name, getattr(self, name) + getattr(other, name))
        self.misses += other.misses


def occurrences(text: str, form: str) -> list[tuple[int, int]]:
    spans, at = [], text.find(form)
    while at >= 0:
        spans.append((at, at + len(form)))
        at = text.find(form, at + 1)
    return spans


def gold_spans(text: str, entry: dict) -> list[tuple[int, int]]:
    """Occurrences of every surface form of an entry, dropping those inside a longer one."""
    forms = [entry["surface"], *entry.get("mentions", [])]
    spans = {span for form in forms for span in occurrences(text, form)}
    return sorted(
        s for s in spans if not any(o != s and o[0] <= s[0] and s[1] <= o[1] for o in spans)
    )


def matches(ref, entry: dict, spans: list[tuple[int, int]]) -> bool:
    issuers = {entry["issuer"], *entry.get("issuer_alternatives", [])}
    same = (ref.number, ref.type) == (entry["number"], entry["type"]) and ref.issuer in issuers
    forms = {entry["surface"], *entry.get("mentions", [])}
    return same and (ref.text in forms or any(overlap(ref.start, ref.end, s) for s in spans))


def overlap(start: int, end: int, span: tuple[int, int]) -> bool:
    return start < span[1] and span[0] < end


def score_file(text: str, gold: list[dict], refs: list) -> Score:
    score = Score()
    spans = [gold_spans(text, entry) for entry in gold]
    pairs = [(r, e) for r in refs for e, s in zip(gold, spans, strict=True) if matches(r, e, s)]
    found_docs = {(r.number, r.type, r.issuer) for r in refs}
    ok_docs = {(r.number, r.type, r.issuer) for r, _ in pairs}
    score.docs_found, score.docs_found_ok = len(found_docs), len(ok_docs & found_docs)
    score.docs_gold = len(gold)
    score.docs_gold_hit = sum(any(e is entry for _, e in pairs) for entry in gold)
    score.spans_found = len(refs)
    score.spans_found_ok = len({id(r) for r, _ in pairs})
    for entry, entry_spans in zip(gold, spans, strict=True):
        mine = [r for r, e in pairs if e is entry]
        hit = [s for s in entry_spans if any(overlap(r.start, r.end, s) for r in mine)]
        score.spans_gold += len(entry_spans)
        score.spans_gold_hit += len(hit)
        score.misses += [text[a:b] for a, b in entry_spans if (a, b) not in hit]
        gold_date = entry.get("date")
        score.dates_gold += gold_date is not None
        score.dates_ok += gold_date is not None and any(_iso(r) == gold_date for r in mine)
        score.dates_wrong += sum(r.date is not None and _iso(r) != gold_date for r in mine)
    score.misses += [f"false: {r.text}" for r in refs if all(r is not p for p, _ in pairs)]
    return score


def _iso(ref) -> str | None:
    return ref.date.isoformat() if ref.date else None


def ratio(part: int, whole: int) -> str:
    return f"{part / whole:.2f}" if whole else "  - "


def row(name: str, s: Score) -> str:
    dates = f"{s.dates_ok}/{s.dates_gold} ok, {s.dates_wrong} wrong" if s.dates_gold else "-"
    return (
        f"{name:<24} {ratio(s.docs_found_ok, s.docs_found):>6} "
        f"{ratio(s.docs_gold_hit, s.docs_gold):>6} {ratio(s.spans_found_ok, s.spans_found):>6} "
        f"{ratio(s.spans_gold_hit, s.spans_gold):>6}  "
        f"{s.spans_found_ok}/{s.spans_found} found, {s.spans_gold_hit}/{s.spans_gold} gold  {dates}"
    )


def run(seeds: Path, resolve_bare: bool) -> Score:
    from trienkhai.ingest.refs import find_refs

    total = Score()
    print(f"\nresolve_bare={resolve_bare}")
    print(f"{'file':<24} {'doc P':>6} {'doc R':>6} {'men P':>6} {'men R':>6}  spans  dates")
    for path in sorted(seeds.glob("*.txt")):
        gold_path = seeds / "gold" / f"{path.stem}.json"
        if not gold_path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        gold = json.loads(gold_path.read_text(encoding="utf-8"))["document_refs"]
        score = score_file(text, gold, find_refs(text, resolve_bare=resolve_bare))
        print(row(path.stem, score))
        total.add(score)
    print(row("overall (micro)", total))
    if total.misses:
        print("missed or false:", "; ".join(repr(m) for m in total.misses))
    return total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    args = parser.parse_args(argv)
    if not (args.seeds / "gold").is_dir():
        print(f"no gold annotations under {args.seeds}", file=sys.stderr)
        return 2
    sys.path.insert(0, str(REPO))
    for resolve_bare in (True, False):
        run(args.seeds, resolve_bare)
    return 0


if __name__ == "__main__":
    sys.exit(main())
