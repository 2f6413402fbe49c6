"""Golden files: Markdown in, the HTML a reader gets out, for every block and table kind.

Each case under ``tests/golden/<suite>/`` is a page, ``<case>.md``, with its expected
HTML beside it, ``<case>.html``, and the warnings its build logs, ``<case>.log`` (no
``.log`` file: the case logs nothing). The pages of a suite are built together as one
MkDocs site with Material, the way a user gets them; the ``tables`` suite adds the
designs, glossary and decision records of ``tables/_handbook/`` for the tables to list.

What is compared is the page's article, both sides parsed and written out in one form:
one element or text per line (an element holding only text on one line), attributes
sorted, whitespace between elements dropped and runs of spaces in text made one; ``pre``
keeps its content exactly. A case that differs fails with a unified diff of the two.

After an intended change of the output, write the expected files again and review
their diff before committing::

    SYSDESIGN_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py -q
"""

from __future__ import annotations

import difflib
import logging
import os
from collections.abc import Iterator
from html import escape
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Comment, NavigableString, Tag
from harness import Site, build_project

from mkdocs_sysdesign.tables import TABLES

GOLDEN = Path(__file__).resolve().parent / "golden"
REGENERATE = os.environ.get("SYSDESIGN_REGENERATE_GOLDEN") == "1"
SUITES = ("blocks", "tables")
HANDBOOK = "_handbook"
BLOCK_KINDS = ("entity", "api", "dataflow")
PREFIX = "mkdocs_sysdesign: "
VOID = {"br", "hr", "img", "input", "meta", "link", "wbr", "col", "source"}


def case_pages(suite: str) -> list[Path]:
    """The Markdown page of every case of a suite, by name."""
    return sorted((GOLDEN / suite).glob("*.md"))


def all_cases() -> list[Any]:
    return [
        pytest.param(suite, page.stem, id=f"{suite}/{page.stem}")
        for suite in SUITES
        for page in case_pages(suite)
    ]


# -- the one form both sides are compared in ------------------------------------------------


def _attributes(tag: Tag) -> str:
    parts = []
    for name in sorted(tag.attrs):
        value = tag.attrs[name]
        if isinstance(value, list):
            value = " ".join(value)
        parts.append(f' {name}="{escape(str(value))}"')
    return "".join(parts)


def _write(node: Tag, depth: int, lines: list[str]) -> None:
    indent = "  " * depth
    for child in node.children:
        if isinstance(child, Comment):
            lines.append(f"{indent}<!--{child}-->")
        elif isinstance(child, NavigableString):
            text = " ".join(child.split())
            if text:
                lines.append(indent + escape(text, quote=False))
        elif isinstance(child, Tag):
            opening = f"<{child.name}{_attributes(child)}>"
            if child.name in VOID:
                lines.append(indent + opening)
            elif child.name == "pre":
                # Whitespace in preformatted text is what the reader sees.
                lines.append(f"{indent}{opening}{child.decode_contents()}</pre>")
            elif all(
                isinstance(c, NavigableString) and not isinstance(c, Comment)
                for c in child.children
            ):
                text = escape(" ".join(child.get_text().split()), quote=False)
                lines.append(f"{indent}{opening}{text}</{child.name}>")
            else:
                lines.append(indent + opening)
                _write(child, depth + 1, lines)
                lines.append(f"{indent}</{child.name}>")


def canonical(markup: str) -> str:
    """``markup`` parsed and written out one element or text per line (see the docstring)."""
    lines: list[str] = []
    _write(BeautifulSoup(markup, "html.parser"), 0, lines)
    return "\n".join(lines) + "\n"


def test_canonical_form_ignores_layout_and_attribute_order_but_not_content() -> None:
    a = '<div class="x" data-a="1">\n  <p>Some   text</p>\n<pre>a\n  b</pre></div>'
    b = '<div data-a="1" class="x"><p>Some text</p><pre>a\n  b</pre></div>'
    assert canonical(a) == canonical(b)
    assert canonical(a) != canonical(b.replace("Some", "Other"))
    assert canonical(a) != canonical(b.replace("a\n  b", "a\nb"))
    assert canonical(a) != canonical(b.replace('data-a="1"', 'data-a="2"'))


# -- building a suite -------------------------------------------------------------------------


def suite_files(suite: str) -> dict[str, str]:
    """The docs files of a suite's site: the handbook (if any) and every case page."""
    folder = GOLDEN / suite
    files = {"index.md": "# Golden cases\n"}
    handbook = folder / HANDBOOK
    if handbook.is_dir():
        for path in sorted(handbook.rglob("*.md")):
            files[path.relative_to(handbook).as_posix()] = path.read_text(encoding="utf-8")
    for page in case_pages(suite):
        files[f"{suite}/{page.name}"] = page.read_text(encoding="utf-8")
    return files


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Site]]:
    """Each suite's site, built once for the module."""
    sites: dict[str, Site] = {}

    def site(suite: str) -> Site:
        if suite not in sites:
            root = tmp_path_factory.mktemp(f"golden-{suite}")
            sites[suite] = build_project(
                root,
                suite_files(suite),
                {"site_name": "Golden", "plugins": [{"sysdesign": {"builtin_glossary": False}}]},
            )
            assert sites[suite].error is None, sites[suite].warnings
        return sites[suite]

    yield {suite: site(suite) for suite in SUITES}


def article(site: Site, src: str) -> str:
    """The HTML of a page's article, as the reader gets it."""
    content = site.html(src).select_one("article.md-content__inner")
    assert content is not None, f"{src}: no article"
    return canonical(content.decode_contents())


def logged(site: Site, src: str) -> str:
    """The warnings the build logged for the page built from ``src``, one a line."""
    lines = []
    for record in site.records:
        message = record.getMessage()
        if record.levelno < logging.WARNING or f"docs/{src}:" not in message:
            continue
        lines.append(f"{record.levelname} {message.removeprefix(PREFIX)}")
    return "".join(f"{line}\n" for line in lines)


def compare(expected_file: Path, actual: str) -> None:
    """Fail with a unified diff when ``actual`` is not what ``expected_file`` holds.

    A missing file counts as empty for ``.log`` files (the case logs nothing); under
    ``SYSDESIGN_REGENERATE_GOLDEN=1`` the file is written instead.
    """
    optional = expected_file.suffix == ".log"
    if REGENERATE:
        if optional and not actual:
            expected_file.unlink(missing_ok=True)
        else:
            expected_file.write_text(actual, encoding="utf-8")
        return
    if not expected_file.exists() and not optional:
        pytest.fail(
            f"{expected_file.relative_to(GOLDEN)} is missing; "
            "write it with SYSDESIGN_REGENERATE_GOLDEN=1 and review it",
            pytrace=False,
        )
    expected = expected_file.read_text(encoding="utf-8") if expected_file.exists() else ""
    if not optional:
        expected = canonical(expected)
    if expected != actual:
        diff = "\n".join(
            difflib.unified_diff(
                expected.splitlines(),
                actual.splitlines(),
                f"expected: tests/golden/{expected_file.relative_to(GOLDEN)}",
                "built",
                lineterm="",
            )
        )
        pytest.fail(f"the output differs from the golden file:\n{diff}", pytrace=False)


@pytest.mark.parametrize(("suite", "case"), all_cases())
def test_case_renders_as_its_golden_file(built: dict[str, Site], suite: str, case: str) -> None:
    site = built[suite]
    src = f"{suite}/{case}.md"
    compare(GOLDEN / suite / f"{case}.html", article(site, src))
    compare(GOLDEN / suite / f"{case}.log", logged(site, src))


# -- the cases themselves ---------------------------------------------------------------------


def test_every_case_has_its_expected_html() -> None:
    if REGENERATE:
        pytest.skip("the expected files are being written")
    missing = [
        f"{suite}/{page.stem}.html"
        for suite in SUITES
        for page in case_pages(suite)
        if not page.with_suffix(".html").exists()
    ]
    assert not missing, f"cases without their expected HTML: {missing}"


def test_every_expected_file_has_its_case() -> None:
    orphans = [
        path.relative_to(GOLDEN).as_posix()
        for suite in SUITES
        for path in sorted((GOLDEN / suite).glob("*.*"))
        if path.suffix in {".html", ".log"} and not path.with_suffix(".md").exists()
    ]
    assert not orphans, f"expected files without a case: {orphans}"


def fences(page: Path) -> list[tuple[str, str]]:
    """The ``(language, body)`` of every fenced block on a case page."""
    found = []
    language = None
    body: list[str] = []
    for line in page.read_text(encoding="utf-8").splitlines():
        if language is None and line.startswith("```") and len(line) > 3:
            language, body = line[3:].strip(), []
        elif language is not None and line.startswith("```"):
            found.append((language, "\n".join(body)))
            language = None
        elif language is not None:
            body.append(line)
    return found


def test_every_block_kind_has_a_case_that_renders_and_one_that_warns() -> None:
    for kind in BLOCK_KINDS:
        pages = [p for p in case_pages("blocks") if any(lang == kind for lang, _ in fences(p))]
        assert pages, f"no golden case for the {kind} block"
        with_log = [p for p in pages if p.with_suffix(".log").exists()]
        assert with_log, f"no golden case for a bad {kind} block"


def test_every_table_has_a_case() -> None:
    named = set()
    for page in case_pages("tables"):
        for language, body in fences(page):
            value = yaml.safe_load(body) if language == "sysdesign" else None
            if isinstance(value, dict):
                named.add(value.get("table"))
    assert set(TABLES) <= named, f"tables without a golden case: {sorted(set(TABLES) - named)}"


def test_the_tables_handbook_itself_builds_without_warnings(built: dict[str, Site]) -> None:
    site = built["tables"]
    stray = [
        message
        for message in site.warnings
        if "docs/tables/" not in message and "docs/index.md" not in message
    ]
    assert stray == []
