"""The auto-built tables: a query over the model -> rows -> HTML.

A ```` ```sysdesign ```` fenced block holds a small YAML query::

    table: designs                        # required: which table
    where: {status: [approved, implemented], owners: alice}
    columns: [title, status, owners, updated, progress]
    sort: [-updated, title]               # a column, '-column' for descending, or a list
    limit: 10                             # a positive whole number
    title: Approved designs               # optional caption

:func:`render_sysdesign_block` turns it into HTML (Jinja templates in ``templates/``).
It is a pure function of the block, the :class:`~mkdocs_sysdesign.model.Handbook`
and a link resolver for the page being rendered: no MkDocs, no I/O, so the Markdown
extension and the tests call it the same way.

``where`` rules (every entry must hold; a list of values means "any of"):

- text columns compare case-insensitively (``title``, ``summary``, ``method`` ...);
  link columns such as ``design`` also match the design's source path;
- list columns (``owners``, ``reviewers``, ``tags``, ``aliases``, ``designs``,
  ``properties``, ``parameters``, ``items``) match when any of their values matches;
- a text or list value with ``*``, ``?`` or ``[...]`` is a shell-style pattern
  (``path: designs/payments/*``), matched case-insensitively, ``*`` across folders too;
- ``status`` matches a status id or its label; it must be a configured status;
- step columns of ``checklist`` match ``complete``, ``partial``, ``missing`` (or their
  labels); item columns of ``deep-dives`` match ``yes``/``no`` or ``true``/``false``;
- number columns (``progress``, ``count``, review scores, ``average``) and date columns
  (``created``, ``updated``) take a value (``progress: 100``, ``updated: 2026-11-02``)
  or a comparison: ``">=50"``, ``"<75%"``, ``">2026-01-01"``, with ``=``, ``==``,
  ``!=``, ``<``, ``<=``, ``>``, ``>=``;
- ``null`` or ``""`` matches an empty cell.

Two tables hide rows by default: ``terms`` lists only terms that at least one design
mentions unless ``where`` names ``count`` (``count: 0`` lists the unused terms), and
``reviews`` lists only designs with a review unless ``where`` names a review column
(``average: null`` lists the designs still waiting for one).

Sorting uses each column's natural value: dates, numbers, text case-insensitively,
statuses in their configured order, checklist states as missing < partial < complete.
It is stable, empty cells come last in both directions, and several keys may be given.
"""

from __future__ import annotations

import datetime as _dt
import fnmatch
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import yaml
from markupsafe import Markup

from .blocks import mermaid_text
from .frontmatter import yaml_problem
from .model import (
    REVIEW_CRITERIA,
    Decision,
    Design,
    Handbook,
    Problem,
    StepResult,
    StepState,
    closest,
    kind_of,
)
from .render import Templates, render_template
from .steps import StepRegistry
from .texts import complete, criteria, english, item_title, status_label, step_text
from .yamlread import LIMITS, YAMLLimitError, compose_yaml, repeated_keys

Link = Callable[[str, str | None], str]
"""``link(src_path, anchor)``: URL of a docs page (and ``#anchor``) from the page being rendered."""

BLOCK_KEYS = ("table", "where", "columns", "sort", "limit", "title")
"""The keys a ``sysdesign`` block may have."""

_EXPECTED_MAPPING = "expected a mapping with table, where, columns, sort, limit"

# Texts come from the catalogue (texts.py) of the page's language. Column headers use the
# column name as key, except the ``items`` column of ``steps`` (``checklist_items``: the
# panel already uses ``items`` for "6 / 20 items"), the per-step columns of ``checklist``,
# the per-item columns of ``deep-dives`` and the criteria of ``reviews``, which default to
# the step, item and criterion names (translated while they are the shipped ones). The
# graph's edges use ``edge_supersedes`` and ``edge_related``, lower-case words in the
# middle of a sentence, apart from the capitalised ``supersedes`` and ``related`` of the
# metadata line.

_HEADER_KEYS = {"items": "checklist_items"}
"""Label keys of column headers whose column name is also a label key of the panel."""


# Character references keep generated HTML in Latin-1 (see render.ICONS).
_YES_MARK = Markup("&#x2713; ")
_NO_MARK = Markup("&#x2717; ")
_DEEP_DIVE_ITEMS = ("scalability", "consistency", "latency", "fault-tolerance", "security")
_STATE_ORDER = {StepState.MISSING.value: 0, StepState.PARTIAL.value: 1, StepState.COMPLETE.value: 2}

# Column kinds decide how a column is filtered and sorted.
TEXT, LIST, STATUS, STATE, DONE, NUMBER, DATE = (
    "text",
    "list",
    "status",
    "state",
    "done",
    "number",
    "date",
)
DECISION_STATUS = "decision-status"
"""A decision's status: filtered and sorted by the decision lifecycle, not the designs'."""


# ---------------------------------------------------------------------------
# Cells and rows


@dataclass(frozen=True)
class Part:
    """A piece of a cell: text, optionally a link or a badge with its own attributes."""

    text: str
    href: str | None = None
    cls: str | None = None
    attrs: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Cell:
    """One cell: what it shows, and the natural value it is filtered and sorted by."""

    value: Any = None
    """str, int, float, date, bool, a list of str, or None when empty."""
    parts: list[Part] = field(default_factory=list)
    attrs: dict[str, str] = field(default_factory=dict)
    """Attributes of the ``<td>``, such as ``data-state`` or ``data-sort``."""
    keys: frozenset[str] = frozenset()
    """Case-folded texts a ``where`` value may equal to select this cell."""
    layout: str = "inline"
    """``inline`` joins parts with commas; ``list`` renders them as a ``<ul>``."""

    @property
    def empty(self) -> bool:
        """Whether the cell holds nothing (``where: {column: null}`` selects it)."""
        return self.value is None or self.value == "" or self.value == []


@dataclass(frozen=True)
class Column:
    """A column of a built table."""

    name: str
    kind: str
    label: str


Row = dict[str, Cell]


def _fold(text: str) -> str:
    return text.strip().casefold()


def _text(value: str, *, href: str | None = None, extra: Iterable[str] = ()) -> Cell:
    return Cell(
        value=value or None,
        parts=[Part(value, href)] if value else [],
        keys=frozenset([_fold(value), *(_fold(e) for e in extra)]),
    )


def _list(values: Sequence[str], *, layout: str = "inline", extra: Iterable[str] = ()) -> Cell:
    return Cell(
        value=list(values),
        parts=[Part(v) for v in values],
        keys=frozenset([*(_fold(v) for v in values), *(_fold(e) for e in extra)]),
        layout=layout,
    )


def _date(value: _dt.date | None) -> Cell:
    if value is None:
        return Cell()
    text = value.isoformat()
    return Cell(value=value, parts=[Part(text)], attrs={"data-sort": text}, keys=frozenset([text]))


def _number(value: float | None, text: str | None = None, *, sort: bool = False) -> Cell:
    if value is None:
        return Cell()
    shown = str(value) if text is None else text
    attrs = {"data-sort": str(value)} if sort else {}
    return Cell(value=value, parts=[Part(shown)], attrs=attrs)


# ---------------------------------------------------------------------------
# The tables


@dataclass
class _Context:
    handbook: Handbook
    link: Link
    labels: Mapping[str, str]
    templates: Templates | None = None

    @property
    def registry(self) -> StepRegistry:
        registry = self.handbook.registry
        return registry if isinstance(registry, StepRegistry) else StepRegistry.default()

    def label(self, key: str, default: str | None = None) -> str:
        if key in self.labels:
            return self.labels[key]
        if default is not None:
            return default
        return english().get(key, key)

    def columns(self, *specs: tuple[str, str]) -> list[Column]:
        return [
            Column(name, kind, self.label(_HEADER_KEYS.get(name, name))) for name, kind in specs
        ]

    def design_cell(self, design: Design) -> Cell:
        return _text(design.title, href=self.link(design.path, None), extra=[design.path])

    def designs(self) -> list[Design]:
        return sorted(self.handbook.designs.values(), key=lambda d: _fold(d.title))

    def status_cell(self, status_id: str) -> Cell:
        status = self.handbook.status(status_id)
        label = status_label(self.labels, status) if status else status_id
        order = self.status_order(status_id)
        badge = {"data-status": status_id}
        if status is not None:
            # The same custom property as the design page's badge; the colour was checked
            # against a CSS colour pattern when the configuration was read.
            badge["style"] = f"--sysdesign-status-colour: {status.colour}"
        return Cell(
            value=status_id,
            parts=[Part(label, cls="sysdesign-status", attrs=badge)],
            attrs={"data-status": status_id, "data-sort": str(order)},
            # The configured label matches too, in any language.
            keys=frozenset([_fold(status_id), _fold(label), _fold(status.label if status else "")]),
        )

    def status_order(self, status_id: str) -> int:
        ids = [status.id for status in self.handbook.statuses]
        return ids.index(status_id) if status_id in ids else len(ids)

    def section_href(self, design: Design, result: StepResult | None) -> str | None:
        section = result.anchor_section if result else None
        if section is None:
            return None
        return self.link(design.path, section.anchor or None)


@cache
def _default_context() -> _Context:
    """A context for the default step registry in English: what the docs list."""
    return _Context(Handbook(registry=StepRegistry.default()), lambda path, anchor: "", english())


def _deep_dive_items(
    registry: StepRegistry, labels: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    step = registry.get("deep-dives")
    if step is None:
        return [(item, item.replace("-", " ").capitalize()) for item in _DEEP_DIVE_ITEMS]
    texts = labels if labels is not None else english()
    return [(item.id, item_title(texts, step.id, item)) for item in step.items]


Columns = Callable[[_Context], list[Column]]
"""The columns of a table for the registry and labels in force."""

Rows = Callable[[_Context], list[Row]]
"""The rows of a table: one cell per column name."""


def _fixed(*specs: tuple[str, str]) -> Columns:
    """Columns that do not depend on the registry: ``(name, kind)``, labelled by name."""
    return lambda ctx: ctx.columns(*specs)


def _steps_rows(ctx: _Context) -> list[Row]:
    return [
        {
            "step": _text(step_text(ctx.labels, step), extra=[step.id, step.title]),
            "id": _text(step.id),
            "purpose": _text(step_text(ctx.labels, step, "purpose")),
            "benefits": _text(step_text(ctx.labels, step, "benefits")),
            "items": _list(
                [item_title(ctx.labels, step.id, item) for item in step.items],
                layout="list",
                extra=[item.id for item in step.items],
            ),
        }
        for step in ctx.registry
    ]


def _design_row(ctx: _Context, design: Design) -> Row:
    return {
        "title": ctx.design_cell(design),
        "status": ctx.status_cell(design.status),
        "owners": _list(design.owners),
        "reviewers": _list(design.reviewers),
        "created": _date(design.created),
        "updated": _date(design.updated),
        "progress": _number(design.progress, f"{design.progress}%", sort=True),
        "tags": _list(design.tags),
        "summary": _text(design.summary),
        "path": _text(design.path),
        "stale": _stale_cell(ctx, design.stale_days),
    }


def _stale_cell(ctx: _Context, days: int | None) -> Cell:
    """Whether a staleness rule finds the design stale (``yes``/``no``), showing its days."""
    if days is None:
        return Cell(value=False, attrs={"data-sort": "0"})
    return Cell(
        value=True,
        parts=[Part(f"{days} {ctx.label('days')}")],
        attrs={"data-sort": str(days), "data-stale": "true"},
    )


_DESIGN_COLUMNS = (
    ("title", TEXT),
    ("status", STATUS),
    ("owners", LIST),
    ("reviewers", LIST),
    ("created", DATE),
    ("updated", DATE),
    ("progress", NUMBER),
    ("tags", LIST),
    ("summary", TEXT),
    ("path", TEXT),
    ("stale", DONE),
)


def _designs_rows(ctx: _Context) -> list[Row]:
    return [_design_row(ctx, design) for design in ctx.designs()]


_CHECKLIST_EXTRAS = (("status", STATUS), ("progress", NUMBER), ("path", TEXT))
"""The design columns of ``checklist`` besides the title and one column per step."""


def _checklist_columns(ctx: _Context) -> list[Column]:
    registry = ctx.registry
    columns = [Column("title", TEXT, ctx.label("title"))]
    columns += [
        Column(step.id, STATE, ctx.label(step.id, step_text(ctx.labels, step))) for step in registry
    ]
    columns += ctx.columns(*(e for e in _CHECKLIST_EXTRAS if registry.get(e[0]) is None))
    return columns


def _checklist_rows(ctx: _Context) -> list[Row]:
    registry = ctx.registry
    rows = []
    for design in ctx.designs():
        full = _design_row(ctx, design)
        row = {name: full[name] for name in ("title", "status", "progress", "path")}
        for step_id in registry.ids:
            result = design.steps.get(step_id)
            state = result.state.value if result else StepState.MISSING.value
            label = ctx.label(state)
            row[step_id] = Cell(
                value=state,
                # Shown as the panel's icon (CSS) so that a column per step fits the
                # page; the word stays for screen readers, and as a tooltip.
                parts=[
                    Part(
                        label,
                        ctx.section_href(design, result),
                        cls="sysdesign-table__state",
                        attrs={"title": label},
                    )
                ],
                attrs={"data-state": state, "data-sort": str(_STATE_ORDER.get(state, 0))},
                keys=frozenset([state, _fold(label)]),
            )
        rows.append(row)
    return rows


def _glossary_rows(ctx: _Context) -> list[Row]:
    return [
        {
            "term": _text(term.term, href=ctx.link(term.path, None), extra=[term.id]),
            "category": _text(term.category),
            "summary": _text(term.summary),
            "aliases": _list(term.aliases),
            "abbr": _text(term.abbr),
            "path": _text(term.path),
        }
        for term in ctx.handbook.terms.values()
    ]


def _terms_rows(ctx: _Context) -> list[Row]:
    mentions: dict[str, list[Design]] = {term_id: [] for term_id in ctx.handbook.terms}
    for design in ctx.designs():
        for term_id in sorted(design.terms):
            if term_id in mentions:
                mentions[term_id].append(design)
    rows = []
    for term_id, designs in mentions.items():
        term = ctx.handbook.terms[term_id]
        rows.append(
            {
                "term": _text(term.term, href=ctx.link(term.path, None), extra=[term.id]),
                "category": _text(term.category),
                "designs": Cell(
                    value=[d.title for d in designs],
                    parts=[Part(d.title, ctx.link(d.path, None)) for d in designs],
                    keys=frozenset(
                        [*(_fold(d.title) for d in designs), *(_fold(d.path) for d in designs)]
                    ),
                ),
                "count": _number(len(designs)),
            }
        )
    return rows


def _pairs(pairs: Iterable[tuple[str, str]]) -> tuple[list[str], list[str]]:
    shown, names = [], []
    for name, kind in pairs:
        shown.append(f"{name}: {kind}" if kind else name)
        names.append(name)
    return shown, names


def _entities_rows(ctx: _Context) -> list[Row]:
    rows = []
    for design in ctx.designs():
        for entity in design.entities:
            shown, names = _pairs((p.name, p.type) for p in entity.properties)
            rows.append(
                {
                    "design": ctx.design_cell(design),
                    "entity": _text(entity.name),
                    "properties": _list(shown, layout="list", extra=names),
                    "notes": _text(entity.notes),
                }
            )
    return rows


def _api_rows(ctx: _Context) -> list[Row]:
    rows = []
    for design in ctx.designs():
        for route in design.routes:
            shown, names = _pairs((p.name, p.type) for p in route.parameters)
            rows.append(
                {
                    "design": ctx.design_cell(design),
                    "method": _text(route.method),
                    "path": _text(route.path),
                    "parameters": _list(shown, layout="list", extra=names),
                    "returns": _text(route.returns),
                    "auth": _text(route.auth),
                    "protocol": _text(route.protocol),
                    "notes": _text(route.notes),
                }
            )
    return rows


def _deep_dives_columns(ctx: _Context) -> list[Column]:
    items = _deep_dive_items(ctx.registry, ctx.labels)
    columns = [Column("title", TEXT, ctx.label("title"))]
    return columns + [Column(item_id, DONE, ctx.label(item_id, title)) for item_id, title in items]


def _deep_dives_rows(ctx: _Context) -> list[Row]:
    items = _deep_dive_items(ctx.registry, ctx.labels)
    yes, no = ctx.label("yes"), ctx.label("no")
    rows = []
    for design in ctx.designs():
        result = design.steps.get("deep-dives")
        href = ctx.section_href(design, result)
        row = {"title": ctx.design_cell(design)}
        for item_id, _ in items:
            done = bool(result and result.items.get(item_id, False))
            row[item_id] = Cell(
                value=done,
                parts=[Part(_YES_MARK + yes if done else _NO_MARK + no, href)],
                attrs={"data-done": "true" if done else "false", "data-sort": str(int(done))},
                keys=frozenset([_fold(yes if done else no)]),
            )
        rows.append(row)
    return rows


def _reviews_columns(ctx: _Context) -> list[Column]:
    return [
        Column("title", TEXT, ctx.label("title")),
        *(Column(c.id, NUMBER, ctx.label(c.id, c.title)) for c in criteria(ctx.labels)),
        Column("average", NUMBER, ctx.label("average")),
    ]


def _reviews_rows(ctx: _Context) -> list[Row]:
    rows = []
    for design in ctx.designs():
        row = {"title": ctx.design_cell(design)}
        scores = []
        for name in REVIEW_CRITERIA:
            score = design.review.get(name)
            if isinstance(score, bool) or not isinstance(score, (int, float)):
                score = None
            row[name] = _number(score)
            if score is not None:
                scores.append(score)
        average = round(sum(scores) / len(scores), 1) if scores else None
        row["average"] = _number(average, None if average is None else f"{average:.1f}")
        rows.append(row)
    return rows


def _decision_status_cell(ctx: _Context, status_id: str, written: str) -> Cell:
    if not status_id:
        return Cell()
    status = ctx.handbook.decision_status(status_id)
    if status is not None:
        label = status_label(ctx.labels, status, "decision_statuses")
    else:
        label = written or status_id
    ids = [s.id for s in ctx.handbook.decision_statuses]
    order = ids.index(status_id) if status_id in ids else len(ids)
    return Cell(
        value=status_id,
        parts=[Part(label, cls="sysdesign-status", attrs={"data-status": status_id})],
        attrs={"data-status": status_id, "data-sort": str(order)},
        keys=frozenset([_fold(status_id), _fold(label), _fold(status.label if status else "")]),
    )


def _links(ctx: _Context, paths: Sequence[str]) -> Cell:
    titles = [ctx.handbook.page_titles.get(path) or path for path in paths]
    return Cell(
        value=titles,
        parts=[
            Part(title, ctx.link(path, None)) for title, path in zip(titles, paths, strict=True)
        ],
        keys=frozenset([*(_fold(t) for t in titles), *(_fold(p) for p in paths)]),
    )


def _decisions_rows(ctx: _Context) -> list[Row]:
    rows = []
    for decision in ctx.handbook.decisions.values():
        design = ctx.handbook.designs.get(decision.design or "")
        rows.append(
            {
                "decision": _text(
                    decision.title, href=ctx.link(decision.path, None), extra=[decision.path]
                ),
                "status": _decision_status_cell(ctx, decision.status, decision.status_text),
                "date": _date(decision.date),
                "decision-makers": _list(decision.decision_makers),
                "consulted": _list(decision.consulted),
                "informed": _list(decision.informed),
                "design": ctx.design_cell(design) if design is not None else Cell(),
                "supersedes": _links(ctx, decision.supersedes),
                "superseded-by": _links(ctx, decision.superseded_by),
                "tags": _list(decision.tags),
                "summary": _text(decision.summary),
                "path": _text(decision.path),
            }
        )
    return rows


Draw = Callable[[list[Row], _Context, "str | None"], str]
"""Renders a table that is not drawn as a table (the graph): rows, context, caption."""


@dataclass(frozen=True)
class TableSpec:
    """A table a ``sysdesign`` block can name: one entry says everything about it.

    A new table is one more entry in :data:`TABLES`: its columns (each with the kind that
    decides how it is filtered and sorted, and its label), how its rows are built from the
    handbook, which columns and order it shows by default, and which rows it leaves out
    unless the block asks for them.
    """

    name: str
    description: str
    columns_of: Columns
    rows_of: Rows
    shown: tuple[str, ...] | Callable[[list[Column]], list[str]] | None = None
    """The columns shown when the block has no ``columns``: names, a choice among the
    columns in force (one per step), or None for all of them."""
    default_sort: tuple[str, ...] = ()
    """Sort keys applied when the block has no ``sort`` (``-`` means descending)."""
    hidden: Callable[[Row], bool] | None = None
    """Rows left out unless ``where`` names one of the ``revealed_by`` columns."""
    revealed_by: frozenset[str] = frozenset()
    draw: Draw | None = None
    """Draws the rows instead of a table; such a table has no ``columns`` key."""
    filters: Mapping[str, str] | None = None
    """Filters the tables' script adds above the table in the browser: each filter
    (``status``, ``owners``, ``tags``, ``stale``) and the column whose values it reads."""

    def shown_columns(self, columns: list[Column]) -> list[str]:
        """The names of the columns shown by default, among ``columns``."""
        names = [column.name for column in columns]
        if self.shown is None:
            return names
        if callable(self.shown):
            return self.shown(columns)
        return [name for name in self.shown if name in names]

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column for the default step registry (``checklist`` and ``deep-dives``
        follow the registry in force: one column per step id or deep-dive item id)."""
        return tuple(column.name for column in self.columns_of(_default_context()))

    @property
    def default_columns(self) -> tuple[str, ...]:
        """The columns shown by default, for the default step registry."""
        if self.draw is not None:
            return ()
        return tuple(self.shown_columns(self.columns_of(_default_context())))


def _graph(rows: list[Row], ctx: _Context, title: str | None) -> str:
    designs = ctx.handbook.designs
    order = [designs[str(row["path"].value)] for row in rows]
    ids = {design.path: f"n{index}" for index, design in enumerate(order)}
    lines = ["graph LR"]
    lines += [f'    {ids[d.path]}["{mermaid_text(d.title)}"]' for d in order]
    # Decisions that replace or are replaced by others, of the designs shown (or of none):
    # rounded nodes, so that they read apart from designs.
    decisions = [
        decision
        for decision in ctx.handbook.decisions.values()
        if (decision.supersedes or decision.superseded_by)
        and (decision.design is None or decision.design in ids)
    ]
    for decision in sorted(decisions, key=lambda d: _fold(d.title)):
        ids[decision.path] = f"n{len(ids)}"
        lines.append(f'    {ids[decision.path]}(["{mermaid_text(decision.title)}"])')
    titles = {**{d.path: d.title for d in order}, **{d.path: d.title for d in decisions}}
    edges: list[dict[str, Any]] = []
    seen: set[frozenset[str]] = set()
    records: list[Design | Decision] = [*order, *decisions]
    for record in records:
        targets: list[tuple[str, str, str, bool]] = []
        for path in record.supersedes:
            if path in ids:
                partial = path in record.partial
                targets.append(("supersedes", path, "==>", partial))
        for path in record.related if isinstance(record, Design) else ():
            pair = frozenset((record.path, path))
            if path in ids and path != record.path and pair not in seen:
                seen.add(pair)
                targets.append(("related", path, "-.->", False))
        for kind, path, arrow, partial in targets:
            label = ctx.label(f"edge_{kind}_partly" if partial else f"edge_{kind}")
            lines.append(f"    {ids[record.path]} {arrow}|{mermaid_text(label)}| {ids[path]}")
            edges.append(
                {
                    "kind": kind,
                    "partial": partial,
                    "label": label,
                    "source": record.title,
                    "source_href": ctx.link(record.path, None),
                    "target": titles[path],
                    "target_href": ctx.link(path, None),
                }
            )
    return render_template(
        "graph.html",
        ctx.templates,
        mermaid="\n".join(lines),
        edges=edges,
        caption=title,
        empty=ctx.label("empty") if not order else None,
    )


TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        TableSpec(
            "steps",
            "The process overview: each step with its purpose and benefits.",
            _fixed(
                ("step", TEXT), ("id", TEXT), ("purpose", TEXT), ("benefits", TEXT), ("items", LIST)
            ),
            _steps_rows,
            shown=("step", "purpose", "benefits"),
        ),
        TableSpec(
            "designs",
            "One row per design: status, owners, dates, progress.",
            _fixed(*_DESIGN_COLUMNS),
            _designs_rows,
            shown=("title", "status", "owners", "updated", "progress"),
            default_sort=("title",),
            filters={"status": "status", "owners": "owners", "tags": "tags", "stale": "stale"},
        ),
        TableSpec(
            "checklist",
            "Designs x steps: complete / partial / missing, linked to each step's section.",
            _checklist_columns,
            _checklist_rows,
            shown=lambda columns: [c.name for c in columns if c.name == "title" or c.kind == STATE],
            default_sort=("title",),
        ),
        TableSpec(
            "glossary",
            "Glossary terms with their category and summary.",
            _fixed(
                ("term", TEXT),
                ("category", TEXT),
                ("summary", TEXT),
                ("aliases", LIST),
                ("abbr", TEXT),
                ("path", TEXT),
            ),
            _glossary_rows,
            shown=("term", "category", "summary"),
            default_sort=("category", "term"),
        ),
        TableSpec(
            "terms",
            "Which designs mention which glossary terms.",
            _fixed(("term", TEXT), ("category", TEXT), ("designs", LIST), ("count", NUMBER)),
            _terms_rows,
            shown=("term", "designs", "count"),
            default_sort=("term",),
            # Only terms some design mentions, unless the block asks about the count.
            hidden=lambda row: not row["count"].value,
            revealed_by=frozenset({"count"}),
        ),
        TableSpec(
            "entities",
            "Every entity of every design with its properties.",
            _fixed(("design", TEXT), ("entity", TEXT), ("properties", LIST), ("notes", TEXT)),
            _entities_rows,
            default_sort=("design",),
        ),
        TableSpec(
            "api",
            "Every route of every design.",
            _fixed(
                ("design", TEXT),
                ("method", TEXT),
                ("path", TEXT),
                ("parameters", LIST),
                ("returns", TEXT),
                ("auth", TEXT),
                ("protocol", TEXT),
                ("notes", TEXT),
            ),
            _api_rows,
            shown=("design", "method", "path", "parameters", "returns", "auth", "protocol"),
            default_sort=("design",),
        ),
        TableSpec(
            "deep-dives",
            "Designs x deep-dive items: which non-functional concerns were worked out.",
            _deep_dives_columns,
            _deep_dives_rows,
            default_sort=("title",),
        ),
        TableSpec(
            "reviews",
            "The review scorecards and their average.",
            _reviews_columns,
            _reviews_rows,
            default_sort=("title",),
            # Only designs with a review, unless the block asks about the scores.
            hidden=lambda row: row["average"].empty,
            revealed_by=frozenset({*REVIEW_CRITERIA, "average"}),
        ),
        TableSpec(
            "graph",
            "A Mermaid diagram of designs and their supersedes / related links "
            "(where and sort take the designs columns).",
            _fixed(*_DESIGN_COLUMNS),
            _designs_rows,
            default_sort=("title",),
            draw=_graph,
        ),
        TableSpec(
            "decisions",
            "The decision log: one row per decision record with its status, date and "
            "decision makers.",
            _fixed(
                ("decision", TEXT),
                ("status", DECISION_STATUS),
                ("date", DATE),
                ("decision-makers", LIST),
                ("consulted", LIST),
                ("informed", LIST),
                ("design", TEXT),
                ("supersedes", LIST),
                ("superseded-by", LIST),
                ("tags", LIST),
                ("summary", TEXT),
                ("path", TEXT),
            ),
            _decisions_rows,
            shown=("decision", "status", "date", "decision-makers", "design"),
            default_sort=("status", "-date", "decision"),
            filters={"status": "status", "owners": "decision-makers", "tags": "tags"},
        ),
    )
}
"""The tables a ``sysdesign`` block can name: one entry each (the docs and the JSON schema
read them too)."""


# ---------------------------------------------------------------------------
# Reading the block


class _BlockError(Exception):
    """Stops reading a block; the problems are already recorded."""


@dataclass
class TableQuery:
    """A ``sysdesign`` block read and checked (:func:`read_sysdesign_block`), ready to render."""

    table: str
    where: list[tuple[str, Callable[[Cell], bool]]] = field(default_factory=list)
    columns: list[str] | None = None
    sort: list[tuple[str, bool]] | None = None
    limit: int | None = None
    title: str | None = None
    available: list[Column] = field(default_factory=list)
    """The table's columns, with their labels."""


class _Reader:
    """Reads the block's YAML node by node, so each problem names its line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.loader: yaml.SafeLoader | None = None
        self.problems: list[Problem] = []

    def problem(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(line, message))

    def value(self, node: yaml.Node) -> Any:
        assert self.loader is not None
        return self.loader.construct_object(node, deep=True)

    def root(self) -> yaml.MappingNode:
        try:
            composed = compose_yaml(self.source)
        except YAMLLimitError as error:
            mark = error.problem_mark
            self.problems.append(
                Problem(mark.line + 1 if mark else 1, f"{error.problem}; {LIMITS}")
            )
            raise _BlockError from None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else 1
            detail = f"; the YAML does not parse: {yaml_problem(error)}" if error.problem else ""
            self.problems.append(Problem(line, _EXPECTED_MAPPING + detail))
            raise _BlockError from None
        except yaml.YAMLError:
            self.problems.append(Problem(1, _EXPECTED_MAPPING))
            raise _BlockError from None
        self.loader, node = composed.loader, composed.root
        for line, message in composed.replaced:
            self.problems.append(Problem(line + 1, message))
        for line, path in repeated_keys(node):
            self.problems.append(
                Problem(line + 1, f"{'.'.join(path)}: repeated key; expected each key once")
            )
        if not isinstance(node, yaml.MappingNode):
            self.problem(node, _EXPECTED_MAPPING)
            raise _BlockError
        return node

    def dispose(self) -> None:
        if self.loader is not None:
            self.loader.dispose()


def _unknown(kind: str, name: str, valid: Sequence[str], place: str = "", hint: str = "") -> str:
    message = f"unknown {kind} '{name}'{place}; expected one of {', '.join(valid)}{hint}"
    near = closest(name, valid)
    return message + (f"; did you mean '{near}'?" if near else "")


_COMPARISON_OPERATORS = (">=", "<=", "!=", "==", "=", ">", "<")  # longest first


def _comparison(value: str) -> tuple[str, str]:
    """The operator (``=`` when none is written) and the operand of a ``where`` value.

    Plain string operations: a pattern with a lazy operand before trailing white space
    takes time in proportion to the square of a long run of spaces.
    """
    text = value.strip()
    operator = next((op for op in _COMPARISON_OPERATORS if text.startswith(op)), "")
    return operator or "=", text[len(operator) :].lstrip()


_NUMBER_RE = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)%?$")
_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: bool(a == b),
    "==": lambda a, b: bool(a == b),
    "!=": lambda a, b: bool(a != b),
    "<": lambda a, b: bool(a < b),
    "<=": lambda a, b: bool(a <= b),
    ">": lambda a, b: bool(a > b),
    ">=": lambda a, b: bool(a >= b),
}


def _compare(op: str, wanted: Any) -> Callable[[Cell], bool]:
    compare = _OPERATORS[op]
    return lambda cell: not cell.empty and compare(cell.value, wanted)


class _FilterError(ValueError):
    """A ``where`` value that does not fit its column; the text says what was expected."""


def _predicate(column: Column, value: Any, ctx: _Context) -> Callable[[Cell], bool]:
    """Turn one ``where`` value into a test on a cell of ``column``."""
    if value is None or value == "":
        return lambda cell: cell.empty
    if isinstance(value, (Mapping, list)):
        raise _FilterError(f"expected a value or a list of values, got {kind_of(value)}")
    if column.kind == NUMBER:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return _compare("=", value)
        operator, operand = _comparison(str(value))
        if _NUMBER_RE.match(operand):
            return _compare(operator, float(operand.rstrip("%")))
        raise _FilterError(f"expected a number or a comparison such as '>=50', got {value!r}")
    if column.kind == DATE:
        if isinstance(value, _dt.datetime):
            value = value.date()
        if isinstance(value, _dt.date):
            return _compare("=", value)
        operator, operand = _comparison(str(value))
        try:
            day = _dt.date.fromisoformat(operand)
        except ValueError:
            pass
        else:
            return _compare(operator, day)
        raise _FilterError(
            f"expected a date (YYYY-MM-DD) or a comparison such as '>=2026-01-01', got {value!r}"
        )
    if column.kind == DONE:
        yes, no = ctx.label("yes"), ctx.label("no")
        if isinstance(value, bool):
            done = value
        elif _fold(str(value)) in {"yes", "true", _fold(yes)}:
            done = True
        elif _fold(str(value)) in {"no", "false", _fold(no)}:
            done = False
        else:
            raise _FilterError(f"expected yes or no, got {value!r}")
        return lambda cell: cell.value is done
    if isinstance(value, _dt.date):
        value = value.isoformat()
    wanted = _fold(str(value))
    if column.kind == STATE:
        states = {state.value: _fold(ctx.label(state.value)) for state in StepState}
        if wanted not in states and wanted not in states.values():
            raise _FilterError(f"unknown state {value!r}; expected one of {', '.join(states)}")
    if column.kind == DECISION_STATUS and ctx.handbook.decision_statuses:
        statuses = ctx.handbook.decision_statuses
        known = {_fold(s.id) for s in statuses} | {_fold(s.label) for s in statuses}
        known |= {_fold(status_label(ctx.labels, s, "decision_statuses")) for s in statuses}
        if wanted not in known:
            raise _FilterError(_unknown("decision status", str(value), [s.id for s in statuses]))
    if column.kind == STATUS and ctx.handbook.statuses:
        statuses = ctx.handbook.statuses
        known = {_fold(s.id) for s in statuses} | {_fold(s.label) for s in statuses}
        known |= {_fold(status_label(ctx.labels, s)) for s in statuses}
        if wanted not in known:
            raise _FilterError(_unknown("status", str(value), [s.id for s in statuses]))
    if column.kind in (TEXT, LIST) and _GLOB_RE.search(wanted):
        # `designs/payments/*`: a shell-style pattern over the whole text (`*` crosses
        # folders); the exact text still matches, for the rare name with `[` or `*`.
        return lambda cell: (
            wanted in cell.keys or any(fnmatch.fnmatchcase(key, wanted) for key in cell.keys)
        )
    return lambda cell: wanted in cell.keys


_GLOB_RE = re.compile(r"[*?\[]")


def _is_null(node: yaml.Node) -> bool:
    """Whether a key was left empty (``sort:``): the default applies."""
    return isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null"


def _read_names(reader: _Reader, node: yaml.Node, key: str) -> list[tuple[str, yaml.Node]]:
    """A name or a list of names (``columns``, ``sort``); a text may also be comma-separated."""
    items = node.value if isinstance(node, yaml.SequenceNode) else [node]
    names: list[tuple[str, yaml.Node]] = []
    for item in items:
        if not isinstance(item, yaml.ScalarNode) or item.tag != "tag:yaml.org,2002:str":
            reader.problem(item, f"{key}: expected a column name or a list of column names")
            continue
        names += [(part.strip(), item) for part in item.value.split(",") if part.strip()]
    return names


def _read(reader: _Reader, ctx: _Context) -> tuple[TableQuery, list[Column]] | None:
    root = reader.root()
    entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in root.value:
        key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
        if key not in BLOCK_KEYS:
            reader.problem(key_node, _unknown("key", key, BLOCK_KEYS))
            continue
        entries[key] = (key_node, value_node)

    if "table" not in entries:
        reader.problem(root, f"missing key 'table'; expected one of {', '.join(TABLES)}")
        return None
    _, table_node = entries["table"]
    table = reader.value(table_node)
    if not isinstance(table, str) or table not in TABLES:
        reader.problem(table_node, _unknown("table", str(table), list(TABLES)))
        return None
    spec = TABLES[table]
    columns = spec.columns_of(ctx)
    by_name = {column.name: column for column in columns}
    names = list(by_name)
    query = TableQuery(table)

    if "where" in entries:
        _, where_node = entries["where"]
        if isinstance(where_node, yaml.MappingNode):
            for key_node, value_node in where_node.value:
                name = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else "?"
                if name not in by_name:
                    reader.problem(key_node, _unknown("column", name, names, " in where"))
                    continue
                values = value_node.value if isinstance(value_node, yaml.SequenceNode) else None
                tests = []
                for item in values if values is not None else [value_node]:
                    try:
                        tests.append(_predicate(by_name[name], reader.value(item), ctx))
                    except _FilterError as error:
                        reader.problem(item, f"where.{name}: {error}")
                if values == []:
                    reader.problem(value_node, f"where.{name}: expected at least one value")
                query.where.append((name, _any(tests)))
        elif not _is_null(where_node):
            reader.problem(where_node, "where: expected a mapping of column to value or values")

    if "columns" in entries and not _is_null(entries["columns"][1]):
        key_node, columns_node = entries["columns"]
        if spec.draw is not None:
            reader.problem(key_node, f"columns: the {table} has no columns; use where, sort, limit")
        else:
            before = len(reader.problems)
            given = _read_names(reader, columns_node, "columns")
            chosen: list[str] = []
            for name, node in given:
                if name not in by_name:
                    reader.problem(node, _unknown("column", name, names, " in columns"))
                elif name not in chosen:
                    chosen.append(name)
            if not given and len(reader.problems) == before:
                reader.problem(columns_node, "columns: expected at least one column")
            query.columns = chosen or None

    if "sort" in entries and not _is_null(entries["sort"][1]):
        _, sort_node = entries["sort"]
        keys = []
        for name, node in _read_names(reader, sort_node, "sort"):
            descending = name.startswith("-")
            bare = name.lstrip("+-").strip()
            if bare not in by_name:
                hint = " (prefix '-' to sort descending)"
                reader.problem(node, _unknown("sort key", bare, names, hint=hint))
            else:
                keys.append((bare, descending))
        query.sort = keys

    if "limit" in entries and not _is_null(entries["limit"][1]):
        _, limit_node = entries["limit"]
        limit = reader.value(limit_node)
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            reader.problem(limit_node, f"limit: expected a positive whole number, got {limit!r}")
        else:
            query.limit = limit

    if "title" in entries:
        _, title_node = entries["title"]
        caption = reader.value(title_node)
        if isinstance(caption, (Mapping, list)):
            reader.problem(title_node, f"title: expected text, got {kind_of(caption)}")
        elif caption is not None:
            query.title = str(caption)

    return query, columns


def _any(tests: list[Callable[[Cell], bool]]) -> Callable[[Cell], bool]:
    return lambda cell: any(test(cell) for test in tests)


# ---------------------------------------------------------------------------
# Query and render


def _sort_value(cell: Cell, column: Column, ctx: _Context) -> Any:
    value = cell.value
    if column.kind == STATUS:
        return ctx.status_order(str(value))
    if column.kind == DECISION_STATUS:
        return int(cell.attrs.get("data-sort", "0"))
    if column.kind == STATE:
        return _STATE_ORDER.get(str(value), 0)
    if column.kind == DONE:
        return int(bool(value))
    if isinstance(value, list):
        return ", ".join(_fold(v) for v in value)
    if isinstance(value, str):
        return _fold(value)
    return value


def _sorted(
    rows: list[Row], keys: list[tuple[str, bool]], by_name: Mapping[str, Column], ctx: _Context
) -> list[Row]:
    # Sort by the last key first: each pass is stable, so earlier keys win. Empty cells are
    # kept after the others in both directions.
    for name, descending in reversed(keys):
        column = by_name[name]
        filled = [row for row in rows if not row[name].empty]
        empty = [row for row in rows if row[name].empty]
        filled.sort(key=lambda row: _sort_value(row[name], column, ctx), reverse=descending)
        rows = filled + empty
    return rows


def _parse_sort(keys: Iterable[str]) -> list[tuple[str, bool]]:
    return [(key.lstrip("-"), key.startswith("-")) for key in keys]


def render_sysdesign_block(
    source: str,
    handbook: Handbook,
    link: Link,
    labels: Mapping[str, str] | None = None,
    templates: Templates | None = None,
) -> tuple[str | None, list[Problem]]:
    """Render the YAML body of a ```` ```sysdesign ```` block as an HTML table (or graph).

    Returns ``(html, problems)``. ``html`` is None when the block does not parse or
    names an unknown key, table, column or sort key, or a filter value that does not
    fit its column: the caller then shows the block as written and reports the
    problems, whose lines count from the block's first content line (1). See the
    module docstring for the ``where`` and sort rules.
    """
    query, problems = read_sysdesign_block(source, handbook, labels, templates)
    if query is None:
        return None, problems
    return render_table(query, handbook, link, labels, templates), []


def read_sysdesign_block(
    source: str,
    handbook: Handbook,
    labels: Mapping[str, str] | None = None,
    templates: Templates | None = None,
) -> tuple[TableQuery | None, list[Problem]]:
    """Read and check a ```` ```sysdesign ```` block: its query, or None and the problems.

    Checking needs only what collection knows (tables, columns, statuses, steps), so a
    host can report problems while the page converts and render the table later, with
    :func:`render_table`, once every page is known.
    """
    ctx = _Context(handbook, _no_link, complete(labels), templates)
    reader = _Reader(source)
    try:
        read = _read(reader, ctx)
    except _BlockError:
        read = None
    finally:
        reader.dispose()
    problems = sorted(reader.problems, key=lambda problem: problem.line)
    if read is None or problems:
        return None, problems
    query, columns = read
    query.available = columns
    return query, []


def _no_link(path: str, anchor: str | None) -> str:
    return ""


def render_table(
    query: TableQuery,
    handbook: Handbook,
    link: Link,
    labels: Mapping[str, str] | None = None,
    templates: Templates | None = None,
) -> str:
    """The HTML of a checked query over ``handbook``, links made by ``link``."""
    ctx = _Context(handbook, link, complete(labels), templates)
    columns = query.available
    spec = TABLES[query.table]
    rows = spec.rows_of(ctx)
    by_name = {column.name: column for column in columns}

    hidden = spec.hidden
    if hidden is not None and not spec.revealed_by & {name for name, _ in query.where}:
        rows = [row for row in rows if not hidden(row)]
    rows = [row for row in rows if all(test(row[name]) for name, test in query.where)]

    sort = query.sort if query.sort is not None else _parse_sort(spec.default_sort)
    rows = _sorted(rows, sort, by_name, ctx)
    if query.limit is not None:
        rows = rows[: query.limit]

    if spec.draw is not None:
        return spec.draw(rows, ctx, query.title)

    names = query.columns or spec.shown_columns(columns)
    first = sort[0] if sort else None
    headers = [
        {
            "name": name,
            "label": by_name[name].label,
            "sort": None
            if first is None or first[0] != name
            else ("descending" if first[1] else "ascending"),
        }
        for name in names
    ]
    html = render_template(
        "table.html",
        ctx.templates,
        name=query.table,
        caption=query.title,
        headers=headers,
        rows=[[row[name] for name in names] for row in rows],
        row_attrs=[_filter_attrs(row, spec.filters) for row in rows] if spec.filters else None,
        attrs=_filters_description(ctx, spec, spec.filters) if spec.filters else {},
        empty=ctx.label("empty"),
    )
    return html


def _filter_attrs(row: Row, filters: Mapping[str, str]) -> dict[str, str]:
    """What the browser's filters read on a row (``data-*`` of the ``<tr>``), whichever
    columns the block shows."""
    attrs: dict[str, str] = {}
    for name, column in filters.items():
        value = row[column].value
        if name == "stale":
            attrs["data-stale"] = "true" if value else "false"
        elif isinstance(value, list):
            attrs[f"data-{name}"] = json.dumps(value, ensure_ascii=False)
        else:
            attrs[f"data-{name}"] = str(value or "")
    return attrs


def _filters_description(
    ctx: _Context, spec: TableSpec, filters: Mapping[str, str]
) -> dict[str, str]:
    """The ``data-filters`` of the table's wrapper: each filter's label, and the statuses
    of the table's status column in their configured order with their labels."""
    columns = {column.name: column for column in spec.columns_of(ctx)}
    decision = columns["status"].kind == DECISION_STATUS
    statuses = ctx.handbook.decision_statuses if decision else ctx.handbook.statuses
    group = "decision_statuses" if decision else "statuses"
    labels = {name: columns[column].label for name, column in filters.items()}
    labels["stale"] = ctx.label("filter_stale")
    description = {
        "labels": {
            **labels,
            **{key: ctx.label(f"filter_{key}") for key in ("text", "all", "count")},
            "filter": ctx.label("filter"),
        },
        "statuses": [[status.id, status_label(ctx.labels, status, group)] for status in statuses],
    }
    return {"data-filters": json.dumps(description, ensure_ascii=False)}


__all__ = [
    "REVIEW_CRITERIA",
    "TABLES",
    "Link",
    "TableQuery",
    "TableSpec",
    "mermaid_text",
    "read_sysdesign_block",
    "render_sysdesign_block",
    "render_table",
]
