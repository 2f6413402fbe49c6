"""Decision records: MADR and Nygard layouts as written, statuses, designs and supersession."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from harness import require_corpora
from test_cli import front_matter, project, run

from mkdocs_sysdesign.collect import Collected, Options, SourceFile, collect
from mkdocs_sysdesign.config import DEFAULT_DECISION_STATUSES, DEFAULT_STATUSES
from mkdocs_sysdesign.model import Status
from mkdocs_sysdesign.tables import render_sysdesign_block

# Written for these tests in the MADR 4 form (front matter, then the MADR sections).
MADR_RECORD = """\
---
status: accepted
date: 2026-03-02
decision-makers: Ada Lovelace, Grace Hopper
consulted:
  - storage team
informed: [everyone on call]
---

# Keep sessions in Redis

## Context and Problem Statement

Sessions are lost on every deploy.

## Considered Options

* Redis
* Sticky sessions

## Decision Outcome

Chosen option: "Redis", because it survives a deploy.
"""

OLD_MADR_RECORD = """\
# Use PostgreSQL for orders

* Status: superseded by [ADR-0003](0003-orders-in-spanner.md)
* Deciders: Ada, Grace
* Date: 2024-05-01

## Context and Problem Statement

Orders need transactions.
"""

BOLD_RECORD = """\
# ADR-0003: Orders in Spanner

**Status:** Proposed
**Date:** 2026-04-01
**Deciders:** Linus

## Context

Orders grew past one region.
"""

CACHE_DESIGN = "---\ndesign: {status: draft}\n---\n# Cache\n\n## Requirements\n\nx\n"


def _collect(
    files: dict[str, str], statuses: list[Status] | None = None, folder: str = "decisions"
) -> Collected:
    sources = [SourceFile(path, textwrap.dedent(text)) for path, text in files.items()]
    options = Options(
        statuses=DEFAULT_STATUSES,
        decisions_dir=folder,
        decision_statuses=statuses if statuses is not None else DEFAULT_DECISION_STATUSES,
    )
    return collect(sources, options)


def _messages(collected: Collected) -> list[str]:
    return [str(finding) for finding in collected.findings if finding.level != "info"]


def test_madr_front_matter_is_read_as_written() -> None:
    collected = _collect({"decisions/0001-sessions.md": MADR_RECORD})
    decision = collected.handbook.decisions["decisions/0001-sessions.md"]
    assert _messages(collected) == []
    assert decision.title == "Keep sessions in Redis"
    assert decision.status == "accepted"
    assert decision.date == dt.date(2026, 3, 2)
    assert decision.decision_makers == ["Ada Lovelace", "Grace Hopper"]
    assert decision.consulted == ["storage team"]
    assert decision.informed == ["everyone on call"]
    assert "decisions/0001-sessions.md" not in collected.handbook.designs


def test_status_and_deciders_lines_of_older_madr_and_bold_labels_are_read() -> None:
    collected = _collect(
        {
            "decisions/0002-orders-in-postgres.md": OLD_MADR_RECORD,
            "decisions/0003-orders-in-spanner.md": BOLD_RECORD,
        }
    )
    old = collected.handbook.decisions["decisions/0002-orders-in-postgres.md"]
    new = collected.handbook.decisions["decisions/0003-orders-in-spanner.md"]
    assert _messages(collected) == []
    assert (old.status, old.date, old.decision_makers) == (
        "superseded",
        dt.date(2024, 5, 1),
        ["Ada", "Grace"],
    )
    assert old.status_text == "superseded by ADR-0003"
    assert old.superseded_by == ["decisions/0003-orders-in-spanner.md"]
    # The reverse link is added to the record that did not write it.
    assert new.supersedes == ["decisions/0002-orders-in-postgres.md"]
    assert (new.status, new.date, new.decision_makers) == (
        "proposed",
        dt.date(2026, 4, 1),
        ["Linus"],
    )


def test_govuk_nygard_records_read_without_a_warning() -> None:
    folder = require_corpora("realworld-designs") / "docs" / "designs" / "govuk-adrs"
    files = {f"adr/{p.name}": p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}
    collected = _collect(files, folder="adr")
    decisions = collected.handbook.decisions
    assert _messages(collected) == []
    assert sorted(decisions) == [
        "adr/0015-dns-infrastructure.md",
        "adr/0019-centralise-mysql-databases.md",
    ]
    dns = decisions["adr/0015-dns-infrastructure.md"]
    assert (dns.title, dns.status, dns.date) == (
        "15. DNS infrastructure",
        "accepted",
        dt.date(2018, 3, 6),
    )
    mysql = decisions["adr/0019-centralise-mysql-databases.md"]
    assert (mysql.status, mysql.date) == ("accepted", dt.date(2017, 8, 2))
    assert collected.handbook.designs == {}


def test_nats_metadata_tables_are_read_and_their_statuses_checked_against_the_lifecycle() -> None:
    folder = require_corpora("realworld-designs") / "docs" / "designs" / "nats-adrs"
    files = {f"adr/{p.name}": p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.md"))}
    collected = _collect(files, folder="adr")
    # Both records state their status in the table's row on line 7.
    assert _messages(collected) == [
        "adr/adr-22-publish-retries.md:7: Status: 'Partially Implemented' is not a decision "
        "status; expected one of proposed, accepted, rejected, deprecated, superseded "
        "(decision_statuses in mkdocs.yml sets a team's own lifecycle)",
        "adr/adr-8-jetstream-kv.md:7: Status: 'Implemented' is not a decision status; "
        "expected one of proposed, accepted, rejected, deprecated, superseded "
        "(decision_statuses in mkdocs.yml sets a team's own lifecycle)",
    ]
    lifecycle = [
        Status("approved", "Approved", "#2e7d32"),
        Status("partially-implemented", "Partially Implemented", "#1565c0"),
        Status("implemented", "Implemented", "#1565c0"),
    ]
    collected = _collect(files, lifecycle, folder="adr")
    assert _messages(collected) == []
    kv = collected.handbook.decisions["adr/adr-8-jetstream-kv.md"]
    retries = collected.handbook.decisions["adr/adr-22-publish-retries.md"]
    assert (kv.status, kv.date, kv.decision_makers) == (
        "implemented",
        dt.date(2021, 6, 30),
        ["@ripienaar"],
    )
    assert kv.tags == ["jetstream", "client", "kv", "spec"]
    # The longest status wins: "Partially Implemented" is not "Implemented".
    assert retries.status == "partially-implemented"


def test_a_decision_mapping_makes_any_page_a_decision_and_names_its_design() -> None:
    collected = _collect(
        {
            "designs/cache.md": CACHE_DESIGN,
            "notes/ttl.md": (
                "---\ndecision:\n  status: accepted\n  design: ../designs/cache.md\n---\n"
                "# TTL of a minute\n"
            ),
            "decisions/evict.md": "---\ndecision:\n  design: designs/cache.md\n---\n# Evict LRU\n",
        }
    )
    assert _messages(collected) == []
    assert collected.handbook.decisions["notes/ttl.md"].design == "designs/cache.md"
    assert collected.handbook.designs["designs/cache.md"].decisions == [
        "decisions/evict.md",
        "notes/ttl.md",
    ]


def test_bad_decision_fields_are_named_with_file_and_line() -> None:
    collected = _collect(
        {
            "index.md": "# Home\n",
            "decisions/one.md": textwrap.dedent(
                """\
                ---
                decision:
                  status: acepted
                  date: next week
                  design: index.md
                  owner: ann
                  supersedes: [missing.md]
                ---
                # One
                """
            ),
        }
    )
    assert _messages(collected) == [
        "decisions/one.md:6: decision.owner: unknown key; expected one of status, date, "
        "decision-makers, consulted, informed, design, supersedes, superseded-by, tags, summary",
        "decisions/one.md:3: decision.status: 'acepted' is not a decision status "
        "(did you mean 'accepted'?); expected one of proposed, accepted, rejected, deprecated, "
        "superseded (decision_statuses in mkdocs.yml sets a team's own lifecycle)",
        "decisions/one.md:4: decision.date: 'next week' is not a date; expected YYYY-MM-DD",
        "decisions/one.md:7: decision.supersedes: 'missing.md' is not a page of this site; "
        "expected the path of a decision, relative to the docs folder or to this page",
        "decisions/one.md:5: decision.design: 'index.md' is a page but not a design; expected "
        "the path of a design",
    ]


def test_several_successors_are_linked_back_to_the_record_they_replace() -> None:
    collected = _collect(
        {
            "decisions/old.md": "---\nstatus: superseded\n---\n# Old\n",
            "decisions/reads.md": "---\ndecision: {supersedes: old.md}\n---\n# Reads\n",
            "decisions/writes.md": "---\ndecision: {supersedes: [old.md]}\n---\n# Writes\n",
        }
    )
    assert _messages(collected) == []
    decisions = collected.handbook.decisions
    assert decisions["decisions/old.md"].superseded_by == [
        "decisions/reads.md",
        "decisions/writes.md",
    ]


def test_two_sides_that_disagree_are_reported_on_the_side_that_leaves_the_other_out() -> None:
    collected = _collect(
        {
            "decisions/a.md": "---\ndecision: {superseded-by: [b.md]}\n---\n# A\n",
            "decisions/b.md": "---\ndecision:\n  supersedes: [c.md]\n---\n# B\n",
            "decisions/c.md": "# C\n",
        }
    )
    assert _messages(collected) == [
        "decisions/b.md:3: decision.supersedes: decisions/a.md says it is superseded by this "
        "decision, which does not list it; expected both sides to agree (add decisions/a.md, "
        "or remove this decision from its superseded-by)",
    ]
    # The link is still made both ways: the record that wrote it is taken at its word.
    assert collected.handbook.decisions["decisions/b.md"].supersedes == [
        "decisions/a.md",
        "decisions/c.md",
    ]


def test_a_circular_chain_of_supersedes_is_reported_once() -> None:
    collected = _collect(
        {
            "decisions/a.md": "---\ndecision: {supersedes: b.md}\n---\n# A\n",
            "decisions/b.md": "---\ndecision: {supersedes: c.md}\n---\n# B\n",
            "decisions/c.md": "---\ndecision: {supersedes: a.md}\n---\n# C\n",
        }
    )
    assert _messages(collected) == [
        "decisions/a.md:2: decision.supersedes: circular chain decisions/a.md -> "
        "decisions/b.md -> decisions/c.md -> decisions/a.md; expected each decision to "
        "supersede only older ones",
    ]


def test_status_lines_inside_code_and_after_the_first_section_are_not_read() -> None:
    collected = _collect(
        {
            "decisions/api.md": textwrap.dedent(
                """\
                # Return 404 for gone links

                ```
                Status: 200
                ```

                ## Context

                Status: rejected is what the old API answered.
                """
            ),
        }
    )
    decision = collected.handbook.decisions["decisions/api.md"]
    assert _messages(collected) == []
    assert decision.status == ""


def test_a_built_decision_shows_its_status_and_links_and_its_design_lists_it(make_site) -> None:
    site = make_site(
        {
            "index.md": "# Home\n",
            "designs/cache.md": CACHE_DESIGN,
            "decisions/0001-sessions.md": MADR_RECORD,
            "decisions/0002-ttl.md": (
                "---\ndecision:\n  status: proposed\n  design: designs/cache.md\n"
                "  supersedes: 0001-sessions.md\n---\n# TTL < 60 s & jitter\n"
            ),
            "decisions/0003-bad.md": "# Bad\n\nStatus: maybe\n\n## Context\n\nx\n",
        }
    )
    old = site.content("decisions/0001-sessions.md").select_one(".sysdesign-decision-meta")
    assert old.select_one(".sysdesign-status")["data-status"] == "accepted"
    assert old.select_one("[data-field=date] time")["datetime"] == "2026-03-02"
    assert "Ada Lovelace, Grace Hopper" in old.select_one("[data-field=decision-makers]").text
    successor = old.select_one("[data-field=superseded-by] a")
    assert successor.text == "TTL < 60 s & jitter"  # escaped in the HTML, text again when parsed
    assert successor["href"] == "../0002-ttl/"
    new = site.content("decisions/0002-ttl.md").select_one(".sysdesign-decision-meta")
    assert new.select_one("[data-field=design] a")["href"] == "../../designs/cache/"
    design = site.content("designs/cache.md").select_one(".sysdesign-meta")
    assert [a.text for a in design.select("[data-field=decisions] a")] == ["TTL < 60 s & jitter"]
    records = [
        r.getMessage()
        for r in site.records
        if r.levelno >= 30 and r.name.startswith("mkdocs.plugins.mkdocs_sysdesign")
    ]
    assert any(
        m.endswith(
            "docs/decisions/0003-bad.md:3: Status: 'maybe' is not a decision status; "
            "expected one of proposed, accepted, rejected, deprecated, superseded "
            "(decision_statuses in mkdocs.yml sets a team's own lifecycle)"
        )
        for m in records
    ), records
    assert len(records) == 1, records


def test_the_decision_lifecycle_is_configurable(make_site) -> None:
    site = make_site(
        {"decisions/a.md": "---\nstatus: Parked\n---\n# A\n"},
        {"plugins": [{"sysdesign": {"decision_statuses": {"parked": {"colour": "#123456"}}}}]},
        strict=True,
    )
    assert site.error is None, site.messages
    badge = site.content("decisions/a.md").select_one(".sysdesign-status")
    assert (badge["data-status"], badge.text) == ("parked", "Parked")


# --- The decision log table ----------------------------------------------------------


def _log(source: str, collected: Collected) -> tuple[BeautifulSoup | None, list[str]]:
    html, problems = render_sysdesign_block(
        textwrap.dedent(source), collected.handbook, lambda path, anchor: f"/{path}"
    )
    messages = [f"{problem.line}: {problem.message}" for problem in problems]
    return (BeautifulSoup(html, "html.parser") if html is not None else None), messages


LOG_FILES = {
    "designs/cache.md": CACHE_DESIGN,
    "decisions/0001-sessions.md": MADR_RECORD,
    "decisions/0002-orders-in-postgres.md": OLD_MADR_RECORD,
    "decisions/0003-orders-in-spanner.md": BOLD_RECORD,
    "decisions/0004-ttl.md": (
        "---\ndecision:\n  status: accepted\n  date: 2026-05-01\n  design: designs/cache.md\n"
        "  decision-makers: [Grace Hopper]\n---\n# TTL of a minute\n"
    ),
}


def _rows(table: BeautifulSoup) -> list[list[str]]:
    return [
        [" ".join(td.get_text(" ").split()) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    ]


def test_the_decision_log_lists_decisions_by_status_then_newest_first() -> None:
    table, problems = _log("table: decisions", _collect(LOG_FILES))
    assert problems == []
    assert table is not None
    assert [th["data-column"] for th in table.select("th")] == [
        "decision",
        "status",
        "date",
        "decision-makers",
        "design",
    ]
    assert _rows(table) == [
        ["ADR-0003: Orders in Spanner", "Proposed", "2026-04-01", "Linus", ""],
        ["TTL of a minute", "Accepted", "2026-05-01", "Grace Hopper", "Cache"],
        ["Keep sessions in Redis", "Accepted", "2026-03-02", "Ada Lovelace, Grace Hopper", ""],
        ["Use PostgreSQL for orders", "Superseded", "2024-05-01", "Ada, Grace", ""],
    ]
    link = table.select_one("tbody tr td a")
    assert link["href"] == "/decisions/0003-orders-in-spanner.md"


def test_the_decision_log_filters_by_status_date_and_decider() -> None:
    collected = _collect(LOG_FILES)
    table, problems = _log(
        """\
        table: decisions
        where: {status: Accepted, date: ">=2026-01-01", decision-makers: grace hopper}
        columns: [decision, superseded-by]
        sort: date
        """,
        collected,
    )
    assert problems == []
    assert table is not None
    assert _rows(table) == [["Keep sessions in Redis", ""], ["TTL of a minute", ""]]
    table, _ = _log(
        "table: decisions\nwhere: {status: superseded}\ncolumns: [decision, superseded-by]",
        collected,
    )
    assert table is not None
    assert _rows(table) == [["Use PostgreSQL for orders", "ADR-0003: Orders in Spanner"]]


def test_a_status_outside_the_decision_lifecycle_is_a_filter_error_with_its_line() -> None:
    table, problems = _log("table: decisions\nwhere:\n  status: approved\n", _collect(LOG_FILES))
    assert table is None
    assert problems == [
        "3: where.status: unknown decision status 'approved'; expected one of proposed, "
        "accepted, rejected, deprecated, superseded; did you mean 'proposed'?"
    ]


# --- The command line ------------------------------------------------------------------


def test_export_lists_decisions_beside_designs_and_terms(tmp_path: Path) -> None:
    root = project(tmp_path, LOG_FILES)
    index = json.loads(run("export", cwd=root, check=True).stdout)
    assert list(index) == ["version", "designs", "terms", "decisions"]
    assert [d["path"] for d in index["decisions"]] == sorted(
        path for path in LOG_FILES if path.startswith("decisions/")
    )
    old, new = index["decisions"][1], index["decisions"][2]
    assert old == {
        "path": "decisions/0002-orders-in-postgres.md",
        "title": "Use PostgreSQL for orders",
        "status": "superseded",
        "status_text": "superseded by ADR-0003",
        "date": "2024-05-01",
        "decision_makers": ["Ada", "Grace"],
        "consulted": [],
        "informed": [],
        "tags": [],
        "summary": "",
        "design": None,
        "supersedes": [],
        "superseded_by": ["decisions/0003-orders-in-spanner.md"],
        "partial": {},
    }
    assert new["supersedes"] == ["decisions/0002-orders-in-postgres.md"]
    assert index["decisions"][3]["design"] == "designs/cache.md"


def test_new_decision_writes_a_numbered_madr_record_that_builds_cleanly(
    tmp_path: Path, make_site: Any
) -> None:
    root = project(
        tmp_path,
        {"index.md": "# Home\n", "adr/0007-older.md": "# Older\n"},
        {"plugins": [{"sysdesign": {"decisions_dir": "adr"}}]},
    )
    result = run("new", "--decision", "Use Redis: for sessions", "--owner", "Ada", cwd=root)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "docs/adr/0008-use-redis-for-sessions.md"
    text = (root / "docs/adr/0008-use-redis-for-sessions.md").read_text(encoding="utf-8")
    assert front_matter(text) == {
        "status": "proposed",
        "date": dt.date.today().isoformat(),
        "decision-makers": ["Ada"],
        "consulted": [],
        "informed": [],
    }
    assert "\n# Use Redis: for sessions\n" in text
    assert "## Decision Outcome" in text
    site = make_site(
        {"adr/0008-use-redis-for-sessions.md": text},
        {"plugins": [{"sysdesign": {"decisions_dir": "adr"}}]},
        strict=True,
    )
    assert site.error is None, site.messages
    decision = site.content("adr/0008-use-redis-for-sessions.md")
    assert decision.select_one(".sysdesign-decision-meta .sysdesign-status").text == "Proposed"
    # The next record gets the next number; an existing one is never overwritten.
    again = run("new", "--decision", "Use Redis: for sessions", cwd=root, check=True)
    assert again.stdout.strip() == "docs/adr/0009-use-redis-for-sessions.md"
