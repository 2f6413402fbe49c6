"""The handbook on Zensical: the same site and findings as on MkDocs.

The example handbook (``examples/zensical``) is built with MkDocs (the plugin) and with
Zensical (the ``mkdocs_sysdesign.zensical`` extension) from the same ``mkdocs.yml``, and
the HTML contract is read from both. Zensical comes with the ``test`` extras (Python 3.11
or newer); without it these tests skip, and under CI they fail.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from harness import IN_CI, ROOT

from mkdocs_sysdesign import zensical as host
from mkdocs_sysdesign.cli import main as cli_main

EXAMPLE = ROOT / "examples" / "zensical"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
_LOG_LINE = re.compile(r"^(WARNING|INFO)\s+-\s+(\S+?):(?:(\d+):)? (.*)$")


@pytest.fixture(scope="module", autouse=True)
def zensical_installed() -> None:
    """Zensical must be importable: skip without it locally, fail without it under CI."""
    if importlib.util.find_spec("zensical") is None:
        reason = "Zensical is not installed: pip install -e '.[test]' on Python 3.11 or newer"
        if IN_CI:
            pytest.fail(reason)
        pytest.skip(reason)


def copy_example(target: Path) -> Path:
    """The example handbook, without anything a build or sync left in it, in ``target``."""
    shutil.copytree(
        EXAMPLE,
        target,
        ignore=shutil.ignore_patterns("site", ".cache", "glossary", "sysdesign"),
    )
    return target


def sync(project: Path, *extra: str) -> int:
    """``mkdocs-sysdesign sync`` in ``project``."""
    here = os.getcwd()
    os.chdir(project)
    try:
        return cli_main(["sync", *extra])
    finally:
        os.chdir(here)


def run(project: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """A command of this Python run in ``project``, as a user runs it there."""
    return subprocess.run(
        [sys.executable, *argv],
        cwd=project,
        env=ENV,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def zensical_build(project: Path) -> subprocess.CompletedProcess[str]:
    """``zensical build --clean`` in ``project``."""
    return run(project, "-m", "zensical", "build", "--clean")


def mkdocs_build(project: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build`` in ``project``."""
    return run(project, "-m", "mkdocs", "build")


def check_json(project: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs-sysdesign check --format json`` in ``project``."""
    return run(project, "-m", "mkdocs_sysdesign.cli", "check", "--format", "json")


def logged(stderr: str) -> set[tuple[str, int | None, str]]:
    """The plugin's and the extension's warnings in a build log: (file, line, message)."""
    found = set()
    for line in stderr.splitlines():
        match = _LOG_LINE.match(line.strip())
        if match and match.group(1) == "WARNING" and match.group(2).startswith("docs/"):
            number = int(match.group(3)) if match.group(3) else None
            found.add((match.group(2), number, match.group(4)))
    return found


def page(project: Path, url: str) -> BeautifulSoup:
    """A built page of ``project``, by its URL."""
    path = project / "site" / url / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def contract(soup: BeautifulSoup) -> dict[str, object]:
    """What the HTML contract shows on a page, in a form to compare between hosts."""
    steps = {
        step["data-step"]: (
            step["data-state"],
            {item["data-item"]: item["data-done"] for item in step.select("[data-item]")},
        )
        for step in soup.select(".sysdesign-checklist [data-step]")
    }
    terms = sorted(
        {(a["data-term"], bool(a.get("title"))) for a in soup.select("a.sysdesign-term")}
    )
    tables = {
        wrapper["data-table"]: [
            [" ".join(cell.get_text().split()) for cell in row.select("th, td")]
            for row in wrapper.select("tr")
        ]
        for wrapper in soup.select(".sysdesign-table")
    }
    return {
        "steps": steps,
        "status": [s["data-status"] for s in soup.select(".sysdesign-meta .sysdesign-status")],
        "terms": terms,
        "tables": tables,
        "blocks": sorted(
            name
            for name in ("sysdesign-entity", "sysdesign-api", "sysdesign-dataflow")
            if soup.select(f".{name}")
        ),
        "backlinks": [
            " ".join(li.get_text().split()) for li in soup.select(".sysdesign-backlinks li")
        ],
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    """The example, synced, built once with each host."""
    projects = {}
    for name, build in (("mkdocs", mkdocs_build), ("zensical", zensical_build)):
        project = copy_example(tmp_path_factory.mktemp(name) / "handbook")
        assert sync(project) == 0
        result = build(project)
        assert result.returncode == 0, result.stderr
        (project / "build.log").write_text(result.stderr, encoding="utf-8")
        projects[name] = project
    yield projects


PAGES = (
    "designs/rate-limiter",
    "designs/url-shortener",
    "designs",
    "",
    "glossary/cap-theorem",
    "glossary/latency",
)


@pytest.mark.parametrize("url", PAGES)
def test_zensical_page_shows_what_mkdocs_shows(built: dict[str, Path], url: str) -> None:
    on_mkdocs = contract(page(built["mkdocs"], url))
    on_zensical = contract(page(built["zensical"], url))
    assert on_zensical == on_mkdocs


def test_design_page_on_zensical_has_the_checklist_meta_blocks_and_tooltips(
    built: dict[str, Path],
) -> None:
    soup = page(built["zensical"], "designs/rate-limiter")
    shown = contract(soup)
    assert shown["status"] == ["approved"]
    assert shown["steps"]["requirements"] == (
        "complete",
        {"functional": "true", "non-functional": "true", "out-of-scope": "true"},
    )
    assert set(shown["steps"]) == {
        "requirements",
        "core-entities",
        "api",
        "data-flow",
        "high-level-design",
        "deep-dives",
    }
    assert shown["blocks"] == ["sysdesign-api", "sysdesign-dataflow", "sysdesign-entity"]
    link = soup.select_one('a.sysdesign-term[data-term="latency"]')
    assert link is not None
    assert link["title"].startswith("The time one operation takes")
    # A link Zensical resolved to the term's page, from the design's own URL.
    assert link["href"] == "../../glossary/latency/"
    assert (built["zensical"] / "site" / "glossary" / "latency" / "index.html").is_file()


def test_zensical_home_resolves_explicit_references_and_renders_tables(
    built: dict[str, Path],
) -> None:
    soup = page(built["zensical"], "")
    reference = soup.select_one('a.sysdesign-term[data-term="cap-theorem"]')
    assert reference is not None and reference.get_text() == "CAP theorem"
    assert "[[" not in soup.select_one("article").get_text()
    rows = contract(soup)["tables"]["designs"]
    assert [row[0] for row in rows[1:]] == ["Rate Limiter", "URL Shortener"]


def test_zensical_serves_the_assets_from_the_site(built: dict[str, Path]) -> None:
    soup = page(built["zensical"], "designs/rate-limiter")
    scripts = [tag["src"] for tag in soup.select("script[src]")]
    styles = [tag["href"] for tag in soup.select("link[rel=stylesheet]")]
    assert "../../assets/sysdesign/mermaid.min.js" in scripts
    assert "../../assets/sysdesign/sysdesign-tables.js" in scripts
    assert "../../assets/sysdesign/sysdesign.css" in styles
    for name in ("mermaid.min.js", "sysdesign-tables.js", "sysdesign.js", "sysdesign.css"):
        assert (built["zensical"] / "site" / "assets" / "sysdesign" / name).is_file()
    # Nothing is requested from another host.
    external = [url for url in (*scripts, *styles) if re.match(r"^(https?:)?//", url)]
    assert external == []


def test_mkdocs_links_each_listed_asset_once(built: dict[str, Path]) -> None:
    soup = page(built["mkdocs"], "designs/rate-limiter")
    sources = [tag["src"] for tag in soup.select("script[src]")]
    assert sources.count("../../assets/sysdesign/mermaid.min.js") == 1
    styles = [tag["href"] for tag in soup.select("link[rel=stylesheet]")]
    assert styles.count("../../assets/sysdesign/sysdesign.css") == 1


def test_zensical_build_says_once_that_strict_needs_check(built: dict[str, Path]) -> None:
    log = (built["zensical"] / "build.log").read_text(encoding="utf-8")
    assert log.count("mkdocs-sysdesign check") == 1
    assert "Traceback" not in log


# -- the same findings --------------------------------------------------------------------

BROKEN = """\
---
title: Broken Queue
design:
  status: finished
  owners: [dana]
---
# Broken Queue

Readers see [[Nonexistent thing]] here.

## Core Entities

```entity
name: Message
properties: [unclosed
```
"""


def test_check_reports_what_the_zensical_build_logs(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "handbook")
    (project / "docs" / "designs" / "broken.md").write_text(BROKEN, encoding="utf-8")
    assert sync(project) == 0
    result = zensical_build(project)
    assert result.returncode == 0, result.stderr
    on_zensical = logged(result.stderr)
    check = check_json(project)
    assert check.returncode == 1, check.stderr
    report = json.loads(check.stdout)
    from_check = {
        (f["file"], f["line"], f["message"]) for f in report["findings"] if f["level"] == "warning"
    }
    assert len(from_check) == 3  # the status, the reference and the block
    assert {(f, line) for f, line, _ in from_check} == {
        ("docs/designs/broken.md", 4),
        ("docs/designs/broken.md", 9),
        ("docs/designs/broken.md", 15),
    }
    assert on_zensical == from_check


# -- rebuilds -------------------------------------------------------------------------------


def _touch_later(path: Path) -> None:
    # Zensical compares watched files by their modification time in whole seconds.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 3_000_000_000))


REBUILD = """\
import os, sys
from pathlib import Path
from zensical import build

config = os.path.abspath("mkdocs.yml")
build(config, {"clean": False, "strict": False})
Path("before.html").write_text(Path("site/designs/index.html").read_text())
Path("before-design.html").write_text(Path("site/designs/url-shortener/index.html").read_text())
design = Path("docs/designs/url-shortener.md")
design.write_text(design.read_text().replace(
    "- [ ] Protocol\\n- [ ] Routes\\n",
    "```api\\nprotocol: REST\\nroutes:\\n  - method: GET\\n    path: /{code}\\n"
    "    parameters: {code: string}\\n    returns: 301 to the long URL\\n```\\n",
))
stat = design.stat()
os.utime(design, ns=(stat.st_atime_ns, stat.st_mtime_ns + 3_000_000_000))
build(config, {"clean": False, "strict": False})
"""


def test_rebuild_in_one_process_shows_the_edited_design(tmp_path: Path) -> None:
    """As ``zensical serve`` does: build, edit a design, build again in the same process."""
    project = copy_example(tmp_path / "handbook")
    assert sync(project) == 0
    (project / "rebuild.py").write_text(REBUILD, encoding="utf-8")
    result = run(project, "rebuild.py")
    assert result.returncode == 0, result.stderr

    def api_state(soup: BeautifulSoup) -> str:
        rows = contract(soup)["tables"]["checklist"]
        header, *body = rows
        row = next(r for r in body if r[0] == "URL Shortener")
        return row[header.index("API or Interface")]

    before = BeautifulSoup((project / "before.html").read_text(), "html.parser")
    after = page(project, "designs")
    assert api_state(before) != api_state(after)
    routes = contract(after)["tables"]["api"]
    assert any("/{code}" in " ".join(row) for row in routes)

    design_before = BeautifulSoup((project / "before-design.html").read_text(), "html.parser")
    design_after = page(project, "designs/url-shortener")
    assert contract(design_before)["steps"]["api"][0] == "partial"
    assert contract(design_after)["steps"]["api"] == (
        "complete",
        {"protocol": "true", "routes": "true", "parameters": "true", "returns": "true"},
    )


def test_the_model_is_collected_once_per_state_of_the_docs_folder(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "handbook")
    config = host.read_config_file(project / "mkdocs.yml")
    settings = host.read_settings({}, config)
    first = host.site_for(settings, config, "index.md")
    assert host.site_for(settings, config, "designs/index.md") is first
    design = project / "docs" / "designs" / "url-shortener.md"
    design.write_text(design.read_text() + "\n## Data Flow\n\n1. A\n2. B\n", encoding="utf-8")
    _touch_later(design)
    # The edited page itself, as a rebuild of `zensical serve` renders it: read again.
    second = host.site_for(settings, config, "designs/url-shortener.md")
    assert second is not first
    assert second.handbook.designs["designs/url-shortener.md"].steps["data-flow"].state != (
        first.handbook.designs["designs/url-shortener.md"].steps["data-flow"].state
    )
    # The next build (Zensical reads its configuration again), nothing changed: kept.
    again = host.read_config_file(project / "mkdocs.yml")
    assert host.site_for(settings, again, "index.md") is second
    # Another page changed before the next build: the whole folder is compared.
    other = project / "docs" / "designs" / "rate-limiter.md"
    other.write_text(other.read_text().replace("status: approved", "status: draft"))
    _touch_later(other)
    third = host.site_for(settings, host.read_config_file(project / "mkdocs.yml"), "index.md")
    assert third is not second
    assert third.handbook.designs["designs/rate-limiter.md"].status == "draft"


# -- configuration ----------------------------------------------------------------------------


def test_options_come_from_the_plugin_entry_or_the_extension_entry(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "handbook")
    config = host.read_config_file(project / "mkdocs.yml")
    from_plugin = host.read_settings({}, config)
    assert from_plugin.plugin_listed
    assert from_plugin.source == "mkdocs.yml: plugins.sysdesign"
    own = host.read_settings({"autolink": "all"}, config)
    assert own.options.autolink == "all"
    assert own.source == f"mkdocs.yml: markdown_extensions.{host.EXTENSION}"


def test_a_wrong_option_is_one_message_naming_the_file_and_option(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "handbook")
    config = host.read_config_file(project / "mkdocs.yml")
    settings = host.read_settings({"autolink": "sometimes"}, config)
    assert len(settings.problems) == 1
    assert settings.problems[0].startswith(
        f"mkdocs.yml: markdown_extensions.{host.EXTENSION}.autolink:"
    )
    assert settings.options.autolink == "first"  # the defaults, as the message says


def test_the_plain_extension_takes_the_plugins_options() -> None:
    html = markdown.markdown(
        "```entity\nname: Bucket\nproperties: {tokens: int}\n```\n",
        extensions=["pymdownx.superfences", "mkdocs_sysdesign.extension"],
        extension_configs={"mkdocs_sysdesign.extension": {"autolink": "all"}},
    )
    soup = BeautifulSoup(html, "html.parser")
    assert soup.select_one(".sysdesign-entity") is not None
    with pytest.raises(ValueError, match="autolinks: Unrecognised"):
        markdown.markdown(
            "x",
            extensions=["mkdocs_sysdesign.extension"],
            extension_configs={"mkdocs_sysdesign.extension": {"autolinks": "all"}},
        )


def test_the_zensical_extension_does_nothing_outside_zensical() -> None:
    html = markdown.markdown("Latency and [[CAP theorem]].", extensions=[host.EXTENSION])
    assert html == "<p>Latency and [[CAP theorem]].</p>"


def test_sync_check_says_when_the_written_files_are_out_of_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_example(tmp_path / "handbook")
    assert sync(project, "--check") == 1
    assert "docs/assets/sysdesign/mermaid.min.js: missing" in capsys.readouterr().out
    assert sync(project) == 0
    assert sync(project, "--check") == 0
    # A new term changes the glossary index: it is out of date until synced again.
    (project / "docs" / "glossary" / "token-bucket.md").write_text(
        "---\nterm: Token bucket\nsummary: A rate limiting algorithm.\n---\nText.\n",
        encoding="utf-8",
    )
    capsys.readouterr()
    assert sync(project, "--check") == 1
    assert "docs/glossary/index.md: out of date" in capsys.readouterr().out


def test_check_on_a_synced_handbook_says_nothing_of_replaced_terms(tmp_path: Path) -> None:
    project = copy_example(tmp_path / "handbook")
    assert sync(project) == 0
    check = check_json(project)
    assert check.returncode == 0, check.stdout + check.stderr
    assert json.loads(check.stdout)["findings"] == []


def test_zensical_with_only_the_plugin_entry_and_hand_made_fences_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The blocks' formatter without the extension, on Zensical: one line says what is
    missing."""
    from zensical.config import parse_config
    from zensical.markdown.render import render

    project = copy_example(tmp_path / "handbook")
    config_path = project / "mkdocs.yml"
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(
        text.replace(
            "  - mkdocs_sysdesign.zensical\n",
            "  - pymdownx.superfences:\n"
            "      custom_fences:\n"
            "        - name: entity\n"
            "          class: sysdesign-entity\n"
            "          format: !!python/name:mkdocs_sysdesign.extension.format_block\n",
        ),
        encoding="utf-8",
    )
    parse_config(str(config_path))
    body = "```entity\nname: Bucket\nproperties: {tokens: int}\n```\n"
    with caplog.at_level(logging.INFO, logger="mkdocs_sysdesign"):
        for _ in range(2):
            out = render(body, "designs/x.md", "designs/x/")
    assert 'class="sysdesign-entity"' in out["content"]
    said = [r.getMessage() for r in caplog.records if "does not run on Zensical" in r.getMessage()]
    assert len(said) == 1
    assert f"- {host.EXTENSION}" in said[0]


def test_sync_rewrites_its_own_copies_and_leaves_the_projects_pages_alone(
    tmp_path: Path,
) -> None:
    project = copy_example(tmp_path / "handbook")
    assert sync(project) == 0
    glossary = project / "docs" / "glossary"
    copy = glossary / "latency.md"
    assert copy.read_text(encoding="utf-8").rstrip().endswith(host.SHIPPED_COPY_MARK)
    # A copy of an older version: still the shipped page, and rewritten by the next sync.
    older = copy.read_text(encoding="utf-8").replace("best described", "described")
    copy.write_text(older, encoding="utf-8")
    # The project's own page: no mark, so sync keeps it.
    own = glossary / "tcp.md"
    own.write_text("---\nterm: TCP\nsummary: Our words.\n---\nOurs.\n", encoding="utf-8")
    assert sync(project, "--check") == 1
    assert sync(project) == 0
    assert "best described" in copy.read_text(encoding="utf-8")
    assert own.read_text(encoding="utf-8").endswith("Ours.\n")
    assert sync(project, "--check") == 0


def test_the_build_says_once_what_the_configuration_leaves_undone(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """No `watch` of the docs folder, files not synced, a nav without the glossary: one
    line each, however many pages render."""
    from zensical.config import parse_config
    from zensical.markdown.render import render

    project = copy_example(tmp_path / "handbook")
    config_path = project / "mkdocs.yml"
    text = config_path.read_text(encoding="utf-8")
    text = text.replace("watch:\n  - docs\n", "").replace("  - Glossary: glossary/index.md\n", "")
    config_path.write_text(text, encoding="utf-8")
    parse_config(str(config_path))
    with caplog.at_level(logging.INFO, logger="mkdocs_sysdesign"):
        for path in ("index.md", "designs/index.md", "designs/url-shortener.md"):
            body = (project / "docs" / path).read_text(encoding="utf-8")
            render(body.split("---\n", 2)[-1], path, path.replace(".md", "/"))
    messages = [r.getMessage() for r in caplog.records]
    watch = [m for m in messages if "`watch` does not list docs" in m]
    unsynced = [m for m in messages if "run `mkdocs-sysdesign sync`" in m]
    nav = [m for m in messages if "the nav places no page of glossary/" in m]
    assert (len(watch), len(unsynced), len(nav)) == (1, 1, 1)
    assert "63 missing" in unsynced[0]


def test_each_build_reports_its_findings_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    from zensical.config import parse_config
    from zensical.markdown.render import render

    project = copy_example(tmp_path / "handbook")
    (project / "docs" / "designs" / "broken.md").write_text(BROKEN, encoding="utf-8")
    assert sync(project) == 0
    body = BROKEN.split("---\n", 2)[-1]
    with caplog.at_level(logging.INFO, logger="mkdocs_sysdesign"):
        for renders in (2, 1):  # two builds, as `zensical serve` makes them
            parse_config(str(project / "mkdocs.yml"))
            for _ in range(renders):
                render(body, "designs/broken.md", "designs/broken/")
    messages = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    status = [m for m in messages if m.startswith("docs/designs/broken.md:4: ")]
    reference = [m for m in messages if m.startswith("docs/designs/broken.md:9: ")]
    assert (len(status), len(reference)) == (2, 2)


def test_a_zensical_without_the_page_context_is_named_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A Zensical release that changed its page context: one line, not a silent site."""
    import zensical.markdown.render  # noqa: F401 - Zensical is converting pages

    monkeypatch.setattr(host, "zensical_page", lambda md: None)
    with caplog.at_level(logging.INFO, logger="mkdocs_sysdesign"):
        for _ in range(3):
            markdown.markdown("Latency.", extensions=[host.EXTENSION])
    said = [r for r in caplog.records if "no page context" in r.getMessage()]
    assert len(said) == 1
    assert said[0].levelno == logging.WARNING


def test_zensical_terms_table_knows_what_each_design_mentions(built: dict[str, Path]) -> None:
    rows = contract(page(built["zensical"], "designs"))["tables"]["terms"]
    text = [" ".join(row) for row in rows[1:]]
    assert any("Rate Limiter" in line and "Latency" in line for line in text), text


def test_zensical_toml_gives_the_extension_its_options(tmp_path: Path) -> None:
    from zensical.config import parse_config
    from zensical.markdown.render import render

    project = copy_example(tmp_path / "handbook")
    (project / "mkdocs.yml").unlink()
    (project / "zensical.toml").write_text(
        '[project]\nsite_name = "Handbook"\nwatch = ["docs"]\n\n'
        '[project.markdown_extensions."mkdocs_sysdesign.zensical"]\nautolink = "all"\n',
        encoding="utf-8",
    )
    assert sync(project) == 0
    parse_config(str(project / "zensical.toml"))
    out = render("Latency matters; latency again.\n", "notes.md", "notes/")
    links = BeautifulSoup(out["content"], "html.parser").select("a.sysdesign-term")
    assert [a["data-term"] for a in links] == ["latency", "latency"]


def test_a_template_in_the_themes_custom_dir_replaces_the_packages_on_zensical(
    tmp_path: Path,
) -> None:
    from zensical.config import parse_config
    from zensical.markdown.render import render

    project = copy_example(tmp_path / "handbook")
    config_path = project / "mkdocs.yml"
    config_path.write_text(
        config_path.read_text(encoding="utf-8").replace(
            "  font: false", "  custom_dir: overrides\n  font: false"
        ),
        encoding="utf-8",
    )
    template = project / "overrides" / "sysdesign" / "entity.html"
    template.parent.mkdir(parents=True)
    template.write_text(
        '{% for entity in entities %}<div class="sysdesign-entity" data-entity="{{ entity.name }}">'
        '<p class="mine">{{ entity.name }}</p></div>{% endfor %}\n',
        encoding="utf-8",
    )
    assert sync(project) == 0
    parse_config(str(config_path))
    out = render("```entity\nname: Bucket\nproperties: {tokens: int}\n```\n", "n.md", "n/")
    soup = BeautifulSoup(out["content"], "html.parser")
    assert [p.get_text() for p in soup.select("div.sysdesign-entity > p.mine")] == ["Bucket"]
