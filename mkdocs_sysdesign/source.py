"""A line-level reading of a Markdown page: headings, fenced blocks, task items, lists.

Python-Markdown's element tree has no source positions, and the whole model must be
known before any page renders (tables on one page describe every design). So designs
are read once here, line by line: it is fast, linear, and every element carries the
line it starts on, which is what messages need.
"""

from __future__ import annotations

import difflib
import hashlib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from markdown.extensions.attr_list import AttrListTreeprocessor, get_attrs_and_remainder

_FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
_ATX = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*)|[ \t]*)$")
_SETEXT = re.compile(r"^ {0,3}(?P<rule>=+|-+)[ \t]*$")
_TASK = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\[(?P<mark>[ xX])\][ \t]+(?P<text>.*)$")
_ORDERED = re.compile(r"^ {0,3}\d{1,9}[.)][ \t]+\S")
_LIST_OR_QUOTE = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)]|>)(?:[ \t]|$)")
COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# No bracket inside the brackets, no "<" inside a tag: each scan stops at the next one,
# so a line of 20,000 "[" or "<" is read in linear time.
_INLINE_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_TAG = re.compile(r"<[^<>]+>")
_TABLE_RULE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
ROUTE_LINE = re.compile(
    r"""^[ \t]*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+|\|[ \t]*)?   # a list item or table cell
    [`*]{0,2}(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)[`*]{0,2}
    [ \t]*(?:\|[ \t]*)?[`*]{0,2}/[\w{}<>:.~%-]""",
    re.VERBOSE,
)
"""A line that starts with an HTTP method and a path: one route of a listing."""

Slugify = Callable[[str, str], str]


def line_origins(original: str, rewritten: str) -> list[int]:
    """For each line of ``rewritten`` (1-based, index 0 unused), the line of ``original``
    it came from: its own line when unchanged, else the first line of the original text it
    replaced, where the author wrote what produced it (a macro call, an include).
    """
    before = original.splitlines()
    after = rewritten.splitlines()
    origins = [0] * (len(after) + 1)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, _i2, j1, j2 in matcher.get_opcodes():
        for j in range(j1, j2):
            # Lines of `before` are 1-based in messages; an insertion at the very end
            # belongs to the last line.
            origins[j + 1] = (i1 + (j - j1) if tag == "equal" else min(i1, len(before) - 1)) + 1
    return origins


def body_digest(text: str) -> bytes:
    """A short digest of a design's Markdown, kept instead of the text between phases."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).digest()


@dataclass(slots=True)
class Heading:
    """A heading of the page."""

    level: int
    text: str
    """The heading's Markdown text, without the attribute list."""
    line: int
    """1-based line in the Markdown body."""
    attrs: dict[str, str] = field(default_factory=dict)
    anchor: str = ""

    @property
    def plain(self) -> str:
        """The heading as readers see it: inline Markdown and tags removed."""
        return plain_text(self.text)


@dataclass(slots=True)
class Fence:
    """A fenced code block."""

    lang: str
    content: str
    line: int
    """Line of the opening fence; the content starts on the next line."""
    end: int
    """Line of the closing fence (or the last line when the fence is never closed)."""
    options: str = ""


@dataclass(slots=True)
class TaskItem:
    """A task list item: ``- [x] text`` or ``- [ ] text``."""

    checked: bool
    text: str
    line: int


@dataclass(slots=True)
class SourcePage:
    """What a line-level reading of a Markdown body found."""

    lines: list[str]
    headings: list[Heading] = field(default_factory=list)
    fences: list[Fence] = field(default_factory=list)
    tasks: list[TaskItem] = field(default_factory=list)
    ordered_items: list[int] = field(default_factory=list)
    """Lines of ordered list items outside code."""
    code_lines: set[int] = field(default_factory=set)
    """Lines inside fenced blocks, fences included."""
    tables: list[tuple[int, list[str]]] = field(default_factory=list)
    """Markdown tables outside code: the header's line and its cells, lowercased."""
    route_lines: list[int] = field(default_factory=list)
    """Lines outside code that list a route: an HTTP method, then a path."""

    def has_content(self, start: int, end: int) -> bool:
        """Whether lines ``start`` to ``end`` (inclusive, 1-based) hold more than comments."""
        if end < start:
            return False
        text = "\n".join(self.lines[start - 1 : end])
        return bool(COMMENT.sub("", text).strip())

    def fences_between(self, start: int, end: int) -> list[Fence]:
        """Fenced blocks that open between two lines (inclusive)."""
        return [fence for fence in self.fences if start <= fence.line <= end]


def plain_text(markdown_text: str) -> str:
    """Approximate the text a reader sees for a line of inline Markdown."""
    text = _INLINE_LINK.sub(r"\1", markdown_text)
    text = _TAG.sub("", text)
    for marker in ("**", "__", "`"):
        text = text.replace(marker, "")
    text = re.sub(r"(?<!\w)[*_]|[*_](?!\w)", "", text)
    return html.unescape(text).strip()


def _without_closing_hashes(text: str) -> str:
    """An ATX heading's text without its closing ``#`` run, as Python-Markdown reads it
    (``## Title ##`` and ``## Title#`` are "Title"; ``## Title\\#`` keeps its ``#``)."""
    text = text.rstrip(" \t")
    bare = text.rstrip("#")
    if bare != text and not bare.endswith("\\"):
        text = bare.rstrip(" \t")
    return text


def _heading_attrs(text: str) -> tuple[str, dict[str, str]]:
    """Split a heading's attribute list off its text, exactly as ``attr_list`` does.

    The extension's own pattern and scanner are used, so a quoted ``}`` in a value
    (``{ data-step="x}y" }``) or a list that ``attr_list`` leaves as text is read the same
    way here as on the built page.
    """
    match = AttrListTreeprocessor.HEADER_RE.search(text)
    if match is None:
        return text, {}
    pairs, remainder = get_attrs_and_remainder(match.group(1))
    if remainder:
        return text, {}  # attr_list keeps such a list as part of the heading's text
    attrs: dict[str, str] = {}
    classes = []
    for key, value in pairs:
        if key == "#":
            attrs["id"] = value or ""
        elif key == ".":
            classes.append(value or "")
        else:
            attrs[key] = key if value is None else value
    if classes:
        attrs["class"] = " ".join(classes)
    return text[: match.start()].rstrip("#").rstrip(), attrs


def _default_slugify(value: str, separator: str) -> str:
    from markdown.extensions.toc import slugify

    return slugify(value, separator)


def scan(
    markdown_text: str,
    slugify: Slugify | None = None,
    separator: str = "-",
) -> SourcePage:
    """Read a Markdown body line by line.

    Headings get the anchor the ``toc`` extension will give them (``slugify`` and
    ``separator`` are that extension's settings), so links to sections made before
    the page renders point to the right place.
    """
    slugify = slugify or _default_slugify
    lines = markdown_text.split("\n")
    page = SourcePage(lines)
    used_ids: set[str] = set()
    numbers: dict[str, int] = {}
    fence: tuple[str, str, int, str, str] | None = None  # marker, indent, line, lang, options
    body: list[str] = []
    previous_text = False  # the previous line could be the text of a setext heading
    in_comment = False  # inside an HTML comment that spans lines: nothing there counts
    for number, line in enumerate(lines, start=1):
        if in_comment:
            if "-->" in line:
                in_comment = False
                line = line.split("-->", 1)[1]
                if not line.strip():
                    continue
            else:
                continue
        if fence is None and "<!--" in line:
            visible = COMMENT.sub("", line)
            if "<!--" in visible:
                in_comment = True
                line = visible.split("<!--", 1)[0]
                if not line.strip():
                    previous_text = False
                    continue
        if fence is not None:
            marker, indent, start, lang, options = fence
            page.code_lines.add(number)
            stripped = line.strip()
            if stripped and set(stripped) == {marker[0]} and len(stripped) >= len(marker):
                page.fences.append(Fence(lang, "\n".join(body), start, number, options))
                fence = None
                body = []
            else:
                body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            continue
        opening = _FENCE_OPEN.match(line)
        if opening and not (opening.group("fence")[0] == "`" and "`" in opening.group("info")):
            info = opening.group("info").strip()
            lang, _, options = info.partition(" ")
            lang = lang.lstrip(".{").rstrip("}")
            fence = (opening.group("fence"), opening.group("indent"), number, lang, options)
            page.code_lines.add(number)
            previous_text = False
            continue
        atx = _ATX.match(line)
        if atx:
            _add_heading(
                page,
                len(atx.group("hashes")),
                _without_closing_hashes(atx.group("text") or ""),
                number,
                slugify,
                separator,
                used_ids,
                numbers,
            )
            previous_text = False
            continue
        setext = _SETEXT.match(line)
        if setext and previous_text:
            level = 1 if setext.group("rule").startswith("=") else 2
            _add_heading(
                page,
                level,
                lines[number - 2].strip(),
                number - 1,
                slugify,
                separator,
                used_ids,
                numbers,
            )
            previous_text = False
            continue
        if (
            number > 1
            and "|" in lines[number - 2]
            and number - 1 not in page.code_lines
            and _TABLE_RULE.match(line)
        ):
            cells = lines[number - 2].strip().strip("|").split("|")
            page.tables.append((number - 1, [plain_text(c).casefold() for c in cells]))
        elif ROUTE_LINE.match(line):
            page.route_lines.append(number)
        task = _TASK.match(line)
        if task:
            page.tasks.append(
                TaskItem(task.group("mark") != " ", task.group("text").strip(), number)
            )
        if _ORDERED.match(line):
            page.ordered_items.append(number)
        previous_text = (
            bool(line.strip())
            and not line.startswith(("    ", "\t"))
            and not (
                _LIST_OR_QUOTE.match(line) or line.lstrip().startswith(("|", "<", "!!!", "???"))
            )
        )
    if fence is not None:
        marker, indent, start, lang, options = fence
        page.fences.append(Fence(lang, "\n".join(body), start, len(lines), options))
    return page


def _add_heading(
    page: SourcePage,
    level: int,
    text: str,
    line: int,
    slugify: Slugify,
    separator: str,
    used_ids: set[str],
    numbers: dict[str, int],
) -> None:
    text, attrs = _heading_attrs(text)
    heading = Heading(level, text.strip(), line, attrs)
    anchor = attrs.get("id") or slugify(heading.plain, separator)
    heading.anchor = _unique(anchor, used_ids, numbers)
    page.headings.append(heading)


_COUNTED = re.compile(r"^(.*)_([0-9]+)$")


def _unique(anchor: str, used: set[str], next_number: dict[str, int]) -> str:
    """Make an id unique the way Python-Markdown's ``toc`` does.

    A taken ``x`` becomes ``x_1``, a taken ``x_1`` becomes ``x_2`` and so on. ``toc`` counts
    up from 1 for every heading; ``next_number`` remembers, per stem, where the last count
    stopped (every number below it was taken then, and ids are never given back), so a page
    of many equal headings stays linear and gets the same ids.
    """
    candidate = anchor
    if candidate and candidate not in used:
        used.add(candidate)
        return candidate
    counted = _COUNTED.match(candidate)
    stem, number = (counted.group(1), int(counted.group(2))) if counted else (candidate, 0)
    known = next_number.get(stem, 1)
    start = max(number + 1, known)
    number = start
    while f"{stem}_{number}" in used:
        number += 1
    if start == known:  # every number from 1 up to this one is taken now
        next_number[stem] = number + 1
    candidate = f"{stem}_{number}"
    used.add(candidate)
    return candidate
