"""The same handbook on MkDocs' own theme: no Material, no JavaScript diagrams, still usable."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from browsing import Handbook, broken_links, report

if TYPE_CHECKING:
    from conftest import OpenPage


@pytest.mark.parametrize("name", ["home", "design", "term", "glossary"])
def test_page_loads_cleanly_and_its_links_work(
    mkdocs_theme_site: Handbook, open_page: OpenPage, name: str
) -> None:
    page, log = open_page()
    page.goto(mkdocs_theme_site.url(mkdocs_theme_site.key.named()[name]))
    page.wait_for_load_state("load")
    assert page.locator(".md-content, .md-header").count() == 0, "this is not the MkDocs theme"
    broken = broken_links(page)
    assert not broken, report(broken)
    assert not log.problems(), report(log.problems())


def test_dataflow_steps_show_without_mermaid(
    mkdocs_theme_site: Handbook, open_page: OpenPage
) -> None:
    page, log = open_page()
    page.goto(mkdocs_theme_site.url(mkdocs_theme_site.key.design))
    steps = page.locator("ol.sysdesign-dataflow__steps").first
    steps.wait_for(state="visible")
    items = steps.locator("li")
    assert items.count() >= 2
    first = items.first
    text = first.inner_text()
    for side in ("data-source", "data-target"):
        assert (first.get_attribute(side) or "?") in text, f"{side} not shown in {text!r}"
    box = steps.bounding_box()
    assert box and box["height"] > 20
    # No script draws the diagram here: its Mermaid source must not show as text.
    source = page.locator(".sysdesign-dataflow pre.mermaid")
    assert source.count() >= 1 and source.first.is_hidden()
    assert "sequenceDiagram" not in page.locator("body").inner_text()
    assert not any(url.endswith("/mermaid.min.js") for url in log.requests)
    assert not log.problems(), report(log.problems())


def test_glossary_link_carries_its_summary_and_leads_to_the_term(
    mkdocs_theme_site: Handbook, open_page: OpenPage
) -> None:
    page, log = open_page()
    page.goto(mkdocs_theme_site.url(mkdocs_theme_site.key.design))
    link = page.locator("a.sysdesign-term").first
    assert link.get_attribute("title"), "no plain title tooltip on the MkDocs theme"
    term = link.get_attribute("data-term")
    link.click()
    page.wait_for_url(f"**/glossary/{term}/")
    assert page.locator("h1").first.inner_text().strip()
    assert not log.problems(), report(log.problems())


def test_auto_built_table_sorts_on_the_mkdocs_theme(
    mkdocs_theme_site: Handbook, open_page: OpenPage
) -> None:
    page, log = open_page()
    page.goto(mkdocs_theme_site.url(mkdocs_theme_site.key.table))
    header = page.locator(".sysdesign-table table thead th").first
    before = header.get_attribute("aria-sort")
    header.locator("button.sysdesign-sort").click()
    assert header.get_attribute("aria-sort") == (
        "descending" if before == "ascending" else "ascending"
    )
    assert not log.problems(), report(log.problems())
