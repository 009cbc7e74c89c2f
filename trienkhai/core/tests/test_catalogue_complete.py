"""The committed English catalogue covers every string the code marks for translation.

The project's own `makemessages` (which also knows the `_l` and `N_` aliases) extracts the
messages from a copy of the sources into a scratch locale directory; the committed django.po must
hold each of them, translated, and nothing the code no longer uses. A new Vietnamese string
without English therefore fails here, with the command to fix it.
"""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

import trienkhai
from trienkhai.core.tests.test_i18n import CATALOGUE, parse_po

PACKAGE = Path(trienkhai.__file__).parent
# The extensions makemessages reads for the "django" domain.
SOURCES = {".py", ".html", ".txt"}
HOW_TO_FIX = (
    "Regenerate and translate the English catalogue: cd trienkhai && "
    "TRIENKHAI_DATA_DIR=../trienkhai-data ../.venv/bin/python -m trienkhai.cli manage "
    "makemessages -l en --no-obsolete, "
    "fill in the English msgstr, then msgfmt --check-format -o "
    "trienkhai/locale/en/LC_MESSAGES/django.mo trienkhai/locale/en/LC_MESSAGES/django.po"
)


def _key(entry):
    return entry.get("msgctxt"), entry["msgid"], entry.get("msgid_plural")


def _copy_sources(target):
    """Copy only what makemessages reads, keeping paths, and leave the real locale dir behind."""
    for path in PACKAGE.rglob("*"):
        rel = path.relative_to(PACKAGE)
        if path.suffix not in SOURCES or not path.is_file():
            continue
        if rel.parts[0] in {"locale", "trienkhai-data"} or "__pycache__" in rel.parts:
            continue
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target / rel)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Messages found in the code now, keyed by (context, msgid, plural msgid)."""
    root = tmp_path_factory.mktemp("catalogue")
    src, locale = root / "src", root / "locale"
    _copy_sources(src)
    with pytest.MonkeyPatch.context() as mp:
        from django.conf import settings

        mp.setattr(settings, "LOCALE_PATHS", [str(locale)])
        mp.chdir(src)
        call_command("makemessages", locale=["en"], no_obsolete=True, stdout=io.StringIO())
    entries = parse_po(locale / "en" / "LC_MESSAGES" / "django.po")
    return {_key(e): e for e in entries if e["msgid"]}


@pytest.fixture(scope="module")
def committed():
    return {_key(e): e for e in parse_po(CATALOGUE / "django.po") if e["msgid"]}


def test_extraction_sees_the_aliases_and_the_templates(extracted):
    """An extraction that found nothing would let the other tests pass vacuously."""
    assert len(extracted) > 1000
    msgids = {msgid for _ctx, msgid, _plural in extracted}
    assert "Việc cần làm" in msgids  # {% translate %} in base.html
    assert "Xem tại ngày" in msgids  # only ever marked with the `_l` alias (units/forms.py)
    assert ("report state", "Trả lại", None) in extracted  # pgettext_lazy keeps its context


def test_every_message_in_the_code_is_in_the_committed_catalogue(extracted, committed):
    missing = sorted(key[1] for key in extracted.keys() - committed.keys())
    assert not missing, f"{len(missing)} messages lack English: {missing[:20]}. {HOW_TO_FIX}"
    untranslated = sorted(
        key[1]
        for key in extracted
        if "fuzzy" in committed[key]["flags"]
        or not all(v.strip() for k, v in committed[key].items() if k.startswith("msgstr"))
    )
    assert not untranslated, f"Untranslated or fuzzy: {untranslated[:20]}. {HOW_TO_FIX}"


def test_the_catalogue_has_no_entries_the_code_no_longer_uses(extracted, committed):
    stale = sorted(key[1] for key in committed.keys() - extracted.keys())
    assert not stale, f"{len(stale)} obsolete entries: {stale[:20]}. {HOW_TO_FIX}"
