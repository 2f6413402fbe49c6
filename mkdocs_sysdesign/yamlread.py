"""Reading YAML within bounds: every YAML the plugin reads is composed here.

Front matter, the ``entity`` and ``api`` blocks and ``sysdesign`` tables are all composed
into PyYAML's node tree by :func:`compose_yaml`, and nothing walks a tree or turns it into
values before the tree is known to be within two limits:

- **Depth**: at most :data:`MAX_DEPTH` levels of nesting, counted through aliases. PyYAML's
  pure-Python composer and its constructor recurse once per level, so deeper text would end
  in a ``RecursionError``; so would writing the values out as JSON.
- **Aliases**: at most :data:`MAX_ALIASED_NODES` nodes brought in by aliases (each ``*name``
  counts the nodes of what it names, aliases inside included), and no alias inside the
  node it names. A few hundred bytes of nested aliases ("billion laughs") stand for
  billions of values once written out; a node that contains itself cannot be written out.

Text beyond a limit raises :class:`YAMLLimitError`, a :class:`yaml.MarkedYAMLError` whose
``problem`` names the limit and whose ``problem_mark`` points at the line.

Text the YAML reader accepts but UTF-8 and JSON cannot carry (a lone surrogate written
as an escape, ``"\\ud800"``) is replaced by U+FFFD in the tree and listed in
:attr:`Composed.replaced` with its line, for the caller to report.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 50
"""Levels of nesting a YAML document may have, aliases expanded (a scalar alone is 1)."""

MAX_ALIASED_NODES = 10_000
"""Nodes a YAML document's aliases may bring in, all aliases together."""

LIMITS = (
    f"expected at most {MAX_DEPTH} levels of nesting and {MAX_ALIASED_NODES:,} nodes "
    "brought in by aliases, and no alias inside the node it names"
)
"""What the limits allow, for the second half of a warning."""

_FAST_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SURROGATE = re.compile("[\ud800-\udfff]")
_MERGE_TAG = "tag:yaml.org,2002:merge"


class YAMLLimitError(yaml.MarkedYAMLError):
    """The YAML is beyond a limit of :func:`compose_yaml`; ``problem`` says which."""

    def __init__(self, problem: str, mark: Any, *, well_formed: bool) -> None:
        super().__init__(problem=problem, problem_mark=mark)
        self.well_formed = well_formed
        """Whether a reader without limits (libyaml, as MkDocs uses) reads the text."""


@dataclass(slots=True)
class Composed:
    """A composed YAML document within the limits."""

    loader: yaml.SafeLoader
    """The loader that composed the tree; its ``construct_*`` methods make values of it."""
    root: Node | None
    """The document's root node; None for an empty document."""
    replaced: list[tuple[int, str]] = field(default_factory=list)
    """``(line, message)`` for each scalar whose text was changed so that JSON can carry
    it; lines count from 0, the first line of the YAML text."""
    libyaml_rejected: bool = False
    """libyaml (which MkDocs reads front matter with) rejected the text, which only
    PyYAML's pure-Python loader read: MkDocs leaves such front matter in the page."""


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return []


_CAP = 1 << 62  # sizes grow exponentially with nested aliases; past any limit is enough


def _shape(node: Node, shapes: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """(height, size) of a node with aliases expanded, from its children's shapes."""
    height, size = 1, 1
    for child in _children(node):
        child_height, child_size = shapes[id(child)]
        height = max(height, child_height + 1)
        size = min(size + child_size, _CAP)
    return height, size


def _within_limits(root: Node) -> bool:
    """Whether a composed tree is within the limits; walks each node once, without recursion.

    Aliases compose to the very node they name, so the tree is a graph: a node reached
    again while its own children are being walked is inside itself (a cycle).
    """
    shapes: dict[int, tuple[int, int]] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            shapes[key] = _shape(node, shapes)
            continue
        if key in shapes:
            continue
        if key in open_nodes:
            return False
        open_nodes.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node))
    height, size = shapes[id(root)]
    return height <= MAX_DEPTH and size - len(shapes) <= MAX_ALIASED_NODES


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, stopping at the limits while it composes.

    It is used when libyaml rejects the text or the tree libyaml composed is beyond a
    limit: it stops at the first node past a limit, with that node's line, before
    recursing any deeper.
    """

    def __init__(self, text: str, *, well_formed: bool) -> None:
        super().__init__(text)
        self.well_formed = well_formed
        self.depth = 0
        self.aliased = 0
        self.shapes: dict[int, tuple[int, int]] = {}

    def limit(self, problem: str, mark: Any) -> YAMLLimitError:
        return YAMLLimitError(problem, mark, well_formed=self.well_formed)

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            target = self.anchors.get(event.anchor)
            if target is not None:  # an unknown alias is PyYAML's own error
                shape = self.shapes.get(id(target))
                if shape is None:
                    raise self.limit(
                        f"alias '*{event.anchor}' is inside the node it names (a cycle)",
                        event.start_mark,
                    )
                height, size = shape
                if self.depth + height > MAX_DEPTH:
                    raise self.limit(
                        f"alias '*{event.anchor}' nests the YAML deeper than {MAX_DEPTH} "
                        "levels, the limit",
                        event.start_mark,
                    )
                self.aliased += size
                if self.aliased > MAX_ALIASED_NODES:
                    raise self.limit(
                        f"aliases bring in more than {MAX_ALIASED_NODES:,} nodes, the limit "
                        f"(reached at '*{event.anchor}')",
                        event.start_mark,
                    )
            return super().compose_node(parent, index)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.limit(
                f"the YAML nests deeper than {MAX_DEPTH} levels, the limit", event.start_mark
            )
        node = super().compose_node(parent, index)
        self.depth -= 1
        if node is not None:
            self.shapes[id(node)] = _shape(node, self.shapes)
        return node


def _replace_surrogates(root: Node | None) -> list[tuple[int, str]]:
    """Replace lone surrogates in scalars by U+FFFD; returns where and what was replaced."""
    replaced: list[tuple[int, str]] = []
    for node in walk(root):
        if isinstance(node, ScalarNode) and _SURROGATE.search(node.value):
            count = len(_SURROGATE.findall(node.value))
            node.value = _SURROGATE.sub("\ufffd", node.value)
            shown = node.value if len(node.value) <= 40 else node.value[:39] + "\u2026"
            replaced.append(
                (
                    node.start_mark.line,
                    f"the text {shown!r} has {count} lone surrogate "
                    f"escape{'s' if count > 1 else ''} (such as \\ud800), which UTF-8 and "
                    "JSON cannot carry; expected whole characters (each is shown as U+FFFD)",
                )
            )
    return replaced


def compose_yaml(text: str) -> Composed:
    """Compose ``text`` into a node tree within the limits (see the module docstring).

    libyaml reads when PyYAML has it, as MkDocs itself reads front matter: the same
    results, many times faster. Text it rejects, and trees beyond a limit, are read again
    by the bounded pure-Python loader, so the :class:`yaml.YAMLError` raised names the
    offending character or the node past the limit.

    Raises :class:`YAMLLimitError` beyond a limit, another :class:`yaml.YAMLError` for
    text that is not YAML.
    """
    well_formed = False
    if _FAST_LOADER is not yaml.SafeLoader:
        fast = _FAST_LOADER(text)
        try:
            root = fast.get_single_node()
        except yaml.YAMLError:
            pass
        else:
            if root is None or _within_limits(root):
                return Composed(fast, root, _replace_surrogates(root))
            well_formed = True
    slow = _BoundedLoader(text, well_formed=well_formed)
    root = slow.get_single_node()
    if well_formed:
        # The bounded loader stops wherever the walk found a limit; this is a safeguard.
        raise YAMLLimitError(f"the YAML is beyond a limit; {LIMITS}", None, well_formed=True)
    return Composed(
        slow, root, _replace_surrogates(root), libyaml_rejected=_FAST_LOADER is not yaml.SafeLoader
    )


def walk(root: Node | None) -> Iterator[Node]:
    """Every node of a tree once, parents before children, without recursion."""
    seen: set[int] = set()
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(reversed(_children(node)))


def repeated_keys(root: Node | None) -> list[tuple[int, tuple[str, ...]]]:
    """Keys written twice in one mapping: ``(line, path of the key)`` of each repetition.

    YAML keeps the last value of a repeated key without a word; lines count from 0.
    Paths name mapping keys and list indexes as text, as :func:`walk` reaches them.
    """
    found: list[tuple[int, tuple[str, ...]]] = []
    seen: set[int] = set()
    stack: list[tuple[tuple[str, ...], Node]] = [((), root)] if root is not None else []
    while stack:
        path, node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if not isinstance(key, ScalarNode) or key.tag == _MERGE_TAG:
                    continue
                here = (*path, str(key.value))
                if key.value in keys:
                    found.append((key.start_mark.line, here))
                keys.add(key.value)
                stack.append((here, value))
        elif isinstance(node, SequenceNode):
            stack.extend(((*path, str(index)), item) for index, item in enumerate(node.value))
    return sorted(found)
