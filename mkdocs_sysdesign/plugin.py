"""The ``sysdesign`` MkDocs plugin: wiring of MkDocs events to the handbook model.

This is the only module that knows MkDocs' event order; the work itself lives in
plain modules (``collect``, ``steps``, ``frontmatter``, ``glossary``, ``blocks``,
``tables``, ``render``, ``finish``). Three phases: ``on_files`` reads every design and
term once, so the whole model is known, and no longer changes, before any page renders;
pages then convert in whatever order MkDocs chooses, leaving placeholders for what needs
every page (tables, "Referenced by" lists); ``on_env`` finishes: it makes the handbook as
the site shows it and fills the tables in, and ``on_post_page`` writes each page's
checklist panel and "Referenced by" list. See ``docs/guide/architecture.md``.
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import replace
from itertools import groupby
from typing import Any

from markupsafe import escape
from mkdocs.config.config_options import ExtraScriptValue
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import AnchorLink
from mkdocs.utils import get_relative_url

from . import glossary_pages
from .cache import BuildCache
from .collect import (
    Collected,
    Options,
    SourceFile,
    builtin_glossary_files,
    builtin_glossary_path,
    collect,
    decode_page,
    unknown_term_ids,
)
from .config import SysdesignConfig
from .extension import (
    PANEL_MARK,
    PageInfo,
    SearchView,
    SiteContext,
    SysdesignExtension,
    ensure_extensions,
    full_view,
    page_links,
    panel_key,
    render_panel,
    search_view,
)
from .finish import DeferredTables, Rendering, backlinks_excluded, changes_tables, finish
from .glossary import TermIndex, add_term_titles
from .glossary_pages import md_escape
from .history import History, fill_from_meta, read_history
from .model import Design, Finding, Handbook
from .render import labels_for, link_target, render_template, templates_for
from .sitefiles import ASSET_FILES, ASSETS
from .source import line_origins

log = get_plugin_logger(__name__)

CRITERIA_PAGE = "criteria.md"
"""Source path of the evaluation criteria page that review scorecards link to."""
_H1 = re.compile(r"^ {0,3}# |^.+\n=+ *$", re.MULTILINE)

CONFIG_FILE = "mkdocs.yml"
"""Findings about the configuration name this file instead of a page."""


class SysdesignPlugin(BasePlugin[SysdesignConfig]):
    """Turns six-step system designs into a navigable handbook."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self.reported: set[tuple[str, int | None, str, str]] = set()
        self.site = SiteContext()
        """What every page of the build shares (filled in ``on_config`` and ``on_files``)."""
        self.extension = SysdesignExtension(self.site)
        self.docs_prefix = "docs"
        self.config_dir = ""
        self.copied: dict[str, str] = {}
        """Where pages that another plugin copied into a temporary docs folder really are,
        relative to the folder of ``mkdocs.yml``, by source path."""
        self.collected: Collected | None = None
        self.handbook = Handbook(registry=None)
        """The collected model: complete after ``on_files``, unchanged after that."""
        self.rendering = Rendering()
        """What each page's conversion found (mentions, heading ids, rewritten designs)."""
        self.finished: Handbook | None = None
        """The handbook as the site shows it, made in ``on_env`` (see ``finish``)."""
        self.table_pages: list[Page] = []
        """Pages whose content holds tables to settle in ``on_env``."""
        self.redo_tables = True
        """Whether converting the pages changed what tables show (``changes_tables``)."""
        self.term_at: dict[str, str] = {}
        """Term id by the source path of its page."""
        self.files: Files | None = None
        self.search: SearchView | None = None
        """The page that search plugins are reading, as they read it and as it was."""
        self.is_material = False
        self.language = "en"
        """The site's language: the plugin's ``language``, the theme's, or English."""
        self.cache = BuildCache()
        """Disabled unless ``mkdocs serve`` runs (``on_startup``)."""
        self.keep_model = False
        """Set by the command line for one run, which may be several builds
        (mkdocs-static-i18n builds every language in turn): keep the findings of all of
        them, each once."""

    # -- serve ---------------------------------------------------------------------

    # Having this event makes MkDocs keep the plugin object between the builds of
    # `mkdocs serve`, so its cache lives as long as the server.
    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Keep results keyed by file content between rebuilds when serving."""
        self.cache = BuildCache(enabled=command == "serve")

    def on_shutdown(self) -> None:
        """Drop the cache; the command line's ``keep_model`` lasts for one run only."""
        self.cache = BuildCache()
        # MkDocs hands this same object to the next load of the same configuration in the
        # process (it has `on_startup`): that build must not keep a run's findings.
        self.keep_model = False

    # -- configuration -------------------------------------------------------------

    # Everything is rebuilt here: `mkdocs serve` reuses the plugin object for each rebuild.
    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        """Reset the state, turn on the Markdown extensions we need, register our own."""
        if not self.keep_model:
            self.findings = []
            self.reported = set()
        # else the command line's one run may be several builds (mkdocs-static-i18n builds
        # each language in turn): it reports the findings of all, each once.
        self.collected = None
        self.handbook = Handbook(
            registry=self.config.steps,
            statuses=self.config.statuses,
            decision_statuses=self.config.decision_statuses,
        )
        self.term_at = {}
        self.files = None
        self.rendering = Rendering()
        self.finished = None
        self.table_pages = []
        self.redo_tables = True
        self.copied = {}
        if not self.config.enabled:
            return config
        language = self.language = self.config.language or config.theme.get("language") or "en"
        toc_config = config.mdx_configs.get("toc", {})
        glossary_dir = self.config.glossary_dir.strip("/")
        self.site = SiteContext(
            registry=self.config.steps,
            slugify=toc_config.get("slugify"),
            separator=toc_config.get("separator", "-"),
            labels=labels_for(language, self.config.labels),
            # The theme's folders, custom_dir first: `overrides/sysdesign/checklist.html`
            # replaces the package's template.
            templates=templates_for(tuple(config.theme.dirs)),
            autolink=self.config.autolink,
            glossary_dir=f"{self._docs_prefix(config)}/{glossary_dir}",
            report=self._report,
            after_search=True,
            tables=DeferredTables(),
            cache=self.cache,
        )
        fingerprint = self.site.templates.fingerprint()
        self.cache.blocks.begin((self.site.labels, fingerprint))
        self.cache.panels.begin((self.site.labels, self.config.steps, fingerprint))
        self.extension = SysdesignExtension(self.site)
        self.config_dir = os.path.dirname(config.config_file_path or "") or os.getcwd()
        self.docs_prefix = self._docs_prefix(config)
        for name in ensure_extensions(config.markdown_extensions, config.mdx_configs):
            log.debug("turned on the Markdown extension %s", name)
        config.markdown_extensions.append(self.extension)  # type: ignore[arg-type]
        self.is_material = config.theme.name == "material"
        # A site that also builds with Zensical lists the assets itself (the guide's
        # Zensical page): each is linked once.
        listed = {str(getattr(e, "path", e)) for e in (*config.extra_css, *config.extra_javascript)}
        if f"{ASSETS}/sysdesign.css" not in listed:
            config.extra_css.append(f"{ASSETS}/sysdesign.css")
        # sysdesign.js first: it holds the start-up the tables' script uses.
        for name in ("sysdesign.js", "sysdesign-tables.js"):
            if f"{ASSETS}/{name}" not in listed:
                config.extra_javascript.append(f"{ASSETS}/{name}")
        if self.is_material and f"{ASSETS}/mermaid.min.js" not in listed:
            # Material draws `pre.mermaid` itself and loads Mermaid from a CDN unless a
            # `mermaid` global already exists: serving it from the site keeps the
            # handbook working offline.
            # Deferred: it runs before Material's page observers fire, without holding up
            # the page while it loads; browsers keep it cached across pages.
            mermaid = ExtraScriptValue(f"{ASSETS}/mermaid.min.js")
            mermaid.defer = True
            config.extra_javascript.insert(0, mermaid)
        return config

    @staticmethod
    def _docs_prefix(config: MkDocsConfig) -> str:
        """The docs folder as messages name it: relative to the folder of mkdocs.yml."""
        config_dir = os.path.dirname(config.config_file_path or "") or os.getcwd()
        return os.path.relpath(config.docs_dir, config_dir).replace(os.sep, "/")

    def _report(self, finding: Finding) -> None:
        """Log a finding through the plugin logger, so ``--strict`` fails on warnings."""
        key = (finding.file, finding.line, finding.message, finding.level)
        if self.keep_model and key in self.reported:
            return
        self.reported.add(key)
        self.findings.append(finding)
        path = finding.file if finding.file == CONFIG_FILE else self.source_path(finding.file)
        shown = Finding(path, finding.line, finding.message)
        if finding.level == "info":
            log.info("%s", shown)
        else:
            log.warning("%s", shown)

    def source_path(self, src: str) -> str:
        """Where the page with source path ``src`` is, from the folder of ``mkdocs.yml``:
        in the docs folder, or where mkdocs-monorepo-plugin copied it from."""
        return self.copied.get(src) or f"{self.docs_prefix}/{src}"

    # -- collect -------------------------------------------------------------------

    # Last of all (-110): the model must see the pages as the site will have them, after
    # plugins that add pages (mkdocs-gen-files, wherever it is listed), choose a language's
    # pages (mkdocs-static-i18n, at -100) or build the nav from a file (mkdocs-literate-nav).
    # Our own generated pages come after them too: such plugins cannot read a page that
    # has no file in the docs folder (mkdocs-static-i18n fails on one).
    @event_priority(-110)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        """Read every design and term; add the shipped glossary, its index and our assets."""
        if not self.config.enabled:
            return files
        for name, package_path in ASSET_FILES.items():
            path = os.path.join(os.path.dirname(__file__), "assets", package_path)
            if f"{ASSETS}/{name}" not in files.src_uris:
                files.append(File.generated(config, f"{ASSETS}/{name}", abs_src_path=path))
        # Pages another plugin moved under a folder of the site (a language's `de/`) are
        # joined there by the glossary pages we add.
        prefix = _site_prefix(files, config)
        aliases = {
            alias: file.src_uri
            for file in files.documentation_pages()
            if isinstance(alias := getattr(file, I18N_SOURCE, None), str) and alias != file.src_uri
        }
        self.copied = _copied_from(files, config, self.config_dir)
        glossary_dir = self.config.glossary_dir.strip("/")
        sources = [
            SourceFile(file.src_uri, load=self._reader(file))
            for file in files.documentation_pages()
        ]
        if self.config.builtin_glossary:
            sources.extend(builtin_glossary_files(glossary_dir))
        toc_config = config.mdx_configs.get("toc", {})
        history = read_history(config.docs_dir) if self.config.git_history else History()
        if history.note:
            log.info("git history: %s", history.note)
        options = Options(
            registry=self.config.steps,
            statuses=self.config.statuses,
            designs_dir=self.config.designs_dir,
            glossary_dir=glossary_dir,
            decisions_dir=self.config.decisions_dir,
            decision_statuses=self.config.decision_statuses,
            stale=self.config.stale,
            slugify=toc_config.get("slugify"),
            separator=toc_config.get("separator", "-"),
            aliases=aliases,
            history=history.files,
        )
        collected = collect(sources, options, self.cache)
        collected.handbook.statuses = self.config.statuses
        self.collected = collected
        self.handbook = collected.handbook
        for finding in collected.findings:
            self._report(finding)
        for source in sources:
            if not source.builtin or source.path in files.src_uris:
                continue
            if source.path in collected.dropped_builtins:
                continue
            name = posixpath.basename(source.path)
            files.append(
                _moved(
                    File.generated(config, source.path, abs_src_path=builtin_glossary_path(name)),
                    prefix,
                )
            )
        self._redirect_replaced_terms(files, config, collected.redirects)
        index_path = f"{glossary_dir}/index.md"
        if self.handbook.terms and index_path not in files.src_uris:
            labels = self.site.labels
            content = glossary_pages.index_markdown(self.handbook, glossary_dir, labels)
            files.append(_moved(File.generated(config, index_path, content=content), prefix))
            self.handbook.page_titles[index_path] = labels["glossary"]
        if self.config.glossary_nav == "auto" and config.nav is not None and self.handbook.terms:
            self._place_glossary_in_nav(config, glossary_dir, index_path)
        self.term_at = {term.path: term.id for term in self.handbook.terms.values()}
        # The model is complete: from here on, pages only read it.
        self.site.handbook = self.handbook
        self.site.term_index = TermIndex(
            self.handbook.terms, self.config.ambiguous, memo=self.cache.matches
        )
        assert self.collected is not None
        for finding in unknown_term_ids(
            self.handbook,
            self.collected.fronts,
            self.config.ambiguous,
            CONFIG_FILE,
            "plugins.sysdesign",
        ):
            self._report(finding)
        return files

    def _reader(self, file: File) -> Callable[[], str]:
        """Reads a page's text when the collector gets to it (MkDocs reads it again later).

        A page that is not UTF-8 gets a warning naming it, and its text with U+FFFD in
        place of what cannot be read becomes the file's content: MkDocs would stop the
        build at it with a traceback.
        """

        def read() -> str:
            try:
                return file.content_string
            except UnicodeDecodeError:
                text, finding = decode_page(file.src_uri, file.content_bytes)
            if finding is not None:
                self._report(finding)
            file.content_string = text
            return text

        return read

    def _redirect_replaced_terms(
        self, files: Files, config: MkDocsConfig, redirects: dict[str, str]
    ) -> None:
        """Keep the address of a shipped term page that a project page of another name
        replaced: a small page there leads to the project's page."""
        for shipped, replacement in redirects.items():
            target = files.src_uris.get(replacement)
            if target is None or shipped in files.src_uris:
                continue
            # Where the shipped page would have been written, in this site's URL style.
            former = File.generated(config, shipped, content="")
            if former.dest_uri in files.src_uris:
                continue
            title = next(t.term for t in self.handbook.terms.values() if t.path == replacement)
            html = render_template(
                "redirect.html",
                self.site.templates,
                url=get_relative_url(target.url, former.url),
                title=title,
                lang=self.language,
            )
            files.append(File.generated(config, former.dest_uri, content=html))

    def _place_glossary_in_nav(self, config: MkDocsConfig, glossary_dir: str, index: str) -> None:
        """Append the glossary section to an explicit nav that places no glossary page."""

        def paths(entry: Any) -> list[str]:
            if isinstance(entry, str):
                return [entry]
            if isinstance(entry, dict):
                return [p for value in entry.values() for p in paths(value)]
            if isinstance(entry, list):
                return [p for value in entry for p in paths(value)]
            return []

        if any(p.startswith(glossary_dir + "/") for p in paths(config.nav)):
            return
        # Grouped by category: 60 terms in one flat list would bury the rest of the nav.
        terms = sorted(
            self.handbook.terms.values(), key=lambda t: (t.category or "~", t.term.casefold())
        )
        section: list[Any] = [index]
        for category, members in groupby(terms, key=lambda t: t.category or "Other"):
            section.append({category: [{t.term: t.path} for t in members]})
        nav = config.nav
        assert nav is not None
        nav.append({self.site.labels["glossary"]: section})

    # -- render --------------------------------------------------------------------

    @event_priority(-50)  # after plugins such as macros have expanded the Markdown
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Tell the extension which page converts next and what it is."""
        if not self.config.enabled:
            return markdown
        src = page.file.src_uri
        design = self.handbook.designs.get(src)
        if design is not None and self.config.git_history:
            design = self._dated(design, page.meta)
        front = self.collected.fronts.get(src) if self.collected else None
        offset = front.body_offset if front else 0
        own = self.term_at.get(src)
        origin = _line_origin(page.file, offset, markdown)
        if own is not None and "title" not in page.meta and not _H1.search(markdown):
            # Term pages have no H1 of their own; MkDocs' theme prints no title without one.
            markdown = f"# {md_escape(self.handbook.terms[own].term)}\n\n{markdown}"
            offset -= 2
            origin = _shifted(origin, 2)
        autolink = page.meta.get("autolink")
        if autolink is False:
            autolink = "off"
        if autolink not in (None, "first", "all", "off"):
            self._report(
                Finding(
                    src,
                    front.line("autolink") if front else None,
                    f"autolink: {autolink!r} is not one of first, all, off",
                )
            )
            autolink = None
        md_link = page_links(src)

        def url_for(target: str) -> str:
            return _url_from(files, target, page.file) or md_link(target)

        self.extension.page = PageInfo(
            src,
            offset,
            line_origin=origin,
            design=design,
            decision=self.handbook.decisions.get(src),
            # Only designs are compared with what renders, and only by digest.
            expected_body=self.collected.digests.get(src) if self.collected else None,
            own_term=own,
            autolink=autolink,
            md_link=md_link,
            url_for=url_for,
            criteria_page=CRITERIA_PAGE if files.get_file_from_path(CRITERIA_PAGE) else None,
        )
        return markdown

    def _dated(self, design: Design, meta: Mapping[str, Any]) -> Design:
        """The design with the dates mkdocs-git-revision-date-localized (at priority 0) put
        in the page's meta: a copy, which the page shows and the finishing step hands on."""
        dated = replace(design)
        fill_from_meta(dated, meta)
        if (dated.created, dated.updated, dated.from_git) == (
            design.created,
            design.updated,
            design.from_git,
        ):
            return design
        self.rendering.shown[design.path] = dated
        return dated

    def on_page_content(
        self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        """Record what the conversion found; give term pages their see-also and backlinks
        slots."""
        if not self.config.enabled:
            return html
        src = page.file.src_uri
        conversion, info = self.extension.conversion, self.extension.page
        self.rendering.add(
            src,
            conversion.mentions,
            conversion.anchors,
            conversion.rewritten,
            info.design.steps if info.design is not None else None,
        )
        if conversion.tables:
            self.table_pages.append(page)
        # A conversion before the next page's (a blog's excerpt) belongs to no page.
        self.extension.page = replace(info, design=None, decision=None, reports=False)
        own = info.own_term
        if own is None:
            return html
        term = self.handbook.terms[own]
        extra = glossary_pages.see_also_html(
            term, self.handbook, info.url_for, self.site.labels, self.site.templates
        )
        self._backlinks_in_toc(page, own)
        return html + extra + glossary_pages.backlinks_placeholder(own)

    def _backlinks_in_toc(self, page: Page, term_id: str) -> None:
        """Give the "Referenced by" heading, written later, its entry in the page's
        table of contents: under the page's only top heading, or after the others."""
        # Themes print toc titles as HTML (headings' titles are HTML already).
        title = str(escape(self.site.labels["referenced_by"]))
        link = AnchorLink(title, glossary_pages.backlinks_anchor(term_id), 2)
        items = page.toc.items
        if len(items) == 1 and items[0].level == 1:
            items[0].children.append(link)
        else:
            items.append(link)

    @event_priority(1)  # just before the search plugins (0)
    def _search_view(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        """Hand search plugins the words of blocks, tables and glossary links, not their markup."""
        if self.config.enabled and page.content is not None:
            self.search = search_view(page.content)
            page.content = self.search.content
        return context

    @event_priority(-100)  # after the search plugins have indexed the page
    def _full_view(
        self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation
    ) -> Any:
        """Put back the full blocks, tables and lists that search plugins read as words."""
        if self.config.enabled and page.content is not None:
            page.content = full_view(page.content, self.search)
        self.search = None
        return context

    on_page_context = CombinedEvent(_search_view, _full_view)

    @event_priority(100)  # before plugins that rewrite the output, such as minifiers
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Put a design's checklist panel in place of its mark, a term page's "Referenced by"
        list in place of its placeholder, and the summaries of glossary links into their
        ``title``, in the written page.

        All three are the page's chrome, like the navigation: they are not in
        ``page.content``, so they are neither indexed nor kept in memory with every page
        until the build ends. Tables of a conversion made after ``on_env`` (a blog's
        excerpts) are filled in here too.
        """
        if not self.config.enabled or self.finished is None:
            return output
        finished = self.finished
        if self.site.tables is not None:
            output = self.site.tables.fill(output, finished, self.redo_tables)
        output = add_term_titles(output, self.handbook.terms)
        output = self._backlinks(output, page, finished)
        design = finished.designs.get(page.file.src_uri)
        if design is None or PANEL_MARK not in output:
            return output
        url = _url_from(self.files, CRITERIA_PAGE, page.file) if self.files else None
        panel = self.cache.panels.get(
            (panel_key(design), url),
            render_panel,
            design,
            self.config.steps,
            self.site.labels,
            url,
            self.site.templates,
        )
        return output.replace(PANEL_MARK, panel, 1)

    # The finishing step: every page is converted, none is written yet, and the search
    # plugins read page.content later (on_page_context), so they see the filled tables.
    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Make the handbook as the site shows it and put every table in its place."""
        if not self.config.enabled:
            return env
        self.files = files
        excluded = backlinks_excluded(self.config.backlinks_exclude)
        self.finished = finish(self.handbook, self.rendering, excluded)
        tables = self.site.tables
        if tables is not None:
            self.redo_tables = changes_tables(self.rendering)
            for page in self.table_pages:
                if page.content is not None:
                    page.content = tables.fill(page.content, self.finished, self.redo_tables)
        self.table_pages = []
        return env

    @property
    def built(self) -> Handbook:
        """The handbook as the site shows it once pages are converted; before, as collected."""
        return self.finished if self.finished is not None else self.handbook

    def _backlinks(self, output: str, page: Page, finished: Handbook) -> str:
        """Put a term page's "Referenced by" list in place of its placeholder."""
        term_id = self.term_at.get(page.file.src_uri)
        if term_id is None or self.files is None:
            return output
        placeholder = glossary_pages.backlinks_placeholder(term_id)
        if placeholder not in output:
            return output
        files, page_file = self.files, page.file

        def url_for(target: str) -> str:
            return _url_from(files, target, page_file) or link_target(target)

        term = finished.terms[term_id]
        html = glossary_pages.backlinks_html(
            term, finished, url_for, self.site.labels, self.site.templates
        )
        return output.replace(placeholder, html, 1)


def _url_from(files: Files, target: str, page_file: File) -> str | None:
    """URL of the page built from source path ``target``, relative to ``page_file``'s page;
    None when no such file is in the site."""
    # Source paths here are already in src_uri form: no PurePath round trip per link.
    file = files.src_uris.get(target)
    return get_relative_url(file.url, page_file.url) if file else None


I18N_SOURCE = "norm_src_uri"
"""mkdocs-static-i18n's name for the path other pages use to link to a translated page
(``designs/queue.md`` for ``designs/queue.de.md``)."""


def _site_prefix(files: Files, config: MkDocsConfig) -> str:
    """The folder of the site that every page was moved into by another plugin ("" if none).

    mkdocs-static-i18n writes each language but the default under a folder named after
    it. A page is "moved" when its output path is MkDocs' own output path for its source
    path (its untranslated path, for a translated page) under a folder; the prefix counts
    only when every page agrees.
    """
    prefixes = set()
    for file in files.documentation_pages():
        source = getattr(file, I18N_SOURCE, None)
        if not isinstance(source, str):
            source = file.src_uri
        own = File(source, config.docs_dir, config.site_dir, config.use_directory_urls)
        if file.dest_uri == own.dest_uri:
            prefixes.add("")
        elif file.dest_uri.endswith("/" + own.dest_uri):
            prefixes.add(file.dest_uri[: -len(own.dest_uri)])
    return prefixes.pop() if len(prefixes) == 1 else ""


def _moved(file: File, prefix: str) -> File:
    """``file`` written under the folder ``prefix`` of the site, like the pages beside it."""
    if prefix:
        # Setting the public `dest_uri` is MkDocs' documented way to move a file; its URL
        # and absolute path follow, as long as nothing has read them yet.
        file.dest_uri = prefix + file.dest_uri
    return file


def _line_origin(file: File, body_offset: int, markdown: str) -> Callable[[int], int]:
    """Maps a line of ``markdown``, the page as other plugins left it, to the line of the
    file's body it came from. Worked out on the first message only: most pages have none."""
    origins: list[int] | None = None

    def origin(line: int) -> int:
        nonlocal origins
        if origins is None:
            try:
                body = "\n".join(file.content_string.splitlines()[body_offset:])
            except (OSError, UnicodeDecodeError, TypeError):
                body = markdown
            origins = line_origins(body, markdown) if body != markdown else []
        return origins[line] if 0 < line < len(origins) else line

    return origin


def _shifted(origin: Callable[[int], int], added: int) -> Callable[[int], int]:
    """``origin`` for the same Markdown with ``added`` lines put before it."""
    return lambda line: origin(line - added) + added if line > added else line


MONOREPO_SOURCES = "files_source_dir"
"""mkdocs-monorepo-plugin's map from the path of each page it copied into its temporary
docs folder to the path of the page it copied."""


def _copied_from(files: Files, config: MkDocsConfig, config_dir: str) -> dict[str, str]:
    """Source path to real path (from ``config_dir``) of the pages another plugin copied."""
    for plugin in config.plugins.values():
        origins = getattr(plugin, MONOREPO_SOURCES, None)
        if isinstance(origins, dict) and origins:
            break
    else:
        return {}
    copied = {}
    for file in files.documentation_pages():
        origin = origins.get(file.abs_src_path)
        if isinstance(origin, str):
            copied[file.src_uri] = os.path.relpath(origin, config_dir).replace(os.sep, "/")
    return copied
