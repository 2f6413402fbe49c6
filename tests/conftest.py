"""Fixtures of the test suite; the helpers behind them live in ``harness.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import Site, build_project


@pytest.fixture
def make_site(tmp_path: Path) -> Iterator[Callable[..., Site]]:
    """Build a project from a mapping of docs files; keyword arguments go to ``build_project``."""
    counter = iter(range(1000))

    def make(files: dict[str, str], config: dict[str, Any] | None = None, **kwargs: Any) -> Site:
        return build_project(tmp_path / f"p{next(counter)}", files, config, **kwargs)

    yield make
