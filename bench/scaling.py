"""Build one-page sites of growing size in one process; the fastest CPU seconds of each.

``python bench/scaling.py NAME ROUNDS OUT ROOT...`` builds each ``ROOT`` with its
``mkdocs-NAME.yml`` through MkDocs' public API (``load_config`` and ``build``), the way
``mkdocs build`` does, ``ROUNDS`` times, and writes to ``OUT`` (JSON) for each root its
fastest build and the warnings that build logged. A first build of the first root, not
counted, pays for imports and template compilation; the rounds then visit every root in
turn, so a machine getting busier or quieter touches every size alike. Run by
``run.py --suite scaling``, once per configuration, so the plain and plugin builds never
share a process.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config


class _Count(logging.Handler):
    """Counts the warnings a build logs (and keeps them off the terminal)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


def build_once(root: Path, name: str, counter: _Count) -> tuple[float, int]:
    """One build of ``root`` with ``mkdocs-NAME.yml``: CPU seconds and warnings logged."""
    config = load_config(
        config_file=str(root / f"mkdocs-{name}.yml"), site_dir=str(root / f"site-{name}")
    )
    counter.count = 0
    start = time.process_time()
    build(config)
    return time.process_time() - start, counter.count


def main(argv: list[str]) -> int:
    """Command line: ``NAME ROUNDS OUT ROOT...``."""
    name, rounds, out, *roots = argv
    counter = _Count()
    log = logging.getLogger("mkdocs")
    log.addHandler(counter)
    log.propagate = False
    log.setLevel(logging.WARNING)
    paths = [Path(root) for root in roots]
    build_once(paths[0], name, counter)
    fastest: dict[str, float] = {}
    warnings: dict[str, int] = {}
    for _ in range(int(rounds)):
        for path in paths:
            seconds, count = build_once(path, name, counter)
            fastest[str(path)] = min(seconds, fastest.get(str(path), seconds))
            warnings[str(path)] = count
    figures = [{"seconds": fastest[str(p)], "warnings": warnings[str(p)]} for p in paths]
    Path(out).write_text(json.dumps(figures), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
