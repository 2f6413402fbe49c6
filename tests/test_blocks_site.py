"""The entity, api and dataflow blocks and the review scorecard in real MkDocs builds."""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from harness import THEMES_AND_URLS, Site

from mkdocs_sysdesign.blocks import MERMAID_CONFIG

NO_GLOSSARY: dict[str, Any] = {"plugins": [{"sysdesign": {"builtin_glossary": False}}]}
PREFIX = "mkdocs_sysdesign: "
MERMAID_ASSET = Path(__file__).resolve().parent.parent / "mkdocs_sysdesign/assets/mermaid"

# Five lines of front matter, then the body: its first line, the title, is file line 6.
FRONT_MATTER = """\
---
title: X
design:
  status: draft
---
# X

## Core Entities

"""
FIRST_FENCE_LINE = 10
"""File line of the opening fence of a block appended to FRONT_MATTER."""

BLOCKS_PAGE = """\
---
title: Chat
design:
  status: draft
---
# Chat

## Core Entities

```entity
name: Bucket
notes: One token bucket per API key and route.
properties:
  bucket_key: string
  tokens: {type: int, required: true, notes: refilled every second}
```

```entity
- name: Message
  properties:
    - name: message_id
      type: uuid
      key: true
    - name: body
      type: text
      description: up to 4,000 characters
- name: Channel
  properties:
    channel_id: uuid
```

## API

```api
protocol: REST over HTTPS
routes:
  - method: POST
    path: /v1/channels/{channel_id}/messages
    parameters:
      body: string
    returns: 201 with the message id
    auth: bearer token
  - method: GET
    path: /v1/channels/{channel_id}/messages
    parameters:
      - name: since
        type: timestamp
        notes: optional
    returns: 200 with a page of messages
```

## Data Flow

```dataflow
# a comment, then the flow
Client -> API Gateway: POST /v1/channels/42/messages

API Gateway -> Message Store: insert
Message Store --> API Gateway: ok
Client <- API Gateway: 201 Created
```
"""


def plugin_messages(site: Site) -> list[str]:
    """The plugin's warnings without the logger's prefix."""
    assert all(message.startswith(PREFIX) for message in site.messages), site.messages
    return [message[len(PREFIX) :] for message in site.messages]


def as_written(article: Any, language: str) -> list[str]:
    """Texts of the blocks of ``language`` that are shown as written."""
    return [
        code.get_text()
        for code in article.select(f"pre.sysdesign-invalid > code.language-{language}")
    ]


def local_target(site: Site, page: Path, url: str) -> Path:
    """The file in the site that a local URL written on ``page`` points to."""
    path = url.split("#")[0].split("?")[0]
    if path.startswith("/"):
        target = site.site_dir / path.lstrip("/")
    else:
        relative = page.parent.relative_to(site.site_dir).as_posix()
        target = site.site_dir / posixpath.normpath(posixpath.join(relative, path))
    return target / "index.html" if url.split("#")[0].endswith("/") or target.is_dir() else target


# -- every block renders -----------------------------------------------------------------


@pytest.mark.parametrize(("theme", "dir_urls"), THEMES_AND_URLS)
def test_every_block_form_renders_on_both_themes(make_site, theme: str, dir_urls: bool) -> None:
    site = make_site(
        {"designs/chat.md": BLOCKS_PAGE},
        NO_GLOSSARY,
        theme=theme,
        use_directory_urls=dir_urls,
        strict=True,
    )
    assert site.error is None, site.warnings
    article = site.content("designs/chat.md")
    assert article.select(".sysdesign-invalid") == []

    # Short form (one mapping) and long form (a list, with properties as a list or mapping).
    entities = article.select("div.sysdesign-entity")
    assert [e["data-entity"] for e in entities] == ["Bucket", "Message", "Channel"]
    bucket, message, channel = entities
    assert "One token bucket per API key and route." in bucket.get_text()
    assert [tr["data-property"] for tr in bucket.select("tbody tr")] == ["bucket_key", "tokens"]
    tokens = bucket.select_one('tr[data-property="tokens"]')
    assert tokens.select_one('[data-flag="required"]') is not None
    assert "refilled every second" in tokens.get_text()
    assert [tr["data-property"] for tr in message.select("tbody tr")] == ["message_id", "body"]
    assert message.select_one('tr[data-property="message_id"] [data-flag="key"]') is not None
    assert "up to 4,000 characters" in message.get_text()
    assert channel.select_one('tr[data-property="channel_id"]').get_text(" ", strip=True) == (
        "channel_id uuid"
    )

    api = article.select_one("div.sysdesign-api")
    assert api["data-protocol"] == "REST over HTTPS"
    routes = api.select("tbody tr")
    assert [(r["data-method"], r["data-path"]) for r in routes] == [
        ("POST", "/v1/channels/{channel_id}/messages"),
        ("GET", "/v1/channels/{channel_id}/messages"),
    ]
    assert [li["data-parameter"] for li in routes[0].select("li")] == ["body"]
    assert "bearer token" in routes[0].get_text()
    assert routes[1].select_one('li[data-parameter="since"]').get_text(" ", strip=True) == (
        "since : timestamp (optional)"
    )

    flow = article.select_one("div.sysdesign-dataflow")
    source = flow.select_one("pre.mermaid > code").get_text().splitlines()
    # Drawn at its natural size, scrolled sideways when wider than the page.
    assert source[:6] == [*MERMAID_CONFIG, "sequenceDiagram"]
    assert "    useMaxWidth: false" in source[:5]
    assert len(flow.select("ol.sysdesign-dataflow__steps > li")) == 4

    # The blocks tick the checklist items they provide.
    panel = article.select_one(".sysdesign-checklist")
    done = {li["data-item"] for li in panel.select('[data-done="true"]')}
    assert {"models", "properties", "protocol", "routes", "parameters", "returns"} <= done
    assert "flow" in done


def test_blocks_render_on_pages_that_are_not_designs(make_site) -> None:
    page = BLOCKS_PAGE.split("---\n", 2)[2]
    site = make_site({"guide.md": page}, NO_GLOSSARY, theme="mkdocs", strict=True)
    assert site.error is None, site.warnings
    article = site.content("guide.md")
    assert len(article.select(".sysdesign-entity")) == 3
    assert len(article.select(".sysdesign-api")) == 1
    assert len(article.select(".sysdesign-dataflow")) == 1
    assert article.select_one(".sysdesign-checklist") is None


def test_script_in_a_block_is_text_in_the_built_page(make_site) -> None:
    evil = "<script>alert(1)</script>"
    page = f"# P\n\n```entity\nname: '{evil}'\nproperties:\n  x: '{evil}'\n```\n"
    site = make_site({"p.md": page}, NO_GLOSSARY, theme="mkdocs")
    article = site.content("p.md")
    assert article.find("script") is None
    assert article.select_one(".sysdesign-entity strong").get_text() == evil


# -- bad blocks: warnings with file and line, the block shown as written ---------------------

BAD_BLOCKS = [
    # language, body, line in the body of the problem, start of the message, fatal
    ("entity", "name: Bucket\ncolour: red", 2, "entity: unknown key 'colour'", False),
    (
        "entity",
        "- name: Message\n  properties:\n    - name: body\n      typ: text",
        4,
        "entity: unknown key 'typ' in entity 'Message'",
        False,
    ),
    ("entity", "properties:\n  a: int", 1, "entity: an entity has no name", True),
    ("entity", "name: Bucket\nproperties: [a", 2, "invalid YAML in entity block", True),
    (
        "entity",
        "name: Bucket\nproperties:\n  a: int\n b: int",
        4,
        "invalid YAML in entity block: expected <block end>, but found '<block mapping start>' "
        "(check the indentation of this line and the one before)",
        True,
    ),
    ("api", "protocol: REST\nroutes:\n  - path: /a\n    verb: GET", 4, "api: unknown key", False),
    ("api", "protocol: REST\nroutes: /a", 2, "api: routes are the text '/a'", True),
    ("api", "- protocol: REST", 1, "api: the block is a list", True),
    ("dataflow", "A -> B: x\nB then C", 2, "dataflow: line has no arrow", True),
    ("dataflow", "A -> B\n\nA <-> B", 3, "dataflow: unknown arrow '<->'", True),
    ("dataflow", "# only a comment", 1, "dataflow: the block has no arrows", True),
]


@pytest.mark.parametrize(("language", "body", "line", "start", "fatal"), BAD_BLOCKS)
def test_bad_block_warning_names_the_file_line_counted_from_the_top_of_the_file(
    make_site, language: str, body: str, line: int, start: str, fatal: bool
) -> None:
    page = FRONT_MATTER + f"```{language}\n{body}\n```\n"
    site = make_site({"designs/x.md": page}, NO_GLOSSARY, theme="mkdocs")
    messages = plugin_messages(site)
    assert len(messages) == 1, messages
    assert messages[0].startswith(f"docs/designs/x.md:{FIRST_FENCE_LINE + line}: {start}")
    assert "expected" in messages[0]
    lines = (site.root / "docs/designs/x.md").read_text(encoding="utf-8").split("\n")
    assert lines[FIRST_FENCE_LINE - 1] == f"```{language}"
    article = site.content("designs/x.md")
    if fatal:
        assert as_written(article, language) == [body]
        assert article.select(f".sysdesign-{language}") == []
    else:
        assert article.select_one(f"div.sysdesign-{language}") is not None


def test_five_lines_of_front_matter_and_a_bad_key_on_line_14(make_site) -> None:
    page = FRONT_MATTER + "Text.\n\n```entity\nname: Bucket\ncolour: red\n```\n"
    site = make_site({"designs/x.md": page}, NO_GLOSSARY)
    assert plugin_messages(site) == [
        "docs/designs/x.md:14: entity: unknown key 'colour'; "
        "expected one of name, notes, description, properties"
    ]


def test_a_block_with_an_unknown_key_keeps_the_text_the_author_wrote(make_site) -> None:
    page = FRONT_MATTER + "```entity\nname: Bucket\ncolour: ultramarine\n```\n"
    site = make_site({"designs/x.md": page}, NO_GLOSSARY, theme="mkdocs")
    assert any("unknown key 'colour'" in m for m in plugin_messages(site))
    article = site.content("designs/x.md")
    assert "ultramarine" in article.get_text()
    # The rendered table stays, and the block as written is folded under it.
    assert article.select_one(".sysdesign-entity") is not None
    assert article.select_one("details.sysdesign-source pre.sysdesign-invalid") is not None


def test_bad_blocks_in_admonitions_lists_and_tabs_name_their_own_lines(make_site) -> None:
    page = (
        "---\ntitle: P\n---\n# P\n\n"  # lines 1-5
        "!!! note\n\n    ```api\n    protocol: REST\n    routes: /a\n    ```\n\n"  # 6-12
        "- item\n\n    ```dataflow\n    A -> B\n    oops\n    ```\n\n"  # 13-19
        '=== "Tab"\n\n    ```entity\n    name: A\n    properties: nope\n    ```\n'  # 20-25
    )
    site = make_site(
        {"p.md": page},
        {**NO_GLOSSARY, "markdown_extensions": ["admonition", "pymdownx.tabbed"]},
        theme="mkdocs",
    )
    lines = [m.split(": ", 1)[0] for m in plugin_messages(site)]
    assert lines == ["docs/p.md:10", "docs/p.md:17", "docs/p.md:24"]
    article = site.content("p.md")
    assert as_written(article, "api") == ["protocol: REST\nroutes: /a"]
    assert as_written(article, "dataflow") == ["A -> B\noops"]
    assert as_written(article, "entity") == ["name: A\nproperties: nope"]


def test_identical_bad_blocks_each_name_their_own_line(make_site) -> None:
    block = "```dataflow\nnot an arrow\n```\n"
    site = make_site({"p.md": "# P\n\n" + block + "\nText.\n\n" + block}, NO_GLOSSARY)
    assert [m.split(": ", 1)[0] for m in plugin_messages(site)] == ["docs/p.md:4", "docs/p.md:10"]
    assert as_written(site.content("p.md"), "dataflow") == ["not an arrow", "not an arrow"]


def test_crlf_line_endings_count_lines_the_same(make_site) -> None:
    page = FRONT_MATTER + "Text.\n\n```entity\nname: Bucket\ncolour: red\n```\n"
    site = make_site({"designs/x.md": page.replace("\n", "\r\n")}, NO_GLOSSARY)
    assert [m.split(": ", 1)[0] for m in plugin_messages(site)] == ["docs/designs/x.md:14"]


def test_a_block_inside_a_longer_code_fence_is_an_example_not_a_block(make_site) -> None:
    example = "```entity\nname: Bucket\ncolour: red\n```"
    page = f"# Guide\n\n````markdown\n{example}\n````\n\n{example}\n"
    site = make_site({"guide.md": page}, NO_GLOSSARY, theme="mkdocs")
    # Only the real block (lines 10-13) is read: its warning names its line 12.
    assert [m.split(": ", 1)[0] for m in plugin_messages(site)] == ["docs/guide.md:12"]
    article = site.content("guide.md")
    assert len(article.select(".sysdesign-entity")) == 1
    code = [
        pre.get_text()
        for pre in article.select("pre")
        if "colour: red" in pre.get_text() and not pre.find_parent("details")
    ]
    assert code == [example + "\n"]


def test_strict_build_fails_on_a_bad_block(make_site) -> None:
    page = FRONT_MATTER + "```api\nroutes: nope\n```\n"
    site = make_site({"designs/x.md": page}, NO_GLOSSARY, strict=True)
    assert site.error is not None
    assert any(m.startswith("docs/designs/x.md:11: api: routes") for m in plugin_messages(site))


# -- the data flow --------------------------------------------------------------------------

_PARTICIPANT = re.compile(r"^\s*participant (P\d+) as (.*)$")
_MESSAGE = re.compile(r"^\s*(P\d+)(-->>|->>)(P\d+):\s?(.*)$")


def _codes_decoded(text: str) -> str:
    """Text as Mermaid draws it: ``#58;`` is ``:``."""
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def test_dataflow_list_matches_the_arrows_one_to_one(make_site) -> None:
    flow = (
        "Web Client -> API Gateway: POST /urls: with a body\n"
        "# a comment\n"
        "API Gateway -> Key Service: next code\n"
        "API Gateway <-- Key Service: aZ3kq9B\n"
        "\n"
        "Database <- API Gateway: INSERT\n"
        "API Gateway --> Web Client: 201 Created\n"
        "Web Client -> CDN\n"
    )
    expected = [
        ("Web Client", "request", "API Gateway", "POST /urls: with a body"),
        ("API Gateway", "request", "Key Service", "next code"),
        ("Key Service", "reply", "API Gateway", "aZ3kq9B"),
        ("API Gateway", "request", "Database", "INSERT"),
        ("API Gateway", "reply", "Web Client", "201 Created"),
        ("Web Client", "request", "CDN", ""),
    ]
    site = make_site({"flow.md": f"# Flow\n\n```dataflow\n{flow}```\n"}, NO_GLOSSARY, strict=True)
    assert site.error is None, site.warnings
    block = site.content("flow.md").select_one("div.sysdesign-dataflow")

    items = block.select("ol.sysdesign-dataflow__steps > li")
    listed = []
    for li in items:
        label = li.select_one(".sysdesign-dataflow__label")
        source = li.select_one(".sysdesign-dataflow__source").get_text()
        target = li.select_one(".sysdesign-dataflow__target").get_text()
        assert (source, target) == (li["data-source"], li["data-target"])
        listed.append((source, li["data-kind"], target, label.get_text() if label else ""))
    assert listed == expected

    names: dict[str, str] = {}
    drawn = []
    source_lines = block.select_one("pre.mermaid > code").get_text().splitlines()
    for line in source_lines[len(MERMAID_CONFIG) + 1 :]:
        if match := _PARTICIPANT.match(line):
            names[match.group(1)] = _codes_decoded(match.group(2))
        else:
            match = _MESSAGE.match(line)
            assert match is not None, line
            source, arrow, target, label = match.groups()
            kind = "reply" if arrow == "-->>" else "request"
            drawn.append((names[source], kind, names[target], _codes_decoded(label)))
    assert drawn == expected
    assert list(names.values()) == ["Web Client", "API Gateway", "Key Service", "Database", "CDN"]


# -- offline --------------------------------------------------------------------------------

_REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"url\(\s*['\"]?\s*(?:https?:)?//", re.IGNORECASE)


def test_rendered_pages_request_nothing_from_other_hosts(make_site) -> None:
    files = {
        "index.md": BLOCKS_PAGE.split("---\n", 2)[2]
        + "\n```mermaid\ngraph LR\n  A --> B\n```\n\n```sysdesign\ntable: graph\n```\n",
        "designs/a.md": FRONT_MATTER.replace("X", "A") + "```entity\nname: A\n```\n",
        "designs/b.md": "---\ndesign:\n  related: [designs/a.md]\n---\n# B\n\n## API\n",
    }
    config = {"plugins": ["search", {"sysdesign": {"builtin_glossary": False}}]}
    site = make_site(files, config, theme="material", strict=True)
    assert site.error is None, site.warnings
    pages = sorted(site.site_dir.rglob("*.html"))
    assert len(pages) >= 4
    mermaid_pages = 0
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        requested = [
            *(tag.get("src") for tag in soup.find_all(["script", "img", "iframe", "source"])),
            *(tag.get("href") for tag in soup.find_all("link")),
            *(tag.get("data") for tag in soup.find_all("object")),
        ]
        requested = [url for url in requested if url]
        remote = [url for url in requested if _REMOTE.match(url)]
        assert remote == [], f"{page}: {remote}"
        styles = [tag.get_text() for tag in soup.find_all("style")]
        styles += [tag["style"] for tag in soup.find_all(style=True)]
        assert not [s for s in styles if _CSS_URL.search(s)], page
        # Whatever the page loads is in the site itself.
        for url in requested:
            if not url.startswith("data:"):
                assert local_target(site, page, url).is_file(), f"{page}: {url}"
        if soup.select("pre.mermaid"):
            mermaid_pages += 1
            scripts = [tag.get("src", "") for tag in soup.find_all("script")]
            assert any(src.endswith("assets/sysdesign/mermaid.min.js") for src in scripts), page
    assert mermaid_pages >= 1
    served = site.site_dir / "assets/sysdesign/mermaid.min.js"
    assert served.read_bytes() == (MERMAID_ASSET / "mermaid.min.js").read_bytes()
    css = (site.site_dir / "assets/sysdesign/sysdesign.css").read_text(encoding="utf-8")
    assert not _CSS_URL.search(css) and "@import" not in css


# -- the review scorecard -------------------------------------------------------------------

REVIEWED = """\
---
title: Reviewed
design:
  status: in-review
  review:
    problem-solving: 4
    communication: 3
---
# Reviewed

## Requirements
"""

CRITERIA_PAGE = """\
# Evaluation criteria

## Problem Solving
## Solution Design
## Technical Excellence
## Communication
## Steering
"""

CRITERIA = [
    "problem-solving",
    "solution-design",
    "technical-excellence",
    "communication",
    "steering",
]


@pytest.mark.parametrize(("theme", "dir_urls"), THEMES_AND_URLS)
def test_review_front_matter_shows_the_scorecard_linked_to_the_criteria(
    make_site, theme: str, dir_urls: bool
) -> None:
    site = make_site(
        {"designs/r.md": REVIEWED, "criteria.md": CRITERIA_PAGE},
        NO_GLOSSARY,
        theme=theme,
        use_directory_urls=dir_urls,
        strict=True,
    )
    assert site.error is None, site.warnings
    card = site.content("designs/r.md").select_one("div.sysdesign-review")
    assert card is not None
    rows = card.select("tbody tr[data-criterion]")
    assert [row["data-criterion"] for row in rows] == CRITERIA
    scores = {
        row["data-criterion"]: row.find_all("td")[1].get_text(" ", strip=True) for row in rows
    }
    assert scores == {
        "problem-solving": "4 / 5",
        "solution-design": "not scored",
        "technical-excellence": "not scored",
        "communication": "3 / 5",
        "steering": "not scored",
    }
    assert card.select_one("tfoot").get_text(" ", strip=True) == "Average 3.5 / 5"
    criteria = site.html("criteria.md")
    page = site.output_path("designs/r.md")
    for row in rows:
        link = row.select_one("a.sysdesign-review__criterion")
        url, _, anchor = link["href"].partition("#")
        assert anchor == row["data-criterion"]
        assert local_target(site, page, url) == site.output_path("criteria.md")
        assert criteria.find(id=anchor) is not None


def test_scorecard_without_a_criteria_page_has_no_links(make_site) -> None:
    site = make_site({"designs/r.md": REVIEWED}, NO_GLOSSARY, strict=True)
    assert site.error is None, site.warnings
    card = site.content("designs/r.md").select_one("div.sysdesign-review")
    assert card.find("a") is None
    assert [s.get_text() for s in card.select(".sysdesign-review__criterion")][:2] == [
        "Problem Solving",
        "Solution Design",
    ]


def test_a_design_without_review_has_no_scorecard(make_site) -> None:
    page = REVIEWED.replace("  review:\n    problem-solving: 4\n    communication: 3\n", "")
    site = make_site({"designs/r.md": page, "criteria.md": CRITERIA_PAGE}, NO_GLOSSARY)
    assert site.content("designs/r.md").select_one(".sysdesign-review") is None


# -- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_search_indexes_the_words_of_blocks_and_the_page_keeps_their_markup(
    make_site, theme: str
) -> None:
    config = {"plugins": ["search", *NO_GLOSSARY["plugins"]]}
    site = make_site({"designs/chat.md": BLOCKS_PAGE}, config, theme=theme, strict=True)
    assert site.error is None, site.warnings
    raw = site.output_path("designs/chat.md").read_text(encoding="utf-8")
    assert "sysdesign-search" not in raw
    article = site.content("designs/chat.md")
    assert len(article.select("div.sysdesign-entity tbody tr")) == 5
    assert article.select_one("div.sysdesign-dataflow pre.mermaid") is not None
    docs = site.search_docs("designs/chat.md")
    words = site.search_text("designs/chat.md")
    for expected in ("bucket_key", "refilled every second", "/v1/channels/{channel_id}/messages"):
        assert expected in words
    assert "sequenceDiagram" not in words  # the diagram's source; its steps are listed
    assert "<table" not in " ".join(d["text"] for d in docs)


def test_a_build_does_not_keep_the_blocks_it_parsed(make_site) -> None:
    """Blocks read while collecting designs go to the page's rendering, not kept twice."""
    from mkdocs_sysdesign import blocks

    caches = (blocks._parse_entity_cached, blocks._parse_api_cached)
    for cache in caches:
        cache.results.clear()
    design = (
        "# A\n\n## Core Entities\n\n```entity\nname: Leftover\nproperties:\n  id: uuid\n```\n\n"
        "## API\n\n```api\nprotocol: REST\nroutes:\n  - method: GET\n    path: /leftovers\n```\n"
    )
    site = make_site({"designs/a.md": design}, NO_GLOSSARY, theme="mkdocs")
    assert site.error is None
    assert site.content("designs/a.md").select_one('[data-entity="Leftover"]') is not None
    assert site.content("designs/a.md").select_one('tr[data-path="/leftovers"]') is not None
    assert [cache.results for cache in caches] == [{}, {}]
