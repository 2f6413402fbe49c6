"""The ``sysdesign`` MkDocs plugin: wiring of MkDocs events to the handbook model.

This is the only module that knows MkDocs' event order; the work itself lives in
plain modules (``steps``, ``frontmatter``, ``glossary``, ``blocks``, ``tables``).
"""

from __future__ import annotations

import os

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, get_plugin_logger

from .config import SysdesignConfig
from .extension import PageContext, SysdesignExtension, ensure_extensions
from .model import Finding

log = get_plugin_logger(__name__)


class SysdesignPlugin(BasePlugin[SysdesignConfig]):
    """Turns six-step system designs into a navigable handbook."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.context = PageContext()
        self.extension = SysdesignExtension(self.context)
        self.docs_prefix = "docs"

    # Everything is rebuilt here: `mkdocs serve` reuses the plugin object for each rebuild.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Reset the state, turn on the Markdown extensions we need, register our own."""
        if not self.config.enabled:
            return config
        self.findings = []
        self.context = PageContext(registry=self.config.steps, report=self._report)
        self.extension = SysdesignExtension(self.context)
        config_dir = os.path.dirname(config.config_file_path or "") or os.getcwd()
        self.docs_prefix = os.path.relpath(config.docs_dir, config_dir).replace(os.sep, "/")
        for name in ensure_extensions(config.markdown_extensions, config.mdx_configs):
            log.debug("turned on the Markdown extension %s", name)
        config.markdown_extensions.append(self.extension)  # type: ignore[arg-type]
        return config

    def _report(self, finding: Finding) -> None:
        """Log a finding through the plugin logger, so ``--strict`` fails on warnings."""
        self.findings.append(finding)
        shown = Finding(f"{self.docs_prefix}/{finding.file}", finding.line, finding.message)
        if finding.level == "info":
            log.info("%s", shown)
        else:
            log.warning("%s", shown)
