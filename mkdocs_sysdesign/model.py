"""Plain data of the handbook: steps, designs, terms, entities, routes and findings.

Nothing here imports MkDocs or touches the file system: every other module builds
or reads these objects, so the model is the one vocabulary they share.
"""

from __future__ import annotations

import datetime as _dt
import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

REVIEW_CRITERIA = (
    "problem-solving",
    "solution-design",
    "technical-excellence",
    "communication",
    "steering",
)
"""The five evaluation criteria of ``design.review``, in scorecard order."""


def kind_of(value: Any) -> str:
    """Name the YAML kind of a value for messages ("a mapping", "the number 42" ...)."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, str):
        return "text"
    if isinstance(value, int | float):
        return f"the number {value}"
    if value is None:
        return "nothing"
    return type(value).__name__


def closest(word: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to a misspelt word, if one is near enough to suggest."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return close[0] if close else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of the choices, or nothing."""
    near = closest(word, choices)
    return f" (did you mean '{near}'?)" if near else ""


@dataclass(frozen=True, slots=True)
class ChecklistItem:
    """One thing a step asks for, such as "non-functional requirements"."""

    id: str
    title: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    """One of the design process steps, with its checklist items and heading aliases."""

    id: str
    title: str
    purpose: str
    benefits: str
    items: tuple[ChecklistItem, ...]
    aliases: tuple[str, ...] = ()
    endings: tuple[str, ...] = ()
    """Last words that make a short heading name this step ("Task Retrieval API")."""

    def item(self, item_id: str) -> ChecklistItem | None:
        """Return the checklist item with this id, or None."""
        for item in self.items:
            if item.id == item_id:
                return item
        return None


class StepState(str, Enum):
    """How far a design got with one step."""

    COMPLETE = "complete"
    PARTIAL = "partial"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Status:
    """A design status such as ``approved``, with its label and badge colour."""

    id: str
    label: str
    colour: str


_SHOWN_AS = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_INVISIBLE = {
    code: _SHOWN_AS.get(chr(code), f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in [
        *range(0x20),
        *range(0x7F, 0xA0),  # DEL and the C1 controls (NEL ends a line for some readers)
        0x2028,  # line and paragraph separators
        0x2029,
        0x061C,  # bidirectional controls, which reorder what a terminal shows
        0x200E,
        0x200F,
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ]
}


def visible(text: str) -> str:
    """Text on one line, with control characters written as escapes (``\\n``, ``\\x1b``).

    Messages quote what authors wrote (keys, ids, file names): a line break in it would
    start a new line of the log, which CI runners read as a command (``::error::``), and a
    terminal escape would rewrite the terminal.
    """
    return text.translate(_INVISIBLE)


@dataclass(slots=True)
class Finding:
    """A problem found in a source file, reported as ``file:line: message``.

    The file and the message are kept :func:`visible`: every output (the build log, the
    text, GitHub and JSON reports) shows a finding on one line, as written.
    """

    file: str
    line: int | None
    message: str
    level: str = "warning"

    def __post_init__(self) -> None:
        self.file = visible(self.file)
        self.message = visible(self.message)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"


@dataclass(slots=True)
class Problem:
    """Something wrong inside a block, with its line counted from the block's first content line."""

    line: int
    message: str


@dataclass(slots=True)
class Section:
    """A heading of a design page that maps to a step, or holds evidence of one."""

    step_id: str
    heading: str
    line: int
    index: int
    """Position of the heading among all the page's headings (0-based)."""
    anchor: str = ""
    """The heading's ``id`` (what the table of contents links to): as the ``toc`` settings
    make it when collecting, as the page really got it in the finished handbook."""


@dataclass(slots=True)
class Evidence:
    """Why a step counts as present: a heading that names it, or something a section holds."""

    kind: str
    """``heading``, ``attribute`` (``data-step`` on a heading), or the kind of structure:
    ``dataflow-block``, ``sequence-diagram``, ``entity-block``, ``sql-table``,
    ``protobuf-message``, ``record-type``, ``json-schema``, ``json-document``,
    ``er-diagram``, ``class-diagram``, ``schema-table``, ``api-block``, ``openapi``,
    ``protobuf-service``, ``interface-type``, ``route-table``, ``route-list``,
    ``http-request``, ``route-label``, ``resource-manifest``, ``api-type``."""
    line: int
    """Line in the Markdown body."""
    text: str
    """The heading as written, or a short description of the structure."""
    section: Section | None = None
    """The heading that holds the evidence (None before the first heading)."""


class ItemsDone(Mapping[str, bool]):
    """Checklist item id to done, read-only: step results with the same items done share
    one (``steps._shared_items``), so no change can leak from one design into another."""

    __slots__ = ("_done",)

    def __init__(self, done: Mapping[str, bool]) -> None:
        self._done = dict(done)

    def __getitem__(self, item_id: str) -> bool:
        return self._done[item_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._done)

    def __len__(self) -> int:
        return len(self._done)

    def __repr__(self) -> str:
        return repr(self._done)

    def __reduce__(self) -> tuple[type[ItemsDone], tuple[dict[str, bool]]]:
        return (ItemsDone, (self._done,))


@dataclass(slots=True)
class StepResult:
    """The state of one step in one design."""

    step_id: str
    state: StepState
    items: Mapping[str, bool]
    """Checklist item id to done. Read-only: results with the same items done share one
    mapping."""
    sections: list[Section] = field(default_factory=list)
    """Headings that map to the step, in page order."""
    evidence: list[Evidence] = field(default_factory=list)
    """What makes the step present, in page order; empty when it is missing."""
    note: str = ""
    """Why a step whose heading is there still counts as missing (``empty``)."""
    note_line: int = 0
    """Body line of the heading the note is about."""

    @property
    def anchor_section(self) -> Section | None:
        """The heading of the step's first evidence: the checklist links to it."""
        for evidence in self.evidence:
            if evidence.section is not None:
                return evidence.section
        return self.sections[0] if self.sections else None


@dataclass(slots=True)
class Property:
    """A property of an entity."""

    name: str
    type: str = ""
    notes: str = ""
    key: bool = False
    required: bool = False


@dataclass(slots=True)
class Entity:
    """A data model declared in an ``entity`` block."""

    name: str
    properties: list[Property] = field(default_factory=list)
    notes: str = ""
    line: int | None = None


@dataclass(slots=True)
class Parameter:
    """A parameter of an API route."""

    name: str
    type: str = ""
    notes: str = ""


@dataclass(slots=True)
class Route:
    """An API route declared in an ``api`` block."""

    method: str
    path: str
    parameters: list[Parameter] = field(default_factory=list)
    returns: str = ""
    auth: str = ""
    notes: str = ""
    protocol: str = ""
    line: int | None = None


@dataclass(slots=True)
class FlowStep:
    """One arrow of a ``dataflow`` block."""

    source: str
    arrow: str
    target: str
    label: str = ""
    line: int | None = None


@dataclass(slots=True)
class Design:
    """A design page: its front matter, steps, blocks and mentions."""

    path: str
    """Source path relative to the docs folder, with forward slashes."""
    title: str
    status: str = "draft"
    owners: list[str] = field(default_factory=list)
    reviewers: list[str] = field(default_factory=list)
    created: _dt.date | None = None
    updated: _dt.date | None = None
    summary: str = ""
    tags: list[str] = field(default_factory=list)
    supersedes: list[str] = field(default_factory=list)
    """Source paths of the designs this one replaces (written, or added from the other
    side's ``superseded-by``)."""
    superseded_by: list[str] = field(default_factory=list)
    """Source paths of the designs that replace this one (written, or added from the other
    side's ``supersedes``)."""
    partial: dict[str, str] = field(default_factory=dict)
    """Designs of ``supersedes`` or ``superseded_by`` where only part of the older design is
    replaced, with that part ("" when not named)."""
    related: list[str] = field(default_factory=list)
    review: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    steps: dict[str, StepResult] = field(default_factory=dict)
    entities: list[Entity] = field(default_factory=list)
    routes: list[Route] = field(default_factory=list)
    terms: tuple[str, ...] = ()
    """Ids of the terms the page mentions, sorted: known once every page is converted, so
    empty in the collected handbook and filled in the finished one (``finish.finish``)."""
    url: str = ""
    """Site URL of the page, relative to the site root (filled by the plugin)."""
    line_offset: int = 0
    """Lines of front matter before the body: body lines plus this are file lines."""
    decisions: list[str] = field(default_factory=list)
    """Source paths of the decision records that name this design (``design:``), sorted."""
    stale_days: int | None = None
    """Days since the design was updated, when a staleness rule finds that too long."""
    from_git: tuple[str, ...] = ()
    """Fields the page does not write, taken from the repository's history
    (``created``, ``updated``, ``owners``)."""

    @property
    def progress(self) -> int:
        """Checklist items done as a whole percentage of all items of all steps."""
        total = sum(len(result.items) for result in self.steps.values())
        if not total:
            return 0
        done = sum(sum(result.items.values()) for result in self.steps.values())
        return round(100 * done / total)


@dataclass(slots=True)
class Decision:
    """A decision record (ADR): MADR front matter or a Nygard-style page, as written."""

    path: str
    """Source path relative to the docs folder, with forward slashes."""
    title: str
    status: str = ""
    """Status id (``accepted``); empty when the record states none."""
    status_text: str = ""
    """The status as written (``Superseded by ADR-0012``)."""
    date: _dt.date | None = None
    decision_makers: list[str] = field(default_factory=list)
    consulted: list[str] = field(default_factory=list)
    informed: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    design: str | None = None
    """Source path of the design the decision belongs to."""
    supersedes: list[str] = field(default_factory=list)
    """Source paths of the decisions this one replaces."""
    superseded_by: list[str] = field(default_factory=list)
    """Source paths of the decisions that replace this one (written, or added from the
    other side's ``supersedes``)."""
    partial: dict[str, str] = field(default_factory=dict)
    """Decisions of ``supersedes`` or ``superseded_by`` where only part of the older record
    is replaced, with that part ("" when not named)."""
    summary: str = ""
    from_git: tuple[str, ...] = ()
    """Fields the record does not write, taken from the repository's history (``date``)."""


@dataclass(slots=True)
class Term:
    """A glossary term."""

    id: str
    """The term page's file stem: ``data-term`` in the HTML."""
    term: str
    path: str
    """Source path relative to the docs folder."""
    aliases: list[str] = field(default_factory=list)
    abbr: str = ""
    category: str = ""
    summary: str = ""
    see_also: list[str] = field(default_factory=list)
    builtin: bool = False
    referenced_by: list[str] = field(default_factory=list)
    """Source paths of the pages that mention the term: empty in the collected handbook,
    filled in the finished one (``finish.finish``)."""


@dataclass(slots=True)
class Handbook:
    """Everything collected before pages render: the whole model of the site.

    Collection builds it; after that nothing changes it. What only converting the pages
    tells (mentions, heading ids) goes into a new handbook made from it in the finishing
    step (``finish.finish``), which shares everything else."""

    registry: Any
    """The :class:`~mkdocs_sysdesign.steps.StepRegistry` in force."""
    statuses: list[Status] = field(default_factory=list)
    designs: dict[str, Design] = field(default_factory=dict)
    """Designs by source path."""
    terms: dict[str, Term] = field(default_factory=dict)
    """Glossary terms by id."""
    decisions: dict[str, Decision] = field(default_factory=dict)
    """Decision records by source path."""
    decision_statuses: list[Status] = field(default_factory=list)
    """The decision lifecycle in force."""
    page_titles: dict[str, str] = field(default_factory=dict)
    """Titles of all pages by source path (for links in tables and backlinks)."""

    def status(self, status_id: str) -> Status | None:
        """The configured status with this id, or None."""
        for status in self.statuses:
            if status.id == status_id:
                return status
        return None

    def decision_status(self, status_id: str) -> Status | None:
        """The configured decision status with this id, or None."""
        for status in self.decision_statuses:
            if status.id == status_id:
                return status
        return None
