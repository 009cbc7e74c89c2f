"""Every header cell of every table says what it heads (WCAG 1.3.1): each `<th>` in the site's
templates and in the markup Python writes carries `scope="col"` or `scope="row"`."""

import re
from pathlib import Path

import trienkhai

ROOT = Path(trienkhai.__file__).parent
TH = re.compile(r"<th\b([^>]*)>")
SCOPE = re.compile(r"""\bscope=["'](col|row|colgroup|rowgroup)["']""")


def header_cells_without_scope(text: str) -> list[str]:
    return [m.group(0) for m in TH.finditer(text) if not SCOPE.search(m.group(1))]


def test_the_check_sees_a_missing_scope():
    assert header_cells_without_scope('<tr><th class="num">1</th><th scope="col">2</th>') == [
        '<th class="num">'
    ]


def test_every_header_cell_has_a_scope():
    files = [*ROOT.rglob("templates/**/*.html"), *ROOT.rglob("*.py")]
    assert len(files) > 100
    missing = {
        str(path.relative_to(ROOT)): cells
        for path in files
        if (cells := header_cells_without_scope(path.read_text(encoding="utf-8")))
    }
    assert not missing, missing
