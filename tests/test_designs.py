"""Designs: which pages are designs, front matter, step detection, the checklist and metadata."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from harness import THEMES_AND_URLS, require_corpora

from mkdocs_sysdesign.collect import Options, SourceFile, collect
from mkdocs_sysdesign.config import DEFAULT_STATUSES
from mkdocs_sysdesign.extension import PageInfo, SiteContext, SysdesignExtension
from mkdocs_sysdesign.model import StepState
from mkdocs_sysdesign.source import scan
from mkdocs_sysdesign.steps import StepRegistry, detect_steps

NO_GLOSSARY = {"plugins": [{"sysdesign": {"builtin_glossary": False}}]}

COMPLETE_DESIGN = """\
---
title: URL Shortener
tags: [storage]
design:
  status: Approved
  owners: [alice, bob]
  reviewers: [carol]
  created: 2026-10-01
  updated: 2026-11-02
  summary: Short links for campaigns.
---
# URL Shortener

## 1. Requirements
### Functional
Users shorten links.
### Non-functional
Fast redirects.
### Out of scope
Accounts.

## Core Entities
- [x] Models
- [x] Properties and data types
- [x] Trade-offs

## API
- [x] Protocol
- [x] Routes
- [x] Parameters
- [x] Returns

## Data Flow
1. Client sends the long URL.
2. Service stores it.

## High-Level Design
### Architecture style
Client-server.
### Components
API and store.
### Data storage
A key-value store.
### Communication patterns
Synchronous HTTP.

## Deep Dives
### Scalability
Shard by code.
### Consistency
Read your writes.
### Latency
Cache hot codes.
### Fault tolerance
Replicas.
### Security
Rate limits.
"""


def states(page: str, registry: StepRegistry | None = None):
    registry = registry or StepRegistry.default()
    results, problems = detect_steps(scan(page), registry)
    return results, problems


# -- step detection --------------------------------------------------------------------


def test_complete_design_has_every_step_complete() -> None:
    body = COMPLETE_DESIGN.split("---\n", 2)[2]
    results, problems = states(body)
    assert problems == []
    assert {k: r.state for k, r in results.items()} == dict.fromkeys(
        StepRegistry.default().ids, StepState.COMPLETE
    )


def test_section_without_items_is_partial_and_absent_step_missing() -> None:
    results, _ = states("# T\n\n## Requirements\n\nSome text.\n")
    assert results["requirements"].state is StepState.PARTIAL
    assert results["api"].state is StepState.MISSING
    assert results["requirements"].items == {
        "functional": False,
        "non-functional": False,
        "out-of-scope": False,
    }


def test_empty_sub_heading_does_not_count() -> None:
    page = "## Requirements\n### Functional\n<!-- write here -->\n\n### Non-functional\nFast.\n"
    results, _ = states(page)
    items = results["requirements"].items
    assert items["functional"] is False
    assert items["non-functional"] is True


def test_sub_heading_at_any_depth_counts() -> None:
    results, _ = states("## Deep Dives\n#### Security\nmTLS everywhere.\n")
    assert results["deep-dives"].items["security"] is True


def test_sub_heading_followed_by_deeper_heading_with_text_counts() -> None:
    results, _ = states("## Requirements\n### Non-functional\n#### Latency\np99 under 50 ms.\n")
    assert results["requirements"].items["non-functional"] is True


def test_step_results_with_the_same_items_done_share_one_dict() -> None:
    page = "# T\n\n## Requirements\n\n- [x] Functional requirements\n"
    first, _ = states(page)
    second, _ = states(page)
    other, _ = states("# T\n\n## Requirements\n\n- [x] Out of scope\n")
    assert first["requirements"].items == {
        "functional": True,
        "non-functional": False,
        "out-of-scope": False,
    }
    assert first["requirements"].items is second["requirements"].items
    assert other["requirements"].items == {
        "functional": False,
        "non-functional": False,
        "out-of-scope": True,
    }
    assert other["requirements"].items is not first["requirements"].items


def test_checked_task_item_ticks_and_unchecked_says_not_done() -> None:
    page = (
        "## Deep Dives\n- [x] Security: mTLS\n- [X] Latency\n"
        "### Consistency\nStrong.\n- [ ] Consistency\n"
    )
    results, _ = states(page)
    items = results["deep-dives"].items
    assert items["security"] is True
    assert items["latency"] is True
    # The unchecked task item wins over the non-empty sub-heading.
    assert items["consistency"] is False


def test_no_keyword_matching_in_prose() -> None:
    results, _ = states("## Deep Dives\nWe discuss security, latency and consistency here.\n")
    assert not any(results["deep-dives"].items.values())


def test_items_only_count_inside_their_steps_sections() -> None:
    page = "## Requirements\n### Security\nSome.\n## Deep Dives\nText.\n"
    results, _ = states(page)
    assert results["deep-dives"].items["security"] is False


def test_headings_in_code_blocks_are_not_sections() -> None:
    page = "## Notes\n```markdown\n## Requirements\n### Functional\nx\n```\n"
    results, _ = states(page)
    assert results["requirements"].state is StepState.MISSING


def test_setext_heading_is_a_section() -> None:
    results, _ = states("Requirements\n------------\n\n### Functional\nUsers.\n")
    assert results["requirements"].state is StepState.PARTIAL
    assert results["requirements"].items["functional"] is True


def test_data_step_attribute_forces_a_step() -> None:
    results, problems = states('## Storage choices { data-step="core-entities" }\n- [x] Models\n')
    assert problems == []
    assert results["core-entities"].items["models"] is True
    assert results["core-entities"].sections[0].heading == "Storage choices"


def test_unknown_data_step_is_a_problem_with_its_line() -> None:
    _, problems = states('# T\n\n## Storage { data-step="entities" }\n')
    assert len(problems) == 1
    assert problems[0].line == 3
    message = problems[0].message
    assert "data-step 'entities' is not a step (did you mean 'core-entities'?)" in message
    assert "; expected one of requirements, core-entities," in message


def test_several_sections_merge_and_the_panel_links_the_first() -> None:
    page = (
        "## Step 4: Scale the design\n### Scalability\nShards.\n"
        "## Additional talking points\n### Security\nTLS.\n"
    )
    results, _ = states(page)
    deep = results["deep-dives"]
    assert [s.heading for s in deep.sections] == [
        "Step 4: Scale the design",
        "Additional talking points",
    ]
    assert deep.anchor_section is not None
    assert deep.anchor_section.anchor == "step-4-scale-the-design"
    assert deep.items["scalability"] and deep.items["security"]


def test_ordered_list_in_data_flow_gives_flow_but_not_elsewhere() -> None:
    results, _ = states("## Data Flow\n1. Client calls.\n2. Server answers.\n")
    assert results["data-flow"].items["flow"] is True
    results, _ = states("## Data Flow\nProse only.\n## Deep Dives\n1. one\n")
    assert results["data-flow"].items["flow"] is False


def test_blocks_tick_their_items() -> None:
    page = (
        "## Core Entities\n```entity\nname: Link\nproperties:\n  code: string\n```\n"
        "## API\n```api\nprotocol: REST\nroutes:\n  - method: GET\n    path: /x\n```\n"
        "## Data Flow\n```dataflow\nClient -> API: GET /x\n```\n"
    )
    from mkdocs_sysdesign.collect import block_items

    results, _ = detect_steps(scan(page), StepRegistry.default(), block_items)
    assert results["core-entities"].items == {
        "models": True,
        "properties": True,
        "trade-offs": False,
    }
    # No parameters and no returns in the api block: only what is present is ticked.
    assert results["api"].items == {
        "protocol": True,
        "routes": True,
        "parameters": False,
        "returns": False,
    }
    assert results["data-flow"].items["flow"] is True


def test_block_that_does_not_parse_ticks_nothing() -> None:
    from mkdocs_sysdesign.collect import block_items

    page = "## Core Entities\n```entity\nname: [unclosed\n```\n"
    results, _ = detect_steps(scan(page), StepRegistry.default(), block_items)
    assert results["core-entities"].items["models"] is False


def test_configured_items_and_aliases_are_detected() -> None:
    registry = StepRegistry.from_config(
        {
            "requirements": {
                "items": [{"id": "capacity", "title": "Capacity", "aliases": ["estimates"]}]
            }
        }
    )
    results, _ = states("## Requirements\n### Estimates\n10k QPS.\n", registry)
    assert results["requirements"].items["capacity"] is True


def test_progress_is_items_done_over_all_items() -> None:
    result = collect(
        [SourceFile("designs/a.md", "# A\n\n## Requirements\n### Functional\nx\n")],
        Options(statuses=DEFAULT_STATUSES),
    )
    design = result.handbook.designs["designs/a.md"]
    assert design.progress == round(100 * 1 / 20)


def test_collecting_reads_each_page_once_and_lets_its_text_go() -> None:
    """Pages handed in with ``load`` are read one at a time, in order, and not kept."""
    import gc
    import weakref

    class Text(str):
        """A str that can be watched for being freed."""

    pages = {
        "designs/a.md": "---\ndesign:\n  status: draft\n---\n# A\n\n## Requirements\n"
        "### Functional\nUse TCP.\n",
        "glossary/tcp.md": "---\nterm: TCP\nsummary: A transport.\n---\n# TCP\n",
        "notes.md": "# Notes\n\nNothing.\n",
    }
    reads: list[str] = []
    alive: list[weakref.ref[Text]] = []

    def reader(path: str) -> Callable[[], str]:
        def load() -> str:
            gc.collect()
            # Every page read before this one has been let go.
            assert [ref() for ref in alive] == [None] * len(alive)
            reads.append(path)
            text = Text(pages[path])
            alive.append(weakref.ref(text))
            return text

        return load

    lazy = collect([SourceFile(path, load=reader(path)) for path in pages], Options())
    assert reads == list(pages)
    eager = collect([SourceFile(path, text) for path, text in pages.items()], Options())
    assert lazy.handbook.designs == eager.handbook.designs
    assert lazy.handbook.terms == eager.handbook.terms
    assert (
        lazy.handbook.page_titles
        == eager.handbook.page_titles
        == {
            "designs/a.md": "A",
            "glossary/tcp.md": "TCP",
            "notes.md": "Notes",
        }
    )
    assert lazy.findings == eager.findings


# -- primer headings ---------------------------------------------------------------------

PRIMER_HEADINGS = {
    "Step 1: Outline use cases and constraints": "requirements",
    "Step 2: Create a high level design": "high-level-design",
    "Step 3: Design core components": "data-flow",
    "Step 4: Scale the design": "deep-dives",
    "Additional talking points": "deep-dives",
}


@pytest.mark.parametrize(("heading", "step"), PRIMER_HEADINGS.items())
def test_every_primer_heading_maps_to_its_step(heading: str, step: str) -> None:
    match = StepRegistry.default().match_heading(heading)
    assert match is not None and match.id == step


def test_every_h2_of_the_primer_corpus_is_known() -> None:
    folder = require_corpora()
    registry = StepRegistry.default()
    for path in sorted(folder.glob("*.md")):
        if path.name in ("ATTRIBUTION.md",):
            continue
        for heading in scan(path.read_text(encoding="utf-8")).headings:
            if heading.level == 2:
                step = registry.match_heading(heading.plain)
                assert step is not None, f"{path.name}: {heading.plain}"
                assert step.id == PRIMER_HEADINGS[heading.plain]


# -- site builds -------------------------------------------------------------------------


@pytest.mark.parametrize(("theme", "dir_urls"), THEMES_AND_URLS)
def test_checklist_panel_follows_the_html_contract(make_site, theme: str, dir_urls: bool) -> None:
    site = make_site(
        {"index.md": "# Home\n", "designs/url.md": COMPLETE_DESIGN},
        NO_GLOSSARY,
        theme=theme,
        use_directory_urls=dir_urls,
        strict=True,
    )
    assert site.error is None, site.warnings
    article = site.content("designs/url.md")
    panel = article.select_one(".sysdesign-checklist")
    assert panel is not None and panel.name in ("aside", "nav") and panel.get("aria-label")
    steps = panel.select("[data-step]")
    assert [s["data-step"] for s in steps] == StepRegistry.default().ids
    assert {s["data-state"] for s in steps} == {"complete"}
    items = panel.select("[data-item]")
    assert len(items) == 20 and {i["data-done"] for i in items} == {"true"}
    # Marks are characters on the page, not escaped character references.
    assert {i.select_one("span[aria-hidden]").get_text() for i in items} == {"\u2713"}
    assert {s.select_one(".sysdesign-step__icon").get_text() for s in steps} == {"\u2713"}
    # Each step links to its section, and the section's id exists on the page.
    for step in steps:
        href = step.select_one("a")["href"]
        assert href.startswith("#")
        assert article.select_one(f'[id="{href[1:]}"]') is not None
    assert "Progress" in panel.get_text() and "100%" in panel.get_text()
    # States are written as text, not colour only.
    assert "Complete" in steps[0].get_text()
    meta = article.select_one(".sysdesign-meta")
    badge = meta.select_one(".sysdesign-status")
    assert badge["data-status"] == "approved" and badge.get_text(strip=True) == "Approved"
    assert "alice, bob" in meta.get_text() and "carol" in meta.get_text()
    assert "2026-11-02" in meta.get_text()


def test_items_not_done_have_the_open_mark(make_site) -> None:
    site = make_site(
        {"designs/d.md": "---\ndesign: {status: draft}\n---\n# D\n\n## Requirements\n\nText.\n"},
        NO_GLOSSARY,
        theme="mkdocs",
    )
    panel = site.content("designs/d.md").select_one(".sysdesign-checklist")
    marks = {
        item["data-done"]: item.select_one("span[aria-hidden]").get_text()
        for item in panel.select("[data-item]")
    }
    assert marks == {"false": "\u25cb"}
    icons = {
        s["data-state"]: s.select_one(".sysdesign-step__icon").get_text()
        for s in panel.select("[data-step]")
    }
    assert icons == {"partial": "\u25d0", "missing": "\u2717"}


PARTIAL_DESIGN = """\
---
design: {status: draft}
---
# Feed

## Requirements
- [x] Functional requirements
- [ ] Non-functional requirements

## Deep Dives
- [x] Latency: a CDN and caching in front of the feed service
- [ ] Fault tolerance
- [ ] Sharding by user id
"""


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_panel_folds_under_a_summary_with_the_progress(make_site, theme: str) -> None:
    site = make_site(
        {"designs/url.md": COMPLETE_DESIGN, "designs/feed.md": PARTIAL_DESIGN},
        NO_GLOSSARY,
        theme=theme,
        strict=True,
    )
    assert site.error is None, site.warnings
    for path, complete in (("designs/url.md", True), ("designs/feed.md", False)):
        panel = site.content(path).select_one(".sysdesign-checklist")
        assert panel["data-complete"] == str(complete).lower()
        details = panel.find("details", recursive=False)
        assert details is not None, "the panel cannot be folded"
        # Open while a step is incomplete; folded once every step is complete.
        assert details.has_attr("open") is not complete
        summary = details.find("summary", recursive=False)
        assert summary is details.find(True), "the summary is not the first child"
        # Folded, the summary line still shows title, progress and its bar.
        progress = summary.select_one(".sysdesign-progress")
        assert progress is not None and summary.select_one("progress") is not None
        shown = "100%" if complete else f"{progress['data-progress']}%"
        assert "Design steps" in summary.get_text() and shown in progress.get_text()
        # The HTML contract: steps and items under the panel, outside the summary.
        assert len(details.select("[data-step]")) == 6 and not summary.select("[data-step]")
        assert len(panel.select("[data-item]")) == 20


def test_task_items_naming_checklist_items_are_not_glossary_links(make_site) -> None:
    site = make_site({"designs/feed.md": PARTIAL_DESIGN}, strict=True)
    assert site.error is None, site.warnings
    article = site.content("designs/feed.md")
    items = {li.get_text(" ", strip=True): li for li in article.select("li.task-list-item")}
    for text in ("Functional requirements", "Non-functional requirements", "Fault tolerance"):
        label = items[text].select_one(".sysdesign-item-label")
        assert label is not None and label.get_text() == text
        assert items[text].select_one("a.sysdesign-term") is None, text
    # The label is the checklist item; the author's note after it is prose and is linked.
    latency = items["Latency : a CDN and caching in front of the feed service"]
    assert latency.select_one(".sysdesign-item-label").get_text() == "Latency"
    assert [a["data-term"] for a in latency.select("a.sysdesign-term")] == ["cdn", "caching"]
    # A task item that names no checklist item is prose as well.
    other = items["Sharding by user id"]
    assert other.select_one(".sysdesign-item-label") is None
    assert other.select_one("a.sysdesign-term")["data-term"] == "sharding"
    # Nothing in the panel is a glossary link.
    assert article.select(".sysdesign-checklist a.sysdesign-term") == []


def test_panel_sits_under_the_title(make_site) -> None:
    site = make_site({"designs/url.md": COMPLETE_DESIGN}, NO_GLOSSARY, theme="mkdocs")
    article = site.content("designs/url.md")
    h1 = article.find("h1")
    following = [el for el in h1.find_next_siblings() if el.name][:2]
    assert [el.get("class")[0] for el in following] == ["sysdesign-meta", "sysdesign-checklist"]


REVIEWED_DESIGN = COMPLETE_DESIGN.replace(
    "  reviewers: [carol]\n", "  reviewers: [carol]\n  review: {problem-solving: 4}\n"
)


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_panel_and_scorecard_stay_out_of_the_search_index(make_site, theme: str) -> None:
    config = {"plugins": ["search", *NO_GLOSSARY["plugins"]]}
    site = make_site({"designs/url.md": REVIEWED_DESIGN}, config, theme=theme, strict=True)
    assert site.error is None, site.warnings
    raw = site.output_path("designs/url.md").read_text(encoding="utf-8")
    assert "sysdesign-panel" not in raw
    article = site.content("designs/url.md")
    assert article.select_one(".sysdesign-checklist [data-step]") is not None
    assert article.select_one(".sysdesign-review-details .sysdesign-review") is not None
    text = site.search_text("designs/url.md")
    assert "Shard by code" in text and "alice, bob" in text  # the page and its metadata line
    assert "Progress" not in text and "Average" not in text and "Complete" not in text


def test_the_extension_alone_renders_the_panel_in_place() -> None:
    collected = collect(
        [SourceFile("designs/url.md", REVIEWED_DESIGN)],
        Options(registry=StepRegistry.default(), statuses=DEFAULT_STATUSES),
    )
    design = collected.handbook.designs["designs/url.md"]
    body = REVIEWED_DESIGN.split("---\n", 2)[2]
    extension = SysdesignExtension(
        SiteContext(registry=StepRegistry.default()), PageInfo(design=design)
    )
    html = markdown.Markdown(extensions=["toc", extension]).convert(body)
    soup = BeautifulSoup(html, "html.parser")
    panel = soup.select_one("aside.sysdesign-checklist")
    assert panel is not None and panel["data-search-exclude"] == "true"
    assert [el["class"][0] for el in soup.find("h1").find_next_siblings()[:3]] == [
        "sysdesign-meta",
        "sysdesign-checklist",
        "sysdesign-review-details",
    ]
    assert "sysdesign-panel" not in html


def test_missing_step_says_what_to_add(make_site) -> None:
    site = make_site({"designs/a.md": "# A\n\n## Requirements\n\nText.\n"}, NO_GLOSSARY)
    api = site.content("designs/a.md").select_one('[data-step="api"]')
    assert api["data-state"] == "missing"
    assert "## API or Interface" in api.get_text()


def test_which_pages_are_designs(make_site) -> None:
    site = make_site(
        {
            "designs/index.md": "# All designs\n",
            "designs/a.md": "# A\n\n## Requirements\n",
            "elsewhere.md": "---\ndesign:\n  status: draft\n---\n# Else\n\n## API\n",
            "plain.md": "# Plain\n\n## Requirements\n",
        },
        NO_GLOSSARY,
    )
    has_panel = {
        src: site.content(src).select_one(".sysdesign-checklist") is not None
        for src in ("designs/index.md", "designs/a.md", "elsewhere.md", "plain.md")
    }
    assert has_panel == {
        "designs/index.md": False,
        "designs/a.md": True,
        "elsewhere.md": True,
        "plain.md": False,
    }


def test_designs_dir_option(make_site) -> None:
    site = make_site(
        {"rfcs/a.md": "# A\n\n## Requirements\n", "designs/b.md": "# B\n"},
        {"plugins": [{"sysdesign": {"designs_dir": "rfcs", "builtin_glossary": False}}]},
    )
    assert site.content("rfcs/a.md").select_one(".sysdesign-checklist") is not None
    assert site.content("designs/b.md").select_one(".sysdesign-checklist") is None


BAD_FRONT_MATTER = """\
---
title: Bad
design:
  status: aproved
  owners: 42
  reviwers: [bob]
  created: '2026-13-01'
  review:
    communication: 7
    clarity: 3
  supersedes: designs/nope.md
  related: [designs/ok.md, designs/missing.md]
  extra:
    jira: ABC-1
---
# Bad

## Requirements
"""


def test_front_matter_warnings_name_file_and_line(make_site) -> None:
    site = make_site(
        {"designs/bad.md": BAD_FRONT_MATTER, "designs/ok.md": "# Ok\n\n## API\n"}, NO_GLOSSARY
    )
    messages = site.messages
    expected = [
        "docs/designs/bad.md:4: design.status: 'aproved' is not one of draft, in-review, "
        "approved, implemented, deprecated, superseded (did you mean 'approved'?)",
        "docs/designs/bad.md:5: design.owners: expected a list of names, got the number 42",
        "docs/designs/bad.md:6: design.reviwers: unknown key (did you mean 'reviewers'?)",
        "docs/designs/bad.md:7: design.created: '2026-13-01' is not a date; expected YYYY-MM-DD",
        "docs/designs/bad.md:9: design.review.communication: 7 is not a score; expected a whole "
        "number from 1 to 5",
        "docs/designs/bad.md:10: design.review.clarity: unknown criterion",
        "docs/designs/bad.md:11: design.supersedes: 'designs/nope.md' is not a page of this site",
        "docs/designs/bad.md:12: design.related: 'designs/missing.md' is not a page of this site",
    ]
    for start in expected:
        assert any(m.split(": ", 1)[1].startswith(start) for m in messages), (start, messages)
    # design.extra is never warned about, and the page still builds with its text.
    assert not any(
        "jira" in m or m.split(": ", 1)[1].startswith("docs/designs/bad.md:13") for m in messages
    )
    assert site.content("designs/bad.md").select_one(".sysdesign-checklist") is not None


def test_strict_build_fails_on_a_front_matter_warning(make_site) -> None:
    site = make_site({"designs/bad.md": BAD_FRONT_MATTER}, NO_GLOSSARY, strict=True)
    assert site.error is not None


def test_broken_yaml_front_matter_is_reported(make_site) -> None:
    page = "---\ntitle: Broken\ndesign:\n  status: [draft\n---\n# Broken\n\n## Requirements\n"
    site = make_site({"designs/broken.md": page}, NO_GLOSSARY)
    assert any(
        re.search(r"docs/designs/broken\.md:\d+: front matter is not valid YAML", m)
        for m in site.messages
    ), site.messages
    # MkDocs shows such front matter as text: nothing is lost.
    assert "status:" in site.content("designs/broken.md").get_text()


def test_impossible_date_is_reported_at_its_line(make_site) -> None:
    page = "---\ntitle: D\ndesign:\n  created: 2026-13-01\n---\n# D\n\n## API\n"
    site = make_site({"designs/d.md": page}, NO_GLOSSARY)
    assert any(
        "docs/designs/d.md:4: front matter cannot be read ('2026-13-01'" in m for m in site.messages
    ), site.messages


def test_front_matter_that_is_not_a_mapping(make_site) -> None:
    site = make_site({"designs/list.md": "---\n- a\n- b\n---\n# L\n"}, NO_GLOSSARY)
    assert any(
        "docs/designs/list.md:2: front matter is a list; expected a mapping" in m
        for m in site.messages
    )


def test_html_in_metadata_is_shown_as_text(make_site) -> None:
    page = (
        "---\ntitle: Evil\ndesign:\n  status: draft\n"
        "  owners: ['<script>alert(1)</script>']\n"
        "  summary: '<img src=x onerror=alert(2)>'\n"
        "  extra: {team: x}\n---\n# Evil\n"
    )
    site = make_site({"designs/evil.md": page}, NO_GLOSSARY)
    meta = site.content("designs/evil.md").select_one(".sysdesign-meta")
    assert meta.find("script") is None and meta.find("img") is None
    assert "<script>alert(1)</script>" in meta.get_text()
    assert "<img src=x onerror=alert(2)>" in meta.get_text()


def test_html_in_title_is_a_warning(make_site) -> None:
    site = make_site(
        {"designs/t.md": "---\ntitle: A <b>bold</b> title\n---\n# T\n\n## API\n"}, NO_GLOSSARY
    )
    assert any("docs/designs/t.md:2: title: contains HTML" in m for m in site.messages)


def test_statuses_are_configurable_and_case_insensitive(make_site) -> None:
    config = {
        "plugins": [
            {
                "sysdesign": {
                    "builtin_glossary": False,
                    "statuses": {"proposed": {"label": "Proposed", "colour": "#00838f"}},
                }
            }
        ]
    }
    page = "---\ndesign:\n  status: PROPOSED\n---\n# P\n\n## API\n"
    site = make_site({"designs/p.md": page}, config, strict=True)
    assert site.error is None, site.messages
    badge = site.content("designs/p.md").select_one(".sysdesign-status")
    assert badge["data-status"] == "proposed" and badge.get_text(strip=True) == "Proposed"


def test_supersedes_gives_a_superseded_by_link(make_site) -> None:
    new = "---\ndesign:\n  supersedes: old.md\n  related: [designs/other.md]\n---\n# New\n"
    site = make_site(
        {
            "designs/new.md": new,
            "designs/old.md": "# Old\n",
            "designs/other.md": "# Other\n",
        },
        NO_GLOSSARY,
        theme="mkdocs",
    )
    old_meta = site.content("designs/old.md").select_one(".sysdesign-meta")
    link = old_meta.select_one('[data-field="superseded-by"] a')
    assert link.get_text() == "New" and link["href"] == "../new/"
    new_meta = site.content("designs/new.md").select_one(".sysdesign-meta")
    assert new_meta.select_one('[data-field="supersedes"] a')["href"] == "../old/"
    assert new_meta.select_one('[data-field="related"] a').get_text() == "Other"


def test_circular_supersedes_is_a_warning(make_site) -> None:
    site = make_site(
        {
            "designs/a.md": "---\ndesign:\n  supersedes: designs/b.md\n---\n# A\n",
            "designs/b.md": "---\ndesign:\n  supersedes: designs/a.md\n---\n# B\n",
        },
        NO_GLOSSARY,
    )
    assert any("design.supersedes: circular chain" in m for m in site.messages)


def test_data_step_warning_counts_lines_from_the_top_of_the_file(make_site) -> None:
    page = '---\ntitle: D\ndesign:\n  status: draft\n---\n# D\n\n## Storage { data-step="nope" }\n'
    site = make_site({"designs/d.md": page}, NO_GLOSSARY)
    assert any(
        m.endswith(
            "docs/designs/d.md:8: data-step 'nope' is not a step; expected one of "
            "requirements, core-entities, api, data-flow, high-level-design, deep-dives, or none"
        )
        for m in site.messages
    ), site.messages


def test_design_without_step_sections_is_a_warning(make_site) -> None:
    site = make_site({"designs/e.md": "# Empty\n\nNothing yet.\n"}, NO_GLOSSARY)
    assert any(
        "docs/designs/e.md:1: design has no section for any step" in m for m in site.messages
    )


def test_labels_follow_theme_language_and_overrides(make_site) -> None:
    site = make_site(
        {"designs/a.md": "# A\n\n## Requirements\n\nText.\n"},
        {"theme": {"name": "material", "language": "de", "font": False}, **NO_GLOSSARY},
    )
    panel = site.content("designs/a.md").select_one(".sysdesign-checklist")
    assert "Fortschritt" in panel.get_text() and "Teilweise" in panel.get_text()
    config = {"plugins": [{"sysdesign": {"builtin_glossary": False, "labels": {"partial": "WIP"}}}]}
    site = make_site({"designs/a.md": "# A\n\n## Requirements\n\nText.\n"}, config)
    panel = site.content("designs/a.md").select_one(".sysdesign-checklist")
    assert "WIP" in panel.get_text()


def test_section_anchor_follows_toc_for_duplicate_headings(make_site) -> None:
    page = "# A\n\n## Notes\n\n## Requirements\n\n### Notes\n\n## API\n\n## Requirements\n"
    site = make_site({"designs/a.md": page}, NO_GLOSSARY)
    article = site.content("designs/a.md")
    href = article.select_one('[data-step="requirements"] a')["href"]
    target = article.select_one(f'[id="{href[1:]}"]')
    assert target is not None and target.name == "h2" and "Requirements" in target.get_text()


# -- the System Design Primer corpus -------------------------------------------------------

PRIMER_STEPS = {"requirements", "high-level-design", "data-flow", "deep-dives"}


def _words(element) -> Counter[str]:
    return Counter(re.findall(r"\w+", element.get_text(" ")))


def test_primer_solutions_get_their_steps_and_lose_no_text(make_site, tmp_path: Path) -> None:
    folder = require_corpora()
    pages = {
        f"designs/{p.name}": p.read_text(encoding="utf-8")
        for p in sorted(folder.glob("*.md"))
        if p.name != "ATTRIBUTION.md"
    }
    assert len(pages) == 8
    plain = make_site(pages, {"plugins": []}, theme="mkdocs")
    site = make_site(pages, NO_GLOSSARY, theme="mkdocs")
    for src in pages:
        panel = site.content(src).select_one(".sysdesign-checklist")
        found = {
            s["data-step"] for s in panel.select("[data-step]") if s["data-state"] != "missing"
        }
        assert found == PRIMER_STEPS, src
        plain_words = _words(plain.content(src))
        plugin_words = _words(site.content(src))
        lost = {w: n for w, n in plain_words.items() if plugin_words[w] < n}
        assert not lost, (src, lost)


# -- comments, snippets and other rewrites ---------------------------------------------------


def test_lines_inside_html_comments_count_for_nothing() -> None:
    page = (
        "## Data Flow\n<!--\n1. client calls API\n-->\n"
        "## Deep Dives\n<!-- - [x] Security -->\n<!--\n- [x] Latency\n## API\n-->\n"
    )
    results, _ = states(page)
    assert results["data-flow"].items["flow"] is False
    assert results["deep-dives"].items["security"] is False
    assert results["deep-dives"].items["latency"] is False
    assert results["api"].state is StepState.MISSING


def test_text_after_a_comment_on_the_same_line_counts() -> None:
    results, _ = states("## Deep Dives\n### Security\n<!-- note --> mTLS everywhere.\n")
    assert results["deep-dives"].items["security"] is True


def test_sections_from_snippets_are_seen_on_the_page(tmp_path: Path) -> None:
    from harness import build_project

    snippets = tmp_path / "snippets"
    snippets.mkdir()
    (snippets / "deep.md").write_text("## Deep Dives\n\n### Security\n\nmTLS.\n", encoding="utf-8")
    page = '# S\n\n## Requirements\n\n--8<-- "deep.md"\n'
    config = {
        "markdown_extensions": [{"pymdownx.snippets": {"base_path": [str(snippets)]}}],
        **NO_GLOSSARY,
    }
    site = build_project(tmp_path / "p", {"designs/s.md": page}, config, theme="mkdocs")
    deep = site.content("designs/s.md").select_one('[data-step="deep-dives"]')
    assert deep["data-state"] == "partial"
    assert deep.select_one('[data-item="security"]')["data-done"] == "true"


# -- headings at any level, structure, empty sections, near misses -------------------------


def test_step_nested_under_a_generic_heading_counts() -> None:
    page = (
        "# Sparse index\n\n## Design Details\n\n### API\n\n#### Routes\nGET /index.\n\n"
        "### Data model\n\n- [x] Properties\n\n## Test Plan\nUnit tests.\n"
    )
    results, problems = states(page)
    assert problems == []
    assert results["api"].state is StepState.PARTIAL
    assert results["api"].items["routes"] is True
    assert results["api"].sections[0].heading == "API"
    assert results["core-entities"].items["properties"] is True
    # "Design Details" holds only other steps' sections: no text of its own. It is not
    # an empty section either (the panel would say so): it holds the others.
    assert results["high-level-design"].state is StepState.MISSING
    assert results["high-level-design"].note == ""


def test_a_section_runs_to_the_next_heading_of_the_same_or_a_higher_level() -> None:
    page = "## Proposal\n\n### Data Flow\n1. a\n2. b\n\n### Security\nmTLS.\n## Deep Dives\nx\n"
    results, _ = states(page)
    flow = results["data-flow"]
    assert flow.state is StepState.COMPLETE
    # "### Security" closes the Data Flow section: it is not an item of Data Flow, and
    # under the "Proposal" container it starts a Deep Dives section of its own.
    deep = results["deep-dives"]
    assert [s.heading for s in deep.sections] == ["Security", "Deep Dives"]
    assert deep.items["security"] is False  # a step heading is not its own sub-heading


def test_a_nested_heading_naming_an_item_of_its_step_and_another_step_is_the_item() -> None:
    page = "## High-Level Design\n### Data storage\nPostgres.\n### Security\nTLS.\n"
    results, _ = states(page)
    assert results["high-level-design"].items["storage"] is True
    assert results["deep-dives"].state is StepState.PARTIAL  # Security is no HLD item
    page = "## Requirements\n### Security\nSOC 2.\n"
    results, _ = states(page)
    assert results["requirements"].items["non-functional"] is True
    assert results["deep-dives"].state is StepState.MISSING


@pytest.mark.parametrize(
    "body",
    [
        "",
        "<!-- write the requirements here -->",
        "TBD",
        "**TBD.**",
        "TODO: describe the goals",
        "N/A",
        "None.",
        "Not yet defined",
        "To be decided",
        "### Functional\n\n### Non-functional\n<!-- later -->",
    ],
)
def test_an_empty_or_placeholder_section_does_not_make_its_step_present(body: str) -> None:
    results, _ = states(f"# T\n\n## Requirements\n\n{body}\n\n## API\n\nREST.\n")
    result = results["requirements"]
    assert result.state is StepState.MISSING
    assert result.note == "empty" and result.note_line == 3
    assert result.sections[0].heading == "Requirements"
    assert results["api"].state is StepState.PARTIAL


def test_text_that_merely_starts_like_a_placeholder_counts() -> None:
    results, _ = states("## Requirements\n\nNone of the current tools scale; we need one.\n")
    assert results["requirements"].state is StepState.PARTIAL


STRUCTURES = {
    "mermaid sequence diagram": (
        "```mermaid\nsequenceDiagram\n  Client->>API: GET /x\n```\n",
        "data-flow",
        "sequence-diagram",
    ),
    "SQL": (
        "```sql\nCREATE TABLE urls (code text PRIMARY KEY);\n```\n",
        "core-entities",
        "sql-table",
    ),
    "protobuf message": (
        "```protobuf\nmessage Tombstone {\n  string id = 1;\n}\n```\n",
        "core-entities",
        "protobuf-message",
    ),
    "protobuf service": (
        "```proto\nservice Query {\n  rpc Run(QueryRequest) returns (QueryResponse);\n}\n"
        "message QueryRequest {\n  string q = 1;\n}\n```\n",
        "api",
        "protobuf-service",
    ),
    "go struct": (
        "```go\ntype JobSpec struct {\n  // Mode of completion.\n  Mode *string\n}\n```\n",
        "core-entities",
        "record-type",
    ),
    "go interface": (
        "```go\ntype KV interface {\n  // Put saves a value.\n  Put(key string) error\n}\n```\n",
        "api",
        "interface-type",
    ),
    "rust trait": (
        "```rust\npub trait Store {\n    fn get(&self, key: &str) -> Option<String>;\n}\n```\n",
        "api",
        "interface-type",
    ),
    "JSON Schema": (
        '```json\n{"$schema": "https://json-schema.org/draft/2020-12/schema"}\n```\n',
        "core-entities",
        "json-schema",
    ),
    "OpenAPI": (
        "```yaml\nopenapi: 3.1.0\npaths:\n  /urls:\n    post: {}\n```\n",
        "api",
        "openapi",
    ),
    "schema table": (
        "| Field | Type | Notes |\n|---|---|---|\n| code | text | key |\n",
        "core-entities",
        "schema-table",
    ),
    "route table": (
        "| Method | Endpoint |\n| --- | --- |\n| GET | `/maintenance` |\n",
        "api",
        "route-table",
    ),
    "route list": (
        "- `POST /v1/urls` creates\n- `GET /v1/urls/{code}` reads\n",
        "api",
        "route-list",
    ),
}


@pytest.mark.parametrize("name", STRUCTURES)
def test_structure_evidences_a_step_in_any_section(name: str) -> None:
    from mkdocs_sysdesign.collect import block_items

    body, step, kind = STRUCTURES[name]
    page = f"# T\n\n## Implementation notes\n\nWhat we build.\n\n{body}"
    results, _ = detect_steps(scan(page), StepRegistry.default(), block_items)
    result = results[step]
    assert result.state is not StepState.MISSING
    assert [(e.kind, e.line) for e in result.evidence] == [(kind, 7)]
    # The panel links to the heading that holds the structure.
    assert result.anchor_section is not None
    assert result.anchor_section.anchor == "implementation-notes"


def test_words_in_prose_are_no_structure() -> None:
    from mkdocs_sysdesign.collect import block_items

    page = (
        "## Notes\n\nWe send a sequence diagram later and CREATE TABLE statements too; the "
        "client calls POST /v1/urls.\n\n```text\nmessage Foo {\n```\n"
        "| Name | Description |\n|---|---|\n| a | b |\n"
    )
    results, _ = detect_steps(scan(page), StepRegistry.default(), block_items)
    assert all(r.state is StepState.MISSING for r in results.values())


def test_call_messages_of_protobuf_are_not_entities() -> None:
    page = "## Notes\n\ntext\n\n```protobuf\nmessage QueryRequest {\n  string q = 1;\n}\n```\n"
    results, _ = states(page)
    assert results["core-entities"].state is StepState.MISSING


@pytest.mark.parametrize(
    ("heading", "suggestion"),
    [
        ("## High Level Desing", "High-Level Design"),
        ("## Core Entites", "Core Entities"),
        ("## Requirments", "Requirements"),
        ("## Deep Dvies", "Deep Dives"),
    ],
)
def test_a_near_miss_heading_warns_with_a_suggestion(heading: str, suggestion: str) -> None:
    results, problems = states(f"# T\n\n{heading}\n\nText.\n")
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (3, f"heading '{heading[3:]}' is not a step or item")
    ]
    assert f"did you mean '{suggestion}'?" in problems[0].message
    assert 'data-step="none"' in problems[0].message
    assert all(r.state is StepState.MISSING for r in results.values())


def test_item_near_misses_are_suggested_inside_their_step_only() -> None:
    _, problems = states("## Deep Dives\n### Latancy\nFast.\n")
    assert len(problems) == 1 and "did you mean 'Latency'?" in problems[0].message
    _, problems = states("## API\n### Protocl\nHTTP.\n")
    assert len(problems) == 1 and "did you mean 'Protocol'?" in problems[0].message
    _, problems = states("## Notes\n### Protocl\nHTTP.\n")
    assert problems == []


@pytest.mark.parametrize(
    "heading",
    ["## Summary", "## Motivation", "## Test Plan", "## Goals", "## Appendix", "## FAQ", "## Go"],
)
def test_ordinary_headings_do_not_warn(heading: str) -> None:
    _, problems = states(f"{heading}\n\nText.\n")
    assert problems == []


def test_data_step_none_rules_a_heading_out() -> None:
    page = (
        '## High Level Desing { data-step="none" }\n\nNot our design.\n\n'
        '## API { data-step="none" }\nx\n'
    )
    results, problems = states(page)
    assert problems == []
    assert results["api"].state is StepState.MISSING
    assert results["high-level-design"].state is StepState.MISSING


def test_near_miss_fails_a_strict_build_with_file_and_line(make_site) -> None:
    page = (
        "---\ndesign:\n  status: draft\n---\n# Feed\n\n## Requirements\nUsers.\n\n"
        "## Core Entites\nPost.\n"
    )
    site = make_site({"designs/feed.md": page}, NO_GLOSSARY)
    assert [m.split(": ", 1)[1] for m in site.messages if "Core Entites" in m] == [
        "docs/designs/feed.md:10: heading 'Core Entites' is not a step or item; did you mean "
        "'Core Entities'? Expected a step or item name, or { data-step=\"none\" } on a heading "
        "that is meant as neither"
    ]
    panel = site.content("designs/feed.md").select_one(".sysdesign-checklist")
    assert panel.select_one('[data-step="core-entities"]')["data-state"] == "missing"


def test_the_panel_says_a_section_is_empty_and_links_to_it(make_site) -> None:
    page = "# Feed\n\n## Requirements\n\nTBD\n\n## API\n\nREST.\n"
    site = make_site({"designs/feed.md": page}, NO_GLOSSARY)
    step = site.content("designs/feed.md").select_one('[data-step="requirements"]')
    assert step["data-state"] == "missing"
    assert step.select_one("a")["href"] == "#requirements"
    assert "The section is empty." in step.get_text()
    assert "Add a section" not in step.get_text()


def test_the_panel_links_a_step_to_its_first_evidence(make_site) -> None:
    page = (
        "# Feed\n\n## How it works\n\n```mermaid\nsequenceDiagram\n  A->>B: hi\n```\n\n"
        "## Data Flow\n\n1. a\n2. b\n"
    )
    site = make_site({"designs/feed.md": page}, NO_GLOSSARY)
    step = site.content("designs/feed.md").select_one('[data-step="data-flow"]')
    assert step["data-state"] == "complete"
    assert step.select_one("a")["href"] == "#how-it-works"


def test_numbered_headings_are_read_in_linear_time_and_mapped() -> None:
    registry = StepRegistry.default()
    step = registry.match_heading("1. 1. 1. 1. " * 2000 + "Requirements")
    assert step is not None and step.id == "requirements"


def test_a_quoted_brace_in_data_step_is_read_as_attr_list_reads_it() -> None:
    results, problems = states('# T\n\n## Requirements {data-step="x}y"}\n\nText.\n')
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (3, "data-step 'x}y' is not a step")
    ]
    assert results["requirements"].state is StepState.MISSING


def test_an_attribute_list_attr_list_leaves_alone_stays_heading_text() -> None:
    page = scan("## Storage{#x}\n\n## Cache {x} and y\n")
    assert [(h.text, h.attrs) for h in page.headings] == [
        ("Storage{#x}", {}),
        ("Cache {x} and y", {}),
    ]


@pytest.mark.parametrize(
    ("line", "text"),
    [("## Title ##", "Title"), ("## Title#", "Title"), ("## a ## b", "a ## b"), ("##", "")],
)
def test_closing_hashes_of_a_heading_are_dropped_as_python_markdown_does(
    line: str, text: str
) -> None:
    assert [h.text for h in scan(line).headings] == [text]
    html = markdown.markdown(line)
    assert html == (f"<h2>{text}</h2>" if text else "<h2></h2>")


def test_long_runs_in_a_heading_are_read_whole() -> None:
    """Runs of "[", "<" and spaces used to be read in time growing with their square."""
    for line in ("## " + "[" * 20000, "## " + "<" * 20000 + "x", "## a" + " " * 5000 + "b"):
        (heading,) = scan(line).headings
        assert heading.plain.replace(" ", "") == line[3:].replace(" ", "")


# -- rules read from real design documents (issue 22, second round) ---------------------

MORE_STRUCTURES = {
    "Kubernetes custom resource": (
        "```yaml\napiVersion: multicluster.k8s.io/v1alpha1\nkind: ServiceExport\n"
        "metadata:\n  name: my-svc\n```\n",
        "api",
        "resource-manifest",
    ),
    "request line behind a comment": (
        '```json\n# POST /api/v1/classify\n{"type": "project", "value": 1000}\n```\n',
        "api",
        "http-request",
    ),
    "request line with its HTTP version": (
        "```\nGET /v1/heatmaps?type=read HTTP/1.1\nHost: pd\n```\n",
        "api",
        "http-request",
    ),
    "JSON object with fields": (
        '```json\n{\n  "matchers": "up",\n  "minTime": 0,\n  "maxTime": 9,\n'
        '  "author": "jo"\n}\n```\n',
        "core-entities",
        "json-document",
    ),
    "unlabelled JSON object": (
        '```\n{\n    "type": "task",\n    "id": "t1",\n    "start": 1712676600,\n}\n```\n',
        "core-entities",
        "json-document",
    ),
    "TypeScript type": (
        "```typescript\nexport type HeatmapData = {\n  timeAxis: number[]\n"
        "  values: number[][]\n}\n```\n",
        "core-entities",
        "record-type",
    ),
    "TypeScript interface of properties": (
        "```ts\ninterface Entry {\n  // The key.\n  key: string;\n  revision?: number;\n}\n```\n",
        "core-entities",
        "record-type",
    ),
    "Kotlin data class": (
        "```kotlin\ndata class Url(val code: String, val target: String)\n```\n",
        "core-entities",
        "record-type",
    ),
    "Java record": (
        "```java\npublic record Url(String code, String target) {}\n```\n",
        "core-entities",
        "record-type",
    ),
    "Java class with fields": (
        "```java\npublic class Url {\n    private final String code;\n}\n```\n",
        "core-entities",
        "record-type",
    ),
    "C# type with properties": (
        "```csharp\npublic class Url\n{\n    public string Code { get; set; }\n}\n```\n",
        "core-entities",
        "record-type",
    ),
    "Python dataclass": (
        "```python\n@dataclass\nclass Url:\n    code: str\n    target: str\n```\n",
        "core-entities",
        "record-type",
    ),
    "pydantic model": (
        "```python\nclass Url(BaseModel):\n    code: str\n```\n",
        "core-entities",
        "record-type",
    ),
    "Mermaid ER diagram": (
        "```mermaid\nerDiagram\n  USER ||--o{ URL : owns\n  URL {\n    string code\n  }\n```\n",
        "core-entities",
        "er-diagram",
    ),
    "Mermaid class diagram": (
        "```mermaid\nclassDiagram\n  class Repository {\n    +int id\n  }\n```\n",
        "core-entities",
        "class-diagram",
    ),
    "PlantUML sequence diagram": (
        "```plantuml\n@startuml\nClient -> Router : GET /x\n"
        "Router --> Client : 200\n@enduml\n```\n",
        "data-flow",
        "sequence-diagram",
    ),
    "PlantUML entities": (
        "```\n@startuml\nentity Url {\n  * code : text\n}\n@enduml\n```\n",
        "core-entities",
        "er-diagram",
    ),
    "Rust trait with async methods": (
        "```rust\npub trait SinkCommitCoordinator {\n"
        "    async fn commit(&mut self, epoch: u64) -> Result<()>;\n}\n```\n",
        "api",
        "interface-type",
    ),
    "Kotlin interface with suspend functions": (
        "```kotlin\ninterface UrlStore {\n    suspend fun find(code: String): Url?\n}\n```\n",
        "api",
        "interface-type",
    ),
    "unlabelled Go struct": (
        '```\ntype LeaseSpec struct {\n    HolderIdentity *string `json:"holderIdentity"`\n'
        "    RenewTime *metav1.MicroTime\n}\n```\n",
        "core-entities",
        "record-type",
    ),
    "labelled endpoint path": (
        "URL:  `/pd/apis/keyvisual/v1/heatmaps?`\n",
        "api",
        "route-label",
    ),
    "labelled route with its method": (
        "- **Endpoint:** `POST /v1/urls`\n",
        "api",
        "route-label",
    ),
}


@pytest.mark.parametrize("name", MORE_STRUCTURES)
def test_more_structures_evidence_a_step_in_any_section(name: str) -> None:
    from mkdocs_sysdesign.collect import block_items

    body, step, kind = MORE_STRUCTURES[name]
    page = f"# T\n\n## Implementation notes\n\nWhat we build.\n\n{body}"
    results, _ = detect_steps(scan(page), StepRegistry.default(), block_items)
    result = results[step]
    assert [(e.kind, e.line) for e in result.evidence] == [(kind, 7)]
    assert result.anchor_section is not None
    assert result.anchor_section.anchor == "implementation-notes"
    others = [s for s, r in results.items() if s != step and r.state is not StepState.MISSING]
    assert others == []


LOOKALIKES = {
    "a manifest of Kubernetes' own kind": "```yaml\napiVersion: apps/v1\nkind: Deployment\n```\n",
    "YAML configuration": "```yaml\nname: my_limit\nactors: user\nlimits:\n  hard: 5\n```\n",
    # A curl command may call any service (the primer's solutions show theirs in Data Flow).
    "a curl command": "```bash\ncurl -X PUT https://pd.example/maintenance/tikv/1\n```\n",
    "a route in a JSON string": '```json\n{"note": "then POST /v1/urls", "a": 1}\n```\n',
    "a JSON object after a curl command": (
        "```\n$ curl https://x.example/api/v1/popular?id=1\n```\n\nResponse:\n\n"
        '```\n{\n    "id": "100",\n    "category_id": "1234",\n    "total": "2"\n}\n```\n'
    ),
    "JSON with two fields": '```json\n{\n  "ok": true,\n  "count": 2\n}\n```\n',
    "a JSON array": '```json\n[\n  {"hashring": "a", "tenants": [], "endpoints": []}\n]\n```\n',
    "a TypeScript union type": '```ts\nexport type Mode = "read" | "write"\n```\n',
    "a plain Python class": "```python\nclass Url:\n    def code(self): ...\n```\n",
    "a Mermaid flowchart": "```mermaid\nflowchart TD\n  A --> B\n```\n",
    "PlantUML components": "```plantuml\n@startuml\n[Router] --> [Cells]\n@enduml\n```\n",
    "a path that is no route": "Path: `src/main.go`\n",
    "a link labelled URL": "URL: https://example.com/docs\n",
    # Only Go writes `type X struct`: other structs in an unlabelled block may be C.
    "an unlabelled C struct": "```\nstruct point {\n    int x;\n    int y;\n};\n```\n",
    "a Rust trait of constants": "```rust\npub trait Limits {\n    const MAX: u32;\n}\n```\n",
}


def test_a_go_struct_embedding_type_meta_is_a_kubernetes_api_type() -> None:
    from mkdocs_sysdesign.collect import block_items

    lease = (
        '```go\ntype Lease struct {\n    metav1.TypeMeta `json:",inline"`\n'
        '    metav1.ObjectMeta `json:"metadata,omitempty"`\n\n'
        '    Spec LeaseSpec `json:"spec,omitempty"`\n}\n```\n'
    )
    page = f"# T\n\n## Proposal\n\nA new kind.\n\n{lease}"
    results, _ = detect_steps(scan(page), StepRegistry.default(), block_items)
    assert [(e.kind, e.line) for e in results["api"].evidence] == [("api-type", 7)]
    # Its fields after the embedded types describe the resource as well.
    assert [(e.kind, e.line) for e in results["core-entities"].evidence] == [("record-type", 7)]
    # A field that is only named TypeMeta does not make a struct an API kind.
    config = "```go\ntype Config struct {\n    Name string\n    TypeMeta string\n}\n```\n"
    results, _ = detect_steps(
        scan(f"# T\n\n## Notes\n\nText.\n\n{config}"), StepRegistry.default(), block_items
    )
    assert results["api"].state is StepState.MISSING
    assert results["core-entities"].state is not StepState.MISSING


@pytest.mark.parametrize("name", LOOKALIKES)
def test_lookalikes_of_the_structures_evidence_nothing(name: str) -> None:
    from mkdocs_sysdesign.collect import block_items

    page = f"# T\n\n## Implementation notes\n\nWhat we build.\n\n{LOOKALIKES[name]}"
    results, _ = detect_steps(scan(page), StepRegistry.default(), block_items)
    assert all(r.state is StepState.MISSING for r in results.values())


def test_a_json_object_in_an_api_section_is_a_body_not_an_entity() -> None:
    from mkdocs_sysdesign.collect import block_items

    body = '```json\n{"id": 1, "url": "https://x", "created": "2026-01-01"}\n```\n'
    page = f"# T\n\n## API\n\n### Create\n\nReturns:\n\n{body}"
    results, _ = detect_steps(scan(page), StepRegistry.default(), block_items)
    assert results["core-entities"].state is StepState.MISSING
    assert [e.kind for e in results["api"].evidence] == ["heading"]


def test_a_json_request_example_is_the_api_not_an_entity() -> None:
    from mkdocs_sysdesign.collect import block_items

    body = '```json5\n// POST https://example.com/webhook/\n{"id": 1, "type": "a", "at": 2}\n```\n'
    results, _ = detect_steps(scan(f"## Notes\n\nx\n\n{body}"), StepRegistry.default(), block_items)
    assert [e.kind for e in results["api"].evidence] == ["http-request"]
    assert results["core-entities"].state is StepState.MISSING


@pytest.mark.parametrize(
    ("heading", "step"),
    [
        ("API to expose limits and policies", "api"),
        ("Scalability of the index", "deep-dives"),
        ("Data model for notifications", "core-entities"),
        ("Architecture of the indexer", "high-level-design"),
        ("Storage Backends", "high-level-design"),
        ("Blob storage", "high-level-design"),
        ("Persistence layer", "high-level-design"),
        ("Constraints and Conflict Resolution", "deep-dives"),
        ("Errors", "api"),
        ("Error codes", "api"),
        ("Risks", "deep-dives"),
        ("Risks and Technical Debts", "deep-dives"),
        ("Cross-cutting Concepts", "deep-dives"),
        ("Deployment View", "high-level-design"),
        ("Container diagram", "high-level-design"),
        ("Design", "high-level-design"),
    ],
)
def test_headings_of_templates_and_real_documents_name_their_step(heading: str, step: str) -> None:
    found = StepRegistry.default().match_heading(heading)
    assert found is not None and found.id == step


@pytest.mark.parametrize(
    "heading",
    [
        "Framework to define and enforce limits",  # no step name before "to"
        "ObjectReference in ServiceExport.Spec to directly map to a Service",
        "Overview of OpenID Connect",
        "How",  # Thanos' "How" holds the proposal, but also an API alone (grpc-query-api)
        "Implementation",  # an ADR's "Implementation" is the change itself
        "Drawbacks",
        "Webhook callers",
    ],
)
def test_lookalike_headings_name_no_step(heading: str) -> None:
    assert StepRegistry.default().match_heading(heading) is None


def test_a_leading_name_is_a_topic_inside_requirements_and_deep_dives() -> None:
    page = "## Requirements\n### Security of tokens\nSOC 2.\n## Deep Dives\n### API to clients\nx\n"
    results, _ = states(page)
    assert results["deep-dives"].sections[0].heading == "Deep Dives"
    assert results["api"].state is StepState.MISSING


def test_errors_inside_the_api_are_its_returns_and_error_handling_is_a_deep_dive() -> None:
    results, _ = states("## API\n### Errors\n404 when unknown.\n## Error handling\nRetries.\n")
    assert results["api"].items["returns"] is True
    assert [s.heading for s in results["api"].sections] == ["API"]
    assert results["deep-dives"].items["fault-tolerance"] is False
    assert [s.heading for s in results["deep-dives"].sections] == ["Error handling"]


def test_conflict_resolution_inside_deep_dives_is_consistency() -> None:
    results, _ = states("## Deep Dives\n### Conflict resolution\nLast writer wins.\n")
    assert results["deep-dives"].items["consistency"] is True


def test_a_json_object_in_a_data_flow_is_a_message_not_an_entity() -> None:
    body = '```json\n{"event": "push", "project": 7, "sha": "abc"}\n```\n'
    results, _ = states(f"## Request flows\n\nThe router forwards:\n\n{body}")
    assert results["core-entities"].state is StepState.MISSING


def test_evidence_names_the_diagram_language() -> None:
    mermaid = "```mermaid\nsequenceDiagram\n  A->>B: x\n```\n"
    plantuml = "```plantuml\n@startuml\nA -> B : x\n@enduml\n```\n"
    results, _ = states(f"## Notes\n\nx\n\n{mermaid}\n{plantuml}")
    texts = [e.text for e in results["data-flow"].evidence]
    assert texts == ["Mermaid sequence diagram", "PlantUML sequence diagram"]
