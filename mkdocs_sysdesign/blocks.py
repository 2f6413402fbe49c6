"""The structured blocks of a design: ``entity``, ``api`` and ``dataflow``.

Each block has a pure parser, ``source -> (model objects or None, problems)``, and a pure
renderer, ``model objects -> HTML``. Nothing here knows about Markdown or MkDocs: the
Markdown extension calls these functions from its fence formatters, and the plugin reads the
parsed objects for the handbook-wide tables.

Parsers work on PyYAML's node tree rather than on loaded Python values, for two reasons: the
nodes know their line, so every problem and every entity or route points at the line the
author wrote, and a scalar keeps the text the author typed (``type: 1e3`` stays ``1e3``,
``yes`` stays ``yes``) instead of becoming a float or a boolean.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from sys import intern
from typing import Any, Generic, TypeVar

import yaml
from markupsafe import escape
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .frontmatter import yaml_problem
from .model import Entity, FlowStep, Parameter, Problem, Property, Route
from .render import Templates, render_template
from .source import body_digest
from .texts import complete
from .yamlread import LIMITS, YAMLLimitError, compose_yaml

__all__ = [
    "BLOCKS",
    "BlockKind",
    "ApiSpec",
    "api_items",
    "MERMAID_CONFIG",
    "mermaid_text",
    "parse_api",
    "parse_dataflow",
    "parse_entity",
    "render_api",
    "render_as_written",
    "render_dataflow",
    "render_entities",
    "to_mermaid",
]


@dataclass(slots=True)
class ApiSpec:
    """The content of an ``api`` block: a protocol, its routes and optional notes."""

    protocol: str
    routes: list[Route] = field(default_factory=list)
    notes: str = ""


# --------------------------------------------------------------------------- YAML nodes

_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_TRUE_WORDS = frozenset({"true", "yes", "on"})

_ENTITY_KEYS = ("name", "notes", "description", "properties")
_PROPERTY_KEYS = ("name", "type", "notes", "description", "key", "required")
_PROPERTY_VALUE_KEYS = ("type", "notes", "description", "key", "required")
_API_KEYS = ("protocol", "notes", "description", "routes")
_ROUTE_KEYS = ("method", "path", "parameters", "returns", "auth", "notes", "description")
_PARAMETER_KEYS = ("name", "type", "notes", "description")
_PARAMETER_VALUE_KEYS = ("type", "notes", "description")

_ENTITY_EXPECTED = "expected a mapping or a list of mappings with name and properties"
_API_EXPECTED = "expected a mapping with protocol and routes"


class _Invalid(Exception):
    """The block has a wrong shape: it is shown as written."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.problem = Problem(line, message)


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _describe(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "empty" if node.tag == _NULL_TAG else f"the text '{node.value}'"


def _key(node: Node) -> str:
    return str(node.value) if isinstance(node, ScalarNode) else _describe(node)


def _compose(reader: _Reader, source: str, expected: str) -> Node | None:
    """The block's YAML node tree; raises :class:`_Invalid` for YAML that does not parse
    or is beyond the limits of :mod:`~mkdocs_sysdesign.yamlread`."""
    kind = reader.kind
    try:
        composed = compose_yaml(source)
    except YAMLLimitError as error:
        mark = error.problem_mark
        line = int(mark.line) + 1 if mark is not None else 1
        raise _Invalid(line, f"{kind}: {error.problem}; {LIMITS}") from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = int(mark.line) + 1 if mark is not None else 1
        problem = yaml_problem(error)
        raise _Invalid(line, f"invalid YAML in {kind} block: {problem}; {expected}") from None
    except yaml.YAMLError as error:
        raise _Invalid(1, f"invalid YAML in {kind} block: {error}; {expected}") from None
    for line, message in composed.replaced:
        reader.problems.append(Problem(line + 1, f"{kind}: {message}"))
    return composed.root


class _Reader:
    """Reads one block's node tree, collecting warnings that do not stop rendering."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.problems: list[Problem] = []

    def warn(self, node: Node, message: str) -> None:
        self.problems.append(Problem(_line(node), f"{self.kind}: {message}"))

    def fail(self, node: Node, message: str) -> _Invalid:
        return _Invalid(_line(node), f"{self.kind}: {message}")

    def flatten(self, node: MappingNode, where: str) -> None:
        """Resolve ``<<: *anchor`` merge keys as PyYAML's loader would.

        A key written in the mapping overrides the same key merged in from an anchor, and
        of keys merged in twice the last wins: the node then holds each merged key once.
        """
        own = {id(key) for key, _ in node.value}
        try:
            _FLATTENER.flatten_mapping(node)
        except yaml.MarkedYAMLError as error:
            raise self.fail(node, f"{error.problem}{where}; expected a mapping") from None
        if len(own) == len(node.value):
            return
        taken = {_key(key) for key, _ in node.value if id(key) in own}
        kept: list[tuple[Node, Node]] = []
        for key, value in reversed(node.value):
            if id(key) not in own:
                if _key(key) in taken:
                    continue
                taken.add(_key(key))
            kept.append((key, value))
        node.value = kept[::-1]

    def mapping(
        self, node: MappingNode, valid: tuple[str, ...], where: str = ""
    ) -> dict[str, tuple[Node, Node]]:
        """The known keys of a mapping as ``{key: (key node, value node)}``.

        Unknown and repeated keys are warnings; as in YAML, the last of repeated keys wins.
        """
        self.flatten(node, where)
        found: dict[str, tuple[Node, Node]] = {}
        for key_node, value_node in node.value:
            key = _key(key_node)
            if key not in valid:
                self.warn(
                    key_node, f"unknown key '{key}'{where}; expected one of {', '.join(valid)}"
                )
                continue
            if key in found:
                self.warn(key_node, f"repeated key '{key}'{where}; expected each key once")
            found[key] = (key_node, value_node)
        return found

    def text(self, node: Node, what: str) -> str:
        """A scalar as the text the author wrote; empty for YAML null."""
        if not isinstance(node, ScalarNode):
            raise self.fail(node, f"{what} is {_describe(node)}; expected text")
        return "" if node.tag == _NULL_TAG else intern(str(node.value))

    def notes(self, keys: dict[str, tuple[Node, Node]], where: str) -> str:
        """``notes`` or ``description``; when both are given both are kept, with a warning."""
        if "notes" in keys and "description" in keys:
            self.warn(
                keys["description"][0],
                f"both notes and description{where}; expected one of them",
            )
        parts = [
            self.text(keys[name][1], name + where)
            for name in ("notes", "description")
            if name in keys
        ]
        return "\n".join(part for part in parts if part)

    def flag(self, node: Node, what: str) -> bool:
        if isinstance(node, ScalarNode) and node.tag == _BOOL_TAG:
            return node.value.lower() in _TRUE_WORDS
        if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
            return False
        self.warn(node, f"{what} is {_describe(node)}; expected true or false")
        return False


# PyYAML's flatten_mapping is an instance method that only needs the constructor machinery.
_FLATTENER = yaml.SafeLoader("")  # pure Python: only its constructor methods are used


# --------------------------------------------------------------------------- entity


def _parse_entity(source: str) -> tuple[list[Entity] | None, list[Problem]]:
    """Parse an ``entity`` block: one entity as a mapping, or a list of them.

    Returns the entities (None when the block does not parse and must be shown as
    written) and the problems found, each with its line in the block's content.
    """
    reader = _Reader("entity")
    try:
        root = _compose(reader, source, _ENTITY_EXPECTED)
        if root is None:
            raise _Invalid(1, f"entity: the block is empty; {_ENTITY_EXPECTED}")
        if isinstance(root, MappingNode):
            nodes: list[Node] = [root]
        elif isinstance(root, SequenceNode):
            nodes = list(root.value)
            if not nodes:
                raise reader.fail(root, f"the list is empty; {_ENTITY_EXPECTED}")
        else:
            raise reader.fail(root, f"the block is {_describe(root)}; {_ENTITY_EXPECTED}")
        entities = [_entity(reader, node) for node in nodes]
    except _Invalid as invalid:
        return None, [*reader.problems, invalid.problem]
    return entities, reader.problems


def _entity(reader: _Reader, node: Node) -> Entity:
    if not isinstance(node, MappingNode):
        raise reader.fail(node, f"an entity is {_describe(node)}; {_ENTITY_EXPECTED}")
    keys = reader.mapping(node, _ENTITY_KEYS)
    if "name" not in keys:
        raise reader.fail(node, f"an entity has no name; {_ENTITY_EXPECTED}")
    name = reader.text(keys["name"][1], "the entity name")
    if not name.strip():
        raise reader.fail(keys["name"][1], f"an entity has an empty name; {_ENTITY_EXPECTED}")
    where = f" in entity '{name}'"
    entity = Entity(name=name, notes=reader.notes(keys, where), line=_line(node))
    if "properties" in keys:
        entity.properties = _properties(reader, keys["properties"][1], where)
    return entity


def _properties(reader: _Reader, node: Node, where: str) -> list[Property]:
    expected = (
        "expected a mapping of property name to type, "
        "or a list of mappings with name, type and notes"
    )
    if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
        return []
    if isinstance(node, MappingNode):
        reader.flatten(node, where)
        found = [(key, _short_property(reader, key, value, where)) for key, value in node.value]
    elif isinstance(node, SequenceNode):
        found = [(item, _long_property(reader, item, where)) for item in node.value]
    else:
        raise reader.fail(node, f"properties{where} are {_describe(node)}; {expected}")
    seen: set[str] = set()
    for at, prop in found:
        if prop.name in seen:
            reader.warn(at, f"repeated property '{prop.name}'{where}; expected each name once")
        seen.add(prop.name)
    return [prop for _, prop in found]


def _short_property(reader: _Reader, key: Node, value: Node, where: str) -> Property:
    name = reader.text(key, f"a property name{where}")
    if isinstance(value, MappingNode):
        here = f" in property '{name}'{where}"
        keys = reader.mapping(value, _PROPERTY_VALUE_KEYS, here)
        return _property_from(reader, name, keys, here)
    if isinstance(value, SequenceNode):
        raise reader.fail(
            value,
            f"property '{name}'{where} is a list; expected a type, "
            "or a mapping with type, notes, key and required",
        )
    return Property(name=name, type=reader.text(value, f"the type of '{name}'"))


def _long_property(reader: _Reader, node: Node, where: str) -> Property:
    if isinstance(node, ScalarNode) and node.tag != _NULL_TAG:
        return Property(name=str(node.value))  # a bare name in the list: no type yet
    if not isinstance(node, MappingNode):
        raise reader.fail(
            node,
            f"a property{where} is {_describe(node)}; expected a mapping with name, type, notes",
        )
    keys = reader.mapping(node, _PROPERTY_KEYS, where)
    if "name" not in keys:
        raise reader.fail(
            node,
            f"a property{where} has no name; expected a mapping with name, type, notes "
            "(or the short form 'property: type' without dashes)",
        )
    name = reader.text(keys["name"][1], f"a property name{where}")
    return _property_from(reader, name, keys, f" in property '{name}'{where}")


def _property_from(
    reader: _Reader, name: str, keys: dict[str, tuple[Node, Node]], where: str
) -> Property:
    prop = Property(name=name, notes=reader.notes(keys, where))
    if "type" in keys:
        prop.type = reader.text(keys["type"][1], f"the type{where}")
    if "key" in keys:
        prop.key = reader.flag(keys["key"][1], f"key{where}")
    if "required" in keys:
        prop.required = reader.flag(keys["required"][1], f"required{where}")
    return prop


# --------------------------------------------------------------------------- api


def _parse_api(source: str) -> tuple[ApiSpec | None, list[Problem]]:
    """Parse an ``api`` block: a protocol, optional notes and a list of routes.

    Returns the spec (None when the block does not parse and must be shown as written) and
    the problems found, each with its line in the block's content.
    """
    reader = _Reader("api")
    try:
        root = _compose(reader, source, _API_EXPECTED)
        if root is None:
            raise _Invalid(1, f"api: the block is empty; {_API_EXPECTED}")
        if not isinstance(root, MappingNode):
            raise reader.fail(root, f"the block is {_describe(root)}; {_API_EXPECTED}")
        keys = reader.mapping(root, _API_KEYS)
        protocol = reader.text(keys["protocol"][1], "protocol") if "protocol" in keys else ""
        spec = ApiSpec(protocol=protocol, notes=reader.notes(keys, ""))
        if "routes" in keys:
            spec.routes = _routes(reader, keys["routes"][1], protocol)
    except _Invalid as invalid:
        return None, [*reader.problems, invalid.problem]
    return spec, reader.problems


def _routes(reader: _Reader, node: Node, protocol: str) -> list[Route]:
    if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
        return []
    if not isinstance(node, SequenceNode):
        raise reader.fail(
            node,
            f"routes are {_describe(node)}; expected a list of mappings with method, path, "
            "parameters and returns",
        )
    return [_route(reader, item, protocol) for item in node.value]


def _route(reader: _Reader, node: Node, protocol: str) -> Route:
    expected = "expected a mapping with method, path, parameters and returns"
    if not isinstance(node, MappingNode):
        raise reader.fail(node, f"a route is {_describe(node)}; {expected}")
    keys = reader.mapping(node, _ROUTE_KEYS, " in a route")
    if "path" not in keys:
        raise reader.fail(node, f"a route has no path; {expected}")
    path = reader.text(keys["path"][1], "the path of a route")
    method = reader.text(keys["method"][1], f"the method of '{path}'") if "method" in keys else ""
    where = f" in route '{f'{method} {path}'.strip()}'"
    route = Route(
        method=method,
        path=path,
        notes=reader.notes(keys, where),
        protocol=protocol,
        line=_line(node),
    )
    if "returns" in keys:
        route.returns = reader.text(keys["returns"][1], f"returns{where}")
    if "auth" in keys:
        route.auth = reader.text(keys["auth"][1], f"auth{where}")
    if "parameters" in keys:
        route.parameters = _parameters(reader, keys["parameters"][1], where)
    return route


def _parameters(reader: _Reader, node: Node, where: str) -> list[Parameter]:
    if isinstance(node, ScalarNode) and node.tag == _NULL_TAG:
        return []
    if isinstance(node, MappingNode):
        reader.flatten(node, where)
        found = []
        for key, value in node.value:
            name = reader.text(key, f"a parameter name{where}")
            if isinstance(value, MappingNode):
                here = f" in parameter '{name}'{where}"
                keys = reader.mapping(value, _PARAMETER_VALUE_KEYS, here)
                found.append(_parameter_from(reader, name, keys, here))
            elif isinstance(value, SequenceNode):
                raise reader.fail(
                    value,
                    f"parameter '{name}'{where} is a list; expected a type or a description",
                )
            else:
                found.append(Parameter(name=name, type=reader.text(value, f"'{name}'{where}")))
        return found
    if isinstance(node, SequenceNode):
        return [_long_parameter(reader, item, where) for item in node.value]
    raise reader.fail(
        node,
        f"parameters{where} are {_describe(node)}; expected a mapping of name to type, "
        "or a list of mappings with name, type and notes",
    )


def _long_parameter(reader: _Reader, node: Node, where: str) -> Parameter:
    expected = "expected a mapping with name, type and notes"
    if isinstance(node, ScalarNode) and node.tag != _NULL_TAG:
        return Parameter(name=str(node.value))  # a bare name in the list
    if not isinstance(node, MappingNode):
        raise reader.fail(node, f"a parameter{where} is {_describe(node)}; {expected}")
    keys = reader.mapping(node, _PARAMETER_KEYS, where)
    if "name" not in keys:
        raise reader.fail(node, f"a parameter{where} has no name; {expected}")
    name = reader.text(keys["name"][1], f"a parameter name{where}")
    return _parameter_from(reader, name, keys, f" in parameter '{name}'{where}")


def _parameter_from(
    reader: _Reader, name: str, keys: dict[str, tuple[Node, Node]], where: str
) -> Parameter:
    parameter = Parameter(name=name, notes=reader.notes(keys, where))
    if "type" in keys:
        parameter.type = reader.text(keys["type"][1], f"the type{where}")
    return parameter


def api_items(spec: ApiSpec) -> set[str]:
    """The checklist items of the ``api`` step that this block provides.

    A subset of ``{"protocol", "routes", "parameters", "returns"}``: each item only when
    the block states it (a non-empty protocol, at least one route, a route with parameters,
    a route with a return value).
    """
    items = set()
    if spec.protocol.strip():
        items.add("protocol")
    if spec.routes:
        items.add("routes")
    if any(route.parameters for route in spec.routes):
        items.add("parameters")
    if any(route.returns.strip() for route in spec.routes):
        items.add("returns")
    return items


# --------------------------------------------------------------------------- dataflow

# Longest arrows first, so that ``-->`` is not read as ``-`` and ``->``.
_ARROW = re.compile(r"<--|-->|<-|->")
_NORMALISED = {"->": ("->", False), "-->": ("-->", False), "<-": ("->", True), "<--": ("-->", True)}
_DATAFLOW_EXPECTED = "expected SOURCE -> TARGET: LABEL with ->, --> or <-"


def _parse_dataflow(source: str) -> tuple[list[FlowStep] | None, list[Problem]]:
    """Parse a ``dataflow`` block: one ``SOURCE ARROW TARGET[: LABEL]`` per line.

    Steps are normalised so that ``source`` is the sender: ``A <- B: x`` becomes
    ``B -> A: x`` and ``A <-- B: x`` becomes ``B --> A: x``. Any line that is not an arrow
    makes the whole block None (shown as written), with one problem per such line.
    """
    steps: list[FlowStep] = []
    problems: list[Problem] = []
    for number, raw in enumerate(source.splitlines(), start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        step = _flow_step(text, number)
        if isinstance(step, Problem):
            problems.append(step)
        else:
            steps.append(step)
    if not steps and not problems:
        problems.append(Problem(1, f"dataflow: the block has no arrows; {_DATAFLOW_EXPECTED}"))
    return (None if problems else steps), problems


def _flow_step(text: str, line: int) -> FlowStep | Problem:
    match = _ARROW.search(text)
    if match is None:
        return Problem(line, f"dataflow: line has no arrow; {_DATAFLOW_EXPECTED}")
    # The whole run of arrow characters around the match: ``--->`` or ``<->`` is no arrow.
    start, end = match.start(), match.end()
    while start > 0 and text[start - 1] in "<>-":
        start -= 1
    while end < len(text) and text[end] in "<>-":
        end += 1
    written = text[start:end]
    if written != match.group():
        return Problem(line, f"dataflow: unknown arrow '{written}'; {_DATAFLOW_EXPECTED}")
    source = _participant(text[:start])
    target_text, _, label = text[end:].partition(":")
    target = _participant(target_text)
    if not source or not target:
        missing = "source" if not source else "target"
        return Problem(line, f"dataflow: arrow without a {missing}; {_DATAFLOW_EXPECTED}")
    if _ARROW.search(target):
        return Problem(
            line,
            "dataflow: more than one arrow on a line; expected one arrow per line, "
            "SOURCE -> TARGET: LABEL",
        )
    arrow, reverse = _NORMALISED[match.group()]
    if reverse:
        source, target = target, source
    return FlowStep(source, arrow, target, intern(label.strip()), line)


def _participant(text: str) -> str:
    # Inner runs of spaces are one space: "API  Gateway" and "API Gateway" are one participant.
    return intern(" ".join(text.split()))


_MERMAID_PLAIN = frozenset(" .,'?!/_-()")


def mermaid_text(text: str) -> str:
    """Author text as a Mermaid label or message that shows exactly that text.

    Mermaid reads more than words: ``%%{...}%%`` is a directive, ``%%`` a comment, ``;``
    and line breaks end a statement, ``:``, ``>`` and ``+`` belong to arrows, brackets and
    quotes to shapes, ``<br>`` and other tags are markup, ``#...;`` an entity code. Only
    letters, digits, spaces and ``.,'?!/_-()`` are kept as written; every other character
    becomes its entity code (``#37;`` for ``%``), which Mermaid draws as that character
    and never reads as syntax. Runs of white space are one space.
    """
    return "".join(
        ch if ch.isalnum() or ch in _MERMAID_PLAIN else f"#{ord(ch)};"
        for ch in " ".join(text.split())
    )


_Parsed = TypeVar("_Parsed")


class _ParseCache(Generic[_Parsed]):
    """Parse results by a digest of the block's text.

    A design's blocks are read when designs are collected and again when the page
    renders, which is their last read in a build: ``last=True`` hands the result over and
    forgets it, so a build does not hold every block twice (once in the model, once
    here) while the other pages render. Results are shared, so callers must not change
    what they receive; the texts themselves are not kept.
    """

    def __init__(self, parse: Callable[[str], _Parsed], maxsize: int = 8192) -> None:
        self.parse = parse
        self.maxsize = maxsize
        self.results: dict[bytes, _Parsed] = {}

    def __call__(self, source: str, last: bool = False) -> _Parsed:
        key = body_digest(source)
        if last:
            found = self.results.pop(key, None)
            return self.parse(source) if found is None else found
        found = self.results.get(key)
        if found is None:
            if len(self.results) >= self.maxsize:
                del self.results[next(iter(self.results))]  # the oldest
            found = self.results[key] = self.parse(source)
        return found


_parse_entity_cached = _ParseCache(_parse_entity)
_parse_api_cached = _ParseCache(_parse_api)
_parse_dataflow_cached = _ParseCache(_parse_dataflow)


def parse_entity(source: str, *, last: bool = False) -> tuple[list[Entity] | None, list[Problem]]:
    """Read an ``entity`` block: one mapping or a list of mappings with name and properties.

    Returns the entities (None when the block cannot be shown as a table) and the
    problems, each with its line counted from the block's first content line.
    """
    return _parse_entity_cached(source, last)


def parse_api(source: str, *, last: bool = False) -> tuple[ApiSpec | None, list[Problem]]:
    """Read an ``api`` block: protocol, notes and routes (None when it cannot be shown)."""
    return _parse_api_cached(source, last)


def parse_dataflow(
    source: str, *, last: bool = False
) -> tuple[list[FlowStep] | None, list[Problem]]:
    """Read a ``dataflow`` block, one arrow a line (None when a line is not an arrow)."""
    return _parse_dataflow_cached(source, last)


MERMAID_CONFIG = ("---", "config:", "  sequence:", "    useMaxWidth: false", "---")
"""Front matter of every data-flow diagram. Mermaid scales a sequence diagram down to the
width of the page by default, and with five participants or more its labels shrink below
7 px; at its natural size it stays readable, and the page's CSS scrolls it sideways."""


def to_mermaid(steps: list[FlowStep]) -> str:
    """The Mermaid ``sequenceDiagram`` source of a data flow.

    The source starts with :data:`MERMAID_CONFIG`. Each participant is declared once, in
    order of first appearance, under an alias (``participant P1 as Client``) so that any
    name is safe; ``->`` is drawn as a solid arrow (``->>``), ``-->`` as a dashed one
    (``-->>``).
    """
    aliases: dict[str, str] = {}
    lines = [*MERMAID_CONFIG, "sequenceDiagram"]
    for step in steps:
        for name in (step.source, step.target):
            if name not in aliases:
                aliases[name] = f"P{len(aliases) + 1}"
                lines.append(f"    participant {aliases[name]} as {mermaid_text(name)}")
    for step in steps:
        arrow = "-->>" if step.arrow == "-->" else "->>"
        label = mermaid_text(step.label)
        lines.append(f"    {aliases[step.source]}{arrow}{aliases[step.target]}: {label}".rstrip())
    return "\n".join(lines)


# --------------------------------------------------------------------------- rendering


def _render(
    template: str, templates: Templates | None, labels: Mapping[str, str] | None, **context: object
) -> str:
    texts = complete(labels)
    return render_template(template, templates, labels=texts, **context).strip()


def render_entities(
    entities: list[Entity],
    labels: Mapping[str, str] | None = None,
    templates: Templates | None = None,
) -> str:
    """HTML of an ``entity`` block: one ``div.sysdesign-entity`` with a table per entity.

    The Notes column appears when a property has notes, the Flags column when a property
    is a key or required. ``labels`` are the texts of the page's language
    (:func:`~mkdocs_sysdesign.texts.labels_for`), English by default.
    """
    return _render("entity.html", templates, labels, entities=entities)


def render_api(
    spec: ApiSpec,
    labels: Mapping[str, str] | None = None,
    templates: Templates | None = None,
) -> str:
    """HTML of an ``api`` block: ``div.sysdesign-api`` with the protocol and a route table.

    The Auth and Notes columns appear only when a route has them.
    """
    return _render("api.html", templates, labels, spec=spec)


def render_dataflow(
    steps: list[FlowStep],
    labels: Mapping[str, str] | None = None,
    templates: Templates | None = None,
) -> str:
    """HTML of a ``dataflow`` block: a Mermaid diagram and the same steps as an ordered list.

    ``pre.mermaid`` is what Material for MkDocs draws; the list serves readers without
    JavaScript and themes without Mermaid.
    """
    return _render("dataflow.html", templates, labels, steps=steps, mermaid=to_mermaid(steps))


def render_as_written(source: str, language: str) -> str:
    """HTML of a block that did not parse: its source, escaped, as a code block."""
    return (
        f'<pre class="sysdesign-invalid"><code class="language-{escape(language)}">'
        f"{escape(source)}</code></pre>"
    )


# --------------------------------------------------------------------------- the kinds


def _entity_items(entities: list[Entity]) -> set[str]:
    if not entities:
        return set()
    return {"models", "properties"} if any(e.properties for e in entities) else {"models"}


def _entity_model(entities: list[Entity], fence_line: int) -> tuple[list[Entity], list[Route]]:
    # Parsed blocks are shared (the parse cache): lines are set on copies.
    return [replace(e, line=fence_line + (e.line or 1)) for e in entities], []


def _api_model(spec: ApiSpec, fence_line: int) -> tuple[list[Entity], list[Route]]:
    routes = [
        replace(r, line=fence_line + (r.line or 1), protocol=r.protocol or spec.protocol)
        for r in spec.routes
    ]
    return [], routes


@dataclass(frozen=True)
class BlockKind(Generic[_Parsed]):
    """A structured block: one entry says how it is read, drawn and counted.

    A new block is one more entry in :data:`BLOCKS`; the Markdown extension renders it,
    step detection asks it for the checklist items it provides, and collection asks it for
    what it adds to the model (entities and routes for the handbook-wide tables).
    """

    name: str
    parse: Callable[..., tuple[_Parsed | None, list[Problem]]]
    """``parse(source, last=False)``: the parsed block (None when it cannot be shown) and
    the problems, lines counted from the block's first content line."""
    render: Callable[[_Parsed, Mapping[str, str] | None, Templates | None], str]
    items: Callable[[_Parsed], set[str]]
    """The checklist items the block provides."""
    model: Callable[[_Parsed, int], tuple[list[Entity], list[Route]]] = lambda _, __: ([], [])
    """The entities and routes it adds to the design, given the fence's line in the body."""


BLOCKS: dict[str, BlockKind[Any]] = {
    kind.name: kind
    for kind in (
        BlockKind("entity", parse_entity, render_entities, _entity_items, _entity_model),
        BlockKind("api", parse_api, render_api, api_items, _api_model),
        BlockKind("dataflow", parse_dataflow, render_dataflow, lambda s: {"flow"} if s else set()),
    )
}
"""The structured blocks by fence language."""
