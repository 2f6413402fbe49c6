"""The step registry: the six design steps as data, and the rules that match headings to them.

``DEFAULT_STEPS`` is the single place that defines ids, titles, purpose, benefits,
checklist items and heading aliases. ``StepRegistry.from_config`` applies the
overrides a project writes in ``mkdocs.yml``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from sys import intern
from typing import Any

from .model import ChecklistItem, Problem, Section, Step, StepResult, StepState, kind_of
from .source import Fence, Heading, SourcePage

DEFAULT_STEPS: list[dict[str, Any]] = [
    {
        "id": "requirements",
        "title": "Requirements",
        "purpose": "Define what the system must do",
        "benefits": "Aligns team, prevents scope creep",
        "aliases": [
            "requirements",
            "requirement",
            "functional and non-functional requirements",
            "requirements and scope",
            "requirements and constraints",
            "requirements and goals",
            "outline use cases and constraints",
            "use cases and constraints",
            "use cases",
            "scope",
            "scope the problem",
            "problem statement",
            "goals",
            "goals and non-goals",
            "clarify requirements",
            "gather requirements",
            "understand the problem",
            "understand the problem and establish design scope",
        ],
        "items": [
            {
                "id": "functional",
                "title": "Functional requirements",
                "aliases": [
                    "functional requirements",
                    "functional",
                    "use cases",
                    "features",
                    "user stories",
                    "behaviour",
                    "behavior",
                ],
            },
            {
                "id": "non-functional",
                "title": "Non-functional requirements",
                "aliases": [
                    "non-functional requirements",
                    "non-functional",
                    "nonfunctional requirements",
                    "nonfunctional",
                    "nfrs",
                    "quality attributes",
                    "qualities",
                    "constraints",
                    "constraints and assumptions",
                    "assumptions",
                    "state assumptions",
                ],
            },
            {
                "id": "out-of-scope",
                "title": "Out of scope",
                "aliases": ["out of scope", "non-goals", "non goals", "not in scope"],
            },
        ],
    },
    {
        "id": "core-entities",
        "title": "Core Entities",
        "purpose": "Identify main data models/resources",
        "benefits": "Clarifies storage needs, supports scalability",
        "aliases": [
            "core entities",
            "entities",
            "core entity",
            "data model",
            "data models",
            "core data model",
            "domain model",
            "schema",
            "database schema",
            "data schema",
            "resources",
        ],
        "items": [
            {
                "id": "models",
                "title": "Models",
                "aliases": ["models", "entities", "data model", "data models", "schema", "tables"],
            },
            {
                "id": "properties",
                "title": "Properties and data types",
                "aliases": [
                    "properties and data types",
                    "properties",
                    "data types",
                    "fields",
                    "attributes",
                    "columns",
                ],
            },
            {
                "id": "trade-offs",
                "title": "Trade-offs",
                "aliases": [
                    "trade-offs",
                    "tradeoffs",
                    "trade offs",
                    "design choices",
                    "alternatives",
                    "alternatives considered",
                ],
            },
        ],
    },
    {
        "id": "api",
        "title": "API or Interface",
        "purpose": "Specify how components communicate",
        "benefits": "Enables integration, ensures clarity",
        "aliases": [
            "api",
            "apis",
            "api or interface",
            "api design",
            "interface",
            "interfaces",
            "system interface",
            "define the api",
            "api endpoints",
            "endpoints",
        ],
        "items": [
            {"id": "protocol", "title": "Protocol", "aliases": ["protocol", "transport"]},
            {
                "id": "routes",
                "title": "Routes",
                "aliases": ["routes", "endpoints", "methods", "operations"],
            },
            {
                "id": "parameters",
                "title": "Parameters",
                "aliases": ["parameters", "params", "request", "inputs", "arguments"],
            },
            {
                "id": "returns",
                "title": "Returns",
                "aliases": ["returns", "responses", "response", "outputs", "return values"],
            },
        ],
    },
    {
        "id": "data-flow",
        "title": "Data Flow",
        "purpose": "Map how data moves through the system",
        "benefits": "Reveals bottlenecks, supports reliability",
        "aliases": [
            "data flow",
            "dataflow",
            "data flows",
            "flow",
            "request flow",
            "sequence",
            "design core components",
        ],
        "items": [
            {
                "id": "flow",
                "title": "End-to-end flow",
                "aliases": [
                    "end-to-end flow",
                    "end to end flow",
                    "flow",
                    "steps",
                    "sequence",
                    "diagram",
                    "data flow diagram",
                ],
            },
        ],
    },
    {
        "id": "high-level-design",
        "title": "High-Level Design",
        "purpose": "Outline architecture and major components",
        "benefits": "Guides implementation, reduces ambiguity",
        "aliases": [
            "high-level design",
            "high level design",
            "create a high level design",
            "create a high-level design",
            "architecture",
            "system architecture",
            "architecture overview",
            "design overview",
            "hld",
        ],
        "items": [
            {
                "id": "architecture",
                "title": "Architecture style",
                "aliases": ["architecture style", "architecture", "architectural style", "style"],
            },
            {
                "id": "components",
                "title": "Components and responsibilities",
                "aliases": [
                    "components and responsibilities",
                    "components",
                    "services",
                    "modules",
                ],
            },
            {
                "id": "storage",
                "title": "Data storage",
                "aliases": ["data storage", "storage", "database", "databases", "persistence"],
            },
            {
                "id": "communication",
                "title": "Communication patterns",
                "aliases": [
                    "communication patterns",
                    "communication",
                    "communications",
                    "messaging",
                    "integration points",
                ],
            },
        ],
    },
    {
        "id": "deep-dives",
        "title": "Deep Dives",
        "purpose": "Address non-functional requirements in detail",
        "benefits": "Ensures performance, reliability, scalability",
        "aliases": [
            "deep dives",
            "deep dive",
            "deep-dives",
            "design deep dive",
            "scale the design",
            "scaling",
            "additional talking points",
            "bottlenecks",
            "wrap up",
        ],
        "items": [
            {"id": "scalability", "title": "Scalability", "aliases": ["scalability", "scaling"]},
            {"id": "consistency", "title": "Consistency", "aliases": ["consistency"]},
            {
                "id": "latency",
                "title": "Latency",
                "aliases": ["latency", "latency numbers", "performance"],
            },
            {
                "id": "fault-tolerance",
                "title": "Fault tolerance",
                "aliases": [
                    "fault tolerance",
                    "fault-tolerance",
                    "reliability",
                    "availability",
                    "resilience",
                    "failure handling",
                ],
            },
            {"id": "security", "title": "Security", "aliases": ["security"]},
        ],
    },
]

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NUMBERING_RE = re.compile(
    r"""^(?:
        (?:step|part|phase|stage)\s*\d+[a-z]?\s*[:.)\-–—]?\s*   # "Step 2:", "Part 3 -"
      | \d+(?:\.\d+)*[.)]?\s*[:\-–—]?\s+                       # "1.", "2)", "3.1 "
      | [ivx]+[.)]\s+                                          # "iv. "
    )""",
    re.IGNORECASE | re.VERBOSE,
)
_EMPHASIS = re.compile(r"(?<!\w)_+|_+(?!\w)")
_EDGE_PUNCT = " \t\u00a0.:;,!?-–—*_`'\"()[]{}#"


def normalise(text: str) -> str:
    """Reduce a heading or alias to the form aliases are compared in.

    Case, leading numbering ("1.", "Step 2:"), emphasis markers, surrounding
    punctuation and runs of white space do not matter.
    """
    # Each pass can expose more to remove ("**1.** x" loses its stars, then "1."), so
    # repeat until nothing changes: the result is a fixed point.
    previous = None
    while previous != text:
        previous = text
        text = unicodedata.normalize("NFKC", text).casefold()
        text = _EMPHASIS.sub("", text.replace("*", "").replace("`", ""))
        text = " ".join(text.split()).strip(_EDGE_PUNCT)
        text = _NUMBERING_RE.sub("", text, count=1).strip(_EDGE_PUNCT)
    return text


class RegistryError(ValueError):
    """A step override in the configuration that cannot be applied."""


@dataclass(frozen=True)
class StepRegistry:
    """The ordered steps of the design process, with alias look-ups."""

    steps: tuple[Step, ...]

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    def __len__(self) -> int:
        return len(self.steps)

    def get(self, step_id: str) -> Step | None:
        """Return the step with this id, or None."""
        for step in self.steps:
            if step.id == step_id:
                return step
        return None

    @property
    def ids(self) -> list[str]:
        """Step ids in process order."""
        return [step.id for step in self.steps]

    def match_heading(self, heading: str) -> Step | None:
        """Return the step whose title or aliases match an H2 heading."""
        key = normalise(heading)
        if not key:
            return None
        for step in self.steps:
            if key == normalise(step.title) or key in _normalised(step.aliases):
                return step
        return None

    @staticmethod
    def match_item(step: Step, heading: str) -> ChecklistItem | None:
        """Return the item of ``step`` whose title or aliases match a sub-heading or task text."""
        key = normalise(heading)
        if not key:
            return None
        for item in step.items:
            if key == normalise(item.title) or key in _normalised(item.aliases):
                return item
        return None

    @classmethod
    def default(cls) -> StepRegistry:
        """The registry exactly as the process defines it."""
        return cls.from_config({})

    @classmethod
    def from_config(cls, overrides: Mapping[str, Any]) -> StepRegistry:
        """Build the registry from the defaults and a ``steps:`` mapping from ``mkdocs.yml``.

        Each key is a step id. For a known step, ``title``, ``purpose`` and ``benefits``
        replace the defaults, ``aliases`` are added, and ``items`` either extend an
        existing item's aliases (same id) or add new items. An unknown id adds a step
        at the end (or where ``after:`` says); it then needs a ``title``.
        """
        if not isinstance(overrides, Mapping):
            raise RegistryError(
                f"steps: expected a mapping of step id to settings, got {kind_of(overrides)}"
            )
        data = [_copy_step(raw) for raw in DEFAULT_STEPS]
        by_id = {raw["id"]: raw for raw in data}
        for step_id, settings in overrides.items():
            where = f"steps.{step_id}"
            if not isinstance(step_id, str) or not _ID_RE.match(step_id):
                raise RegistryError(f"{where}: step ids are lowercase letters, digits, '-' and '_'")
            if settings is None:
                settings = {}
            if not isinstance(settings, Mapping):
                raise RegistryError(f"{where}: expected a mapping, got {kind_of(settings)}")
            unknown = set(settings) - {"title", "purpose", "benefits", "aliases", "items", "after"}
            if unknown:
                raise RegistryError(
                    f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                    "expected title, purpose, benefits, aliases, items, after"
                )
            raw = by_id.get(step_id)
            if raw is None:
                if "title" not in settings:
                    raise RegistryError(f"{where}: a new step needs a title")
                raw = {
                    "id": step_id,
                    "title": "",
                    "purpose": "",
                    "benefits": "",
                    "aliases": [],
                    "items": [],
                }
                after = settings.get("after")
                if after is None:
                    data.append(raw)
                elif after in by_id:
                    data.insert(data.index(by_id[after]) + 1, raw)
                else:
                    raise RegistryError(
                        f"{where}.after: unknown step '{after}'; expected one of "
                        + ", ".join(by_id)
                    )
                by_id[step_id] = raw
            elif "after" in settings:
                raise RegistryError(f"{where}.after: only new steps can be placed")
            for key in ("title", "purpose", "benefits"):
                if key in settings:
                    if not isinstance(settings[key], str) or not settings[key].strip():
                        raise RegistryError(f"{where}.{key}: expected non-empty text")
                    raw[key] = settings[key]
            raw["aliases"].extend(_strings(settings.get("aliases", []), f"{where}.aliases"))
            _merge_items(raw, settings.get("items", []), f"{where}.items")
        return cls(tuple(_build_step(raw) for raw in data))


def _merge_items(raw: dict[str, Any], items: Any, where: str) -> None:
    if not isinstance(items, list):
        raise RegistryError(f"{where}: expected a list of items, got {kind_of(items)}")
    existing = {item["id"]: item for item in raw["items"]}
    for index, item in enumerate(items):
        here = f"{where}[{index}]"
        if isinstance(item, str):
            item = {"id": _slug(item), "title": item}
        if not isinstance(item, Mapping):
            raise RegistryError(f"{here}: expected a mapping with id, title and aliases")
        unknown = set(item) - {"id", "title", "aliases"}
        if unknown:
            raise RegistryError(
                f"{here}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                "expected id, title, aliases"
            )
        item_id = item.get("id") or _slug(str(item.get("title", "")))
        if not isinstance(item_id, str) or not _ID_RE.match(item_id):
            raise RegistryError(f"{here}.id: expected an id such as 'capacity-estimates'")
        target = existing.get(item_id)
        if target is None:
            if not item.get("title"):
                raise RegistryError(f"{here}: a new item needs a title")
            target = {"id": item_id, "title": "", "aliases": []}
            raw["items"].append(target)
            existing[item_id] = target
        if "title" in item:
            if not isinstance(item["title"], str) or not item["title"].strip():
                raise RegistryError(f"{here}.title: expected non-empty text")
            target["title"] = item["title"]
        target["aliases"].extend(_strings(item.get("aliases", []), f"{here}.aliases"))


def _build_step(raw: dict[str, Any]) -> Step:
    return Step(
        id=raw["id"],
        title=raw["title"],
        purpose=raw["purpose"],
        benefits=raw["benefits"],
        aliases=tuple(raw["aliases"]),
        items=tuple(
            ChecklistItem(id=item["id"], title=item["title"], aliases=tuple(item["aliases"]))
            for item in raw["items"]
        ),
    )


def _copy_step(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        **raw,
        "aliases": list(raw["aliases"]),
        "items": [{**item, "aliases": list(item["aliases"])} for item in raw["items"]],
    }


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RegistryError(f"{where}: expected a list of text aliases")
    return list(value)


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold()))


_NORMALISED_CACHE: dict[tuple[str, ...], frozenset[str]] = {}


def _normalised(aliases: tuple[str, ...]) -> frozenset[str]:
    cached = _NORMALISED_CACHE.get(aliases)
    if cached is None:
        cached = frozenset(normalise(alias) for alias in aliases)
        _NORMALISED_CACHE[aliases] = cached
    return cached


BlockItems = Callable[[Fence], set[str]]
"""Which checklist item ids a fenced block (``entity``, ``api``, ``dataflow``) provides."""

_TASK_SPLIT = re.compile(r"\s*(?::|\s[-–—]\s|\(|$)")


def _task_matches(registry: StepRegistry, step: Step, text: str) -> ChecklistItem | None:
    """Match a task item's text; text after a colon or dash is the author's note."""
    item = registry.match_item(step, text)
    if item is None:
        head = _TASK_SPLIT.split(text, maxsplit=1)[0]
        if head != text:
            item = registry.match_item(step, head)
    return item


def detect_steps(
    page: SourcePage,
    registry: StepRegistry,
    block_items: BlockItems | None = None,
) -> tuple[dict[str, StepResult], list[Problem]]:
    """Find each step's sections and checklist items in a design page.

    Steps come from H2 headings (aliases, or ``data-step`` on the heading). An item is
    done by exactly these signals within the step's sections: a checked task item that
    names it, a non-empty sub-heading that names it, or a block that provides it (and
    for Data Flow, an ordered list). An unchecked task item naming it means not done,
    whatever else is there. Problems carry body lines.
    """
    problems: list[Problem] = []
    results = {
        step.id: StepResult(step.id, StepState.MISSING, {item.id: False for item in step.items})
        for step in registry
    }
    explicit_no: dict[str, set[str]] = {step.id: set() for step in registry}
    last_line = len(page.lines)
    h2s = [h for h in page.headings if h.level == 2]
    for index, heading in enumerate(h2s):
        step = _step_of(heading, registry, problems)
        if step is None:
            continue
        end = _next_heading_line(page, heading, max_level=2, default=last_line + 1) - 1
        result = results[step.id]
        # Designs repeat the same step headings: one string each, not one per design.
        plain, anchor = intern(heading.plain), intern(heading.anchor)
        section = Section(step.id, plain, heading.line, index, anchor)
        result.sections.append(section)
        done = result.items
        for sub in page.headings:
            if heading.line < sub.line <= end and sub.level > 2:
                item = registry.match_item(step, sub.plain)
                sub_end = _next_heading_line(page, sub, max_level=sub.level, default=end + 1) - 1
                if item is not None and page.has_content(sub.line + 1, min(sub_end, end)):
                    done[item.id] = True
        for task in page.tasks:
            if heading.line < task.line <= end:
                item = _task_matches(registry, step, task.text)
                if item is None:
                    continue
                if task.checked:
                    done[item.id] = True
                else:
                    explicit_no[step.id].add(item.id)
        if block_items is not None:
            for fence in page.fences_between(heading.line + 1, end):
                for item_id in block_items(fence):
                    if item_id in done:
                        done[item_id] = True
        if "flow" in done and any(heading.line < n <= end for n in page.ordered_items):
            done["flow"] = True
    for step in registry:
        result = results[step.id]
        for item_id in explicit_no[step.id]:
            result.items[item_id] = False
        if not result.sections:
            result.state = StepState.MISSING
        elif all(result.items.values()):
            result.state = StepState.COMPLETE
        else:
            result.state = StepState.PARTIAL
        result.items = _shared_items(result.items)
    return results, problems


_SHARED_ITEMS: dict[tuple[tuple[str, bool], ...], dict[str, bool]] = {}


def _shared_items(items: dict[str, bool]) -> dict[str, bool]:
    """One dict for every step result with the same items done.

    Most designs of a handbook end a step with the same items done; a thousand designs
    then hold six dicts between them instead of six thousand.
    """
    key = tuple(items.items())
    shared = _SHARED_ITEMS.get(key)
    if shared is None:
        if len(_SHARED_ITEMS) >= 4096:  # an unusual registry: stop sharing, keep memory flat
            return items
        shared = _SHARED_ITEMS[key] = items
    return shared


def _step_of(heading: Heading, registry: StepRegistry, problems: list[Problem]) -> Step | None:
    forced = heading.attrs.get("data-step")
    if forced is None:
        return registry.match_heading(heading.plain)
    step = registry.get(forced.strip())
    if step is None:
        problems.append(
            Problem(
                heading.line,
                f"data-step '{forced}' is not a step; expected one of {', '.join(registry.ids)}",
            )
        )
    return step


def _next_heading_line(page: SourcePage, heading: Heading, max_level: int, default: int) -> int:
    for other in page.headings:
        if other.line > heading.line and other.level <= max_level:
            return other.line
    return default
