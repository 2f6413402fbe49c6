"""Supersession between designs, and between decisions: both ways, several, in part.

A record names the records it replaces (``supersedes``) or those that replace it
(``superseded-by``); each entry is a path, or a mapping ``{path: ..., partial: true}`` or
``{path: ..., partial: "the retry policy"}`` when only part of the older record is
replaced. :func:`link` adds the other side of every link, and reports lists that both
sides wrote and that disagree, and chains of ``supersedes`` that come back to where they
started. Nothing here knows MkDocs or the kind of record: designs and decisions hand in
their sides, and the messages name them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .model import Finding, kind_of

Where = Callable[[str], tuple[int | None, str]]
"""``where(name)``: the file line of ``supersedes`` or ``superseded-by`` as written, and
how it is named in messages (``design.supersedes``)."""

ENTRY_KEYS = ("path", "partial")


@dataclass(slots=True)
class Entry:
    """One written link: a path, and what part it covers (None: the whole record)."""

    target: str
    partial: str | None = None
    """None when the whole record is superseded; the part (``""`` when unnamed) otherwise."""


def read_entries(value: Any) -> tuple[list[Entry] | None, str | None]:
    """The entries of a written ``supersedes`` or ``superseded-by``, or a problem.

    A path, or a list of paths and ``{path, partial}`` mappings.
    """
    items = value if isinstance(value, list) else [value]
    entries: list[Entry] = []
    for item in items:
        if isinstance(item, str):
            if item.strip():
                entries.append(Entry(item.strip()))
            continue
        if isinstance(item, dict):
            unknown = [str(key) for key in item if key not in ENTRY_KEYS]
            target = item.get("path")
            part = item.get("partial", False)
            if unknown or not isinstance(target, str) or not target.strip():
                return None, (
                    "expected a path, or a mapping with path and partial "
                    f"({{path: x.md, partial: true}}); got {kind_of(item)} with "
                    + ", ".join(str(key) for key in item)
                )
            if part is True:
                entries.append(Entry(target.strip(), ""))
            elif part is False or part is None:
                entries.append(Entry(target.strip()))
            elif isinstance(part, str):
                entries.append(Entry(target.strip(), " ".join(part.split())))
            else:
                return None, (
                    f"partial: expected true, false or the part replaced, got {kind_of(part)}"
                )
            continue
        return None, f"expected a path or a list of paths, got {kind_of(value)}"
    return entries, None


@dataclass(slots=True)
class Side:
    """One record's supersession: the model's lists (completed here) and what was written."""

    path: str
    supersedes: list[str]
    superseded_by: list[str]
    partial: dict[str, str]
    """Paths of the other side of each link that covers part of the older record only,
    and the part (``""`` when unnamed): the model's mapping, completed here."""
    where: Where
    written: dict[str, list[str]] = field(default_factory=dict)
    """``supersedes`` / ``superseded-by`` -> the paths the record wrote there."""


def link(sides: dict[str, Side], noun: str) -> list[Finding]:
    """Add the other side of every supersession between ``sides``; report disagreements
    (when both sides wrote their lists) and cycles. ``noun`` is ``design`` or ``decision``.

    Every target must already be the path of one of ``sides``.
    """
    findings: list[Finding] = []
    for path, side in sides.items():
        for older in list(side.supersedes):
            _add(sides[older], "superseded-by", path, side, noun, findings)
        for newer in list(side.superseded_by):
            _add(sides[newer], "supersedes", path, side, noun, findings)
    for side in sides.values():
        side.supersedes.sort()
        side.superseded_by.sort()
    findings.extend(_cycles(sides, noun))
    return findings


def _add(other: Side, name: str, path: str, side: Side, noun: str, findings: list[Finding]) -> None:
    """Give ``other`` the link back to ``path`` in its list ``name``."""
    listed = other.superseded_by if name == "superseded-by" else other.supersedes
    if other.path in side.partial:
        other.partial.setdefault(path, side.partial[other.path])
    elif path in other.partial:
        side.partial.setdefault(other.path, other.partial[path])
    if path in listed:
        return
    if other.written.get(name):
        line, key = other.where(name)
        if name == "superseded-by":
            message = (
                f"{key}: {path} supersedes this {noun} but is not listed here; expected both "
                f"sides to agree (add {path}, or remove this {noun} from its supersedes)"
            )
        else:
            message = (
                f"{key}: {path} says it is superseded by this {noun}, which does not list it; "
                f"expected both sides to agree (add {path}, or remove this {noun} from its "
                "superseded-by)"
            )
        findings.append(Finding(other.path, line, message))
    listed.append(path)


def _cycles(sides: dict[str, Side], noun: str) -> list[Finding]:
    """One finding per circular chain of ``supersedes``, on its first record by path."""
    findings: list[Finding] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(sides):
        if state.get(start):
            continue
        stack: list[tuple[str, list[str]]] = [(start, list(sides[start].supersedes))]
        trail = [start]
        state[start] = 1
        while stack:
            node, todo = stack[-1]
            if not todo:
                stack.pop()
                trail.pop()
                state[node] = 2
                continue
            nxt = todo.pop(0)
            if state.get(nxt) == 1:
                cycle = trail[trail.index(nxt) :]
                first = min(cycle)
                turn = cycle.index(first)
                ordered = [*cycle[turn:], *cycle[:turn], first]
                line, key = sides[first].where("supersedes")
                findings.append(
                    Finding(
                        first,
                        line,
                        f"{key}: circular chain {' -> '.join(ordered)}; expected each {noun} "
                        "to supersede only older ones",
                    )
                )
            elif not state.get(nxt):
                state[nxt] = 1
                trail.append(nxt)
                stack.append((nxt, list(sides[nxt].supersedes)))
    return findings
