"""``mkdocs-sysdesign sync``: write the files a Zensical build needs into the docs folder.

Zensical builds only what is in the docs folder; the plugin adds pages and assets to a
MkDocs build. This command writes them there (:func:`mkdocs_sysdesign.zensical.sync`),
or with ``--check`` says which are missing or out of date.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .check import count_of
from .runner import UsageError, find_config, relative


def cmd_sync(args: argparse.Namespace) -> int:
    """``sync``: write (or with ``--check`` compare) the files Zensical cannot add."""
    from ..zensical import sync

    config_file = find_config(args.config_file)
    if config_file is None:
        zensical_toml = Path("zensical.toml")
        if args.config_file is None and zensical_toml.is_file():
            config_file = zensical_toml
        else:
            raise UsageError("no mkdocs.yml in the current folder; pass -f path/to/mkdocs.yml")
    result = sync(config_file, write=not args.check)
    for problem in result.problems:
        print(f"mkdocs-sysdesign sync: warning: {problem}", file=sys.stderr)
    prefix = relative(Path(config_file).resolve().parent / result.docs_prefix)
    if args.check:
        for path in result.state.missing:
            print(f"{prefix}/{path}: missing")
        for path in result.state.outdated:
            print(f"{prefix}/{path}: out of date")
        if not result.state.in_sync:
            print(
                "mkdocs-sysdesign sync: files out of date; run 'mkdocs-sysdesign sync'",
                file=sys.stderr,
            )
            return 1
        print("mkdocs-sysdesign sync: in sync", file=sys.stderr)
        return 0
    for path in result.written:
        print(f"{prefix}/{path}: written")
    written = count_of(len(result.written), "file")
    print(f"mkdocs-sysdesign sync: {written} written", file=sys.stderr)
    return 0
