"""The handbook on Zensical: the ``mkdocs_sysdesign.zensical`` Markdown extension.

Zensical reads ``mkdocs.yml`` and runs Python-Markdown extensions, with a new
``Markdown`` for every page, but no MkDocs plugin. This extension is the Zensical
host of the same core the plugin drives on MkDocs:

- its options are the plugin's options, validated by the plugin's own configuration
  class, taken from the extension's entry in ``markdown_extensions`` or, when it has
  none, from the ``sysdesign`` entry of ``plugins`` in the same file;
- the site model is collected once for each state of the docs folder (``collect``
  over every page, as the plugin's ``on_files`` does) and shared by the pages'
  ``Markdown`` instances; it is collected again when a page file changes;
- each page then converts with :class:`~mkdocs_sysdesign.extension.SysdesignExtension`
  over the model's :class:`~mkdocs_sysdesign.extension.SiteContext`, with a
  :class:`~mkdocs_sysdesign.extension.PageInfo` made from Zensical's page context (path,
  URL, front matter); a page that shows what other pages mention gets the finished
  handbook (:func:`~mkdocs_sysdesign.finish.finish`).

What Zensical cannot do (add pages and assets, fail ``--strict`` on an extension's
warnings) is said once per build, in one log line, and explained in the guide.
Outside Zensical (MkDocs with the plugin, or a plain ``Markdown``) the extension
does nothing.
"""

from __future__ import annotations

import logging
import os
import threading
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import escape

from . import glossary_pages, sitefiles
from .cache import BuildCache
from .collect import (
    SHIPPED_COPY_MARK,
    Collected,
    Options,
    SourceFile,
    builtin_glossary_files,
    collect,
    decode_page,
    unknown_term_ids,
)
from .extension import PageInfo, SiteContext, SysdesignExtension, page_links
from .finish import Rendering, backlinks_excluded, finish
from .glossary import TermIndex, add_term_titles
from .history import History, read_history
from .model import Finding, Handbook
from .render import Templates, labels_for, templates_for

log = logging.getLogger("mkdocs_sysdesign.zensical")
_lock = threading.RLock()
"""Guards the state kept between pages: Zensical may render pages on several threads."""

EXTENSION = "mkdocs_sysdesign.zensical"
"""This extension's name in ``markdown_extensions``."""
PLUGIN = "sysdesign"
CONFIG_NAMES = ("zensical.toml", "mkdocs.yml", "mkdocs.yaml")
"""The files ``zensical build`` looks for, in its order."""
CRITERIA_PAGE = "criteria.md"
__all__ = ["SHIPPED_COPY_MARK", "ZensicalExtension", "makeExtension", "site_for", "sync"]


class _Handler(logging.Handler):
    """Writes the extension's messages as MkDocs writes a plugin's: ``WARNING - text``.

    Zensical sets up no logging for Python code, so without a handler Python would
    print warnings bare and drop the rest.
    """

    def emit(self, record: logging.LogRecord) -> None:
        try:
            import sys

            sys.stderr.write(f"{record.levelname:<8}-  {self.format(record)}\n")
        except Exception:  # noqa: BLE001 - logging must never break a page
            self.handleError(record)


def _ensure_handler() -> None:
    if not log.handlers and not logging.getLogger().handlers:
        log.addHandler(_Handler())
        log.setLevel(logging.INFO)
        log.propagate = False


# -- options --------------------------------------------------------------------------


def _plugin_entry(config_file: Path) -> dict[str, Any] | None:
    """The options of the ``sysdesign`` plugin in a configuration file, or None when the
    file does not list the plugin."""
    from .config import read_config_file

    try:
        data = read_config_file(config_file)
    except Exception:  # noqa: BLE001 - Zensical has read the file; we only look into it
        return None
    plugins = data.get("plugins") if isinstance(data, dict) else None
    entries: list[Any] = []
    if isinstance(plugins, dict):
        entries = [{name: value} for name, value in plugins.items()]
    elif isinstance(plugins, list):
        entries = plugins
    for entry in entries:
        if entry == PLUGIN:
            return {}
        if isinstance(entry, dict) and PLUGIN in entry:
            value = entry[PLUGIN]
            return dict(value) if isinstance(value, dict) else {}
    return None


def config_file(zensical_config: Mapping[str, Any]) -> Path | None:
    """The configuration file Zensical read (the first of ``CONFIG_NAMES`` in its folder)."""
    root = Path(str(zensical_config.get("root_dir") or "."))
    for name in CONFIG_NAMES:
        if (root / name).is_file():
            return root / name
    return None


@dataclass
class Settings:
    """The plugin's options, validated, and the texts and model settings made from them."""

    options: Any
    """A validated :class:`~mkdocs_sysdesign.config.SysdesignConfig`."""
    source: str
    """Where they came from, as messages name it."""
    problems: list[str] = field(default_factory=list)
    plugin_listed: bool = False


_settings_for: list[Any] = [None, "", None]
"""The configuration and options the last settings were read for, and those settings."""


def settings_for(given: Mapping[str, Any], zensical_config: Mapping[str, Any]) -> Settings:
    """:func:`read_settings`, read once for each build (Zensical reads its configuration
    anew for every build) rather than for every page."""
    key = repr(sorted(given.items(), key=str))
    with _lock:
        if _settings_for[0] is zensical_config and _settings_for[1] == key:
            return _settings_for[2]  # type: ignore[no-any-return]
    settings = read_settings(given, zensical_config)
    with _lock:
        _settings_for[:] = [zensical_config, key, settings]
    return settings


def read_settings(given: Mapping[str, Any], zensical_config: Mapping[str, Any]) -> Settings:
    """The options of this extension's entry or, when it has none, of the plugin's entry.

    Both are validated by the plugin's configuration class, so an option means the same
    on MkDocs and on Zensical, and a mistake gets the same message.
    """
    from .config import SysdesignConfig

    found = config_file(zensical_config)
    name = found.name if found else "mkdocs.yml"
    from_plugin = _plugin_entry(found) if found else None
    if given:
        raw, source = dict(given), f"{name}: markdown_extensions.{EXTENSION}"
    else:
        raw, source = dict(from_plugin or {}), f"{name}: plugins.{PLUGIN}"
    options = SysdesignConfig()
    options.load_dict(raw)
    errors, warnings = options.validate()
    problems = [f"{source}.{key}: {error}" for key, error in (*errors, *warnings)]
    if errors:
        # An option in error falls back to every default, as a plugin that fails
        # validation would not run at all; the message says which one.
        options = SysdesignConfig()
        options.load_dict({})
        options.validate()
    return Settings(options, source, problems, plugin_listed=from_plugin is not None)


# -- the site ---------------------------------------------------------------------------


def _page_files(docs_dir: Path) -> list[tuple[str, int, int]]:
    """Every Markdown page of the docs folder: path, modification time and size.

    Hidden files and folders are left out, as MkDocs and Zensical leave them out.
    """
    found = []
    for root, folders, names in os.walk(docs_dir):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in names:
            if name.startswith(".") or not name.endswith(".md"):
                continue
            full = os.path.join(root, name)
            try:
                stat = os.stat(full)
            except OSError:
                continue
            path = os.path.relpath(full, docs_dir).replace(os.sep, "/")
            found.append((path, stat.st_mtime_ns, stat.st_size))
    return sorted(found)


@dataclass
class Site:
    """The handbook model of one state of the docs folder, shared by every page."""

    settings: Settings
    docs_dir: Path
    docs_prefix: str
    """The docs folder as messages name it: relative to the configuration's folder."""
    collected: Collected
    handbook: Handbook
    term_index: TermIndex
    labels: dict[str, str]
    templates: Templates
    """The theme's folders' overrides (``overrides/sysdesign/``), then the package's."""
    cache: BuildCache
    pages: list[str]
    findings: list[Finding] = field(default_factory=list)
    """Every finding reported in the current build."""
    model_findings: list[Finding] = field(default_factory=list)
    """The findings of collecting the model (reported again by each build)."""
    reported: set[tuple[str, int | None, str]] = field(default_factory=set)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _sync: sitefiles.SyncState | None = None
    _finished: Handbook | None = None
    _terms_by_path: dict[str, str] | None = None

    @property
    def glossary_dir(self) -> str:
        """The glossary folder, relative to the docs folder."""
        return str(self.settings.options.glossary_dir).strip("/")

    def begin_build(self) -> None:
        """Report the model's findings, as every build does, and let each page's findings
        be reported again."""
        with self.lock:
            self.reported = set()
            self.findings = []
        for finding in self.model_findings:
            self.report(finding)

    def report(self, finding: Finding) -> None:
        """Log a finding once for this state of the docs folder, naming the file from the
        configuration's folder, as the plugin's log does."""
        key = (finding.file, finding.line, finding.message)
        with self.lock:
            if key in self.reported:
                return
            self.reported.add(key)
            self.findings.append(finding)
        where = (
            finding.file if finding.file in CONFIG_NAMES else (f"{self.docs_prefix}/{finding.file}")
        )
        shown = Finding(where, finding.line, finding.message)
        if finding.level == "info":
            log.info("%s", shown)
        else:
            log.warning("%s", shown)

    def site_context(self, toc: Mapping[str, Any], handbook: Handbook | None = None) -> SiteContext:
        """What the pages of this model share, over ``handbook`` (the collected one by
        default); tables render in place, as Zensical converts each page alone."""
        options = self.settings.options
        return SiteContext(
            registry=options.steps,
            handbook=handbook or self.handbook,
            term_index=self.term_index,
            labels=self.labels,
            templates=self.templates,
            autolink=options.autolink,
            slugify=toc.get("slugify"),
            separator=toc.get("separator", "-"),
            report=self.report,
            cache=self.cache,
            glossary_dir=f"{self.docs_prefix}/{self.glossary_dir}",
        )

    def finished(self, toc: Mapping[str, Any]) -> Handbook:
        """The handbook as the site shows it: designs with the terms they mention, terms
        with the pages that mention them ("Referenced by", the ``terms`` table).

        The plugin learns the mentions as MkDocs converts every page; Zensical converts
        each page on its own, and caches pages, so the mentions of every page are found
        here, once for the model, by converting each page with the extension alone (it
        reports nothing: each page reports its own problems when Zensical renders it).
        """
        with self.lock:
            if self._finished is not None:
                return self._finished
            shipped = {f.path: f.text for f in builtin_glossary_files(self.glossary_dir)}
            rendering = Rendering()
            quiet = replace(self.site_context(toc), report=None)
            for path in self.pages:
                text = shipped.get(path) if self._is_shipped(path) else self._read(path)
                rendering.add(path, self._mentions_of(path, text or "", quiet))
            excluded = backlinks_excluded(self.settings.options.backlinks_exclude)
            self._finished = finish(self.handbook, rendering, excluded)
            return self._finished

    def _read(self, path: str) -> str:
        try:
            raw = (self.docs_dir / path).read_bytes()
        except OSError:
            return ""
        return decode_page(path, raw)[0]

    def _mentions_of(self, path: str, text: str, site: SiteContext) -> set[str]:
        front = self.collected.fronts.get(path)
        offset = front.body_offset if front else 0
        body = "\n".join(text.splitlines()[offset:])
        page = PageInfo(
            src_path=path,
            line_offset=offset,
            own_term=self.term_at(path),
            autolink=_autolink(front_autolink(text)),
            reports=False,
        )
        extension = SysdesignExtension(site, page)
        md = Markdown(
            extensions=[
                "attr_list",
                "toc",
                "tables",
                "pymdownx.tasklist",
                "pymdownx.superfences",
                extension,
            ],
            extension_configs={"pymdownx.superfences": {"custom_fences": _fences()}},
        )
        md.convert(body)
        return set(extension.conversion.mentions)

    def sync_state(self) -> sitefiles.SyncState:
        """How the written glossary pages and assets compare with what this model needs
        (worked out once for the model)."""
        with self.lock:
            if self._sync is None:
                wanted = sitefiles.glossary_files(self.handbook, self.glossary_dir, self.labels)
                wanted.update(sitefiles.asset_files())
                self._sync = sitefiles.compare(self.docs_dir, wanted)
            return self._sync

    def _is_shipped(self, path: str) -> bool:
        term_id = self.term_at(path)
        return term_id is not None and self.handbook.terms[term_id].builtin

    def term_at(self, path: str) -> str | None:
        """The id of the term whose page is at ``path``, if it is a term page."""
        if self._terms_by_path is None:
            self._terms_by_path = {term.path: term.id for term in self.handbook.terms.values()}
        return self._terms_by_path.get(path)


def front_autolink(text: str) -> object:
    """The ``autolink`` of a page's front matter (None when it has none)."""
    from .frontmatter import read_front_matter

    return read_front_matter(text).data.get("autolink")


def _autolink(value: object) -> str | None:
    if value is False:
        return "off"
    return value if value in ("first", "all", "off") else None


def _fences() -> list[dict[str, Any]]:
    from .extension import custom_fences

    return custom_fences()


@dataclass
class _Known:
    """The last site model, and what it was collected from."""

    key: tuple[str, str]
    site: Site
    files: dict[str, tuple[int, int]]
    """Modification time and size of every page, by path."""
    checked_for: object
    """The Zensical configuration of the build in which the whole folder was last compared."""


_known: list[_Known] = []
_caches: dict[tuple[str, str], BuildCache] = {}


def site_for(
    settings: Settings, zensical_config: Mapping[str, Any], page: str | None = None
) -> Site:
    """The site model for the docs folder as it is now.

    The model collected for an earlier page is reused while no page file changed: the
    whole folder is compared (paths, times and sizes) once a build (Zensical reads its
    configuration anew for each), and the page being converted every time, as a
    rebuild of ``zensical serve`` converts only the edited page when nothing else is
    watched. Otherwise the model is collected again, reusing what the cache of front
    matter and design analyses holds for unchanged files.
    """
    root = Path(str(zensical_config.get("root_dir") or "."))
    docs_dir = (root / str(zensical_config.get("docs_dir") or "docs")).resolve()
    key = (str(docs_dir), repr(sorted(_options_key(settings).items())))
    with _lock:
        known = _known[0] if _known and _known[0].key == key else None
        if known is not None and known.checked_for is zensical_config:
            if page is None or known.files.get(page) == _stat(docs_dir / page):
                return known.site
        files = {path: (mtime, size) for path, mtime, size in _page_files(docs_dir)}
        if known is not None and known.files == files:
            if known.checked_for is not zensical_config:
                known.checked_for = zensical_config
                known.site.begin_build()  # the same model in a new build
            return known.site
        cache = _caches.setdefault(key, BuildCache(enabled=True))
        site = _collect_site(settings, zensical_config, root, docs_dir, sorted(files), cache)
        _known[:] = [_Known(key, site, files, zensical_config)]
        return site


def _stat(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def _options_key(settings: Settings) -> dict[str, str]:
    return {"source": settings.source, "options": repr(sorted(settings.options.items(), key=str))}


def _collect_site(
    settings: Settings,
    zensical_config: Mapping[str, Any],
    root: Path,
    docs_dir: Path,
    pages: list[str],
    cache: BuildCache,
    *,
    report: bool = True,
) -> Site:
    options = settings.options
    language = options.language or _theme_language(zensical_config) or "en"
    labels = labels_for(language, options.labels)
    glossary_dir = str(options.glossary_dir).strip("/")

    def reader(path: str) -> Callable[[], str]:
        def read() -> str:
            raw = (docs_dir / path).read_bytes()
            text, finding = decode_page(path, raw)
            if finding is not None:
                found.append(finding)
            return text

        return read

    # The theme's folders, custom_dir first, as on MkDocs.
    theme_dirs = zensical_config.get("theme_dirs") or ()
    templates = templates_for(tuple(str(d) for d in theme_dirs))
    # A new model is a new build for the memos: what the last one did not use goes.
    fingerprint = templates.fingerprint()
    cache.blocks.begin((labels, fingerprint))
    cache.panels.begin((labels, options.steps, fingerprint))
    found: list[Finding] = []
    sources = [SourceFile(path, load=reader(path)) for path in pages]
    if options.builtin_glossary:
        sources.extend(builtin_glossary_files(glossary_dir))
    toc = _toc_config(zensical_config)
    # Dates and owners a design does not write come from git, as on MkDocs.
    history = read_history(str(docs_dir)) if options.git_history else History()
    if history.note and report:
        log.info("git history: %s", history.note)
    collected = collect(
        sources,
        Options(
            registry=options.steps,
            statuses=options.statuses,
            designs_dir=options.designs_dir,
            glossary_dir=glossary_dir,
            decisions_dir=options.decisions_dir,
            decision_statuses=options.decision_statuses,
            stale=options.stale,
            slugify=toc.get("slugify"),
            separator=toc.get("separator", "-"),
            history=history.files,
        ),
        cache,
    )
    collected.handbook.statuses = options.statuses
    handbook = collected.handbook
    prefix = os.path.relpath(docs_dir, root.resolve()).replace(os.sep, "/")
    site = Site(
        settings=settings,
        docs_dir=docs_dir,
        docs_prefix=prefix,
        collected=collected,
        handbook=handbook,
        term_index=TermIndex(handbook.terms, options.ambiguous, memo=cache.matches),
        labels=labels,
        templates=templates,
        cache=cache,
        pages=sorted({*pages, *(t.path for t in handbook.terms.values() if t.builtin)}),
    )
    if not report:
        return site
    config_name = (config_file(zensical_config) or Path("mkdocs.yml")).name
    where = settings.source.split(": ", 1)[-1]
    unknown = unknown_term_ids(
        handbook, collected.fronts, settings.options.ambiguous, config_name, where
    )
    site.model_findings = [*found, *collected.findings, *unknown]
    site.begin_build()
    return site


def _theme_language(zensical_config: Mapping[str, Any]) -> str | None:
    theme = zensical_config.get("theme")
    language = theme.get("language") if isinstance(theme, Mapping) else None
    return language if isinstance(language, str) else None


def _toc_config(zensical_config: Mapping[str, Any]) -> Mapping[str, Any]:
    configs = zensical_config.get("mdx_configs")
    toc = configs.get("toc") if isinstance(configs, Mapping) else None
    return toc if isinstance(toc, Mapping) else {}


# -- the files Zensical cannot add ------------------------------------------------------


def read_config_file(path: Path) -> dict[str, Any]:
    """A configuration file as Zensical's configuration mapping has what this module reads
    of it (``root_dir``, ``docs_dir``, ``theme``, ``markdown_extensions``)."""
    from .config import read_config_file as read

    config = read(path)
    config["root_dir"] = str(path.parent.resolve())
    config.setdefault("docs_dir", "docs")
    return config


def extension_options(config: Mapping[str, Any]) -> dict[str, Any]:
    """The options given to this extension's entry of ``markdown_extensions``."""
    entries = config.get("markdown_extensions") or []
    if isinstance(entries, Mapping):
        entries = [{name: value} for name, value in entries.items()]
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping) and EXTENSION in entry:
            value = entry[EXTENSION]
            return dict(value) if isinstance(value, Mapping) else {}
    return {}


@dataclass
class SyncResult:
    """What ``mkdocs-sysdesign sync`` found and did."""

    docs_prefix: str
    state: sitefiles.SyncState
    written: list[str]
    problems: list[str]


def sync(path: Path, *, write: bool) -> SyncResult:
    """Compare (and with ``write``, write) the glossary pages and assets a Zensical build
    needs in the docs folder of the project configured in ``path``."""
    config = read_config_file(path)
    settings = read_settings(extension_options(config), config)
    options = settings.options
    root = Path(config["root_dir"])
    docs_dir = (root / str(config["docs_dir"])).resolve()
    if not docs_dir.is_dir():
        raise FileNotFoundError(2, "no such docs folder", str(docs_dir))
    pages = [p for p, _, _ in _page_files(docs_dir)]
    site = _collect_site(settings, config, root, docs_dir, pages, BuildCache(), report=False)
    wanted = sitefiles.asset_files()
    wanted.update(sitefiles.glossary_files(site.handbook, site.glossary_dir, site.labels))
    state = sitefiles.compare(docs_dir, wanted)
    written = sitefiles.write(docs_dir, wanted) if write else []
    del options
    return SyncResult(site.docs_prefix, state, written, settings.problems)


# -- notes said once a build --------------------------------------------------------------

_said_for: list[Any] = [None]
"""The Zensical configuration of the build that the notes below were said for: Zensical
reads its configuration anew for every build."""
_said: set[str] = set()


def say_once(zensical_config: object, key: str, message: str, level: int = logging.INFO) -> None:
    """Log ``message`` once in the build that ``zensical_config`` belongs to."""
    with _lock:
        if _said_for[0] is not zensical_config:
            _said_for[0] = zensical_config
            _said.clear()
        if key in _said:
            return
        _said.add(key)
    log.log(level, "%s", message)


def _build_notes(site: Site, zensical_config: Mapping[str, Any], settings: Settings) -> None:
    """What Zensical cannot do, or what this configuration leaves undone: once a build."""
    for problem in settings.problems:
        say_once(zensical_config, problem, problem, logging.WARNING)
    say_once(
        zensical_config,
        "strict",
        # Also what becomes of a `sysdesign` plugin entry: Zensical runs no plugins.
        f"mkdocs-sysdesign on Zensical: {EXTENSION} builds the handbook with the options "
        f"of {settings.source} (Zensical runs no MkDocs plugins); its warnings do not "
        "fail `zensical build --strict`: run `mkdocs-sysdesign check` to gate a build",
    )
    options = settings.options
    state = site.sync_state()
    if not state.in_sync:
        say_once(
            zensical_config,
            "sync",
            f"{site.docs_prefix}: the glossary pages and assets Zensical cannot add are "
            f"not all written: {state.describe()}; expected them in the docs folder: run "
            "`mkdocs-sysdesign sync`",
            logging.WARNING,
        )
    watched = [str(p).strip("/") for p in zensical_config.get("watch") or []]
    if not any(
        (Path(str(zensical_config.get("root_dir") or ".")) / p).resolve() == site.docs_dir
        for p in watched
    ):
        say_once(
            zensical_config,
            "watch",
            f"mkdocs-sysdesign on Zensical: `watch` does not list {site.docs_prefix}, so pages "
            "whose tables, checklists or glossary links depend on other pages stay as "
            "Zensical cached them; expected `watch: ["
            + site.docs_prefix
            + "]` in "
            + (config_file(zensical_config) or Path("mkdocs.yml")).name,
            logging.WARNING,
        )
    nav = zensical_config.get("nav")
    if (
        options.glossary_nav == "auto"
        and nav
        and site.handbook.terms
        and not _nav_places(nav, site.glossary_dir)
    ):
        say_once(
            zensical_config,
            "nav",
            f"mkdocs-sysdesign on Zensical: the nav places no page of {site.glossary_dir}/, "
            "and Zensical lets no extension add the glossary section the plugin adds on "
            f"MkDocs; expected {site.glossary_dir}/index.md in the nav",
        )


def _nav_places(nav: Any, folder: str) -> bool:
    """Whether Zensical's nav (converted to mappings) links any page of ``folder``."""
    if isinstance(nav, str):
        return nav.startswith(folder + "/")
    if isinstance(nav, Mapping):
        return any(_nav_places(value, folder) for value in nav.values())
    if isinstance(nav, list):
        return any(_nav_places(value, folder) for value in nav)
    return False


def note_unhosted(md: Markdown) -> None:
    """On Zensical, say once that the handbook's features need this extension: ``md``
    converts with ``mkdocs_sysdesign.extension`` or its block formatters alone, which
    know no other page (no checklists, tables or glossary), and a ``sysdesign`` plugin
    entry is ignored by Zensical."""
    rendering = zensical_page(md)
    if rendering is None:
        return
    _ensure_handler()
    found = config_file(rendering.config)
    plugin = _plugin_entry(found) is not None if found else False
    unused = "the sysdesign plugin does not run on Zensical, and " if plugin else ""
    say_once(
        rendering.config,
        "unhosted",
        f"mkdocs-sysdesign: {unused}the blocks render without the handbook's model (no "
        f"checklist panel, tables or glossary links); expected `- {EXTENSION}` in "
        "markdown_extensions",
        logging.WARNING,
    )


class StandaloneExtension(SysdesignExtension):
    """``mkdocs_sysdesign.extension`` on its own: blocks, task items and, with a term
    index in its context, glossary links, one page at a time."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API name
        """Register as usual, give SuperFences the blocks; on Zensical, say once what this
        leaves out."""
        super().extendMarkdown(md)
        md.preprocessors.register(_FencesPreprocessor(md), "sysdesign_fences", 40)
        note_unhosted(md)


def standalone_site(options: Mapping[str, Any]) -> SiteContext:
    """A site context from the plugin's options, for ``mkdocs_sysdesign.extension`` used
    without the plugin (a plain ``Markdown``). Options are validated as the plugin's are;
    a wrong one is a ``ValueError`` naming it."""
    from .config import SysdesignConfig

    if not options:
        return SiteContext()
    config = SysdesignConfig()
    config.load_dict(dict(options))
    errors, warnings = config.validate()
    if errors or warnings:
        detail = "; ".join(f"{key}: {error}" for key, error in (*errors, *warnings))
        raise ValueError(f"mkdocs_sysdesign.extension options: {detail}")
    return SiteContext(
        registry=config.steps,
        handbook=Handbook(registry=config.steps, statuses=config.statuses),
        labels=labels_for(config.language or "en", config.labels),
        autolink=config.autolink,
    )


# -- the extension ----------------------------------------------------------------------


def zensical_page(md: Markdown) -> Any:
    """Zensical's rendering context of ``md`` (page and configuration), or None outside
    Zensical."""
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    return ContextPreprocessor.from_markdown(md)


_ZENSICAL_RENDERER = "zensical.markdown.render"
"""The module through which Zensical converts pages: loaded only when Zensical builds."""


def _note_unknown_zensical() -> None:
    """Say once when Zensical converts the page but gives no page context this extension
    knows (a release that changed it): the handbook would otherwise just be missing."""
    import sys

    if _ZENSICAL_RENDERER not in sys.modules:
        return
    _ensure_handler()
    say_once(
        None,
        "unknown-zensical",
        f"mkdocs-sysdesign: this Zensical gives Markdown extensions no page context that "
        f"{EXTENSION} knows, so the handbook's features are missing; expected Zensical "
        "0.0.73 or a later release with zensical.extensions.context",
        logging.WARNING,
    )


class ZensicalExtension(Extension):
    """The handbook's per-page features on Zensical, over a model shared by all pages."""

    def __init__(self, **options: Any) -> None:
        # The plugin's options are validated by the plugin's configuration class, not by
        # Python-Markdown's per-key config (which rejects keys it does not declare).
        self.options = options
        super().__init__()

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API name
        """Attach the page's context and the shared model, and register the processors."""
        md.registerExtension(self)
        rendering = zensical_page(md)
        if rendering is None:
            _note_unknown_zensical()
            return  # MkDocs, where the plugin does the work, or a plain Markdown
        _ensure_handler()
        config: Mapping[str, Any] = rendering.config
        page = rendering.page
        settings = settings_for(self.options, config)
        if not settings.options.enabled:
            return
        site = site_for(settings, config, str(page.path))
        _build_notes(site, config, settings)
        toc = _toc_config(config)
        src = str(page.path)
        # Links to the source files, relative to the page's file: Zensical turns them
        # into the site's URLs (and checks them), as MkDocs does with ``.md`` links.
        url_for = page_links(src)

        front = site.collected.fronts.get(src)
        own = site.term_at(src)
        meta_autolink = page.meta.get("autolink")
        autolink = _autolink(meta_autolink)
        if meta_autolink is not None and autolink is None:
            site.report(
                Finding(
                    src,
                    front.line("autolink") if front else None,
                    f"autolink: {meta_autolink!r} is not one of first, all, off",
                )
            )
        criteria = (site.docs_dir / CRITERIA_PAGE).is_file()
        info = PageInfo(
            src_path=src,
            line_offset=front.body_offset if front else 0,
            design=site.handbook.designs.get(src),
            decision=site.handbook.decisions.get(src),
            expected_body=site.collected.digests.get(src),
            own_term=own,
            autolink=autolink,
            md_link=url_for,
            url_for=url_for,
            criteria_page=CRITERIA_PAGE if criteria else None,
        )
        _ensure_extensions(md)
        extension = SysdesignExtension(site.site_context(toc), info)
        extension.extendMarkdown(md)
        add_title = own is not None and "title" not in page.meta
        md.preprocessors.register(
            _PagePreprocessor(md, site, extension, toc, add_title, page), "sysdesign_zensical", 36
        )
        md.preprocessors.register(_FencesPreprocessor(md), "sysdesign_fences", 40)
        if own is not None:
            # After the table of contents (5) and glossary links (3): the lists are links
            # already, and not headings of the page's contents.
            md.treeprocessors.register(
                _TermPageTreeprocessor(md, site, extension), "sysdesign_term", 1
            )


def _ensure_extensions(md: Markdown) -> None:
    """Turn on the extensions the handbook relies on that the site does not list.

    ``md.registeredExtensions`` holds the ones listed before this extension; one listed
    after it registers again, with the site's own options, replacing ours.
    """
    present = {type(ext).__module__ for ext in md.registeredExtensions}
    wanted = {
        "attr_list": "markdown.extensions.attr_list",
        "pymdownx.tasklist": "pymdownx.tasklist",
    }
    for name, module in wanted.items():
        if module not in present:
            md.registerExtensions([name], {})


class _FencesPreprocessor(Preprocessor):
    """Gives SuperFences the handbook's blocks and Mermaid, wherever it is listed.

    Runs before SuperFences reads fences (25), once every extension has been set up, so
    an entry of ``markdown_extensions`` after this one is found too. Fences of the same
    name that the site configured itself are kept.
    """

    def run(self, lines: list[str]) -> list[str]:
        from pymdownx.superfences import SuperFencesCodeExtension

        for extension in self.md.registeredExtensions:
            if isinstance(extension, SuperFencesCodeExtension):
                names = {entry["name"] for entry in extension.superfences}
                for fence in _fences():
                    if fence["name"] in names:
                        continue
                    _add_fence(extension, fence)
        return lines


def _add_fence(extension: Any, fence: Mapping[str, Any]) -> None:
    import functools

    from pymdownx import superfences

    extension.extend_super_fences(
        fence["name"],
        functools.partial(superfences._formatter, class_name=fence["class"], _fmt=fence["format"]),
        functools.partial(superfences._validator, validator=superfences.default_validator),
        functools.partial(superfences._reset, _reset=superfences.default_reset),
    )


class _PagePreprocessor(Preprocessor):
    """Gives a term page its title, and a page that shows what other pages mention (a
    term's "Referenced by", a ``sysdesign`` table) the finished handbook."""

    def __init__(
        self,
        md: Markdown,
        site: Site,
        extension: SysdesignExtension,
        toc: Mapping[str, Any],
        add_title: bool,
        page: Any,
    ) -> None:
        super().__init__(md)
        self.site = site
        self.extension = extension
        self.toc = toc
        self.add_title = add_title
        self.page = page

    def run(self, lines: list[str]) -> list[str]:
        extension, own = self.extension, self.extension.page.own_term
        if own is not None or any(
            line.lstrip().startswith(("```sysdesign", "~~~sysdesign")) for line in lines
        ):
            extension.site = self.site.site_context(self.toc, self.site.finished(self.toc))
        if own is not None and self.add_title and not any(line.startswith("# ") for line in lines):
            # Term pages have no H1 of their own: the plugin adds one on MkDocs too.
            term = self.site.handbook.terms[own]
            self.page.title = term.term
            extension.page.line_offset -= 2
            return [f"# {glossary_pages.md_escape(term.term)}", "", *lines]
        return lines


class _TermPageTreeprocessor(Treeprocessor):
    """Ends a term page with its "See also" line and its "Referenced by" list.

    A treeprocessor, not a postprocessor: Python-Markdown runs postprocessors on each
    heading's text too, for the table of contents.
    """

    def __init__(self, md: Markdown, site: Site, extension: SysdesignExtension) -> None:
        super().__init__(md)
        self.site = site
        self.extension = extension

    def run(self, root: etree.Element) -> None:
        own = self.extension.page.own_term
        handbook = self.extension.site.handbook
        if own is None or handbook is None:
            return
        term = handbook.terms[own]
        url_for, labels = self.extension.page.url_for, self.site.labels
        templates = self.site.templates
        for html in (
            glossary_pages.see_also_html(term, handbook, url_for, labels, templates),
            glossary_pages.backlinks_html(term, handbook, url_for, labels, templates),
        ):
            if html:
                # The plugin gives every glossary link its summary in the written page.
                html = add_term_titles(html, handbook.terms)
                # The raw-HTML postprocessor replaces a paragraph holding only a placeholder.
                holder = etree.SubElement(root, "p")
                holder.text = self.md.htmlStash.store(html)
        self._backlinks_in_toc(term.id)

    def _backlinks_in_toc(self, term_id: str) -> None:
        """Give the "Referenced by" heading its entry in the table of contents, as the
        plugin does: under the page's only top heading, or after the others. Zensical
        reads the entries from ``md.toc_tokens``, which the ``toc`` extension has set."""
        tokens = getattr(self.md, "toc_tokens", None)
        if not isinstance(tokens, list):
            return
        label = self.site.labels["referenced_by"]
        entry = {
            "level": 2,
            "id": glossary_pages.backlinks_anchor(term_id),
            "name": label,
            "html": str(escape(label)),
            "data-toc-label": "",
            "children": [],
        }
        if len(tokens) == 1 and tokens[0].get("level") == 1:
            tokens[0].setdefault("children", []).append(entry)
        else:
            tokens.append(entry)


def makeExtension(**kwargs: Any) -> ZensicalExtension:  # noqa: N802 - Python-Markdown's API name
    """Entry point for ``markdown_extensions: [mkdocs_sysdesign.zensical]``."""
    return ZensicalExtension(**kwargs)
