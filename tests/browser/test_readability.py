"""What a new team sees first, in chromium: a foldable checklist panel, readable diagrams, a
step table that fits, task boxes that show which are ticked.

A small site of its own with the README's minimal configuration (no ``custom_checkbox``),
a light and a dark palette, and two steps of the team's own, so the step table has eight
step columns. Measured at 1280 px and on a 390 px phone, in light and dark.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest
from browsing import Handbook, click_instantly, report, wait_for_diagrams
from harness import build_project

if TYPE_CHECKING:
    from conftest import OpenPage
    from playwright.sync_api import Page

PHONE = {"width": 390, "height": 844}
SCHEMES = pytest.mark.parametrize("scheme", ["light", "dark"])

CONFIG: dict[str, Any] = {
    "site_name": "Our design handbook",
    "theme": {
        "name": "material",
        "font": False,
        "features": ["content.tooltips", "navigation.instant"],
        "palette": [
            {"media": "(prefers-color-scheme: light)", "scheme": "default"},
            {"media": "(prefers-color-scheme: dark)", "scheme": "slate"},
        ],
    },
    "plugins": [
        "search",
        {
            "sysdesign": {
                "steps": {
                    "operations": {"title": "Operations and on-call"},
                    "rollout": {"title": "Rollout plan"},
                }
            }
        },
    ],
}

FLOW = """\
Client -> API Gateway: GET /feed
API Gateway -> Feed Service: feed(user)
Feed Service -> Feed Cache: MGET timeline
Feed Cache --> Feed Service: post ids
Feed Service -> Post Store: posts(ids)
Feed Service -> Ranking Service: rank(posts)
Ranking Service --> Feed Service: ranked
Feed Service --> API Gateway: 200 page
API Gateway --> Client: 200 OK
"""

PARTIAL = f"""\
---
design: {{status: draft}}
---
# News Feed

## Requirements

- [x] Functional requirements
- [ ] Non-functional requirements
- [ ] Out of scope

## Data Flow

```dataflow
{FLOW}```

## Deep Dives

- [x] Latency: a cache in front of the feed service
- [ ] Fault tolerance

[The finished design](url.md)
"""

COMPLETE = """\
---
design: {status: approved}
---
# URL Shortener

## Requirements
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
- [x] Architecture style
- [x] Components and responsibilities
- [x] Data storage
- [x] Communication patterns

## Deep Dives
- [x] Scalability
- [x] Consistency
- [x] Latency
- [x] Fault tolerance
- [x] Security

## Operations and on-call
Runbooks.

## Rollout plan
Canary first.

[The feed](feed.md)
"""

STEPS = "requirements, core-entities, api, data-flow, high-level-design, deep-dives"
INDEX = f"""\
# Designs

```sysdesign
table: checklist
columns: [title, {STEPS}, operations, rollout, status, progress]
```
"""

FILES = {"index.md": INDEX, "designs/feed.md": PARTIAL, "designs/url.md": COMPLETE}


@pytest.fixture(scope="module")
def site(serve: Any, tmp_path_factory: pytest.TempPathFactory) -> Handbook:
    root = tmp_path_factory.mktemp("first-hour")
    # Material's instant navigation needs the site's URL: serve first, then build.
    url = serve(root / "site")
    built = build_project(root, FILES, {**CONFIG, "site_url": url}, strict=True)
    assert built.error is None, built.warnings
    return Handbook("first-hour", built.site_dir, url)


def panel_state(page: Page) -> dict[str, Any]:
    """Whether the panel is open, how tall it is, and what its summary line shows."""
    return page.evaluate(
        """() => {
            const panel = document.querySelector(".sysdesign-checklist");
            const details = panel.querySelector(":scope > details");
            const summary = details.querySelector(":scope > summary");
            const steps = panel.querySelector(".sysdesign-checklist__steps");
            return {
                open: details.open,
                height: panel.getBoundingClientRect().height,
                stepsShown: steps.checkVisibility(),
                summary: summary.innerText.replace(/\\s+/g, " ").trim(),
                barShown: summary.querySelector("progress").getBoundingClientRect().width > 0,
            };
        }"""
    )


# -- the checklist panel ------------------------------------------------------------------


@SCHEMES
def test_panel_is_open_on_a_desktop_while_steps_are_incomplete(
    site: Handbook, open_page: OpenPage, scheme: str
) -> None:
    page, log = open_page(color_scheme=scheme)
    page.goto(site.url("designs/feed/"))
    state = panel_state(page)
    assert state["open"] and state["stepsShown"], state
    page.goto(site.url("designs/url/"))
    state = panel_state(page)
    # Every step complete: folded, and the summary line still says so.
    assert not state["open"] and not state["stepsShown"], state
    assert "Design steps" in state["summary"] and "100%" in state["summary"], state
    assert state["barShown"] and state["height"] < 80, state
    assert not log.problems(), report(log.problems())


@SCHEMES
def test_panel_is_folded_on_a_phone_with_the_progress_in_view(
    site: Handbook, open_page: OpenPage, scheme: str
) -> None:
    page, log = open_page(color_scheme=scheme, viewport=PHONE)
    page.goto(site.url("designs/feed/"))
    state = panel_state(page)
    assert not state["open"] and not state["stepsShown"], state
    assert "Progress" in state["summary"] and "%" in state["summary"], state
    assert state["barShown"] and state["height"] < 100, state
    # The first section starts on the first screen.
    top = page.evaluate("() => document.querySelector('article h2').getBoundingClientRect().top")
    assert top < PHONE["height"], f"the first section starts at {top}px"
    page.locator(".sysdesign-checklist summary").click()
    assert panel_state(page)["stepsShown"]
    assert not log.problems(), report(log.problems())


def test_the_readers_choice_is_remembered_across_pages_and_instant_navigation(
    site: Handbook, open_page: OpenPage
) -> None:
    page, log = open_page()
    page.goto(site.url("designs/feed/"))
    assert panel_state(page)["open"]
    page.locator(".sysdesign-checklist summary").click()
    assert not panel_state(page)["open"]
    # Material swaps the next page in; the complete design stays folded, as chosen.
    click_instantly(page, page.locator("article a[href*='url']").first)
    assert not panel_state(page)["open"]
    page.locator(".sysdesign-checklist summary").press("Enter")
    assert panel_state(page)["open"]
    # Unfolded by the reader: open on the next page, and after a reload, although this
    # design is complete.
    click_instantly(page, page.locator("article a[href*='feed']").first)
    assert panel_state(page)["open"]
    page.goto(site.url("designs/url/"))
    assert panel_state(page)["open"]
    assert not log.problems(), report(log.problems())


# -- diagrams -----------------------------------------------------------------------------

_LABEL_SIZES = """() => {
    const svg = document.querySelector(".sysdesign-dataflow .mermaid").shadowRoot
        .querySelector("svg");
    // On screen, a text's size is its font size times the scale the SVG is drawn at.
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    const texts = [...svg.querySelectorAll("text")].filter(t => t.textContent.trim());
    const host = svg.getRootNode().host;
    return {
        sizes: texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale),
        texts: texts.map(t => t.textContent.trim()),
        scrolls: host.scrollWidth > host.clientWidth,
        focusable: host.tabIndex === 0,
        pageWidth: document.documentElement.scrollWidth,
    };
}"""


@SCHEMES
@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_dataflow_labels_stay_readable_and_the_diagram_scrolls(
    site: Handbook, open_page: OpenPage, scheme: str, viewport: dict[str, int] | None
) -> None:
    options = {"viewport": viewport} if viewport else {}
    page, log = open_page(color_scheme=scheme, **options)
    page.goto(site.url("designs/feed/"))
    wait_for_diagrams(page)
    drawn = page.evaluate(_LABEL_SIZES)
    assert "Ranking Service" in drawn["texts"] and "MGET timeline" in drawn["texts"]
    small = [
        f"{t}: {s:.1f}px" for t, s in zip(drawn["texts"], drawn["sizes"], strict=True) if s < 11
    ]
    assert not small, f"labels under 11px: {small}"
    # Six participants are wider than the column: the diagram scrolls, the page does not.
    assert drawn["scrolls"]
    assert drawn["focusable"], "keyboard users cannot scroll the diagram"
    assert drawn["pageWidth"] <= page.viewport_size["width"]
    assert not log.problems(), report(log.problems())


# -- the step table -----------------------------------------------------------------------


@SCHEMES
def test_the_step_table_fits_at_1280px_with_eight_steps(
    site: Handbook, open_page: OpenPage, scheme: str
) -> None:
    page, log = open_page(color_scheme=scheme)
    page.goto(site.url(""))
    table = page.locator('.sysdesign-table[data-table="checklist"] table')
    widths = table.evaluate(
        """t => [t, t.closest('.md-typeset__scrollwrap') || t.parentElement]
                   .map(e => [e.scrollWidth, e.clientWidth])"""
    )
    assert all(scroll <= client for scroll, client in widths), widths
    marks = page.evaluate(
        """() => [...document.querySelectorAll('td[data-state] .sysdesign-table__state')]
                  .map(m => ({word: m.textContent, title: m.title,
                              icon: getComputedStyle(m, '::before').content}))"""
    )
    assert len(marks) == 16
    for mark in marks:
        # The panel's icon is drawn; the word is the text screen readers read.
        assert mark["icon"].startswith(('"\u2713"', '"\u25d0"', '"\u2717"')), mark
        assert mark["word"] in {"Complete", "Partial", "Missing"}, mark
        assert mark["title"] == mark["word"], mark
    assert not log.problems(), report(log.problems())


# -- task items ---------------------------------------------------------------------------


@SCHEMES
def test_ticked_and_open_task_boxes_look_different(
    site: Handbook, open_page: OpenPage, scheme: str
) -> None:
    page, log = open_page(color_scheme=scheme)
    page.goto(site.url("designs/feed/"))
    looks = page.evaluate(
        """() => [...document.querySelectorAll('li.task-list-item > input')].map(box => {
            const style = getComputedStyle(box);
            const mark = getComputedStyle(box, '::before');
            return {checked: box.checked, background: style.backgroundColor,
                    border: style.borderTopColor, mark: mark.content,
                    width: box.getBoundingClientRect().width};
        })"""
    )
    ticked = [look for look in looks if look["checked"]]
    open_ = [look for look in looks if not look["checked"]]
    assert len(ticked) == 2 and len(open_) == 3, looks
    assert all(look["width"] >= 10 for look in looks), looks
    # Filled with a tick, against an empty outlined box.
    assert {look["background"] for look in ticked}.isdisjoint(
        {look["background"] for look in open_}
    ), looks
    assert {look["mark"] for look in open_} == {"none"}
    assert "none" not in {look["mark"] for look in ticked}
    assert not log.problems(), report(log.problems())


def test_item_labels_are_not_glossary_links(site: Handbook, open_page: OpenPage) -> None:
    page, log = open_page()
    page.goto(site.url("designs/feed/"))
    underlined = page.evaluate(
        """() => [...document.querySelectorAll('li.task-list-item a.sysdesign-term')]
                  .map(a => a.textContent)"""
    )
    assert "Latency" not in underlined and "Fault tolerance" not in underlined, underlined
    assert not log.problems(), report(log.problems())
