"""The step registry: the six design steps as data, and the rules that match headings to them.

``DEFAULT_STEPS`` is the single place that defines ids, titles, purpose, benefits,
checklist items and heading aliases. ``StepRegistry.from_config`` applies the
overrides a project writes in ``mkdocs.yml``.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from sys import intern
from typing import Any, TypeVar

from .model import (
    ChecklistItem,
    Evidence,
    ItemsDone,
    Problem,
    Section,
    Step,
    StepResult,
    StepState,
    did_you_mean,
    kind_of,
)
from .source import COMMENT as _COMMENT
from .source import ROUTE_LINE, Fence, Heading, SourcePage

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
            "requirements and goals of the system",
            "requirements clarification",
            "requirement clarification",
            "requirements clarifications",
            "clarifying requirements",
            "clarify the requirements",
            "requirements gathering",
            "outline use cases and constraints",
            "outline use cases, constraints and assumptions",
            "use cases, constraints and assumptions",
            "use cases and constraints",
            "use cases",
            "scope",
            "scope the problem",
            "design scope",
            "establish design scope",
            "understand the problem and establish a design scope",
            "problem statement",
            "context and problem statement",
            "problem definition",
            "decision drivers",
            "goals",
            "goals and non-goals",
            "scope and non-goals",
            "project goals",
            "design goals",
            "objectives",
            "introduction and goals",
            "requirements overview",
            "clarify requirements",
            "gather requirements",
            "understand the problem",
            "understand the problem and establish design scope",
            "functional requirements",
            "non-functional requirements",
            "nonfunctional requirements",
            "non functional requirements",
            "out of scope",
            "non-goals",
            "non goals",
            "nongoals",
            "project non-goals",
            "user stories",
            "quality requirements",
            "quality goals",
            "capacity estimation",
            "capacity estimation and constraints",
            "capacity estimates",
            "back-of-the-envelope estimation",
            "back of the envelope estimation",
            "back-of-the-envelope calculations",
            "architecture constraints",
            "features",
        ],
        "endings": [],
        "items": [
            {
                "id": "functional",
                "title": "Functional requirements",
                "aliases": [
                    "functional requirements",
                    "functional",
                    "use cases",
                    "use case",
                    "features",
                    "core features",
                    "key features",
                    "user stories",
                    "user story",
                    "stories",
                    "behaviour",
                    "behavior",
                    "goals",
                    "project goals",
                    "design goals",
                    "requirements overview",
                    "core requirements",
                    "extended requirements",
                    "in scope",
                    "user requirements",
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
                    "non functional requirements",
                    "nfr",
                    "nfrs",
                    "quality attributes",
                    "qualities",
                    "quality goals",
                    "quality requirements",
                    "quality scenarios",
                    "constraints",
                    "constraints and assumptions",
                    "assumptions",
                    "state assumptions",
                    "architecture constraints",
                    "slas",
                    "slos",
                    "slas and slos",
                    "performance requirements",
                    "operational requirements",
                    "scale requirements",
                    "calculate usage",
                    "capacity estimation",
                    "capacity estimation and constraints",
                    "capacity estimates",
                    "capacity estimates and constraints",
                    "capacity planning",
                    "back-of-the-envelope estimation",
                    "back of the envelope estimation",
                    "back-of-the-envelope calculations",
                    "traffic estimates",
                    "storage estimates",
                    "bandwidth estimates",
                    "memory estimates",
                    "scalability",
                    "latency",
                    "availability",
                    "consistency",
                    "durability",
                    "security",
                    "fault tolerance",
                    "reliability",
                    "performance",
                    "compliance",
                ],
            },
            {
                "id": "out-of-scope",
                "title": "Out of scope",
                "aliases": [
                    "out of scope",
                    "out-of-scope",
                    "non-goals",
                    "non goals",
                    "nongoals",
                    "not in scope",
                    "project non-goals",
                    "scope exclusions",
                    "explicitly out of scope",
                    "exclusions",
                ],
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
            "key entities",
            "domain entities",
            "data model",
            "data models",
            "core data model",
            "domain model",
            "entity model",
            "schema",
            "database schema",
            "data schema",
            "schema design",
            "database design",
            "db design",
            "define the data model",
            "defining the data model",
            "data modeling",
            "data modelling",
            "data model design",
            "entities and relationships",
            "entity relationship diagram",
            "er diagram",
            "erd",
            "data types",
            "data structures",
            "database tables",
        ],
        "endings": [
            "schema",
            "schemas",
            "data model",
            "data models",
            "domain model",
            "er diagram",
            "entities",
        ],
        "items": [
            {
                "id": "models",
                "title": "Models",
                "aliases": [
                    "models",
                    "entities",
                    "entity",
                    "core entities",
                    "key entities",
                    "data model",
                    "data models",
                    "domain model",
                    "schema",
                    "database schema",
                    "tables",
                    "database tables",
                    "entities and relationships",
                    "relationships",
                    "er diagram",
                ],
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
                    "fields and types",
                    "field types",
                    "properties and types",
                    "columns and types",
                ],
            },
            {
                "id": "trade-offs",
                "title": "Trade-offs",
                "aliases": [
                    "trade-offs",
                    "tradeoffs",
                    "trade offs",
                    "design trade-offs",
                    "design choices",
                    "alternatives",
                    "alternatives considered",
                    "pros and cons",
                    "sql vs nosql",
                    "sql or nosql",
                    "database choice",
                    "choice of database",
                    "which database",
                    "rationale and alternatives",
                    "considered options",
                    "drawbacks",
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
            "api or system interface",
            "api design",
            "interface",
            "interfaces",
            "system interface",
            "system apis",
            "system interface definition",
            "interface definition",
            "define the api",
            "define the apis",
            "api endpoints",
            "endpoints",
            "api definition",
            "api definitions",
            "api specification",
            "api spec",
            "api contract",
            "api contracts",
            "api changes",
            "api reference",
            "interfaces and contracts",
            "public api",
            "public apis",
            "rest api",
            "http api",
            "grpc api",
            "external interfaces",
            "service interface",
            "endpoint design",
            "request and response",
            "guide-level explanation",
            "errors",
            "error codes",
            "error responses",
            "status codes",
        ],
        "endings": [
            "api",
            "apis",
            "endpoints",
            "endpoint",
            "interface",
            "interfaces",
        ],
        "items": [
            {
                "id": "protocol",
                "title": "Protocol",
                "aliases": [
                    "protocol",
                    "protocols",
                    "transport",
                    "communication protocol",
                    "wire protocol",
                    "api style",
                    "rest",
                    "grpc",
                    "graphql",
                    "rest vs grpc",
                    "http",
                ],
            },
            {
                "id": "routes",
                "title": "Routes",
                "aliases": [
                    "routes",
                    "endpoints",
                    "api endpoints",
                    "methods",
                    "operations",
                    "paths",
                    "rpcs",
                    "rpc methods",
                    "api calls",
                ],
            },
            {
                "id": "parameters",
                "title": "Parameters",
                "aliases": [
                    "parameters",
                    "params",
                    "request",
                    "inputs",
                    "arguments",
                    "request parameters",
                    "query parameters",
                    "request body",
                    "request format",
                    "request schema",
                    "request payload",
                ],
            },
            {
                "id": "returns",
                "title": "Returns",
                "aliases": [
                    "returns",
                    "responses",
                    "response",
                    "outputs",
                    "return values",
                    "return value",
                    "response format",
                    "response body",
                    "response schema",
                    "status codes",
                    "error codes",
                    "errors",
                ],
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
            "flows",
            "request flow",
            "request flows",
            "sequence",
            "sequence diagram",
            "sequence diagrams",
            "design core components",
            "request lifecycle",
            "request life cycle",
            "request path",
            "end-to-end flow",
            "end to end flow",
            "data and control flow",
            "workflow",
            "workflows",
            "process flow",
            "message flow",
            "runtime view",
            "runtime scenarios",
            "walkthrough",
            "data flow diagram",
            "happy path",
            "use scenarios",
        ],
        "endings": [
            "flow",
            "flows",
            "workflow",
            "sequence diagram",
            "request lifecycle",
            "pipeline",
            "read path",
            "write path",
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
                    "sequence diagram",
                    "request flow",
                    "flow diagram",
                    "happy path",
                    "read path",
                    "write path",
                    "request path",
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
            "propose high-level design and get buy-in",
            "propose a high-level design",
            "sketch out the high-level design",
            "architecture",
            "system architecture",
            "architecture overview",
            "high-level architecture",
            "overall architecture",
            "solution architecture",
            "architecture design",
            "proposed architecture",
            "architecture diagram",
            "design overview",
            "hld",
            "system context diagram",
            "container diagram",
            "component diagram",
            "solution strategy",
            "building block view",
            "deployment view",
            "proposal",
            "proposed design",
            "proposed solution",
            "proposed approach",
            "proposed implementation",
            "the actual design",
            "design",
            "design details",
            "design and implementation details",
            "detailed design",
            "implementation details",
            "implementation design",
            "technical design",
            "solution overview",
            "decision",
            "decision outcome",
            "basic system design and algorithm",
            "components and responsibilities",
            "main components",
            "key components",
            "core components",
            "data storage",
            "communication patterns",
        ],
        "endings": [
            "architecture",
            "components",
            "service",
            "services",
            "storage",
            "storage layer",
            "storage backend",
            "storage backends",
            "persistence",
            "persistence layer",
        ],
        "items": [
            {
                "id": "architecture",
                "title": "Architecture style",
                "aliases": [
                    "architecture style",
                    "architecture",
                    "architectural style",
                    "style",
                    "architectural pattern",
                    "architectural patterns",
                    "architecture pattern",
                    "architecture overview",
                    "architecture diagram",
                    "system context diagram",
                    "context diagram",
                    "topology",
                ],
            },
            {
                "id": "components",
                "title": "Components and responsibilities",
                "aliases": [
                    "components and responsibilities",
                    "components",
                    "services",
                    "modules",
                    "key components",
                    "core components",
                    "main components",
                    "major components",
                    "system components",
                    "building blocks",
                    "building block view",
                ],
            },
            {
                "id": "storage",
                "title": "Data storage",
                "aliases": [
                    "data storage",
                    "storage",
                    "database",
                    "databases",
                    "persistence",
                    "storage layer",
                    "storage design",
                    "data stores",
                    "datastores",
                    "database choice",
                    "persistence layer",
                    "storage backends",
                ],
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
                    "inter-service communication",
                    "service communication",
                    "synchronous vs asynchronous",
                    "sync vs async",
                    "message queue",
                    "message queues",
                    "event bus",
                    "events",
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
            "design deep dives",
            "dive in",
            "scale the design",
            "scaling the design",
            "scaling",
            "additional talking points",
            "bottlenecks",
            "identifying and resolving bottlenecks",
            "wrap up",
            "cross-cutting concerns",
            "production readiness review questionnaire",
            "production readiness",
            "operational concerns",
            "operational considerations",
            "non-functional concerns",
            "multi data-center concerns",
            "risks and mitigations",
            "risks",
            "technical risks",
            "risks and technical debts",
            "risks and technical debt",
            "cross-cutting concepts",
            "crosscutting concepts",
            "performance and reliability considerations",
            "scalability",
            "data partitioning",
            "data partitioning and replication",
            "sharding",
            "partitioning",
            "load balancing",
            "consistency",
            "data consistency",
            "consistency model",
            "consistency guarantees",
            "conflict resolution",
            "latency",
            "caching",
            "cache",
            "performance",
            "performance considerations",
            "benchmarks",
            "fault tolerance",
            "failure modes",
            "failure scenarios",
            "failover",
            "replication",
            "disaster recovery",
            "high availability",
            "availability",
            "reliability",
            "error handling",
            "troubleshooting",
            "security",
            "security considerations",
            "security concerns",
            "security and privacy",
            "privacy",
            "threat model",
            "authentication and authorization",
            "monitoring",
            "observability",
        ],
        "endings": [
            "scalability",
            "availability",
            "reliability",
            "security",
            "performance",
            "consistency",
            "conflict resolution",
            "latency",
            "optimization",
            "optimizations",
            "caching",
            "replication",
            "failover",
            "fault tolerance",
            "high availability",
            "error handling",
        ],
        "items": [
            {
                "id": "scalability",
                "title": "Scalability",
                "aliases": [
                    "scalability",
                    "scaling",
                    "scale",
                    "horizontal scaling",
                    "sharding",
                    "partitioning",
                    "data partitioning",
                    "load balancing",
                    "hot spots",
                    "throughput",
                    "load distribution",
                ],
            },
            {
                "id": "consistency",
                "title": "Consistency",
                "aliases": [
                    "consistency",
                    "data consistency",
                    "consistency model",
                    "consistency guarantees",
                    "transactions",
                    "concurrency",
                    "idempotency",
                    "ordering guarantees",
                    "conflict resolution",
                ],
            },
            {
                "id": "latency",
                "title": "Latency",
                "aliases": [
                    "latency",
                    "latency numbers",
                    "performance",
                    "performance considerations",
                    "caching",
                    "cache",
                    "cdn",
                    "response time",
                    "low latency",
                    "benchmarks",
                ],
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
                    "failure modes",
                    "failure scenarios",
                    "failover",
                    "replication",
                    "redundancy",
                    "disaster recovery",
                    "high availability",
                    "durability",
                    "error handling",
                    "retries",
                    "troubleshooting",
                    "single point of failure",
                    "recovery",
                ],
            },
            {
                "id": "security",
                "title": "Security",
                "aliases": [
                    "security",
                    "security considerations",
                    "security concerns",
                    "security and privacy",
                    "privacy",
                    "authentication",
                    "authorization",
                    "authentication and authorization",
                    "access control",
                    "permissions",
                    "threat model",
                ],
            },
        ],
    },
]


_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_NUMBERING_RE = re.compile(
    r"""^(?:(?:
        (?:step|part|phase|stage)\s*\d+[a-z]?\s*[:.)\-–—]?\s*   # "Step 2:", "Part 3 -"
      | \d+(?:\.\d+)*[.)]?\s*[:\-–—]?\s+                       # "1.", "2)", "3.1 "
      | [ivx]+[.)]\s+                                          # "iv. "
      | [a-h][.)]\s+                                           # "a) ", "b. "
    )[\s*_.:;,!?\-–—]*)+""",
    re.IGNORECASE | re.VERBOSE,
)
_EMPHASIS = re.compile(r"(?<!\w)_+|_+(?!\w)")
_EDGE_PUNCT = " \t\u00a0.:;,!?-–—*_`'\"()[]{}#"
_QUALIFIERS = re.compile(r"^\s*(?:\[optional\]|\(optional\)|optional:)\s*|\s*\([^()]{1,40}\)\s*$")
"""What templates add around a heading: "(Optional)", "[Optional]", "(NFRs)"."""


@lru_cache(maxsize=8192)
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
        text = _QUALIFIERS.sub("", text.replace("&", " and ").replace("-", " "))
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

    def match_heading(self, heading: str, inside: Step | None = None) -> Step | None:
        """Return the step a heading names, or None.

        In this order: the title or an alias (a plural or singular form of one too); a
        compound heading ("Goals / Non-goals") whose named parts all belong to one step;
        the heading less a closing "considerations", "concerns", "strategy" or "design";
        a short heading ending in one of a step's ``endings`` ("Task Retrieval API"),
        except inside the Requirements and Deep Dives steps, where such a heading is a
        topic of that step.
        """
        key = normalise(heading)
        steps = self._names.steps
        found = _find(steps, key)
        if found is not None or not key:
            return found
        parts = _parts(key)
        named = [_find(steps, part) for part in parts]
        if named and all(named) and len({step.id for step in named if step}) == 1:
            return named[0]
        shorter = _GENERIC_END.sub("", key)
        if shorter != key and (found := _find(steps, shorter)) is not None:
            return found
        if inside is not None and inside.id in ("requirements", "deep-dives"):
            return None
        words = key.split()
        if len(words) <= 5 and not _NOT_AN_ENDING.search(key):
            for size in (2, 1):
                ending = " ".join(words[-size:])
                step = self._names.endings.get(ending)
                if step is not None and len(words) >= size:
                    return step
        leading = _LEADING.match(key)
        if leading is not None and len(words) <= 8:
            head = leading.group(1)
            found = _find(steps, head) or self._names.endings.get(head)
            if found is not None:
                return found
        return None

    def match_item(self, step: Step, heading: str) -> ChecklistItem | None:
        """Return the item of ``step`` whose title or aliases match a sub-heading or task text."""
        return _find(self._names.items_of(step), normalise(heading))

    def match_items(self, step: Step, heading: str) -> list[ChecklistItem]:
        """The items of ``step`` a heading names: one, or each part of a compound heading
        ("Data Partitioning and Replication" names scalability and fault tolerance)."""
        key = normalise(heading)
        items = self._names.items_of(step)
        found = _find(items, key)
        if found is not None:
            return [found]
        named = [_find(items, part) for part in _parts(key)]
        if not all(named):
            return []  # "Caching and rollout": not every part is an item
        return list({item.id: item for item in named if item}.values())

    @cached_property
    def _names(self) -> _Lookup:
        """Normalised names of the steps, their endings and items: made once per registry."""
        return _Lookup.of(self)

    @cached_property
    def near_misses(self) -> NearMisses:
        """Names and their neighbours for "did you mean": made once per registry."""
        return NearMisses.of(self)

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

        ``false`` or an empty value (``data-flow: null``) removes a step, and an entry
        ``{<item id>: false}`` in ``items`` removes an item: a team that does not use a
        step says so rather than sees it missing on every design. Removing a step or an
        item that does not exist, or every step, is an error.
        """
        if not isinstance(overrides, Mapping):
            raise RegistryError(
                f"steps: expected a mapping of step id to settings, got {kind_of(overrides)}"
            )
        data = [_copy_step(raw) for raw in DEFAULT_STEPS]
        by_id = {raw["id"]: raw for raw in data}
        removed: set[str] = set()
        for step_id, settings in overrides.items():
            where = f"steps.{step_id}"
            if not isinstance(step_id, str) or not _ID_RE.match(step_id):
                raise RegistryError(f"{where}: step ids are lowercase letters, digits, '-' and '_'")
            if settings is None or settings is False:
                if step_id not in by_id:
                    raise RegistryError(
                        f"{where}: {settings!r} removes a step, but there is no step "
                        f"'{step_id}'; expected one of " + ", ".join(by_id)
                    )
                removed.add(step_id)
                continue
            if not isinstance(settings, Mapping):
                raise RegistryError(f"{where}: expected a mapping, got {kind_of(settings)}")
            unknown = set(settings) - {
                "title",
                "purpose",
                "benefits",
                "aliases",
                "endings",
                "items",
                "after",
            }
            if unknown:
                raise RegistryError(
                    f"{where}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                    "expected title, purpose, benefits, aliases, endings, items, after"
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
                    "endings": [],
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
            raw["endings"].extend(_strings(settings.get("endings", []), f"{where}.endings"))
            _merge_items(raw, settings.get("items", []), f"{where}.items")
        kept = [raw for raw in data if raw["id"] not in removed]
        if not kept:
            raise RegistryError("steps: every step is removed; at least one step is needed")
        return cls(tuple(_build_step(raw) for raw in kept))


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
        if len(item) == 1 and unknown and next(iter(item.values())) in (None, False):
            # `- capacity: false` removes the item `capacity`.
            (item_id,) = unknown
            if item_id not in existing:
                raise RegistryError(
                    f"{here}: {item[item_id]!r} removes an item, but there is no item "
                    f"'{item_id}'; expected one of " + ", ".join(map(str, existing))
                )
            raw["items"].remove(existing.pop(item_id))
            continue
        if unknown:
            raise RegistryError(
                f"{here}: unknown key(s) {', '.join(sorted(map(str, unknown)))}; "
                "expected id, title, aliases, or {<item id>: false} to remove an item"
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
        endings=tuple(raw["endings"]),
        items=tuple(
            ChecklistItem(id=item["id"], title=item["title"], aliases=tuple(item["aliases"]))
            for item in raw["items"]
        ),
    )


def _copy_step(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        **raw,
        "aliases": list(raw["aliases"]),
        "endings": list(raw["endings"]),
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


_T = TypeVar("_T")


def _find(names: Mapping[str, _T], key: str) -> _T | None:
    """Look a normalised heading up by name, then in its singular or plural form."""
    if not key:
        return None
    found = names.get(key)
    if found is None:
        found = names.get(key[:-1]) if key.endswith("s") else names.get(key + "s")
    return found


@dataclass(frozen=True)
class _Lookup:
    steps: dict[str, Step]
    endings: dict[str, Step]
    items: dict[str, tuple[Step, dict[str, ChecklistItem]]]
    """Step id to the step and its items by normalised name."""

    @classmethod
    def of(cls, registry: StepRegistry) -> _Lookup:
        steps: dict[str, Step] = {}
        endings: dict[str, Step] = {}
        for step in registry:
            for alias in (step.title, *step.aliases):
                steps.setdefault(normalise(alias), step)
            for ending in step.endings:
                endings.setdefault(normalise(ending), step)
        return cls(steps, endings, {step.id: (step, _item_names(step)) for step in registry})

    def items_of(self, step: Step) -> dict[str, ChecklistItem]:
        """The items of a step of this registry by name (of another step: made now)."""
        known = self.items.get(step.id)
        return known[1] if known is not None and known[0] is step else _item_names(step)


def _item_names(step: Step) -> dict[str, ChecklistItem]:
    items: dict[str, ChecklistItem] = {}
    for item in step.items:
        for alias in (item.title, *item.aliases):
            items.setdefault(normalise(alias), item)
    return items


_SPLIT = re.compile(r"(?:\s+(?:and|or|vs\.?|versus)\b)+\s+|\s*[/,;+]\s*")
_GENERIC_END = re.compile(r"\s+(?:considerations|concerns|strategy|design|overview)$")
_LEADING = re.compile(
    r"^((?:[\w-]+ ){0,2}?[\w-]+) (?:for|of|to|in|on|between|across|with|within) \w"
)
"""A heading that starts with a name and says what it applies to: "API to expose limits",
"Scalability of the index", "Data model for notifications"."""
_NOT_AN_ENDING = re.compile(r"^\w+ing\b|\buser interfaces?$")
"""Headings that end like a step but are not one: "Deprecating the v1 API", "User interface"."""


def _parts(key: str) -> list[str]:
    """The parts of a short compound heading ("goals / non goals"), when it has several.

    Every part must be a name for the heading to count: a question such as "Does the
    rollout remove features, APIs or flags?" names no step.
    """
    parts = [part.strip(_EDGE_PUNCT) for part in _SPLIT.split(key)]
    parts = [part for part in parts if part]
    return parts if 1 < len(parts) <= 4 else []


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


def task_item_label(registry: StepRegistry, text: str) -> str | None:
    """The start of a task item's text that names a checklist item of any step, if any.

    ``"Latency: p99 under 50 ms"`` gives ``"Latency"``; ``"Caching with a CDN"`` gives None.
    """
    text = text.rstrip()
    head = _TASK_SPLIT.split(text, maxsplit=1)[0]
    for candidate in dict.fromkeys((text, head)):
        if any(registry.match_item(step, candidate) for step in registry):
            return candidate
    return None


# -- structure as evidence ---------------------------------------------------------------

_MERMAID_START = re.compile(
    r"^\s*(?:%%[^\n]*\n\s*|---\n.*?\n---\n\s*)*(sequenceDiagram|erDiagram|classDiagram)\b", re.S
)
"""The diagram type of a Mermaid block, after its comments and front matter."""
_DIAGRAM_MEMBERS = re.compile(r"\{[ \t]*\n[ \t]*[+#~-]?[\w<>\[\]]+[ \t]+[\w<>\[\]()]+")
"""An entity or class of a diagram that lists its attributes: ``{ string name }``."""
_PLANTUML_TYPES = re.compile(r"^[ \t]*(entity|class)[ \t]+[\"\w.]+[^\n{]*\{", re.M)
"""An entity or a class of a PlantUML diagram, with a body: ``entity Url {``."""
_PLANTUML_MESSAGE = re.compile(
    r"^[ \t]*[\"\w.]+[ \t]*(?:-+|\.+)>{1,2}[ \t]*[\"\w.]+[ \t]*:[ \t]*\S", re.M
)
"""A message of a PlantUML sequence diagram: ``Client -> API : GET /x``."""
_CREATE_TABLE = re.compile(r"^\s*CREATE\s+(?:TEMP(?:ORARY)?\s+)?TABLE\b", re.I | re.M)
_PROTO_MESSAGE = re.compile(r"^\s*message\s+(\w+)\s*\{", re.M)
_CALL_MESSAGE = re.compile(r"(?:Request|Response|Reply)$")
_EMBEDDED = r"\*?(?:\w+\.)?[A-Z]\w*(?:[ \t]+`[^`\n]*`)?"
"""A line of a Go struct that embeds a type (``metav1.TypeMeta `json:",inline"` ``)."""
_GO_STRUCT_START = r"^\s*type\s+\w+\s+struct\s*\{"
_RECORD_TYPE = re.compile(
    r"^\s*(?:type\s+\w+\s+struct|(?:pub(?:\([^)]*\))?\s+)?struct\s+\w+(?:<[^>]*>)?)\s*\{\s*\n"
    rf"(?:[ \t]*(?://[^\n]*|#\[[^\n]*|\.\.\.|{_EMBEDDED})?[ \t]*\n)*"
    r"\s*(?:pub\s+)?\w+:?\s+[\w*\[\]&<>.]",
    re.M,
)
"""A Go or Rust record type that declares at least one field (after any embedded types,
such as Kubernetes' ``metav1.TypeMeta``)."""
_GO_STRUCT = re.compile(_GO_STRUCT_START, re.M)
"""The start of a Go struct, which no other language writes: read in unlabelled blocks too."""
_API_TYPE = re.compile(
    rf"{_GO_STRUCT_START}[ \t]*\n(?:[ \t]*(?://[^\n]*|{_EMBEDDED})?[ \t]*\n)*?"
    r"[ \t]*(?:metav1\.)?TypeMeta\b",
    re.M,
)
"""A Kubernetes API type: a Go struct that embeds ``TypeMeta``, which makes it a kind of
the Kubernetes API (the way KEPs and operator designs give their API)."""
_RECORD_TYPES = {
    "typescript": re.compile(
        r"^[ \t]*(?:export[ \t]+)?(?:type[ \t]+\w+(?:<[^>\n]*>)?[ \t]*=[ \t]*|interface[ \t]+\w+"
        r"(?:<[^>\n]*>)?(?:[ \t]+extends[ \t]+[\w<>, .]+)?[ \t]*)\{[ \t]*\n"
        r"(?:[ \t]*(?://[^\n]*|/?\*[^\n]*)?[ \t]*\n)*[ \t]*(?:readonly[ \t]+)?\w+\??[ \t]*:",
        re.M,
    ),
    "java": re.compile(
        r"^[ \t]*(?:public[ \t]+)?record[ \t]+\w+[ \t]*\([ \t]*\w"
        r"|^[ \t]*(?:public[ \t]+)?(?:final[ \t]+)?class[ \t]+\w+[^{\n]*\n?[ \t]*\{[ \t]*\n"
        r"(?:[ \t]*(?://[^\n]*|/?\*[^\n]*|@[^\n]*)?[ \t]*\n)*"
        r"[ \t]*(?:private|protected|public)[ \t]+(?:final[ \t]+)?[\w<>\[\], ]+[ \t]+\w+[ \t]*[;=]",
        re.M,
    ),
    "kotlin": re.compile(
        r"^[ \t]*data[ \t]+class[ \t]+\w+[ \t]*\([ \t]*\n?[ \t]*va[lr][ \t]", re.M
    ),
    "csharp": re.compile(
        r"^[ \t]*(?:public[ \t]+)?(?:record|class|struct)[ \t]+\w+[^{\n]*\n?[ \t]*\{[ \t]*\n"
        r"(?:[ \t]*(?://[^\n]*|\[[^\n]*)?[ \t]*\n)*"
        r"[ \t]*public[ \t]+[\w<>\[\]?, ]+[ \t]+\w+[ \t]*\{[ \t]*get",
        re.M,
    ),
    "python": re.compile(
        r"^[ \t]*@(?:dataclasses\.)?dataclass\b[^\n]*\n[ \t]*class[ \t]+\w+"
        r"|^[ \t]*class[ \t]+\w+\((?:[\w.]*\.)?(?:BaseModel|TypedDict|NamedTuple)\)[ \t]*:[ \t]*\n"
        r"(?:[ \t]*(?:#[^\n]*|\"\"\"[^\n]*)?\n)*[ \t]+\w+[ \t]*:[ \t]*\w",
        re.M,
    ),
}
"""Record types with fields in other languages: a TypeScript type or interface whose
members are properties, a Java record or class with fields, a Kotlin data class, a C#
type with properties, a Python dataclass, TypedDict, NamedTuple or pydantic model."""
_RECORD_LANGS = {
    "ts": "typescript",
    "typescript": "typescript",
    "java": "java",
    "kotlin": "kotlin",
    "kt": "kotlin",
    "csharp": "csharp",
    "cs": "csharp",
    "c#": "csharp",
    "python": "python",
    "py": "python",
}
_INTERFACE = re.compile(
    r"^\s*(?:type\s+\w+\s+interface|(?:export\s+)?(?:public\s+)?interface\s+\w+(?:<[^>]*>)?"
    r"(?:\s+extends\s+[\w<>, .]+)?|(?:pub\s+)?trait\s+\w+(?:<[^>]*>)?)\s*\{\s*\n"
    r"(?:[ \t]*(?://[^\n]*|\*[^\n]*|/\*\*?[^\n]*)?[ \t]*\n)*"
    r"[ \t]*(?:(?:async\s+|unsafe\s+)*fn\s+|(?:suspend\s+)?fun\s+)?\w+\s*(?:<[^>]*>)?\(",
    re.M,
)
"""A Go, Java, Kotlin or TypeScript interface, or a Rust trait, that declares at least one
method (Rust's ``async fn`` and Kotlin's ``suspend fun`` included)."""
_PROTO_SERVICE = re.compile(r"^\s*service\s+\w+\s*\{[^}]*?\brpc\s+\w+\s*\(", re.M | re.S)
_JSON_SCHEMA = re.compile(r'"\$schema"\s*:|"type"\s*:\s*"object"[^{}]*"properties"\s*:', re.S)
_OPENAPI = re.compile(r"^(?:openapi|swagger)\s*:.*^paths\s*:", re.M | re.S)
_JSON_KEY = re.compile(r'"([^"\n]{1,80})"[ \t]*:')
_JSON_START = re.compile(r"\A(?:[ \t]*(?://|#)[^\n]*\n|[ \t]*\n)*[ \t]*\{")
"""A block that is a JSON object, after any comment lines."""
_METHODS = "GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS"
_REQUEST_LINE = re.compile(
    rf"^[ \t]*(?:(?:#+|//|--|;+)[ \t]*)?(?:{_METHODS})[ \t]+(?:/|https?://)[^\s]*"
    r"(?:[ \t]+HTTP/\d(?:\.\d)?)?[ \t]*$"
)
"""An HTTP request line, bare or behind a comment marker: ``POST /v1/urls``,
``# POST /api/v1/classify``, ``GET /x HTTP/1.1``."""
_HTTP_VERSION_LINE = re.compile(rf"^[ \t]*(?:{_METHODS})[ \t]+/\S*[ \t]+HTTP/\d", re.M)
_CURL = re.compile(r"^[ \t]*(?:\$[ \t]+)?curl\b", re.M)
"""A ``curl`` command: the section shows a request, so a JSON object there is its body or
response. (Not itself an API: the command may call any service.)"""
_LABELLED_ROUTE = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+)?[*_]{0,2}(?:request[ \t]+)?(?:url|uri|endpoint|path|route)[*_]{0,2}"
    rf"[ \t]*:[*_]{{0,2}}[ \t]*`(?:(?:{_METHODS})[ \t]+)?(?:/|https?://[^/`\s]+/)[^`\s]*`",
    re.I,
)
"""A line that labels an endpoint: ``URL: `/pd/apis/v1/heatmaps` ``,
``**Endpoint:** `POST /v1/urls` ``."""
_MANIFEST_VERSION = re.compile(r"^apiVersion:[ \t]*\S", re.M)
_MANIFEST_KIND = re.compile(r"^kind:[ \t]*['\"]?(\w+)", re.M)
_BUILTIN_KINDS = frozenset(
    {
        "Pod",
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "ReplicationController",
        "Job",
        "CronJob",
        "Service",
        "ConfigMap",
        "Secret",
        "Ingress",
        "IngressClass",
        "Namespace",
        "Node",
        "PersistentVolume",
        "PersistentVolumeClaim",
        "StorageClass",
        "ServiceAccount",
        "Role",
        "RoleBinding",
        "ClusterRole",
        "ClusterRoleBinding",
        "HorizontalPodAutoscaler",
        "PodDisruptionBudget",
        "NetworkPolicy",
        "LimitRange",
        "ResourceQuota",
        "Endpoints",
        "EndpointSlice",
        "List",
    }
)
"""Kubernetes' own kinds: a manifest of one shows how something is deployed, not an API
the design defines."""
_PLACEHOLDER = re.compile(
    r"""^(?:(?:tbd|tba|tbc|todo|to\ do|fixme|wip)(?:\b[^\n]{0,80})?   # "TODO: write this"
      |n/?a|none|nothing\ yet|not\ applicable
      |not\ yet\ (?:defined|written|decided|known)|to\ be\ (?:defined|determined|decided
      |written|done|added|completed|confirmed)|coming\ soon|wip|work\ in\ progress
      |placeholder|fill\ (?:this\ )?in(?:\ later)?|-+|\.+|\?+)$""",
    re.VERBOSE,
)
_NAME_COLUMNS = frozenset(
    {"name", "field", "column", "property", "attribute", "key", "field name", "column name"}
)
_TYPE_COLUMNS = frozenset({"type", "data type", "datatype", "field type", "column type"})
_METHOD_COLUMNS = frozenset({"method", "http method", "verb", "http verb"})
_PATH_COLUMNS = frozenset(
    {"path", "route", "endpoint", "url", "uri", "resource", "resource path", "url path"}
)

_PROTO_LANGS = ("proto", "protobuf", "proto3", "")
_CODE_LANGS = ("go", "golang", "rust", "rs", "java", "kotlin", "ts", "typescript", "csharp", "cs")
_BLOCK_STEPS = {"entity": "core-entities", "api": "api", "dataflow": "data-flow"}
_BLOCK_KINDS = {"entity": "entity-block", "api": "api-block", "dataflow": "dataflow-block"}


def fence_signals(fence: Fence) -> list[tuple[str, str, frozenset[str]]]:
    """What a fenced block shows of a design: ``(step id, evidence kind, items)`` triples.

    Only structure counts, never words: a ``dataflow`` block or a sequence diagram (Mermaid
    or PlantUML) is a data flow; an ``entity`` block, an ER or class diagram, SQL
    ``CREATE TABLE``, a protobuf ``message``, a record type with fields, a JSON Schema or
    a JSON object with fields describes entities; an ``api`` block, an OpenAPI document, a
    protobuf ``service`` with ``rpc`` methods, an interface with methods, an HTTP request
    or a Kubernetes custom resource manifest is an API. The block kinds' own items are
    added by :data:`BlockItems`.
    """
    lang = fence.lang.casefold()
    content = fence.content
    signals: list[tuple[str, str, frozenset[str]]] = []
    if lang in _BLOCK_STEPS:
        signals.append((_BLOCK_STEPS[lang], _BLOCK_KINDS[lang], frozenset()))
        return signals
    if lang == "mermaid":
        diagram = _MERMAID_START.match(content)
        if diagram is not None:
            signals.append(_diagram_signal(diagram.group(1), content))
        return signals
    if lang in ("plantuml", "puml", "uml") or content.lstrip().startswith("@startuml"):
        types = _PLANTUML_TYPES.search(content)
        if types is not None:
            kind = "erDiagram" if types.group(1) == "entity" else "classDiagram"
            signals.append(_diagram_signal(kind, content))
        elif _PLANTUML_MESSAGE.search(content):
            signals.append(("data-flow", "sequence-diagram", frozenset({"flow"})))
        return signals
    if _CREATE_TABLE.search(content):
        signals.append(("core-entities", "sql-table", frozenset({"models", "properties"})))
    messages = _PROTO_MESSAGE.findall(content) if lang in _PROTO_LANGS else []
    # Messages that only carry a call's arguments and results belong to the API.
    if any(not _CALL_MESSAGE.search(name) for name in messages):
        signals.append(("core-entities", "protobuf-message", frozenset({"models", "properties"})))
    record = _RECORD_TYPES.get(_RECORD_LANGS.get(lang, ""))
    go = lang in ("go", "golang") or (lang == "" and _GO_STRUCT.search(content) is not None)
    if ((go or lang in ("rust", "rs")) and _RECORD_TYPE.search(content)) or (
        record is not None and record.search(content)
    ):
        signals.append(("core-entities", "record-type", frozenset({"models", "properties"})))
    if go and _API_TYPE.search(content):
        signals.append(("api", "api-type", frozenset()))
    if lang in _CODE_LANGS and _INTERFACE.search(content):
        signals.append(("api", "interface-type", frozenset({"routes"})))
    if _PROTO_SERVICE.search(content):
        signals.append(("api", "protobuf-service", frozenset({"protocol", "routes"})))
    request = _is_request(lang, content)
    if lang in ("http", "https", "", "text", "txt", "plain") and _routes_listed(lang, content):
        signals.append(("api", "route-list", frozenset({"routes"})))
    elif request:
        signals.append(("api", "http-request", frozenset({"routes"})))
    if lang in ("json", "jsonc", "json5", ""):
        if _JSON_SCHEMA.search(content):
            signals.append(("core-entities", "json-schema", frozenset({"models", "properties"})))
        elif (
            not request and _JSON_START.match(content) and len(set(_JSON_KEY.findall(content))) >= 3
        ):
            signals.append(("core-entities", "json-document", frozenset({"models", "properties"})))
    if lang in ("yaml", "yml", "json", "") and _OPENAPI.search(content):
        signals.append(("api", "openapi", frozenset({"protocol", "routes"})))
    if lang in ("yaml", "yml", "") and _MANIFEST_VERSION.search(content):
        if any(kind not in _BUILTIN_KINDS for kind in _MANIFEST_KIND.findall(content)):
            signals.append(("api", "resource-manifest", frozenset()))
    return signals


def _diagram_signal(kind: str, content: str) -> tuple[str, str, frozenset[str]]:
    if kind == "sequenceDiagram":
        return ("data-flow", "sequence-diagram", frozenset({"flow"}))
    items = {"models", "properties"} if _DIAGRAM_MEMBERS.search(content) else {"models"}
    return (
        "core-entities",
        "er-diagram" if kind == "erDiagram" else "class-diagram",
        frozenset(items),
    )


def _routes_listed(lang: str, content: str) -> bool:
    """Whether a block lists routes: one line that starts with an HTTP method and a path
    in an ``http`` block, two in a plain one."""
    routes = sum(1 for line in content.split("\n") if ROUTE_LINE.match(line))
    return routes >= (1 if lang.startswith("http") else 2)


def _is_request(lang: str, content: str) -> bool:
    """Whether a block shows an HTTP request: a block of any language that opens with a
    request line (``POST /v1/urls``, ``# POST /api/v1/classify``), a request line with its
    HTTP version (``GET /x HTTP/1.1``), or routes in an ``http`` block."""
    first = next((line for line in content.split("\n") if line.strip()), "")
    if _REQUEST_LINE.match(first) or _HTTP_VERSION_LINE.search(content):
        return True
    return lang in ("http", "https") and _routes_listed(lang, content)


def _table_signal(cells: list[str]) -> tuple[str, str, frozenset[str]] | None:
    header = {" ".join(cell.split()) for cell in cells}
    if header & _METHOD_COLUMNS and header & _PATH_COLUMNS:
        return ("api", "route-table", frozenset({"routes"}))
    if header & _NAME_COLUMNS and header & _TYPE_COLUMNS:
        return ("core-entities", "schema-table", frozenset({"models", "properties"}))
    return None


def is_placeholder(text: str) -> bool:
    """Whether a section's text is only a placeholder such as "TBD", "N/A" or "None"."""
    key = " ".join(text.replace("*", " ").replace("_", " ").replace("`", " ").split())
    key = key.casefold().strip(" .:;!()[]")
    return bool(_PLACEHOLDER.match(key)) if key else True


NEUTRAL_HEADINGS = frozenset(
    normalise(heading)
    for heading in (
        "summary",
        "tl;dr",
        "abstract",
        "executive summary",
        "introduction",
        "background",
        "context",
        "status",
        "consequences",
        "positive consequences",
        "negative consequences",
        "confirmation",
        "more information",
        "considered options",
        "pros and cons of the options",
        "alternatives",
        "alternatives considered",
        "alternative solutions",
        "rationale and alternatives",
        "abandoned ideas",
        "drawbacks",
        "prior art",
        "unresolved questions",
        "open questions",
        "future possibilities",
        "future work",
        "test plan",
        "testing",
        "testing strategy",
        "unit tests",
        "integration tests",
        "e2e tests",
        "graduation criteria",
        "alpha",
        "beta",
        "ga",
        "deprecation",
        "upgrade / downgrade strategy",
        "version skew strategy",
        "rollout",
        "rollout plan",
        "migration",
        "implementation history",
        "infrastructure needed",
        "action plan",
        "glossary",
        "references",
        "resources",
        "appendix",
        "release signoff checklist",
        "stakeholders",
        "conclusion",
        "notes",
        "notes/constraints/caveats",
        "dependencies",
        "feature enablement and rollback",
        "rollout, upgrade and rollback planning",
        "monitoring requirements",
        "implementation plan",
        "timeline",
        "milestones",
    )
)
"""Headings of the common templates that are never a step: their text does not make the
section around them present (a KEP's "Design Details" that holds only a test plan)."""


# -- near misses -------------------------------------------------------------------------


def _distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (edits and swaps of neighbours), capped at limit+1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = ca != cb
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _allowed_edits(key: str) -> int:
    """How far a heading may be from a name and still read as a misspelling of it."""
    letters = len(key.replace(" ", ""))
    return 0 if letters < 5 else 1 if letters < 9 else 2


def _deletions(word: str, depth: int) -> set[str]:
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1 :] for w in frontier for i in range(len(w))}
        found |= frontier
    return found


def _hash32(text: str) -> int:
    return hash(text) & 0xFFFFFFFF


@dataclass(frozen=True)
class NearMisses:
    """Step and item names with their one- and two-deletion neighbours, for "did you mean".

    Looking a heading up costs its own deletions (a few hundred strings), not one
    comparison per name: a page of ten thousand headings stays linear. The neighbours are
    kept as sorted 32-bit hashes beside the index of the name they come from (about
    350 KiB for the default vocabulary, where sets of strings took about 19 MiB); a hash
    that two variants share only adds a candidate, which the distance check then rules
    out.
    """

    names: dict[str, tuple[tuple[str, str | None], ...]]
    """Normalised name or alias to what it names: (title shown, step id when it is an
    item's name, None when it is a step's)."""
    order: tuple[str, ...]
    """The names, in the order ``owners`` counts them."""
    hashes: array[int]
    """The hash of every deletion neighbour of every name (its low 32 bits), sorted."""
    owners: array[int]
    """For each entry of ``hashes``, the index in ``order`` of its name."""
    longest: int
    alphabet: frozenset[str]
    """Every character the names use: a heading with more others than edits allowed
    ("Section 12") cannot be a misspelt name, and is not looked up."""

    @classmethod
    def of(cls, registry: StepRegistry) -> NearMisses:
        """The names of a registry's steps and items (use ``registry.near_misses``)."""
        names: dict[str, dict[tuple[str, str | None], None]] = {}
        for step in registry:
            for alias in (step.title, *step.aliases):
                names.setdefault(normalise(alias), {})[(_shown(alias, step.title), None)] = None
            for item in step.items:
                for alias in (item.title, *item.aliases):
                    meaning = (_shown(alias, item.title), step.id)
                    names.setdefault(normalise(alias), {})[meaning] = None
        order = tuple(names)
        pairs = sorted(
            (_hash32(variant), index)
            for index, name in enumerate(order)
            for variant in _deletions(name, _allowed_edits(name))
        )
        made = cls(
            {name: tuple(meanings) for name, meanings in names.items()},
            order,
            array("I", [pair[0] for pair in pairs]),
            array("I" if len(order) > 0xFFFF else "H", [pair[1] for pair in pairs]),
            max(map(len, names), default=0),
            frozenset("".join(names)),
        )
        return made

    def _neighbours(self, variant: str) -> Iterator[str]:
        """The names one of whose deletion neighbours may be ``variant``."""
        key = _hash32(variant)
        index = bisect_left(self.hashes, key)
        while index < len(self.hashes) and self.hashes[index] == key:
            yield self.order[self.owners[index]]
            index += 1

    def suggest(self, key: str, step: Step | None) -> str | None:
        """The title a misspelt heading was meant to be, or None.

        Step names are suggested anywhere; an item name only inside its step's section,
        where it is preferred to a step of the same name.
        """
        limit = _allowed_edits(key)
        if not limit or key in self.names or len(key) > self.longest + limit:
            return None
        if sum(char not in self.alphabet for char in key) > limit:
            return None
        candidates: set[str] = set()
        for variant in _deletions(key, limit):
            candidates.update(self._neighbours(variant))
        best: tuple[int, int, str] | None = None
        for name in candidates:
            allowed = min(limit, _allowed_edits(name))
            distance = _distance(key, name, allowed)
            if distance > allowed:
                continue
            for title, owner in self.names[name]:
                if owner is not None and (step is None or owner != step.id):
                    continue
                rank = (distance, owner is None, title)
                if best is None or rank < best:
                    best = rank
        return best[2] if best else None


def _shown(alias: str, title: str) -> str:
    """How a suggestion is written: the title, or the alias it is closest to."""
    if normalise(alias) == normalise(title):
        return title
    return alias[:1].upper() + alias[1:]


# -- detection ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Node:
    """A heading with the extent of its section and what it was read as."""

    heading: Heading
    plain: str
    """The heading as readers see it (``Heading.plain``, worked out once)."""
    index: int
    end: int
    """Last line of the section (the line before the next heading of the same or a higher
    level)."""
    body_end: int
    """Last line before the next heading of any level."""
    parent: int
    """Index of the enclosing heading, -1 at the top."""
    step: Step | None = None
    """The step this heading starts a section of."""
    owner: Step | None = None
    """The step whose section the heading's own text belongs to (itself or an ancestor)."""
    items: list[ChecklistItem] = field(default_factory=list)
    """The items of ``owner`` the heading names."""
    neutral: bool = False
    """A heading that is never a step ("Test Plan", "Alternatives"): its text does not
    fill the section around it."""
    filled: bool = False
    """Whether the section holds more than headings, comments and placeholders (sections of
    other steps nested in it do not count)."""
    any_text: bool = False
    """Whether anything under the heading, nested sections included, has text."""
    section: Section | None = None


def _outline(page: SourcePage) -> list[_Node]:
    """Each heading with its section's extent and parent, in one pass with a stack."""
    last = len(page.lines)
    nodes: list[_Node] = []
    open_nodes: list[_Node] = []
    for index, heading in enumerate(page.headings):
        if nodes:
            nodes[-1].body_end = heading.line - 1
        while open_nodes and open_nodes[-1].heading.level >= heading.level:
            open_nodes.pop().end = heading.line - 1
        parent = open_nodes[-1].index if open_nodes else -1
        node = _Node(heading, heading.plain, index, last, last, parent)
        nodes.append(node)
        open_nodes.append(node)
    return nodes


def detect_steps(
    page: SourcePage,
    registry: StepRegistry,
    block_items: BlockItems | None = None,
) -> tuple[dict[str, StepResult], list[Problem]]:
    """Find each step's sections, evidence and checklist items in a design page.

    A step comes from a heading at any level that names it (its title or an alias, or
    ``data-step`` on the heading), or from structure a section holds (:func:`fence_signals`,
    schema and route tables, route listings). A section runs to the next heading of the
    same or a higher level. Inside a step's section, a heading that names one of the
    step's items is that item, even if it also names another step; a heading that names
    another step starts a section of that step. A section that holds only headings,
    comments or a placeholder ("TBD") does not make its step present.

    An item is done by exactly these signals within the step's sections: a checked task
    item that names it, a non-empty sub-heading that names it, or a block or structure
    that provides it (and for Data Flow, an ordered list). An
    unchecked task item naming it means not done, whatever else is there. Linear in the
    page. Problems carry body lines.
    """
    problems: list[Problem] = []
    # Items are ticked here, then each result gets a read-only mapping (_shared_items).
    done = {step.id: {item.id: False for item in step.items} for step in registry}
    results = {step.id: StepResult(step.id, StepState.MISSING, done[step.id]) for step in registry}
    explicit_no: dict[str, set[str]] = {step.id: set() for step in registry}
    nodes = _outline(page)
    near = registry.near_misses
    h1s = [node for node in nodes if node.heading.level == 1]
    title = h1s[0] if len(h1s) == 1 else None  # the page's title, not a section
    for node in nodes:
        if node is not title:
            _read_heading(node, nodes, registry, near, problems)
    _fill(page, nodes)

    def section_of(node: _Node) -> Section:
        if node.section is None:
            # Designs repeat the same step headings: one string each, not one per design.
            heading, owner = node.heading, node.step or node.owner
            node.section = Section(
                owner.id if owner else "",
                intern(node.plain),
                heading.line,
                node.index,
                intern(heading.anchor),
            )
        return node.section

    def add(step_id: str, evidence: Evidence) -> None:
        if step_id in results:
            results[step_id].evidence.append(evidence)

    for node in nodes:
        step, heading = node.step, node.heading
        if step is None:
            continue
        result = results[step.id]
        section = section_of(node)
        result.sections.append(section)
        if node.filled:
            kind = "attribute" if "data-step" in heading.attrs else "heading"
            add(step.id, Evidence(kind, heading.line, node.plain, section))
        elif not result.note and not node.any_text:
            result.note, result.note_line = "empty", heading.line
    for node in nodes:
        if node.owner is not None and node.filled:
            for item in node.items:
                done[node.owner.id][item.id] = True

    # Lines below headings: one walk over the headings for all tasks, blocks and lists.
    def holder(line: int, cursor: list[int]) -> _Node | None:
        while cursor[0] + 1 < len(nodes) and nodes[cursor[0] + 1].heading.line < line:
            cursor[0] += 1
        return nodes[cursor[0]] if cursor[0] >= 0 else None

    cursor = [-1]
    for task in page.tasks:
        under = holder(task.line, cursor)
        if under is None or under.owner is None:
            continue
        named = _task_matches(registry, under.owner, task.text)
        if named is None:
            continue
        if task.checked:
            done[under.owner.id][named.id] = True
        else:
            explicit_no[under.owner.id].add(named.id)
    cursor = [-1]
    for line in page.ordered_items:
        under = holder(line, cursor)
        if under is not None and under.owner is not None:
            if "flow" in done[under.owner.id]:
                done[under.owner.id]["flow"] = True
    signals: list[tuple[int, str, str, str, frozenset[str]]] = []
    for fence in page.fences:
        provided = frozenset(block_items(fence)) if block_items is not None else frozenset()
        for step_id, kind, items in fence_signals(fence):
            if kind in _BLOCK_KINDS.values():
                if not provided:
                    continue  # a block that does not parse evidences nothing
                items = provided
            text = fence.lang or "code"
            if kind == "sequence-diagram":
                mermaid = fence.lang.casefold() == "mermaid"
                text = f"{'Mermaid' if mermaid else 'PlantUML'} sequence diagram"
            signals.append((fence.line, step_id, kind, text, items))
        if provided:
            signals.append((fence.line, "", "block", fence.lang, provided))
    for line, cells in page.tables:
        signal = _table_signal(cells)
        if signal is not None:
            signals.append((line, signal[0], signal[1], "table", signal[2]))
    cursor = [-1]
    listed: dict[int, list[int]] = {}
    for line in page.route_lines:
        under = holder(line, cursor)
        listed.setdefault(under.index if under else -1, []).append(line)
    for lines in listed.values():
        if len(lines) >= 2:  # one route in passing is prose; a listing has several
            signals.append((lines[0], "api", "route-list", "list", frozenset({"routes"})))
    for number in _labelled_routes(page):
        signals.append((number, "api", "route-label", "", frozenset({"routes"})))
    signals.sort(key=lambda signal: signal[0])
    # Sections that show an HTTP request: a JSON object there is its body or response.
    requested: set[int] = set()
    if any(signal[2] == "json-document" for signal in signals):
        requested.update(listed)
        cursor = [-1]
        for fence in page.fences:
            if _CURL.search(fence.content) or _is_request(fence.lang.casefold(), fence.content):
                under = holder(fence.line, cursor)
                requested.add(under.index if under is not None else -1)
    cursor = [-1]
    for line, step_id, kind, text, items in signals:
        under = holder(line, cursor)
        owner = under.owner if under is not None else None
        if not step_id:
            # A block's items also count for the step whose section it stands in.
            if owner is not None:
                _tick(done[owner.id], items)
            continue
        if kind == "json-document" and (
            (owner is not None and owner.id in ("api", "data-flow"))
            or (under.index if under is not None else -1) in requested
        ):
            continue  # a message's body (a request, a response, an event), not a record
        if step_id in results:
            held = section_of(under) if under is not None else None
            add(step_id, Evidence(kind, line, _SIGNAL_TEXT.get(kind, text), held))
            _tick(done[step_id], items)
    for step in registry:
        result = results[step.id]
        for item_id in explicit_no[step.id]:
            done[step.id][item_id] = False
        result.evidence.sort(key=lambda evidence: evidence.line)
        if not result.evidence:
            result.state = StepState.MISSING
        elif all(result.items.values()):
            result.state = StepState.COMPLETE
        else:
            result.state = StepState.PARTIAL
        if result.evidence:
            result.note, result.note_line = "", 0
        result.items = _shared_items(done[step.id])
    return results, problems


def _labelled_routes(page: SourcePage) -> Iterator[int]:
    """Lines outside code that label an endpoint's path (``URL: `/v1/urls` ``)."""
    for number, line in enumerate(page.lines, start=1):
        if ":" in line and "`" in line and number not in page.code_lines:
            if _LABELLED_ROUTE.match(line):
                yield number


def _tick(done: dict[str, bool], items: frozenset[str]) -> None:
    """Mark the items a signal provides as done, where the step has them."""
    for item_id in items:
        if item_id in done:
            done[item_id] = True


_SIGNAL_TEXT = {
    "dataflow-block": "dataflow block",
    "entity-block": "entity block",
    "sql-table": "SQL CREATE TABLE",
    "protobuf-message": "protobuf message",
    "record-type": "record type with fields",
    "interface-type": "interface with methods",
    "json-schema": "JSON Schema",
    "schema-table": "table of names and types",
    "api-block": "api block",
    "openapi": "OpenAPI paths",
    "protobuf-service": "protobuf service",
    "route-table": "table of methods and paths",
    "route-list": "HTTP method and path",
    "route-label": "labelled endpoint path",
    "http-request": "HTTP request",
    "json-document": "JSON object with fields",
    "resource-manifest": "Kubernetes custom resource",
    "api-type": "Kubernetes API type",
    "er-diagram": "ER diagram",
    "class-diagram": "class diagram",
}


def _read_heading(
    node: _Node,
    nodes: list[_Node],
    registry: StepRegistry,
    near: NearMisses,
    problems: list[Problem],
) -> None:
    """Decide whether a heading starts a step's section, names an item, or neither."""
    heading = node.heading
    enclosing = nodes[node.parent].owner if node.parent >= 0 else None
    node.owner = enclosing
    forced = heading.attrs.get("data-step")
    if forced is not None:
        forced = forced.strip()
        if forced == "none":
            return
        step = registry.get(forced)
        if step is None:
            problems.append(
                Problem(
                    heading.line,
                    f"data-step '{forced}' is not a step{did_you_mean(forced, registry.ids)}; "
                    f"expected one of {', '.join(registry.ids)}, or none",
                )
            )
            return
        node.step = node.owner = step
        return
    if enclosing is not None:
        node.items = registry.match_items(enclosing, node.plain)
        if node.items:
            return
    step = registry.match_heading(node.plain, enclosing)
    if step is not None:
        if step is not enclosing:
            node.step = node.owner = step
        return
    key = normalise(node.plain)
    if key in NEUTRAL_HEADINGS:
        node.neutral = True
        return
    suggestion = near.suggest(key, enclosing)
    if suggestion is not None:
        problems.append(
            Problem(
                heading.line,
                f"heading '{node.plain}' is not a step or item; did you mean "
                f"'{suggestion}'? Expected a step or item name, or "
                '{ data-step="none" } on a heading that is meant as neither',
            )
        )


def _fill(page: SourcePage, nodes: list[_Node]) -> None:
    """Set ``filled`` on every heading, children before parents."""
    for node in reversed(nodes):
        text = "\n".join(page.lines[node.heading.line : node.body_end])
        if _has_text(text):
            node.filled = node.any_text = True
        if node.parent >= 0 and node.any_text:
            nodes[node.parent].any_text = True
        if node.filled and node.parent >= 0:
            parent = nodes[node.parent]
            # A nested section of another step fills that step, not its parent; nor does
            # a section that is never a step (a test plan under "Design Details").
            if not node.neutral and (node.step is None or node.step is parent.owner):
                parent.filled = True


def _has_text(text: str) -> bool:
    text = _COMMENT.sub("", text)
    return bool(text.strip()) and not is_placeholder(text)


_SHARED_ITEMS: dict[tuple[tuple[str, bool], ...], Mapping[str, bool]] = {}


def _shared_items(items: dict[str, bool]) -> Mapping[str, bool]:
    """One read-only mapping for every step result with the same items done.

    Most designs of a handbook end a step with the same items done; a thousand designs
    then hold six mappings between them instead of six thousand. Read-only, so sharing
    cannot leak a change from one design into another.
    """
    key = tuple(items.items())
    shared = _SHARED_ITEMS.get(key)
    if shared is None:
        shared = ItemsDone(items)
        if len(_SHARED_ITEMS) < 4096:  # an unusual registry: stop sharing, keep memory flat
            _SHARED_ITEMS[key] = shared
    return shared
