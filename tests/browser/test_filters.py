"""Filters of the designs and decisions tables in chromium: by status, owner, tag, staleness
and text, with the keyboard, after Material's instant navigation, and without JavaScript.

A small handbook of its own is built for these tests (Material with ``navigation.instant``),
so that the rows each filter keeps are known.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from browsing import axe_violations, click_instantly, describe, nav_link, report
from harness import build_project

if TYPE_CHECKING:
    from conftest import OpenPage
    from playwright.sync_api import Page


def _design(title: str, status: str, owners: list[str], tags: list[str], updated: str) -> str:
    return f"""\
---
title: {title}
tags: [{", ".join(tags)}]
design:
  status: {status}
  owners: [{", ".join(owners)}]
  created: 2025-01-01
  updated: {updated}
---
# {title}

## Requirements

The {title.lower()} keeps its promises.
"""


def _decision(title: str, status: str, makers: list[str]) -> str:
    return f"""\
---
status: {status}
date: 2026-01-15
decision-makers: [{", ".join(makers)}]
---
# {title}

## Context and Problem Statement

Why {title.lower()}.
"""


FILES = {
    "index.md": "# Home\n\nSee [the designs](designs.md) and [the decisions](decisions.md).\n",
    "designs.md": "# All designs\n\n```sysdesign\ntable: designs\n"
    "columns: [title, status, owners, tags, updated]\n```\n",
    "decisions.md": "# Decision log\n\n```sysdesign\ntable: decisions\n```\n",
    "designs/queue.md": _design("Queue", "approved", ["alice"], ["storage"], "2026-11-01"),
    "designs/cache.md": _design("Cache", "in-review", ["bob"], ["caching"], "2025-02-01"),
    "designs/feed.md": _design("Feed", "approved", ["alice", "bob"], ["caching"], "2026-11-20"),
    "designs/search.md": _design("Search", "draft", ["carol"], ["storage"], "2026-11-25"),
    "designs/chat.md": _design("Chat", "in-review", ["carol"], ["realtime"], "2026-11-28"),
    "decisions/0001-postgres.md": _decision("Use Postgres", "accepted", ["alice"]),
    "decisions/0002-kafka.md": _decision("Use Kafka", "proposed", ["bob"]),
    "decisions/0003-redis.md": _decision("Use Redis", "rejected", ["alice", "carol"]),
}

PALETTE = [
    {"media": "(prefers-color-scheme: light)", "scheme": "default"},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate"},
]


@pytest.fixture(scope="module")
def site(serve: Callable[[Path], str], tmp_path_factory: pytest.TempPathFactory) -> str:
    """The small handbook, built and served; returns its URL."""
    root = tmp_path_factory.mktemp("filters")
    url = serve(root / "site")
    config: dict[str, Any] = {
        "site_url": url,
        "theme": {
            "name": "material",
            "font": False,
            "features": ["navigation.instant"],
            "palette": PALETTE,
        },
        "nav": ["index.md", "designs.md", "decisions.md"],
        "plugins": ["search", {"sysdesign": {"stale": {"in-review": 30}}}],
    }
    built = build_project(root, FILES, config)
    assert built.error is None
    return url


@pytest.fixture(scope="module")
def mkdocs_theme_site(
    serve: Callable[[Path], str], tmp_path_factory: pytest.TempPathFactory
) -> str:
    """The same handbook on MkDocs' own theme (highlight.js from a CDN turned off)."""
    root = tmp_path_factory.mktemp("filters-mkdocs")
    url = serve(root / "site")
    config: dict[str, Any] = {
        "site_url": url,
        "nav": ["index.md", "designs.md", "decisions.md"],
        "plugins": ["search", {"sysdesign": {"stale": {"in-review": 30}}}],
    }
    built = build_project(
        root, FILES, {**config, "theme": {"name": "mkdocs", "highlightjs": False}}, theme="mkdocs"
    )
    assert built.error is None
    return url


def visible_titles(page: Page, table: str = "designs") -> list[str]:
    """First-cell texts of the rows the table shows."""
    return page.eval_on_selector_all(
        f'.sysdesign-table[data-table="{table}"] tbody tr:not([hidden])',
        "rows => rows.map(row => row.cells[0].textContent.trim())",
    )


def count_text(page: Page, table: str = "designs") -> str:
    return page.locator(f'[data-table="{table}"] .sysdesign-filters__count').inner_text()


def open_designs(open_page: OpenPage, site: str, **options: Any) -> tuple[Page, Any]:
    page, log = open_page(**options)
    page.goto(site + "designs/")
    page.locator(".sysdesign-filters").wait_for()
    return page, log


ALL = ["Cache", "Chat", "Feed", "Queue", "Search"]


def test_every_row_shows_until_a_filter_is_chosen(open_page: OpenPage, site: str) -> None:
    page, log = open_designs(open_page, site)
    assert visible_titles(page) == ALL
    assert count_text(page) == "5 of 5 rows"
    assert log.problems() == [], report(log.problems())


@pytest.mark.parametrize(
    ("label", "value", "expected"),
    [
        ("Status", "In review", ["Cache", "Chat"]),
        ("Owners", "alice", ["Feed", "Queue"]),
        ("Tags", "storage", ["Queue", "Search"]),
    ],
)
def test_each_select_keeps_the_matching_rows(
    open_page: OpenPage, site: str, label: str, value: str, expected: list[str]
) -> None:
    page, _ = open_designs(open_page, site)
    page.get_by_label(label, exact=True).select_option(label=value)
    assert visible_titles(page) == expected
    assert count_text(page) == f"{len(expected)} of 5 rows"


def test_filters_combine(open_page: OpenPage, site: str) -> None:
    page, _ = open_designs(open_page, site)
    page.get_by_label("Owners", exact=True).select_option(label="bob")
    page.get_by_label("Tags", exact=True).select_option(label="caching")
    assert visible_titles(page) == ["Cache", "Feed"]
    page.get_by_label("Status", exact=True).select_option(label="Approved")
    assert visible_titles(page) == ["Feed"]
    page.get_by_label("Status", exact=True).select_option(label="All")
    assert visible_titles(page) == ["Cache", "Feed"]


def test_the_stale_box_keeps_the_stale_designs(open_page: OpenPage, site: str) -> None:
    page, _ = open_designs(open_page, site)
    page.get_by_label("Stale only").check()
    # Cache has been in review since 2025-02-01; Chat only since 2026-11-28.
    assert visible_titles(page) == ["Cache"]
    page.get_by_label("Stale only").uncheck()
    assert visible_titles(page) == ALL


def test_the_text_box_matches_every_word_typed(open_page: OpenPage, site: str) -> None:
    page, _ = open_designs(open_page, site)
    box = page.get_by_label("Contains")
    box.fill("carol")
    assert visible_titles(page) == ["Chat", "Search"]
    box.fill("carol realtime")
    assert visible_titles(page) == ["Chat"]
    box.fill("nothing-like-this")
    assert visible_titles(page) == []
    assert count_text(page) == "0 of 5 rows"


def test_filters_work_from_the_keyboard(open_page: OpenPage, site: str) -> None:
    page, _ = open_designs(open_page, site)
    page.get_by_label("Status", exact=True).focus()
    # Tab goes from control to control in order: status, owners, tags, stale, text.
    names = [page.evaluate("() => document.activeElement.labels[0].textContent.trim()")]
    for _ in range(4):
        page.keyboard.press("Tab")
        names.append(page.evaluate("() => document.activeElement.labels[0].textContent.trim()"))
    assert names == ["Status", "Owners", "Tags", "Stale only", "Contains"]
    page.keyboard.type("queue")
    assert visible_titles(page) == ["Queue"]
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")  # the stale box: Queue is fresh
    assert visible_titles(page) == []
    page.keyboard.press("Space")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowDown")  # the status select: its first status, Draft
    assert page.get_by_label("Status", exact=True).input_value() == "draft"
    assert visible_titles(page) == []  # nothing is both a draft and about queues
    assert count_text(page) == "0 of 5 rows"


def test_the_count_is_announced_politely(open_page: OpenPage, site: str) -> None:
    page, _ = open_designs(open_page, site)
    count = page.locator('[data-table="designs"] .sysdesign-filters__count')
    assert count.get_attribute("aria-live") == "polite"
    group = page.locator('[data-table="designs"] .sysdesign-filters')
    assert group.get_attribute("role") == "group"
    assert group.get_attribute("aria-label") == "Filter"


def test_filters_work_after_instant_navigation(open_page: OpenPage, site: str) -> None:
    page, log = open_page()
    page.goto(site)
    click_instantly(page, nav_link(page, site + "designs/"))
    page.locator('[data-table="designs"] .sysdesign-filters').wait_for()
    page.get_by_label("Status", exact=True).select_option(label="Draft")
    assert visible_titles(page) == ["Search"]
    click_instantly(page, nav_link(page, site + "decisions/"))
    page.locator('[data-table="decisions"] .sysdesign-filters').wait_for()
    # One set of controls per table, however often the page was entered.
    assert page.locator(".sysdesign-filters").count() == 1
    page.get_by_label("Decision makers", exact=True).select_option(label="alice")
    assert visible_titles(page, "decisions") == ["Use Postgres", "Use Redis"]
    page.get_by_label("Status", exact=True).select_option(label="Rejected")
    assert visible_titles(page, "decisions") == ["Use Redis"]
    assert count_text(page, "decisions") == "1 of 3 rows"
    click_instantly(page, nav_link(page, site + "designs/"))
    page.locator('[data-table="designs"] .sysdesign-filters').wait_for()
    assert page.locator(".sysdesign-filters").count() == 1
    assert visible_titles(page) == ALL
    assert log.problems() == [], report(log.problems())


def test_sorting_keeps_the_filter(open_page: OpenPage, site: str) -> None:
    page, _ = open_designs(open_page, site)
    page.get_by_label("Owners", exact=True).select_option(label="carol")
    page.locator('th[data-column="updated"] button').click()
    page.locator('th[data-column="updated"] button').click()
    assert visible_titles(page) == ["Chat", "Search"]


def test_without_javascript_the_whole_table_shows(open_page: OpenPage, site: str) -> None:
    page, _ = open_page(java_script_enabled=False)
    page.goto(site + "designs/")
    assert page.locator(".sysdesign-filters").count() == 0
    assert page.locator('[data-table="designs"] tbody tr:visible').count() == 5


def test_filters_work_on_the_mkdocs_theme(
    open_page: OpenPage, mkdocs_theme_site: str, screenshot_dir: Path
) -> None:
    page, log = open_page()
    page.goto(mkdocs_theme_site + "designs/")
    page.locator(".sysdesign-filters").wait_for()
    page.get_by_label("Status", exact=True).select_option(label="In review")
    page.get_by_label("Contains").fill("bob")
    assert visible_titles(page) == ["Cache"]
    assert count_text(page) == "1 of 5 rows"
    page.locator(".sysdesign-table").first.screenshot(
        path=str(screenshot_dir / "filters-mkdocs.png")
    )
    assert log.problems() == [], report(log.problems())


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_filters_have_no_accessibility_violations(
    open_page: OpenPage, site: str, scheme: str
) -> None:
    page, _ = open_designs(open_page, site, color_scheme=scheme)
    page.get_by_label("Stale only").check()
    violations = axe_violations(page)
    problems = [
        describe(violation, node)
        for violation in violations
        for node in violation["nodes"]
        if node["in_sysdesign"]
    ]
    assert not problems, report(problems)


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    configured = os.environ.get("SYSDESIGN_SCREENSHOTS")
    folder = Path(configured) if configured else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("desktop", {}),
        ("phone", {"viewport": {"width": 390, "height": 844}, "is_mobile": True}),
        ("dark", {"color_scheme": "dark"}),
    ],
)
def test_filters_screenshot(
    open_page: OpenPage, site: str, screenshot_dir: Path, name: str, options: dict[str, Any]
) -> None:
    page, log = open_designs(open_page, site, **options)
    page.get_by_label("Tags", exact=True).select_option(label="caching")
    form = page.locator('[data-table="designs"] .sysdesign-filters')
    box = form.bounding_box()
    width = page.viewport_size["width"] if page.viewport_size else 1280
    # The controls fit the page's width: nothing sticks out sideways on a phone.
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width
    path = screenshot_dir / f"filters-{name}.png"
    page.locator(".md-content").screenshot(path=str(path))
    assert path.stat().st_size > 5_000
    assert log.problems() == [], report(log.problems())
