"""Decision records (ADRs): read them as teams write them, and link them to each other.

Three layouts are read without asking anyone to rewrite a record:

- MADR 4 front matter: ``status``, ``date``, ``decision-makers``, ``consulted``,
  ``informed`` at the top level of the YAML;
- the plugin's own ``decision:`` mapping, with the same keys and ``design``,
  ``supersedes``, ``superseded-by``, ``tags``, ``summary``;
- the body, as Nygard-style and older MADR records write it: lines such as
  ``Date: 2018-03-06`` or ``* Status: accepted`` and a two-column metadata table between
  the title and the first section, and a ``## Status`` section whose first line is the
  status, with ``Supersedes [...](...)`` and ``Superseded by [...](...)`` lines.

The ``decision:`` mapping wins over top-level keys, and both win over the body. Nothing
here knows MkDocs: :mod:`~mkdocs_sysdesign.collect` hands in the front matter and the
scanned body, and gets back the model and findings that name file lines.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from .frontmatter import FrontMatter, as_date, finding_sink, has_html
from .model import Decision, Finding, Handbook, Status, did_you_mean, kind_of
from .source import SourcePage, plain_text
from .supersession import Entry, Side, read_entries
from .supersession import link as link_supersession

DECISION_KEYS = (
    "status",
    "date",
    "decision-makers",
    "consulted",
    "informed",
    "design",
    "supersedes",
    "superseded-by",
    "tags",
    "summary",
)
"""Keys of the ``decision:`` front-matter mapping."""

MADR_KEYS = ("status", "date", "decision-makers", "deciders", "consulted", "informed")
"""Top-level front-matter keys read from MADR records (``deciders`` is MADR 2 and 3)."""

_BODY_KEYS = {
    "status": "status",
    "date": "date",
    "decision-makers": "decision-makers",
    "decision makers": "decision-makers",
    "deciders": "decision-makers",
    "author": "authors",
    "authors": "authors",
    "consulted": "consulted",
    "informed": "informed",
    "tags": "tags",
}
"""Names of metadata lines and table rows in a record's body, and what they fill."""

_BULLET = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s+")
_KEY_LINE = re.compile(
    r"^(?:\*\*|__)?(?P<key>[A-Za-z][A-Za-z -]{1,20}?)(?:\*\*|__)?\s*:(?:\*\*|__)?\s*(?P<value>.*?)"
    r"\s*(?:\*\*|__)?$"
)
_TABLE_ROW = re.compile(r"^\s*\|?\s*(?P<key>[^|]+?)\s*\|\s*(?P<value>[^|]*?)\s*\|?\s*$")
_LINK = re.compile(r"\[[^\]]*\]\(\s*<?(?P<target>[^)\s>]+)>?[^)]*\)")
_PARTLY = r"^\s*(?:(?P<partly>partially|partly|in\s+part)\s+)?"
_SUPERSEDED_BY = re.compile(_PARTLY + r"superseded\s+by\b", re.IGNORECASE)
_SUPERSEDES = re.compile(_PARTLY + r"supersedes\b", re.IGNORECASE)
_DATE_START = re.compile(r"^\d{4}-\d{2}-\d{2}")

Resolver = Callable[[str], str | None]
"""Turns a path written in a record into a docs-relative page path, or None."""


def is_decision(path: str, data: dict[str, Any], decisions_dir: str) -> bool:
    """Whether a page is a decision record: under ``decisions_dir`` (not its index) or
    with a ``decision:`` front-matter mapping."""
    folder = decisions_dir.strip("/")
    in_folder = bool(folder) and path.startswith(folder + "/")
    index = posixpath.basename(path) in ("index.md", "README.md")
    return (in_folder and not index) or "decision" in data


def status_slug(text: str) -> str:
    """A status as an id: lower case, words joined by ``-`` (``Partially Implemented`` ->
    ``partially-implemented``)."""
    return "-".join(re.findall(r"[a-z0-9]+", text.casefold()))


def match_status(text: str, statuses: Iterable[Status]) -> str | None:
    """The id of the status a written status starts with, or None.

    ``Superseded by [ADR-5](0005-x.md)`` is ``superseded``; ``accepted`` and
    ``Accepted.`` are ``accepted``. Ids and labels count; the longest match wins.
    """
    words = " ".join(re.findall(r"[a-z0-9]+", plain_text(text).casefold()))
    best: tuple[int, str] | None = None
    for status in statuses:
        for name in (status.id, status.label):
            name_words = " ".join(re.findall(r"[a-z0-9]+", name.casefold()))
            if name_words and (words == name_words or words.startswith(name_words + " ")):
                if best is None or len(name_words) > best[0]:
                    best = (len(name_words), status.id)
    return best[1] if best else None


@dataclass(slots=True)
class _Value:
    """A value found for a field, and the file line it was found on."""

    value: Any
    line: int | None
    key: str
    """How the key is named in messages (``decision.status``, ``status``, ``Status``)."""


@dataclass(slots=True)
class DecisionSource:
    """A decision as read, with the lines of its fields for later messages."""

    decision: Decision
    lines: dict[str, int | None] = field(default_factory=dict)
    """File line of each field that was written, by field name."""
    keys: dict[str, str] = field(default_factory=dict)
    """How each field was named where it was written, for messages."""
    written_supersedes: bool = False
    written_superseded_by: bool = False


def _body_fields(page: SourcePage, offset: int) -> dict[str, _Value]:
    """Metadata written in the body: lines and a table before the first section, and the
    ``Status`` section."""
    found: dict[str, _Value] = {}
    lines = page.lines
    first_section = next((h.line for h in page.headings if h.level >= 2), len(lines) + 1)
    first_title = next((h.line for h in page.headings if h.level == 1), 0)

    def keep(name: str, value: str, line: int, written: str) -> None:
        if name not in found and value.strip():
            found[name] = _Value(value.strip(), line + offset, written)

    for number in range(first_title + 1, first_section):
        if number in page.code_lines:
            continue
        text = lines[number - 1]
        stripped = _BULLET.sub("", text).strip()
        row = _TABLE_ROW.match(text) if "|" in text else None
        match = row or _KEY_LINE.match(stripped)
        if match is None:
            continue
        key = plain_text(match.group("key")).strip().casefold()
        if key in _BODY_KEYS:
            keep(_BODY_KEYS[key], match.group("value"), number, plain_text(match.group("key")))
    for index, heading in enumerate(page.headings):
        if heading.plain.strip().rstrip(":").casefold() != "status":
            continue
        end = page.headings[index + 1].line - 1 if index + 1 < len(page.headings) else len(lines)
        first = True
        for number in range(heading.line + 1, end + 1):
            text = lines[number - 1].strip()
            if not text or number in page.code_lines or text.startswith("<!--"):
                continue
            text = _BULLET.sub("", text)
            if first:
                keep("status", text, number, "Status")
                first = False
            # Each line of links counts: "Supersedes [A](a.md)", "Partly supersedes [B](b.md)".
            for name, pattern in (("superseded-by", _SUPERSEDED_BY), ("supersedes", _SUPERSEDES)):
                if pattern.match(text):
                    if name in found and found[name].key == "Status":
                        found[name].value += "\n" + text
                    else:
                        keep(name, text, number, "Status")
                    break
        break
    status = found.get("status")
    if (
        status is not None
        and "superseded-by" not in found
        and _SUPERSEDED_BY.search(re.sub(r"^[^a-zA-Z]*", "", plain_text(status.value)))
    ):
        found["superseded-by"] = _Value(status.value, status.line, status.key)
    return found


def _text_list(value: Any) -> list[str] | None:
    """Names from a list, or from text separated by commas; None when it is neither."""
    if isinstance(value, str):
        return [part.strip() for part in plain_text(value).split(",") if part.strip()]
    if isinstance(value, list) and all(
        isinstance(v, str | int | float) and not isinstance(v, bool) for v in value
    ):
        return [str(v).strip() for v in value if str(v).strip()]
    return None


def _as_date(value: Any) -> dt.date | None:
    """A record's date: as in front matter, or the ISO date a line of text starts with
    (MADR's "2024-03-01 (accepted)")."""
    if isinstance(value, str):
        match = _DATE_START.match(plain_text(value).strip())
        return as_date(match.group(0)) if match else None
    return as_date(value)


def _targets(value: Any) -> tuple[list[Entry] | None, str | None]:
    """What a supersession names: a path, a list of paths and ``{path, partial}``
    mappings, or lines of text with Markdown links (``Partly supersedes [B](b.md)``)."""
    if isinstance(value, str) and (
        _LINK.search(value) or _SUPERSEDED_BY.match(value) or _SUPERSEDES.match(value)
    ):
        entries = []
        for line in value.splitlines():
            written = _SUPERSEDED_BY.match(line) or _SUPERSEDES.match(line)
            partial = "" if written and written.group("partly") else None
            # "Superseded by ADR-12" names no page: nothing to link.
            entries += [Entry(m.group("target"), partial) for m in _LINK.finditer(line)]
        return entries, None
    return read_entries(value)


def read_decision(
    path: str,
    front: FrontMatter,
    page: SourcePage,
    statuses: list[Status],
    resolve: Resolver,
    title: str,
) -> tuple[DecisionSource, list[Finding]]:
    """Read a decision record into a :class:`Decision`; findings name file lines."""
    findings, warn = finding_sink(path)
    data = front.data
    decision = Decision(path=path, title=title)
    source = DecisionSource(decision)
    values: dict[str, _Value] = {}
    mapping = data.get("decision")
    if mapping is not None and not isinstance(mapping, dict):
        warn(
            front.line("decision"),
            f"decision: expected a mapping with status, date, decision-makers, ...; got "
            f"{kind_of(mapping)}",
        )
        mapping = None
    if isinstance(mapping, dict):
        for key, value in mapping.items():
            if key not in DECISION_KEYS:
                warn(
                    front.line("decision", key),
                    f"decision.{key}: unknown key{did_you_mean(str(key), DECISION_KEYS)}; "
                    f"expected one of {', '.join(DECISION_KEYS)}",
                )
                continue
            values[key] = _Value(value, front.line("decision", key), f"decision.{key}")
    for key in (*MADR_KEYS, "tags"):
        name = "decision-makers" if key == "deciders" else key
        if key in data and name not in values:
            values[name] = _Value(data[key], front.line(key), key)
    for name, value in _body_fields(page, front.body_offset).items():
        if name == "authors":
            name = "decision-makers"
        values.setdefault(name, value)
    for name, value in values.items():
        source.lines[name] = value.line
        source.keys[name] = value.key

    status = values.get("status")
    if status is not None and status.value is not None:
        if not isinstance(status.value, str):
            warn(status.line, f"{status.key}: expected text, got {kind_of(status.value)}")
        else:
            decision.status_text = plain_text(status.value).strip()
            found = match_status(status.value, statuses)
            if found is None:
                ids = [s.id for s in statuses]
                slug = status_slug(status.value)
                warn(
                    status.line,
                    f"{status.key}: '{decision.status_text}' is not a decision status"
                    f"{did_you_mean(slug, ids)}; expected one of {', '.join(ids)} "
                    "(decision_statuses in mkdocs.yml sets a team's own lifecycle)",
                )
                decision.status = slug
            else:
                decision.status = found
    date = values.get("date")
    if date is not None and date.value is not None:
        parsed = _as_date(date.value)
        if parsed is None:
            warn(date.line, f"{date.key}: {date.value!r} is not a date; expected YYYY-MM-DD")
        else:
            decision.date = parsed
    for name, attribute in (
        ("decision-makers", "decision_makers"),
        ("consulted", "consulted"),
        ("informed", "informed"),
        ("tags", "tags"),
    ):
        value = values.get(name)
        if value is None or value.value is None:
            continue
        names = _text_list(value.value)
        if names is None:
            warn(value.line, f"{value.key}: expected a list of names, got {kind_of(value.value)}")
        else:
            setattr(decision, attribute, names)
    summary = values.get("summary")
    if summary is not None:
        if isinstance(summary.value, str):
            decision.summary = " ".join(summary.value.split())
        else:
            warn(summary.line, f"{summary.key}: expected text, got {kind_of(summary.value)}")
    design = values.get("design")
    if design is not None:
        if not isinstance(design.value, str):
            warn(
                design.line,
                f"{design.key}: expected the path of a design, got {kind_of(design.value)}",
            )
        else:
            resolved = resolve(design.value)
            if resolved is None:
                warn(
                    design.line,
                    f"{design.key}: '{design.value}' is not a page of this site; expected a "
                    "path relative to the docs folder (designs/x.md) or to this page",
                )
            else:
                decision.design = resolved
    for name, attribute in (("supersedes", "supersedes"), ("superseded-by", "superseded_by")):
        value = values.get(name)
        if value is None or value.value is None:
            continue
        targets, problem = _targets(value.value)
        if targets is None:
            warn(value.line, f"{value.key}: {problem}")
            continue
        setattr(source, f"written_{attribute}", True)
        paths: list[str] = getattr(decision, attribute)
        for entry in targets:
            target = entry.target
            resolved = resolve(target)
            if resolved is None:
                warn(
                    value.line,
                    f"{value.key}: '{target}' is not a page of this site; expected the path "
                    "of a decision, relative to the docs folder or to this page",
                )
            elif resolved == path:
                warn(
                    value.line,
                    f"{value.key}: a decision cannot name itself; expected another decision",
                )
            elif resolved not in paths:
                paths.append(resolved)
                if entry.partial is not None:
                    decision.partial[resolved] = entry.partial
    if has_html(decision.title) and isinstance(data.get("title"), str):
        warn(
            front.line("title"),
            "title: contains HTML, which the theme prints unescaped; expected plain text",
        )
    return source, findings


def link_decisions(handbook: Handbook, sources: dict[str, DecisionSource]) -> list[Finding]:
    """Link decisions to their designs and to each other, both ways; report what disagrees.

    ``supersedes`` on one side adds ``superseded-by`` on the other and the reverse. When
    both sides write their lists and one leaves the other out, or a chain of
    ``supersedes`` comes back to where it started, a finding says so.
    """
    findings: list[Finding] = []
    decisions = handbook.decisions

    def where(source: DecisionSource, name: str) -> tuple[int | None, str]:
        return source.lines.get(name), source.keys.get(name, name)

    for path, source in sources.items():
        decision = source.decision
        if decision.design is not None:
            design = handbook.designs.get(decision.design)
            if design is None:
                line, key = where(source, "design")
                findings.append(
                    Finding(
                        path,
                        line,
                        f"{key}: '{decision.design}' is a page but not a design; expected "
                        "the path of a design",
                    )
                )
                decision.design = None
            else:
                design.decisions.append(path)
    for design in handbook.designs.values():
        design.decisions.sort()

    sides: dict[str, Side] = {}
    for path, source in sources.items():
        decision = source.decision
        for name, attribute in (("supersedes", "supersedes"), ("superseded-by", "superseded_by")):
            kept = []
            for target in getattr(decision, attribute):
                if target in decisions:
                    kept.append(target)
                    continue
                line, key = where(source, name)
                findings.append(
                    Finding(
                        path,
                        line,
                        f"{key}: '{target}' is a page but not a decision; expected the path "
                        "of a decision record",
                    )
                )
                decision.partial.pop(target, None)
            setattr(decision, attribute, kept)
        written = {}
        if source.written_supersedes:
            written["supersedes"] = list(decision.supersedes)
        if source.written_superseded_by:
            written["superseded-by"] = list(decision.superseded_by)
        sides[path] = Side(
            path,
            decision.supersedes,
            decision.superseded_by,
            decision.partial,
            lambda name, source=source: where(source, name),  # type: ignore[misc]
            written,
        )
    findings.extend(link_supersession(sides, "decision"))
    return findings
