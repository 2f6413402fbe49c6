"""The finishing step: what needs every page converted first.

A design's mentions, the heading ids its page really got, and the steps of a design
whose Markdown another plugin rewrote are known only once its page is converted; the
``terms`` table, the "Referenced by" lists and the links of tables to design sections
need them for every page. Rather than ordering pages, conversions mark their tables
(the ``terms`` table is only a placeholder until then) and record what they found in a
:class:`Rendering`; once every page is converted, :func:`finish` makes the handbook as
the site shows it, and :class:`DeferredTables` settles each marked table.

Nothing here changes the collected model: :func:`finish` returns a new handbook that
shares everything that did not change.
"""

from __future__ import annotations

import fnmatch
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .collect import Analysis
from .model import Design, Handbook, Section, StepResult
from .render import Templates
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
    shown: dict[str, Design] = field(default_factory=dict)
    """Designs whose page showed other values than collected (dates another plugin put in
    the page's meta): the design as the page showed it, a copy."""

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


def backlinks_excluded(patterns: Sequence[str]) -> Callable[[str], bool]:
    """Whether a page is left out of "Referenced by" lists by ``backlinks_exclude``:
    ``guide/`` names a folder, anything else is a shell-style pattern of the source path."""

    def excluded(src: str) -> bool:
        for pattern in patterns:
            pattern = pattern.lstrip("/")
            if pattern.endswith("/") and src.startswith(pattern):
                return True
            if fnmatch.fnmatchcase(src, pattern):
                return True
        return False

    return excluded


def finish(
    handbook: Handbook, rendering: Rendering, excluded: Callable[[str], bool] = lambda _: False
) -> Handbook:
    """The handbook as the site shows it, once every page is converted.

    Designs get the terms they mention, the anchors their headings got, the values their
    page showed and, when another plugin rewrote their Markdown, the steps and blocks their
    page really holds; terms
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
    for path, collected in handbook.designs.items():
        design = rendering.shown.get(path, collected)
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


AFTER_CONVERSION = frozenset({"terms"})
"""Tables that need every page's mentions: they wait for the finishing step."""


@dataclass(slots=True)
class _Pending:
    query: TableQuery
    link: Link
    labels: Mapping[str, str]
    templates: Templates | None


class DeferredTables:
    """Tables whose final content is settled once every page is converted.

    :meth:`add` renders a table in place from the collected handbook, between two markers
    (HTML comments naming this build, so neither an author's text nor a page of another
    build matches them); a table that needs every page's mentions (``terms``) gets only
    its markers. :meth:`fill` settles each table of a page: it renders the waiting ones
    over the finished handbook, renders the others again only when converting the pages
    changed what they show (``redo``: a design another plugin rewrote or dated, heading ids
    other than collection predicted), and drops the markers. Rendering most tables while their
    page converts keeps their working memory out of the build's peak, which comes when
    every page is converted.
    """

    def __init__(self) -> None:
        token = secrets.token_hex(4)
        self.prefix = f"<!-- sysdesign-table:{token}:"
        self._end = f"<!-- /sysdesign-table:{token} -->"
        self._pattern = re.compile(
            re.escape(self.prefix) + r"(\d+) -->(.*?)" + re.escape(self._end), re.DOTALL
        )
        self._pending: list[_Pending] = []

    def add(
        self,
        query: TableQuery,
        link: Link,
        labels: Mapping[str, str],
        templates: Templates | None,
        handbook: Handbook,
    ) -> str:
        """Keep a table to settle later; returns it in place, between its markers."""
        self._pending.append(_Pending(query, link, labels, templates))
        waits = query.table in AFTER_CONVERSION
        html = "" if waits else render_table(query, handbook, link, labels, templates)
        return f"{self.prefix}{len(self._pending) - 1} -->{html}{self._end}"

    def fill(self, html: str, handbook: Handbook, redo: bool = True) -> str:
        """``html`` with each of this build's tables settled over the finished ``handbook``."""
        if self.prefix not in html:
            return html

        def table(match: re.Match[str]) -> str:
            pending = self._pending[int(match.group(1))]
            if not redo and pending.query.table not in AFTER_CONVERSION:
                return match.group(2)
            return render_table(
                pending.query, handbook, pending.link, pending.labels, pending.templates
            )

        return self._pattern.sub(table, html)


def changes_tables(rendering: Rendering) -> bool:
    """Whether converting the pages changed what tables other than ``terms`` show."""
    return bool(rendering.rewritten or rendering.anchors or rendering.shown)
