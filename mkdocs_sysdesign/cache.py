"""What ``mkdocs serve`` keeps from one build to the next, keyed by content.

Each rebuild reads every page again. Most of them did not change, so the plugin keeps
the results of its pure steps (front matter, step detection, rendered blocks, term
matches, checklist panels) keyed by the text they were computed from. A changed text
is a new key; a changed setting (the step registry, the labels, the terms) empties the
memo it feeds. Entries that a build did not use are dropped at the start of the next
one, so a long session holds at most two builds' worth.

Only ``mkdocs serve`` keeps a cache: a single ``mkdocs build`` would gain nothing and
hold more memory.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

V = TypeVar("V")

_UNSET: Any = object()


class Memo(Generic[V]):
    """Results by key, valid while the settings they were computed with stay the same."""

    __slots__ = ("current", "enabled", "previous", "settings")

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.settings: Any = _UNSET
        self.current: dict[Hashable, V] = {}
        self.previous: dict[Hashable, V] = {}

    def begin(self, settings: Any = None) -> None:
        """Start a build: forget what the last build did not use, or all when settings differ."""
        if not self.enabled:
            return
        self.previous = self.current if settings == self.settings else {}
        self.settings = settings
        self.current = {}

    def get(self, key: Hashable, compute: Callable[..., V], *args: Any) -> V:
        """The value for ``key``; ``compute(*args)`` only when no build since the last had it."""
        if not self.enabled:
            return compute(*args)
        current = self.current
        if key in current:
            return current[key]
        value: V = self.previous.pop(key, _UNSET)
        if value is _UNSET:
            value = compute(*args)
        current[key] = value
        return value

    def __len__(self) -> int:
        return len(self.current) + len(self.previous)


_MEMOS = ("fronts", "analyses", "blocks", "matches", "panels")


@dataclass
class BuildCache:
    """The memos of one plugin instance; all disabled unless ``mkdocs serve`` runs."""

    enabled: bool = False
    fronts: Memo[Any] = field(init=False)
    """Front matter by the file's text."""
    analyses: Memo[Any] = field(init=False)
    """Step detection and block contents by a design's body."""
    blocks: Memo[str] = field(init=False)
    """Rendered ``entity``, ``api`` and ``dataflow`` blocks by language and source."""
    matches: Memo[Any] = field(init=False)
    """Term mentions by the text they were found in."""
    panels: Memo[str] = field(init=False)
    """Checklist panels by everything they show."""

    def __post_init__(self) -> None:
        for name in _MEMOS:
            setattr(self, name, Memo(self.enabled))

    def sizes(self) -> dict[str, int]:
        """Entries held per memo (for the debug log and tests)."""
        return {name: len(getattr(self, name)) for name in _MEMOS}
