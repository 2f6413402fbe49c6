"""What the browser tests do on a page: record problems, hover, wait for diagrams, run axe.

Kept apart from ``conftest.py`` so the test modules can import it. Nothing here imports
Playwright at run time: without it the fixtures skip before any of this is called.
"""

from __future__ import annotations

import functools
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup

if TYPE_CHECKING:
    from playwright.sync_api import ConsoleMessage, Locator, Page, Request, Response

HOST = "127.0.0.1"

# Material draws Mermaid diagrams into a *closed* shadow root, which no test can look into.
# Opening it changes nothing on screen and lets the tests see the <svg>.
OPEN_SHADOW_ROOTS = """
(() => {
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    return attach.call(this, Object.assign({}, init, { mode: "open" }));
  };
})();
"""


@dataclass
class Handbook:
    """One built copy of the handbook and the address it is served at."""

    name: str
    site_dir: Path
    base_url: str
    theme: str = "material"

    def url(self, path: str = "") -> str:
        """The absolute URL of a page given relative to the site root (``designs/``)."""
        return urljoin(self.base_url, path)

    def pages(self) -> list[str]:
        """Every page of the site as a URL relative to the site root, sorted."""
        found = []
        for html in self.site_dir.rglob("index.html"):
            relative = html.parent.relative_to(self.site_dir).as_posix()
            found.append("" if relative == "." else f"{relative}/")
        return sorted(found)

    def soup(self, path: str) -> BeautifulSoup:
        """The built HTML of a page given by its relative URL."""
        html = self.site_dir / path / "index.html"
        return BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")

    def find_page(self, *selectors: str, prefer: str = "", under: str = "") -> str:
        """A page whose HTML has every selector: ``prefer`` if it does, else the first one.

        The handbook's content changes; the tests look for a page with the features they
        need rather than depend on one file.
        """
        candidates = [prefer] if prefer else []
        candidates += [p for p in self.pages() if p.startswith(under) and p != prefer]
        for path in candidates:
            if not (self.site_dir / path / "index.html").is_file():
                continue
            soup = self.soup(path)
            if all(soup.select_one(selector) for selector in selectors):
                return path
        raise AssertionError(f"no page of the {self.name} build has all of {selectors}")

    @functools.cached_property
    def key(self) -> KeyPages:
        """The pages the tests visit, found by what their HTML holds."""
        return KeyPages(
            home="",
            design=self.find_page(
                ".sysdesign-checklist a[href^='#']",
                ".sysdesign-dataflow .sysdesign-dataflow__steps",
                "a.sysdesign-term",
                prefer="designs/url-shortener/",
                under="designs/",
            ),
            term=self.find_page(
                "a.sysdesign-term", prefer="glossary/consistent-hashing/", under="glossary/"
            ),
            glossary="glossary/",
            table=self.find_page(".sysdesign-table table tbody tr:nth-child(3)", prefer="designs/"),
        )


@dataclass(frozen=True)
class KeyPages:
    """Relative URLs of a home page, a design, a glossary term, the glossary and a table."""

    home: str
    design: str
    term: str
    glossary: str
    table: str

    def named(self) -> dict[str, str]:
        """The four pages the accessibility checks cover, by name."""
        return {
            "home": self.home,
            "design": self.design,
            "term": self.term,
            "glossary": self.glossary,
        }


def is_local(url: str) -> bool:
    """Whether a URL stays on the test server (data:, blob: and about: URLs count as local)."""
    parts = urlsplit(url)
    return parts.scheme in {"data", "blob", "about"} or parts.hostname == HOST


@dataclass
class PageLog:
    """What went wrong while a page was open: console errors, page errors, bad requests."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    bad_responses: list[str] = field(default_factory=list)
    foreign_requests: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        """Every recorded problem, one line each."""
        return [
            *(f"console error: {m}" for m in self.console_errors),
            *(f"page error: {m}" for m in self.page_errors),
            *(f"failed request: {m}" for m in self.failed_requests),
            *(f"HTTP error: {m}" for m in self.bad_responses),
            *(f"request to another host: {m}" for m in self.foreign_requests),
        ]

    def clear(self) -> None:
        """Forget everything recorded so far."""
        for records in (
            self.console_errors,
            self.page_errors,
            self.failed_requests,
            self.bad_responses,
            self.foreign_requests,
            self.requests,
        ):
            records.clear()

    def watch(self, page: Page) -> None:
        """Record into this log everything that goes wrong on ``page``."""

        def on_console(message: ConsoleMessage) -> None:
            if message.type == "error":
                self.console_errors.append(f"{page.url}: {message.text}")

        def on_request(request: Request) -> None:
            self.requests.append(request.url)
            if not is_local(request.url):
                self.foreign_requests.append(f"{page.url}: {request.url}")

        def on_failed(request: Request) -> None:
            failure = request.failure or ""
            # Requests to other hosts are aborted on purpose and recorded as such already;
            # leaving a page aborts its pending requests (the search worker's index, say).
            if not is_local(request.url) or "ERR_ABORTED" in failure:
                return
            self.failed_requests.append(f"{page.url}: {request.url} ({failure})")

        def on_response(response: Response) -> None:
            if response.status >= 400:
                self.bad_responses.append(f"{response.status} {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("request", on_request)
        page.on("requestfailed", on_failed)
        page.on("response", on_response)


def report(problems: list[str]) -> str:
    """Problems as an assertion message, one per line."""
    return "\n".join(["", *problems])


def site_links(page: Page, scope: str = "") -> set[str]:
    """The targets of the open page's links to its own server, without fragments.

    ``scope`` limits them to the links inside the elements it selects (``article``).
    """
    origin = "{0.scheme}://{0.netloc}/".format(urlsplit(page.url))
    selector = f"{scope} a[href]" if scope else "a[href]"
    hrefs: list[str] = page.eval_on_selector_all(selector, "links => links.map(a => a.href)")
    return {href.split("#", 1)[0] for href in hrefs if href.startswith(origin)}


def unreachable(urls: dict[str, str]) -> list[str]:
    """Of ``{target: page linking to it}``, the targets that do not answer 200."""
    broken = []
    for target, source in sorted(urls.items()):
        try:
            with urllib.request.urlopen(target, timeout=10) as response:
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
            error.close()
        if status != 200:
            broken.append(f"{status} {target} (linked from {source})")
    return broken


def broken_links(page: Page) -> list[str]:
    """Links of the open page to its own server that do not answer 200."""
    return unreachable(dict.fromkeys(site_links(page), page.url))


def wait_for_diagrams(page: Page, timeout: float = 20_000) -> None:
    """Wait until Material has replaced every ``pre.mermaid`` of the page with a drawing."""
    page.wait_for_function("() => !document.querySelector('pre.mermaid')", timeout=timeout)


def diagrams_drawn(page: Page, timeout: float = 10_000) -> bool:
    """Whether every ``pre.mermaid`` of the page is drawn within ``timeout`` milliseconds."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    try:
        wait_for_diagrams(page, timeout)
    except PlaywrightTimeoutError:
        return False
    return True


def show_tooltip(page: Page, link: Locator) -> Locator:
    """Hover ``link`` and return the tooltip Material shows for it (``.md-tooltip2``).

    With ``content.tooltips``, Material moves the ``title`` of an element into a
    ``div.md-tooltip2[role=tooltip]`` appended to the body while the pointer rests on it,
    and points the element's ``aria-describedby`` at it.
    """
    link.scroll_into_view_if_needed()
    link.hover()
    page.wait_for_function("el => el.getAttribute('aria-describedby')", arg=link.element_handle())
    tooltip_id = link.get_attribute("aria-describedby")
    tooltip = page.locator(f"[id='{tooltip_id}']")
    tooltip.wait_for(state="visible")
    return tooltip


def click_instantly(page: Page, link: Locator) -> None:
    """Click an internal link and check that Material swapped the page without reloading it."""
    page.evaluate("() => { window.__sysdesignSamePage = true; }")
    target = link.evaluate("a => a.href").split("#", 1)[0]
    link.click()
    # navigation.tracking may carry the section hash of the page left behind: compare
    # without fragments.
    page.wait_for_url(lambda url: url.split("#", 1)[0] == target)
    page.wait_for_load_state()
    assert page.evaluate("() => window.__sysdesignSamePage === true"), (
        f"following the link to {target} reloaded the page: instant navigation is off"
    )


def nav_link(page: Page, url: str) -> Locator:
    """The link of Material's primary navigation that leads to ``url``."""
    index = page.evaluate(
        """url => Array.from(document.querySelectorAll('.md-sidebar--primary a.md-nav__link'))
                     .findIndex(a => a.href === url)""",
        url,
    )
    assert index >= 0, f"no link to {url} in the navigation of {page.url}"
    return page.locator(".md-sidebar--primary a.md-nav__link").nth(index)


def unfold_checklist(page: Page) -> None:
    """Open the checklist panel by clicking its summary line, if it is folded."""
    details = page.locator(".sysdesign-checklist > details")
    if not details.evaluate("d => d.open"):
        details.locator("> summary").click()
    assert details.evaluate("d => d.open"), "the checklist panel does not unfold"


def in_viewport(page: Page, selector: str) -> bool:
    """Whether the top of the element matching ``selector`` is on screen."""
    return bool(
        page.evaluate(
            """sel => { const r = document.querySelector(sel).getBoundingClientRect();
                        return r.top >= 0 && r.top < window.innerHeight; }""",
            selector,
        )
    )


_LOCATE_AXE_NODE = """
([target, selectors]) => {
  // A target is a selector, or a list of selectors that walks into shadow roots.
  const chain = Array.isArray(target[0]) ? target[0] : [target[0]];
  let root = document, el = null;
  for (const sel of chain) {
    el = root.querySelector(sel);
    if (!el) return null;
    root = el.shadowRoot || el;
  }
  const inside = sel => {
    for (let node = el; node; node = node.getRootNode().host) {
      if (node.closest(sel)) return true;
    }
    return false;
  };
  return { sysdesign: inside('[class*="sysdesign-"]'), matches: selectors.filter(inside) };
}
"""


def axe_violations(
    page: Page, options: dict[str, Any] | None = None, theme_parts: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    """axe-core's violations on the open page, each node tagged for the caller.

    ``node["in_sysdesign"]`` says whether the node is, or lies inside, an element with a
    ``sysdesign-`` class: the plugin's own output. ``node["theme_parts"]`` lists the
    selectors of ``theme_parts`` that the node is or lies inside.
    """
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=options or {"resultTypes": ["violations"]})
    violations: list[dict[str, Any]] = results.response["violations"]
    for violation in violations:
        for node in violation["nodes"]:
            found = page.evaluate(_LOCATE_AXE_NODE, [node["target"], list(theme_parts)])
            node["in_sysdesign"] = bool(found and found["sysdesign"])
            node["theme_parts"] = found["matches"] if found else []
    return violations


def describe(violation: dict[str, Any], node: dict[str, Any]) -> str:
    """One violation on one node, as a line of an assertion message."""
    summary = node.get("failureSummary", "").replace("\n", " ")
    return (
        f"{violation['id']} ({violation['impact']}) at {node['target']}: "
        f"{node['html'][:160]} - {summary[:300]}"
    )
