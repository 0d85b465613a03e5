"""Every template compiles; every page passes a basic accessibility check (a language, one h1,
no skipped heading levels, a label for every field, titled charts); the stylesheet's colour
pairs meet WCAG AA contrast (4.5:1)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader

from tests.web.conftest import ROLES
from tests.web.test_routes import routes
from web.app import STATIC, TEMPLATES, clock, local_input, when


def test_every_template_compiles():
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=True)
    env.filters.update(when=when, clock=clock, local_input=local_input)
    names = sorted(p.name for p in Path(TEMPLATES).glob("*.html"))
    assert len(names) >= 15
    for name in names:
        env.get_template(name)  # raises on a syntax error


class Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.lang = None
        self.headings: list[int] = []
        self.fields: list[dict[str, str | None]] = []
        self.labels: set[str] = set()
        self.svgs = 0
        self.titled_svgs = 0
        self._in_svg = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("input", "select", "textarea") and a.get("type") not in ("hidden", "submit"):
            self.fields.append(a)
        if tag == "label" and a.get("for"):
            self.labels.add(a["for"])
        if tag == "svg":
            self.svgs += 1
            self._in_svg = True
        if tag == "title" and self._in_svg:
            self.titled_svgs += 1
            self._in_svg = False


def problems(html: str) -> list[str]:
    audit = Audit()
    audit.feed(html)
    found = []
    if not audit.lang:
        found.append("no lang on <html>")
    if audit.headings.count(1) != 1:
        found.append(f"{audit.headings.count(1)} h1 headings")
    for before, after in zip(audit.headings, audit.headings[1:], strict=False):
        if after > before + 1:
            found.append(f"heading level jumps from h{before} to h{after}")
    for field in audit.fields:
        if field.get("id") not in audit.labels and not field.get("aria-label"):
            found.append(f"a field without a label: {field}")
    if audit.titled_svgs < audit.svgs:
        found.append("a chart without a title")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_a_basic_accessibility_check(world, client_for, role):
    client = client_for(role)
    checked = 0
    for method, path, _, allowed in routes(world):
        if (
            method != "GET"
            or role not in allowed
            or path.startswith(("/api", "/schema"))
            or (
                path.endswith("/live")  # a fragment of a page, for htmx
            )
        ):
            continue
        response = client.get(path)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        assert problems(response.text) == [], path
        checked += 1
    assert checked >= 5


def _luminance(hex_colour: str) -> float:
    rgb = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_the_stylesheet_meets_wcag_aa_contrast():
    css = (STATIC / "style.css").read_text()
    var = dict(re.findall(r"--([a-z]+):\s*(#[0-9a-fA-F]{6})", css))
    header = re.search(r"header \{ background: (#[0-9a-fA-F]{6})", css).group(1)
    pairs = {
        "text on page": (var["text"], var["bg"]),
        "links": (var["link"], var["bg"]),
        "muted text": (var["muted"], var["bg"]),
        "buttons": ("#ffffff", var["accent"]),
        "header": ("#ffffff", header),
    }
    for name, (fg, bg) in pairs.items():
        assert contrast(fg, bg) >= 4.5, (name, round(contrast(fg, bg), 2))


def test_the_accessibility_check_finds_what_it_looks_for():
    found = problems('<html><h1>a</h1><h3>b</h3><input id="x"><svg></svg></html>')
    assert len(found) == 4  # no lang, a skipped level, an unlabelled field, an untitled chart
    assert problems('<html lang="en"><h1>a</h1><h2>b</h2></html>') == []
