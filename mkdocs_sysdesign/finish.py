"""The finishing step: what needs every page converted first.

A design's mentions, the heading ids its page really got, and the steps of a design
whose Markdown another plugin rewrote are known only once its page is converted; the
``terms`` table, the "Referenced by" lists and the links of tables to design sections
need them for every page. Rather than ordering pages, conversions leave placeholders
and record what they found in a :class:`Rendering`; once every page is converted,
:func:`finish` makes the handbook as the site shows it, and :class:`DeferredTables`
puts each table in place of its placeholder.

Nothing here changes the collected model: :func:`finish` returns a new handbook that
shares everything that did not change.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .collect import Analysis
from .model import Handbook, Section, StepResult
from .tables import Link, TableQuery, render_table


@dataclass
class Rendering:
    """What converting the pages found, page by page: it only grows during a build."""

    mentions: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Ids of the terms each page mentions, sorted, by source path."""
    anchors: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """The ids of a design page's headings, in page order, by source path: kept only for
    the pages where they differ from the ids collection predicted."""
    rewritten: dict[str, Analysis] = field(default_factory=dict)
    """Designs whose Markdown another plugin changed: what their page really holds."""

    def add(
        self,
        src_path: str,
        mentions: set[str],
        anchors: Sequence[str] | None = None,
        rewritten: Analysis | None = None,
        steps: dict[str, StepResult] | None = None,
    ) -> None:
        """Record one page's conversion; ``steps`` are the design's steps as collected."""
        # A sorted tuple: a tenth of a set's memory, kept for every page until the end.
        self.mentions[src_path] = tuple(sorted(mentions))
        if anchors is not None:
            predicted = rewritten.steps if rewritten is not None else steps
            if predicted is None or with_anchors(predicted, anchors) is not predicted:
                self.anchors[src_path] = tuple(anchors)
        if rewritten is not None:
            self.rewritten[src_path] = rewritten


def with_anchors(steps: dict[str, StepResult], ids: Sequence[str]) -> dict[str, StepResult]:
    """The step results with each section's anchor set to the id its heading got on the page.

    ``ids`` are the ids of the page's headings in order (a section knows its heading's
    position). The results are returned as they are when every anchor already agrees,
    which is the usual case; otherwise copies, the originals untouched (the serve cache
    shares them between builds).
    """

    def anchor(section: Section) -> str:
        return (ids[section.index] if section.index < len(ids) else "") or section.anchor

    def sections(result: StepResult) -> list[Section]:
        held = [e.section for e in result.evidence if e.section is not None]
        return [*result.sections, *held]

    if all(anchor(s) == s.anchor for r in steps.values() for s in sections(r)):
        return steps
    copies: dict[int, Section] = {}

    def copy(section: Section) -> Section:
        found = copies.get(id(section))
        if found is None:
            found = copies[id(section)] = replace(section, anchor=anchor(section))
        return found

    return {
        step_id: replace(
            result,
            sections=[copy(s) for s in result.sections],
            evidence=[
                replace(e, section=copy(e.section)) if e.section is not None else e
                for e in result.evidence
            ],
        )
        for step_id, result in steps.items()
    }


def finish(
    handbook: Handbook, rendering: Rendering, excluded: Callable[[str], bool] = lambda _: False
) -> Handbook:
    """The handbook as the site shows it, once every page is converted.

    Designs get the terms they mention, the anchors their headings got and, when another
    plugin rewrote their Markdown, the steps and blocks their page really holds; terms
    get the pages that mention them (``referenced_by``, without the pages ``excluded``
    from "Referenced by" lists). ``handbook`` is not changed.
    """
    referenced: dict[str, list[str]] = {term_id: [] for term_id in handbook.terms}
    for src, mentions in rendering.mentions.items():
        if excluded(src):
            continue
        for term_id in mentions:
            if term_id in referenced:
                referenced[term_id].append(src)
    designs = {}
    for path, design in handbook.designs.items():
        analysis = rendering.rewritten.get(path)
        steps = analysis.steps if analysis is not None else design.steps
        ids = rendering.anchors.get(path)
        designs[path] = replace(
            design,
            steps=with_anchors(steps, ids) if ids is not None else steps,
            entities=analysis.entities if analysis is not None else design.entities,
            routes=analysis.routes if analysis is not None else design.routes,
            terms=rendering.mentions.get(path, ()),
        )
    terms = {
        term_id: replace(term, referenced_by=sorted(referenced[term_id]))
        for term_id, term in handbook.terms.items()
    }
    return replace(handbook, designs=designs, terms=terms)


@dataclass(slots=True)
class _Pending:
    query: TableQuery
    link: Link
    labels: Mapping[str, str]


class DeferredTables:
    """Tables written as placeholders while pages convert, rendered once all are converted.

    :meth:`add` returns the placeholder (an HTML comment naming this build, so neither an
    author's text nor a page of another build matches it); :meth:`fill` replaces the
    placeholders in a page's HTML with their tables, rendered over the finished handbook.
    A placeholder that a late conversion makes (a blog plugin's excerpts) is filled the
    same way in the written page.
    """

    def __init__(self) -> None:
        self._token = secrets.token_hex(4)
        self.prefix = f"<!-- sysdesign-table:{self._token}:"
        self._pattern = re.compile(re.escape(self.prefix) + r"(\d+) -->")
        self._pending: list[_Pending] = []

    def add(self, query: TableQuery, link: Link, labels: Mapping[str, str]) -> str:
        """Keep a table to render later; returns its placeholder."""
        self._pending.append(_Pending(query, link, labels))
        return f"{self.prefix}{len(self._pending) - 1} -->"

    def fill(self, html: str, handbook: Handbook) -> str:
        """``html`` with each of this build's placeholders replaced by its table."""
        if self.prefix not in html:
            return html

        def table(match: re.Match[str]) -> str:
            pending = self._pending[int(match.group(1))]
            return render_table(pending.query, handbook, pending.link, pending.labels)

        return self._pattern.sub(table, html)
