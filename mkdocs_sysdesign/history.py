"""History from git: when a page was created, last changed, and who wrote it.

Designs and decisions that do not write ``created``, ``updated`` or ``owners`` (a
decision's ``date``) take them from the repository. The history is read once per build,
with one ``git log`` over the docs folder, and parsed here; nothing here knows MkDocs.

Renames are followed (the history of ``designs/old.md`` counts for ``designs/new.md``
after a ``git mv``). In a shallow clone the history stops at the clone's boundary
commits, which list every file as if added there: they tell nothing about a file, so
only the commits after them count, and a file gets ``created`` only when it was added
after the boundary. Values from git are then exact or absent, never made up.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .model import Decision, Design

GIT_TIMEOUT = 120
"""Seconds one ``git`` call may take before the build goes on without history."""

_RECORD = "\x1e"
_FIELD = "\x1f"
LOG_FORMAT = f"{_RECORD}%H{_FIELD}%aN{_FIELD}%aI"
"""One record per commit: hash, author name (after ``.mailmap``), author date (ISO 8601)."""

REVISION_DATE_KEYS = (
    "git_creation_date_localized_raw_iso_date",
    "git_revision_date_localized_raw_iso_date",
)
"""Keys of the page meta where mkdocs-git-revision-date-localized puts its dates
(creation date only with its ``enable_creation_date``)."""


@dataclass(slots=True)
class FileHistory:
    """What the commits say about one file."""

    created: dt.date | None = None
    """Date of the commit that added the file (None when that commit is not in the clone)."""
    updated: dt.date | None = None
    """Date of the last commit that changed the file."""
    authors: list[str] = field(default_factory=list)
    """Authors of the commits that changed it, most commits first (ties: earliest first)."""


@dataclass(slots=True)
class History:
    """The history of the files of a docs folder, by path relative to it."""

    files: dict[str, FileHistory] = field(default_factory=dict)
    note: str | None = None
    """Why history is missing or partial, said once in the build log; None when complete."""
    shallow: bool = False
    read: bool = False
    """Whether a history was read at all (False outside git or without the git binary)."""


Runner = Callable[[Sequence[str]], "subprocess.CompletedProcess[str]"]
"""Runs a git command line in the docs folder (tests replace it)."""


def _runner(cwd: str) -> Runner:
    def run(args: Sequence[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args),
            cwd=cwd,
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="replace",
            timeout=GIT_TIMEOUT,
            check=False,
            # git would stop and ask for credentials or an editor; a build must not.
            env={**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"},
        )

    return run


def _in_worktree(folder: str) -> bool:
    """Whether ``folder`` or a parent has a ``.git`` entry (without running git)."""
    current = os.path.abspath(folder)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return True
        parent = os.path.dirname(current)
        if parent == current:
            return False
        current = parent


def read_history(docs_dir: str, git: str | None = None, run: Runner | None = None) -> History:
    """Read the history of every file under ``docs_dir`` with one ``git log``.

    Outside a repository the result is empty and silent (the site is not in git); when
    the folder is in one but git is missing or fails, it is empty with a ``note``; in a
    shallow clone it holds what the clone has, with a ``note`` saying so.
    """
    where = docs_dir.rstrip("/\\") or "."
    if not os.path.isdir(where) or not _in_worktree(where):
        return History()
    git = git or shutil.which("git")
    if git is None:
        return History(
            note="git is not installed: created, updated and owners come from front matter "
            "only (install git, or write them, to show them)"
        )
    run = run or _runner(where)
    try:
        probe = run([git, "rev-parse", "--is-shallow-repository", "--git-path", "shallow"])
    except (OSError, subprocess.SubprocessError) as error:
        return History(
            note=f"git could not run ({error}); created, updated and owners come "
            "from front matter only"
        )
    if probe.returncode != 0:
        reason = _first_line(probe.stderr) or f"exit status {probe.returncode}"
        return History(
            note=f"git cannot read the history of the docs folder ({reason}); created, updated "
            "and owners come from front matter only"
        )
    answers = probe.stdout.splitlines()
    shallow = bool(answers) and answers[0].strip() == "true"
    boundaries: frozenset[str] = frozenset()
    if shallow and len(answers) > 1:
        shallow_file = answers[1].strip()
        if not os.path.isabs(shallow_file):
            shallow_file = os.path.join(where, shallow_file)
        try:
            with open(shallow_file, encoding="ascii", errors="replace") as handle:
                boundaries = frozenset(line.strip() for line in handle if line.strip())
        except OSError:
            boundaries = frozenset()
    try:
        log = run(
            [
                git,
                "-c",
                "core.quotePath=false",
                "log",
                "--relative",
                "-M",
                "--name-status",
                "-z",
                f"--format={LOG_FORMAT}",
                "--",
                ".",
            ]
        )
    except (OSError, subprocess.SubprocessError) as error:
        return History(
            note=f"git log could not run ({error}); created, updated and owners "
            "come from front matter only"
        )
    if log.returncode != 0:
        reason = _first_line(log.stderr) or f"exit status {log.returncode}"
        if "does not have any commits" in reason:
            return History()
        return History(
            note=f"git log failed ({reason}); created, updated and owners come from front "
            "matter only"
        )
    files, first = parse_log(log.stdout, boundaries)
    note = None
    if shallow:
        since = f" (it starts after {first.isoformat()})" if first else ""
        note = (
            f"the docs folder is in a shallow clone{since}: dates and owners from git cover "
            "only the commits it holds, so some are missing or incomplete; fetch the whole "
            "history (for example actions/checkout with fetch-depth: 0) for exact values"
        )
    return History(files=files, note=note, shallow=shallow, read=True)


def _first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            return line.strip().removeprefix("fatal: ")
    return ""


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.strip()).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(text.strip()[:10])
        except ValueError:
            return None


def parse_log(
    output: str, boundaries: frozenset[str] = frozenset()
) -> tuple[dict[str, FileHistory], dt.date | None]:
    """Parse ``git log -z --name-status`` in :data:`LOG_FORMAT`, newest commit first.

    Returns the history of each file by its current path, and the date of the oldest
    boundary commit (a shallow clone's, whose changes count for no file).
    """
    files: dict[str, FileHistory] = {}
    counts: dict[str, Counter[str]] = {}
    order: dict[str, dict[str, int]] = {}
    renamed: dict[str, str] = {}  # an older path -> the path the file has now
    gone: set[str] = set()  # paths deleted since: older commits are about other files
    oldest_boundary: dt.date | None = None
    for age, record in enumerate(output.split(_RECORD)):
        if not record.strip("\0\n"):
            continue
        header, _, changes = record.partition("\0")
        parts = header.split(_FIELD)
        if len(parts) != 3:
            continue
        commit, author, when = parts
        day = _date(when)
        if commit in boundaries:
            if day is not None and (oldest_boundary is None or day < oldest_boundary):
                oldest_boundary = day
            continue
        tokens = changes.lstrip("\n").split("\0")
        index = 0
        while index < len(tokens):
            status = tokens[index].strip()
            index += 1
            if not status:
                continue
            if status[0] in "RC":
                if index + 1 >= len(tokens):
                    break
                old, new = tokens[index], tokens[index + 1]
                index += 2
            else:
                if index >= len(tokens):
                    break
                old = new = tokens[index]
                index += 1
            path = renamed.get(new, new)
            if status[0] == "R":
                renamed[old] = path
            if path in gone:
                continue
            if status[0] == "D":
                # What came before a deletion was another file of that name.
                gone.add(path)
                continue
            entry = files.setdefault(path, FileHistory())
            if day is not None:
                if entry.updated is None:
                    entry.updated = day
                if status[0] in "AC":
                    entry.created = day  # newest first: the oldest addition is kept
            if author.strip():
                counts.setdefault(path, Counter())[author.strip()] += 1
                # Commits come newest first: the last one seen is the author's earliest.
                order.setdefault(path, {})[author.strip()] = age
    for path, counter in counts.items():
        earliest = order[path]
        files[path].authors = sorted(counter, key=lambda name: (-counter[name], -earliest[name]))
    return files, oldest_boundary


def fill_design(design: Design, found: FileHistory | None, written: set[str]) -> None:
    """Give a design the dates and owners it does not write; records which in ``from_git``."""
    if found is None:
        return
    filled = []
    if "created" not in written and design.created is None and found.created is not None:
        design.created = found.created
        filled.append("created")
    if "updated" not in written and design.updated is None and found.updated is not None:
        if design.created is None or found.updated >= design.created:
            design.updated = found.updated
            filled.append("updated")
    if "owners" not in written and not design.owners and found.authors:
        design.owners = list(found.authors)
        filled.append("owners")
    design.from_git = tuple(filled)


def fill_decision(decision: Decision, found: FileHistory | None, written: bool) -> None:
    """Give a decision the date of its last change when it writes no date (MADR's ``date``
    is when the decision was last updated)."""
    if found is None or written or decision.date is not None or found.updated is None:
        return
    decision.date = found.updated
    decision.from_git = ("date",)


def written_design_keys(data: Mapping[str, Any]) -> set[str]:
    """The ``design:`` keys a page's front matter writes."""
    mapping = data.get("design")
    return {str(key) for key in mapping} if isinstance(mapping, dict) else set()


def meta_dates(meta: Mapping[str, Any]) -> tuple[dt.date | None, dt.date | None]:
    """``(created, updated)`` from what mkdocs-git-revision-date-localized put in a page's
    meta, or None for each it did not."""
    found: list[dt.date | None] = []
    for key in REVISION_DATE_KEYS:
        value = meta.get(key)
        found.append(_date(value) if isinstance(value, str) and value.strip() else None)
    return found[0], found[1]


def fill_from_meta(design: Design, meta: Mapping[str, Any]) -> None:
    """Put mkdocs-git-revision-date-localized's dates of a page in place of ours: they
    honour its settings (ignored commits, time zone), and the page's footer shows them."""
    created, updated = meta_dates(meta)
    filled = set(design.from_git)
    if created is not None and (design.created is None or "created" in filled):
        design.created = created
        filled.add("created")
    if updated is not None and (design.updated is None or "updated" in filled):
        design.updated = updated
        filled.add("updated")
    design.from_git = tuple(name for name in ("created", "updated", "owners") if name in filled)
