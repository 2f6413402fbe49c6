"""Staleness rules: designs that sit too long in one status.

A rule names a design status and a number of days, for example "in review for more than
30 days" or "approved and not updated for 365 days". A design in that status whose
``updated`` date (or ``created``, when it has no ``updated``) is older than that is
stale: its page shows a badge, the ``designs`` table a column, and the build (and
``mkdocs-sysdesign check``) a finding at the rule's level, ``warning`` or ``info``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .model import Design, Finding, Status, kind_of

LEVELS = ("warning", "info")


class RuleError(ValueError):
    """A staleness rule that cannot be read; the message names the rule."""


@dataclass(frozen=True, slots=True)
class StaleRule:
    """Designs in ``status`` for more than ``days`` days are stale."""

    status: str
    days: int
    level: str = "warning"


def read_rules(value: object) -> list[StaleRule]:
    """Rules from the ``stale:`` option: a mapping of status id to ``{days, level}``."""
    if value is None:
        return []
    if not isinstance(value, Mapping):
        raise RuleError(
            f"expected a mapping of status id to {{days: ..., level: ...}}, got {kind_of(value)}"
        )
    rules = []
    for status, settings in value.items():
        if isinstance(settings, int) and not isinstance(settings, bool):
            settings = {"days": settings}
        if not isinstance(settings, Mapping) or set(settings) - {"days", "level"}:
            raise RuleError(f"{status}: expected a mapping with days and level")
        days = settings.get("days")
        if isinstance(days, bool) or not isinstance(days, int) or days < 0:
            raise RuleError(f"{status}.days: expected a whole number of days, got {days!r}")
        level = settings.get("level", "warning")
        if level not in LEVELS:
            raise RuleError(f"{status}.level: expected warning or info, got {level!r}")
        rules.append(StaleRule(str(status), days, level))
    return rules


def since(design: Design) -> dt.date | None:
    """The date a design's age in its status is counted from: ``updated``, else ``created``."""
    return design.updated or design.created


def apply_rules(
    designs: Mapping[str, Design],
    rules: list[StaleRule],
    statuses: list[Status],
    today: dt.date,
    line_of: Callable[[str, str], int | None],
) -> list[Finding]:
    """Mark stale designs (``Design.stale_days``) and return a finding for each.

    ``line_of(path, key)`` gives the file line of ``design.<key>``. A rule for a status
    that is not configured is a finding on ``mkdocs.yml``.
    """
    findings: list[Finding] = []
    known = {status.id: status for status in statuses}
    by_status: dict[str, StaleRule] = {}
    for rule in rules:
        if rule.status not in known:
            findings.append(
                Finding(
                    "mkdocs.yml",
                    None,
                    f"plugins.sysdesign.stale.{rule.status}: unknown status; expected one of "
                    + ", ".join(known),
                )
            )
            continue
        by_status[rule.status] = rule
    for path, design in designs.items():
        found = by_status.get(design.status)
        start = since(design)
        if found is None or start is None:
            continue
        rule = found
        age = (today - start).days
        if age <= rule.days:
            continue
        design.stale_days = age
        key = "updated" if design.updated else "created"
        label = known[rule.status].label
        origin = " (from git history)" if key in design.from_git else ""
        findings.append(
            Finding(
                path,
                None if origin else line_of(path, key),
                f"design.{key}{origin}: stale, {label} and not updated for {age} days "
                f"(since {start}); "
                f"expected at most {rule.days} (plugins.sysdesign.stale.{rule.status})",
                level=rule.level,
            )
        )
    return findings
