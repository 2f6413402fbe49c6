"""Supersession of designs and decisions: several on each side, written on either side,
in part, with warnings when the two sides disagree or loop, and in the graph."""

from __future__ import annotations

import re
import textwrap
from typing import Any

from test_decisions import _collect, _messages

DESIGN = "---\ndesign:\n{fields}---\n# {title}\n\n## Requirements\n\nx\n"


def design(title: str, **fields: str) -> str:
    lines = "".join(f"  {key.replace('_', '-')}: {value}\n" for key, value in fields.items())
    return DESIGN.format(fields=lines or "  status: draft\n", title=title)


def test_a_design_supersedes_several_and_each_gets_the_link_back() -> None:
    collected = _collect(
        {
            "designs/old-a.md": design("Old A"),
            "designs/old-b.md": design("Old B"),
            "designs/new.md": design("New", supersedes="[old-a.md, designs/old-b.md]"),
        }
    )
    assert _messages(collected) == []
    designs = collected.handbook.designs
    assert designs["designs/new.md"].supersedes == ["designs/old-a.md", "designs/old-b.md"]
    assert designs["designs/old-a.md"].superseded_by == ["designs/new.md"]
    assert designs["designs/old-b.md"].superseded_by == ["designs/new.md"]


def test_superseded_by_written_on_the_older_design_links_the_newer_one() -> None:
    collected = _collect(
        {
            "designs/old.md": design("Old", superseded_by="[designs/one.md, designs/two.md]"),
            "designs/one.md": design("One"),
            "designs/two.md": design("Two"),
        }
    )
    assert _messages(collected) == []
    designs = collected.handbook.designs
    assert designs["designs/one.md"].supersedes == ["designs/old.md"]
    assert designs["designs/two.md"].supersedes == ["designs/old.md"]


def test_designs_whose_two_sides_disagree_are_reported_with_file_and_line() -> None:
    collected = _collect(
        {
            "designs/a.md": design("A", superseded_by="[designs/b.md]"),
            "designs/b.md": design("B", status="draft", supersedes="[designs/c.md]"),
            "designs/c.md": design("C"),
        }
    )
    assert _messages(collected) == [
        "designs/b.md:4: design.supersedes: designs/a.md says it is superseded by this design, "
        "which does not list it; expected both sides to agree (add designs/a.md, or remove "
        "this design from its superseded-by)"
    ]


def test_a_circular_chain_of_designs_is_reported_once_on_its_first_design() -> None:
    collected = _collect(
        {
            "designs/a.md": design("A", supersedes="designs/b.md"),
            "designs/b.md": design("B", superseded_by="designs/a.md", supersedes="designs/a.md"),
        }
    )
    assert _messages(collected) == [
        "designs/a.md:3: design.supersedes: circular chain designs/a.md -> designs/b.md -> "
        "designs/a.md; expected each design to supersede only older ones"
    ]


def test_partial_supersession_is_kept_on_both_sides_with_its_part() -> None:
    collected = _collect(
        {
            "designs/old.md": design("Old"),
            "designs/other.md": design("Other"),
            "designs/new.md": DESIGN.format(
                title="New",
                fields="  supersedes:\n"
                "    - path: designs/old.md\n"
                "      partial: the storage layer\n"
                "    - {path: designs/other.md, partial: true}\n",
            ),
        }
    )
    assert _messages(collected) == []
    designs = collected.handbook.designs
    assert designs["designs/new.md"].partial == {
        "designs/old.md": "the storage layer",
        "designs/other.md": "",
    }
    assert designs["designs/old.md"].partial == {"designs/new.md": "the storage layer"}
    assert designs["designs/other.md"].partial == {"designs/new.md": ""}


def test_a_supersession_entry_that_cannot_be_read_names_its_line() -> None:
    collected = _collect(
        {
            "designs/new.md": DESIGN.format(
                title="New",
                fields="  status: draft\n  supersedes:\n    - {path: designs/old.md, partial: 3}\n",
            ),
            "designs/old.md": design("Old"),
        }
    )
    assert _messages(collected) == [
        "designs/new.md:4: design.supersedes: partial: expected true, false or the part "
        "replaced, got the number 3"
    ]
    assert collected.handbook.designs["designs/new.md"].supersedes == []


def test_nygard_records_supersede_in_part_on_a_status_line() -> None:
    collected = _collect(
        {
            "decisions/0001-postgres.md": "# 1. Use Postgres\n\n## Status\n\nAccepted\n",
            "decisions/0002-mysql.md": "# 2. Use MySQL\n\n## Status\n\nAccepted\n",
            "decisions/0003-spanner.md": textwrap.dedent(
                """\
                # 3. Orders in Spanner

                ## Status

                Accepted

                Supersedes [2. Use MySQL](0002-mysql.md)
                Partially supersedes [1. Use Postgres](0001-postgres.md)
                """
            ),
        }
    )
    assert _messages(collected) == []
    decisions = collected.handbook.decisions
    new = decisions["decisions/0003-spanner.md"]
    assert new.supersedes == ["decisions/0001-postgres.md", "decisions/0002-mysql.md"]
    assert new.partial == {"decisions/0001-postgres.md": ""}
    assert decisions["decisions/0001-postgres.md"].partial == {"decisions/0003-spanner.md": ""}
    assert decisions["decisions/0002-mysql.md"].partial == {}


def test_decisions_take_partial_entries_in_front_matter_too() -> None:
    collected = _collect(
        {
            "decisions/old.md": "---\nstatus: accepted\n---\n# Old\n",
            "decisions/new.md": "---\ndecision:\n  supersedes:\n"
            "    - {path: old.md, partial: the retry policy}\n---\n# New\n",
        }
    )
    assert _messages(collected) == []
    assert collected.handbook.decisions["decisions/old.md"].partial == {
        "decisions/new.md": "the retry policy"
    }


# -- on the site ------------------------------------------------------------------------

SITE = {
    "index.md": "# Home\n\n```sysdesign\ntable: graph\n```\n",
    "designs/old.md": design("Old store"),
    "designs/legacy.md": design("Legacy store"),
    "designs/new.md": DESIGN.format(
        title="New store",
        fields="  supersedes:\n"
        "    - designs/old.md\n"
        "    - {path: designs/legacy.md, partial: the <b>read</b> path}\n",
    ),
    "decisions/0001-a.md": "---\nstatus: accepted\n---\n# Use [A] -->|x| B\n",
    "decisions/0002-b.md": "---\ndecision: {supersedes: 0001-a.md}\n---\n# Use B\n",
    "decisions/0003-c.md": "---\nstatus: accepted\n---\n# Unrelated\n",
}


def _meta(site: Any, src: str, field: str) -> tuple[str, list[tuple[str, str | None]]]:
    span = site.content(src).select_one(f'.sysdesign-meta [data-field="{field}"]')
    links = [(a.get_text(), a.get("data-partial")) for a in span.select("a")]
    return " ".join(span.get_text(" ", strip=True).split()), links


def test_the_metadata_lines_say_which_supersession_is_partial(make_site: Any) -> None:
    site = make_site(SITE)
    assert site.messages == []
    text, links = _meta(site, "designs/new.md", "supersedes")
    assert text == "Supersedes: Legacy store (in part: the <b>read</b> path), Old store"
    assert links == [("Legacy store", "true"), ("Old store", None)]
    text, links = _meta(site, "designs/legacy.md", "superseded-by")
    assert text == "Superseded by: New store (in part: the <b>read</b> path)"
    assert links == [("New store", "true")]
    # The part is text, not markup.
    assert site.content("designs/legacy.md").select(".sysdesign-meta b") == []


def test_the_graph_draws_supersession_thick_and_labelled_with_decisions_rounded(
    make_site: Any,
) -> None:
    site = make_site(SITE)
    graph = site.content("index.md").select_one(".sysdesign-graph")
    lines = graph.select_one("pre.mermaid > code").get_text().split("\n")
    nodes = {
        re.sub(r"#(\d+);", lambda code: chr(int(code.group(1))), match.group(2)): match.group(1)
        for line in lines
        if (match := re.fullmatch(r'\s+(n\d+)\[?\(?\[?"(.*)"\]?\)?\]?', line))
    }
    assert set(nodes) == {"Legacy store", "New store", "Old store", "Use B", "Use [A] -->|x| B"}
    assert f'    {nodes["Use B"]}(["Use B"])' in lines
    new, old, legacy = nodes["New store"], nodes["Old store"], nodes["Legacy store"]
    assert f"    {new} ==>|supersedes| {old}" in lines
    assert f"    {new} ==>|partly supersedes| {legacy}" in lines
    assert f"    {nodes['Use B']} ==>|supersedes| {nodes['Use [A] -->|x| B']}" in lines
    # The decision's title is Mermaid text, never syntax: its brackets and arrow are codes.
    decision_line = next(
        line for line in lines if line.startswith(f"    {nodes['Use [A] -->|x| B']}(")
    )
    assert "-->" not in decision_line and "[A]" not in decision_line
    edges = [
        (li["data-edge"], li.get("data-partial", ""), " ".join(li.get_text().split()))
        for li in graph.select("ul.sysdesign-graph-edges > li")
    ]
    assert sorted(edges) == [
        ("supersedes", "", "New store supersedes Old store"),
        ("supersedes", "", "Use B supersedes Use [A] -->|x| B"),
        ("supersedes", "true", "New store partly supersedes Legacy store"),
    ]
