"""Hostile labels in a browser: Mermaid draws them as text and fetches nothing for them.

A small Material site of its own: a dataflow whose labels and participants carry
Mermaid directives, click handlers and markup, and a design graph whose titles do. The
unit tests check the Mermaid source; these check what a reader's browser does with it.
"""

from __future__ import annotations

from typing import Any

import pytest
from browsing import Handbook, report, wait_for_diagrams
from harness import build_project

DIRECTIVE = (
    '%%{init: {"theme": "dark", "fontFamily": "x", '
    '"themeCSS": "@import url(https://evil.example/theme.css);"}}%%'
)
IMAGE = "<img src=//evil.example/pixel.png onerror=alert(1)>"
CLICK = 'click P1 href "javascript:alert(2)"'
LINK = "link P1: Evil @ https://evil.example/link"

FLOW = f"""\
Client -> {IMAGE}: {DIRECTIVE}
{IMAGE} --> Client: {CLICK}
Client -> Server: {LINK}
Server --> Client: %% a comment; end
"""

FILES = {
    "index.md": "# Home\n\n```sysdesign\ntable: graph\n```\n",
    "designs/flow.md": (
        f"---\ntitle: Flow\ndesign:\n  status: draft\n  related: [designs/other.md]\n---\n"
        f"# Flow\n\n## Data Flow\n\n```dataflow\n{FLOW}```\n"
    ),
    "designs/other.md": (
        "---\ndesign:\n  status: draft\n---\n"
        f"# {DIRECTIVE.replace('#', '&#35;')}\n\n## Requirements\n\nUsers.\n"
    ),
}


@pytest.fixture(scope="module")
def hostile(serve: Any, tmp_path_factory: pytest.TempPathFactory) -> Handbook:
    root = tmp_path_factory.mktemp("hostile")
    site = build_project(root, FILES, {"plugins": [{"sysdesign": {"builtin_glossary": False}}]})
    assert site.error is None, site.warnings
    return Handbook("hostile", site.site_dir, serve(site.site_dir))


def _flat(text: str) -> str:
    return " ".join(text.split())


def _drawn(page: Any, selector: str) -> dict[str, Any]:
    """What Mermaid drew in the diagrams under ``selector``, and the configuration it used."""
    return page.evaluate(
        """(selector) => {
            const svgs = [...document.querySelectorAll(selector)]
                .map((div) => div.shadowRoot && div.shadowRoot.querySelector("svg"))
                .filter(Boolean);
            const all = svgs.flatMap((svg) => [...svg.querySelectorAll("*")]);
            return {
                count: svgs.length,
                texts: svgs.flatMap((svg) =>
                    [...svg.querySelectorAll("text, foreignObject")].map((t) => t.textContent)),
                images: all.filter((e) => ["img", "image", "iframe", "script"]
                    .includes(e.localName)).length,
                handlers: all.flatMap((e) => [...e.attributes].map((a) => a.name))
                    .filter((name) => name.startsWith("on")),
                links: all.filter((e) => e.localName === "a").map((a) =>
                    a.getAttribute("href") || a.getAttribute("xlink:href")),
                securityLevel: mermaid.mermaidAPI.getConfig().securityLevel,
                theme: mermaid.mermaidAPI.getConfig().theme,
            };
        }""",
        selector,
    )


@pytest.mark.parametrize(
    ("path", "selector", "labels"),
    [
        (
            "designs/flow/",
            ".sysdesign-dataflow div.mermaid",
            [DIRECTIVE, IMAGE, CLICK, LINK, "%% a comment; end"],
        ),
        ("", ".sysdesign-graph div.mermaid", [DIRECTIVE]),
    ],
    ids=["dataflow", "graph"],
)
def test_hostile_labels_are_drawn_as_text_and_fetch_nothing(
    hostile: Handbook, open_page: Any, path: str, selector: str, labels: list[str]
) -> None:
    page, log = open_page()
    page.goto(hostile.url(path))
    wait_for_diagrams(page)
    drawn = _drawn(page, selector)
    assert drawn["count"] == 1
    texts = [_flat(text) for text in drawn["texts"]]
    for label in labels:
        assert _flat(label) in texts, (label, texts)
    assert drawn["images"] == 0
    assert drawn["handlers"] == []
    assert drawn["links"] == []
    assert drawn["securityLevel"] == "strict"
    assert drawn["theme"] == "default"
    assert not log.foreign_requests, report(log.foreign_requests)
    assert not log.problems(), report(log.problems())
