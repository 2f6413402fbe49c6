"""Compatibility with the plugins and platforms teams already use (issue 24).

Each test builds a small project with the other plugin installed and listed in
``mkdocs.yml``, then reads the pages back: the HTML contract (checklist, tables, glossary
links, dataflow blocks) holds, links resolve, and warnings name the real file and line.
The plugins come from the ``test`` extra.
"""

from __future__ import annotations

import json
import os
import posixpath
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from harness import Site

DESIGN = """\
---
design:
  status: approved
  related: [designs/cache.md]
---
# {title}

Messages travel over TCP.

## Requirements

### Functional

Users send messages.

## Data Flow

```dataflow
Client -> API: POST /messages
API --> Client: 201
```
"""
CACHE = "---\ndesign:\n  status: draft\n---\n# Cache\n\n## Requirements\n\nFast reads.\n"
INDEX = "# {title}\n\n```sysdesign\ntable: designs\ncolumns: [title, status]\n```\n"
BAD_STATUS = "---\ndesign:\n  status: drafty\n---\n# Broken\n\n## Requirements\n\nx\n"


def _href_target(site: Site, page_dest: str, href: str) -> Path:
    """The file that a relative link on the page written at ``page_dest`` points to."""
    path = posixpath.normpath(posixpath.join(posixpath.dirname(page_dest), href.split("#")[0]))
    target = site.site_dir / path
    return target / "index.html" if href.endswith("/") or target.is_dir() else target


def _soup(site: Site, dest: str) -> BeautifulSoup:
    return BeautifulSoup((site.site_dir / dest).read_text(encoding="utf-8"), "html.parser")


def _table_links(site: Site, dest: str) -> dict[str, Path]:
    table = _soup(site, dest).select_one('.sysdesign-table[data-table="designs"]')
    assert table is not None, dest
    return {a.get_text(strip=True): _href_target(site, dest, a["href"]) for a in table.select("a")}


# -- mkdocs-static-i18n --------------------------------------------------------------------


def _i18n_config() -> dict[str, Any]:
    languages = [
        {"locale": "en", "default": True, "name": "English"},
        {"locale": "de", "name": "Deutsch"},
    ]
    return {
        "plugins": [
            "search",
            {"i18n": {"docs_structure": "suffix", "languages": languages}},
            "sysdesign",
        ]
    }


def test_static_i18n_builds_each_language_with_its_own_designs_and_glossary(make_site) -> None:
    pytest.importorskip("mkdocs_static_i18n")
    files = {
        "index.md": INDEX.format(title="Handbook"),
        "index.de.md": INDEX.format(title="Handbuch"),
        "designs/chat.md": DESIGN.format(title="Chat"),
        "designs/chat.de.md": DESIGN.format(title="Plaudern"),
        "designs/cache.md": CACHE,
        "designs/cache.de.md": CACHE.replace("# Cache", "# Zwischenspeicher"),
        "glossary/tcp.de.md": "---\nterm: TCP\nsummary: Ein zuverlässiger Bytestrom.\n---\n"
        "# TCP\n\nText.\n",
    }
    site = make_site(files, _i18n_config(), strict=True)
    assert site.error is None, site.warnings
    assert site.warnings == []
    # Each language's table lists that language's designs, and its links resolve there.
    english = _table_links(site, "index.html")
    german = _table_links(site, "de/index.html")
    assert english == {
        "Cache": site.site_dir / "designs/cache/index.html",
        "Chat": site.site_dir / "designs/chat/index.html",
    }
    assert german == {
        "Plaudern": site.site_dir / "de/designs/chat/index.html",
        "Zwischenspeicher": site.site_dir / "de/designs/cache/index.html",
    }
    for prefix in ("", "de/"):
        page = _soup(site, f"{prefix}designs/chat/index.html")
        assert page.select_one(".sysdesign-checklist [data-step='requirements']") is not None
        # The shipped glossary is there in each language, and links stay in the language.
        link = page.select_one("a.sysdesign-term[data-term='tcp']")
        target = _href_target(site, f"{prefix}designs/chat/index.html", link["href"])
        assert target == site.site_dir / f"{prefix}glossary/tcp/index.html"
        assert target.is_file()
        assert (site.site_dir / f"{prefix}glossary/index.html").is_file()
    # A translated term page takes the shipped term's place in its language only.
    summaries = {
        prefix: _soup(site, f"{prefix}designs/chat/index.html").select_one(
            "a.sysdesign-term[data-term='tcp']"
        )["title"]
        for prefix in ("", "de/")
    }
    assert summaries["de/"] == "Ein zuverlässiger Bytestrom."
    assert summaries[""] != summaries["de/"]


def test_static_i18n_folder_structure_finds_designs_and_terms_in_language_folders(
    make_site,
) -> None:
    pytest.importorskip("mkdocs_static_i18n")
    config = _i18n_config()
    config["plugins"][1]["i18n"]["docs_structure"] = "folder"
    files = {
        "en/index.md": INDEX.format(title="Handbook"),
        "de/index.md": INDEX.format(title="Handbuch"),
        "en/designs/chat.md": DESIGN.format(title="Chat"),
        "de/designs/chat.md": DESIGN.format(title="Plaudern"),
        "en/designs/cache.md": CACHE.replace("design:\n  status: draft\n", "{}\n"),
        "de/glossary/tcp.md": "---\nterm: TCP\nsummary: Ein zuverlässiger Bytestrom.\n---\n"
        "# TCP\n\nText.\n",
    }
    site = make_site(files, config, strict=True)
    assert site.error is None, site.warnings
    assert site.warnings == []
    # The cache page has no `design:` mapping: it is a design by its folder, designs/.
    assert _table_links(site, "index.html") == {
        "Cache": site.site_dir / "designs/cache/index.html",
        "Chat": site.site_dir / "designs/chat/index.html",
    }
    assert _table_links(site, "de/index.html") == {
        "Cache": site.site_dir / "de/designs/cache/index.html",
        "Plaudern": site.site_dir / "de/designs/chat/index.html",
    }
    german = _soup(site, "de/designs/chat/index.html").select_one("a.sysdesign-term")
    assert german["data-term"] == "tcp"
    assert german["title"] == "Ein zuverlässiger Bytestrom."
    href = _href_target(site, "de/designs/chat/index.html", german["href"])
    assert href == site.site_dir / "de/glossary/tcp/index.html"


def test_static_i18n_untranslated_design_falls_back_and_warns_at_its_own_line(make_site) -> None:
    pytest.importorskip("mkdocs_static_i18n")
    files = {
        "index.md": INDEX.format(title="Handbook"),
        "designs/cache.md": CACHE,
        "designs/broken.md": BAD_STATUS,
    }
    site = make_site(files, _i18n_config())
    assert site.error is None, site.warnings
    # Built once per language, warned once per language, always at the real file and line.
    assert set(site.messages) == {
        "mkdocs_sysdesign: docs/designs/broken.md:3: design.status: 'drafty' is not one of "
        "draft, in-review, approved, implemented, deprecated, superseded (did you mean 'draft'?)"
    }
    assert "Cache" in _table_links(site, "de/index.html")


def test_static_i18n_check_reports_the_problems_of_every_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("mkdocs_static_i18n")
    from harness import write_project

    from mkdocs_sysdesign.cli import main

    files = {
        "index.md": INDEX.format(title="Handbook"),
        "designs/broken.md": BAD_STATUS,  # English only: wrong in every language
        "designs/cache.md": CACHE.replace("status: draft", "status: drafty"),
        "designs/cache.de.md": CACHE,  # the German translation is right
    }
    write_project(tmp_path, files, _i18n_config())
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json"]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert sorted((f["file"], f["line"]) for f in findings) == [
        ("docs/designs/broken.md", 3),
        ("docs/designs/cache.md", 3),
    ]


# -- mkdocs-gen-files ----------------------------------------------------------------------

GEN_SCRIPT = '''\
import mkdocs_gen_files

with mkdocs_gen_files.open("designs/generated.md", "w") as page:
    page.write("""{design}""")
'''


@pytest.mark.parametrize("sysdesign_first", [True, False], ids=["listed-after", "listed-before"])
def test_gen_files_design_is_a_design_wherever_gen_files_is_listed(
    make_site, tmp_path: Path, sysdesign_first: bool
) -> None:
    pytest.importorskip("mkdocs_gen_files")
    script = tmp_path / "gen.py"
    script.write_text(GEN_SCRIPT.format(design=DESIGN.format(title="Generated")), encoding="utf-8")
    gen = {"gen-files": {"scripts": [str(script)]}}
    plugins = ["search", "sysdesign", gen] if sysdesign_first else ["search", gen, "sysdesign"]
    files = {"index.md": INDEX.format(title="Handbook"), "designs/cache.md": CACHE}
    site = make_site(files, {"plugins": plugins}, strict=True)
    assert site.error is None, site.warnings
    assert site.warnings == []
    page = site.content("designs/generated.md")
    assert page.select_one(".sysdesign-checklist") is not None
    assert page.select_one(".sysdesign-dataflow") is not None
    assert _table_links(site, "index.html")["Generated"] == site.output_path("designs/generated.md")


# -- mkdocs-literate-nav -------------------------------------------------------------------


def test_literate_nav_gets_the_glossary_section(make_site) -> None:
    pytest.importorskip("mkdocs_literate_nav")
    files = {
        "SUMMARY.md": "* [Home](index.md)\n* [Chat](designs/chat.md)\n"
        "* [Cache](designs/cache.md)\n",
        "index.md": INDEX.format(title="Handbook"),
        "designs/chat.md": DESIGN.format(title="Chat"),
        "designs/cache.md": CACHE,
    }
    site = make_site(files, {"plugins": ["search", "literate-nav", "sysdesign"]}, strict=True)
    assert site.error is None, site.warnings
    assert site.warnings == []
    nav = site.html("index.md").select_one("nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.select("a.md-nav__link[href]")]
    assert "designs/chat/" in hrefs
    assert "glossary/" in hrefs
    assert "glossary/tcp/" in hrefs


def test_awesome_nav_and_section_index_still_list_the_glossary(make_site) -> None:
    """These build the nav from the files in `on_nav`, after the plugin has added its pages."""
    pytest.importorskip("mkdocs_awesome_nav")
    pytest.importorskip("mkdocs_section_index")
    files = {
        "index.md": INDEX.format(title="Handbook"),
        "designs/chat.md": DESIGN.format(title="Chat"),
        "designs/cache.md": CACHE,
    }
    plugins = ["search", "awesome-nav", "section-index", "sysdesign"]
    site = make_site(files, {"plugins": plugins}, strict=True)
    assert site.error is None, site.warnings
    assert site.warnings == []
    nav = site.html("index.md").select_one("nav.md-nav--primary")
    hrefs = [a["href"] for a in nav.select("a[href]")]
    assert {"designs/chat/", "glossary/", "glossary/tcp/"} <= set(hrefs)
    assert site.content("designs/chat.md").select_one(".sysdesign-checklist") is not None


# -- mkdocs-monorepo-plugin -----------------------------------------------------------------

MONO_DESIGN = (
    "---\ndesign:\n  status: drafty\n---\n# Queue\n\n## Requirements\n\nx\n\n"
    "```sysdesign\ntable: nope\n```\n"
)


def _monorepo_config(root: Path) -> dict[str, Any]:
    """Writes the included project under ``root/sub``; returns the root's settings."""
    sub = root / "sub"
    (sub / "docs" / "designs").mkdir(parents=True)
    (sub / "docs" / "designs" / "queue.md").write_text(MONO_DESIGN, encoding="utf-8")
    (sub / "mkdocs.yml").write_text(
        yaml.safe_dump({"site_name": "sub", "nav": [{"Queue": "designs/queue.md"}]}),
        encoding="utf-8",
    )
    return {
        "theme": {"name": "material", "font": False},
        "nav": [{"Home": "index.md"}, {"Sub": "!include ./sub/mkdocs.yml"}],
        "plugins": ["search", "monorepo", {"sysdesign": {"builtin_glossary": False}}],
    }


MONO_FINDINGS = [
    ("sub/docs/designs/queue.md", 3, "design.status: 'drafty'"),
    ("sub/docs/designs/queue.md", 12, "unknown table 'nope'"),
]


def test_monorepo_warnings_name_the_included_file_not_the_temporary_copy(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs_monorepo_plugin")
    from harness import build_project

    root = tmp_path / "mono"
    config = _monorepo_config(root)
    site = build_project(root, {"index.md": INDEX.format(title="Handbook")}, config)
    assert site.error is None, site.warnings
    shown = [m.removeprefix("mkdocs_sysdesign: ") for m in site.messages]
    assert [tuple(m.split(":", 2)[:2]) for m in shown] == [
        (path, str(line)) for path, line, _ in MONO_FINDINGS
    ]
    for message, (_, _, text) in zip(shown, MONO_FINDINGS, strict=True):
        assert text in message
    links = _table_links(site, "index.html")
    assert links == {"Queue": site.site_dir / "sub/designs/queue/index.html"}
    assert links["Queue"].is_file()
    # mkdocs-monorepo-plugin 1.1.2 never removes its temporary docs folder (its clean-up
    # method is named `post_build`, not `on_post_build`): remove it here, or Python warns
    # when it collects the folder's object, in whatever test runs then.
    site.config.plugins["monorepo"].merger.cleanup()


def test_monorepo_check_annotations_point_at_the_included_file(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs_monorepo_plugin")
    from harness import write_project

    root = tmp_path / "mono"
    write_project(root, {"index.md": INDEX.format(title="Handbook")}, _monorepo_config(root))
    done = _run_cli(root, "check", "--format", "github")
    assert done.returncode == 1, done.stderr
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert [line.split("::")[1] for line in annotations] == [
        f"warning file={path},line={line}" for path, line, _ in MONO_FINDINGS
    ]


# -- mkdocs-macros ---------------------------------------------------------------------------

MACRO_DESIGN = """\
---
design:
  status: draft
---
# Queue

## Requirements

{{ "one\\ntwo\\nthree\\nfour\\nfive\\nsix" }}

See [[Nothing here]].

```sysdesign
table: nope
```
"""


def test_macros_expansion_does_not_shift_warning_lines(make_site) -> None:
    pytest.importorskip("mkdocs_macros")
    site = make_site(
        {"designs/queue.md": MACRO_DESIGN},
        {"plugins": ["search", "macros", {"sysdesign": {"builtin_glossary": False}}]},
    )
    assert site.error is None, site.warnings
    page = site.content("designs/queue.md")
    assert "six" in page.get_text()  # the macro ran
    lines = MACRO_DESIGN.splitlines()
    reference = lines.index("See [[Nothing here]].") + 1
    table = lines.index("table: nope") + 1
    assert sorted(m.split(":", 3)[2] for m in site.messages) == sorted([str(reference), str(table)])
    assert all(m.startswith("mkdocs_sysdesign: docs/designs/queue.md:") for m in site.messages)


# -- Material's blog plugin -------------------------------------------------------------------

POST = """\
---
date: 2026-01-05
---
# Our entities

All of them:

```sysdesign
table: entities
```

```sysdesign
table: api
```
"""
API_DESIGN = """\
---
design:
  status: draft
---
# Queue

## Core Entities

```entity
name: Message
properties:
  body: text
```

## API

```api
protocol: REST
routes:
  - method: POST
    path: /messages
```
"""


def test_blog_post_tables_render_in_the_post_and_in_its_excerpts(make_site) -> None:
    files = {
        "blog/index.md": "# Blog\n",
        "blog/posts/entities.md": POST,
        "designs/queue.md": API_DESIGN,
    }
    config = {"plugins": ["search", "blog", {"sysdesign": {"builtin_glossary": False}}]}
    site = make_site(files, config, strict=True)
    assert site.error is None, site.warnings
    assert site.warnings == []
    for dest in (
        "blog/2026/01/05/our-entities/index.html",  # the post
        "blog/index.html",  # excerpts, converted a second time
        "blog/archive/2026/index.html",
    ):
        page = _soup(site, dest)
        entities = page.select_one('.sysdesign-table[data-table="entities"]')
        routes = page.select_one('.sysdesign-table[data-table="api"]')
        assert entities is not None and "Message" in entities.get_text(), dest
        assert routes is not None and "/messages" in routes.get_text(), dest


def test_blog_post_warning_names_the_post_once(make_site) -> None:
    post = POST.replace("table: api", "table: nope")
    files = {"blog/index.md": "# Blog\n", "blog/posts/entities.md": post}
    config = {"plugins": ["search", "blog", {"sysdesign": {"builtin_glossary": False}}]}
    site = make_site(files, config)
    assert site.error is None, site.warnings
    line = post.splitlines().index("table: nope") + 1
    assert [m.split(":", 3)[1:3] for m in site.messages] == [
        [" docs/blog/posts/entities.md", str(line)]
    ]


# -- ProperDocs ----------------------------------------------------------------------------

PROBE = """\
import sys
from mkdocs_sysdesign.cli import main
code = main(sys.argv[1:])
import mkdocs
print("BUILT-WITH", sys.modules["mkdocs.commands.build"].__name__.split(".")[0])
sys.exit(code)
"""


def _properdocs_project(root: Path, name: str) -> Path:
    (root / "docs" / "designs").mkdir(parents=True)
    (root / "docs" / "designs" / "broken.md").write_text(BAD_STATUS, encoding="utf-8")
    config = {
        "site_name": "T",
        "theme": {"name": "material", "font": False},
        "plugins": [{"sysdesign": {"builtin_glossary": False}}],
    }
    (root / name).write_text(yaml.safe_dump(config), encoding="utf-8")
    return root


def _run_cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize("explicit", [False, True], ids=["found", "given-with-f"])
def test_properdocs_yml_is_checked_with_properdocs(tmp_path: Path, explicit: bool) -> None:
    pytest.importorskip("properdocs")
    root = _properdocs_project(tmp_path / "p", "properdocs.yml")
    args = ["check", "--format", "json"] + (["-f", "properdocs.yml"] if explicit else [])
    done = _run_cli(root, *args)
    assert done.returncode == 1, done.stderr
    output, built_with = done.stdout.rsplit("BUILT-WITH", 1)
    assert built_with.strip() == "properdocs"
    findings = json.loads(output)["findings"]
    assert [(f["file"], f["line"]) for f in findings] == [("docs/designs/broken.md", 3)]


def test_mkdocs_yml_is_still_checked_with_mkdocs(tmp_path: Path) -> None:
    pytest.importorskip("properdocs")
    root = _properdocs_project(tmp_path / "p", "mkdocs.yml")
    done = _run_cli(root, "check")
    assert done.returncode == 1, done.stderr
    assert done.stdout.rsplit("BUILT-WITH", 1)[1].strip() == "mkdocs"
    assert "docs/designs/broken.md:3: warning: design.status" in done.stdout


def test_properdocs_yml_in_a_process_that_loaded_mkdocs_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("properdocs")
    from mkdocs_sysdesign.cli import main

    root = _properdocs_project(tmp_path / "p", "properdocs.yml")
    monkeypatch.chdir(root)
    assert main(["check"]) == 2
    error = capsys.readouterr().err.strip()
    assert error == (
        "mkdocs-sysdesign check: error: properdocs.yml: MkDocs is already loaded in this "
        "process, so ProperDocs cannot build; run the mkdocs-sysdesign command on its own"
    )


# -- Backstage TechDocs ----------------------------------------------------------------------


def _as_techdocs_shows_it(html: str) -> BeautifulSoup:
    """The page as Backstage's TechDocs reader keeps it: no scripts, and of the stylesheets
    only Material's own (``main.<hash>.min.css``); our stylesheet is dropped too."""
    soup = BeautifulSoup(html, "html.parser")
    for script in soup.find_all("script"):
        script.decompose()
    for link in soup.find_all("link", rel="stylesheet"):
        if "/main." not in link["href"]:
            link.decompose()
    return soup


@pytest.mark.parametrize("theme", ["material", "mkdocs"])
def test_without_scripts_a_dataflow_reads_as_its_ordered_list(make_site, theme: str) -> None:
    files = {"designs/chat.md": DESIGN.format(title="Chat"), "designs/cache.md": CACHE}
    site = make_site(files, {"plugins": [{"sysdesign": {"builtin_glossary": False}}]}, theme=theme)
    assert site.error is None, site.warnings
    page = _as_techdocs_shows_it(site.output_path("designs/chat.md").read_text(encoding="utf-8"))
    assert page.select_one('link[href*="sysdesign.css"]') is None
    flow = page.select_one(".sysdesign-dataflow")
    # The Mermaid source is hidden by the browser itself, with no stylesheet to help.
    source = flow.select_one("pre.mermaid")
    assert source.has_attr("hidden")
    steps = [li.get_text(" ", strip=True) for li in flow.select("ol > li")]
    assert len(steps) == 2 and steps[0].startswith("Client") and "POST /messages" in steps[0]


def test_dataflow_is_drawable_by_backstage_mermaid_addon(make_site) -> None:
    """Backstage's Mermaid addon draws every ``.mermaid`` element from the text of its
    ``code`` child, into a new element placed after it (which is not hidden)."""
    files = {"designs/chat.md": DESIGN.format(title="Chat"), "designs/cache.md": CACHE}
    site = make_site(files, {"plugins": [{"sysdesign": {"builtin_glossary": False}}]})
    page = _as_techdocs_shows_it(site.output_path("designs/chat.md").read_text(encoding="utf-8"))
    diagrams = page.select(".sysdesign-dataflow .mermaid")
    assert len(diagrams) == 1
    code = diagrams[0].find("code")
    assert code is not None
    lines = [line.strip() for line in code.get_text().splitlines()]
    # Mermaid's own front matter (the diagram's configuration) may come first.
    start = lines.index("sequenceDiagram")
    assert start == 0 or (lines[0] == "---" and lines[start - 1] == "---")
    assert {"participant P1 as Client", "P1->>P2: POST /messages", "P2-->>P1: 201"} <= set(lines)
