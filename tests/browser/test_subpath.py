"""The handbook served under a sub-path (``/handbook/``), as on GitHub Pages or an intranet."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from browsing import Handbook, broken_links, click_instantly, report, wait_for_diagrams

if TYPE_CHECKING:
    from conftest import OpenPage


def test_pages_assets_and_links_stay_under_the_sub_path(
    subpath_site: Handbook, open_page: OpenPage
) -> None:
    prefix = urlsplit(subpath_site.base_url).path
    assert prefix == "/handbook/"
    key = subpath_site.key
    page, log = open_page()
    problems: list[str] = []
    for path in [*key.named().values(), key.table]:
        page.goto(subpath_site.url(path))
        if path == key.design:
            wait_for_diagrams(page)
        problems += log.problems()
        problems += [
            f"{page.url} requested {url}, outside {prefix}"
            for url in log.requests
            if urlsplit(url).scheme == "http" and not urlsplit(url).path.startswith(prefix)
        ]
        hrefs: list[str] = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
        origin = subpath_site.base_url[: -len(prefix)]
        problems += [
            f"{page.url} links to {href}, outside {prefix}"
            for href in hrefs
            if href.startswith(origin) and not urlsplit(href).path.startswith(prefix)
        ]
        problems += broken_links(page)
        log.clear()
    assert not problems, report(problems)


def test_glossary_link_leads_to_its_term_under_the_sub_path(
    subpath_site: Handbook, open_page: OpenPage
) -> None:
    page, log = open_page()
    page.goto(subpath_site.url(subpath_site.key.design))
    link = page.locator("article a.sysdesign-term").first
    term = link.get_attribute("data-term")
    click_instantly(page, link)
    assert urlsplit(page.url).path == f"/handbook/glossary/{term}/"
    assert page.locator("article h1").first.inner_text().strip()
    assert not log.problems(), report(log.problems())


def test_search_works_under_the_sub_path(subpath_site: Handbook, open_page: OpenPage) -> None:
    page, log = open_page()
    page.goto(subpath_site.url())
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("ACID", delay=20)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('.md-search-result__item > a'))
                      .some(a => new URL(a.href).pathname === '/handbook/glossary/acid/')"""
    )
    assert not log.problems(), report(log.problems())
