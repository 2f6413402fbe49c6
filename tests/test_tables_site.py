"""The auto-built tables (```sysdesign blocks) in real MkDocs builds."""

from __future__ import annotations

import posixpath
from typing import Any

import pytest
from harness import THEMES_AND_URLS, Site

from mkdocs_sysdesign.tables import TABLES

PREFIX = "mkdocs_sysdesign: "


def plugin_config(**options: Any) -> dict[str, Any]:
    """A config with the plugin, without the shipped glossary (faster builds)."""
    return {"plugins": [{"sysdesign": {"builtin_glossary": False, **options}}]}


def design(title: str, status: str, owner: str, updated: str, extra: str = "") -> str:
    """A design page with entities, a route, a review and a deep dive."""
    slug = title.lower().replace(" ", "-")
    return f"""\
---
title: {title}
design:
  status: {status}
  owners: [{owner}]
  updated: {updated}
  review:
    problem-solving: 4
    communication: 3
{extra}---
# {title}

Clients talk to it over TCP.

## Requirements

### Functional
It stores {slug} records.

## Core Entities

```entity
name: {title.replace(" ", "")}Record
properties:
  id: uuid
  body: text
```

## API

```api
protocol: REST
routes:
  - method: GET
    path: /v1/{slug}
    parameters:
      id: uuid
    returns: 200 with the record
```

## Deep Dives

### Latency
Cached reads.
"""


# Titles that appear on no page but their own design, and in the tables that list them.
DESIGNS = {
    "designs/queue.md": design("Zebra Queue", "draft", "alice", "2026-01-05"),
    "designs/store.md": design(
        "Yak Store", "approved", "bob", "2026-03-01", "  supersedes: designs/queue.md\n"
    ),
    "designs/cache.md": design(
        "Quokka Cache", "implemented", "carol", "2026-02-10", "  related: [designs/store.md]\n"
    ),
}
TITLES = ["Quokka Cache", "Yak Store", "Zebra Queue"]
NAV = [
    {"Home": "index.md"},
    {"Designs": ["designs/queue.md", "designs/store.md", "designs/cache.md"]},
]


def table(article: Any, name: str) -> Any:
    """The wrapper of the auto-built table ``name`` on a page; exactly one must exist."""
    found = article.select(f'[data-table="{name}"]')
    assert len(found) == 1, f"{name}: {len(found)} tables"
    return found[0]


def cells_by_column(wrapper: Any) -> list[dict[str, str]]:
    """Each row as ``{column: state, done flag or text}``."""
    names = [th["data-column"] for th in wrapper.select("thead th")]
    return [
        {
            name: td.get("data-state") or td.get("data-done") or td.get_text(strip=True)
            for name, td in zip(names, tr.find_all("td"), strict=True)
        }
        for tr in wrapper.select("tbody tr")
    ]


def first_column(wrapper: Any) -> list[str]:
    return [tr.find("td").get_text(" ", strip=True) for tr in wrapper.select("tbody tr")]


def resolve(site: Site, src: str, href: str) -> str:
    """The output file (relative to the site) that a link on the page from ``src`` opens."""
    page_dir = site.output_path(src).parent.relative_to(site.site_dir).as_posix()
    path = href.split("#")[0]
    target = posixpath.normpath(posixpath.join(page_dir, path))
    if path.endswith("/") or (site.site_dir / target).is_dir():
        target = posixpath.join(target, "index.html")
    return target


def output(site: Site, src: str) -> str:
    return site.output_path(src).relative_to(site.site_dir).as_posix()


def plugin_messages(site: Site) -> list[str]:
    assert all(message.startswith(PREFIX) for message in site.messages), site.messages
    return [message[len(PREFIX) :] for message in site.messages]


# -- an index page first in the nav lists the designs that come after it ---------------------

INDEX = """\
# Home

```sysdesign
table: designs
columns: [title, status, owners, updated]
```
"""


@pytest.mark.parametrize(("theme", "dir_urls"), THEMES_AND_URLS)
def test_index_first_in_the_nav_lists_designs_that_come_later(
    make_site, theme: str, dir_urls: bool
) -> None:
    # glossary_nav is off because this site has no glossary for the nav to point to.
    site = make_site(
        {"index.md": INDEX, **DESIGNS},
        {**plugin_config(glossary_nav="off"), "nav": NAV},
        theme=theme,
        use_directory_urls=dir_urls,
        strict=True,
    )
    assert site.error is None, site.warnings
    wrapper = table(site.content("index.md"), "designs")
    assert first_column(wrapper) == TITLES
    statuses = [td["data-status"] for td in wrapper.select("td[data-status]")]
    assert statuses == ["implemented", "approved", "draft"]
    by_title = {src: site.html(src).find("h1").get_text(strip=True) for src in DESIGNS}
    for link in wrapper.select("tbody tr td:first-child a"):
        target = resolve(site, "index.md", link["href"])
        src = next(src for src in DESIGNS if output(site, src) == target)
        assert by_title[src] == link.get_text()


def test_index_without_a_nav_lists_every_design(make_site) -> None:
    # Without a nav, MkDocs puts index.md before designs/ too.
    site = make_site({"index.md": INDEX, **DESIGNS}, plugin_config(), strict=True)
    assert site.error is None, site.warnings
    assert first_column(table(site.content("index.md"), "designs")) == TITLES


# -- every table in a real build -------------------------------------------------------------

ALL_TABLES = "# Tables\n\n" + "\n".join(f"```sysdesign\ntable: {name}\n```\n" for name in TABLES)

TCP_TERM = """\
---
term: TCP
category: Networking
summary: A reliable, ordered byte stream between two hosts.
---
# TCP

Connections, retransmission and flow control.
"""

UDP_TERM = """\
---
term: UDP
category: Networking
summary: Datagrams without delivery guarantees.
---
# UDP
"""


@pytest.fixture(params=["material", "mkdocs"])
def tables_site(request: pytest.FixtureRequest, make_site) -> Site:
    site = make_site(
        {
            "tables.md": ALL_TABLES,
            "glossary/tcp.md": TCP_TERM,
            "glossary/udp.md": UDP_TERM,
            "decisions/0001-cache.md": "---\nstatus: accepted\ndate: 2026-11-02\n---\n# Cache\n",
            **DESIGNS,
        },
        plugin_config(),
        theme=request.param,
        strict=True,
    )
    assert site.error is None, site.warnings
    return site


def test_every_table_renders_with_the_documented_wrapper(tables_site: Site) -> None:
    article = tables_site.content("tables.md")
    assert article.select(".sysdesign-invalid") == []
    for name in TABLES:
        wrapper = table(article, name)
        if name == "graph":
            assert wrapper["class"] == ["sysdesign-graph"]
            continue
        assert wrapper["class"] == ["sysdesign-table"]
        assert wrapper.name == "div"
        inner = wrapper.find_all("table", recursive=False)
        assert len(inner) == 1, name
        headers = [th["data-column"] for th in inner[0].select("thead th")]
        assert headers and set(headers) <= set(TABLES[name].columns), name
        assert inner[0].select("tbody tr"), name


def test_each_table_shows_what_the_designs_say(tables_site: Site) -> None:
    article = tables_site.content("tables.md")
    steps = table(article, "steps")
    assert first_column(steps) == [
        "Requirements",
        "Core Entities",
        "API or Interface",
        "Data Flow",
        "High-Level Design",
        "Deep Dives",
    ]
    assert first_column(table(article, "designs")) == TITLES
    checklist = table(article, "checklist")
    assert first_column(checklist) == TITLES
    assert cells_by_column(checklist)[0] == {
        "title": "Quokka Cache",
        "requirements": "partial",
        "core-entities": "partial",
        "api": "complete",
        "data-flow": "missing",
        "high-level-design": "missing",
        "deep-dives": "partial",
    }
    assert first_column(table(article, "glossary")) == ["TCP", "UDP"]
    assert first_column(table(article, "terms")) == ["TCP"]
    entities = table(article, "entities")
    assert [td.get_text() for td in entities.select("tbody td:nth-of-type(2)")] == [
        "QuokkaCacheRecord",
        "YakStoreRecord",
        "ZebraQueueRecord",
    ]
    assert "id: uuid" in entities.select_one("tbody tr").get_text()
    api = table(article, "api")
    assert [td.get_text() for td in api.select("tbody td:nth-of-type(3)")] == [
        "/v1/quokka-cache",
        "/v1/yak-store",
        "/v1/zebra-queue",
    ]
    deep = cells_by_column(table(article, "deep-dives"))
    assert [row["latency"] for row in deep] == ["true", "true", "true"]
    assert {row["security"] for row in deep} == {"false"}
    reviews = table(article, "reviews")
    assert first_column(reviews) == TITLES
    assert reviews.select_one("tbody td:last-child").get_text() == "3.5"
    graph = table(article, "graph")
    edges = [li.get_text(" ", strip=True) for li in graph.select("li[data-edge]")]
    assert edges == ["Quokka Cache related Yak Store", "Yak Store supersedes Zebra Queue"]
    assert graph.select_one("pre.mermaid > code").get_text().startswith("graph LR")


def test_table_links_resolve_to_the_pages(tables_site: Site) -> None:
    article = tables_site.content("tables.md")
    sources = [*DESIGNS, "glossary/tcp.md", "glossary/udp.md", "decisions/0001-cache.md"]
    pages = {output(tables_site, src): src for src in sources}
    links = article.select(".sysdesign-table a[href], .sysdesign-graph a[href]")
    assert len(links) > 10
    for link in links:
        target = resolve(tables_site, "tables.md", link["href"])
        assert target in pages, link
        anchor = link["href"].partition("#")[2]
        if anchor:
            assert tables_site.html(pages[target]).find(id=anchor) is not None, link


def test_terms_table_shows_the_terms_designs_mention(make_site) -> None:
    files = {
        "index.md": "# Home\n\n```sysdesign\ntable: terms\ncolumns: [term, designs, count]\n```\n",
        "glossary/tcp.md": TCP_TERM,
        "glossary/udp.md": UDP_TERM,
        # A page that is not a design mentions UDP: it is not in the table.
        "notes.md": "# Notes\n\nWe considered UDP.\n",
        **DESIGNS,
    }
    site = make_site(files, plugin_config(), strict=True)
    assert site.error is None, site.warnings
    wrapper = table(site.content("index.md"), "terms")
    rows = [
        [td.get_text().strip() for td in tr.find_all("td")] for tr in wrapper.select("tbody tr")
    ]
    assert rows == [["TCP", ", ".join(TITLES), "3"]]
    term_link = wrapper.select_one("tbody td a")
    assert resolve(site, "index.md", term_link["href"]) == output(site, "glossary/tcp.md")


def test_steps_table_headers_are_the_table_labels_not_the_panel_labels(make_site) -> None:
    # The panel's "items" label ("6 / 20 items") must not become the steps table's header.
    page = "# P\n\n```sysdesign\ntable: steps\ncolumns: [step, items]\n```\n"
    site = make_site({"p.md": page}, plugin_config())
    assert [th.get_text() for th in site.content("p.md").select("th")] == [
        "Step",
        "Checklist items",
    ]
    renamed = make_site({"p.md": page}, plugin_config(labels={"checklist_items": "To check"}))
    assert [th.get_text() for th in renamed.content("p.md").select("th")] == ["Step", "To check"]


def test_labels_from_the_config_reach_the_tables(make_site) -> None:
    page = "# P\n\n```sysdesign\ntable: designs\ncolumns: [title, owners]\n```\n"
    site = make_site({"p.md": page, **DESIGNS}, plugin_config(labels={"owners": "Eigentümer"}))
    headers = [th.get_text() for th in site.content("p.md").select("th")]
    assert headers == ["Design", "Eigentümer"]


# -- bad blocks ------------------------------------------------------------------------------

BAD_TABLES = [
    # body, line in the body of the problem, start of the message after "file:line: "
    ("table: designz", 1, "unknown table 'designz'; expected one of steps, designs,"),
    ("table: designs\ncolumns: [title, colour]", 2, "unknown column 'colour' in columns"),
    ("table: designs\nwhere: {statuss: draft}", 2, "unknown column 'statuss' in where"),
    ("table: designs\nwhere:\n  owners: alice\n  onwers: bob", 4, "unknown column 'onwers'"),
    ("table: designs\nsort: -updatd", 2, "unknown sort key 'updatd'"),
    ("table: designs\nwhere: {status: [draft", 2, "expected a mapping with table"),
    ("table: designs\n  columns: x", 2, "expected a mapping with table"),
    ("table: designs\ncolour: red", 2, "unknown key 'colour'; expected one of table, where"),
    ("table: designs\nwhere: {status: drafty}", 2, "where.status: unknown status 'drafty'"),
    ("table: designs\nwhere: {progress: lots}", 2, "where.progress: expected a number"),
    ("table: designs\nlimit: -1", 2, "limit: expected a positive whole number"),
    ("where: {status: draft}", 1, "missing key 'table'"),
    ("- table: designs", 1, "expected a mapping with table"),
]


@pytest.mark.parametrize(("body", "line", "start"), BAD_TABLES)
def test_bad_table_block_warns_with_file_and_line_and_is_shown_as_written(
    make_site, body: str, line: int, start: str
) -> None:
    # Three lines of front matter: the block's first line is file line 8.
    page = f"---\ntitle: Index\n---\n# Index\n\nText.\n\n```sysdesign\n{body}\n```\n"
    site = make_site({"index.md": page}, plugin_config(), theme="mkdocs")
    messages = plugin_messages(site)
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"docs/index.md:{8 + line}: {start}"), messages[0]
    article = site.content("index.md")
    shown = article.select("pre.sysdesign-invalid > code.language-sysdesign")
    assert [code.get_text() for code in shown] == [body]
    assert article.select("[data-table]") == []


def test_unknown_names_come_with_a_suggestion(make_site) -> None:
    page = "# P\n\n```sysdesign\ntable: designs\nsort: [-updatd]\ncolumns: [titel]\n```\n"
    site = make_site({"p.md": page}, plugin_config())
    messages = plugin_messages(site)
    assert [m.split(": ", 1)[0] for m in messages] == ["docs/p.md:5", "docs/p.md:6"]
    assert messages[0].endswith("did you mean 'updated'?")
    assert messages[1].endswith("did you mean 'title'?")


def test_strict_build_fails_on_a_bad_table(make_site) -> None:
    page = "# P\n\n```sysdesign\ntable: everything\n```\n"
    site = make_site({"p.md": page}, plugin_config(), strict=True)
    assert site.error is not None
    assert plugin_messages(site)[0].startswith("docs/p.md:4: unknown table 'everything'")


def test_a_table_inside_a_longer_fence_is_an_example(make_site) -> None:
    example = "```sysdesign\ntable: designs\nlimit: 1\n```"
    page = f"# P\n\n````markdown\n{example}\n````\n\n{example}\n"
    site = make_site({"p.md": page, **DESIGNS}, plugin_config(), strict=True)
    assert site.error is None, site.warnings
    article = site.content("p.md")
    assert len(article.select('[data-table="designs"] tbody tr')) == 1
    assert any("table: designs" in pre.get_text() for pre in article.select("pre"))


# -- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize("dir_urls", [True, False])
def test_table_text_is_in_the_search_index(make_site, dir_urls: bool) -> None:
    index = "# Home\n\nEvery design we have:\n\n```sysdesign\ntable: designs\n```\n"
    site = make_site(
        {"index.md": index, **DESIGNS},
        {
            "plugins": [
                "search",
                {"sysdesign": {"builtin_glossary": False, "glossary_nav": "off"}},
            ],
            "nav": NAV,
        },
        theme="material",
        use_directory_urls=dir_urls,
        strict=True,
    )
    assert site.error is None, site.warnings
    # The title is in no page but its own design, so the index page can only have it from the table.
    assert "Quokka Cache" not in (site.root / "docs/index.md").read_text(encoding="utf-8")
    text = site.search_text("index.md")
    assert text
    for title in TITLES:
        assert title in text
    assert "Approved" in text and "2026-03-01" in text


# -- order: tables do not depend on which page MkDocs converts first ----------------------

FIRST = """\
# Appendix

```sysdesign
table: entities
```

```sysdesign
table: api
```

```sysdesign
table: terms
columns: [term, designs]
```
"""


@pytest.mark.parametrize("position", ["first", "last"])
def test_tables_list_every_design_whichever_page_converts_first(make_site, position: str) -> None:
    appendix = {"Appendix": "appendix.md"}
    nav = [appendix, *NAV] if position == "first" else [*NAV, appendix]
    tcp = "---\nterm: TCP\nsummary: Ordered, reliable byte streams.\n---\n"
    files = {**DESIGNS, "appendix.md": FIRST, "glossary/tcp.md": tcp}
    site = make_site(files, {"nav": nav, **plugin_config()}, theme="mkdocs")
    assert site.error is None and site.messages == []
    article = site.content("appendix.md")
    entities = cells_by_column(table(article, "entities"))
    assert sorted(row["entity"] for row in entities) == [
        "QuokkaCacheRecord",
        "YakStoreRecord",
        "ZebraQueueRecord",
    ]
    assert len(table(article, "api").select("tbody tr")) == 3
    # Mentions are known only once the designs are converted: the finishing step fills
    # the terms table in all the same.
    [tcp_row] = cells_by_column(table(article, "terms"))
    assert tcp_row["term"] == "TCP"
    assert all(title in tcp_row["designs"] for title in TITLES)
    plugin = site.config.plugins["sysdesign"]
    # The collected model is unchanged; what rendering found is in the finished one.
    assert all(design.terms == () for design in plugin.handbook.designs.values())
    assert plugin.built.designs["designs/cache.md"].terms == ("tcp",)


# -- status badges in tables carry the configured colours ------------------------------------


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_status_badges_in_a_table_have_the_colours_of_the_design_pages(
    make_site, theme: str
) -> None:
    statuses = {
        "draft": None,
        "rfc": {"label": "Request for comments", "colour": "#00838f"},
        "approved": {"colour": "rebeccapurple"},
        "implemented": None,
    }
    designs = {
        **DESIGNS,
        "designs/rfc.md": design("Ibis Index", "rfc", "dave", "2026-04-01"),
    }
    site = make_site(
        {"index.md": INDEX, **designs},
        plugin_config(glossary_nav="off", statuses=statuses),
        theme=theme,
        strict=True,
    )
    assert site.error is None, site.warnings
    wrapper = table(site.content("index.md"), "designs")
    badges = {
        badge["data-status"]: badge.get("style", "")
        for badge in wrapper.select("td span.sysdesign-status")
    }
    expected = {
        "draft": "#757575",
        "rfc": "#00838f",
        "approved": "rebeccapurple",
        "implemented": "#1565c0",
    }
    assert badges == {
        status: f"--sysdesign-status-colour: {colour}" for status, colour in expected.items()
    }
    # The same colour as the badge on the design's own page.
    page_badge = site.content("designs/rfc.md").select_one(".sysdesign-meta .sysdesign-status")
    assert page_badge["style"] == badges["rfc"]
