"""What the browser's filters read: ``data-*`` on the rows of the designs and decisions
tables and a ``data-filters`` description on their wrapper; the controls themselves are
the script's (tests/browser/test_filters.py), never in the HTML."""

from __future__ import annotations

import json
from typing import Any

DESIGN = """\
---
tags: [storage, "<b>bold</b>"]
design:
  status: in-review
  owners: [alice, "Bob \\"the\\" <Builder>"]
  updated: 2020-01-01
---
# Queue

## Requirements

Messages in order.
"""

DECISION = """\
---
status: accepted
date: 2026-01-15
decision-makers: [carol]
tags: [storage]
---
# Use Postgres

## Context and Problem Statement

Why.
"""

INDEX = """\
# Home

```sysdesign
table: designs
columns: [title]
```

```sysdesign
table: decisions
columns: [decision]
```

```sysdesign
table: checklist
```
"""


def build(make_site: Any) -> Any:
    site = make_site(
        {"index.md": INDEX, "designs/queue.md": DESIGN, "decisions/0001-pg.md": DECISION},
        {"plugins": [{"sysdesign": {"stale": {"in-review": 30}}}]},
    )
    assert site.error is None
    return site


def test_design_rows_carry_status_owners_tags_and_staleness(make_site: Any) -> None:
    site = build(make_site)
    row = site.content("index.md").select_one('[data-table="designs"] tbody tr')
    # Only the title column is shown; the row still says what the filters need.
    assert [td.get_text(strip=True) for td in row.select("td")] == ["Queue"]
    assert row["data-status"] == "in-review"
    assert json.loads(row["data-owners"]) == ["alice", 'Bob "the" <Builder>']
    assert json.loads(row["data-tags"]) == ["storage", "<b>bold</b>"]
    assert row["data-stale"] == "true"
    # Author text stays text: no element was made of it.
    assert site.content("index.md").select('[data-table="designs"] b') == []


def test_decision_rows_carry_status_decision_makers_and_tags(make_site: Any) -> None:
    site = build(make_site)
    row = site.content("index.md").select_one('[data-table="decisions"] tbody tr')
    assert row["data-status"] == "accepted"
    assert json.loads(row["data-owners"]) == ["carol"]
    assert json.loads(row["data-tags"]) == ["storage"]
    assert not row.has_attr("data-stale")


def test_the_wrapper_describes_the_filters_in_the_sites_words(make_site: Any) -> None:
    site = build(make_site)
    content = site.content("index.md")
    designs = json.loads(content.select_one('[data-table="designs"]')["data-filters"])
    assert designs["labels"] == {
        "status": "Status",
        "owners": "Owners",
        "tags": "Tags",
        "stale": "Stale only",
        "text": "Contains",
        "all": "All",
        "count": "{shown} of {total} rows",
        "filter": "Filter",
    }
    assert designs["statuses"][:3] == [
        ["draft", "Draft"],
        ["in-review", "In review"],
        ["approved", "Approved"],
    ]
    decisions = json.loads(content.select_one('[data-table="decisions"]')["data-filters"])
    assert decisions["labels"]["owners"] == "Decision makers"
    assert decisions["statuses"][0] == ["proposed", "Proposed"]


def test_no_filter_controls_in_the_html_and_none_on_other_tables(make_site: Any) -> None:
    site = build(make_site)
    content = site.content("index.md")
    assert content.select(".sysdesign-filters, select, input[type=search]") == []
    checklist = content.select_one('[data-table="checklist"]')
    assert not checklist.has_attr("data-filters")
    assert not checklist.select_one("tbody tr").has_attr("data-status")


def test_filter_labels_follow_the_labels_option(make_site: Any) -> None:
    site = make_site(
        {"index.md": INDEX, "designs/queue.md": DESIGN, "decisions/0001-pg.md": DECISION},
        {"plugins": [{"sysdesign": {"labels": {"filter_text": "Suche", "owners": "Team"}}}]},
    )
    assert site.error is None
    wrapper = site.content("index.md").select_one('[data-table="designs"]')
    labels = json.loads(wrapper["data-filters"])["labels"]
    assert (labels["text"], labels["owners"]) == ("Suche", "Team")
