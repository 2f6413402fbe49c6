"""The glossary in real MkDocs builds: links, URLs, term pages, index, nav, search, --strict.

One project (:data:`RULES_PROJECT`) is built once per theme and URL style and read by many
tests; other tests build small projects of their own. The shipped glossary is turned off
wherever a test does not need it, since it adds 58 pages to every site.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from bs4 import BeautifulSoup, Tag
from harness import THEMES_AND_URLS, Site, build_project, write_project
from mkdocs.commands.build import build
from mkdocs.config import load_config

NO_BUILTIN = {"builtin_glossary": False}
BASE = "https://site.invalid/"
EXTENSIONS = [
    "abbr",
    "admonition",
    "attr_list",
    "md_in_html",
    "tables",
    "pymdownx.details",
    {"toc": {"permalink": True}},
]


def plugins(**options: Any) -> dict[str, Any]:
    """A ``plugins:`` setting with search and the sysdesign options given."""
    return {"plugins": ["search", {"sysdesign": options}]}


def glossary_page(term: str, summary: str, body: str = "Body.", **front: Any) -> str:
    """A term page's Markdown."""
    lines = ["---", f"term: {term}", f"summary: {summary}"]
    lines += [f"{key}: {json.dumps(value)}" for key, value in front.items()]
    return "\n".join([*lines, "---", body, ""])


TERM_PAGES = {
    "glossary/tcp.md": glossary_page(
        "TCP",
        "Reliable, ordered byte streams.",
        "TCP is the TCP page; it mentions Latency.",
        aliases=["Transmission Control Protocol"],
        abbr="Transmission Control Protocol",
        category="Networking",
        see_also=["latency"],
    ),
    "glossary/latency.md": glossary_page(
        "Latency",
        "How long one request takes.",
        "Latency adds up over TCP round trips.",
        category="Performance",
    ),
    "glossary/acid.md": glossary_page("ACID", "All or nothing.", category="Storage"),
    "glossary/base.md": glossary_page("BASE", "Basically available.", category="Storage"),
    "glossary/eventual-consistency.md": glossary_page(
        "Eventual Consistency", "Replicas converge later.", category="Storage"
    ),
    "glossary/consistency-acid.md": glossary_page(
        "Consistency (ACID)", "Only valid states.", aliases=["ACID consistency"]
    ),
    "glossary/consistency-cap.md": glossary_page(
        "Consistency (CAP)", "Every read sees the latest write.", aliases=["strong consistency"]
    ),
    "glossary/cap-theorem.md": glossary_page(
        "CAP theorem", "Pick C or A during a partition.", aliases=["CAP"]
    ),
    "glossary/sharding.md": glossary_page("Sharding", "Split data by key.", aliases=["shard"]),
}

DESIGN = """\
---
title: {title}
design:
  status: draft
---
# {title}

## Requirements

{prose}
"""

RULES_PAGE = r"""---
title: Rules
---
# Rules

Replicas reach eventual consistency; consistency alone is ambiguous; no acid rain; a
TCP-based tunnel; Latency first. The Transmission
Control Protocol wraps.

| Layer | Note |
|---|---|
| transport | shards and ACID |
| explicit | [[CAP theorem\|the CAP trade-off]] |

- a list item about strong consistency

!!! note "CAP theorem in a title"
    An admonition about ACID consistency.

## BASE in a heading

Code `BASE`, a [BASE link](https://example.com), the BASE abbreviation and
![BASE diagram](missing.png "BASE title"){ title="BASE" }.

```
BASE in a fence
```

TCP again, latency again.

*[BASE]: Basically Available, Soft state, Eventual consistency
"""

RULES_PROJECT = {
    "index.md": "# Home\n\nWe speak TCP.\n",
    "notes/deep/page.md": "# Deep notes\n\nTCP and latency, deep down.\n",
    "designs/chat.md": DESIGN.format(title="Chat", prose="TCP keeps TCP sockets open; TCP."),
    "designs/alpha.md": DESIGN.format(title="Alpha Service", prose="Mostly TCP."),
    "rules.md": RULES_PAGE,
    "optout.md": "---\nautolink: off\n---\n# Opted out\n\nTCP, latency and ACID.\n",
    "every.md": "---\nautolink: all\n---\n# Every mention\n\nTCP, TCP and TCP.\n",
    **TERM_PAGES,
}

EXPECTED_RULES_LINKS = [
    ("eventual-consistency", "eventual consistency"),
    ("latency", "Latency"),
    ("tcp", "Transmission\nControl Protocol"),
    ("sharding", "shards"),
    ("acid", "ACID"),
    ("cap-theorem", "the CAP trade-off"),
    ("consistency-cap", "strong consistency"),
    ("consistency-acid", "ACID consistency"),
]


def links(element: Tag | BeautifulSoup) -> list[tuple[str, str]]:
    """(term id, link text) of every glossary link under ``element``."""
    return [(a["data-term"], a.get_text()) for a in element.select("a.sysdesign-term")]


def resolve(site: Site, src: str, href: str) -> str:
    """Where a relative ``href`` on the page built from ``src`` points, from the site root."""
    return urljoin(BASE + site.url(src), href).removeprefix(BASE)


def exists(site: Site, url: str) -> bool:
    """Whether a site-relative URL names a written file."""
    path = site.site_dir / url
    return (path / "index.html").is_file() if url.endswith("/") or not url else path.is_file()


_SITES: dict[tuple[str, bool], Site] = {}


@pytest.fixture(params=[pytest.param(p.values, id=p.id) for p in THEMES_AND_URLS])
def rules_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """:data:`RULES_PROJECT`, built once per theme and URL style."""
    theme, directory_urls = request.param
    key = (theme, directory_urls)
    if key not in _SITES:
        root = tmp_path_factory.mktemp(f"rules-{theme}-{directory_urls}")
        config = {"markdown_extensions": EXTENSIONS, **plugins(**NO_BUILTIN)}
        _SITES[key] = build_project(
            root, RULES_PROJECT, config, theme=theme, use_directory_urls=directory_urls
        )
    return _SITES[key]


# --- linking rules in a real build ---------------------------------------------------------


def test_rules_page_links_exactly_the_expected_mentions(rules_site: Site) -> None:
    assert rules_site.error is None
    assert rules_site.messages == []
    assert links(rules_site.content("rules.md")) == EXPECTED_RULES_LINKS


def test_never_links_in_code_links_abbr_headings_titles_or_attributes(rules_site: Site) -> None:
    content = rules_site.content("rules.md")
    assert content.select('[data-term="base"]') == []
    assert content.select("a a") == []
    # abbr marks BASE in the heading, the link text and the prose; none becomes a term link.
    abbrs = content.select("abbr")
    assert [a.get_text() for a in abbrs] == ["BASE"] * 3
    assert [a.find_parent("a") for a in abbrs][2] is None
    assert "BASE in a heading" in content.select("h2")[0].get_text()
    img = content.select_one("img")
    assert img is not None and img["alt"] == "BASE diagram" and img["title"] == "BASE"
    assert "BASE in a fence" in content.select_one("pre").get_text()
    title = content.select_one(".admonition-title")
    assert title is not None and title.select("a") == []
    assert "CAP theorem in a title" in title.get_text()
    # Nothing the author wrote is lost around the links.
    text = " ".join(content.get_text().split())
    assert "no acid rain; a TCP-based tunnel; Latency first." in text
    assert "consistency alone is ambiguous" in text


def test_links_follow_the_html_contract(rules_site: Site) -> None:
    content = rules_site.content("rules.md")
    summaries = {"latency": "How long one request takes.", "acid": "All or nothing."}
    for term_id, summary in summaries.items():
        [link] = content.select(f'a[data-term="{term_id}"]')
        assert link["class"] == ["sysdesign-term"]
        assert link["title"] == summary


@pytest.mark.parametrize(
    ("src", "term_id"),
    [
        ("index.md", "tcp"),
        ("notes/deep/page.md", "tcp"),
        ("notes/deep/page.md", "latency"),
        ("designs/chat.md", "tcp"),
        ("glossary/tcp.md", "latency"),
        ("glossary/latency.md", "tcp"),
    ],
)
def test_relative_urls_reach_the_term_page(rules_site: Site, src: str, term_id: str) -> None:
    link = rules_site.content(src).select_one(f'p a.sysdesign-term[data-term="{term_id}"]')
    assert link is not None
    href = link["href"]
    assert not href.startswith(("/", "http")) and ".md" not in href
    target = resolve(rules_site, src, href)
    assert target == rules_site.url(f"glossary/{term_id}.md")
    assert exists(rules_site, target)


def test_relative_urls_golden(rules_site: Site) -> None:
    def href(src: str) -> str:
        return str(rules_site.content(src).select_one('a[data-term="tcp"]')["href"])

    if rules_site.config.use_directory_urls:
        assert href("index.md") == "glossary/tcp/"
        assert href("notes/deep/page.md") == "../../../glossary/tcp/"
        assert href("glossary/latency.md") == "../tcp/"
    else:
        assert href("index.md") == "glossary/tcp.html"
        assert href("notes/deep/page.md") == "../../glossary/tcp.html"
        assert href("glossary/latency.md") == "tcp.html"


def test_autolink_front_matter(rules_site: Site) -> None:
    assert links(rules_site.content("optout.md")) == []
    assert links(rules_site.content("every.md")) == [("tcp", "TCP")] * 3
    assert links(rules_site.content("designs/chat.md")) == [("tcp", "TCP")]


def test_term_page_does_not_link_itself(rules_site: Site) -> None:
    content = rules_site.content("glossary/tcp.md")
    prose = [p for p in content.select("p") if "TCP page" in p.get_text()]
    assert [links(p) for p in prose] == [[("latency", "Latency")]]
    see_also = content.select_one(".sysdesign-see-also")
    assert see_also is not None and links(see_also) == [("latency", "Latency")]
    assert see_also.a["title"] == "How long one request takes."


# --- "Referenced by" -----------------------------------------------------------------------


def test_referenced_by_designs_first_then_pages_by_title(rules_site: Site) -> None:
    content = rules_site.content("glossary/tcp.md")
    [section] = content.select(".sysdesign-backlinks")
    assert section["data-term"] == "tcp"
    designs = [a.get_text() for a in section.select(".sysdesign-backlinks__designs a")]
    others = [a.get_text() for a in section.select(".sysdesign-backlinks__pages a")]
    # Chat mentions TCP three times and is listed once; the opted-out page and the
    # term page itself are not listed; the generated index links terms but is not prose.
    assert designs == ["Alpha Service", "Chat"]
    assert others == ["Deep notes", "Every mention", "Home", "Latency", "Rules"]
    anchors = section.select("a")
    assert section.select_one(".sysdesign-backlinks__designs") is section.select("ul")[0]
    for anchor in anchors:
        assert exists(rules_site, resolve(rules_site, "glossary/tcp.md", anchor["href"]))


def test_referenced_by_says_when_nothing_mentions_a_term(rules_site: Site) -> None:
    [section] = rules_site.content("glossary/base.md").select(".sysdesign-backlinks")
    assert section.select("a") == []
    assert "No page mentions this term yet." in section.get_text()


# --- the generated index -------------------------------------------------------------------


def test_generated_index_a_to_z_with_jumps_and_by_category(rules_site: Site) -> None:
    content = rules_site.content("glossary/index.md")
    jumps = content.select_one(".sysdesign-az")
    assert jumps is not None
    letters = [a.get_text() for a in jumps.select("a")]
    assert letters == ["A", "B", "C", "E", "L", "S", "T"]
    for anchor in jumps.select("a"):
        assert content.select_one(anchor["href"]) is not None  # every jump has its target
    a_to_z = content.select_one("#a-to-z")
    by_category = content.select_one("#by-category")
    assert a_to_z is not None and by_category is not None
    items = [li.get_text(" ", strip=True) for li in content.select("ul li")]
    assert "TCP — Reliable, ordered byte streams." in items
    assert "Consistency (CAP) — Every read sees the latest write." in items
    # Each term is listed twice: once A to Z, once by category.
    assert len(items) == 2 * len(TERM_PAGES)
    category_headings = [
        h.get_text(strip=True).rstrip("¶")
        for h in content.select("h3")
        if not h.get("id", "").startswith("letter-")
    ]
    assert category_headings == ["Networking", "Performance", "Storage", "Other"]
    assert links(content) == []  # the index is autolink: off
    for anchor in content.select("li a"):
        assert exists(rules_site, resolve(rules_site, "glossary/index.md", anchor["href"]))


# --- search --------------------------------------------------------------------------------


def test_search_indexes_a_term_page_without_its_backlinks_or_placeholders(
    rules_site: Site,
) -> None:
    # "Referenced by" is navigation, like the nav: a search for a design's title finds the
    # design, not every term page it mentions.
    raw = (rules_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "sysdesign-backlinks:" not in raw
    assert "klzzwxh" not in raw and "wzxhzdk" not in raw
    text = rules_site.search_text("glossary/tcp.md")
    assert "TCP is the TCP page" in text
    backlinks = rules_site.content("glossary/tcp.md").select_one(".sysdesign-backlinks")
    assert backlinks is not None
    titles = [a.get_text() for a in backlinks.select("a")]
    assert "Alpha Service" in titles and "Deep notes" in titles
    for words in ("Alpha Service", "Deep notes", "Referenced by"):
        assert words not in text
    rules_text = " ".join(d["text"] for d in rules_site.search_docs("rules.md"))
    assert "Transmission" in rules_text and "\x02" not in rules_text


def test_the_backlinks_are_in_the_written_page_only(rules_site: Site) -> None:
    """page.content, which MkDocs keeps for every page until the build ends, holds only the
    list's placeholder, an HTML comment, and links without their summaries."""
    files = rules_site.config.plugins["sysdesign"].files
    page = files.get_file_from_path("glossary/tcp.md").page
    assert "<!-- sysdesign-backlinks:tcp -->" in page.content
    assert "sysdesign-backlinks__" not in page.content
    # The see-also links' summaries, too, are added to the written page only.
    assert 'data-term="latency"' in page.content
    assert "How long one request takes." not in page.content
    written = rules_site.html("glossary/tcp.md")
    assert written.select(".sysdesign-backlinks__designs a") != []
    assert "sysdesign-backlinks:" not in str(written)


def test_search_reads_glossary_links_as_words_and_the_page_keeps_them(rules_site: Site) -> None:
    labels = [a.get_text() for a in rules_site.content("rules.md").select("a.sysdesign-term")]
    assert len(labels) == len(EXPECTED_RULES_LINKS)
    assert "sysdesign-term" not in " ".join(d["text"] for d in rules_site.search_docs("rules.md"))
    text = rules_site.search_text("rules.md")
    for label in labels:
        assert " ".join(label.split()) in text


# --- a site under a sub-path ---------------------------------------------------------------


@pytest.mark.parametrize("directory_urls", [True, False], ids=["dirurls", "fileurls"])
def test_sub_path_site_url_keeps_links_relative(make_site: Any, directory_urls: bool) -> None:
    files = {
        "index.md": "# Home\n\nTCP.\n",
        "a/b.md": "# B\n\nLatency over TCP.\n",
        **{k: v for k, v in TERM_PAGES.items() if k in ("glossary/tcp.md", "glossary/latency.md")},
    }
    config = {"site_url": "https://example.com/handbook/", **plugins(**NO_BUILTIN)}
    site = make_site(files, config, use_directory_urls=directory_urls)
    assert site.error is None and site.messages == []
    for src in ("index.md", "a/b.md", "glossary/tcp.md"):
        for link in site.content(src).select("a.sysdesign-term"):
            href = link["href"]
            assert not href.startswith(("/", "https:")), href
            target = resolve(site, src, href)
            assert target == site.url(f"glossary/{link['data-term']}.md")
            assert exists(site, target)
    backlinks = site.content("glossary/tcp.md").select(".sysdesign-backlinks a")
    assert [a.get_text() for a in backlinks] == ["B", "Home", "Latency"]
    for back, src in zip(backlinks, ["a/b.md", "index.md", "glossary/latency.md"], strict=True):
        assert resolve(site, "glossary/tcp.md", back["href"]) == site.url(src)


# --- which pages "Referenced by" lists, and the table of contents -----------------------------


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_backlinks_exclude_leaves_folders_and_patterns_out(make_site: Any, theme: str) -> None:
    files = {
        "index.md": "# Home\n\nTCP.\n",
        "changelog.md": "# Changelog\n\nTCP keep-alive.\n",
        "guide/configuration.md": "# Configuration\n\nTCP ports.\n",
        "guide/deep/tests.md": "# Browser tests\n\nTCP again.\n",
        "guides.md": "# Guides\n\nTCP, not in guide/.\n",
        "notes/draft-tcp.md": "# Draft\n\nTCP.\n",
        "glossary/tcp.md": glossary_page("TCP", "A byte stream."),
    }
    exclude = ["guide/", "changelog.md", "notes/draft-*"]
    site = make_site(files, plugins(backlinks_exclude=exclude, **NO_BUILTIN), theme=theme)
    assert site.error is None and site.messages == []
    backlinks = site.content("glossary/tcp.md").select(".sysdesign-backlinks a")
    assert [a.get_text() for a in backlinks] == ["Guides", "Home"]
    # The excluded pages still link the term.
    assert links(site.content("guide/configuration.md")) == [("tcp", "TCP")]


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_referenced_by_is_in_the_table_of_contents(make_site: Any, theme: str) -> None:
    body = "TCP is a protocol.\n\n## Handshake\n\nThree packets.\n"
    files = {
        "index.md": "# Home\n\nTCP.\n",
        "glossary/tcp.md": glossary_page("TCP", "A byte stream.", body),
    }
    site = make_site(files, plugins(**NO_BUILTIN), theme=theme)
    assert site.error is None and site.messages == []
    page = site.html("glossary/tcp.md")
    heading = page.select_one(".sysdesign-backlinks h2")
    assert heading is not None and heading.get_text() == "Referenced by"
    toc = [
        a
        for a in page.select('a[href^="#"]')
        if a.find_parent(class_="sysdesign-backlinks") is None
        and a.find_parent("article") is None
        and a.find_parent(role="main") is None
    ]
    entries = [(a["href"], a.get_text(" ", strip=True)) for a in toc]
    handshake = ("#handshake", "Handshake")
    referenced = (f"#{heading['id']}", "Referenced by")
    assert handshake in entries and referenced in entries
    assert entries.index(handshake) < entries.index(referenced)


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_the_referenced_by_label_is_text_in_the_table_of_contents(
    make_site: Any, theme: str
) -> None:
    files = {"glossary/tcp.md": glossary_page("TCP", "A byte stream.", "## Handshake\n\nx\n")}
    label = "Cited <b>by</b> & more"
    site = make_site(files, plugins(labels={"referenced_by": label}, **NO_BUILTIN), theme=theme)
    assert site.error is None and site.messages == []
    page = site.html("glossary/tcp.md")
    entries = page.select('a[href="#sysdesign-backlinks-tcp"]')
    assert entries and all(a.get_text(strip=True) == label for a in entries)
    assert all(a.find("b") is None for a in entries)


# --- explicit references and --strict --------------------------------------------------------

TYPO_PAGE = """\
---
title: Typo
tags: [x]
---
# Typo

Fine text.

| Topic | Note |
|---|---|
| ok | [[CAP theorem\\|CAP]] |
Trade-offs follow the [[CAP theorm]].
"""


def test_strict_build_fails_on_an_unknown_reference_with_file_and_line(make_site: Any) -> None:
    files = {"x.md": TYPO_PAGE, "glossary/cap-theorem.md": TERM_PAGES["glossary/cap-theorem.md"]}
    site = make_site(files, plugins(**NO_BUILTIN), strict=True)
    assert site.error is not None
    assert site.messages == [
        "mkdocs_sysdesign: docs/x.md:12: unknown glossary term 'CAP theorm' "
        "(did you mean 'CAP theorem'?); to add a term, write docs/glossary/cap-theorm.md "
        "with `term: CAP theorm` and `summary:` in its front matter"
    ]
    # The page was still written, with the text visible.
    content = site.content("x.md")
    unknown = content.select_one(".sysdesign-term-unknown")
    assert unknown is not None and unknown.get_text() == "CAP theorm"
    assert links(content) == [("cap-theorem", "CAP")]


def test_ambiguous_reference_and_the_ambiguous_option(make_site: Any) -> None:
    files = {
        "x.md": "# X\n\nBare consistency and [[consistency]].\n",
        "glossary/consistency-acid.md": TERM_PAGES["glossary/consistency-acid.md"],
        "glossary/consistency-cap.md": TERM_PAGES["glossary/consistency-cap.md"],
    }
    site = make_site(files, plugins(**NO_BUILTIN))
    [message] = site.messages
    assert message.startswith(
        "mkdocs_sysdesign: docs/x.md:3: ambiguous glossary term 'consistency'"
    )
    assert "consistency-acid" in message and "consistency-cap" in message
    assert links(site.content("x.md")) == []
    chosen = make_site(
        files, plugins(builtin_glossary=False, ambiguous={"consistency": "consistency-cap"})
    )
    assert chosen.messages == []
    # The bare word is linked (first mention) and so is the explicit reference.
    assert links(chosen.content("x.md")) == [
        ("consistency-cap", "consistency"),
        ("consistency-cap", "consistency"),
    ]


# --- term pages: validation -------------------------------------------------------------------


def test_term_front_matter_is_validated_with_file_and_line(make_site: Any) -> None:
    files = {
        "index.md": "# Home\n",
        "glossary/alpha.md": "---\nterm: Alpha\naliases: [first letter]\nsummary: A.\n"
        "see_also: [beta, nope]\n---\nBody.\n",
        "glossary/beta.md": "---\nterm: Beta\naliases: [first letter]\nsummary: B.\n---\nBody.\n",
        "glossary/gamma.md": "---\nterm: Alpha\nsummary: Again.\n---\nBody.\n",
        "glossary/delta.md": "---\naliases: [d]\ncategory: Storage\n---\nBody.\n",
        "glossary/epsilon.md": "---\nterm: Epsilon\ncategory: Storage\n---\nBody.\n",
    }
    site = make_site(files, plugins(**NO_BUILTIN))
    assert sorted(site.messages) == sorted(
        f"mkdocs_sysdesign: {message}"
        for message in [
            "docs/glossary/alpha.md:5: see_also: unknown term id 'nope'; expected the file name "
            "of a glossary page",
            "docs/glossary/beta.md:3: glossary: 'first letter' is both glossary/beta.md and "
            "glossary/alpha.md; expected each term and alias on one page only",
            "docs/glossary/gamma.md:2: glossary: 'alpha' is both glossary/gamma.md and "
            "glossary/alpha.md; expected each term and alias on one page only",
            "docs/glossary/delta.md:1: glossary page has no term; expected 'term: Name' in its "
            "front matter",
            "docs/glossary/delta.md:1: glossary term 'delta' has no summary; expected a "
            "one-sentence 'summary:' (it is the link's tooltip)",
            "docs/glossary/epsilon.md:2: glossary term 'Epsilon' has no summary; expected a "
            "one-sentence 'summary:' (it is the link's tooltip)",
        ]
    )
    assert site.error is None


# --- the shipped glossary ---------------------------------------------------------------------


def test_shipped_glossary_is_included_and_replaced_by_project_pages(make_site: Any) -> None:
    files = {
        "index.md": "# Home\n\nACID, BASE, TCP, UDP, caching and consistency.\n",
        # Same id, same term, same alias as a shipped page: each replaces it.
        "glossary/tcp.md": glossary_page("TCP", "Our own TCP."),
        "glossary/datagrams.md": glossary_page("UDP", "Our own UDP."),
        "glossary/cache-layer.md": glossary_page("Cache layer", "Ours.", aliases=["caching"]),
    }
    site = make_site(files, {"plugins": ["search", "sysdesign"]})
    assert site.error is None
    assert site.messages == []
    assert sorted(site.infos()) == [
        "mkdocs_sysdesign: docs/glossary/cache-layer.md: glossary: glossary/cache-layer.md "
        "replaces the shipped term 'Caching' (glossary/caching.md): its alias 'caching' is "
        "that term's name; the shipped page's address leads to glossary/cache-layer.md",
        "mkdocs_sysdesign: docs/glossary/datagrams.md: glossary: glossary/datagrams.md "
        "replaces the shipped term 'UDP' (glossary/udp.md): its term 'UDP' is that term's "
        "name; the shipped page's address leads to glossary/datagrams.md",
        "mkdocs_sysdesign: docs/glossary/tcp.md: glossary: glossary/tcp.md replaces the "
        "shipped term 'TCP' (glossary/tcp.md): same file name",
    ]
    assert links(site.content("index.md")) == [
        ("acid", "ACID"),
        ("base", "BASE"),
        ("tcp", "TCP"),
        ("datagrams", "UDP"),
        ("cache-layer", "caching"),
    ]
    [tcp] = site.content("index.md").select('a[data-term="tcp"]')
    assert tcp["title"] == "Our own TCP."
    # Shipped pages are served from the package, never copied into docs/.
    assert sorted(p.name for p in (site.root / "docs" / "glossary").iterdir()) == [
        "cache-layer.md",
        "datagrams.md",
        "tcp.md",
    ]
    assert site.output_path("glossary/acid.md").is_file()
    # The replaced pages' addresses lead to the pages that replace them.
    for former, by in [("udp", "datagrams"), ("caching", "cache-layer")]:
        assert_redirects(site, f"glossary/{former}.md", f"glossary/{by}.md")
    index_items = site.content("glossary/index.md").select("#a-to-z ~ ul li")
    assert len({li.get_text() for li in index_items}) == 58


def assert_redirects(site: Site, former: str, to: str) -> None:
    """The address of the page once built from ``former`` leads to the page from ``to``."""
    page = site.html(former)
    assert page.select_one("article, .md-content, [role=main]") is None  # no page of its own
    refresh = page.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None
    url = refresh["content"].split("url=", 1)[1]
    assert resolve(site, former, url) == site.url(to)
    assert exists(site, site.url(to))
    assert page.select_one("link[rel=canonical]")["href"] == url
    assert page.select_one("html")["lang"] == (site.config.theme.get("language") or "en")


def test_the_page_left_at_a_replaced_terms_address_is_in_the_sites_language(
    make_site: Any,
) -> None:
    files = {
        "index.md": "# Start\n\nWir senden [[udp]].\n",
        "glossary/datagrams.md": glossary_page("UDP", "Unser eigenes UDP."),
    }
    site = make_site(
        files, {"plugins": ["search", "sysdesign"], "theme": {"name": "material", "language": "de"}}
    )
    assert site.error is None and site.messages == []
    assert site.config.theme["language"] == "de"
    assert_redirects(site, "glossary/udp.md", "glossary/datagrams.md")  # checks `lang`


@pytest.mark.parametrize(("theme", "dir_urls"), THEMES_AND_URLS)
def test_a_project_term_named_like_a_shipped_alias_leaves_the_shipped_term_its_page(
    make_site: Any, theme: str, dir_urls: bool
) -> None:
    files = {
        "index.md": "# Home\n\nOur load balancer does load balancing; see [[load-balancing]].\n",
        "glossary/load-balancer.md": glossary_page("Load balancer", "Our Envoy fleet."),
        "glossary/datagrams.md": glossary_page("UDP", "Our own UDP."),
    }
    site = make_site(
        files, {"plugins": ["search", "sysdesign"]}, theme=theme, use_directory_urls=dir_urls
    )
    assert site.error is None and site.messages == []
    assert_redirects(site, "glossary/udp.md", "glossary/datagrams.md")
    assert [m for m in site.infos() if "Load Balancing" in m] == [
        "mkdocs_sysdesign: docs/glossary/load-balancer.md: glossary: 'load balancer' links to "
        "glossary/load-balancer.md, no longer to the shipped term 'Load Balancing' "
        "(glossary/load-balancing.md), whose alias it was; the shipped term keeps its page",
        "mkdocs_sysdesign: docs/glossary/load-balancer.md: glossary: 'load-balancer' links to "
        "glossary/load-balancer.md, no longer to the shipped term 'Load Balancing' "
        "(glossary/load-balancing.md), whose alias it was; the shipped term keeps its page",
    ]
    assert links(site.content("index.md")) == [
        ("load-balancer", "load balancer"),
        ("load-balancing", "load balancing"),
        ("load-balancing", "Load Balancing"),
    ]
    shipped = site.content("glossary/load-balancing.md")
    assert shipped.find("h1").get_text(strip=True) == "Load Balancing"
    ours = site.content("glossary/load-balancer.md")
    assert ours.find("h1").get_text(strip=True) == "Load balancer"


def test_builtin_glossary_false_ships_nothing(make_site: Any) -> None:
    site = make_site({"index.md": "# Home\n\nACID and TCP.\n"}, plugins(**NO_BUILTIN))
    assert site.error is None and site.messages == []
    assert links(site.content("index.md")) == []
    assert not (site.site_dir / "glossary").exists()


# --- autolink in the plugin config ------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "expected"),
    [("all", [("tcp", "TCP"), ("tcp", "TCP"), ("latency", "latency")]), ("off", [])],
)
def test_autolink_option(make_site: Any, mode: str, expected: list[tuple[str, str]]) -> None:
    files = {
        "index.md": "# Home\n\nTCP and TCP and latency.\n",
        "first.md": "---\nautolink: first\n---\n# First\n\nTCP and TCP.\n",
        "bad.md": "---\ntitle: Bad\nautolink: sometimes\n---\n# Bad\n\nTCP and TCP.\n",
        "glossary/tcp.md": TERM_PAGES["glossary/tcp.md"],
        "glossary/latency.md": TERM_PAGES["glossary/latency.md"],
    }
    site = make_site(files, plugins(builtin_glossary=False, autolink=mode))
    assert links(site.content("index.md")) == expected
    assert links(site.content("first.md")) == [("tcp", "TCP")]
    # An unknown value is reported and the plugin's setting applies.
    assert site.messages == [
        "mkdocs_sysdesign: docs/bad.md:3: autolink: 'sometimes' is not one of first, all, off"
    ]
    assert links(site.content("bad.md")) == expected[:2]


def _build_raw(root: Path, files: dict[str, str], yaml_text: str) -> Site:
    """Build a project whose ``mkdocs.yml`` is exactly ``yaml_text``."""
    config_file = write_project(root, files)
    config_file.write_text(textwrap.dedent(yaml_text), encoding="utf-8")
    cfg = load_config(str(config_file), site_dir=str(root / "site"))
    site = Site(root, root / "site", cfg)
    build(cfg)
    return site


def test_unquoted_off_is_accepted_in_mkdocs_yml(tmp_path: Path) -> None:
    files = {"index.md": "# Home\n\nTCP.\n", "glossary/tcp.md": TERM_PAGES["glossary/tcp.md"]}
    site = _build_raw(
        tmp_path,
        files,
        """
        site_name: Test
        theme: mkdocs
        nav: [index.md]
        plugins:
          - sysdesign:
              builtin_glossary: false
              autolink: off
              glossary_nav: off
        """,
    )
    assert links(site.content("index.md")) == []


# --- the glossary in an explicit nav ----------------------------------------------------------


def nav_links(site: Site) -> list[tuple[str, str]]:
    """(title, resolved URL) of the primary nav of the Material theme."""
    soup = site.html("index.md")
    return [
        (a.get_text(" ", strip=True), resolve(site, "index.md", a["href"]))
        for a in soup.select("nav.md-nav--primary a.md-nav__link")
    ]


NAV_FILES = {
    "index.md": "# Home\n\nTCP.\n",
    "other.md": "# Other\n",
    "glossary/tcp.md": TERM_PAGES["glossary/tcp.md"],
    "glossary/latency.md": TERM_PAGES["glossary/latency.md"],
}


def test_explicit_nav_gets_a_glossary_section(make_site: Any) -> None:
    site = make_site(NAV_FILES, {"nav": [{"Home": "index.md"}], **plugins(**NO_BUILTIN)})
    assert site.messages == []
    # Terms are grouped by category (Networking, Performance), each group by name.
    assert nav_links(site) == [
        ("Home", ""),
        ("Glossary", "glossary/"),
        ("TCP", "glossary/tcp/"),
        ("Latency", "glossary/latency/"),
    ]
    sections = [
        label.get_text(strip=True)
        for label in site.html("index.md").select("nav.md-nav--primary label.md-nav__link")
    ]
    assert "Glossary" in sections
    assert "Networking" in sections and "Performance" in sections


def test_glossary_nav_off_leaves_the_nav_alone(make_site: Any) -> None:
    config = {"nav": [{"Home": "index.md"}, {"Other": "other.md"}]}
    site = make_site(NAV_FILES, {**config, **plugins(builtin_glossary=False, glossary_nav="off")})
    assert nav_links(site) == [("Home", ""), ("Other", "other/")]
    assert site.output_path("glossary/tcp.md").is_file()


def test_nav_that_places_glossary_pages_is_left_as_is(make_site: Any) -> None:
    nav = [{"Home": "index.md"}, {"Words": ["glossary/tcp.md"]}]
    site = make_site(NAV_FILES, {"nav": nav, **plugins(**NO_BUILTIN)})
    assert nav_links(site) == [("Home", ""), ("TCP", "glossary/tcp/")]


def test_custom_glossary_dir_and_a_user_written_index(make_site: Any) -> None:
    files = {
        "index.md": "# Home\n\nTCP.\n",
        "terms/index.md": "# Our words\n\nHand-written index.\n",
        "terms/tcp.md": TERM_PAGES["glossary/tcp.md"],
        "glossary/latency.md": TERM_PAGES["glossary/latency.md"],  # not a term page here
    }
    site = make_site(files, plugins(builtin_glossary=False, glossary_dir="terms"))
    assert site.error is None
    assert links(site.content("index.md")) == [("tcp", "TCP")]
    index = site.content("terms/index.md")
    assert "Hand-written index." in index.get_text()
    assert index.select_one(".sysdesign-az") is None
    assert site.content("terms/tcp.md").select(".sysdesign-backlinks") != []
    assert site.content("glossary/latency.md").select(".sysdesign-backlinks") == []


def test_term_page_has_a_title_on_the_mkdocs_theme_and_lines_stay_right(make_site: Any) -> None:
    page = "---\nterm: TCP\nsummary: Transport.\n---\nReliable.\n\nSee [[UDPX]].\n"
    site = make_site(
        {"index.md": "# Home\n", "glossary/tcp.md": page},
        plugins(**NO_BUILTIN),
        theme="mkdocs",
    )
    h1 = site.content("glossary/tcp.md").find("h1")
    assert h1 is not None and h1.get_text(strip=True) == "TCP"
    assert any(
        "docs/glossary/tcp.md:7: unknown glossary term 'UDPX';" in m for m in site.messages
    ), site.messages
