"""The files a MkDocs build gets from the plugin and a Zensical build needs in ``docs/``.

MkDocs lets the plugin add pages and assets to the site while it builds; Zensical
builds only what is in the docs folder. ``mkdocs-sysdesign sync`` writes these files
there (the shipped glossary's term pages, the glossary index and the plugin's
assets), and both the command and the Zensical extension compare them with what is
written, to say when they are out of date. Nothing here knows MkDocs or Zensical.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from . import glossary_pages
from .collect import SHIPPED_COPY_MARK
from .model import Handbook

ASSETS = "assets/sysdesign"
"""Where the plugin's assets go in the site (the same folder on MkDocs and Zensical)."""

ASSET_FILES = {
    "sysdesign.css": "sysdesign.css",
    "sysdesign-tables.js": "sysdesign-tables.js",
    "sysdesign.js": "sysdesign.js",
    "mermaid.min.js": "mermaid/mermaid.min.js",
}
"""Asset name in the site -> its path under the package's ``assets`` folder."""


def asset_bytes(name: str) -> bytes:
    """The content of one of the plugin's assets, by its name in the site."""
    return (resources.files("mkdocs_sysdesign") / "assets" / ASSET_FILES[name]).read_bytes()


def asset_files() -> dict[str, bytes]:
    """The plugin's assets by path relative to the docs folder."""
    return {f"{ASSETS}/{name}": asset_bytes(name) for name in ASSET_FILES}


def glossary_files(
    handbook: Handbook, glossary_dir: str, labels: Mapping[str, str]
) -> dict[str, bytes]:
    """The shipped term pages the handbook uses and the glossary index, by path relative
    to the docs folder.

    A shipped page is written with ``SHIPPED_COPY_MARK`` as its last line, and read as
    the shipped page itself (not as the project's own page replacing it): writing them
    changes no finding, and a later sync replaces a copy of an older version.
    """
    folder = glossary_dir.strip("/")
    files: dict[str, bytes] = {}
    for term in handbook.terms.values():
        if term.builtin:
            name = posixpath.basename(term.path)
            source = resources.files("mkdocs_sysdesign") / "builtin_glossary" / name
            text = source.read_text(encoding="utf-8").rstrip("\n")
            files[term.path] = f"{text}\n\n{SHIPPED_COPY_MARK}\n".encode()
    if handbook.terms:
        index = glossary_pages.index_markdown(handbook, folder, labels)
        files[f"{folder}/index.md"] = (index + "\n").encode("utf-8")
    return files


@dataclass
class SyncState:
    """How the files in the docs folder compare with the files the handbook needs."""

    missing: list[str]
    outdated: list[str]

    @property
    def in_sync(self) -> bool:
        """Nothing to write."""
        return not (self.missing or self.outdated)

    def describe(self) -> str:
        """The paths out of sync, for one line of a message."""
        parts = []
        if self.missing:
            parts.append(f"{len(self.missing)} missing ({_some(self.missing)})")
        if self.outdated:
            parts.append(f"{len(self.outdated)} out of date ({_some(self.outdated)})")
        return ", ".join(parts)


def _some(paths: list[str]) -> str:
    shown = ", ".join(paths[:3])
    return shown + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")


def compare(docs_dir: Path, wanted: Mapping[str, bytes]) -> SyncState:
    """Which of ``wanted`` are missing from ``docs_dir`` or differ from what is there."""
    missing, outdated = [], []
    for path, content in sorted(wanted.items()):
        target = docs_dir / path
        try:
            present = target.read_bytes()
        except FileNotFoundError:
            missing.append(path)
            continue
        except OSError:
            outdated.append(path)
            continue
        if present != content:
            outdated.append(path)
    return SyncState(missing, outdated)


def write(docs_dir: Path, wanted: Mapping[str, bytes]) -> list[str]:
    """Write the files of ``wanted`` that differ from what is in ``docs_dir``; returns
    their paths. Files that are already right are left alone (and keep their times)."""
    state = compare(docs_dir, wanted)
    written = []
    for path in (*state.missing, *state.outdated):
        target = docs_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(wanted[path])
        written.append(path)
    return sorted(written)
