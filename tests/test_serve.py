"""`mkdocs serve`: a rebuild after editing a design updates every page that depends on it.

`mkdocs serve` loads the configuration again for each rebuild, but MkDocs may hand the
same plugin object to every rebuild (it caches plugins that have startup hooks). These
tests take the harder case on purpose: the second build runs with the very plugin
object of the first, so any state the plugin keeps between builds would show up as a
stale page.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from harness import write_project
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import PluginCollection

INDEX = """
# Handbook

```sysdesign
table: designs
columns: [title, status]
```

```sysdesign
table: checklist
```
"""

OLD = """
---
title: Old Shortener
design:
  status: approved
---
# Old Shortener

## Requirements

### Functional requirements

Short links for campaigns.
"""

NEW_BEFORE = """
---
title: New Shortener
design:
  status: draft
---
# New Shortener

## Requirements

### Functional requirements

Short links, with the CAP theorem in mind.
"""

NEW_AFTER = """
---
title: New Shortener
design:
  status: approved
  supersedes: designs/old.md
---
# New Shortener

## Requirements

### Functional requirements

Short links for campaigns and for print.

## Deep Dives

### Scalability

Keys are spread over the cache nodes with consistent hashing.
"""


class Project:
    """A project on disk that is built repeatedly, as `mkdocs serve` rebuilds it."""

    def __init__(self, root: Path, theme: str) -> None:
        config: dict[str, Any] = {"theme": {"name": theme}}
        self.config_file = write_project(
            root,
            {"index.md": INDEX, "designs/old.md": OLD, "designs/new.md": NEW_BEFORE},
            config,
        )
        self.docs = root / "docs"
        self.site_dir = root / "site"

    def load(self) -> MkDocsConfig:
        return load_config(str(self.config_file), site_dir=str(self.site_dir))

    def edit(self, src: str, text: str) -> None:
        (self.docs / src).parent.mkdir(parents=True, exist_ok=True)
        (self.docs / src).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")

    def html(self, src: str) -> BeautifulSoup:
        stem = src.removesuffix(".md")
        path = self.site_dir / ("index.html" if stem == "index" else f"{stem}/index.html")
        return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def with_plugin(config: MkDocsConfig, plugin: Any) -> MkDocsConfig:
    """Put an existing sysdesign plugin object into a freshly loaded configuration.

    A PluginCollection registers event handlers when a plugin is added, so the
    collection is rebuilt in its order with our object in place of the new one.
    """
    plugins = PluginCollection()
    for name, instance in config.plugins.items():
        plugins[name] = plugin if name == "sysdesign" else instance
    config.plugins = plugins
    return config


def row_of(soup: BeautifulSoup, table: str, title: str) -> Any:
    wrapper = soup.select_one(f'.sysdesign-table[data-table="{table}"]')
    assert wrapper is not None, f"no {table} table"
    for row in wrapper.select("tbody tr"):
        if row.find("a", string=title):
            return row
    raise AssertionError(f"no row for {title!r} in the {table} table")


def cell(soup: BeautifulSoup, table: str, title: str, column: str) -> Any:
    """The cell of a table row (found by the design's title) under a column."""
    wrapper = soup.select_one(f'.sysdesign-table[data-table="{table}"]')
    assert wrapper is not None
    names = [th.get("data-column") for th in wrapper.select("thead th")]
    assert column in names, names
    return row_of(soup, table, title).find_all("td")[names.index(column)]


def backlink_texts(soup: BeautifulSoup) -> list[str]:
    section = soup.select_one(".sysdesign-backlinks")
    assert section is not None, "the term page has no Referenced by list"
    return [a.get_text(strip=True) for a in section.select("a")]


def superseded_by(soup: BeautifulSoup) -> list[str]:
    field = soup.select_one('.sysdesign-meta [data-field="superseded-by"]')
    return [a.get_text(strip=True) for a in field.select("a")] if field else []


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_second_build_with_the_same_plugin_shows_every_edit(tmp_path: Path, theme: str) -> None:
    project = Project(tmp_path, theme)
    first = project.load()
    plugin = first.plugins["sysdesign"]
    build(first)

    index = project.html("index.md")
    assert cell(index, "designs", "New Shortener", "status")["data-status"] == "draft"
    assert cell(index, "checklist", "New Shortener", "deep-dives")["data-state"] == "missing"
    assert superseded_by(project.html("designs/old.md")) == []
    assert "New Shortener" in backlink_texts(project.html("glossary/cap-theorem.md"))
    assert "New Shortener" not in backlink_texts(project.html("glossary/consistent-hashing.md"))

    project.edit("designs/new.md", NEW_AFTER)
    second = with_plugin(project.load(), plugin)
    assert second.plugins["sysdesign"] is plugin
    build(second)

    index = project.html("index.md")
    assert cell(index, "designs", "New Shortener", "status")["data-status"] == "approved"
    assert cell(index, "checklist", "New Shortener", "deep-dives")["data-state"] == "partial"
    assert superseded_by(project.html("designs/old.md")) == ["New Shortener"]
    assert "New Shortener" in backlink_texts(project.html("glossary/consistent-hashing.md"))
    # The mention was removed: the old backlink must not survive the rebuild.
    assert "New Shortener" not in backlink_texts(project.html("glossary/cap-theorem.md"))
    # The design page itself shows its new state.
    panel = project.html("designs/new.md").select_one(
        '.sysdesign-checklist [data-step="deep-dives"]'
    )
    assert panel is not None and panel["data-state"] == "partial"
    assert plugin.findings == []


def test_rebuild_drops_a_deleted_design_from_tables(tmp_path: Path) -> None:
    project = Project(tmp_path, "material")
    first = project.load()
    plugin = first.plugins["sysdesign"]
    build(first)
    assert row_of(project.html("index.md"), "designs", "Old Shortener") is not None

    (project.docs / "designs" / "old.md").unlink()
    build(with_plugin(project.load(), plugin))

    designs = project.html("index.md").select_one('.sysdesign-table[data-table="designs"]')
    assert designs is not None
    titles = [a.get_text(strip=True) for a in designs.select("tbody a")]
    assert "Old Shortener" not in titles
    assert "New Shortener" in titles
    assert set(plugin.handbook.designs) == {"designs/new.md"}


# -- the serve cache -------------------------------------------------------------------

BLOCKS_DESIGN = """
---
design:
  status: draft
---
# Feed

## Requirements

### Functional requirements

Posts appear in followers' feeds; the cache holds hot timelines.

## Core Entities

```entity
Post:
  id: uuid
  body: text
```

## API or Interface

```api
GET /feed:
  returns: list of Post
```

## Data Flow

```dataflow
Client -> API: GET /feed
API -> Cache: read timeline
```
"""

TERM_BEFORE = """
---
term: Fan-out
summary: Copying one write to many readers.
---
Fan-out happens on write or on read.
"""

TERM_AFTER = """
---
term: Fan-out
aliases: [timelines]
summary: Copying one write to many readers, for example into timelines.
---
Fan-out happens on write or on read.
"""


def _site_files(site_dir: Path) -> dict[str, bytes]:
    """Every page and the search index, by path (sitemaps carry the build date)."""
    return {
        str(path.relative_to(site_dir)): path.read_bytes()
        for path in sorted(site_dir.rglob("*"))
        if path.suffix == ".html" or path.name == "search_index.json"
    }


def test_serve_cache_gives_the_pages_a_fresh_build_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mkdocs_sysdesign import collect as collect_module
    from mkdocs_sysdesign.plugin import SysdesignPlugin

    analysed: list[str] = []
    analyse = collect_module.analyse_text

    def counting(body: str, options: Any) -> Any:
        analysed.append(body.split("\n", 1)[0])
        return analyse(body, options)

    monkeypatch.setattr(collect_module, "analyse_text", counting)
    project = Project(tmp_path, "material")
    project.edit("designs/feed.md", BLOCKS_DESIGN)
    project.edit("glossary/fan-out.md", TERM_BEFORE)
    served = project.load()
    plugin = served.plugins["sysdesign"]
    served.plugins.on_startup(command="serve", dirty=False)
    try:
        build(served)
        assert plugin.cache.enabled and len(analysed) == 3
        fresh_dir = tmp_path / "fresh"
        edits: list[tuple[str, str | None, dict[str, Any] | None]] = [
            ("nothing", None, None),
            ("a design gains a step", "designs/new.md", None),
            ("a term gains an alias", "glossary/fan-out.md", None),
            ("labels and slugs change", None, {"language": "de"}),
            ("the design is as it was", "designs/new.md", {"language": "de"}),
        ]
        texts = {"designs/new.md": [NEW_AFTER, NEW_BEFORE], "glossary/fan-out.md": [TERM_AFTER]}
        for name, src, options in edits:
            if src is not None:
                project.edit(src, texts[src].pop(0))
            if options is not None:
                settings = {"theme": {"name": "material", "font": False}}
                settings["plugins"] = [{"sysdesign": options}]  # type: ignore[assignment]
                settings["markdown_extensions"] = [{"toc": {"separator": "_"}}]  # type: ignore[assignment]
                write_project(tmp_path, {}, settings)
            analysed.clear()
            rebuilt = with_plugin(project.load(), plugin)
            build(rebuilt)
            if name == "nothing":
                assert analysed == [], "unchanged designs were analysed again"
            if name == "a design gains a step":
                assert analysed == ["# New Shortener"], "only the edited design is analysed again"
            fresh = project.load()
            fresh_plugin = SysdesignPlugin()
            fresh_plugin.config = rebuilt.plugins["sysdesign"].config
            fresh = with_plugin(fresh, fresh_plugin)
            fresh.site_dir = str(fresh_dir)
            build(fresh)
            assert not fresh_plugin.cache.enabled
            assert _site_files(project.site_dir) == _site_files(fresh_dir), name
        # The edits did show: the alias links, the labels are German.
        feed = project.html("designs/feed.md")
        assert feed.select_one('a.sysdesign-term[data-term="fan-out"]') is not None
        assert "Fortschritt" in feed.select_one(".sysdesign-checklist").get_text()
        assert all(size > 0 for name, size in plugin.cache.sizes().items() if name != "fronts")
    finally:
        served.plugins.on_shutdown()
    assert not plugin.cache.enabled


# -- hostile input while serving -------------------------------------------------------

BOMB = """
---
title: New Shortener
design:
  status: approved
  extra:
    x: {deep}
---
# New Shortener

## Requirements

```entity
name: Link
properties: {deep}
```
"""


def test_serve_survives_a_yaml_bomb_and_a_page_that_is_not_utf8_and_recovers(
    tmp_path: Path,
) -> None:
    project = Project(tmp_path, "mkdocs")
    served = project.load()
    plugin = served.plugins["sysdesign"]
    served.plugins.on_startup(command="serve", dirty=False)
    try:
        deep = "[" * 1000 + "]" * 1000
        project.edit("designs/new.md", BOMB.format(deep=deep))
        (project.docs / "notes.md").write_bytes(b"# Caf\xe9\n\nOrdered at the caf\xe9.\n")
        build(served)  # `mkdocs serve` rebuilds like this; an exception would stop it
        messages = [f"{f.file}:{f.line}: {f.message}" for f in plugin.findings]
        assert any(m.startswith("designs/new.md:6: front matter: the YAML nests") for m in messages)
        assert any(m.startswith("designs/new.md:14: entity: the YAML nests") for m in messages)
        assert any(m.startswith("notes.md:1: the file is not UTF-8") for m in messages)
        assert project.html("designs/new.md").select_one("pre.sysdesign-invalid") is not None

        # The author fixes both files; the next rebuild, with the same plugin, is clean.
        project.edit("designs/new.md", NEW_AFTER)
        project.edit("notes.md", "# Café\n\nOrdered at the café.\n")
        build(with_plugin(project.load(), plugin))
        assert plugin.findings == []
        page = project.html("designs/new.md")
        assert page.select_one("pre.sysdesign-invalid") is None
        assert page.select_one('.sysdesign-status[data-status="approved"]') is not None
        assert "Ordered at the café." in project.html("notes.md").get_text()
    finally:
        served.plugins.on_shutdown()
