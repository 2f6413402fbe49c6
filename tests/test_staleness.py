"""Staleness rules: a design that sits too long in one status gets a badge, a column and a
finding at the rule's level."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import Any

import pytest
from test_cli import project, run

from mkdocs_sysdesign.collect import Options, SourceFile, collect
from mkdocs_sysdesign.config import DEFAULT_STATUSES
from mkdocs_sysdesign.staleness import RuleError, StaleRule, read_rules

TODAY = dt.date(2026, 12, 3)


def _design(status: str, **dates: dt.date) -> str:
    lines = [f"  {key}: {value.isoformat()}" for key, value in dates.items()]
    return "\n".join(
        [
            "---",
            "design:",
            f"  status: {status}",
            *lines,
            "---",
            "# D",
            "",
            "## Requirements",
            "",
            "x",
            "",
        ]
    )


def test_rules_are_read_from_a_mapping_of_status_to_days_and_level() -> None:
    assert read_rules({"in-review": {"days": 30}, "approved": {"days": 365, "level": "info"}}) == [
        StaleRule("in-review", 30, "warning"),
        StaleRule("approved", 365, "info"),
    ]
    assert read_rules({"in-review": 14}) == [StaleRule("in-review", 14)]
    assert read_rules(None) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([30], "expected a mapping of status id to {days: ..., level: ...}, got a list"),
        (
            {"in-review": {"days": "a month"}},
            "in-review.days: expected a whole number of days, got 'a month'",
        ),
        (
            {"in-review": {"days": 3, "level": "error"}},
            "in-review.level: expected warning or info, got 'error'",
        ),
        ({"in-review": {"weeks": 3}}, "in-review: expected a mapping with days and level"),
    ],
)
def test_a_rule_that_cannot_be_read_says_which(value: Any, message: str) -> None:
    with pytest.raises(RuleError) as error:
        read_rules(value)
    assert str(error.value) == message


def test_designs_past_their_rule_are_stale_with_a_finding_at_the_rules_level() -> None:
    files = [
        SourceFile(
            "designs/review.md",
            _design("in-review", created=dt.date(2026, 10, 1), updated=dt.date(2026, 10, 19)),
        ),
        SourceFile("designs/fresh.md", _design("in-review", updated=dt.date(2026, 11, 20))),
        SourceFile("designs/old.md", _design("approved", created=dt.date(2025, 6, 1))),
        SourceFile("designs/undated.md", _design("in-review")),
        SourceFile("designs/draft.md", _design("draft", updated=dt.date(2020, 1, 1))),
    ]
    options = Options(
        statuses=DEFAULT_STATUSES,
        stale=[
            StaleRule("in-review", 30),
            StaleRule("approved", 365, "info"),
            StaleRule("parked", 9),
        ],
        today=TODAY,
    )
    collected = collect(files, options)
    stale = [(f.file, f.line, f.level, f.message) for f in collected.findings]
    assert stale == [
        (
            "mkdocs.yml",
            None,
            "warning",
            "plugins.sysdesign.stale.parked: unknown status; expected one of draft, in-review, "
            "approved, implemented, deprecated, superseded",
        ),
        (
            "designs/review.md",
            5,
            "warning",
            "design.updated: stale, In review and not updated for 45 days (since 2026-10-19); "
            "expected at most 30 (plugins.sysdesign.stale.in-review)",
        ),
        (
            "designs/old.md",
            4,
            "info",
            "design.created: stale, Approved and not updated for 550 days (since 2025-06-01); "
            "expected at most 365 (plugins.sysdesign.stale.approved)",
        ),
    ]
    designs = collected.handbook.designs
    assert {path: d.stale_days for path, d in designs.items()} == {
        "designs/review.md": 45,
        "designs/fresh.md": None,
        "designs/old.md": 550,
        "designs/undated.md": None,
        "designs/draft.md": None,
    }


def test_the_page_shows_a_badge_and_the_table_filters_stale_designs(make_site: Any) -> None:
    today = dt.date.today()
    site = make_site(
        {
            "designs/review.md": _design("in-review", updated=today - dt.timedelta(days=40)),
            "designs/fresh.md": _design("in-review", updated=today),
            "index.md": (
                "# Home\n\n```sysdesign\ntable: designs\nwhere: {stale: yes}\n"
                "columns: [title, stale]\n```\n"
            ),
        },
        {"plugins": [{"sysdesign": {"stale": {"in-review": {"days": 30, "level": "info"}}}}]},
        strict=True,
    )
    assert site.error is None, site.messages
    badge = site.content("designs/review.md").select_one(".sysdesign-meta [data-field=stale]")
    assert badge is not None and badge.get_text(" ", strip=True) == "Stale: 40 days"
    assert site.content("designs/fresh.md").select_one("[data-field=stale]") is None
    rows = site.content("index.md").select(".sysdesign-table tbody tr")
    assert [[td.get_text(" ", strip=True) for td in tr.find_all("td")] for tr in rows] == [
        ["D", "40 days"]
    ]
    infos = [
        r.getMessage()
        for r in site.records
        if r.levelno == logging.INFO and "stale" in r.getMessage()
    ]
    assert len(infos) == 1 and "docs/designs/review.md:4: design.updated: stale" in infos[0], infos


@pytest.mark.parametrize(("level", "code"), [("warning", 1), ("info", 0)])
def test_check_reports_a_stale_design_and_gates_only_on_warnings(
    tmp_path: Path, level: str, code: int
) -> None:
    updated = dt.date.today() - dt.timedelta(days=40)
    root = project(
        tmp_path,
        {"designs/review.md": _design("in-review", updated=updated)},
        {"plugins": [{"sysdesign": {"stale": {"in-review": {"days": 30, "level": level}}}}]},
    )
    result = run("check", cwd=root)
    assert result.returncode == code, result.stdout + result.stderr
    assert (
        f"docs/designs/review.md:4: {level}: design.updated: stale, In review and not updated "
        f"for 40 days (since {updated}); expected at most 30 (plugins.sysdesign.stale.in-review)"
    ) in result.stdout.splitlines()
