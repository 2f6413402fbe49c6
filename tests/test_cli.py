"""The `mkdocs-sysdesign` command, run as a user runs it: new, check, export and schema."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from harness import ROOT, write_project

from mkdocs_sysdesign import __version__
from mkdocs_sysdesign.cli.check import count_of
from mkdocs_sysdesign.cli.scaffold import design_template, slug
from mkdocs_sysdesign.cli.schema import frontmatter_schema
from mkdocs_sysdesign.config import DEFAULT_STATUSES
from mkdocs_sysdesign.steps import StepRegistry

SHIPPED_SCHEMA = ROOT / "mkdocs_sysdesign" / "schema" / "frontmatter.schema.json"
FINDING = re.compile(r"^(?P<file>[^:]+):(?:(?P<line>\d+):)? (?P<level>\w+): (?P<message>.+)$")

GOOD = """
---
title: Good Design
design:
  status: approved
  owners: [alice]
---
# Good Design

## Requirements

### Functional requirements

Shorten links.

### Non-functional requirements

Fast redirects, with a cache in front of the store.

### Out of scope

Analytics.
"""

BAD = """
---
title: Bad Design
design:
  status: aproved
  reviwers: [bob]
---
# Bad Design

## Requirements

- [x] Functional requirements

See [[no such term]].
"""


def run(
    *args: str, cwd: Path, check: bool = False, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """Run the command as a user would, from ``cwd``, without the MkDocs 2 opt-out set."""
    env = {k: v for k, v in os.environ.items() if k != "NO_MKDOCS_2_WARNING"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_sysdesign.cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        **kwargs,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def findings(stdout: str) -> list[tuple[str, int | None, str, str]]:
    """Parse `file:line: level: message` lines; fail on any other line."""
    parsed = []
    for line in stdout.splitlines():
        match = FINDING.match(line)
        assert match, f"not a finding line: {line!r}"
        number = match.group("line")
        parsed.append(
            (
                match.group("file"),
                int(number) if number else None,
                match.group("level"),
                match.group("message"),
            )
        )
    return parsed


def project(root: Path, files: dict[str, str], config: dict[str, Any] | None = None) -> Path:
    """A project in ``root`` with the Material theme; returns ``root``."""
    write_project(root, files, {"theme": {"name": "material"}, **(config or {})})
    return root


def front_matter(text: str) -> dict[str, Any]:
    """The front matter as an editor's YAML server sees it: dates stay text."""
    match = re.match(r"^---\n(.*?\n)---\n", text, re.DOTALL)
    assert match, "no front matter"
    return yaml.load(match.group(1), Loader=_TextDates)


class _TextDates(yaml.SafeLoader):
    """A safe loader without the timestamp type, like YAML 1.2 language servers."""


_TextDates.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


# -- the command itself --------------------------------------------------------------


def test_version_and_help_of_every_command(tmp_path: Path) -> None:
    version = run("--version", cwd=tmp_path, check=True)
    assert version.stdout.strip() == f"mkdocs-sysdesign {__version__}"
    top = run("--help", cwd=tmp_path, check=True)
    for command in ("new", "check", "export", "schema"):
        assert command in top.stdout
    expected = {
        "new": ["--dir", "--owner", "-f"],
        "check": ["--format", "--require-complete", "DOCS_DIR", "Exit codes"],
        "export": ["-o", "DOCS_DIR"],
        "schema": ["-o", "-f"],
    }
    for command, words in expected.items():
        text = run(command, "--help", cwd=tmp_path, check=True).stdout
        assert text.startswith(f"usage: mkdocs-sysdesign {command}")
        for word in words:
            assert word in text, (command, word)


def test_installed_script_runs(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "mkdocs-sysdesign"
    if not script.exists():
        pytest.skip("the console script is not installed in this environment")
    result = subprocess.run(
        [str(script), "--version"], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    assert __version__ in result.stdout


@pytest.mark.parametrize("module", ["mkdocs_sysdesign", "mkdocs_sysdesign.cli"])
def test_python_dash_m_runs_the_command(tmp_path: Path, module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", module, "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == f"mkdocs-sysdesign {__version__}"


def test_no_command_and_bad_arguments_are_usage_errors(tmp_path: Path) -> None:
    assert run(cwd=tmp_path).returncode == 2
    assert run("check", "--format", "xml", cwd=tmp_path).returncode == 2
    assert run("frobnicate", cwd=tmp_path).returncode == 2


# -- new -----------------------------------------------------------------------------


def test_slug_of_titles() -> None:
    assert slug("Rate Limiter") == "rate-limiter"
    assert slug("  URL shortener: v2 (draft)! ") == "url-shortener-v2-draft"
    assert slug("Café Search") == "cafe-search"
    assert slug("***") == ""


def test_new_writes_the_six_step_template(tmp_path: Path) -> None:
    result = run("new", "Rate Limiter", "--owner", "alice", "--owner", "Bob Smith", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "docs/designs/rate-limiter.md"
    text = (tmp_path / "docs" / "designs" / "rate-limiter.md").read_text(encoding="utf-8")
    data = front_matter(text)
    today = dt.date.today().isoformat()
    assert data["title"] == "Rate Limiter"
    assert data["design"]["status"] == "draft"
    assert data["design"]["owners"] == ["alice", "Bob Smith"]
    assert data["design"]["created"] == today
    assert data["design"]["updated"] == today
    assert "\n# Rate Limiter\n" in text
    # Each step's H2, followed by its items as unchecked task items, in registry order.
    for step in StepRegistry.default():
        section = text.split(f"\n## {step.title}\n", 1)
        assert len(section) == 2, f"no H2 for {step.title}"
        body = section[1].split("\n## ", 1)[0]
        tasks = re.findall(r"^- \[ \] (.+)$", body, re.MULTILINE)
        assert tasks == [item.title for item in step.items]
        assert "<!--" in body
    assert "- [x]" not in text
    # The overview's prompts are there, as comments.
    assert "Consider how the system will grow" in text
    assert "out of scope" in text.split("## Core Entities")[0]
    requirements = text.split("## Requirements")[1].split("## Core Entities")[0]
    comment = requirements.split("<!--")[1].split("-->")[0]
    assert "grow" in comment


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    run("new", "Rate Limiter", cwd=tmp_path, check=True)
    target = tmp_path / "docs" / "designs" / "rate-limiter.md"
    target.write_text("# Mine\n", encoding="utf-8")
    again = run("new", "rate limiter", cwd=tmp_path)
    assert again.returncode == 1
    assert "already exists" in again.stderr
    assert target.read_text(encoding="utf-8") == "# Mine\n"


def test_new_with_dir_and_an_awkward_title(tmp_path: Path) -> None:
    result = run("new", "Search: v2 #1", "--dir", "handbook/ideas", cwd=tmp_path, check=True)
    target = tmp_path / "handbook" / "ideas" / "search-v2-1.md"
    assert result.stdout.strip() == "handbook/ideas/search-v2-1.md"
    assert front_matter(target.read_text(encoding="utf-8"))["title"] == "Search: v2 #1"
    empty = run("new", "!!!", cwd=tmp_path)
    assert empty.returncode == 2
    assert "file name" in empty.stderr


def test_fresh_design_shows_no_step_complete(make_site: Any) -> None:
    text = design_template("Rate Limiter", StepRegistry.default(), DEFAULT_STATUSES, ["alice"])
    site = make_site({"designs/rate-limiter.md": text}, strict=True)
    assert site.error is None, site.warnings
    assert site.messages == []
    panel = site.content("designs/rate-limiter.md").select_one(".sysdesign-checklist")
    assert panel is not None
    states = {el["data-step"]: el["data-state"] for el in panel.select("[data-step]")}
    assert set(states) == set(StepRegistry.default().ids)
    assert set(states.values()) == {"partial"}
    assert {el["data-done"] for el in panel.select("[data-item]")} == {"false"}


def test_new_follows_the_configured_steps_and_folder(tmp_path: Path) -> None:
    config = {
        "plugins": [
            {
                "sysdesign": {
                    "designs_dir": "rfcs",
                    "statuses": ["proposed", "accepted"],
                    "steps": {
                        "requirements": {
                            "title": "Goals",
                            "items": [{"id": "capacity", "title": "Capacity estimates"}],
                        },
                        "rollout": {"title": "Rollout", "purpose": "Ship it safely"},
                    },
                }
            }
        ]
    }
    root = project(tmp_path, {"index.md": "# Home\n"}, config)
    run("new", "Payment Webhooks", cwd=root, check=True)
    text = (root / "docs" / "rfcs" / "payment-webhooks.md").read_text(encoding="utf-8")
    goals = text.split("\n## Goals\n")[1].split("\n## ")[0]
    assert "- [ ] Capacity estimates" in goals
    assert "- [ ] Functional requirements" in goals
    assert front_matter(text)["design"]["status"] == "proposed"
    # A step without checklist items would count as complete as soon as its H2 exists,
    # so the template names it in a comment instead.
    assert "\n## Rollout" not in text
    assert '"Rollout"' in text
    states = export_states(root)
    assert "complete" not in states["rfcs/payment-webhooks.md"].values()
    assert states["rfcs/payment-webhooks.md"]["rollout"] == "missing"


# -- check ---------------------------------------------------------------------------


def test_check_clean_project_exits_0_and_prints_no_findings(tmp_path: Path) -> None:
    root = project(tmp_path, {"index.md": "# Home\n", "designs/good.md": GOOD})
    result = run("check", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    # MkDocs' own INFO lines and Material's notice about MkDocs 2 are not shown.
    assert "INFO" not in result.stderr
    assert "Building documentation" not in result.stderr
    assert "NO_MKDOCS_2_WARNING" not in result.stderr
    assert re.search(r"0 problems in 1 design and \d+ glossary terms", result.stderr)
    # The build went to a temporary folder: nothing is left in the project.
    assert sorted(p.name for p in root.iterdir()) == ["docs", "mkdocs.yml"]


def test_check_reports_findings_with_file_line_and_level(tmp_path: Path) -> None:
    root = project(tmp_path, {"designs/good.md": GOOD, "designs/bad.md": BAD})
    result = run("check", "-f", "mkdocs.yml", cwd=root)
    assert result.returncode == 1
    found = findings(result.stdout)
    assert all(f[0] == "docs/designs/bad.md" and f[2] == "warning" for f in found)
    by_line = {line: message for _, line, _, message in found}
    assert "'aproved' is not one of draft" in by_line[4]
    assert "did you mean 'reviewers'" in by_line[5]
    assert "no such term" in by_line[13]
    assert "1 problem" not in result.stderr and "3 problems in 2 designs" in result.stderr


@pytest.mark.parametrize(
    ("number", "noun", "expected"),
    [
        (0, "design", "0 designs"),
        (1, "design", "1 design"),
        (2, "glossary term", "2 glossary terms"),
    ],
)
def test_check_summary_counts_in_the_singular_and_plural(
    number: int, noun: str, expected: str
) -> None:
    assert count_of(number, noun) == expected


def test_check_json_format(tmp_path: Path) -> None:
    root = project(tmp_path, {"designs/good.md": GOOD, "designs/bad.md": BAD})
    result = run("check", "--format", "json", cwd=root)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["version"] == 1
    assert report["summary"] == {"designs": 2, "terms": report["summary"]["terms"], "problems": 3}
    assert report["summary"]["terms"] > 50  # the shipped glossary
    first = report["findings"][0]
    assert list(first) == ["file", "line", "level", "message"]
    assert first["file"] == "docs/designs/bad.md" and first["line"] == 4
    assert [f["line"] for f in report["findings"]] == [4, 5, 13]


def test_check_github_format_writes_annotations(tmp_path: Path) -> None:
    root = project(tmp_path, {"designs/bad.md": BAD})
    result = run("check", "--format", "github", cwd=root)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::warning file=docs/designs/bad.md,line=4::design.status:")
    assert len(lines) == 3


def test_check_paths_are_relative_to_the_current_folder(tmp_path: Path) -> None:
    root = project(tmp_path / "site-project", {"designs/bad.md": BAD})
    result = run("check", "-f", "site-project/mkdocs.yml", cwd=tmp_path)
    assert result.returncode == 1
    assert {f[0] for f in findings(result.stdout)} == {"site-project/docs/designs/bad.md"}
    assert root.exists()


def test_check_names_mkdocs_yml_for_configuration_findings(tmp_path: Path) -> None:
    config = {"plugins": [{"sysdesign": {"ambiguous": {"consistency": "no-such-term"}}}]}
    root = project(tmp_path, {"index.md": "# Home\n"}, config)
    result = run("check", cwd=root)
    assert result.returncode == 1
    assert findings(result.stdout)[0][:3] == ("mkdocs.yml", None, "warning")


def test_check_bare_docs_dir_uses_defaults(tmp_path: Path) -> None:
    docs = tmp_path / "handbook"
    (docs / "designs").mkdir(parents=True)
    (docs / "designs" / "bad.md").write_text(textwrap.dedent(BAD).lstrip(), encoding="utf-8")
    result = run("check", "handbook", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert {f[0] for f in findings(result.stdout)} == {"handbook/designs/bad.md"}
    # No configuration or site was written into or beside the docs folder.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["handbook"]
    assert sorted(p.name for p in docs.iterdir()) == ["designs"]


def test_check_usage_errors_exit_2(tmp_path: Path) -> None:
    missing = run("check", cwd=tmp_path)
    assert missing.returncode == 2
    assert "no mkdocs.yml" in missing.stderr
    assert run("check", "-f", "nope.yml", cwd=tmp_path).returncode == 2
    assert run("check", "no-such-folder", cwd=tmp_path).returncode == 2
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nplugins: [search]\n", encoding="utf-8")
    (tmp_path / "docs").mkdir()
    unplugged = run("check", cwd=tmp_path)
    assert unplugged.returncode == 2
    assert "sysdesign plugin is not in 'plugins:'" in unplugged.stderr
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nplugins: [sysdesign]\ntheme: {name: no-such-theme}\n", encoding="utf-8"
    )
    broken = run("check", cwd=tmp_path)
    assert broken.returncode == 2
    assert "theme" in broken.stderr
    assert "Traceback" not in broken.stderr


def test_check_require_complete(tmp_path: Path) -> None:
    draft_partial = GOOD.replace("approved", "draft").replace("### Out of scope", "### Later")
    approved_partial = GOOD.replace("### Out of scope", "### Later")
    files = {"designs/draft.md": draft_partial, "designs/approved.md": approved_partial}
    root = project(tmp_path, files, {"plugins": [{"sysdesign": {"steps": {}}}]})
    plain = run("check", cwd=root)
    assert plain.returncode == 0, plain.stdout
    strict = run("check", "--require-complete", cwd=root)
    assert strict.returncode == 1
    found = findings(strict.stdout)
    partial = [f for f in found if "is partial" in f[3]]
    # Only the approved design's partial step fails, at its section's line.
    assert [(f[0], f[1]) for f in partial] == [("docs/designs/approved.md", 9)]
    assert "Out of scope" in partial[0][3]
    # Both designs miss five steps; those are reported at the status line.
    missing = [f for f in found if "is missing" in f[3]]
    assert len(missing) == 10
    assert {f[1] for f in missing} == {4}
    assert {f[0] for f in missing} == {"docs/designs/approved.md", "docs/designs/draft.md"}


def test_check_runs_other_plugins_before_detection(tmp_path: Path) -> None:
    # A hook (a plugin MkDocs loads from a file) adds a section, as macros would.
    hook = textwrap.dedent(
        """
        def on_page_markdown(markdown, page, **kwargs):
            return markdown.replace(
                "{{ deep_dives }}", "## Deep Dives\\n\\n- [x] Scalability\\n"
            )
        """
    )
    (tmp_path / "hooks.py").write_text(hook, encoding="utf-8")
    text = GOOD + "\n{{ deep_dives }}\n"
    root = project(tmp_path, {"designs/good.md": text}, {"hooks": ["hooks.py"]})
    states = export_states(root)
    assert states["designs/good.md"]["deep-dives"] == "partial"


# -- export --------------------------------------------------------------------------


def export_states(root: Path, *args: str) -> dict[str, dict[str, str]]:
    result = run("export", *args, cwd=root, check=True)
    index = json.loads(result.stdout)
    return {d["path"]: {k: v["state"] for k, v in d["steps"].items()} for d in index["designs"]}


ENTITY_DESIGN = """
---
title: Chat
design:
  status: in-review
  owners: [hana]
  created: 2026-05-04
  supersedes: designs/good.md
---
# Chat

## Requirements

Messages use TCP connections and a message queue.

## Core Entities

```entity
name: Message
properties:
  id: uuid
  body: text
```

## API

```api
protocol: WebSockets
routes:
  - method: POST
    path: /v1/messages
    parameters:
      body: string
    returns: 201 with the id
```
"""


def test_export_shape_and_order(tmp_path: Path) -> None:
    root = project(tmp_path, {"designs/good.md": GOOD, "designs/chat.md": ENTITY_DESIGN})
    result = run("export", cwd=root, check=True)
    index = json.loads(result.stdout)
    assert list(index) == ["version", "designs", "terms", "decisions"]
    assert index["version"] == 1
    assert [d["path"] for d in index["designs"]] == ["designs/chat.md", "designs/good.md"]
    chat = index["designs"][0]
    for key in ("path", "title", "status", "owners", "steps", "entities", "routes", "terms"):
        assert key in chat
    assert list(chat)[:4] == ["path", "title", "status", "owners"]
    assert chat["title"] == "Chat" and chat["status"] == "in-review"
    assert chat["owners"] == ["hana"] and chat["created"] == "2026-05-04"
    assert chat["supersedes"] == ["designs/good.md"]
    assert index["designs"][1]["superseded_by"] == ["designs/chat.md"]
    assert list(chat["steps"]) == StepRegistry.default().ids
    assert chat["steps"]["core-entities"] == {
        "state": "partial",
        "items": {"models": True, "properties": True, "trade-offs": False},
        "evidence": [
            {"line": 15, "kind": "heading", "text": "Core Entities"},
            {"line": 17, "kind": "entity-block", "text": "entity block"},
        ],
    }
    # Evidence lines count from the top of the file, front matter included.
    lines = ENTITY_DESIGN.lstrip("\n").split("\n")
    assert lines[14] == "## Core Entities" and lines[16] == "```entity"
    assert chat["steps"]["data-flow"] == {
        "state": "missing",
        "items": {"flow": False},
        "evidence": [],
    }
    assert chat["entities"][0]["name"] == "Message"
    assert [p["name"] for p in chat["entities"][0]["properties"]] == ["id", "body"]
    route = chat["routes"][0]
    assert (route["method"], route["path"], route["protocol"]) == (
        "POST",
        "/v1/messages",
        "WebSockets",
    )
    assert route["parameters"] == [{"name": "body", "type": "string", "notes": ""}]
    assert chat["terms"] == sorted(chat["terms"])
    assert {"tcp", "message-queue"} <= set(chat["terms"])
    terms = {t["id"]: t for t in index["terms"]}
    assert [t["id"] for t in index["terms"]] == sorted(terms)
    tcp = terms["tcp"]
    assert list(tcp)[:4] == ["id", "term", "category", "summary"]
    assert "designs/chat.md" in tcp["referenced_by"]
    assert "designs/good.md" not in tcp["referenced_by"]
    assert tcp["referenced_by"] == sorted(tcp["referenced_by"])
    assert tcp["summary"]
    # Stable: a second export of the same project is byte for byte the same.
    assert run("export", cwd=root, check=True).stdout == result.stdout


def test_export_to_a_file(tmp_path: Path) -> None:
    root = project(tmp_path, {"designs/good.md": GOOD})
    result = run("export", "-o", "index.json", cwd=root, check=True)
    assert result.stdout == ""
    index = json.loads((root / "index.json").read_text(encoding="utf-8"))
    assert index["designs"][0]["steps"]["requirements"]["state"] == "complete"


def test_export_states_equal_the_built_pages(tmp_path: Path, make_site: Any) -> None:
    files = {"designs/good.md": GOOD, "designs/chat.md": ENTITY_DESIGN, "designs/bad.md": BAD}
    site = make_site(files)
    root = project(tmp_path / "cli", files)
    states = export_states(root)
    for src, expected in states.items():
        panel = site.content(src).select_one(".sysdesign-checklist")
        shown = {el["data-step"]: el["data-state"] for el in panel.select("[data-step]")}
        assert shown == expected, src


# -- schema --------------------------------------------------------------------------


def test_shipped_schema_is_the_generated_default(tmp_path: Path) -> None:
    result = run("schema", cwd=tmp_path, check=True)
    assert result.stdout == SHIPPED_SCHEMA.read_text(encoding="utf-8")
    schema = json.loads(result.stdout)
    assert schema == frontmatter_schema(StepRegistry.default(), DEFAULT_STATUSES)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def schema_validator() -> jsonschema.Draft202012Validator:
    schema = json.loads(SHIPPED_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def test_every_example_design_matches_the_schema() -> None:
    validator = schema_validator()
    checked = 0
    for path in sorted((ROOT / "docs" / "designs").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            continue
        errors = [e.message for e in validator.iter_errors(front_matter(text))]
        assert errors == [], path.name
        checked += 1
    assert checked >= 1


def test_every_shipped_term_matches_the_schema() -> None:
    validator = schema_validator()
    paths = sorted((ROOT / "mkdocs_sysdesign" / "builtin_glossary").glob("*.md"))
    assert len(paths) > 50
    for path in paths:
        data = front_matter(path.read_text(encoding="utf-8"))
        assert "term" in data
        errors = [e.message for e in validator.iter_errors(data)]
        assert errors == [], path.name


def test_new_design_matches_the_schema() -> None:
    text = design_template("Rate Limiter", StepRegistry.default(), DEFAULT_STATUSES, ["a"])
    assert list(schema_validator().iter_errors(front_matter(text))) == []


@pytest.mark.parametrize(
    ("design", "where"),
    [
        ({"status": "aproved"}, ["design", "status"]),
        ({"reviwers": ["bob"]}, ["design"]),
        ({"review": {"steering": 6}}, ["design", "review", "steering"]),
        ({"review": {"style": 3}}, ["design", "review"]),
        ({"created": "last tuesday"}, ["design", "created"]),
        ({"extra": "jira-1"}, ["design", "extra"]),
    ],
)
def test_schema_rejects_what_the_plugin_warns_about(
    design: dict[str, Any], where: list[str]
) -> None:
    errors = list(schema_validator().iter_errors({"title": "X", "design": design}))
    assert [list(e.absolute_path) for e in errors] == [where]


def test_schema_accepts_extra_fields_and_other_plugins_keys() -> None:
    data = {
        "title": "X",
        "hide": ["toc"],
        "design": {"status": "approved", "extra": {"jira": "PAY-1"}, "owners": "alice"},
    }
    assert list(schema_validator().iter_errors(data)) == []
    assert list(schema_validator().iter_errors({"term": "Thing"}))  # a term needs a summary


def test_schema_follows_the_configuration(tmp_path: Path) -> None:
    config = {
        "plugins": [
            {
                "sysdesign": {
                    "statuses": ["proposed", "accepted"],
                    "steps": {"rollout": {"title": "Rollout", "items": ["Feature flags"]}},
                }
            }
        ]
    }
    root = project(tmp_path, {"index.md": "# Home\n"}, config)
    schema = json.loads(run("schema", "-f", "mkdocs.yml", cwd=root, check=True).stdout)
    assert schema["$defs"]["design"]["properties"]["status"]["enum"] == ["proposed", "accepted"]
    assert schema["$defs"]["step"]["enum"][-1] == "rollout"
    assert schema["$defs"]["items"]["properties"]["rollout"]["enum"] == ["feature-flags"]
    validator = jsonschema.Draft202012Validator(schema)
    assert list(validator.iter_errors({"design": {"status": "accepted"}})) == []
    assert list(validator.iter_errors({"design": {"status": "approved"}}))


def test_check_explain_names_the_headings_and_structure_behind_each_step(tmp_path: Path) -> None:
    design = (
        "---\ndesign:\n  status: draft\n---\n# Feed\n\n## Goals\n\nFast feeds.\n\n"
        "## Design Details\n\n### Storage layout\n\n```sql\nCREATE TABLE posts (id int);\n```\n\n"
        "## Data Flow\n\nTBD\n"
    )
    root = project(tmp_path, {"designs/feed.md": design})
    result = run("check", "--explain", cwd=root)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = lines.index("docs/designs/feed.md: 10% of the checklist")
    explained = lines[start : start + 12]
    assert explained[1:3] == ["  Requirements: partial (0/3 items)", "    line 7: heading 'Goals'"]
    assert "  Core Entities: partial (2/3 items)" in explained
    assert "    line 15: sql-table 'SQL CREATE TABLE'" in explained
    assert "  Data Flow: missing (0/1 items)" in explained
    assert "    line 19: the section is empty" in explained
    text = design.split("\n")
    assert text[6] == "## Goals" and text[14] == "```sql" and text[18] == "## Data Flow"
    report = json.loads(run("check", "--explain", "--format", "json", cwd=root).stdout)
    steps = report["designs"]["designs/feed.md"]
    assert steps["core-entities"] == {
        "state": "partial",
        "evidence": [{"line": 15, "kind": "sql-table", "text": "SQL CREATE TABLE"}],
    }
    assert steps["high-level-design"]["evidence"] == [
        {"line": 11, "kind": "heading", "text": "Design Details"}
    ]
