"""The collect phase: read every design and term once, before any page renders.

The result is a :class:`~mkdocs_sysdesign.model.Handbook` (the whole model of the
site) and the findings about it. Nothing here knows MkDocs: the plugin and the
command line hand in the pages as ``(path, text)`` pairs.
"""

from __future__ import annotations

import datetime as _dt
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from importlib import resources

from . import blocks
from .cache import BuildCache
from .decisions import DecisionSource, is_decision, link_decisions, read_decision
from .frontmatter import FrontMatter, has_html, read_design, read_front_matter, read_term
from .glossary import normalise_key
from .history import FileHistory, fill_decision, fill_design, written_design_keys
from .model import Design, Entity, Finding, Handbook, Route, Status, StepResult, Term
from .source import Fence, SourcePage, body_digest, plain_text, scan
from .staleness import StaleRule, apply_rules
from .steps import StepRegistry, detect_steps
from .supersession import Side
from .supersession import link as link_supersession

_H1 = re.compile(r"^ {0,3}# +(.+)$", re.MULTILINE)

BUILTIN_GLOSSARY = "builtin_glossary"


@dataclass
class SourceFile:
    """A documentation page as the collector sees it."""

    path: str
    """Path relative to the docs folder, with forward slashes."""
    text: str = ""
    builtin: bool = False
    load: Callable[[], str] | None = field(default=None, repr=False, compare=False)
    """Reads the text when the collector gets to the page, in place of ``text``: the
    plugin hands MkDocs' files in this way, so that one page's text is held at a time."""

    def read(self) -> str:
        """The page's Markdown, front matter included."""
        return self.load() if self.load is not None else self.text


@dataclass
class Options:
    """The settings the collector needs (the plugin fills them from its config)."""

    registry: StepRegistry = field(default_factory=StepRegistry.default)
    statuses: list[Status] = field(default_factory=list)
    designs_dir: str = "designs"
    glossary_dir: str = "glossary"
    decisions_dir: str = "decisions"
    decision_statuses: list[Status] = field(default_factory=list)
    stale: list[StaleRule] = field(default_factory=list)
    today: _dt.date | None = None
    """The day staleness is measured on (today when None)."""
    slugify: Callable[[str, str], str] | None = None
    separator: str = "-"
    aliases: dict[str, str] = field(default_factory=dict)
    """Paths an author may write for a page, other than its own: the untranslated path of
    a translated page (``designs/queue.md`` for ``designs/queue.de.md``)."""
    history: Mapping[str, FileHistory] = field(default_factory=dict)
    """What git says of each page, by path: fills dates and owners a page does not write."""


@dataclass
class Collected:
    """What the collect phase produced."""

    handbook: Handbook
    findings: list[Finding] = field(default_factory=list)
    fronts: dict[str, FrontMatter] = field(default_factory=dict)
    """Front matter of every page, by path, for line numbers and body offsets: once
    collecting ends, its ``data`` is empty (the values are in the model)."""
    dropped_builtins: list[str] = field(default_factory=list)
    """Paths of shipped term pages replaced by the project's own."""
    redirects: dict[str, str] = field(default_factory=dict)
    """Path of a replaced shipped term page -> path of the project's page that replaces it
    under another file name: the shipped page's URL leads there."""
    digests: dict[str, bytes] = field(default_factory=dict)
    """Digest (``body_digest``) of each design's Markdown body, by path."""


def decode_page(path: str, raw: bytes) -> tuple[str, Finding | None]:
    """A page's text as MkDocs reads it (UTF-8, an optional byte-order mark), and a finding
    when it is not UTF-8.

    MkDocs stops the build at a page that is not UTF-8; the plugin reads such a page with
    U+FFFD in place of what cannot be read, and says where the first such byte is.
    """
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        start = error.start
    line = raw.count(b"\n", 0, start) + 1
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        kind = " (a byte-order mark says UTF-16)"
    elif b"\x00" in raw[:8192]:
        kind = " (it holds NUL bytes: a binary file?)"
    else:
        kind = ""
    message = (
        f"the file is not UTF-8{kind}: byte 0x{raw[start]:02x} on line {line} is not UTF-8 "
        "text; expected a UTF-8 file, as MkDocs reads (the page is shown with U+FFFD in place "
        "of each byte that cannot be read)"
    )
    return raw.decode("utf-8-sig", errors="replace"), Finding(path, line, message)


def builtin_glossary_files(glossary_dir: str) -> list[SourceFile]:
    """The shipped fundamentals glossary, as pages under ``glossary_dir``."""
    folder = resources.files("mkdocs_sysdesign") / BUILTIN_GLOSSARY
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".md"):
            found.append(
                SourceFile(
                    posixpath.join(glossary_dir, entry.name),
                    entry.read_text(encoding="utf-8"),
                    builtin=True,
                )
            )
    return found


def builtin_glossary_path(name: str) -> str:
    """File-system path of a shipped term page (for MkDocs' generated files)."""
    return str(resources.files("mkdocs_sysdesign") / BUILTIN_GLOSSARY / name)


def _heading_text(line: str) -> str:
    """An ATX heading's text without its closing hashes and trailing attribute list.

    String operations rather than patterns with a lazy text before optional spaces, which
    take time in proportion to the square of a long run of spaces or braces.
    """
    text = line.rstrip(" ")
    unclosed = text.rstrip("#")
    if unclosed != text and unclosed.endswith(" "):
        text = unclosed.rstrip(" ")
    body = text.rstrip()
    if body.endswith("}"):
        # `{...}` at the end, from the first `{` after the `}` before it.
        opening = body.find("{", body.rfind("}", 0, len(body) - 1) + 1, len(body) - 1)
        if opening >= 0:
            text = text[:opening].rstrip()
    return text


def page_title(path: str, front: FrontMatter, body: str) -> str:
    """The title MkDocs will show for a page: front matter, first H1, or the file name."""
    title = front.data.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    term = front.data.get("term")
    if isinstance(term, str) and term.strip() and "glossary" in path:
        return term.strip()
    match = _H1.search(body)
    if match:
        return plain_text(_heading_text(match.group(1)))
    return file_title(path)


def file_title(path: str) -> str:
    """The title MkDocs makes from a page's file name when the page gives none."""
    stem = posixpath.splitext(posixpath.basename(path))[0]
    if stem == "index":
        stem = posixpath.basename(posixpath.dirname(path)) or "Home"
    return stem.replace("-", " ").replace("_", " ").capitalize()


def _body(text: str, offset: int) -> str:
    """The page's text after its first ``offset`` lines (the front matter)."""
    start = 0
    for _ in range(offset):
        start = text.find("\n", start) + 1
        if start == 0:
            return ""
    return text[start:]


def _under(path: str, folder: str) -> bool:
    folder = folder.strip("/")
    return bool(folder) and path.startswith(folder + "/")


def is_index(path: str) -> bool:
    """Whether a page is a folder's index page."""
    return posixpath.basename(path) in ("index.md", "README.md")


def block_items(fence: Fence) -> set[str]:
    """Checklist item ids a fenced block provides, when it parses."""
    kind = blocks.BLOCKS.get(fence.lang)
    if kind is None:
        return set()
    parsed, _ = kind.parse(fence.content)
    return kind.items(parsed) if parsed is not None else set()


@dataclass(slots=True)
class Analysis:
    """What a design's Markdown body says: its steps, block contents and problems."""

    steps: dict[str, StepResult]
    entities: list[Entity]
    routes: list[Route]
    problems: list[tuple[int, str]]
    """(body line, message)"""

    def apply(self, design: Design) -> list[tuple[int, str]]:
        """Give the design its steps and blocks; returns the problems."""
        design.steps = self.steps
        design.entities, design.routes = self.entities, self.routes
        return self.problems


def analyse_body(page: SourcePage, options: Options) -> Analysis:
    """Steps and blocks of a scanned design body (the same body gives an equal result)."""
    results, problems = detect_steps(page, options.registry, block_items)
    analysis = Analysis(results, [], [], [(p.line, p.message) for p in problems])
    for fence in page.fences:
        kind = blocks.BLOCKS.get(fence.lang)
        parsed = kind.parse(fence.content)[0] if kind is not None else None
        if kind is not None and parsed is not None:
            entities, routes = kind.model(parsed, fence.line)
            analysis.entities += entities
            analysis.routes += routes
    if not any(result.sections for result in results.values()):
        first = ", ".join(f"## {step.title}" for step in options.registry)
        analysis.problems.append(
            (
                1,
                "design has no section for any step; expected headings such as " + first,
            )
        )
    return analysis


def analyse_text(body: str, options: Options) -> Analysis:
    """Steps and blocks of a design's Markdown body."""
    return analyse_body(scan(body, options.slugify, options.separator), options)


def _analysis_settings(options: Options) -> tuple[object, ...]:
    """What an analysis depends on besides the body (the key of ``BuildCache.analyses``)."""
    # A slugify function is compared by its repr: configurations loaded again for each
    # rebuild create equal but distinct objects (functools.partial, say).
    return (options.registry, repr(options.slugify), options.separator)


def collect(
    files: Iterable[SourceFile], options: Options, cache: BuildCache | None = None
) -> Collected:
    """Read designs and glossary terms into a handbook.

    With a ``cache`` (``mkdocs serve``), front matter and design analyses are reused for
    files whose text did not change since the last build.
    """
    cache = cache or BuildCache()
    cache.fronts.begin()
    cache.analyses.begin(_analysis_settings(options))
    handbook = Handbook(
        registry=options.registry,
        statuses=list(options.statuses),
        decision_statuses=list(options.decision_statuses),
    )
    result = Collected(handbook)
    decision_sources: dict[str, DecisionSource] = {}
    files = shipped_copies(list(files))
    paths = {f.path for f in files}
    user_paths = {f.path for f in files if not f.builtin}
    written_as = {path: alias for alias, path in options.aliases.items()}
    design_findings: list[Finding] = []

    def resolver(page_path: str) -> Callable[[str], str | None]:
        def resolve(target: str) -> str | None:
            target = target.strip().split("#")[0]
            for candidate in (
                posixpath.normpath(target.lstrip("/")),
                posixpath.normpath(posixpath.join(posixpath.dirname(page_path), target)),
            ):
                if candidate in paths:
                    return candidate
                if candidate in options.aliases:
                    return options.aliases[candidate]
            return None

        return resolve

    # One pass, one page's text at a time: a design is read as soon as its front matter
    # is, and its text is dropped before the next page is read.
    for source in files:
        if source.builtin and source.path in user_paths:
            continue  # the project's own page of that name wins; see _collect_terms
        text = source.read()
        front = cache.fronts.get(text, read_front_matter, text)
        result.fronts[source.path] = front
        for line, message in front.problems:
            result.findings.append(Finding(source.path, line, message))
        body = _body(text, front.body_offset)
        del text
        handbook.page_titles[source.path] = page_title(source.path, front, body)
        # A page of a language folder (mkdocs-static-i18n: en/designs/x.md) is where its
        # untranslated path says (designs/x.md).
        written = written_as.get(source.path, source.path)
        if source.builtin or _under(written, options.glossary_dir):
            continue
        if is_decision(written, front.data, options.decisions_dir):
            read, findings = read_decision(
                source.path,
                front,
                scan(body, options.slugify, options.separator),
                options.decision_statuses,
                resolver(source.path),
                handbook.page_titles[source.path],
            )
            design_findings.extend(findings)
            fill_decision(read.decision, options.history.get(source.path), "date" in read.lines)
            decision_sources[source.path] = read
            handbook.decisions[source.path] = read.decision
            continue
        in_folder = _under(written, options.designs_dir) and not is_index(written)
        if not in_folder and "design" not in front.data:
            continue
        design, findings = read_design(
            source.path,
            front,
            options.statuses,
            resolver(source.path),
            handbook.page_titles[source.path],
        )
        design_findings.extend(findings)
        fill_design(design, options.history.get(source.path), written_design_keys(front.data))
        design.line_offset = front.body_offset
        analysis = cache.analyses.get(body, analyse_text, body, options)
        result.digests[source.path] = body_digest(body)
        for line, message in analysis.apply(design):
            design_findings.append(Finding(source.path, line + front.body_offset, message))
        handbook.designs[source.path] = design
    # Messages come in the order pages are read in three rounds: front matter, terms, designs.
    _collect_terms(files, result, options)
    result.findings.extend(design_findings)
    for source in files:
        title = result.fronts[source.path].data.get("title") if not source.builtin else None
        if (
            source.path not in handbook.designs
            and source.path not in handbook.decisions
            and isinstance(title, str)
            and has_html(title)
        ):
            result.findings.append(
                Finding(
                    source.path,
                    result.fronts[source.path].line("title"),
                    "title: contains HTML, which the theme prints unescaped; expected plain text",
                )
            )
        elif (
            not source.builtin
            and handbook.page_titles[source.path] == file_title(source.path)
            and has_html(handbook.page_titles[source.path])
        ):
            # MkDocs' themes print the title made from a file name as markup.
            result.findings.append(
                Finding(
                    source.path,
                    None,
                    "the file name contains HTML, which the theme prints unescaped as the "
                    "page's title; expected a file name without '<' or '&...;', "
                    "or a 'title:' or a '# heading' in the page",
                )
            )
    _link_designs(result)
    result.findings.extend(link_decisions(handbook, decision_sources))
    if options.stale:
        result.findings.extend(
            apply_rules(
                handbook.designs,
                options.stale,
                handbook.statuses,
                options.today or _dt.date.today(),
                lambda path, key: result.fronts[path].line("design", key),
            )
        )
    # What is left of the front matter is for line numbers: its values are in the model.
    result.fronts = {path: replace(front, data={}) for path, front in result.fronts.items()}
    return result


def unknown_term_ids(
    handbook: Handbook,
    fronts: Mapping[str, FrontMatter],
    ambiguous: Mapping[str, str],
    config_file: str,
    config_key: str,
) -> list[Finding]:
    """The checks of the whole site beyond collecting: ``ambiguous`` targets (the option
    ``config_key`` of ``config_file``) and ``see_also`` ids that name no term."""
    findings = []
    for word, term_id in ambiguous.items():
        if term_id not in handbook.terms:
            findings.append(
                Finding(
                    config_file,
                    None,
                    f"{config_key}.ambiguous.{word}: unknown term id '{term_id}'; "
                    "expected the file name of a glossary page such as consistency-cap",
                )
            )
    for term in handbook.terms.values():
        if term.builtin:
            continue
        front = fronts.get(term.path)
        for index, other in enumerate(term.see_also):
            if other not in handbook.terms:
                findings.append(
                    Finding(
                        term.path,
                        front.line("see_also", index) if front else None,
                        f"see_also: unknown term id '{other}'; expected the file name of a "
                        "glossary page",
                    )
                )
    return findings


def _link_designs(result: Collected) -> None:
    """Fill superseded-by and supersedes links both ways; report what disagrees or loops."""
    designs = result.handbook.designs
    sides: dict[str, Side] = {}
    for design in designs.values():
        front = result.fronts[design.path]
        raw = front.data.get("design")
        written = set(raw) if isinstance(raw, dict) else set()

        def where(name: str, front: FrontMatter = front) -> tuple[int | None, str]:
            return front.line("design", name), f"design.{name}"

        for name, attribute in (("supersedes", "supersedes"), ("superseded-by", "superseded_by")):
            kept = []
            for target in getattr(design, attribute):
                if target in designs:
                    kept.append(target)
                    continue
                result.findings.append(
                    Finding(
                        design.path,
                        where(name)[0],
                        f"design.{name}: '{target}' is a page but not a design; "
                        "expected the path of a design",
                    )
                )
                design.partial.pop(target, None)
            setattr(design, attribute, kept)
        sides[design.path] = Side(
            design.path,
            design.supersedes,
            design.superseded_by,
            design.partial,
            where,
            {
                name: list(getattr(design, name.replace("-", "_")))
                for name in written
                if name in ("supersedes", "superseded-by")
            },
        )
    result.findings.extend(link_supersession(sides, "design"))


SHIPPED_COPY_MARK = (
    "<!-- mkdocs-sysdesign sync: a copy of a shipped glossary page, rewritten by each sync; "
    "remove this line to make the page your own -->"
)
"""The last line of a shipped term page that ``mkdocs-sysdesign sync`` wrote into the
docs folder (for Zensical, which cannot add pages)."""


def shipped_copies(files: list[SourceFile]) -> list[SourceFile]:
    """``files`` with each written copy of a shipped page (its last line is
    ``SHIPPED_COPY_MARK``) read as the shipped page at its path.

    Such a page is not the project's own term replacing a shipped one: it stays shipped,
    says nothing about replacing one, and has the text of the installed version.
    """
    shipped = {f.path: f for f in files if f.builtin}
    if not shipped:
        return files
    copies = set()
    for source in files:
        if source.builtin or source.path not in shipped:
            continue
        if source.read().rstrip().endswith(SHIPPED_COPY_MARK):
            copies.add(source.path)
    if not copies:
        return files
    return [f for f in files if f.builtin or f.path not in copies]


def _term_keys(term: Term) -> list[str]:
    """The term's name and aliases as the linker compares them (case and spacing ignored)."""
    return [normalise_key(name) for name in (term.term, *term.aliases)]


def _collect_terms(files: list[SourceFile], result: Collected, options: Options) -> None:
    """Read term pages; the project's pages replace shipped ones with the same id, term or alias."""
    user: list[Term] = []
    shipped: list[Term] = []
    # A translated term page (glossary/tcp.de.md, de/glossary/tcp.md) keeps its id (tcp).
    untranslated = {path: alias for alias, path in options.aliases.items()}
    for source in files:
        written = untranslated.get(source.path, source.path)
        if not _under(written, options.glossary_dir) or is_index(written):
            continue
        if source.builtin:
            front = read_front_matter(source.read())
        else:
            front = result.fronts[source.path]
        term_id = posixpath.splitext(posixpath.basename(written))[0]
        term, findings = read_term(source.path, term_id, front, source.builtin)
        if not source.builtin:
            result.findings.extend(findings)
        (shipped if source.builtin else user).append(term)
    terms = result.handbook.terms
    owners: dict[str, Term] = {}
    for term in user:
        if term.id in terms:
            result.findings.append(
                Finding(
                    term.path,
                    1,
                    f"glossary term id '{term.id}' is also {terms[term.id].path}; "
                    "expected one page per file name",
                )
            )
            continue
        for key in _term_keys(term):
            other = owners.get(key)
            if other is not None and other.id != term.id:
                front = result.fronts[term.path]
                is_name = key == normalise_key(term.term)
                line = front.line("term") if is_name else front.line("aliases")
                result.findings.append(
                    Finding(
                        term.path,
                        line,
                        f"glossary: '{key}' is both {term.path} and {other.path}; expected "
                        "each term and alias on one page only",
                    )
                )
            else:
                owners[key] = term
        terms[term.id] = term
    for term in shipped:
        _add_shipped(term, terms, owners, result)


def _add_shipped(
    term: Term, terms: dict[str, Term], owners: dict[str, Term], result: Collected
) -> None:
    """Add a shipped term unless the project's own pages replace it.

    A project page replaces a shipped term when it has the same file name, or when its
    name or an alias is the shipped term's name: it is that concept. Under another file
    name, the shipped page's URL then redirects to it. A project page whose name or alias
    is only an alias of a shipped term ("Load balancer", an alias of Load Balancing) is
    another concept sharing a word: the word links to the project's page, and the shipped
    term keeps its page and its other names.
    """

    def info(path: str, message: str) -> None:
        result.findings.append(Finding(path, None, f"glossary: {message}", level="info"))

    shipped_as = f"the shipped term '{term.term}' ({term.path})"
    if term.id in terms:
        by = terms[term.id]
        result.dropped_builtins.append(term.path)
        info(by.path, f"{by.path} replaces {shipped_as}: same file name")
        return
    name = normalise_key(term.term)
    owner = owners.get(name)
    if owner is not None:
        by = owner
        result.dropped_builtins.append(term.path)
        result.redirects[term.path] = by.path
        what = "term" if normalise_key(by.term) == name else "alias"
        written = (
            by.term
            if what == "term"
            else next(alias for alias in by.aliases if normalise_key(alias) == name)
        )
        info(
            by.path,
            f"{by.path} replaces {shipped_as}: its {what} '{written}' is that term's name; "
            f"the shipped page's address leads to {by.path}",
        )
        return
    kept: list[str] = []
    for alias in term.aliases:
        key = normalise_key(alias)
        taker = owners.get(key) or owners.get(key.replace("-", " "))
        if taker is None:
            kept.append(alias)
            continue
        info(
            taker.path,
            f"'{alias}' links to {taker.path}, no longer to {shipped_as}, whose alias it "
            "was; the shipped term keeps its page",
        )
    # A copy: shipped terms may be cached between the builds of `mkdocs serve`.
    terms[term.id] = replace(term, aliases=kept) if kept != term.aliases else term
