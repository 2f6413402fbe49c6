"""Hostile input: what an author writes never runs in a reader's browser or a CI log.

File names become links, dataflow and graph labels become Mermaid source, and author
text reaches the build log and the command line's output. Each test carries the payload
that once got through.
"""

from __future__ import annotations

import io
import json
import logging
import re
import shutil
import subprocess
from html import unescape
from typing import Any
from urllib.parse import unquote, urljoin

import pytest
from bs4 import BeautifulSoup, Tag
from harness import THEMES_AND_URLS, build_project, write_project
from test_blocks import MERMAID_JS
from test_cli import run as run_command
from test_tables import make_handbook, render

from mkdocs_sysdesign.blocks import MERMAID_CONFIG, to_mermaid
from mkdocs_sysdesign.cli.runner import show_other_warnings
from mkdocs_sysdesign.model import Design, Finding, FlowStep, visible
from mkdocs_sysdesign.render import link_target

NO_BUILTIN = {"plugins": [{"sysdesign": {"builtin_glossary": False}}]}

# --------------------------------------------------------------------------- file names

IMG_NAME = "x)<img src=x onerror=alert(3)>"
JS_NAME = "javascript:alert(2)"
IMG_DESIGN = "y)<img src=x onerror=alert(5)>"
JS_DESIGN = "javascript:alert(4)"

HOSTILE_FILES = {
    "index.md": (
        "# Home\n\nHostile one and hostile two.\n\n"
        + "".join(
            f"```sysdesign\ntable: {name}\n```\n\n"
            for name in ("designs", "glossary", "graph", "checklist", "terms")
        )
    ),
    f"glossary/{IMG_NAME}.md": (
        f"---\nterm: Hostile one\nsummary: One.\nsee_also: ['{JS_NAME}']\n---\n"
        "# Hostile one\n\nNext to hostile two.\n"
    ),
    f"glossary/{JS_NAME}.md": (
        f"---\nterm: Hostile two\nsummary: Two.\nsee_also: ['{IMG_NAME}']\n---\n"
        "# Hostile two\n\nNext to hostile one.\n"
    ),
    f"designs/{IMG_DESIGN}.md": (
        f"---\ndesign:\n  status: draft\n  related: ['designs/{JS_DESIGN}.md']\n---\n"
        "# Design one\n\nUses hostile one.\n\n## Requirements\n\nUsers.\n"
    ),
    f"designs/{JS_DESIGN}.md": (
        f"---\ndesign:\n  status: draft\n  supersedes: 'designs/{IMG_DESIGN}.md'\n---\n"
        "# Design two\n\nUses hostile two.\n\n## Requirements\n\nUsers.\n"
    ),
}
HOSTILE_PAGES = [*HOSTILE_FILES, "glossary/index.md"]


@pytest.fixture(
    scope="module",
    params=[param.values for param in THEMES_AND_URLS],
    ids=[str(param.id) for param in THEMES_AND_URLS],
)
def hostile_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    theme, directory_urls = request.param
    root = tmp_path_factory.mktemp(f"names-{theme}")
    return build_project(
        root,
        HOSTILE_FILES,
        NO_BUILTIN,
        theme=theme,
        use_directory_urls=directory_urls,
        strict=True,
    )


def _live_markup(soup: BeautifulSoup) -> list[str]:
    """Images, scripts, event handlers and script links anywhere in a page."""
    found = [str(tag)[:80] for tag in soup.find_all(["script", "img", "iframe"]) if _hostile(tag)]
    for tag in soup.find_all(True):
        found += [f"{tag.name}[{a}]" for a in tag.attrs if a.lower().startswith("on")]
        for name in ("href", "src", "action", "formaction"):
            value = tag.get(name)
            if isinstance(value, str) and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                found.append(f"{tag.name}[{name}={value}]")
    return found


def _hostile(tag: Tag) -> bool:
    # The theme's own scripts have a src on the site or no src at all, and no alert.
    return "alert" in str(tag)


@pytest.mark.parametrize("src", HOSTILE_PAGES)
def test_a_hostile_file_name_never_becomes_markup_or_a_script_link(
    hostile_site: Any, src: str
) -> None:
    assert _live_markup(hostile_site.html(src)) == []


def test_the_site_with_hostile_file_names_builds_strict(hostile_site: Any) -> None:
    assert hostile_site.error is None, hostile_site.warnings


def _reached(site: Any, src: str, href: str) -> str:
    """The page (its source path) that a link on the page built from ``src`` opens."""
    base = "http://site/" + site.url(src)
    url = unquote(urljoin(base, href.split("#")[0]))
    assert url.startswith("http://site/"), href
    wanted = url.removeprefix("http://site/")
    pages = {site.url(page): page for page in HOSTILE_PAGES}
    assert wanted in pages, (href, wanted)
    return pages[wanted]


@pytest.mark.parametrize(
    ("src", "text", "expected"),
    [
        ("glossary/index.md", "Hostile one", f"glossary/{IMG_NAME}.md"),
        ("glossary/index.md", "Hostile two", f"glossary/{JS_NAME}.md"),
        # Autolinks between pages of one folder: a relative link that is only the file name.
        (f"glossary/{IMG_NAME}.md", "hostile two", f"glossary/{JS_NAME}.md"),
        (f"glossary/{JS_NAME}.md", "hostile one", f"glossary/{IMG_NAME}.md"),
        (f"designs/{IMG_DESIGN}.md", "hostile one", f"glossary/{IMG_NAME}.md"),
        ("index.md", "Design one", f"designs/{IMG_DESIGN}.md"),
        ("index.md", "Design two", f"designs/{JS_DESIGN}.md"),
    ],
)
def test_links_to_hostile_file_names_still_reach_their_page(
    hostile_site: Any, src: str, text: str, expected: str
) -> None:
    links = [
        a["href"]
        for a in hostile_site.content(src).find_all("a", href=True)
        if " ".join(a.get_text().split()).casefold() == text.casefold()
    ]
    assert links, (src, text)
    for href in links:
        assert _reached(hostile_site, src, href) == expected


@pytest.mark.parametrize(
    ("src", "selector"),
    [
        (f"glossary/{IMG_NAME}.md", ".sysdesign-see-also a"),
        (f"glossary/{IMG_NAME}.md", ".sysdesign-backlinks a"),
        (f"designs/{IMG_DESIGN}.md", ".sysdesign-meta a"),
        (f"designs/{JS_DESIGN}.md", ".sysdesign-meta a"),
        ("index.md", ".sysdesign-graph a"),
        ("index.md", ".sysdesign-table a"),
    ],
)
def test_every_generated_link_is_a_page_of_the_site(
    hostile_site: Any, src: str, selector: str
) -> None:
    links = hostile_site.content(src).select(selector)
    assert links, selector
    for link in links:
        href = link["href"]
        if href.startswith("#"):
            continue
        assert _reached(hostile_site, src, href) in HOSTILE_PAGES


def test_a_title_made_from_a_file_name_with_html_is_a_warning(make_site: Any) -> None:
    site = make_site(
        {
            "index.md": "# Home\n",
            "notes/w<img src=x onerror=alert(7)>.md": "No heading here.\n",
            "notes/v<b>.md": "# A heading names the page\n",
        },
        NO_BUILTIN,
    )
    assert site.messages == [
        "mkdocs_sysdesign: docs/notes/w<img src=x onerror=alert(7)>.md: "
        "the file name contains HTML, which the theme prints unescaped as the page's title; "
        "expected a file name without '<' or '&...;', or a 'title:' or a '# heading' in the page"
    ]


def test_link_targets_are_percent_encoded_relative_urls() -> None:
    assert link_target("glossary/acid.md") == "glossary/acid.md"
    assert link_target("../glossary/acid.md") == "../glossary/acid.md"
    assert link_target("javascript:alert(2).md") == "javascript%3Aalert%282%29.md"
    assert link_target(f"{IMG_NAME}.md") == ("x%29%3Cimg%20src%3Dx%20onerror%3Dalert%283%29%3E.md")
    assert link_target("a#b?c.md") == "a%23b%3Fc.md"
    assert link_target("//host/x.md") == "./host/x.md"
    assert link_target("/x.md") == "./x.md"


# --------------------------------------------------------------------------- log lines

PWNED = "\n::error::pwned"
ESCAPE = "\x1b[2J"
LOG_FILES = {
    "index.md": "# Home\n",
    "designs/keys.md": (
        "---\ndesign:\n  status: draft\n"
        '  "key\\n::error::pwned": 1\n'
        '  "esc\\e[2J": 2\n'
        "  review:\n"
        '    "criterion\\n::error::pwned": 3\n'
        "---\n# Keys\n\n## Requirements\n\nUsers.\n"
    ),
    "glossary/term.md": (
        '---\nterm: Term\nsee_also: ["id\\n::error::pwned"]\n---\n# Term\n\nA term.\n'
    ),
    f"designs/file{PWNED}.md": "---\ndesign:\n  status: nonsense\n---\n# File\n",
}
LOG_SHOWN = [
    "design.key\\n::error::pwned: unknown key",
    "design.esc\\x1b[2J: unknown key",
    "design.review.criterion\\n::error::pwned: unknown criterion",
    "see_also: unknown term id 'id\\n::error::pwned'",
    "docs/designs/file\\n::error::pwned.md:3: design.status",
]
"""How each payload shows in a message: on the message's line, escaped."""


def _commands(lines: list[str]) -> list[str]:
    """Lines a CI runner would read as workflow commands, or that a terminal would obey."""
    return [line for line in lines if line.lstrip().startswith("::") or "\x1b" in line]


def test_author_text_in_the_build_log_stays_on_its_line(make_site: Any) -> None:
    site = make_site(LOG_FILES, NO_BUILTIN)
    ours = [
        r.getMessage()
        for r in site.records
        if r.name.startswith("mkdocs.plugins.mkdocs_sysdesign") and r.levelno >= logging.INFO
    ]
    assert [m for m in ours if "\n" in m or "\r" in m or "\x1b" in m] == []
    for shown in LOG_SHOWN:
        assert any(shown in message for message in ours), (shown, ours)


@pytest.mark.parametrize("output", ["text", "github", "json"])
def test_author_text_in_check_output_stays_on_its_line(tmp_path: Any, output: str) -> None:
    write_project(tmp_path, LOG_FILES, {"theme": {"name": "mkdocs"}, **NO_BUILTIN})
    result = run_command("check", "--format", output, cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    if output == "github":
        # Each finding is one workflow command of the tool's own, none of the author's.
        lines = result.stdout.splitlines()
        # The five payloads, the design without sections and the term without a summary.
        assert len(lines) == len(LOG_SHOWN) + 2
        assert all(re.match(r"::(warning|error|notice) file=[^:]*::", line) for line in lines)
        assert _commands(result.stderr.splitlines()) == []
        return
    if output == "json":
        found = json.loads(result.stdout)["findings"]
        assert [f for f in found if re.search(r"[\n\x1b]", f["file"] + f["message"])] == []
        text = "\n".join(f"{f['file']}:{f['line']}: {f['message']}" for f in found)
    else:
        assert _commands(result.stdout.splitlines() + result.stderr.splitlines()) == []
        text = result.stdout
    for shown in LOG_SHOWN:
        assert shown.split(": ")[0].removeprefix("docs/") in text, (shown, text)


def test_visible_writes_control_characters_as_escapes() -> None:
    assert visible("a\nb\r\tc\x1b[31m\x7f\x85\u2028\u202e é ✓") == (
        "a\\nb\\r\\tc\\x1b[31m\\x7f\\x85\\u2028\\u202e é ✓"
    )
    finding = Finding(f"docs/a{PWNED}.md", 2, f"unknown key 'k{PWNED}'")
    assert str(finding) == "docs/a\\n::error::pwned.md:2: unknown key 'k\\n::error::pwned'"


def test_warnings_of_mkdocs_quoted_by_the_command_line_stay_on_their_line() -> None:

    record = logging.LogRecord(
        "mkdocs.structure.pages", logging.WARNING, "", 0, "Doc file '%s' is odd", (PWNED,), None
    )
    stream = io.StringIO()
    show_other_warnings([record], stream)
    assert stream.getvalue() == "mkdocs: warning: Doc file '\\n::error::pwned' is odd\n"


# --------------------------------------------------------------------------- Mermaid

MERMAID_PAYLOADS = [
    '%%{init: {"theme": "dark", "themeCSS": "@import url(https://evil.example/x.css)"}}%%',
    "%%{ init: { 'sequence': { 'messageFontSize': 0 } } }%%",
    "%% a comment",
    "click P1 call alert(1)",
    'click n0 href "javascript:alert(1)"',
    "style n0 fill:#f00",
    "classDef evil fill:#f00",
    "link P1: Evil @ https://evil.example",
    'links P1: {"Evil": "https://evil.example"}',
    "line<br>break",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "#quot; #60;b#62; #9829;",
    "a; P1->>P2: injected",
    "a -->>+ b: - c",
    "end",
    "Note over P1: note",
    "alt x",
    "\"quoted\" 'single' `code` **bold**",
    "[square] {curly} (round) |pipe|",
    "back\\slash & amp",
    'A@{ "type": "database" }',
    "---\nconfig:\n  theme: dark\n---",
    "one\ntwo\r\nthree\u2028four",
    "数据 é ✓",
]
"""Author text that Mermaid could read as syntax: directives, comments, click handlers,
styles, links, statement ends, arrows, activation marks, markup, keywords and entity codes."""

_CODE = r"(?:[\w .,'?!/()\-]|#\d+;)*"
"""What author text may look like in Mermaid source: plain characters and entity codes."""


def _codes_decoded(text: str) -> str:
    return re.sub(r"#(\d+);", lambda m: chr(int(m.group(1))), text)


def _flow(payload: str) -> list[FlowStep]:
    return [
        FlowStep(payload, "->", f"{payload} 2", payload, 1),
        FlowStep(f"{payload} 2", "-->", payload, payload, 2),
    ]


@pytest.mark.parametrize("payload", MERMAID_PAYLOADS)
def test_dataflow_text_is_never_mermaid_syntax(payload: str) -> None:
    lines = to_mermaid(_flow(payload)).split("\n")
    # The plugin's own configuration first, then one statement a line, each of the shapes
    # the plugin writes, author text only as codes.
    assert tuple(lines[: len(MERMAID_CONFIG)]) == MERMAID_CONFIG
    lines = lines[len(MERMAID_CONFIG) :]
    assert lines[0] == "sequenceDiagram"
    assert all(re.fullmatch(rf"    participant P\d as {_CODE}", line) for line in lines[1:3])
    assert re.fullmatch(rf"    P1->>P2: {_CODE}", lines[3])
    assert re.fullmatch(rf"    P2-->>P1: {_CODE}", lines[4])
    assert len(lines) == 5
    assert "%%" not in "\n".join(lines)
    flat = " ".join(payload.split())
    assert _codes_decoded(lines[1].split(" as ", 1)[1]) == flat
    assert _codes_decoded(lines[3].split(": ", 1)[1]) == flat


@pytest.mark.parametrize("payload", MERMAID_PAYLOADS)
def test_design_graph_titles_are_never_mermaid_syntax(payload: str) -> None:
    designs = [
        Design(path="designs/a.md", title=payload, related=["designs/b.md"]),
        Design(path="designs/b.md", title=f"{payload} b", supersedes=["designs/a.md"]),
    ]
    lines = render("table: graph", make_handbook(*designs)).select_one("pre.mermaid > code")
    lines = lines.get_text().split("\n")
    assert lines[0] == "graph LR"
    assert re.fullmatch(rf'    n0\["({_CODE})"\]', lines[1])
    assert re.fullmatch(rf'    n1\["({_CODE})"\]', lines[2])
    assert all(re.fullmatch(rf"    n\d (==>|-\.->)\|{_CODE}\| n\d", line) for line in lines[3:])
    assert len(lines) == 5
    assert _codes_decoded(lines[1][len('    n0["') : -2]) == " ".join(payload.split())


_PARSE = """
globalThis.window = globalThis;
const fs = require("fs");
require("vm").runInThisContext(fs.readFileSync(process.argv[2], "utf8"));
const sources = JSON.parse(fs.readFileSync(0, "utf8"));
// Entity codes stay encoded until Mermaid draws the text: decode them as it does.
const shown = (t) => t.replace(/ﬂ°°/g, "&#").replace(/ﬂ°/g, "&").replace(/¶ß/g, ";");
(async () => {
  const out = [];
  for (const source of sources) {
    await mermaid.parse(source);
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(source);
    const db = diagram.db;
    const config = mermaid.mermaidAPI.getConfig();
    out.push({
      texts: [
        ...[...db.getActors().values()].map((a) => shown(a.description)),
        ...db.getMessages().map((m) => shown(m.message)),
      ],
      shape: db.getMessages().map((m) => [m.from, m.to, m.type, m.activate || false]),
      links: [...db.getActors().values()].map((a) => a.links || {}),
      theme: config.theme,
    });
    mermaid.mermaidAPI.reset();
  }
  console.log(JSON.stringify(out));
})().catch((error) => { console.error(String(error)); process.exit(1); });
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run Mermaid")
def test_the_shipped_mermaid_shows_every_payload_as_text(tmp_path: Any) -> None:
    # Flowcharts need a browser's DOM to parse (their labels are sanitised as they are
    # read): the design graph is drawn in the browser tests.
    sources = [to_mermaid(_flow(payload)) for payload in MERMAID_PAYLOADS]
    runner = tmp_path / "parse.cjs"
    runner.write_text(_PARSE, encoding="utf-8")
    result = subprocess.run(
        ["node", str(runner), str(MERMAID_JS)],
        input=json.dumps(sources),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    parsed = json.loads(result.stdout.strip().splitlines()[-1])
    for payload, flow in zip(MERMAID_PAYLOADS, parsed, strict=True):
        flat = " ".join(payload.split())
        assert [unescape(t) for t in flow["texts"]] == [flat, f"{flat} 2", flat, flat]
        # Two messages, solid then dotted, between the two participants, no activation.
        assert flow["shape"] == [["P1", "P2", 0, False], ["P2", "P1", 1, False]]
        assert flow["links"] == [{}, {}]
        assert flow["theme"] == "default"
