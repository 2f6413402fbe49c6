"""Compatibility: both themes, both URL styles, Material's tags plugin, the ``abbr`` recipe.

Each test builds a real project under ``--strict`` and reads the pages back: the plugin's
elements are there, its links resolve to pages that exist, and nothing it does disturbs
the other plugins and extensions (or is disturbed by them).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

import pytest
from harness import THEMES_AND_URLS, build_project

TERMS = {
    "glossary/tcp.md": "---\nterm: TCP\nabbr: Transmission Control Protocol\n"
    "summary: A reliable, ordered byte stream between two hosts.\n---\n# TCP\n\nBody.\n",
    "glossary/sharding.md": "---\nterm: Sharding\naliases: [shard]\n"
    "summary: Splitting data across nodes by a key.\n---\n# Sharding\n\nBody.\n",
    "glossary/http.md": "---\nterm: HTTP\nsummary: The web's request-response protocol.\n---\n"
    "# HTTP\n\nBody.\n",
}
DESIGN = """\
---
title: URL Shortener
tags: [storage, caching]
design:
  status: approved
  owners: [alice]
  updated: 2026-11-02
---
# URL Shortener

Short links travel over TCP and HTTP; the key space uses sharding.

## Requirements

### Functional

Users shorten links.

## Core Entities

```entity
name: Link
properties:
  code: string
```

## Data Flow

```dataflow
Client -> API: POST /urls
API --> Client: 201
```
"""
INDEX = """\
# Handbook

```sysdesign
table: designs
columns: [title, status, owners, tags, progress]
```
"""
NO_BUILTIN: dict[str, Any] = {"sysdesign": {"builtin_glossary": False}}


def _files() -> dict[str, str]:
    return {"index.md": INDEX, "designs/url-shortener.md": DESIGN, **TERMS}


def _target(site: Any, src: str, href: str) -> Path:
    """The file a relative link on the page built from ``src`` points to."""
    page = site.output_path(src).relative_to(site.site_dir).as_posix()
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page), href.split("#")[0]))
    target = site.site_dir / path
    return target / "index.html" if href.endswith("/") or target.is_dir() else target


@pytest.mark.parametrize(("theme", "dir_urls"), THEMES_AND_URLS)
def test_a_handbook_builds_strict_in_both_themes_and_url_styles(
    make_site, theme: str, dir_urls: bool
) -> None:
    site = make_site(
        _files(),
        {"plugins": ["search", NO_BUILTIN]},
        theme=theme,
        use_directory_urls=dir_urls,
        strict=True,
    )
    assert site.error is None, site.warnings
    assert site.warnings == []
    design = site.content("designs/url-shortener.md")
    for selector in (
        ".sysdesign-meta",
        ".sysdesign-checklist",
        ".sysdesign-entity",
        ".sysdesign-dataflow",
    ):
        assert design.select_one(selector) is not None, selector
    links = design.select("a.sysdesign-term")
    assert {a["data-term"] for a in links} == {"tcp", "http", "sharding"}
    for link in links:
        assert _target(site, "designs/url-shortener.md", link["href"]).is_file(), link["href"]
    table = site.content("index.md").select_one('.sysdesign-table[data-table="designs"]')
    assert table is not None and "URL Shortener" in table.get_text()
    row_link = table.select_one("a[href]")
    assert _target(site, "index.md", row_link["href"]) == site.output_path(
        "designs/url-shortener.md"
    )
    backlinks = site.content("glossary/tcp.md").select_one(".sysdesign-backlinks")
    assert [a.get_text() for a in backlinks.select("a")] == ["URL Shortener"]
    assert site.output_path("glossary/index.md").is_file()


def test_material_tags_plugin_alongside(make_site) -> None:
    files = {**_files(), "tags.md": "# Tags\n\n<!-- material/tags -->\n"}
    site = make_site(files, {"plugins": ["search", "tags", NO_BUILTIN]}, strict=True)
    assert site.error is None, site.warnings
    assert site.warnings == []
    design = site.content("designs/url-shortener.md")
    # Material prints the page's tags; the plugin reads the same standard key.
    assert {t.get_text(strip=True) for t in design.select(".md-tag")} >= {"storage", "caching"}
    assert design.select_one(".sysdesign-checklist") is not None
    listing = site.content("tags.md").get_text(" ")
    assert "storage" in listing and "URL Shortener" in listing
    cells = site.content("index.md").select('.sysdesign-table[data-table="designs"] td')
    assert any("storage" in cell.get_text() and "caching" in cell.get_text() for cell in cells)


def test_abbr_glossary_recipe_alongside(make_site, tmp_path: Path) -> None:
    root = tmp_path / "abbr"
    (root / "includes").mkdir(parents=True)
    (root / "includes" / "abbreviations.md").write_text(
        "*[TCP]: Transmission Control Protocol\n*[HTTP]: Hypertext Transfer Protocol\n",
        encoding="utf-8",
    )
    config = {
        "plugins": ["search", NO_BUILTIN],
        "markdown_extensions": [
            "abbr",
            "attr_list",
            {
                "pymdownx.snippets": {
                    "auto_append": ["includes/abbreviations.md"],
                    "base_path": [str(root)],
                }
            },
        ],
        "theme": {"name": "material", "font": False, "features": ["content.tooltips"]},
    }
    site = build_project(root, _files(), config, strict=True)
    assert site.error is None, site.warnings
    design = site.content("designs/url-shortener.md")
    abbrs = design.select("abbr")
    assert {a.get_text() for a in abbrs} >= {"TCP", "HTTP"}
    for abbr in abbrs:
        assert abbr.find("a") is None
        assert not abbr.find_parents("a")
    # The abbreviation claims TCP and HTTP; a term without one is still linked.
    assert [a["data-term"] for a in design.select("a.sysdesign-term")] == ["sharding"]
    assert "*[TCP]" not in design.get_text()
