"""This repository's handbook: strict build, complete example designs, linked fundamentals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent

# Issue 9's fundamentals, by glossary id: each must be linked from the fundamentals pages.
FUNDAMENTALS = [
    "sql-databases", "nosql-databases", "acid", "atomicity", "consistency-acid", "isolation",
    "durability", "base", "basic-availability", "soft-state", "eventual-consistency",
    "vertical-scaling", "horizontal-scaling", "sharding", "consistent-hashing", "http", "https",
    "rest", "graphql", "grpc", "restful-semantics", "dns-resolution", "websockets",
    "server-sent-events", "tcp", "udp", "request-response-lifecycle", "load-balancing",
    "firewalls-and-acls", "latency", "throughput", "performance", "fault-tolerance",
    "redundancy", "replication", "failure-detection", "cap-theorem", "consistency-cap",
    "availability", "partition-tolerance",
]  # fmt: skip


@pytest.fixture(scope="module")
def handbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The handbook built exactly as CI builds it: the real CLI, --strict."""
    site = tmp_path_factory.mktemp("handbook") / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(ROOT / "mkdocs.yml"),
         "-d", str(site)],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return site


def _page(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_handbook_builds_strict_and_offline(handbook: Path) -> None:
    html = (handbook / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis.com" not in html
    assert (handbook / "assets" / "sysdesign" / "mermaid.min.js").is_file()


def test_every_example_design_has_all_six_steps_complete(handbook: Path) -> None:
    designs = sorted(p.stem for p in (ROOT / "docs" / "designs").glob("*.md") if p.stem != "index")
    assert len(designs) >= 4
    for name in designs:
        panel = _page(handbook, f"designs/{name}").select_one(".sysdesign-checklist")
        assert panel is not None, name
        states = {s["data-step"]: s["data-state"] for s in panel.select("[data-step]")}
        assert len(states) == 6 and set(states.values()) == {"complete"}, (name, states)
        # Each uses the structured blocks and carries a review.
        page = _page(handbook, f"designs/{name}")
        for block in ("sysdesign-entity", "sysdesign-api", "sysdesign-dataflow"):
            assert page.select_one(f".{block}") is not None, (name, block)
        assert page.select_one(".sysdesign-review") is not None, name


def test_each_fundamental_is_linked_to_its_glossary_page(handbook: Path) -> None:
    linked: set[str] = set()
    for path in (handbook / "fundamentals").rglob("index.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        linked.update(a["data-term"] for a in soup.select("article a.sysdesign-term"))
    assert [term for term in FUNDAMENTALS if term not in linked] == []


def test_designs_index_lists_every_design(handbook: Path) -> None:
    page = _page(handbook, "designs")
    table = page.select_one('.sysdesign-table[data-table="designs"]')
    assert table is not None
    titles = {a.get_text(strip=True) for a in table.select("tbody a")}
    assert {"URL Shortener", "Rate Limiter"} <= titles
    assert page.select_one('.sysdesign-table[data-table="checklist"]') is not None


def test_the_decision_log_lists_every_decision_of_the_handbook(handbook: Path) -> None:
    records = sorted(
        p.stem for p in (ROOT / "docs" / "decisions").glob("*.md") if p.stem != "index"
    )
    assert len(records) >= 2
    log = _page(handbook, "decisions").select_one('.sysdesign-table[data-table="decisions"]')
    assert log is not None
    hrefs = sorted(
        a["href"].strip("./").rstrip("/") for a in log.select("tbody tr td:first-child a")
    )
    assert hrefs == records
    for name in records:
        meta = _page(handbook, f"decisions/{name}").select_one(".sysdesign-decision-meta")
        assert meta is not None, name
        assert meta.select_one(".sysdesign-status")["data-status"] == "accepted", name
        assert meta.select_one("[data-field=date] time") is not None, name
