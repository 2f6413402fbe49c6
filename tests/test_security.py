"""Hostile input: what an author writes never runs in a reader's browser or a CI log.

File names become links, dataflow and graph labels become Mermaid source, and author
text reaches the build log and the command line's output. Each test carries the payload
that once got through.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urljoin

import pytest
from bs4 import BeautifulSoup, Tag

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


@pytest.fixture(scope="module", params=["material", "mkdocs"])
def hostile_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    from harness import build_project

    root = tmp_path_factory.mktemp(f"names-{request.param}")
    return build_project(root, HOSTILE_FILES, NO_BUILTIN, theme=request.param, strict=True)


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
    from mkdocs_sysdesign.render import link_target

    assert link_target("glossary/acid.md") == "glossary/acid.md"
    assert link_target("../glossary/acid.md") == "../glossary/acid.md"
    assert link_target("javascript:alert(2).md") == "javascript%3Aalert%282%29.md"
    assert link_target(f"{IMG_NAME}.md") == ("x%29%3Cimg%20src%3Dx%20onerror%3Dalert%283%29%3E.md")
    assert link_target("a#b?c.md") == "a%23b%3Fc.md"
    assert link_target("//host/x.md") == "./host/x.md"
    assert link_target("/x.md") == "./x.md"
