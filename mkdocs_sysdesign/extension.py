"""The Python-Markdown extension: per-page features that also run without MkDocs.

The extension receives everything it needs by injection, in three objects of three
lifetimes: a :class:`SiteContext` for the build (the step registry, the term index, the
collected model, labels), a :class:`PageInfo` for each page (its path, line offset, URL
resolvers, the design it is) and a :class:`Conversion` for each conversion (mentions,
findings, heading ids), started afresh by :meth:`SysdesignExtension.reset`. So glossary
links, blocks and the design panel work in a plain ``markdown.Markdown`` as well as in a
MkDocs build, where the plugin sets the page before each page renders::

    extension = SysdesignExtension(SiteContext(term_index=index), PageInfo(src_path="a.md"))
    md = markdown.Markdown(extensions=[extension, "pymdownx.superfences"])
    html = md.convert(text)
    extension.conversion.mentions, extension.conversion.findings
    md.reset()  # before the next page: a new Conversion
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from collections import deque
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER
from markupsafe import escape

from . import blocks, tables
from .cache import BuildCache
from .collect import Analysis, Options, analyse_text
from .finish import DeferredTables, with_anchors
from .glossary import (
    REFERENCE_RE,
    TERM_LINK_START,
    GlossaryLinker,
    GlossaryTreeprocessor,
    TermIndex,
    TermReferenceProcessor,
    term_link,
)
from .model import Decision, Design, Finding, Handbook, Problem, Term
from .render import (
    Templates,
    labels_for,
    link_target,
    render_checklist,
    render_decision_meta,
    render_meta,
    templates_for,
)
from .source import SourcePage, body_digest, scan
from .steps import StepRegistry, task_item_label

BLOCK_LANGUAGES = (*blocks.BLOCKS, "sysdesign")
"""The fence languages the extension renders: the structured blocks and the tables."""
_REFERENCE = re.compile(REFERENCE_RE)


@dataclass
class SiteContext:
    """What every page of a site shares during one build: settings and the collected model.

    A host fills it once per build (the MkDocs plugin in ``on_config`` and ``on_files``);
    nothing in it changes while pages convert.
    """

    registry: StepRegistry = field(default_factory=StepRegistry.default)
    handbook: Handbook | None = None
    """The collected model; tables and metadata lines read it."""
    term_index: TermIndex | None = None
    """The glossary's terms; without one, nothing is linked."""
    labels: dict[str, str] = field(default_factory=lambda: labels_for("en"))
    templates: Templates = field(default_factory=templates_for)
    """The HTML templates: the site's overrides (``overrides/sysdesign/``), then the package's."""
    autolink: str = "first"
    """The default of ``autolink`` (``first``, ``all``, ``off``) for pages that set none."""
    slugify: Callable[[str, str], str] | None = None
    separator: str = "-"
    """The ``toc`` extension's slug settings, so section anchors match the page."""
    glossary_dir: str = "glossary"
    """Where a new term page goes, as messages name it (the plugin adds the docs folder)."""
    after_search: bool = False
    """The host finishes pages after the search plugins have read them: leave
    ``PANEL_MARK`` for the checklist panel, and mark blocks (``mark_for_search``)."""
    tables: DeferredTables | None = None
    """When set, ``sysdesign`` tables are marked for the host's finishing step, which
    settles them once every page is converted (``terms`` waits for it; the others are
    rendered in place and redone only if needed); without it, tables are rendered in
    place from ``handbook`` as it is."""
    report: Callable[[Finding], None] | None = None
    """Called for each finding as soon as it is made (the plugin logs it)."""
    cache: BuildCache = field(default_factory=BuildCache)
    """Memos kept between builds by ``mkdocs serve`` (disabled otherwise)."""


@dataclass
class PageInfo:
    """What the extension knows about the page being converted; the host sets one per page."""

    src_path: str = "<string>"
    """Source path of the page, relative to the docs folder, as used in messages."""
    line_offset: int = 0
    """Lines before the Markdown body in the file (front matter), added to every line."""
    line_origin: Callable[[int], int] | None = None
    """The line of the file's body that a line of the Markdown being converted came from,
    when another plugin (mkdocs-macros) rewrote the page; asked only for messages."""
    design: Design | None = None
    decision: Decision | None = None
    """The decision record being converted, when the page is one."""
    expected_body: bytes | None = None
    """Digest (``body_digest``) of the design's Markdown as read when collecting; a page
    whose text has another digest was rewritten by something."""
    own_term: str | None = None
    """Id of the term whose page this is: mentions of it are not linked."""
    autolink: str | None = None
    """``first``, ``all`` or ``off`` for this page; None for the site's default."""
    md_link: Callable[[str], str] = link_target
    """Turns a source path into a link written in the element tree (``../glossary/acid.md``);
    MkDocs turns those into URLs and checks them."""
    url_for: Callable[[str], str] = link_target
    """Turns a source path into a final URL relative to the page, for generated HTML."""
    criteria_page: str | None = None
    """Source path of the evaluation criteria page that scorecards link to."""
    reports: bool = True
    """False for a conversion that belongs to no page of the site (Material's blog
    converting a post again for its excerpt on another page): it reports nothing, as the
    post reported its problems itself."""


@dataclass
class Conversion:
    """What one conversion found: its mentions, findings and headings, and the bookkeeping
    that gives blocks and references their lines.

    The extension starts a new one in :meth:`SysdesignExtension.reset`, which
    Python-Markdown calls when a ``Markdown`` instance is made and on ``md.reset()``.
    """

    text: str = ""
    """The Markdown as the extension first saw it (before other preprocessors)."""
    mentions: set[str] = field(default_factory=set)
    """Term ids mentioned on the page."""
    findings: list[Finding] = field(default_factory=list)
    anchors: list[str] | None = None
    """The ids of the page's headings in order, for a design page."""
    rewritten: Analysis | None = None
    """The steps and blocks of a design whose Markdown was changed after collecting."""
    tables: int = 0
    """Tables marked for the finishing step."""
    source: SourcePage | None = None
    _blocks_seen: list[tuple[str, str]] = field(default_factory=list)
    _block_lines: list[int | None] = field(default_factory=list)
    """The fence line of each block seen, as far as messages asked for them."""
    _written_fences: _FirstUnused | None = None
    _references_seen: list[str] = field(default_factory=list)
    _reference_lines: list[int | None] = field(default_factory=list)
    _reference_numbers: list[int] = field(default_factory=list)
    """The line of each ``[[...]]`` written outside code, in order."""
    _written_references: _FirstUnused | None = None

    def _scanned(self) -> SourcePage:
        if self.source is None:
            self.source = scan(self.text)
        return self.source

    def block_seen(self, language: str, content: str) -> Callable[[], int | None]:
        """Count a block as rendered; returns how to find the line of its opening fence.

        Blocks are matched to the page's fences in order: each to the first fence not
        yet matched with the same language and content, else with the same language.
        The text is only scanned when a message needs a line.
        """
        self._blocks_seen.append((language, content))
        count = len(self._blocks_seen)
        return lambda: self._fence_line(count)

    def _fence_line(self, count: int) -> int | None:
        fences = self._scanned().fences
        if self._written_fences is None:
            self._written_fences = _FirstUnused(
                (index, ((fence.lang, fence.content.strip("\n")), fence.lang))
                for index, fence in enumerate(fences)
            )
        written = self._written_fences
        # Each block is matched once, when the first message asks for its line or for a
        # later one's: matching from the start for every message would be quadratic.
        while len(self._block_lines) < count:
            language, content = self._blocks_seen[len(self._block_lines)]
            index = written.take(((language, content.strip("\n")), language))
            self._block_lines.append(fences[index].line if index is not None else None)
        return self._block_lines[count - 1]

    def reference_seen(self, raw: str) -> Callable[[], int | None]:
        """Count an explicit ``[[...]]`` reference; returns how to find its line.

        References are matched to the page's lines in order of appearance: each to the
        first one written the same way and not yet matched.
        """
        self._references_seen.append(raw)
        count = len(self._references_seen)
        return lambda: self._reference_line(count)

    def _reference_line(self, count: int) -> int | None:
        if self._written_references is None:
            source = self._scanned()
            written = [
                (match.group(0), number)
                for number, line in enumerate(source.lines, start=1)
                if "[[" in line and number not in source.code_lines
                for match in _REFERENCE.finditer(line)
            ]
            self._reference_numbers = [number for _, number in written]
            self._written_references = _FirstUnused(
                (index, (text,)) for index, (text, _) in enumerate(written)
            )
        while len(self._reference_lines) < count:
            raw = self._references_seen[len(self._reference_lines)]
            index = self._written_references.take((raw,))
            self._reference_lines.append(
                self._reference_numbers[index] if index is not None else None
            )
        return self._reference_lines[count - 1]


class _FirstUnused:
    """Written things, each matched at most once, found by key in the order written.

    Each written thing has one or more keys; :meth:`take` returns the first thing not
    yet taken under the first of the given keys that has one. Every thing leaves each
    of its queues once, so matching n things costs time in proportion to n.
    """

    def __init__(self, keyed: Iterable[tuple[int, Iterable[Hashable]]]) -> None:
        self._queues: dict[Hashable, deque[int]] = {}
        self._taken: set[int] = set()
        for index, keys in keyed:
            for key in keys:
                self._queues.setdefault(key, deque()).append(index)

    def take(self, keys: Iterable[Hashable]) -> int | None:
        """The first thing not yet taken under the first key that has one (then taken)."""
        for key in keys:
            queue = self._queues.get(key)
            while queue and queue[0] in self._taken:
                queue.popleft()
            if queue:
                index = queue.popleft()
                self._taken.add(index)
                return index
        return None


def _extension(md: Markdown) -> SysdesignExtension:
    extension = getattr(md, "sysdesign_extension", None)
    if isinstance(extension, SysdesignExtension):
        return extension
    # The fences without the extension: blocks render, with nothing known about the site.
    from .zensical import note_unhosted

    note_unhosted(md)
    extension = SysdesignExtension()
    md.sysdesign_extension = extension  # type: ignore[attr-defined]
    return extension


def format_block(
    source: str, language: str, class_name: str, options: Any, md: Markdown, **kwargs: Any
) -> str:
    """Superfences formatter of the ``entity``, ``api``, ``dataflow`` and ``sysdesign`` blocks.

    A block that does not parse is shown as written, with a warning naming its line.
    """
    extension = _extension(md)
    fence_line = extension.conversion.block_seen(language, source)
    try:
        return _format_block(extension, fence_line, source, language)
    except Exception as error:  # noqa: BLE001 - see below
        # Superfences catches whatever a formatter raises and leaves the fence as inline
        # code, without a word: the block would vanish into one line and the log say
        # nothing. Whatever goes wrong here is reported and the block shown as written.
        try:
            line = fence_line()
        except Exception:  # noqa: BLE001 - the warning matters more than its line
            line = None
        detail = " ".join(str(error).split())[:200]
        extension.warn(
            line,
            f"{language} block: rendering failed ({type(error).__name__}: {detail}); expected "
            "a block mkdocs-sysdesign can render, so this is a bug worth reporting (the block "
            "is shown as written)",
        )
        return blocks.render_as_written(source, language)


def _format_block(
    extension: SysdesignExtension,
    fence_line: Callable[[], int | None],
    source: str,
    language: str,
) -> str:
    html: str | None = None
    problems: list[Problem]
    site, page = extension.site, extension.page
    labels, templates = site.labels, site.templates
    rendered = site.cache.blocks
    # A build reads a block for the last time here; `mkdocs serve` reads it again on
    # every rebuild, so it keeps the parse.
    last = not site.cache.enabled
    kind = blocks.BLOCKS.get(language)
    if kind is not None:
        parsed, problems = kind.parse(source, last=last)
        if parsed is not None:
            html = rendered.get((language, source), kind.render, parsed, labels, templates)
    else:
        handbook = site.handbook or Handbook(registry=site.registry)
        url_for = page.url_for

        def link(path: str, anchor: str | None = None) -> str:
            url = url_for(path) if path else ""
            return f"{url}#{anchor}" if anchor else url

        query, problems = tables.read_sysdesign_block(source, handbook, labels, templates)
        if query is not None and site.tables is not None:
            html = site.tables.add(query, link, labels, templates, handbook)
            extension.conversion.tables += 1
        elif query is not None:
            html = tables.render_table(query, handbook, link, labels, templates)
    for problem in problems:
        line = fence_line()
        extension.warn(None if line is None else line + problem.line, problem.message)
    if html is None:
        return blocks.render_as_written(source, language)
    if site.after_search:
        html = mark_for_search(html)
    if problems:
        # Rendered despite warnings (an unknown key, say): the text that did not make it
        # into the rendering stays on the page, folded under the block.
        html += (
            f'\n<details class="sysdesign-source"><summary>{escape(labels["as_written"])}'
            f"</summary>\n{blocks.render_as_written(source, language)}\n</details>"
        )
    return html


def custom_fences() -> list[dict[str, Any]]:
    """The superfences entries the plugin needs: its blocks, and Mermaid for diagrams."""
    from pymdownx.superfences import fence_code_format

    fences: list[dict[str, Any]] = [
        {"name": name, "class": f"sysdesign-{name}", "format": format_block}
        for name in BLOCK_LANGUAGES
    ]
    fences.append({"name": "mermaid", "class": "mermaid", "format": fence_code_format})
    return fences


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


class PageStartPreprocessor(Preprocessor):
    """Keeps the page's lines as written, before anything changes them: messages find the
    lines of blocks and references in them."""

    def __init__(self, md: Markdown, extension: SysdesignExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        self.extension.conversion.text = "\n".join(lines)
        return lines


class DesignRescanPreprocessor(Preprocessor):
    """Reads a design's steps again when something rewrote its Markdown.

    Designs are read from their files before any page renders. Plugins that change
    ``page.markdown`` and preprocessors such as ``pymdownx.snippets`` can add or
    remove sections; the page then shows what actually renders, and the host's finishing
    step gives the rest of the site the same (:attr:`Conversion.rewritten`).
    """

    def __init__(self, md: Markdown, extension: SysdesignExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        site, page = self.extension.site, self.extension.page
        if page.design is None or page.expected_body is None:
            return lines
        text = "\n".join(lines)
        if body_digest(text) != page.expected_body:
            options = Options(
                registry=site.registry, slugify=site.slugify, separator=site.separator
            )
            self.extension.conversion.rewritten = analyse_text(text, options)
        return lines


_HEADING_TAGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))
# pymdownx.tasklist puts the checkbox in the stash and its placeholder before the text.
_CHECKBOX = re.compile(r"\s*" + re.escape(HTML_PLACEHOLDER).replace("%s", r"\d+") + r"\s*")


def mark_item_labels(root: etree.Element, registry: StepRegistry) -> None:
    """Wrap the label of each task item that names a checklist item in
    ``span.sysdesign-item-label``.

    "- [ ] Latency" is the checklist item, not a mention of the glossary's term: the
    glossary skips ``sysdesign-`` classes, so the label gets no link, while the author's
    note after it ("Latency: a CDN in front of ...") still does.
    """
    for li in root.iter("li"):
        if "task-list-item" not in li.get("class", "").split():
            continue
        holder = li if li.text else (li[0] if len(li) and li[0].tag == "p" else None)
        checkbox = _CHECKBOX.match(holder.text or "") if holder is not None else None
        if holder is None or holder.text is None or checkbox is None:
            continue
        rest = holder.text[checkbox.end() :]
        label = task_item_label(registry, rest)
        if label is None:
            continue
        span = etree.Element("span", {"class": "sysdesign-item-label"})
        span.text = label
        span.tail = rest[len(label) :]
        holder.text = holder.text[: checkbox.end()]
        holder.insert(0, span)


def _insert_after_title(root: etree.Element, holder: etree.Element) -> None:
    position = 0
    for index, child in enumerate(root):
        if child.tag == "h1":
            position = index + 1
            break
    root.insert(position, holder)


class DesignPanelTreeprocessor(Treeprocessor):
    """Puts the metadata line and the step checklist under a design's title."""

    def __init__(self, md: Markdown, extension: SysdesignExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        site, page = self.extension.site, self.extension.page
        conversion = self.extension.conversion
        design = page.design
        if design is None:
            return
        # Sections know their heading's position among the page's headings; the ids the
        # table of contents gave them are the ones to link to.
        ids = [h.get("id", "") for h in root.iter() if h.tag in _HEADING_TAGS]
        conversion.anchors = ids
        mark_item_labels(root, site.registry)
        handbook = site.handbook or Handbook(registry=site.registry)
        html = render_meta(design, handbook, page.url_for, site.labels, site.templates)
        html += "\n"
        if site.after_search:
            html = mark_for_search(html) + PANEL_MARK
        else:
            steps = conversion.rewritten.steps if conversion.rewritten else design.steps
            shown = replace(design, steps=with_anchors(steps, ids))
            criteria = page.url_for(page.criteria_page) if page.criteria_page else None
            html += render_panel(shown, site.registry, site.labels, criteria, site.templates)
        # The raw-HTML postprocessor replaces a paragraph holding only a placeholder.
        holder = etree.Element("p")
        holder.text = self.md.htmlStash.store(html)
        _insert_after_title(root, holder)


class DecisionMetaTreeprocessor(Treeprocessor):
    """Puts the metadata line of a decision record (status, date, deciders, links) under its
    title."""

    def __init__(self, md: Markdown, extension: SysdesignExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        site, page = self.extension.site, self.extension.page
        decision = page.decision
        if decision is None:
            return
        handbook = site.handbook or Handbook(registry=site.registry)
        html = render_decision_meta(decision, handbook, page.url_for, site.labels, site.templates)
        if site.after_search:
            html = mark_for_search(html)
        holder = etree.Element("p")
        holder.text = self.md.htmlStash.store(html)
        _insert_after_title(root, holder)


_SEARCH_START = "<!--sysdesign-search-->"
_SEARCH_END = "<!--/sysdesign-search-->"
_SEARCH_REGION = re.compile(f"{_SEARCH_START}(.*?){_SEARCH_END}", re.DOTALL)
_MERMAID_SOURCE = re.compile(r'<pre class="mermaid"[^>]*>.*?</pre>', re.DOTALL)
_TAG = re.compile(r"<[^>]*>")
_HEADING = re.compile(r"(<h[1-6][\s>].*?</h[1-6]>)", re.DOTALL)


def mark_for_search(html: str) -> str:
    """Mark generated HTML whose words, not its markup, belong in the search index."""
    return f"{_SEARCH_START}{html}{_SEARCH_END}"


_TERM_LINK = re.compile(re.escape(TERM_LINK_START) + r"[^>]*>([^<]*)</a>")


@dataclass(slots=True)
class SearchView:
    """A page as search plugins read it, and what it stands in for."""

    content: str
    """What search plugins read."""
    original: str
    regions: list[str]
    """The marked regions, in order."""
    links: list[tuple[str, str]]
    """The glossary links outside them, in order: (link, label)."""


def search_view(content: str) -> SearchView:
    """The page as search plugins should read it.

    Search plugins parse each page with Python's HTML parser, which costs time per tag,
    and index only the words. Each marked region becomes its headings and, between
    them, one paragraph of words (without Mermaid's diagram source, which the step list
    already says in words); each glossary link becomes its label.
    """
    regions: list[str] = []
    links: list[tuple[str, str]] = []

    def words(match: re.Match[str]) -> str:
        regions.append(match.group(1))
        pieces = _HEADING.split(_MERMAID_SOURCE.sub(" ", match.group(1)))
        for index in range(0, len(pieces), 2):  # the odd pieces are headings
            text = " ".join(_TAG.sub(" ", pieces[index]).split())
            pieces[index] = f"<p>{text}</p>" if text else ""
        return _SEARCH_START + "".join(pieces) + _SEARCH_END

    def label(match: re.Match[str]) -> str:
        links.append((match.group(0), match.group(1)))
        return match.group(1)

    view = _TERM_LINK.sub(label, _SEARCH_REGION.sub(words, content))
    return SearchView(view, content, regions, links)


def full_view(content: str, view: SearchView | None = None) -> str:
    """The page with its marked regions and glossary links back, and without the marks.

    ``content`` is normally the search view itself, and the original comes back whole.
    When another plugin rewrote the page while search plugins read it, its version is
    kept: the regions come back by their marks and each link at the next place after
    the one before where its label is.
    """
    if view is not None and content == view.content:
        content, view = view.original, None  # unchanged: the original, without its marks
    if view is None:
        return _SEARCH_REGION.sub(lambda match: match.group(1), content)
    # Links go back outside the regions only: a label can also be a word of a block.
    parts = _SEARCH_REGION.split(content)  # outside, region, outside, ...
    outside = "\0".join(parts[0::2])
    pieces: list[str] = []
    cursor = 0
    for link, label in view.links:
        found = _text_find(outside, label, cursor)
        if found >= 0:
            pieces += [outside[cursor:found], link]
            cursor = found + len(label)
    pieces.append(outside[cursor:])
    outside_parts = "".join(pieces).split("\0")
    regions = iter(view.regions)
    merged = [outside_parts[0]]
    for words, after in zip(parts[1::2], outside_parts[1:], strict=False):
        merged += [next(regions, words), after]
    return "".join(merged)


def _text_find(html: str, text: str, start: int) -> int:
    """Where ``text`` next occurs in ``html`` from ``start`` outside any tag, or -1."""
    found = html.find(text, start) if text else -1
    while found >= 0 and html.rfind("<", 0, found) > html.rfind(">", 0, found):
        found = html.find(text, found + 1)
    return found


PANEL_MARK = "<!-- sysdesign-panel -->"
"""Where the plugin puts the checklist panel once search has indexed the page."""


def render_panel(
    design: Design,
    registry: StepRegistry,
    labels: Mapping[str, str],
    criteria_url: str | None,
    templates: Templates | None = None,
) -> str:
    """The step checklist, then the review scorecard folded in a ``details`` element.

    Neither belongs in the search index. The plugin inserts the panel after the search
    plugins have read the page (``PANEL_MARK``), so they don't spend time parsing it; on
    its own, the extension renders it in place with ``data-search-exclude``.
    """
    from .review import render_scorecard

    html = render_checklist(design, registry, labels, templates)
    if not design.review:
        return html
    scores = list(design.review.values())
    average = f"{sum(scores) / len(scores):.1f}"
    summary = f"{labels['review']}: {labels['average']} {average} {labels['out_of']}"
    return (
        f'{html}\n<details class="sysdesign-review-details"><summary>{escape(summary)}</summary>\n'
        + render_scorecard(design.review, criteria_url, labels, templates)
        + "\n</details>"
    )


def panel_key(design: Design) -> tuple[object, ...]:
    """Everything of a design that its panel shows (with the registry and labels, which
    key ``BuildCache.panels`` as a whole)."""
    steps = tuple(
        (
            step_id,
            result.state,
            tuple(result.items.items()),
            section.anchor if (section := result.anchor_section) else None,
        )
        for step_id, result in design.steps.items()
    )
    return (steps, tuple(design.review.items()))


class SysdesignExtension(Extension):
    """Registers the sysdesign processors on a Markdown instance.

    ``site`` is shared by every page of a build; ``page`` describes the page about to be
    converted (a host sets it before each page); ``conversion`` holds what the current
    conversion found, and starts afresh in :meth:`reset`.
    """

    def __init__(
        self, site: SiteContext | None = None, page: PageInfo | None = None, **kwargs: Any
    ) -> None:
        self.site = site or SiteContext()
        self.page = page or PageInfo()
        self.conversion = Conversion()
        super().__init__(**kwargs)

    def reset(self) -> None:
        """Start a new conversion (Python-Markdown calls this through ``md.reset()``)."""
        self.conversion = Conversion()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API name
        """Register the processors, and register the extension for :meth:`reset`."""
        md.sysdesign_extension = self  # type: ignore[attr-defined]
        md.registerExtension(self)
        # Before whitespace normalisation (30) and fences (25): the lines as written.
        md.preprocessors.register(PageStartPreprocessor(md, self), "sysdesign_page", 35)
        # After pymdownx.snippets (32), before whitespace normalisation (30).
        md.preprocessors.register(DesignRescanPreprocessor(md, self), "sysdesign_rescan", 31)
        # After backticks (190), so `[[x]]` in code stays code; before escapes (180), so
        # the `\|` of a table cell is still there to separate term and label.
        md.inlinePatterns.register(
            TermReferenceProcessor(REFERENCE_RE, md, self._reference), "sysdesign_refs", 185
        )
        # After toc (5) so headings have their ids; before MkDocs' relpath (0).
        md.treeprocessors.register(DesignPanelTreeprocessor(md, self), "sysdesign_panel", 4)
        md.treeprocessors.register(DecisionMetaTreeprocessor(md, self), "sysdesign_decision", 4)
        # After abbr (7) so its <abbr> elements are skipped; before relpath (0), which
        # turns the .md links we write into URLs for either URL style.
        md.treeprocessors.register(GlossaryTreeprocessor(md, self._linker), "sysdesign_glossary", 3)

    def warn(self, line: int | None, message: str) -> None:
        """Record a finding on the page; ``line`` counts from the top of the Markdown body."""
        page = self.page
        if not page.reports:
            return
        if line is not None and page.line_origin is not None:
            line = page.line_origin(line)
        finding = Finding(page.src_path, None if line is None else line + page.line_offset, message)
        self.conversion.findings.append(finding)
        if self.site.report is not None:
            self.site.report(finding)

    def _linker(self, md: Markdown) -> GlossaryLinker | None:
        site, page = self.site, self.page
        if site.term_index is None:
            return None
        linker = GlossaryLinker(
            site.term_index,
            self._make_link,
            page.autolink or site.autolink,
            page.own_term,
            md.htmlStash.rawHtmlBlocks,  # type: ignore[arg-type]
        )
        linker.state.mentions = self.conversion.mentions
        return linker

    def _make_link(self, term: Term, label: str) -> etree.Element:
        # With the plugin, the summary goes into the written page only (add_term_titles):
        # MkDocs keeps every page's HTML until the build ends.
        return term_link(
            term, label, self.page.md_link(term.path), title=not self.site.after_search
        )

    def _reference(self, name: str, label: str | None, raw: str) -> etree.Element | str:
        index = self.site.term_index
        own_term = self.page.own_term
        line = self.conversion.reference_seen(raw)
        shown = label or name
        key, suggestions = index.resolve(name) if index else (None, [])
        if key is None or key.term_id is None:
            if key is not None:
                choices = [index.terms[c] for c in key.choices] if index else []
                named = " or ".join(f"'{t.term}' ({t.id})" for t in choices)
                self.warn(
                    line(),
                    f"ambiguous glossary term '{name}'; expected one of {named}, "
                    "for example [[" + (choices[0].term if choices else name) + "]]",
                )
            else:
                hint = f" (did you mean '{suggestions[0]}'?)" if suggestions else ""
                if not name:
                    hint = "; expected a term between the brackets, as in [[CAP theorem]]"
                else:
                    hint += "; " + new_term_hint(name, self.site.glossary_dir)
                self.warn(line(), f"unknown glossary term '{name}'{hint}")
            span = etree.Element("span")
            span.set("class", "sysdesign-term-unknown")
            span.text = shown
            return span
        assert index is not None
        term = index.terms[key.term_id]
        if label is None:
            shown = reference_text(name, term)
        if term.id == own_term:
            span = etree.Element("span")
            span.set("class", "sysdesign-term-self")
            span.text = shown
            return span
        self.conversion.mentions.add(term.id)
        return self._make_link(term, shown)


def reference_text(name: str, term: Term) -> str:
    """The text of a ``[[name]]`` reference without a label: as written, unless it is the
    term's file name (``[[cap-theorem]]``, ``[[acid]]``), which readers see as the term's
    name ("CAP theorem", "ACID"). A file name that is the name in lower case but for its
    first letter (``[[latency]]``) stays as written, so it reads well mid-sentence."""
    if name.casefold() != term.id.casefold() or name[1:] == term.term[1:]:
        return name
    return term.term


def new_term_hint(name: str, glossary_dir: str) -> str:
    """How to add a missing term: the page to write and its front matter."""
    stem = "-".join(re.findall(r"[^\W_]+", name.casefold())) or "term"
    return (
        f"to add a term, write {glossary_dir}/{stem}.md with `term: {name}` and "
        "`summary:` in its front matter"
    )


def page_links(src: str) -> Callable[[str], str]:
    """Links from the page ``src`` to source files, relative to the page's own file."""
    page_dir = posixpath.dirname(src) or "."
    links: dict[str, str] = {}

    def link(target: str) -> str:
        # A page links the same few terms many times: relpath once per target.
        found = links.get(target)
        if found is None:
            found = links[target] = link_target(posixpath.relpath(target, page_dir))
        return found

    return link


def makeExtension(**kwargs: Any) -> SysdesignExtension:  # noqa: N802 - Python-Markdown's API name
    """Entry point for ``markdown.Markdown(extensions=["mkdocs_sysdesign.extension"])``.

    Options are the plugin's (``autolink``, ``steps``, ``labels``, ``language`` ...), as
    in ``extension_configs={"mkdocs_sysdesign.extension": {"autolink": "all"}}``.
    """
    site = kwargs.pop("site", None)
    page = kwargs.pop("page", None)
    from .zensical import StandaloneExtension, standalone_site

    return StandaloneExtension(site or standalone_site(kwargs), page)
