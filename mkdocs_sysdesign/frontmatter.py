"""Front matter: read it with line numbers, validate designs and terms into the model.

MkDocs hands plugins the Markdown without its front matter and drops front matter
that is not valid YAML into the page text without a word. This module reads the
file as MkDocs does, keeps the offset of the body, and reports every problem with
the line of the key, counted from the first line of the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from sys import intern
from typing import Any

import yaml

from .model import REVIEW_CRITERIA as REVIEW_CRITERIA  # re-exported for the command line
from .model import Design, Finding, Status, Term, kind_of
from .model import did_you_mean as _did_you_mean
from .supersession import read_entries
from .yamlread import LIMITS, YAMLLimitError, compose_yaml, repeated_keys

_YAML_HINTS = (
    ("expected <block end>", "check the indentation of this line and the one before"),
    (
        "mapping values are not allowed",
        "put a text holding ': ' in quotes, or check the indentation",
    ),
    ("could not find expected ':'", "a key needs ': ' after it; put a text holding ':' in quotes"),
    ("'\\t' that cannot start", "indent with spaces, not tabs"),
    ("expected ',' or ']'", "a '[' is not closed by ']'"),
    ("expected ',' or '}'", "a '{' is not closed by '}'"),
    ("end of stream", "a quote is not closed"),
)
"""Plain advice after PyYAML's own wording of a problem, by a piece of that wording."""


def yaml_problem(error: yaml.YAMLError, default: str = "unreadable YAML") -> str:
    """PyYAML's description of what is wrong, with plain advice where there is some:
    "expected <block end>, but found '<block mapping start>' (check the indentation of
    this line and the one before)"."""
    problem = str(getattr(error, "problem", None) or getattr(error, "context", None) or default)
    hint = next((hint for piece, hint in _YAML_HINTS if piece in problem), None)
    return f"{problem} ({hint})" if hint else problem


# The same pattern MkDocs uses (mkdocs.utils.meta), so both agree on where the body starts.
_YAML_RE = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.UNICODE | re.DOTALL)
_LOOSE_START = re.compile(r"^-{3}[ \t]*\n")
_HTML_RE = re.compile(r"<\s*[a-zA-Z!/?]|&[#a-zA-Z0-9]+;")

# The kinds of value a key takes; ``mkdocs-sysdesign schema`` maps each to JSON Schema.
TEXT = "text"
TEXTS = "texts"
"""Text, or a list of text (a single name stands for a list of one)."""
DATE = "date"
PATH = "path"
PATHS = "paths"
STATUS = "status"
SCORES = "scores"
MAPPING = "mapping"
CHOICE = "choice"
SUPERSESSION = "supersession"
"""Paths, or ``{path, partial}`` entries for a page replaced in part."""


@dataclass(frozen=True, slots=True)
class Field:
    """One front-matter key: the kind of value the reader accepts and what it is for.

    The reader below takes its keys from these tables and the JSON schema for editors
    (``mkdocs-sysdesign schema``) is generated from them, so the two cannot disagree.
    """

    name: str
    kind: str
    description: str
    choices: tuple[str | bool, ...] = ()
    """The accepted values of a ``choice``."""


PAGE_FIELDS = (
    Field("title", TEXT, "The page title (plain text, no HTML)."),
    Field("tags", TEXTS, "Tags, shared with Material's tags plugin."),
    Field(
        "autolink",
        CHOICE,
        "Glossary links on this page: first mention, all, or off.",
        ("first", "all", "off", False),
    ),
)
"""Keys of any page the plugin reads."""

DESIGN_FIELDS = (
    Field("status", STATUS, "Where the design stands"),
    Field("owners", TEXTS, "Authors responsible for the design."),
    Field("reviewers", TEXTS, "People who review the design."),
    Field("created", DATE, "When the design was started (YYYY-MM-DD)."),
    Field("updated", DATE, "When the design last changed (YYYY-MM-DD)."),
    Field("summary", TEXT, "One or two sentences for tables."),
    Field(
        "supersedes",
        SUPERSESSION,
        "Paths of the designs this one replaces (designs/x.md); "
        "{path, partial: true} when it replaces part of one.",
    ),
    Field(
        "superseded-by",
        SUPERSESSION,
        "Paths of the designs that replace this one (designs/x.md); "
        "{path, partial: true} when one replaces part of it.",
    ),
    Field("related", PATHS, "Paths of related designs (designs/x.md)."),
    Field("review", SCORES, "The review scorecard: each evaluation criterion from 1 to 5."),
    Field("extra", MAPPING, "A team's own fields (jira, team ...); never checked."),
)
"""Keys of a page's ``design:`` mapping."""

TERM_FIELDS = (
    Field("term", TEXT, "Glossary: the term as readers see it."),
    Field("aliases", TEXTS, "Glossary: plurals, spellings and abbreviations."),
    Field("abbr", TEXT, "Glossary: what an acronym stands for."),
    Field("category", TEXT, "Glossary: the group in the index, such as Storage or Networking."),
    Field("summary", TEXT, "Glossary: one sentence, shown as the link's tooltip."),
    Field("see_also", TEXTS, "Glossary: ids (file names) of related terms."),
)
"""Keys of a glossary page's front matter, besides the page keys."""

DESIGN_KEYS = tuple(entry.name for entry in DESIGN_FIELDS)
TERM_KEYS = (*(entry.name for entry in TERM_FIELDS), "autolink", "title")


@dataclass(slots=True)
class FrontMatter:
    """The front matter of one file, with what is needed to point at its lines."""

    data: dict[str, Any] = field(default_factory=dict)
    body_offset: int = 0
    """Lines of the file before the Markdown body MkDocs hands to plugins."""
    yaml_text: str = ""
    """The YAML between the rules. Lines are only needed for messages, so the YAML is
    composed again when one is asked for instead of keeping every page's node tree."""
    problems: list[tuple[int | None, str]] = field(default_factory=list)
    lines: dict[tuple[str, ...], int] | None = None
    """Where each key starts (``_line_map``), once a message asked for a line: a page
    with a thousand bad entries composes its YAML once, not once per message."""

    def line(self, *path: str | int) -> int | None:
        """File line (1-based) of a key or list entry, or of its nearest existing parent.

        None when not even the first key exists.
        """
        if not self.yaml_text:
            return None
        if self.lines is None:
            self.lines = _line_map(compose_yaml(self.yaml_text).root)
        lines = self.lines
        steps = tuple(str(step) for step in path)
        for end in range(len(steps), 0, -1):
            found = lines.get(steps[:end])
            if found is not None:
                return found + 2  # file line 1 is the opening '---'
        return None


def _line_map(root: yaml.Node | None) -> dict[tuple[str, ...], int]:
    """Where each key and list entry of a composed YAML document starts, 0-based, by path
    (list indexes written as text).

    YAML keeps the last of repeated keys, and so does this map. A node reached again
    through an alias is not walked twice, so recursive documents end.
    """
    lines: dict[tuple[str, ...], int] = {}
    seen: set[int] = set()
    todo: list[tuple[tuple[str, ...], yaml.Node]] = [((), root)] if root is not None else []
    while todo:
        path, node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            last = {str(key.value): (key, value) for key, value in node.value}
            for name, (key, value) in last.items():
                here = (*path, name)
                lines[here] = key.start_mark.line
                todo.append((here, value))
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                here = (*path, str(index))
                lines[here] = value.start_mark.line
                todo.append((here, value))
    return lines


_MMD_META = re.compile(r"^[ ]{0,3}(?P<key>[A-Za-z0-9_-]+):\s*(?P<value>.*)")
_MMD_MORE = re.compile(r"^([ ]{4}|\t)(\s*)(?P<value>.*)")


def _multimarkdown_offset(source: str) -> int:
    """Lines MkDocs strips as MultiMarkdown-style meta (``Key: value`` lines, then a blank)."""
    lines = source.split("\n")
    key = None
    for index, line in enumerate(lines):
        if not line.strip():
            return index + 1 if key is not None else 0
        if _MMD_META.match(line):
            key = line
        elif not (key is not None and _MMD_MORE.match(line)):
            return index if key is not None else 0
    return len(lines) if key is not None else 0


def read_front_matter(source: str) -> FrontMatter:
    """Split a file's text as MkDocs does and parse the front matter with positions."""
    match = _YAML_RE.match(source)
    if not match:
        offset = _multimarkdown_offset(source)
        if offset:
            return FrontMatter(body_offset=offset)
        if _LOOSE_START.match(source) and source.strip() != "---":
            lines = source.split("\n")
            if not any(line.rstrip() in ("---", "...") for line in lines[1:]):
                return FrontMatter(
                    problems=[
                        (
                            1,
                            "front matter is not closed; expected a line '---' after the "
                            "YAML (the page shows it as text)",
                        )
                    ]
                )
        return FrontMatter()
    text = match.group(1)
    rest = source[match.end() :]
    skipped = len(rest) - len(rest.lstrip("\n"))
    offset = match.group(0).count("\n") + skipped
    try:
        composed = compose_yaml(text)
    except YAMLLimitError as error:
        mark = error.problem_mark
        return FrontMatter(
            # MkDocs reads what libyaml reads, and keeps the rest in the page as text.
            body_offset=offset if error.well_formed else 0,
            problems=[
                (
                    mark.line + 2 if mark is not None else 1,
                    f"front matter: {error.problem}; {LIMITS} (the plugin reads nothing from "
                    "this front matter)",
                )
            ],
        )
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else 1
        problem = yaml_problem(error, str(error).split("\n")[0])
        return FrontMatter(
            problems=[
                (
                    line,
                    f"front matter is not valid YAML ({problem}); expected a YAML mapping "
                    "between '---' lines (MkDocs shows the page's front matter as text)",
                )
            ]
        )
    loader, node = composed.loader, composed.root
    if composed.libyaml_rejected:
        offset = 0  # MkDocs reads with libyaml, and keeps what it rejects in the page
    shown = " (MkDocs shows this front matter as text)" if composed.libyaml_rejected else ""
    problems: list[tuple[int | None, str]] = [
        (line + 2, f"front matter: {message}{shown}") for line, message in composed.replaced
    ]
    problems += [
        (
            line + 2,
            f"{'.'.join(path)}: repeated key; expected each key once (YAML keeps the last "
            "value without a word)",
        )
        for line, path in repeated_keys(node)
    ]
    try:
        data = loader.construct_document(node) if node is not None else None
    except Exception as error:  # noqa: BLE001 - MkDocs drops front matter on any error too
        line, problem = _failing_scalar(node, error)
        return FrontMatter(
            problems=[
                (
                    line,
                    f"front matter cannot be read ({problem}); expected valid values such as "
                    "dates written YYYY-MM-DD (MkDocs shows the page's front matter as text)",
                )
            ]
        )
    if data is None:
        # MkDocs keeps empty front matter in the page (two rules), so the body starts at 1.
        return FrontMatter()
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else type(data).__name__
        return FrontMatter(
            problems=[
                (
                    2,
                    f"front matter is {kind}; expected a mapping of keys such as title and "
                    "design (MkDocs shows it as text)",
                )
            ]
        )
    return FrontMatter(data=data, body_offset=offset, yaml_text=text, problems=problems)


def _failing_scalar(node: yaml.Node | None, error: Exception) -> tuple[int, str]:
    """Find the scalar whose value cannot be constructed (a date such as 2026-13-01)."""
    stack = [node] if node is not None else []
    constructor = yaml.SafeLoader("")
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.ScalarNode):
            try:
                constructor.construct_object(current, deep=True)
            except Exception:  # noqa: BLE001
                return current.start_mark.line + 2, f"{current.value!r}: {error}"
        elif isinstance(current, yaml.MappingNode):
            stack.extend(v for pair in reversed(current.value) for v in reversed(pair))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))
    return 1, str(error)


def _as_text_list(value: Any) -> list[str] | None:
    """A list of text from a string or a list of scalars; None when it is neither."""
    if isinstance(value, str):
        return [intern(value)]
    if isinstance(value, list) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        return [intern(str(v)) for v in value]
    return None


def as_date(value: Any) -> dt.date | None:
    """A YAML date or datetime, or a whole ISO date written as text; None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def has_html(text: str) -> bool:
    """Whether text contains something a browser would read as markup."""
    return bool(_HTML_RE.search(text))


Warn = Callable[[int | None, str], None]
"""Records a finding about the file being read, at a line of it (or None)."""


def finding_sink(path: str) -> tuple[list[Finding], Warn]:
    """An empty list of findings about ``path`` and the function that adds one to it."""
    findings: list[Finding] = []

    def warn(line: int | None, message: str) -> None:
        findings.append(Finding(path, line, message))

    return findings, warn


Resolver = Callable[[str], str | None]
"""Turns a path written in front matter into a docs-relative page path, or None."""


def read_design(
    path: str,
    front: FrontMatter,
    statuses: list[Status],
    resolve: Resolver,
    fallback_title: str,
) -> tuple[Design, list[Finding]]:
    """Validate a design's front matter into a :class:`Design`; findings name file lines."""
    findings, warn = finding_sink(path)
    data = front.data
    title = data.get("title")
    if title is None:
        title = fallback_title
    elif not isinstance(title, str):
        warn(front.line("title"), f"title: expected text, got {kind_of(title)}")
        title = str(title)
    elif has_html(title):
        warn(
            front.line("title"),
            "title: contains HTML, which the theme prints unescaped; expected plain text",
        )
    design = Design(path=path, title=title)
    tags = data.get("tags")
    if tags is not None:
        tag_list = _as_text_list(tags)
        if tag_list is None:
            warn(front.line("tags"), f"tags: expected a list of text, got {kind_of(tags)}")
        else:
            design.tags = tag_list
    raw = data.get("design")
    if raw is None:
        return design, findings
    if not isinstance(raw, dict):
        warn(
            front.line("design"),
            f"design: expected a mapping with status, owners, ...; got {kind_of(raw)}",
        )
        return design, findings
    for key in raw:
        if key not in DESIGN_KEYS:
            warn(
                front.line("design", key),
                f"design.{key}: unknown key{_did_you_mean(str(key), DESIGN_KEYS)}; expected "
                f"one of {', '.join(DESIGN_KEYS)} (put a team's own fields under design.extra)",
            )
    status_ids = [status.id for status in statuses]
    if "status" in raw:
        status = raw["status"]
        if not isinstance(status, str) or status.strip().casefold() not in status_ids:
            warn(
                front.line("design", "status"),
                f"design.status: {status!r} is not one of {', '.join(status_ids)}"
                + (_did_you_mean(str(status).casefold(), status_ids) if status else ""),
            )
            design.status = str(status).strip().casefold() if status is not None else "draft"
        else:
            design.status = intern(status.strip().casefold())
    elif status_ids:
        design.status = status_ids[0]
    for key in ("owners", "reviewers"):
        if key in raw:
            names = _as_text_list(raw[key])
            if names is None:
                warn(
                    front.line("design", key),
                    f"design.{key}: expected a list of names, got {kind_of(raw[key])}",
                )
            else:
                setattr(design, key, names)
    for key in ("created", "updated"):
        if key in raw:
            date = as_date(raw[key])
            if date is None:
                warn(
                    front.line("design", key),
                    f"design.{key}: {raw[key]!r} is not a date; expected YYYY-MM-DD",
                )
            else:
                setattr(design, key, date)
    if design.created and design.updated and design.updated < design.created:
        warn(
            front.line("design", "updated"),
            f"design.updated: {design.updated} is before design.created {design.created}; "
            "expected a date on or after it",
        )
    if "summary" in raw:
        if isinstance(raw["summary"], str):
            design.summary = raw["summary"]
        else:
            warn(
                front.line("design", "summary"),
                f"design.summary: expected text, got {kind_of(raw['summary'])}",
            )
    for key, attribute in (("supersedes", "supersedes"), ("superseded-by", "superseded_by")):
        if key in raw:
            _read_supersession(raw[key], key, attribute, path, front, design, resolve, warn)
    if "related" in raw:
        related = _as_text_list(raw["related"])
        if related is None:
            warn(
                front.line("design", "related"),
                f"design.related: expected a list of paths, got {kind_of(raw['related'])}",
            )
        else:
            listed = set(design.related)
            for index, target in enumerate(related):
                resolved = resolve(target)
                if resolved is None:
                    line = (
                        front.line("design", "related", index)
                        if isinstance(raw["related"], list)
                        else front.line("design", "related")
                    )
                    warn(
                        line,
                        f"design.related: '{target}' is not a page of this site; expected a "
                        "path relative to the docs folder (designs/x.md) or to this page",
                    )
                elif resolved != path and resolved not in listed:
                    listed.add(resolved)
                    design.related.append(resolved)
    if "review" in raw:
        _read_review(raw["review"], front, design, warn)
    if "extra" in raw:
        if isinstance(raw["extra"], dict):
            design.extra = raw["extra"]
        else:
            warn(
                front.line("design", "extra"),
                f"design.extra: expected a mapping of your own fields, got {kind_of(raw['extra'])}",
            )
    return design, findings


def _read_supersession(
    value: Any,
    key: str,
    attribute: str,
    path: str,
    front: FrontMatter,
    design: Design,
    resolve: Resolver,
    warn: Warn,
) -> None:
    """``design.supersedes`` or ``design.superseded-by``: paths, or ``{path, partial}``."""
    entries, problem = read_entries(value)
    if entries is None:
        warn(front.line("design", key), f"design.{key}: {problem}")
        return
    paths: list[str] = getattr(design, attribute)
    for index, entry in enumerate(entries):
        line = front.line("design", key, index) if isinstance(value, list) else None
        line = line or front.line("design", key)
        resolved = resolve(entry.target)
        if resolved is None:
            warn(
                line,
                f"design.{key}: '{entry.target}' is not a page of this site; expected a path "
                "relative to the docs folder (designs/x.md) or to this page",
            )
        elif resolved == path:
            warn(
                line,
                f"design.{key}: a design cannot supersede itself; expected the path of "
                + ("an older design" if key == "supersedes" else "a newer design"),
            )
        elif resolved not in paths:
            paths.append(resolved)
            if entry.partial is not None:
                design.partial[resolved] = entry.partial


def _read_review(review: Any, front: FrontMatter, design: Design, warn: Warn) -> None:
    if not isinstance(review, dict):
        warn(
            front.line("design", "review"),
            f"design.review: expected a mapping of criterion to score, got {kind_of(review)}",
        )
        return
    for criterion, score in review.items():
        if criterion not in REVIEW_CRITERIA:
            warn(
                front.line("design", "review", criterion),
                f"design.review.{criterion}: unknown criterion"
                f"{_did_you_mean(str(criterion), REVIEW_CRITERIA)}; expected one of "
                + ", ".join(REVIEW_CRITERIA),
            )
            continue
        if isinstance(score, bool) or not isinstance(score, int) or not 1 <= score <= 5:
            warn(
                front.line("design", "review", criterion),
                f"design.review.{criterion}: {score!r} is not a score; expected a whole number "
                "from 1 to 5",
            )
            continue
        design.review[criterion] = score


def read_term(
    path: str, term_id: str, front: FrontMatter, builtin: bool
) -> tuple[Term, list[Finding]]:
    """Validate a glossary page's front matter into a :class:`Term`."""
    findings, warn = finding_sink(path)
    data = front.data
    name = data.get("term")
    if not isinstance(name, str) or not name.strip():
        if name is None:
            warn(
                front.line("term") or 1,
                "glossary page has no term; expected 'term: Name' in its front matter",
            )
        else:
            warn(front.line("term"), f"term: expected text, got {kind_of(name)}")
        title = data.get("title")
        name = title if isinstance(title, str) and title.strip() else term_id.replace("-", " ")
    term = Term(id=term_id, term=name.strip(), path=path, builtin=builtin)
    aliases = data.get("aliases", [])
    alias_list = _as_text_list(aliases) if aliases is not None else []
    if alias_list is None:
        warn(front.line("aliases"), f"aliases: expected a list of text, got {kind_of(aliases)}")
    else:
        term.aliases = [a.strip() for a in alias_list if a.strip()]
    for key in ("abbr", "category", "summary"):
        value = data.get(key)
        if value is None:
            continue
        if not isinstance(value, str):
            warn(front.line(key), f"{key}: expected text, got {kind_of(value)}")
            continue
        setattr(term, key, " ".join(value.split()))
    if not term.summary:
        warn(
            front.line("summary") or front.line("term") or 1,
            f"glossary term '{term.term}' has no summary; expected a one-sentence 'summary:' "
            "(it is the link's tooltip)",
        )
    see_also = data.get("see_also", [])
    see_list = _as_text_list(see_also) if see_also is not None else []
    if see_list is None:
        warn(
            front.line("see_also"),
            f"see_also: expected a list of term ids, got {kind_of(see_also)}",
        )
    else:
        term.see_also = see_list
    for key in data:
        if key not in TERM_KEYS and key not in (
            "tags",
            "hide",
            "search",
            "status",
            "template",
            "description",
            "icon",
            "subtitle",
            "comments",
        ):
            warn(
                front.line(key),
                f"{key}: unknown key for a glossary page{_did_you_mean(str(key), TERM_KEYS)}; "
                f"expected {', '.join(TERM_KEYS)}",
            )
    return term, findings
