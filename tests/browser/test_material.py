"""The handbook on Material, in chromium: tooltips, instant navigation, search, diagrams."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from browsing import (
    Handbook,
    click_instantly,
    diagrams_drawn,
    in_viewport,
    nav_link,
    report,
    show_tooltip,
    site_links,
    unfold_checklist,
    unreachable,
    wait_for_diagrams,
)
from mkdocs.utils.yaml import yaml_load

if TYPE_CHECKING:
    from conftest import OpenPage
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]


def check_tooltip(page: Page) -> None:
    """Hovering the first glossary link of the article shows its summary as a tooltip."""
    link = page.locator("article a.sysdesign-term").first
    summary = link.get_attribute("title")
    assert summary, "a glossary link without a summary in its title"
    tooltip = show_tooltip(page, link)
    assert tooltip.get_attribute("role") == "tooltip"
    assert tooltip.inner_text().strip() == summary
    # Material moves the title into its tooltip, so the browser's own one does not double it.
    assert link.get_attribute("title") is None


def check_checklist_scrolls(page: Page) -> None:
    """The last step link of the checklist panel brings its section's heading on screen.

    A complete design's panel starts folded: the reader unfolds it first.
    """
    unfold_checklist(page)
    links = page.locator(".sysdesign-checklist a.sysdesign-step__title")
    assert links.count() >= 6, "the checklist panel lists fewer than six steps"
    link = links.last
    # Material rewrites links to absolute URLs; the target must stay on this page.
    href = link.evaluate("a => a.href")
    assert href.split("#")[0] == page.url.split("#")[0], f"a checklist link off the page: {href}"
    anchor = "#" + href.split("#", 1)[1]
    heading = f"[id='{anchor[1:]}']"
    assert page.locator(heading).count() == 1, f"the checklist links to {anchor}, not on the page"
    assert not in_viewport(page, heading), f"{anchor} is on screen before the click"
    link.click()
    page.wait_for_function(
        """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                    return r.top >= 0 && r.top < window.innerHeight; }""",
        arg=heading,
    )
    assert page.evaluate("() => location.hash") == anchor


def check_table_sorts(page: Page) -> None:
    """Clicking a column header of an auto-built table sorts its rows both ways."""
    table = page.locator(".sysdesign-table table").first
    button = table.locator("thead th button.sysdesign-sort").first
    header = table.locator("thead th").first
    button.wait_for()
    cells = table.locator("tbody tr > :first-child")

    def column() -> list[str]:
        return [text.strip() for text in cells.all_inner_texts()]

    in_order = """([values, direction]) => values.every((v, i) => i === 0 ||
        direction * values[i - 1].localeCompare(v, undefined,
                                                {numeric: true, sensitivity: 'base'}) <= 0)"""
    orders: dict[str, list[str]] = {}
    for _ in range(2):
        # The first click sorts ascending, unless the table was already sorted that way.
        before = header.get_attribute("aria-sort")
        button.click()
        state = header.get_attribute("aria-sort")
        assert state == ("descending" if before == "ascending" else "ascending")
        values = column()
        direction = 1 if state == "ascending" else -1
        assert page.evaluate(in_order, [values, direction]), f"not {state}: {values}"
        orders[state] = values
    assert sorted(orders["ascending"]) == sorted(orders["descending"])
    if len(set(orders["ascending"])) > 1:
        assert orders["ascending"] != orders["descending"]


def check_diagrams_drawn(page: Page) -> None:
    """Every Mermaid block became an <svg> (``pre.mermaid`` is replaced by a drawing)."""
    wait_for_diagrams(page)
    svg = page.locator(".sysdesign-dataflow .mermaid svg").first
    svg.wait_for(state="visible")
    box = svg.bounding_box()
    assert box and box["width"] > 100 and box["height"] > 50, f"a diagram of size {box}"


def test_glossary_link_shows_its_summary_as_a_tooltip(
    material_site: Handbook, open_page: OpenPage
) -> None:
    page, log = open_page()
    page.goto(material_site.url(material_site.key.design))
    check_tooltip(page)
    assert not log.problems(), report(log.problems())


def test_checklist_links_scroll_to_their_sections(
    material_site: Handbook, open_page: OpenPage
) -> None:
    page, log = open_page()
    page.goto(material_site.url(material_site.key.design))
    check_checklist_scrolls(page)
    assert not log.problems(), report(log.problems())


def test_mkdocs_yml_sets_the_site_url_instant_navigation_needs() -> None:
    """Material follows only pages listed in sitemap.xml, which is empty without a site_url.

    The other tests build with a site_url (any deployment has one); this one checks that
    the handbook's own configuration does not silently turn instant navigation off.
    """
    config = yaml_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    features = (config.get("theme") or {}).get("features") or []
    if "navigation.instant" in features:
        assert config.get("site_url"), (
            "mkdocs.yml turns on navigation.instant but sets no site_url: Material then "
            "finds no page in sitemap.xml and reloads every page instead"
        )


def test_features_work_after_instant_navigation(
    material_site: Handbook, open_page: OpenPage
) -> None:
    """Material swaps pages without reloading scripts: the plugin's features must follow."""
    key = material_site.key
    page, log = open_page()
    page.goto(material_site.url(key.home))
    click_instantly(page, nav_link(page, material_site.url(key.table)))
    check_table_sorts(page)
    click_instantly(page, nav_link(page, material_site.url(key.design)))
    check_diagrams_drawn(page)
    check_tooltip(page)
    check_checklist_scrolls(page)
    assert not log.problems(), report(log.problems())


@pytest.mark.parametrize(
    ("query", "term_page"),
    [("consistent hashing", "glossary/consistent-hashing/"), ("ACID", "glossary/acid/")],
)
def test_search_lists_the_glossary_page(
    material_site: Handbook, open_page: OpenPage, query: str, term_page: str
) -> None:
    assert term_page in material_site.pages(), f"the handbook has no {term_page}"
    page, log = open_page()
    page.goto(material_site.url())
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(query, delay=20)
    # Each result item starts with a link to its page (``?h=`` highlights the query there).
    expected = urlsplit(material_site.url(term_page)).path
    page.wait_for_function(
        """path => Array.from(document.querySelectorAll(
                 '.md-search-result__list > .md-search-result__item > a:first-child'))
               .some(a => new URL(a.href).pathname === path)""",
        arg=expected,
    )
    found = page.eval_on_selector_all(
        ".md-search-result__list > .md-search-result__item > a:first-child",
        "links => links.map(a => new URL(a.href).pathname)",
    )
    assert expected in found[:5], f"{term_page} is not among the first five results: {found}"
    assert not log.problems(), report(log.problems())


def test_dataflow_diagram_is_drawn_from_the_site_itself(
    material_site: Handbook, open_page: OpenPage
) -> None:
    design = material_site.key.design
    assert material_site.soup(design).select_one(".sysdesign-dataflow pre.mermaid"), (
        f"{design}: the dataflow block has no Mermaid source for Material to draw"
    )
    page, log = open_page()
    page.goto(material_site.url(design))
    check_diagrams_drawn(page)
    assert page.locator(".sysdesign-dataflow pre.mermaid").count() == 0
    mermaid = [url for url in log.requests if url.endswith("/mermaid.min.js")]
    assert mermaid == [material_site.url("assets/sysdesign/mermaid.min.js")]
    assert not log.foreign_requests, report(log.foreign_requests)
    assert not log.problems(), report(log.problems())


def test_every_page_loads_cleanly_and_links_to_pages_that_exist(
    material_site: Handbook, open_page: OpenPage
) -> None:
    """No console error, failed request or request to another host on any page.

    Every page is loaded in full (not by instant navigation), so each runs all its scripts;
    the links of all pages are then checked once each (with Python, not the browser).
    """
    page, log = open_page()
    problems: list[str] = []
    links: dict[str, str] = {}
    for path in material_site.pages():
        page.goto(material_site.url(path))
        html = (material_site.site_dir / path / "index.html").read_text(encoding="utf-8")
        if 'class="mermaid"' in html and not diagrams_drawn(page):
            problems.append(f"{page.url}: a Mermaid diagram was not drawn")
        problems += log.problems()
        log.clear()
        # The navigation is the same on every page: its links are read on the first one.
        for target in site_links(page, scope="article" if links else ""):
            links.setdefault(target, page.url)
    problems += unreachable(links)
    assert not problems, report(problems)
