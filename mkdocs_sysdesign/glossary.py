"""Glossary linking: the term index, one matcher for all terms, and link insertion.

``TermIndex`` turns terms into match keys (names, aliases, plurals, the bare word
of "Consistency (ACID)"), with one Aho-Corasick automaton over all of them, so the
cost of linking a text grows with the text and its matches, never with the number
of terms. ``GlossaryTreeprocessor`` walks the element tree after inline processing
and links mentions in prose only; ``TermReferenceProcessor`` handles ``[[term]]``.
"""

from __future__ import annotations

import difflib
import heapq
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html import unescape

import ahocorasick
from markdown import Markdown
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER, AtomicString
from markupsafe import escape

from .cache import Memo
from .model import Term

_WS = re.compile(r"\s+")
# An all-caps word, also when a plural "s" follows it ("CAPs"): the plural of an acronym
# stays case-sensitive, so "caps" and "acids" are not mentions of CAP and ACID.
_ACRONYM_WORD = re.compile(r"\b[A-Z0-9][A-Z0-9&/+-]*[A-Z][A-Z0-9&/+-]*(?=s?\b)")
# Inline raw HTML (and entities) stand in the tree's text as placeholders of the HTML stash.
_PLACEHOLDER = re.compile(re.escape(HTML_PLACEHOLDER).replace("%s", r"(\d+)"))
_OPEN_TAG = re.compile(r"^<\s*([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>\s*$", re.DOTALL)
_CLOSE_TAG = re.compile(r"^<\s*/\s*([a-zA-Z][a-zA-Z0-9]*)\s*>\s*$")

SKIP_TAGS = frozenset(
    {
        "a",
        "abbr",
        "code",
        "pre",
        "kbd",
        "samp",
        "var",
        "script",
        "style",
        "textarea",
        "button",
        "select",
        "option",
        "svg",
        "math",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "title",
        "head",
        "template",
        "iframe",
        "object",
        # The title of a collapsible block (pymdownx.details): a link in it would steal
        # the click that opens the block.
        "summary",
    }
)
SKIP_CLASSES = (
    "arithmatex",
    "mermaid",
    "sysdesign-",
    "md-annotation",
    "headerlink",
    "katex",
    "admonition-title",  # a title is a heading, and headings are never linked
)


def normalise_key(text: str) -> str:
    """Case-folded text with single spaces: how keys are compared."""
    return " ".join(text.split()).lower()


def plurals(key: str) -> list[str]:
    """Regular English plurals of a key's last word ("cache" -> "caches", "proxy" -> "proxies")."""
    if not key or not key[-1].isalpha():
        return []
    last = key.rsplit(" ", 1)[-1]
    if last.isupper() and len(last) > 1:  # acronyms: CDNs, APIs
        return [key + "s"]
    lower = key.lower()
    if lower.endswith(("s", "x", "z", "ch", "sh")):
        return [key + "es"]
    if lower.endswith("y") and len(lower) > 1 and lower[-2] not in "aeiou":
        return [key[:-1] + "ies", key + "s"]
    return [key + "s"]


@dataclass(frozen=True)
class Key:
    """One way of writing a term: its text as written and which words are case-sensitive."""

    text: str
    term_id: str | None
    """None when the key is ambiguous (several terms share it)."""
    choices: tuple[str, ...] = ()
    """The term ids sharing an ambiguous key."""
    case_spans: tuple[tuple[int, int], ...] = ()
    """Character spans (in the normalised key) that must match case-sensitively."""


def _bare_word(name: str) -> str:
    """The name before a final "(qualifier)" ("Consistency" of "Consistency (ACID)"), or "".

    String operations rather than a pattern, whose lazy name before optional white space
    would take time in proportion to the square of a long run of spaces.
    """
    text = name.rstrip()
    opening = text.rfind("(")
    if not text.endswith(")") or opening < 0 or ")" in text[opening + 1 : -1]:
        return ""
    bare = text[:opening].rstrip()
    return "" if "\n" in bare else bare


def _case_spans(text: str) -> tuple[tuple[int, int], ...]:
    return tuple((m.start(), m.end()) for m in _ACRONYM_WORD.finditer(text))


@dataclass
class Match:
    """A mention found in a text."""

    start: int
    end: int
    key: Key


@dataclass
class TermIndex:
    """All terms of the site and the automaton that finds their mentions."""

    terms: dict[str, Term]
    ambiguous_choice: Mapping[str, str] = field(default_factory=dict)
    """Which term an ambiguous word means (config ``ambiguous``), by normalised word."""
    keys: dict[str, Key] = field(init=False, default_factory=dict)
    automaton: ahocorasick.Automaton | None = field(init=False, default=None)
    longest_key: int = field(init=False, default=0)
    """Length of the longest key, in characters: how far back a match can start."""
    lookup: dict[str, Key] = field(init=False, default_factory=dict)
    """Keys for explicit references: names, aliases and ids, without plurals."""
    memo: Memo[list[Match]] = field(default_factory=lambda: Memo(enabled=False), repr=False)
    """Mentions by text, kept between builds by ``mkdocs serve`` (``BuildCache.matches``).
    Begun with ``keys`` as its settings: any change to the terms' names empties it."""
    _suggestion_names: dict[str, str] | None = field(init=False, default=None, repr=False)
    _suggestions: dict[str, list[str]] = field(init=False, default_factory=dict, repr=False)
    """Suggestions by unknown name: each unknown name is compared with every term once."""

    def __post_init__(self) -> None:
        # normalised key -> term id -> written form, in three tiers. A key takes its owners
        # from the strongest tier that has it: a name or alias someone wrote beats the bare
        # word of a qualified name ("Consistency" of "Consistency (CAP)"), and both beat a
        # generated plural, so "HTTPS" is the term HTTPS and not also the plural of HTTP.
        written_names: dict[str, dict[str, str]] = {}
        bare_words: dict[str, dict[str, str]] = {}
        plural_forms: dict[str, dict[str, str]] = {}

        def add(form: str, term_id: str, tier: dict[str, dict[str, str]]) -> None:
            norm = normalise_key(form)
            if norm:
                tier.setdefault(norm, {}).setdefault(term_id, " ".join(form.split()))

        for term in self.terms.values():
            for name in [term.term, *term.aliases]:
                add(name, term.id, written_names)
            bare = _bare_word(term.term)
            if bare:
                add(bare, term.id, bare_words)
        for tier in (written_names, bare_words):
            for owners in tier.values():
                for term_id, written in owners.items():
                    for plural in plurals(written):
                        add(plural, term_id, plural_forms)
        named: dict[str, dict[str, str]] = dict(bare_words)
        named.update(written_names)
        forms: dict[str, dict[str, str]] = dict(plural_forms)
        forms.update(named)
        chosen = {normalise_key(k): v for k, v in self.ambiguous_choice.items()}
        for norm, owners in forms.items():
            self.keys[norm] = self._key(norm, owners, chosen)
        for norm in named:  # every name is also a key, with the same owners
            self.lookup[norm] = self.keys[norm]
        for term in self.terms.values():
            self.lookup.setdefault(term.id.lower(), Key(term.id, term.id))
        self.memo.begin(self.keys)
        if self.keys:
            automaton = ahocorasick.Automaton()
            for norm, key in self.keys.items():
                automaton.add_word(norm, (len(norm), key))
            self.longest_key = max(map(len, self.keys))
            automaton.make_automaton()
            self.automaton = automaton

    def _key(self, norm: str, owners: dict[str, str], chosen: Mapping[str, str]) -> Key:
        # A term's own name is case-sensitive where it is an acronym; an alias shared
        # by several terms is ambiguous unless the configuration picks one.
        ids = tuple(sorted(owners))
        written = owners[ids[0]]
        if len(ids) == 1:
            return Key(written, ids[0], case_spans=_case_spans(written))
        pick = chosen.get(norm)
        if pick in owners:
            return Key(owners[pick], pick, case_spans=_case_spans(owners[pick]))
        return Key(written, None, ids, _case_spans(written))

    def find(self, text: str) -> list[Match]:
        """Mentions in ``text``: whole words, leftmost-longest, acronyms case-sensitive."""
        if self.automaton is None or not text:
            return []
        return self.memo.get(text, self._find, text)

    def _find(self, text: str) -> list[Match]:
        # The automaton reports every key that ends at each place, overlapping ones
        # included: a run of one word repeated, with terms for one, two, three ... of
        # it, has as many matches at each place as there are such terms. So matches are
        # decided as they come, and only the undecided ones are kept: for each start
        # within reach of the longest key, its longest match that is whole words and of
        # the right case. A start is decided once no later match can begin there; then
        # it is taken when it lies after the last match taken (leftmost-longest).
        assert self.automaton is not None
        norm, positions = _normalise_text(text)
        reach = self.longest_key
        longest: dict[int, tuple[int, Key]] = {}  # start -> (end, key), undecided
        starts: list[int] = []  # the undecided starts, a heap
        chosen: list[Match] = []
        taken_end = -1  # where the last match taken ends (inclusive, in ``norm``)
        current_end = -1
        end_ok = False
        start_checked: dict[int, bool] = {}  # whether a match may start there
        for end, (length, key) in self.automaton.iter(norm):
            if end != current_end:
                current_end = end
                end_ok = _is_boundary(norm, end + 1, end)
                horizon = end - reach + 1  # no match from here on starts before it
                if len(start_checked) > 2 * reach + 64:
                    start_checked = {k: v for k, v in start_checked.items() if k >= horizon}
                while starts and starts[0] < horizon:
                    start = heapq.heappop(starts)
                    if start > taken_end:
                        taken_end, taken = longest.pop(start)
                        chosen.append(_match(start, taken_end, taken, positions))
                    else:
                        del longest[start]
            if not end_ok:
                continue
            start = end - length + 1
            start_ok = start_checked.get(start)
            if start_ok is None:
                start_ok = start_checked[start] = _is_boundary(norm, start - 1, start)
            if not start_ok:
                continue
            if key.case_spans:
                orig_start = positions[start] if positions else start
                orig_end = (positions[end] if positions else end) + 1
                if not _case_ok(text, orig_start, orig_end, key):
                    continue
            if start not in longest:
                heapq.heappush(starts, start)
            longest[start] = (end, key)  # matches from one start come shortest first
        while starts:
            start = heapq.heappop(starts)
            if start > taken_end:
                taken_end, taken = longest.pop(start)
                chosen.append(_match(start, taken_end, taken, positions))
        return chosen

    def resolve(self, name: str) -> tuple[Key | None, list[str]]:
        """Look up an explicit reference; returns the key (or None) and suggestions."""
        norm = normalise_key(name)
        key = self.lookup.get(norm)
        if key is None:
            # Plurals in explicit references, like "[[shards]]".
            key = self.keys.get(norm)
        if key is not None:
            return key, []
        if norm not in self._suggestions:
            names = self._names()
            close = difflib.get_close_matches(norm, list(names), n=1, cutoff=0.75)
            self._suggestions[norm] = [names[c] for c in close]
        return None, list(self._suggestions[norm])

    def _names(self) -> dict[str, str]:
        """Names and aliases as written, by normalised text (what suggestions choose from)."""
        if self._suggestion_names is None:
            names = {normalise_key(t.term): t.term for t in self.terms.values()}
            for term in self.terms.values():
                for alias in term.aliases:
                    names.setdefault(normalise_key(alias), alias)
            self._suggestion_names = names
        return self._suggestion_names


_WS_TABLE = {ord(c): " " for c in "\n\t\r\f\v\u00a0\u2028\u2029"}


def _normalise_text(text: str) -> tuple[str, list[int] | None]:
    """Lower-case text with white space as single spaces, and where each char came from.

    The position list is None when the normalised text lines up with the original,
    which is the common case and costs two C-level passes.
    """
    lowered = text.lower()
    if len(lowered) == len(text):
        norm = lowered.translate(_WS_TABLE)
        if "  " not in norm:
            return norm, None
    out: list[str] = []
    positions: list[int] = []
    previous_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if previous_space:
                continue
            out.append(" ")
            positions.append(index)
            previous_space = True
            continue
        previous_space = False
        low = char.lower()
        out.append(low if len(low) == 1 else char)
        positions.append(index)
    return "".join(out), positions


def _match(start: int, end: int, key: Key, positions: list[int] | None) -> Match:
    """The match of ``key`` at ``start`` to ``end`` (inclusive) of the normalised text,
    in the original text's positions (``end`` exclusive)."""
    if positions is None:
        return Match(start, end + 1, key)
    return Match(positions[start], positions[end] + 1, key)


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _is_boundary(norm: str, outside: int, inside: int) -> bool:
    """Whether the key edge at ``inside`` is a word edge (``outside`` is the next char out)."""
    if outside < 0 or outside >= len(norm):
        return True
    char = norm[outside]
    if _word_char(char):
        return False
    if char in "-\u2010\u2011":
        # Hyphenated compounds are one word: "TCP-based" is not a mention of TCP.
        beyond = outside - 1 if outside < inside else outside + 1
        return not (0 <= beyond < len(norm) and _word_char(norm[beyond]))
    return True


def _case_ok(text: str, start: int, end: int, key: Key) -> bool:
    found = " ".join(text[start:end].split())
    if len(found) != len(key.text):
        return False
    return all(found[a:b] == key.text[a:b] for a, b in key.case_spans)


@dataclass
class LinkState:
    """What the linker has done on the current page."""

    linked: set[str] = field(default_factory=set)
    """Term ids linked at least once (for ``autolink: first``)."""
    mentions: set[str] = field(default_factory=set)
    """Term ids mentioned on the page, linked or not."""


LinkFactory = Callable[[str], etree.Element]


def _skip(element: etree.Element) -> bool:
    if element.tag in SKIP_TAGS:
        return True
    classes = element.get("class", "")
    return bool(classes) and any(token in classes for token in SKIP_CLASSES)


class GlossaryLinker:
    """Inserts term links into an element tree (text and tails only, never attributes)."""

    def __init__(
        self,
        index: TermIndex,
        make_link: Callable[[Term, str], etree.Element],
        mode: str = "first",
        own_term: str | None = None,
        stash: list[str] | None = None,
    ) -> None:
        self.index = index
        self.make_link = make_link
        self.mode = mode
        self.own_term = own_term
        self.stash = stash if stash is not None else []
        self.state = LinkState()

    def run(self, root: etree.Element) -> None:
        """Link mentions under ``root`` in document order."""
        if self.mode == "off":
            return
        self._walk(root)

    def _walk(self, element: etree.Element) -> None:
        if _skip(element):
            if element.tag == "a" and element.get("data-term"):
                # An explicit [[reference]]: later mentions count as already linked.
                self.state.linked.add(element.get("data-term", ""))
            return
        children = list(element)  # the new links are not walked: their text is linked
        # The children with the new links among them, set once at the end: inserting
        # each link in place would cost time in proportion to the children every time,
        # quadratic in a long paragraph. None until a link is made.
        rebuilt: list[etree.Element] | None = None
        if element.text:
            new = self._link_text(element.text)
            if new is not None:
                element.text = new[0]
                rebuilt = list(new[1])
        for position, child in enumerate(children):
            self._walk(child)
            links: list[etree.Element] = []
            if child.tail:
                new = self._link_text(child.tail)
                if new is not None:
                    child.tail, links = new
            if rebuilt is not None:
                rebuilt.append(child)
                rebuilt.extend(links)
            elif links:
                rebuilt = [*children[: position + 1], *links]
        if rebuilt is not None:
            element[:] = rebuilt

    def _segments(self, text: str) -> Iterator[tuple[int, int, bool]]:
        """Spans of ``text`` outside and inside inline raw HTML that must not be linked."""
        depth = 0
        position = 0
        for match in _PLACEHOLDER.finditer(text):
            if match.start() > position:
                yield position, match.start(), depth == 0
            html = self._stashed(int(match.group(1)))
            opening = _OPEN_TAG.match(html)
            closing = _CLOSE_TAG.match(html)
            if opening and opening.group(1).lower() in SKIP_TAGS and not opening.group(2):
                depth += 1
            elif closing and closing.group(1).lower() in SKIP_TAGS and depth:
                depth -= 1
            yield match.start(), match.end(), False
            position = match.end()
        if position < len(text):
            yield position, len(text), depth == 0

    def _stashed(self, index: int) -> str:
        if 0 <= index < len(self.stash):
            return str(self.stash[index])
        return ""

    def _link_text(self, text: str) -> tuple[str, list[etree.Element]] | None:
        if "\x02" in text:
            pieces = list(self._segments(text))
        else:
            pieces = [(0, len(text), True)]
        links: list[etree.Element] = []
        head = ""
        current: etree.Element | None = None
        cursor = 0
        for start, end, linkable in pieces:
            if not linkable:
                continue
            for match in self.index.find(text[start:end]):
                term_id = match.key.term_id
                if term_id is None or term_id == self.own_term:
                    continue
                self.state.mentions.add(term_id)
                if self.mode == "first" and term_id in self.state.linked:
                    continue
                self.state.linked.add(term_id)
                m_start, m_end = start + match.start, start + match.end
                before = text[cursor:m_start]
                if current is None:
                    head = before
                else:
                    current.tail = before
                current = self.make_link(self.index.terms[term_id], text[m_start:m_end])
                links.append(current)
                cursor = m_end
        if current is None:
            return None
        current.tail = text[cursor:]
        return head, links


def term_link(term: Term, label: str, href: str, *, title: bool = True) -> etree.Element:
    """The ``<a>`` of a glossary link, per the HTML contract.

    Without ``title``, the summary is left for :func:`add_term_titles` to put into the
    written page.
    """
    link = etree.Element("a")
    link.set("href", href)
    link.set("class", "sysdesign-term")
    link.set("data-term", term.id)
    if title and term.summary:
        link.set("title", term.summary)
    link.text = AtomicString(label)
    return link


TERM_LINK_START = '<a class="sysdesign-term" data-term="'
"""How a glossary link starts in written HTML (Python-Markdown writes attributes sorted)."""
_UNTITLED_TERM_LINK = re.compile(re.escape(TERM_LINK_START) + r'([^"]*)"(?![^>]* title=")')


def add_term_titles(html: str, terms: Mapping[str, Term]) -> str:
    """Give each glossary link without a ``title`` its term's summary."""
    # The written page starts with the theme's navigation, which grows with the site:
    # only what follows the first link is searched.
    start = html.find(TERM_LINK_START)
    if start < 0:
        return html

    def titled(match: re.Match[str]) -> str:
        term = terms.get(unescape(match.group(1)))
        if term is None or not term.summary:
            return match.group(0)
        return f'{match.group(0)} title="{escape(term.summary)}"'

    return html[:start] + _UNTITLED_TERM_LINK.sub(titled, html[start:])


def all_keys(index: TermIndex) -> Iterable[str]:
    """Every key the matcher knows (for documentation and tests)."""
    return index.keys.keys()


class GlossaryTreeprocessor(Treeprocessor):
    """Runs the linker on each page's tree, after inline processing and ``abbr``."""

    def __init__(self, md: Markdown, linker_factory: Callable[[Markdown], GlossaryLinker | None]):
        super().__init__(md)
        self.linker_factory = linker_factory

    def run(self, root: etree.Element) -> None:
        linker = self.linker_factory(self.md)
        if linker is not None:
            linker.run(root)


REFERENCE_RE = r"\[\[(?P<name>[^\[\]\n|\\]+?)(?:\\?\|(?P<label>[^\[\]\n]*?))?\]\]"


class TermReferenceProcessor(InlineProcessor):
    """``[[term]]`` and ``[[term|label]]`` (``[[term\\|label]]`` inside tables)."""

    def __init__(
        self,
        pattern: str,
        md: Markdown,
        handle: Callable[[str, str | None, str], etree.Element | str],
    ) -> None:
        super().__init__(pattern, md)
        self.handle = handle

    def handleMatch(  # type: ignore[override]  # noqa: N802 - Python-Markdown's API name
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | str, int, int]:
        label = m.group("label")
        result = self.handle(m.group("name").strip(), label.strip() if label else None, m.group(0))
        return result, m.start(0), m.end(0)
