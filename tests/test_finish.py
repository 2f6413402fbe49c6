"""State by lifetime: the collected model stays as collected, each conversion starts afresh,
and what needs every page converted is filled in by the finishing step."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import markdown
import pytest
from bs4 import BeautifulSoup
from mkdocs.plugins import event_priority

from mkdocs_sysdesign.collect import Options, SourceFile, analyse_text, collect
from mkdocs_sysdesign.config import DEFAULT_STATUSES
from mkdocs_sysdesign.extension import PageInfo, SiteContext, SysdesignExtension, custom_fences
from mkdocs_sysdesign.finish import DeferredTables, Rendering, finish, with_anchors
from mkdocs_sysdesign.glossary import TermIndex
from mkdocs_sysdesign.model import Handbook, Term
from mkdocs_sysdesign.plugin import SysdesignPlugin
from mkdocs_sysdesign.steps import StepRegistry
from mkdocs_sysdesign.tables import read_sysdesign_block

DESIGN = """\
---
design:
  status: draft
---
# Queue

Producers write over TCP.

## Requirements

### Functional

Messages are kept.

## API

```api
protocol: REST
routes:
  - method: POST
    path: /messages
```

{{ deep_dives }}
"""

INDEX = """\
# Home

```sysdesign
table: checklist
columns: [title, deep-dives]
```

```sysdesign
table: terms
columns: [term, designs]
```

```sysdesign
table: designs
columns: [title, updated]
```
"""

HOOK = """\
def on_page_markdown(markdown, page, **kwargs):
    # As mkdocs-git-revision-date-localized does, before the sysdesign plugin reads the page.
    page.meta["git_revision_date_localized_raw_iso_date"] = "2025-07-02"
    return markdown.replace("{{ deep_dives }}", "## Deep Dives\\n\\n- [x] Scalability\\n")
"""

TCP = "---\nterm: TCP\nsummary: Ordered, reliable byte streams.\n---\n"


def _snapshot(handbook: Handbook) -> dict[str, Any]:
    return copy.deepcopy(
        {
            "designs": {path: repr(design) for path, design in handbook.designs.items()},
            "terms": dict(handbook.terms),
            "decisions": dict(handbook.decisions),
            "titles": dict(handbook.page_titles),
        }
    )


def test_a_build_leaves_the_collected_model_as_collected(
    make_site: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshots: list[dict[str, Any]] = []
    collect_files = SysdesignPlugin.on_files

    @event_priority(-110)
    def on_files(self: SysdesignPlugin, files: Any, /, *, config: Any) -> Any:
        result = collect_files(self, files, config=config)
        snapshots.append(_snapshot(self.handbook))
        return result

    monkeypatch.setattr(SysdesignPlugin, "on_files", on_files)
    (tmp_path / "p0").mkdir()
    (tmp_path / "p0" / "hooks.py").write_text(HOOK, encoding="utf-8")
    site = make_site(
        {"index.md": INDEX, "designs/queue.md": DESIGN, "glossary/tcp.md": TCP},
        {
            "plugins": [{"sysdesign": {"builtin_glossary": False}}],
            "hooks": ["hooks.py"],
            "nav": ["index.md", "designs/queue.md", "glossary/tcp.md"],
        },
        theme="mkdocs",
    )
    assert site.error is None and site.messages == []
    plugin = site.config.plugins["sysdesign"]
    [collected] = snapshots
    assert _snapshot(plugin.handbook) == collected
    # What converting the pages found is in the finished handbook only.
    built = plugin.built.designs["designs/queue.md"]
    assert built.terms == ("tcp",)
    assert built.steps["deep-dives"].items["scalability"] is True
    assert plugin.handbook.designs["designs/queue.md"].steps["deep-dives"].state == "missing"
    assert plugin.handbook.designs["designs/queue.md"].updated is None
    assert str(built.updated) == "2025-07-02"
    # The index page converts before the design, and its tables show the design as it
    # rendered: the section the hook added, and the term the design mentions.
    home = BeautifulSoup((site.site_dir / "index.html").read_text("utf-8"), "html.parser")
    [cell] = home.select('[data-table="checklist"] tbody td[data-state]')
    assert cell["data-state"] == "partial"
    terms = home.select_one('[data-table="terms"] tbody')
    assert terms is not None and "Queue" in terms.get_text()
    designs = home.select_one('[data-table="designs"] tbody')
    assert designs is not None and "2025-07-02" in designs.get_text()


def test_item_mappings_are_read_only() -> None:
    results = analyse_text("# T\n\n## Requirements\n\n- [x] Functional\n", Options()).steps
    items = results["requirements"].items
    assert items["functional"] is True
    with pytest.raises(TypeError):
        items["functional"] = False  # type: ignore[index]
    # Still a plain value to copy, compare and pickle.
    assert (
        copy.deepcopy(items)
        == items
        == {"functional": True, **{k: False for k in items if k != "functional"}}
    )


def _design() -> Handbook:
    text = "---\ndesign: {status: draft}\n---\n# Q\n\n## Requirements\n\nText.\n\n## API\n\nText.\n"
    collected = collect(
        [SourceFile("designs/q.md", text)],
        Options(registry=StepRegistry.default(), statuses=DEFAULT_STATUSES),
    )
    return collected.handbook


def test_anchors_from_the_page_are_set_on_copies() -> None:
    steps = _design().designs["designs/q.md"].steps
    api = steps["api"].sections[0]
    assert api.anchor == "api"
    assert with_anchors(steps, ["q", "requirements", "api"]) is steps  # nothing to change
    moved = with_anchors(steps, ["q", "requirements", "the-api"])
    assert moved["api"].sections[0].anchor == "the-api"
    assert moved["api"].anchor_section is moved["api"].sections[0]
    assert api.anchor == "api" and steps["api"].sections[0] is api


def test_finish_makes_a_new_handbook_and_changes_none() -> None:
    handbook = _design()
    handbook.terms["tcp"] = Term("tcp", "TCP", "glossary/tcp.md")
    before = repr(handbook)
    rendering = Rendering()
    rendering.add("designs/q.md", {"tcp"}, ["q", "requirements", "the-api"])
    rendering.add("guide/x.md", {"tcp"})
    finished = finish(handbook, rendering, excluded=lambda src: src.startswith("guide/"))
    assert repr(handbook) == before
    # Ids that collection predicted are not kept twice.
    steps = handbook.designs["designs/q.md"].steps
    again = Rendering()
    again.add("designs/q.md", {"tcp"}, ["q", "requirements", "api"], steps=steps)
    again.add("designs/r.md", {"tcp"}, ["r", "requirements", "the-api"], steps=steps)
    assert list(again.anchors) == ["designs/r.md"]
    design = finished.designs["designs/q.md"]
    assert design.terms == ("tcp",)
    assert design.steps["api"].sections[0].anchor == "the-api"
    assert finished.terms["tcp"].referenced_by == ["designs/q.md"]


def test_reset_starts_a_new_conversion() -> None:
    index = TermIndex({"tcp": Term("tcp", "TCP", "glossary/tcp.md")})
    extension = SysdesignExtension(SiteContext(term_index=index), PageInfo(src_path="a.md"))
    md = markdown.Markdown(extensions=[extension])
    md.convert("TCP and [[nope]].")
    first = extension.conversion
    assert first.mentions == {"tcp"} and [f.file for f in first.findings] == ["a.md"]
    md.reset()
    extension.page = PageInfo(src_path="b.md")
    md.convert("Nothing here.")
    assert extension.conversion.mentions == set() and extension.conversion.findings == []
    assert first.mentions == {"tcp"}  # what the first page found stays with it


def test_a_page_that_reports_nothing_records_no_findings() -> None:
    extension = SysdesignExtension(page=PageInfo(src_path="a.md", reports=False))
    markdown.Markdown(extensions=[extension]).convert("[[nope]]")
    assert extension.conversion.findings == []


def test_the_panel_links_to_the_ids_the_page_got_and_leaves_the_model_alone() -> None:
    handbook = _design()
    design = handbook.designs["designs/q.md"]
    body = "# Q\n\n## Requirements\n\nText.\n\n## API\n\nText.\n"
    extension = SysdesignExtension(
        SiteContext(registry=StepRegistry.default(), handbook=handbook), PageInfo(design=design)
    )

    def slugify(value: str, separator: str) -> str:
        return "s-" + value.lower().replace(" ", separator)

    md = markdown.Markdown(
        extensions=["toc", extension], extension_configs={"toc": {"slugify": slugify}}
    )
    soup = BeautifulSoup(md.convert(body), "html.parser")
    link = soup.select_one('.sysdesign-checklist [data-step="api"] a')
    assert link is not None and link["href"] == "#s-api"
    assert extension.conversion.anchors == ["s-q", "s-requirements", "s-api"]
    assert design.steps["api"].sections[0].anchor == "api"


def test_tables_are_settled_by_the_finishing_step_when_the_host_has_one() -> None:
    handbook = _design()
    tables = DeferredTables()
    site = SiteContext(registry=StepRegistry.default(), handbook=handbook, tables=tables)
    extension = SysdesignExtension(site)
    md = markdown.Markdown(
        extensions=[extension, "pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": custom_fences()}},
    )
    html = md.convert("```sysdesign\ntable: designs\n```\n\n```sysdesign\ntable: terms\n```\n")
    assert extension.conversion.tables == 2
    # The designs table is rendered in place; the terms table waits for every mention.
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one('[data-table="designs"]') is not None
    assert soup.select_one('[data-table="terms"]') is None
    finished = copy.deepcopy(handbook)
    finished.terms["tcp"] = Term("tcp", "TCP", "glossary/tcp.md")
    finished.designs["designs/q.md"].terms = ("tcp",)
    finished.designs["designs/q.md"].title = "Renamed"
    kept = tables.fill(html, finished, redo=False)
    assert tables.prefix not in kept and "sysdesign-table:" not in kept
    kept_soup = BeautifulSoup(kept, "html.parser")
    assert "Q" in kept_soup.select_one('[data-table="designs"] tbody').get_text()
    assert "TCP" in kept_soup.select_one('[data-table="terms"] tbody').get_text()
    redone = BeautifulSoup(tables.fill(html, finished, redo=True), "html.parser")
    assert "Renamed" in redone.select_one('[data-table="designs"] tbody').get_text()
    # Text that only looks like a marker is left alone.
    written = html.replace(tables.prefix, "<!-- sysdesign-table:0000:")
    assert tables.fill(written, finished) == written


def test_a_checked_query_needs_only_the_collected_model() -> None:
    query, problems = read_sysdesign_block("table: designs", _design())
    assert problems == [] and query is not None and query.table == "designs"
