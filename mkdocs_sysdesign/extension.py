"""The Python-Markdown extension: per-page features that also run without MkDocs.

The extension receives everything it needs by injection through a
:class:`PageContext` (the step registry, the term index, a URL resolver, the page's
path and line offset), so it works in a plain ``markdown.Markdown`` as well as in
a MkDocs build, where the plugin fills the context before each page renders.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension

from .model import Finding
from .steps import StepRegistry


def _no_url(src_path: str) -> str:
    return src_path


@dataclass
class PageContext:
    """What the extension knows about the page being converted."""

    registry: StepRegistry = field(default_factory=StepRegistry.default)
    src_path: str = "<string>"
    """Source path of the page, relative to the docs folder, as used in messages."""
    line_offset: int = 0
    """Lines before the Markdown body in the file (front matter), added to every line."""
    url_for: Callable[[str], str] = _no_url
    """Turns a source path (``glossary/acid.md``) into a link from the current page."""
    findings: list[Finding] = field(default_factory=list)
    report: Callable[[Finding], None] | None = None
    """Called for each finding as soon as it is made (the plugin logs it)."""

    def warn(self, line: int | None, message: str) -> None:
        """Record a finding on this page; ``line`` counts from the top of the Markdown body."""
        finding = Finding(self.src_path, None if line is None else line + self.line_offset, message)
        self.findings.append(finding)
        if self.report is not None:
            self.report(finding)


def custom_fences() -> list[dict[str, Any]]:
    """The superfences entries the plugin needs: Mermaid for Material's diagrams."""
    from pymdownx.superfences import fence_code_format

    return [{"name": "mermaid", "class": "mermaid", "format": fence_code_format}]


def ensure_extensions(extensions: list[Any], configs: dict[str, Any]) -> list[str]:
    """Turn on the Markdown extensions the plugin relies on, keeping the user's settings.

    ``extensions`` and ``configs`` are MkDocs' ``markdown_extensions`` list and
    ``mdx_configs`` mapping, changed in place. An extension already listed keeps its
    options; our custom fences are only added to superfences when no fence of the same
    name exists. Returns the names of the extensions turned on.
    """
    added = []
    for name in ("attr_list", "toc", "pymdownx.tasklist", "pymdownx.superfences"):
        if name not in extensions:
            extensions.append(name)
            added.append(name)
    fences = configs.setdefault("pymdownx.superfences", {}).setdefault("custom_fences", [])
    present = {fence.get("name") for fence in fences if isinstance(fence, dict)}
    fences.extend(fence for fence in custom_fences() if fence["name"] not in present)
    return added


class SysdesignExtension(Extension):
    """Registers the sysdesign processors on a Markdown instance."""

    def __init__(self, context: PageContext | None = None, **kwargs: Any) -> None:
        self.context = context or PageContext()
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API name
        """Attach the shared context so fence formatters can find it from ``md``."""
        md.sysdesign_context = self.context  # type: ignore[attr-defined]
        md.registerExtension(self)


def makeExtension(**kwargs: Any) -> SysdesignExtension:  # noqa: N802 - Python-Markdown's API name
    """Entry point for ``markdown.Markdown(extensions=["mkdocs_sysdesign.extension"])``."""
    return SysdesignExtension(**kwargs)
