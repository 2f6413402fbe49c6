"""History from git: dates and owners a page does not write come from its commits.

The repositories are real: made in a temporary folder with commits by two authors on
different days, cloned shallow, or absent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from harness import Site, build_project
from test_cli import run

from mkdocs_sysdesign.history import (
    LOG_FORMAT,
    History,
    fill_from_meta,
    meta_dates,
    parse_log,
    read_history,
)
from mkdocs_sysdesign.model import Design

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs the git binary")

ALICE = ("Alice Archer", "alice@example.com")
BOB = ("Bob Builder", "bob@example.com")

UNDATED = """\
---
design:
  status: {status}
---
# {title}

## Requirements

{body}
"""

WRITTEN = """\
---
design:
  status: approved
  owners: [carol]
  created: 2024-02-02
  updated: 2024-03-03
---
# Written

## Requirements

Everything is written here.
"""

DECISION = """\
---
status: accepted
---
# Use one git log per build

## Context and Problem Statement

Reading history per page is slow.
"""

INDEX = """\
# Home

```sysdesign
table: designs
columns: [title, owners, created, updated, path]
```

```sysdesign
table: decisions
columns: [decision, date, path]
```
"""


def git(cwd: Path, *args: str, author: tuple[str, str] = ALICE, day: str = "") -> str:
    """Run git in ``cwd`` as ``author``, dating the commit ``day`` (YYYY-MM-DD)."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": author[0],
        "GIT_AUTHOR_EMAIL": author[1],
        "GIT_COMMITTER_NAME": author[0],
        "GIT_COMMITTER_EMAIL": author[1],
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_SYSTEM": os.devnull,
    }
    if day:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"{day}T12:00:00+00:00"
    result = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=True
    )
    return result.stdout


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def commit(root: Path, files: dict[str, str], author: tuple[str, str], day: str) -> None:
    write(root, files)
    git(root, "add", "-A", "docs")
    git(root, "commit", "-q", "-m", f"change on {day}", author=author, day=day)


FINAL = {
    "index.md": INDEX,
    "designs/queue.md": UNDATED.format(status="draft", title="Queue", body="Third version."),
    "designs/written.md": WRITTEN,
    "decisions/0001-one-git-log.md": DECISION,
}


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Alice writes the queue design and a decision in January; Bob changes the queue twice."""
    root = tmp_path_factory.mktemp("repo")
    git(root, "init", "-q", "-b", "main")
    commit(
        root,
        {
            "index.md": INDEX,
            "designs/queue.md": UNDATED.format(status="draft", title="Queue", body="First."),
            "designs/written.md": WRITTEN,
            "decisions/0001-one-git-log.md": DECISION,
        },
        ALICE,
        "2025-01-10",
    )
    commit(
        root,
        {"designs/queue.md": UNDATED.format(status="draft", title="Queue", body="Second.")},
        BOB,
        "2025-06-20",
    )
    commit(root, {"designs/queue.md": FINAL["designs/queue.md"]}, BOB, "2025-07-01")
    return root


def build(root: Path, config: dict[str, Any] | None = None) -> Site:
    """Build the project in ``root``: the files written are those of the last commit."""
    site = build_project(root, {k: v for k, v in FINAL.items()}, config)
    assert site.error is None
    return site


def meta_fields(site: Site, src: str) -> dict[str, tuple[str, str | None]]:
    """The metadata line's fields: name -> (text after the label, data-source)."""
    meta = site.content(src).select_one(".sysdesign-meta")
    assert meta is not None
    fields = {}
    for span in meta.select(".sysdesign-meta__field"):
        text = span.get_text(" ", strip=True).split(": ", 1)[1]
        fields[str(span["data-field"])] = (text, span.get("data-source"))
    return fields


def table(site: Site, src: str, name: str) -> list[dict[str, str]]:
    wrapper = site.content(src).select_one(f'.sysdesign-table[data-table="{name}"]')
    assert wrapper is not None
    columns = [str(th["data-column"]) for th in wrapper.select("thead th")]
    return [
        dict(zip(columns, (td.get_text(" ", strip=True) for td in tr.select("td")), strict=True))
        for tr in wrapper.select("tbody tr")
    ]


def git_infos(site: Site) -> list[str]:
    return [m for m in site.infos() if "git history" in m]


def test_unwritten_dates_and_owners_come_from_the_commits(repository: Path) -> None:
    site = build(repository)
    assert site.messages == []
    assert meta_fields(site, "designs/queue.md") == {
        # Bob made two of the three commits: he comes first.
        "owners": ("Bob Builder, Alice Archer", "git"),
        "created": ("2025-01-10", "git"),
        "updated": ("2025-07-01", "git"),
    }
    assert git_infos(site) == []


def test_written_values_win_over_the_history(repository: Path) -> None:
    site = build(repository)
    assert meta_fields(site, "designs/written.md") == {
        "owners": ("carol", None),
        "created": ("2024-02-02", None),
        "updated": ("2024-03-03", None),
    }


def test_tables_show_the_dates_from_git(repository: Path) -> None:
    site = build(repository)
    rows = {row["path"]: row for row in table(site, "index.md", "designs")}
    assert rows["designs/queue.md"] == {
        "title": "Queue",
        "owners": "Bob Builder, Alice Archer",
        "created": "2025-01-10",
        "updated": "2025-07-01",
        "path": "designs/queue.md",
    }
    assert rows["designs/written.md"]["updated"] == "2024-03-03"
    decisions = table(site, "index.md", "decisions")
    assert decisions == [
        {
            "decision": "Use one git log per build",
            "date": "2025-01-10",
            "path": "decisions/0001-one-git-log.md",
        }
    ]
    fields = meta_fields(site, "decisions/0001-one-git-log.md")
    assert fields["date"] == ("2025-01-10", "git")


def test_the_export_has_the_values_from_git(repository: Path) -> None:
    build(repository)  # writes mkdocs.yml
    result = run("export", cwd=repository, check=True)
    index = json.loads(result.stdout)
    designs = {design["path"]: design for design in index["designs"]}
    queue = designs["designs/queue.md"]
    assert (queue["created"], queue["updated"], queue["owners"]) == (
        "2025-01-10",
        "2025-07-01",
        ["Bob Builder", "Alice Archer"],
    )
    written = designs["designs/written.md"]
    assert (written["created"], written["updated"], written["owners"]) == (
        "2024-02-02",
        "2024-03-03",
        ["carol"],
    )
    assert index["decisions"][0]["date"] == "2025-01-10"


def test_the_option_turns_history_off(repository: Path) -> None:
    site = build(repository, {"plugins": [{"sysdesign": {"git_history": False}}]})
    assert meta_fields(site, "designs/queue.md") == {}


def test_staleness_counts_from_the_last_commit(repository: Path) -> None:
    site = build(repository, {"plugins": [{"sysdesign": {"stale": {"draft": 30}}}]})
    age = (dt.date.today() - dt.date(2025, 7, 1)).days
    assert site.messages == [
        "mkdocs_sysdesign: docs/designs/queue.md: design.updated (from git history): stale, "
        f"Draft and not updated for {age} days (since 2025-07-01); expected at most 30 "
        "(plugins.sysdesign.stale.draft)"
    ]


def test_a_shallow_clone_uses_the_commits_it_has_and_says_so(
    repository: Path, tmp_path: Path
) -> None:
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "2", repository.as_uri(), str(clone)],
        check=True,
        capture_output=True,
    )
    site = build(clone)
    # The clone starts at Bob's first commit, which stands for all that came before it:
    # only his last commit tells something, and nobody added the file since.
    assert meta_fields(site, "designs/queue.md") == {
        "owners": ("Bob Builder", "git"),
        "updated": ("2025-07-01", "git"),
    }
    assert "date" not in meta_fields(site, "decisions/0001-one-git-log.md")
    assert meta_fields(site, "designs/written.md")["updated"] == ("2024-03-03", None)
    infos = git_infos(site)
    assert len(infos) == 1
    assert infos[0] == (
        "mkdocs_sysdesign: git history: the docs folder is in a shallow clone (it starts after "
        "2025-06-20): dates and owners from git cover only the commits it holds, so some are "
        "missing or incomplete; fetch the whole history (for example actions/checkout with "
        "fetch-depth: 0) for exact values"
    )


def test_outside_a_repository_nothing_changes_and_nothing_is_said(tmp_path: Path) -> None:
    site = build(tmp_path / "plain")
    assert meta_fields(site, "designs/queue.md") == {}
    assert site.messages == []
    assert git_infos(site) == []


def test_without_the_git_binary_one_info_line_says_why(
    repository: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    site = build(repository)
    assert meta_fields(site, "designs/queue.md") == {}
    assert git_infos(site) == [
        "mkdocs_sysdesign: git history: git is not installed: created, updated and owners "
        "come from front matter only (install git, or write them, to show them)"
    ]


def test_a_failing_git_is_one_info_line_with_its_reason(repository: Path) -> None:
    def refuse(args: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(
            args, 128, "", "fatal: detected dubious ownership in repository at '/x'\n"
        )

    history = read_history(str(repository / "docs"), git="git", run=refuse)
    assert history == History(
        note="git cannot read the history of the docs folder (detected dubious ownership in "
        "repository at '/x'); created, updated and owners come from front matter only"
    )


def test_pages_dated_by_git_revision_date_localized_take_its_dates(repository: Path) -> None:
    # A hook stands in for mkdocs-git-revision-date-localized: it fills the same meta keys
    # in on_page_markdown, before the plugin reads the page.
    (repository / "hooks.py").write_text(
        "def on_page_markdown(markdown, page, **kwargs):\n"
        "    page.meta['git_revision_date_localized_raw_iso_date'] = '2025-07-02'\n"
        "    page.meta['git_creation_date_localized_raw_iso_date'] = '2025-01-09'\n"
        "    return markdown\n",
        encoding="utf-8",
    )
    site = build(repository, {"hooks": ["hooks.py"]})
    fields = meta_fields(site, "designs/queue.md")
    assert fields["created"] == ("2025-01-09", "git")
    assert fields["updated"] == ("2025-07-02", "git")
    # Written dates win over the other plugin's too.
    assert meta_fields(site, "designs/written.md")["updated"] == ("2024-03-03", None)
    (repository / "hooks.py").unlink()


# -- parsing ----------------------------------------------------------------------


def _record(commit: str, author: str, day: str, *changes: str) -> str:
    header = LOG_FORMAT.replace("%H", commit).replace("%aN", author)
    header = header.replace("%aI", f"{day}T09:00:00+02:00")
    return header + "\0" + "\n" + "".join(change + "\0" for change in changes)


def test_renames_carry_the_history_to_the_new_path() -> None:
    log = "".join(
        [
            _record("c3", "Bob", "2025-03-01", "M", "designs/new.md"),
            _record("c2", "Bob", "2025-02-01", "R100", "designs/old.md", "designs/new.md"),
            _record("c1", "Alice", "2025-01-01", "A", "designs/old.md"),
        ]
    )
    files, boundary = parse_log(log)
    assert boundary is None
    found = files["designs/new.md"]
    assert (found.created, found.updated, found.authors) == (
        dt.date(2025, 1, 1),
        dt.date(2025, 3, 1),
        ["Bob", "Alice"],
    )
    assert "designs/old.md" not in files


def test_a_file_deleted_and_written_again_starts_anew() -> None:
    log = "".join(
        [
            _record("c3", "Bob", "2025-03-01", "A", "x.md"),
            _record("c2", "Bob", "2025-02-01", "D", "x.md"),
            _record("c1", "Alice", "2025-01-01", "A", "x.md"),
        ]
    )
    files, _ = parse_log(log)
    assert (files["x.md"].created, files["x.md"].authors) == (dt.date(2025, 3, 1), ["Bob"])


def test_authors_with_as_many_commits_come_in_the_order_they_joined() -> None:
    log = "".join(
        [
            _record("c3", "Carol", "2025-03-01", "M", "x.md"),
            _record("c2", "Bob", "2025-02-01", "M", "x.md"),
            _record("c1", "Alice", "2025-01-01", "A", "x.md"),
        ]
    )
    files, _ = parse_log(log)
    assert files["x.md"].authors == ["Alice", "Bob", "Carol"]


def test_the_other_plugins_meta_dates_are_read_as_dates() -> None:
    assert meta_dates({"git_revision_date_localized_raw_iso_date": "2025-07-02"}) == (
        None,
        dt.date(2025, 7, 2),
    )
    design = Design("designs/x.md", "X", updated=dt.date(2024, 1, 1))
    fill_from_meta(design, {"git_revision_date_localized_raw_iso_date": "2025-07-02"})
    assert design.updated == dt.date(2024, 1, 1)  # written: kept


def test_history_is_read_with_one_git_log(repository: Path) -> None:
    calls: list[list[str]] = []

    def count(args: Any) -> subprocess.CompletedProcess[str]:
        calls.append(list(args))
        return subprocess.run(
            list(args), cwd=repository / "docs", capture_output=True, text=True, check=False
        )

    history = read_history(str(repository / "docs"), git="git", run=count)
    assert history.read and not history.shallow
    assert sum("log" in call for call in calls) == 1
    assert set(history.files) >= {"designs/queue.md", "designs/written.md", "index.md"}
