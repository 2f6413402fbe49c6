"""Bad input, class by class: a clear message with file and line, no crash, nothing lost.

Each case of :data:`BAD` is a small site with one mistake. The build must finish, the
plugin must name the file and line of the mistake and say what it expected, a
``--strict`` build must fail, and the rest of the page (a sentinel sentence, and where
it applies the very text that did not parse) must still be shown.

The cases of :data:`GOOD` are unusual but valid input (huge lines, deep nesting, odd
Unicode, CRLF, a byte-order mark, tabs): they build under ``--strict`` without any
warning and lose no word.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import pytest

NO_GLOSSARY = {"plugins": [{"sysdesign": {"builtin_glossary": False}}]}
SENTINEL = "Sentinel sentence: the rest of this page stays visible."
REQUIREMENTS = "## Requirements\n\nUsers shorten links.\n"


def page(front: str | None, body: str = REQUIREMENTS, title: str = "Page") -> str:
    """A page with optional front matter (its lines start at file line 2), an H1 and a body.

    The sentinel sentence ends every page, so a test can see the page's text survived.
    """
    head = f"---\n{front}---\n" if front is not None else ""
    return f"{head}# {title}\n\n{body}\n{SENTINEL}\n"


def fenced(language: str, content: str, heading: str = "## Requirements") -> str:
    """A design body whose section holds one fenced block (the fence opens on body line 3)."""
    return f"{heading}\n\n```{language}\n{content}```\n\nUsers shorten links.\n"


def term(name: str, summary: str | None = "A term used in tests.", extra: str = "") -> str:
    """A user glossary page (``term:`` on line 2, ``summary:`` on line 3)."""
    lines = f"term: {name}\n"
    if summary is not None:
        lines += f"summary: {summary}\n"
    return page(lines + extra, body=f"{name} is explained here.\n", title=name)


@dataclass(frozen=True)
class Bad:
    """One class of bad input: the site, where the warning must point and what it says."""

    files: dict[str, str]
    src: str
    line: int
    expected: str
    """The stable part of the message that says what is wrong or what was expected."""
    shown: tuple[str, ...] = ()
    """Text of the page that must stay visible besides the sentinel (what did not parse)."""
    also: tuple[str, ...] = field(default=())
    """Further text the same message must contain (for example both files of a clash)."""
    bug: str = ""
    """When set, a known bug in the package makes this case fail (an xfail with this reason)."""


def design(front: str, body: str = REQUIREMENTS) -> dict[str, str]:
    """A site with one design, ``designs/d.md``, whose front matter starts at line 2."""
    return {"designs/d.md": page(front, body)}


def block(language: str, content: str, heading: str = "## Requirements") -> dict[str, str]:
    """A site with one design holding one fenced block (first content line is file line 6)."""
    return {"designs/d.md": page(None, fenced(language, content, heading))}


D = "designs/d.md"
CAP = {"glossary/cap-theorem.md": term("CAP theorem")}

BAD: dict[str, Bad] = {
    # -- front matter ---------------------------------------------------------------
    "yaml-unclosed-bracket": Bad(
        design("title: Fine\ndesign:\n  owners: [alice, bob\n  status: draft\n"),
        D,
        5,
        "front matter is not valid YAML",
        shown=("owners: [alice, bob",),
        also=("expected a YAML mapping",),
    ),
    "yaml-bad-indentation": Bad(
        design("title: Fine\ndesign:\n  status: draft\n owners: [alice]\n"),
        D,
        5,
        "front matter is not valid YAML",
        shown=("owners: [alice]",),
        also=(
            "expected <block end>, but found '<block mapping start>' (check the indentation "
            "of this line and the one before)",
        ),
    ),
    "front-matter-list": Bad(
        design("- alice\n- bob\n"), D, 2, "front matter is a list; expected a mapping"
    ),
    "front-matter-text": Bad(
        design("just a sentence\n"), D, 2, "expected a mapping", shown=("just a sentence",)
    ),
    "front-matter-unclosed": Bad(
        {D: "---\ntitle: Open\n\n# Page\n\n" + REQUIREMENTS + "\n" + SENTINEL + "\n"},
        D,
        1,
        "front matter is not closed; expected a line '---'",
        shown=("title: Open",),
    ),
    "title-html": Bad(
        design("title: A <em>bold</em> design\n"), D, 2, "contains HTML", also=("plain text",)
    ),
    "title-html-ordinary-page": Bad(
        {"notes.md": page("title: A <em>bold</em> page\n", "Notes.\n")},
        "notes.md",
        2,
        "contains HTML",
    ),
    "title-html-term-page": Bad(
        {"glossary/tcp.md": term("TCP", extra="title: The <em>TCP</em> page\n")},
        "glossary/tcp.md",
        4,
        "contains HTML",
    ),
    "front-matter-repeated-key": Bad(
        design("design:\n  status: draft\n  status: bogus\n"),
        D,
        4,
        "'bogus' is not one of draft",
    ),
    "empty-front-matter": Bad(
        {**CAP, "notes.md": "---\n\n---\n" + page(None, "See the [[CAP theorm]].\n")},
        "notes.md",
        6,
        "unknown glossary term 'CAP theorm'",
        shown=("CAP theorm",),
    ),
    "multimarkdown-meta": Bad(
        {**CAP, "notes.md": "Summary: short\nAuthor: me\n\nSee the [[CAP theorm]].\n\n" + SENTINEL},
        "notes.md",
        4,
        "unknown glossary term 'CAP theorm'",
        shown=("CAP theorm",),
    ),
    "tags-mapping": Bad(design("tags: {storage: 1}\n"), D, 2, "tags: expected a list of text"),
    "design-not-mapping": Bad(design("design: draft\n"), D, 2, "design: expected a mapping"),
    "design-empty-key-typo": Bad(
        design("design:\n  reviwers: [carol]\n"),
        D,
        3,
        "design.reviwers: unknown key (did you mean 'reviewers'?)",
        also=("expected one of status, owners",),
    ),
    "status-unknown": Bad(
        design("design:\n  status: aproved\n"),
        D,
        3,
        "is not one of draft, in-review, approved",
        also=("did you mean 'approved'?",),
    ),
    "status-list": Bad(design("design:\n  status: [draft]\n"), D, 3, "is not one of draft"),
    "owners-mapping": Bad(
        design("design:\n  owners: {alice: 1}\n"), D, 3, "design.owners: expected a list of names"
    ),
    "reviewers-boolean": Bad(
        design("design:\n  reviewers: yes\n"), D, 3, "design.reviewers: expected a list of names"
    ),
    "created-text": Bad(
        design("design:\n  created: last week\n"), D, 3, "is not a date; expected YYYY-MM-DD"
    ),
    "updated-number": Bad(
        design("design:\n  status: draft\n  updated: 12\n"),
        D,
        4,
        "design.updated: 12 is not a date; expected YYYY-MM-DD",
    ),
    "date-impossible": Bad(
        design("design:\n  created: 2026-02-30\n"),
        D,
        3,
        "front matter cannot be read ('2026-02-30'",
        also=("dates written YYYY-MM-DD",),
    ),
    "updated-before-created": Bad(
        design("design:\n  created: 2026-05-01\n  updated: 2026-04-01\n"),
        D,
        4,
        "design.updated: 2026-04-01 is before design.created 2026-05-01",
    ),
    "summary-list": Bad(
        design("design:\n  summary: [one, two]\n"), D, 3, "design.summary: expected text"
    ),
    "supersedes-mapping": Bad(
        design("design:\n  supersedes: {file: designs/a.md}\n"),
        D,
        3,
        "design.supersedes: expected a path, or a mapping with path and partial",
    ),
    "supersedes-missing-page": Bad(
        design("design:\n  supersedes: designs/gone.md\n"),
        D,
        3,
        "'designs/gone.md' is not a page of this site; expected a path relative",
    ),
    "supersedes-itself": Bad(
        design("design:\n  supersedes: designs/d.md\n"), D, 3, "cannot supersede itself"
    ),
    "supersedes-not-a-design": Bad(
        {**design("design:\n  supersedes: notes.md\n"), "notes.md": page(None, "Notes.\n")},
        D,
        3,
        "'notes.md' is a page but not a design; expected the path of a design",
    ),
    "supersedes-circular": Bad(
        {
            "designs/a.md": page("design:\n  supersedes: designs/b.md\n"),
            "designs/b.md": page("design:\n  supersedes: designs/a.md\n"),
        },
        "designs/a.md",
        3,
        "circular chain designs/a.md -> designs/b.md -> designs/a.md",
        also=("expected each design to supersede only older ones",),
    ),
    "related-mapping": Bad(
        design("design:\n  related: {a: b}\n"), D, 3, "design.related: expected a list of paths"
    ),
    "related-missing-page": Bad(
        design("design:\n  related:\n    - designs/gone.md\n"),
        D,
        4,
        "design.related: 'designs/gone.md' is not a page of this site; expected a path",
    ),
    "review-list": Bad(
        design("design:\n  review: [4, 5]\n"),
        D,
        3,
        "design.review: expected a mapping of criterion to score",
    ),
    "score-too-high": Bad(
        design("design:\n  review:\n    steering: 9\n"),
        D,
        4,
        "design.review.steering: 9 is not a score; expected a whole number from 1 to 5",
    ),
    "score-zero": Bad(
        design("design:\n  review:\n    communication: 0\n"),
        D,
        4,
        "expected a whole number from 1 to 5",
    ),
    "score-fraction": Bad(
        design("design:\n  review:\n    communication: 3.5\n"),
        D,
        4,
        "expected a whole number from 1 to 5",
    ),
    "score-text": Bad(
        design("design:\n  review:\n    communication: good\n"),
        D,
        4,
        "expected a whole number from 1 to 5",
    ),
    "review-unknown-criterion": Bad(
        design("design:\n  review:\n    clarity: 3\n"),
        D,
        4,
        "design.review.clarity: unknown criterion",
        also=("expected one of problem-solving",),
    ),
    "extra-list": Bad(
        design("design:\n  extra: [jira]\n"),
        D,
        3,
        "design.extra: expected a mapping of your own fields",
    ),
    "autolink-unknown-value": Bad(
        {"notes.md": page("autolink: sometimes\n", "Notes.\n")},
        "notes.md",
        2,
        "autolink: 'sometimes' is not one of first, all, off",
    ),
    # -- steps ----------------------------------------------------------------------
    "design-without-steps": Bad(
        {D: page(None, "Only prose, no step headings.\n")},
        D,
        1,
        "design has no section for any step; expected headings such as ## Requirements",
    ),
    "data-step-unknown": Bad(
        {D: page(None, '## Storage choices { data-step="storage" }\n\nRows.\n\n' + REQUIREMENTS)},
        D,
        3,
        "data-step 'storage' is not a step; expected one of requirements, core-entities",
        shown=("Storage choices",),
    ),
    # -- blocks ---------------------------------------------------------------------
    "entity-invalid-yaml": Bad(
        block("entity", "name: Bucket\nproperties: {tokens: int\n", "## Core Entities"),
        D,
        7,
        "invalid YAML in entity block",
        shown=("properties: {tokens: int",),
        also=("expected a mapping or a list of mappings with name and properties",),
    ),
    "entity-text": Bad(
        block("entity", "Bucket with tokens\n", "## Core Entities"),
        D,
        6,
        "the block is the text 'Bucket with tokens'; expected a mapping or a list of mappings",
        shown=("Bucket with tokens",),
    ),
    "entity-list-of-text": Bad(
        block("entity", "- Bucket\n- Token\n", "## Core Entities"),
        D,
        6,
        "an entity is the text 'Bucket'; expected a mapping",
        shown=("Token",),
    ),
    "entity-without-name": Bad(
        block("entity", "properties:\n  tokens: int\n", "## Core Entities"),
        D,
        6,
        "an entity has no name; expected a mapping",
        shown=("tokens: int",),
    ),
    "entity-unknown-key": Bad(
        block("entity", "name: Bucket\ncolour: red\n", "## Core Entities"),
        D,
        7,
        "unknown key 'colour'",
        also=("expected one of name, notes, description, properties",),
    ),
    "entity-empty": Bad(
        block("entity", "\n", "## Core Entities"), D, 6, "the block is empty; expected a mapping"
    ),
    "api-invalid-yaml": Bad(
        block("api", "protocol: REST\nroutes:\n  - method: GET\n   path: /x\n", "## API"),
        D,
        9,
        "invalid YAML in api block",
        shown=("method: GET",),
        also=("expected a mapping with protocol and routes",),
    ),
    "api-list": Bad(
        block("api", "- GET /v1/urls\n", "## API"),
        D,
        6,
        "the block is a list; expected a mapping with protocol and routes",
        shown=("GET /v1/urls",),
    ),
    "api-routes-text": Bad(
        block("api", "protocol: REST\nroutes: GET /v1/urls\n", "## API"),
        D,
        7,
        "routes are the text 'GET /v1/urls'; expected a list of mappings",
        shown=("GET /v1/urls",),
    ),
    "api-route-without-path": Bad(
        block("api", "routes:\n  - method: GET\n    returns: 200\n", "## API"),
        D,
        7,
        "a route has no path; expected a mapping with method, path",
        shown=("method: GET",),
    ),
    "dataflow-line-without-arrow": Bad(
        block("dataflow", "Client -> API: POST /urls\nAPI calls the database\n", "## Data Flow"),
        D,
        7,
        "dataflow: line has no arrow; expected SOURCE -> TARGET: LABEL",
        shown=("API calls the database",),
    ),
    "dataflow-unknown-arrow": Bad(
        block("dataflow", "Client ---> API: POST /urls\n", "## Data Flow"),
        D,
        6,
        "dataflow: unknown arrow '--->'; expected SOURCE -> TARGET",
        shown=("POST /urls",),
    ),
    "dataflow-two-arrows": Bad(
        block("dataflow", "Client -> API -> Store: POST /urls\n", "## Data Flow"),
        D,
        6,
        "dataflow: more than one arrow on a line; expected one arrow per line",
        shown=("Store: POST /urls",),
    ),
    "dataflow-missing-target": Bad(
        block("dataflow", "Client ->\n", "## Data Flow"),
        D,
        6,
        "dataflow: arrow without a target",
        shown=("Client",),
    ),
    "dataflow-only-comments": Bad(
        block("dataflow", "# to be drawn\n", "## Data Flow"),
        D,
        6,
        "dataflow: the block has no arrows",
        shown=("to be drawn",),
    ),
    "sysdesign-invalid-yaml": Bad(
        block("sysdesign", "table: [designs\n"),
        D,
        6,
        "expected a mapping with table, where, columns, sort, limit; the YAML does not parse",
        shown=("table: [designs",),
        also=("(a '[' is not closed by ']')",),
    ),
    "sysdesign-list": Bad(
        block("sysdesign", "- designs\n"),
        D,
        6,
        "expected a mapping with table, where, columns",
        shown=("- designs",),
    ),
    "sysdesign-without-table": Bad(
        block("sysdesign", "columns: [title]\n"),
        D,
        6,
        "missing key 'table'; expected one of steps, designs",
        shown=("columns: [title]",),
    ),
    "sysdesign-unknown-key": Bad(
        block("sysdesign", "table: designs\nfilter: {status: draft}\n"),
        D,
        7,
        "unknown key 'filter'; expected one of table, where, columns",
        shown=("filter: {status: draft}",),
    ),
    "table-unknown": Bad(
        block("sysdesign", "table: desings\n"),
        D,
        6,
        "unknown table 'desings'; expected one of steps, designs",
        also=("did you mean 'designs'?",),
        shown=("table: desings",),
    ),
    "column-unknown": Bad(
        block("sysdesign", "table: designs\ncolumns: [title, colour]\n"),
        D,
        7,
        "unknown column 'colour' in columns; expected one of",
        shown=("colour",),
    ),
    "filter-unknown-column": Bad(
        block("sysdesign", "table: designs\nwhere:\n  colour: red\n"),
        D,
        8,
        "unknown column 'colour' in where; expected one of",
        shown=("colour: red",),
    ),
    "filter-unknown-status": Bad(
        block("sysdesign", "table: designs\nwhere:\n  status: aproved\n"),
        D,
        8,
        "where.status: unknown status 'aproved'; expected one of draft",
        shown=("status: aproved",),
    ),
    "filter-not-a-number": Bad(
        block("sysdesign", "table: designs\nwhere:\n  progress: most\n"),
        D,
        8,
        "where.progress: expected a number or a comparison",
        shown=("progress: most",),
    ),
    "sort-unknown": Bad(
        block("sysdesign", "table: designs\nsort: -colour\n"),
        D,
        7,
        "unknown sort key 'colour'; expected one of",
        shown=("sort: -colour",),
    ),
    "limit-zero": Bad(
        block("sysdesign", "table: designs\nlimit: 0\n"),
        D,
        7,
        "limit: expected a positive whole number, got 0",
        shown=("limit: 0",),
    ),
    # -- glossary -------------------------------------------------------------------
    "term-duplicate": Bad(
        {"glossary/tcp.md": term("TCP"), "glossary/tcp-protocol.md": term("TCP")},
        "glossary/tcp.md",
        2,
        "'tcp' is both glossary/tcp.md and glossary/tcp-protocol.md",
        also=("expected each term and alias on one page only",),
    ),
    "alias-duplicate": Bad(
        {
            "glossary/sharding.md": term("Sharding", extra="aliases: [partitioning]\n"),
            "glossary/partitioning.md": term(
                "Partitioning scheme", extra="aliases: [partitioning]\n"
            ),
        },
        "glossary/sharding.md",
        4,
        "'partitioning' is both glossary/sharding.md and glossary/partitioning.md",
    ),
    "term-id-duplicate": Bad(
        {"glossary/tcp.md": term("TCP"), "glossary/network/tcp.md": term("TCP/IP")},
        "glossary/network/tcp.md",
        1,
        "glossary term id 'tcp' is also glossary/tcp.md; expected one page per file name",
    ),
    "term-without-summary": Bad(
        {"glossary/tcp.md": term("TCP", summary=None)},
        "glossary/tcp.md",
        2,
        "glossary term 'TCP' has no summary; expected a one-sentence 'summary:'",
    ),
    "term-without-term": Bad(
        {"glossary/tcp.md": page("summary: A protocol.\n", "Body.\n")},
        "glossary/tcp.md",
        1,
        "glossary page has no term; expected 'term: Name'",
    ),
    "term-name-list": Bad(
        {"glossary/tcp.md": page("term: [TCP]\nsummary: A protocol.\n", "Body.\n")},
        "glossary/tcp.md",
        2,
        "term: expected text, got a list",
    ),
    "term-aliases-mapping": Bad(
        {"glossary/tcp.md": term("TCP", extra="aliases: {a: b}\n")},
        "glossary/tcp.md",
        4,
        "aliases: expected a list of text, got a mapping",
    ),
    "term-see-also-unknown": Bad(
        {"glossary/tcp.md": term("TCP", extra="see_also:\n  - udp\n")},
        "glossary/tcp.md",
        5,
        "see_also: unknown term id 'udp'; expected the file name of a glossary page",
    ),
    "term-unknown-key": Bad(
        {"glossary/tcp.md": term("TCP", extra="sumary: typo\n")},
        "glossary/tcp.md",
        4,
        "sumary: unknown key for a glossary page (did you mean 'summary'?)",
    ),
    "reference-unknown": Bad(
        {**CAP, "notes.md": page(None, "Trade-offs follow\nfrom the [[CAP theorm]] here.\n")},
        "notes.md",
        4,
        "unknown glossary term 'CAP theorm' (did you mean 'CAP theorem'?)",
        shown=("CAP theorm",),
    ),
    "reference-unknown-in-table": Bad(
        {**CAP, "notes.md": page(None, "| A | B |\n|---|---|\n| x | [[CAP theorm\\|label]] |\n")},
        "notes.md",
        5,
        "unknown glossary term 'CAP theorm'",
        shown=("label",),
    ),
    "reference-ambiguous": Bad(
        {
            "glossary/consistency-acid.md": term("Consistency (ACID)"),
            "glossary/consistency-cap.md": term("Consistency (CAP)"),
            "notes.md": page(None, "Which [[consistency]] is meant?\n"),
        },
        "notes.md",
        3,
        "ambiguous glossary term 'consistency'; expected one of 'Consistency (ACID)'",
        also=("'Consistency (CAP)'",),
        shown=("consistency",),
    ),
}


def _located(messages: list[str], src: str, line: int, parts: tuple[str, ...]) -> bool:
    where = f"docs/{src}:{line}: "
    return any(where in m and all(p in m for p in parts) for m in messages)


def _params(cases: dict[str, Bad]) -> list[Any]:
    return [
        pytest.param(case, id=name, marks=[pytest.mark.xfail(strict=True, reason=case.bug)])
        if case.bug
        else pytest.param(case, id=name)
        for name, case in cases.items()
    ]


@pytest.mark.parametrize("case", _params(BAD))
def test_bad_input_is_named_with_file_and_line_and_nothing_is_lost(make_site, case: Bad) -> None:
    site = make_site(case.files, NO_GLOSSARY, theme="mkdocs")
    assert site.error is None
    assert _located(site.messages, case.src, case.line, (case.expected, *case.also)), site.messages
    text = " ".join(site.content(case.src).get_text().split())
    assert SENTINEL in text
    for shown in case.shown:
        assert shown in text, shown
    assert make_site(case.files, NO_GLOSSARY, theme="mkdocs", strict=True).error is not None


def test_the_matrix_covers_at_least_thirty_classes() -> None:
    assert len(BAD) >= 30


# -- valid but unusual input: no warning at all, nothing lost ----------------------------

LONG_WORDS = " ".join(f"word{n}" for n in range(1500))  # > 10,000 characters
assert len(LONG_WORDS) > 10_000


def _nested_list(depth: int) -> str:
    return "".join(f"{'    ' * level}- level{level}\n" for level in range(depth))


ODD_UNICODE = (
    "Arabic مرحبا بالعالم and Hebrew שלום עולם sit beside Latin.\n\n"
    "A family 👨\u200d👩\u200d👧 and a wave 👋🏽 use joiners and skin tones.\n\n"
    "Combining marks: cafe\u0301, n\u0303o, Z\u0351\u0300algo; zero\u200bwidth space.\n\n"
    "Right-to-left mark \u200fhere\u200e and back. Uses TCP over the wire.\n"
)

GOOD_DESIGN_FRONT = "title: Odd input\ndesign:\n  status: approved\n  owners: [alice]\n"


@dataclass(frozen=True)
class Good:
    """Valid input that must build under ``--strict`` and show every word."""

    text: str
    """The file as written: CRLF and a byte-order mark reach MkDocs as they are."""
    must_show: tuple[str, ...]
    status: str | None = None
    """The design status the front matter sets, when the page has front matter."""


def _crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


BOM = "\ufeff"

GOOD: dict[str, Good] = {
    "very-long-heading": Good(
        page(None, f"## Requirements\n\n### {LONG_WORDS}\n\nText under it.\n"),
        ("word0", "word1499", "Text under it."),
    ),
    "very-long-line": Good(
        page(None, f"## Requirements\n\n{LONG_WORDS} TCP end.\n"), ("word0", "word1499 TCP end.")
    ),
    "deeply-nested-list": Good(
        page(None, "## Requirements\n\n" + _nested_list(50)), ("level0", "level25", "level49")
    ),
    "odd-unicode": Good(
        page(GOOD_DESIGN_FRONT, "## Requirements\n\n" + ODD_UNICODE),
        (
            "مرحبا بالعالم",
            "שלום עולם",
            "👨\u200d👩\u200d👧",
            "👋🏽",
            "cafe\u0301",
            "Z\u0351\u0300algo",
            "zero\u200bwidth",
            "\u200fhere\u200e",
        ),
        status="approved",
    ),
    "unicode-heading": Good(
        page(None, "## Requirements\n\n### Ünïcödé 🚀 מבוא\n\nText.\n"), ("Ünïcödé 🚀 מבוא",)
    ),
    "crlf-everywhere": Good(
        _crlf(page(GOOD_DESIGN_FRONT, REQUIREMENTS + "\nSecond paragraph with TCP.\n")),
        ("Users shorten links.", "Second paragraph with TCP."),
        status="approved",
    ),
    "byte-order-mark": Good(
        BOM + page(GOOD_DESIGN_FRONT), ("Users shorten links.",), status="approved"
    ),
    "bom-and-crlf": Good(
        BOM + _crlf(page(GOOD_DESIGN_FRONT)), ("Users shorten links.",), status="approved"
    ),
    "tabs": Good(
        page(
            GOOD_DESIGN_FRONT,
            "## Requirements\n\n-\tfirst item\n-\tsecond\titem\n\n\tindented code\n\n"
            "Words\tseparated\tby tabs and TCP.\n",
        ),
        # Python-Markdown expands tabs to spaces; the word check below sees every word.
        ("first item", "indented code", "by tabs and TCP."),
        status="approved",
    ),
}


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text))


@pytest.mark.parametrize("case", list(GOOD.values()), ids=list(GOOD))
def test_unusual_valid_input_builds_strict_without_warnings(make_site, case: Good) -> None:
    files = {"glossary/tcp.md": term("TCP"), D: case.text}
    site = make_site(files, NO_GLOSSARY, theme="mkdocs", strict=True)
    assert site.error is None, site.warnings
    assert site.warnings == []
    content = site.content(D)
    text = content.get_text()
    assert SENTINEL in " ".join(text.split())
    for shown in case.must_show:
        assert shown in text, shown
    source = case.text.removeprefix(BOM).replace("\r\n", "\n")
    body = source.split("---\n", 2)[-1] if source.startswith("---\n") else source
    lost = _words(body) - _words(text)
    assert not lost, lost
    if case.status is not None:
        badge = content.select_one(".sysdesign-status")
        assert badge is not None and badge["data-status"] == case.status
        assert "owners:" not in text and "status: approved" not in text
    if "TCP" in body:
        assert content.select_one('a.sysdesign-term[data-term="tcp"]') is not None
