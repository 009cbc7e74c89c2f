"""Every colour pair in the site's stylesheets meets WCAG 2.1 AA: text 4.5:1 against the
background it is drawn on, status marks (dots, swatches, bars) 3:1 against the white surface.

The test reads every CSS file the site serves, resolves the custom properties of `:root`, and
takes each rule's pair: its own `color` (or an SVG text's `fill`) over its own background. A rule
that sets only a colour is checked over every light surface a text may sit on (page, card, table
header), unless a comment after it names its background (`/* on: --brand */`); a rule that sets
only a background is checked with the body text colour. `/* graphic */` marks a rule that colours
shapes without text.
"""

import re
from pathlib import Path

import pytest

import trienkhai

ROOT = Path(trienkhai.__file__).parent
CSS_FILES = sorted(p for p in ROOT.rglob("static/**/*.css"))
LIGHT_SURFACES = ("--bg", "--surface", "--surface-2")
NAMED = {"white": "#ffffff", "black": "#000000"}
NO_COLOUR = {"none", "transparent", "inherit", "currentcolor", "initial", "unset"}

ANNOTATION = re.compile(r"/\*\s*(on:\s*(--[\w-]+)|graphic)\s*\*/")
COMMENT = re.compile(r"/\*.*?\*/", re.S)
RULE = re.compile(r"([^{}]+)\{([^{}]*)\}\s*(@@(on:--[\w-]+|graphic)@@)?")
DECL = re.compile(r"([\w-]+)\s*:\s*([^;]+)")
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b")
VAR = re.compile(r"var\(\s*(--[\w-]+)\s*(?:,\s*([^)]+))?\)")


def parse(css: str) -> list[tuple[str, dict[str, str], str | None]]:
    """(selector, declarations, annotation) of every rule, inside @media blocks too."""
    css = ANNOTATION.sub(lambda m: f"@@{m.group(1).replace(' ', '')}@@", css)
    css = COMMENT.sub("", css)
    rules = []
    for m in RULE.finditer(css):
        selector = m.group(1).strip()
        if selector.startswith("@"):
            continue
        decls = {k.strip().lower(): v.strip() for k, v in DECL.findall(m.group(2))}
        rules.append((selector, decls, m.group(4)))
    return rules


def custom_properties(rules) -> dict[str, str]:
    props = {}
    for selector, decls, _ in rules:
        if selector == ":root":
            props.update({k: v for k, v in decls.items() if k.startswith("--")})
    return props


def colour(value: str, props: dict[str, str], depth: int = 0) -> str | None:
    """The first colour of a CSS value as #rrggbb, None when it names no colour."""
    if depth > 10:
        raise ValueError(f"custom properties loop at {value}")
    value = value.strip()
    if (m := VAR.search(value)) is not None:
        if m.group(1) in props:
            return colour(props[m.group(1)], props, depth + 1)
        if m.group(2):
            return colour(m.group(2), props, depth + 1)
        raise AssertionError(f"unknown custom property {m.group(1)}")
    if (m := HEX.search(value)) is not None:
        h = m.group(0)[1:]
        if len(h) == 3:
            h = "".join(c * 2 for c in h)
        return "#" + h.lower()
    word = value.split()[0].lower() if value.split() else ""
    if word in NAMED:
        return NAMED[word]
    if word in NO_COLOUR or word.startswith(("url(", "linear-gradient")):
        return None
    return None


def luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def pairs(rules, props):
    """(where, foreground, background, minimum ratio) for every colour pair the rules make."""
    ink = colour("var(--ink)", props)
    for selector, decls, note in rules:
        if selector == ":root":
            continue
        where = selector.replace("\n", " ")
        background = next(
            (
                c
                for k in ("background-color", "background")
                if k in decls
                if (c := colour(decls[k], props))
            ),
            None,
        )
        text = colour(decls["color"], props) if "color" in decls else None
        if text is None and "fill" in decls and re.search(r"\btext\b", selector):
            text = colour(decls["fill"], props)
        if note == "graphic":
            shape = background or colour(decls.get("fill", ""), props)
            if shape:
                yield where, shape, colour("var(--surface)", props), 3.0
            continue
        if note and note.startswith("on:"):
            background = colour(f"var({note[3:]})", props)
        if text and background:
            yield where, text, background, 4.5
        elif text:
            for surface in LIGHT_SURFACES:
                yield f"{where} over {surface}", text, colour(f"var({surface})", props), 4.5
        elif background:
            yield where, ink, background, 4.5


def all_pairs():
    rules = [r for path in CSS_FILES for r in parse(path.read_text(encoding="utf-8"))]
    props = custom_properties(rules)
    return list(pairs(rules, props))


def test_contrast_arithmetic():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert colour("var(--a)", {"--a": "var(--b)", "--b": "#FFF"}) == "#ffffff"


def test_the_check_sees_a_poor_pair():
    css = ":root { --pale: #aaaaaa; --bg: #fff; --surface: #fff; --surface-2: #fff; --ink: #000; }"
    css += " .hint { color: var(--pale); } .bar { background: #222; } /* on: --ink */"
    rules = parse(css)
    poor = [w for w, f, b, need in pairs(rules, custom_properties(rules)) if contrast(f, b) < need]
    assert poor == [".hint over --bg", ".hint over --surface", ".hint over --surface-2", ".bar"]


def test_the_site_stylesheets_are_read():
    names = {p.name for p in CSS_FILES}
    assert {"app.css", "tracking.css", "evaluations.css"} <= names
    found = all_pairs()
    assert len(found) > 40
    assert any(w.startswith(".site-header a") for w, *_ in found)


def test_every_colour_pair_meets_wcag_aa():
    poor = [
        f"{where}: {fg} on {bg} = {contrast(fg, bg):.2f} < {need}"
        for where, fg, bg, need in all_pairs()
        if contrast(fg, bg) < need
    ]
    assert not poor, "\n".join(poor)
