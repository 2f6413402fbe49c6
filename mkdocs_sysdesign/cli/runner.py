"""Building a project quietly, as ``mkdocs build`` would, and collecting what the plugin found.

``check`` and ``export`` do not read designs themselves: they load ``mkdocs.yml`` as
MkDocs does, run MkDocs' own build (every plugin included, so a macro expands as on the
site) into a temporary folder that is deleted afterwards, and read what the
``sysdesign`` plugin found. The site and the commands therefore always agree.
"""

from __future__ import annotations

import contextlib
import importlib.util
import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import yaml

from ..model import Finding, Handbook, Status, visible
from ..steps import StepRegistry

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from ..plugin import SysdesignPlugin


PROPERDOCS_NAMES = ("properdocs.yml", "properdocs.yaml")
"""ProperDocs' configuration files: a project that has one builds with ProperDocs."""

CONFIG_NAMES = (*PROPERDOCS_NAMES, "mkdocs.yml", "mkdocs.yaml")
"""Looked for in the current folder in this order, as ProperDocs looks for them."""

_tool = "mkdocs"
"""The package that builds: ``mkdocs``, or ``properdocs`` for a ``properdocs.yml``."""


def _plugin_logger() -> str:
    return f"{_tool}.plugins.mkdocs_sysdesign"


class UsageError(Exception):
    """The command cannot run as asked; exit code 2."""


def find_config(explicit: str | None) -> Path | None:
    """The ``mkdocs.yml`` to use: ``-f`` when given, else one in the current folder, else None.

    A ``properdocs.yml`` (given or found) is built with ProperDocs, as ``properdocs build``
    would build it.
    """
    found: Path | None = None
    if explicit is not None:
        found = Path(explicit)
        if not found.is_file():
            raise UsageError(f"{explicit}: no such configuration file")
    else:
        found = next((Path(name) for name in CONFIG_NAMES if Path(name).is_file()), None)
    if found is not None and found.name in PROPERDOCS_NAMES:
        _use_properdocs(found)
    return found


def _use_properdocs(config_file: Path) -> None:
    """Send every ``mkdocs`` import to ProperDocs, as its own command does."""
    global _tool
    if _tool == "properdocs":
        return
    if importlib.util.find_spec("properdocs") is None:
        raise UsageError(
            f"{config_file}: this is ProperDocs' configuration file and ProperDocs is not "
            "installed; run 'pip install properdocs', or rename the file to mkdocs.yml "
            "to build with MkDocs"
        )
    if any(name == "mkdocs" or name.startswith("mkdocs.") for name in sys.modules):
        # Only possible when the command runs inside a process that already built with
        # MkDocs (a test, a script): its modules cannot be swapped any more.
        raise UsageError(
            f"{config_file}: MkDocs is already loaded in this process, so ProperDocs cannot "
            "build; run the mkdocs-sysdesign command on its own"
        )
    import properdocs.replacement  # noqa: F401  (redirects mkdocs.* to properdocs.*)

    _tool = "properdocs"


class _Collect(logging.Handler):
    """Keeps log records instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def quiet_mkdocs() -> Iterator[_Collect]:
    """Silence MkDocs' logging (its INFO lines and the plugin's own log) and keep the records.

    The plugin's findings are read from the plugin object, so its log lines would only
    repeat them; other warnings are shown afterwards by :func:`show_other_warnings`.
    """
    logger = logging.getLogger(_tool)
    handler = _Collect()
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def show_other_warnings(records: list[logging.LogRecord], stream: TextIO) -> None:
    """Print warnings and errors that came from MkDocs or other plugins, not from ours."""
    for record in records:
        if record.levelno < logging.WARNING or record.name.startswith(_plugin_logger()):
            continue
        level = "error" if record.levelno >= logging.ERROR else "warning"
        print(f"mkdocs: {level}: {visible(record.getMessage())}", file=stream)


def load_mkdocs_config(
    config_file: Path, records: _Collect, **overrides: Any
) -> tuple[MkDocsConfig, SysdesignPlugin]:
    """Load ``mkdocs.yml`` with MkDocs' own loader and return it with the sysdesign plugin."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from ..plugin import SysdesignPlugin

    try:
        config = load_config(str(config_file), **overrides)
    except MkDocsException as error:
        show_other_warnings(records.records, sys.stderr)
        records.records.clear()
        raise UsageError(f"{config_file}: {error}") from None
    plugin = config.plugins.get("sysdesign")
    if not isinstance(plugin, SysdesignPlugin):
        zensical = "mkdocs_sysdesign.zensical" in config.markdown_extensions
        raise UsageError(
            f"{config_file}: the sysdesign plugin is not in 'plugins:'; "
            "add '- sysdesign' to the plugins list"
            + (
                " (Zensical ignores that entry, and mkdocs_sysdesign.zensical reads its "
                "options from it)"
                if zensical
                else ""
            )
        )
    return config, plugin


def registry_and_statuses(
    config_file: Path | None,
) -> tuple[StepRegistry, list[Status], MkDocsConfig | None]:
    """The project's step registry and statuses, or the defaults without ``mkdocs.yml``."""
    if config_file is None:
        from ..config import DEFAULT_STATUSES  # imports MkDocs: not needed for --help

        return StepRegistry.default(), list(DEFAULT_STATUSES), None
    with quiet_mkdocs() as records:
        config, plugin = load_mkdocs_config(config_file, records)
    show_other_warnings(records.records, sys.stderr)
    return plugin.config.steps, list(plugin.config.statuses), config


def relative(path: str | os.PathLike[str]) -> str:
    """A path as the user would type it from the current folder, with forward slashes."""
    try:
        text = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        text = os.path.abspath(path)
    return text.replace(os.sep, "/")


@dataclass
class BuildResult:
    """What a build of the project left behind: the plugin with its model and findings."""

    plugin: SysdesignPlugin
    docs_prefix: str
    """The docs folder as seen from the current folder (``docs``), prefixed to findings."""
    config_file: str
    """The ``mkdocs.yml`` used, as seen from the current folder (empty for the defaults)."""
    records: list[logging.LogRecord] = field(default_factory=list)

    @property
    def handbook(self) -> Handbook:
        """The model of the site as the build showed it."""
        return self.plugin.built

    def shown(self, finding: Finding) -> Finding:
        """A finding with its file as the user reaches it from the current folder."""
        if finding.file == "mkdocs.yml" and self.config_file:
            where = self.config_file  # a finding about the configuration itself
        else:
            where = relative(
                os.path.join(self.plugin.config_dir, self.plugin.source_path(finding.file))
            )
        return Finding(where, finding.line, finding.message, finding.level)

    @property
    def findings(self) -> list[Finding]:
        """The plugin's findings, files relative to the current folder."""
        return [self.shown(finding) for finding in self.plugin.findings]


def _defaults_config(docs_dir: Path, folder: Path) -> Path:
    """Write the documented default ``mkdocs.yml`` for a bare docs folder into ``folder``."""
    theme = "material" if importlib.util.find_spec("material") else "mkdocs"
    name = docs_dir.resolve().name
    settings = {
        "site_name": name.replace("-", " ").replace("_", " ").strip() or "Designs",
        "docs_dir": str(docs_dir.resolve()),
        "theme": {"name": theme},
        "plugins": ["sysdesign"],
    }
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return path


def run_build(config_option: str | None, docs_dir: str | None) -> BuildResult:
    """Build the project into a temporary folder, as ``mkdocs build`` would, and keep nothing.

    With ``-f`` that configuration is used, and ``docs_dir`` (when given) replaces its
    ``docs_dir``. With only ``docs_dir``, the documented defaults are written to a
    temporary ``mkdocs.yml`` outside the docs folder. With neither, ``mkdocs.yml`` in the
    current folder is used.
    """
    if docs_dir is not None and not Path(docs_dir).is_dir():
        raise UsageError(f"{docs_dir}: no such folder")
    config_file = find_config(config_option) if config_option or docs_dir is None else None
    # Imported once the configuration is known: a properdocs.yml sends them to ProperDocs.
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    if config_file is None and docs_dir is None:
        raise UsageError(
            "no mkdocs.yml (or properdocs.yml) in the current folder; "
            "pass -f path/to/mkdocs.yml or a DOCS_DIR"
        )
    with tempfile.TemporaryDirectory(prefix="mkdocs-sysdesign-") as temp, quiet_mkdocs() as log:
        temp_dir = Path(temp)
        overrides: dict[str, Any] = {"site_dir": str(temp_dir / "site"), "strict": False}
        shown_config = ""
        if config_file is None:
            assert docs_dir is not None
            config_file = _defaults_config(Path(docs_dir), temp_dir)
        else:
            shown_config = relative(config_file)
            if docs_dir is not None:
                overrides["docs_dir"] = str(Path(docs_dir).resolve())
        config, plugin = load_mkdocs_config(config_file, log, **overrides)
        if not plugin.config.enabled:
            raise UsageError(f"{config_file}: the sysdesign plugin is disabled (enabled: false)")
        try:
            config.plugins.on_startup(command="build", dirty=False)
            plugin.keep_model = True  # the commands read the whole model after the build
            try:
                build(config)
            finally:
                # MkDocs hands the same plugin object to every configuration loaded in
                # this process: a later build by the same program must let go as usual.
                plugin.keep_model = False
                config.plugins.on_shutdown()
        except MkDocsException as error:
            show_other_warnings(log.records, sys.stderr)
            raise UsageError(f"the build stopped: {error}") from None
        # The plugin's docs_prefix is relative to the folder of mkdocs.yml (what its log
        # shows); seen from the current folder it may differ, and for the defaults the
        # configuration lives in a temporary folder.
        config_dir = os.path.dirname(os.path.abspath(config.config_file_path or config_file))
        docs_prefix = relative(os.path.normpath(os.path.join(config_dir, plugin.docs_prefix)))
        return BuildResult(plugin, docs_prefix, shown_config, list(log.records))
