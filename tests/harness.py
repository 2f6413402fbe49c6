"""The test harness: build small MkDocs projects into a temporary folder and read them back.

Test modules import helpers from here; ``conftest.py`` turns them into fixtures.
"""

from __future__ import annotations

import json
import logging
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

os.environ["NO_MKDOCS_2_WARNING"] = "1"

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT.parent / "shared" / "corpora"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


class _Records(logging.Handler):
    """Collects every record logged under ``mkdocs``, whatever propagation says."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Site:
    """A built project: its output folder, config and the log records of the build."""

    root: Path
    site_dir: Path
    config: Any
    records: list[logging.LogRecord] = field(default_factory=list)
    error: BaseException | None = None

    def output_path(self, src: str) -> Path:
        """Where the page built from docs/``src`` was written."""
        stem, _ = os.path.splitext(src)
        if self.config.use_directory_urls and os.path.basename(stem) != "index":
            return self.site_dir / stem / "index.html"
        return self.site_dir / f"{stem}.html"

    def url(self, src: str) -> str:
        """The URL of the page built from ``src``, relative to the site root ("" for home)."""
        path = self.output_path(src).relative_to(self.site_dir).as_posix()
        if self.config.use_directory_urls:
            return path.removesuffix("index.html")
        return path

    def search_docs(self, src: str) -> list[dict[str, Any]]:
        """The search index entries of the page built from ``src`` (its sections)."""
        raw = (self.site_dir / "search" / "search_index.json").read_text(encoding="utf-8")
        url = self.url(src)
        return [doc for doc in json.loads(raw)["docs"] if doc["location"].split("#")[0] == url]

    def search_text(self, src: str) -> str:
        """The words the search index holds for a page: section titles and texts, as text."""
        return " ".join(
            " ".join(
                (
                    doc["title"] + " " + BeautifulSoup(doc["text"], "html.parser").get_text(" ")
                ).split()
            )
            for doc in self.search_docs(src)
        )

    def html(self, src: str) -> BeautifulSoup:
        """The parsed HTML of the page built from docs/``src``."""
        return BeautifulSoup(self.output_path(src).read_text(encoding="utf-8"), "html.parser")

    def content(self, src: str) -> Any:
        """The page's article: Material's ``.md-content`` or the MkDocs theme's main role."""
        soup = self.html(src)
        return (
            soup.select_one("article.md-content__inner")
            or soup.select_one('[role="main"]')
            or soup.body
        )

    @property
    def messages(self) -> list[str]:
        """Messages of warnings and errors logged by the plugin."""
        return [
            r.getMessage()
            for r in self.records
            if r.levelno >= logging.WARNING and r.name.startswith("mkdocs.plugins.mkdocs_sysdesign")
        ]

    @property
    def warnings(self) -> list[str]:
        """Messages of every warning or error logged during the build, by any part of MkDocs."""
        return [r.getMessage() for r in self.records if r.levelno >= logging.WARNING]

    def infos(self) -> list[str]:
        """Info messages of the plugin."""
        return [
            r.getMessage()
            for r in self.records
            if r.levelno == logging.INFO and r.name.startswith("mkdocs.plugins.mkdocs_sysdesign")
        ]


def write_project(
    root: Path,
    files: dict[str, str],
    config: dict[str, Any] | None = None,
    *,
    raw_files: dict[str, bytes] | None = None,
) -> Path:
    """Write ``mkdocs.yml`` and docs files (dedented) under ``root``; returns the config path.

    ``raw_files`` are written byte for byte (files that are not UTF-8, say).
    """
    docs = root / "docs"
    docs.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8", newline="")
    for name, data in (raw_files or {}).items():
        path = docs / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    settings: dict[str, Any] = {"site_name": "Test", "plugins": ["sysdesign"]}
    settings.update(config or {})
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return config_file


def build_project(
    root: Path,
    files: dict[str, str],
    config: dict[str, Any] | None = None,
    *,
    strict: bool = False,
    theme: str = "material",
    use_directory_urls: bool = True,
    raw_files: dict[str, bytes] | None = None,
) -> Site:
    """Build a project in-process and return the site with the build's log records."""
    settings: dict[str, Any] = {"theme": {"name": theme}, "use_directory_urls": use_directory_urls}
    if theme == "material":
        settings["theme"]["font"] = False
    settings.update(config or {})
    config_file = write_project(root, files, settings, raw_files=raw_files)
    handler = _Records()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.DEBUG)
    site_dir = root / "site"
    try:
        cfg = load_config(str(config_file), site_dir=str(site_dir), strict=strict)
        site = Site(root, site_dir, cfg, handler.records)
        try:
            build(cfg)
        except Abort as error:
            site.error = error
        return site
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


THEMES_AND_URLS = [
    pytest.param("material", True, id="material-dirurls"),
    pytest.param("material", False, id="material-fileurls"),
    pytest.param("mkdocs", True, id="mkdocs-dirurls"),
    pytest.param("mkdocs", False, id="mkdocs-fileurls"),
]


def require_corpora(name: str = "system-design-primer") -> Path:
    """A folder of the shared corpora; skips without it, and fails without it under CI."""
    folder = CORPORA / name
    if not folder.is_dir():
        if IN_CI:
            pytest.fail(f"{folder} is missing; CI must provide ../shared/corpora")
        pytest.skip(f"{folder} is absent (the shared corpora sit beside the project)")
    return folder
