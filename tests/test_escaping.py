"""Escaping: text from authors is shown as text, never run as HTML.

One site carries three classic payloads in every field the plugin prints: design
metadata, term names and summaries (a summary becomes a ``title`` attribute), entity,
api and dataflow blocks, and the cells of the auto-built tables. The parsed pages must
show the payloads as text, hold no ``<script>`` or ``<img>`` made from them, and give
the plugin's elements no attribute beyond the expected ones.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from bs4 import Tag

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
ATTR = "' onmouseover='x"
EVIL = f"{SCRIPT} {IMG} {ATTR}"
PAYLOADS = (SCRIPT, IMG, ATTR)
NO_BUILTIN = {"plugins": [{"sysdesign": {"builtin_glossary": False}}]}

ALLOWED_ATTRIBUTES = {
    "class",
    "id",
    "href",
    "title",
    "style",
    "role",
    "scope",
    "colspan",
    "rowspan",
    "datetime",
    "open",
    "type",
    "checked",
    "disabled",
    "value",
    "min",
    "max",
    "low",
    "high",
    "optimum",
    "hidden",  # the Mermaid source of a diagram, until a script draws it
}
"""Attributes the plugin's elements may carry, besides ``data-*`` and ``aria-*``."""


def front(data: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(data, allow_unicode=True, sort_keys=False) + "---\n"


def yaml_block(language: str, data: Any) -> str:
    return f"```{language}\n{yaml.safe_dump(data, allow_unicode=True, sort_keys=False)}```\n"


EVIL_DESIGN = (
    front(
        {
            "title": "Evil design",
            "tags": [SCRIPT, IMG, ATTR],
            "design": {
                "status": EVIL,
                "owners": [SCRIPT, IMG, ATTR],
                "reviewers": [EVIL],
                "created": "2026-01-01",
                "summary": EVIL,
                "supersedes": "designs/titled.md",
                "related": ["designs/titled.md"],
                "review": {"communication": 4},
                "extra": {"team": EVIL, "jira": SCRIPT},
            },
        }
    )
    + "# Evil design\n\nThe evil term is mentioned here, and so is the [[plain term]].\n\n"
    + "## Core Entities\n\n"
    + yaml_block(
        "entity",
        {
            "name": EVIL,
            "notes": EVIL,
            "properties": [{"name": SCRIPT, "type": IMG, "notes": ATTR}],
        },
    )
    + "\n## API\n\n"
    + yaml_block(
        "api",
        {
            "protocol": EVIL,
            "routes": [
                {
                    "method": SCRIPT,
                    "path": IMG,
                    "parameters": {ATTR: EVIL},
                    "returns": EVIL,
                    "auth": SCRIPT,
                }
            ],
        },
    )
    + "\n## Data Flow\n\n```dataflow\n"
    + f"{SCRIPT} -> {IMG}: {ATTR}\n{IMG} --> {SCRIPT}: {EVIL}\n```\n"
)

TITLED_DESIGN = (
    front({"title": EVIL, "design": {"status": "draft", "summary": "Titled."}})
    + "# Titled design\n\n## Requirements\n\nUsers.\n"
)

TABLES = "".join(
    f"```sysdesign\ntable: {name}\n{extra}```\n\n"
    for name, extra in [
        ("designs", "columns: [title, status, owners, reviewers, tags, summary]\n"),
        ("entities", ""),
        ("api", "columns: [design, method, path, parameters, returns, auth, protocol]\n"),
        ("glossary", "columns: [term, category, summary, aliases, abbr]\n"),
        ("terms", "where:\n  count: '>=0'\n"),
        ("reviews", ""),
        ("checklist", ""),
    ]
)

FILES = {
    "index.md": "# Handbook\n\nAll designs.\n\n" + TABLES,
    "designs/evil.md": EVIL_DESIGN,
    "designs/titled.md": TITLED_DESIGN,
    "glossary/evil-term.md": front(
        {"term": "Evil term", "summary": EVIL, "category": EVIL, "aliases": [IMG]}
    )
    + "# Evil term\n\nExplained.\n",
    "glossary/evil-name.md": front({"term": EVIL, "summary": "A term with a hostile name."})
    + "Its page has no heading of its own.\n",
    "glossary/plain-term.md": front(
        {"term": "Plain term", "summary": "Plain.", "see_also": ["evil-term", "evil-name"]}
    )
    + "# Plain term\n\nSee the others.\n",
}
PAGES = [*FILES, "glossary/index.md"]


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _injected(article: Tag) -> list[str]:
    """Elements and attributes that only a payload could have produced."""
    found = [f"<{tag.name}>" for tag in article.find_all(["script", "img", "iframe"])]
    for tag in article.find_all(True):
        found += [f"{tag.name}[{name}]" for name in tag.attrs if name.lower().startswith("on")]
    return found


def _unexpected_attributes(article: Tag) -> list[str]:
    """Attributes on the plugin's elements (and inside them) beyond the expected ones."""
    odd = []
    for top in article.find_all(class_=re.compile(r"^sysdesign-")):
        for tag in [top, *top.find_all(True)]:
            for name in tag.attrs:
                if name in ALLOWED_ATTRIBUTES or name.startswith(("data-", "aria-")):
                    continue
                odd.append(f"{tag.name}[{name}]")
    return odd


@pytest.fixture(scope="module", params=["mkdocs", "material"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from harness import build_project

    root = tmp_path_factory.mktemp(f"escaping-{request.param}")
    return build_project(root, FILES, NO_BUILTIN, theme=request.param)


@pytest.mark.parametrize("src", PAGES)
def test_no_payload_becomes_an_element_or_attribute(site: Any, src: str) -> None:
    article = site.content(src)
    assert _injected(article) == []
    assert _unexpected_attributes(article) == []


def test_design_metadata_is_shown_as_text(site: Any) -> None:
    meta = site.content("designs/evil.md").select_one(".sysdesign-meta")
    text = _normalised(meta.get_text(" "))
    for payload in PAYLOADS:
        assert payload in text
    assert meta.select_one(".sysdesign-status")["data-status"] == " ".join(EVIL.split()).casefold()
    # The title of the related design is the plugin's to print: escaped, and shown.
    links = [a.get_text() for a in meta.select("a")]
    assert EVIL in links


def test_blocks_show_their_text(site: Any) -> None:
    article = site.content("designs/evil.md")
    for selector in (".sysdesign-entity", ".sysdesign-api", ".sysdesign-dataflow"):
        block = article.select_one(selector)
        assert block is not None, selector
        text = _normalised(block.get_text(" "))
        for payload in PAYLOADS:
            assert _normalised(payload) in text, (selector, payload)


def test_term_summary_is_only_a_title(site: Any) -> None:
    link = site.content("designs/evil.md").select_one('a.sysdesign-term[data-term="evil-term"]')
    assert link is not None
    assert link["title"] == EVIL
    assert link.get_text() == "evil term"


@pytest.mark.parametrize("name", ["designs", "entities", "api", "glossary", "terms"])
def test_table_cells_show_their_text(site: Any, name: str) -> None:
    table = site.content("index.md").select_one(f'.sysdesign-table[data-table="{name}"]')
    assert table is not None
    text = _normalised(table.get_text(" "))
    for payload in PAYLOADS:
        assert _normalised(payload) in text, payload


def test_see_also_and_glossary_index_show_term_names_as_text(site: Any) -> None:
    see_also = site.content("glossary/plain-term.md").select_one(".sysdesign-see-also")
    assert see_also is not None and EVIL in see_also.get_text()
    assert see_also.select_one('[data-term="evil-term"]')["title"] == EVIL
    index = _normalised(site.content("glossary/index.md").get_text(" "))
    assert _normalised(EVIL) in index  # the hostile term name and the hostile summary


def test_html_in_a_title_is_a_warning(site: Any) -> None:
    assert any("docs/designs/titled.md:2: title: contains HTML" in m for m in site.messages)


def test_a_term_name_with_html_gives_an_escaped_heading(site: Any) -> None:
    # A term page without an H1 gets its heading from the term name, written by the plugin.
    heading = site.content("glossary/evil-name.md").find("h1")
    assert heading is not None and heading.get_text() == EVIL


def test_the_site_builds_with_only_the_expected_warnings(site: Any) -> None:
    assert site.error is None
    assert all(
        ("docs/designs/titled.md:2: " in m or "docs/designs/evil.md:8: design.status" in m)
        for m in site.messages
    ), site.messages
