"""Pages far larger than anyone writes by hand still get the right answers.

Thousands of references, blocks and warnings on one page, and terms that overlap at
every word. What is checked here is correctness at that size (every warning names its
own line, the glossary picks the same mentions as a plain reading of its rules); how
the time grew with such pages is in the performance guide ("One huge page").
"""

from __future__ import annotations

import re
from typing import Any

import markdown
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from mkdocs_sysdesign.collect import _H1, Options, SourceFile, _heading_text, collect
from mkdocs_sysdesign.extension import (
    Conversion,
    PageInfo,
    SiteContext,
    SysdesignExtension,
    custom_fences,
)
from mkdocs_sysdesign.glossary import (
    Match,
    TermIndex,
    _bare_word,
    _case_ok,
    _is_boundary,
    _normalise_text,
)
from mkdocs_sysdesign.model import Term
from mkdocs_sysdesign.source import plain_text
from mkdocs_sysdesign.tables import _comparison


def convert(text: str, **page: Any) -> Conversion:
    """Convert ``text`` with the sysdesign extension; what the conversion found."""
    extension = SysdesignExtension(
        SiteContext(term_index=TermIndex({})), PageInfo(src_path="big.md", **page)
    )
    md = markdown.Markdown(
        extensions=[extension, "pymdownx.superfences"],
        extension_configs={"pymdownx.superfences": {"custom_fences": custom_fences()}},
    )
    md.convert(text)
    return extension.conversion


def term(term_id: str, name: str, *aliases: str) -> Term:
    return Term(term_id, name, f"glossary/{term_id}.md", list(aliases), summary=f"About {name}.")


# --- warnings name their own line -----------------------------------------------------------


def test_two_thousand_unknown_references_each_name_their_line() -> None:
    text = "# Page\n\n" + "".join(f"Mention [[missing {i}]] here.\n\n" for i in range(2000))
    findings = convert(text, line_offset=3).findings
    assert len(findings) == 2000
    # The reference i is on line 3 + 2i of the body, 3 lines of front matter above it.
    assert str(findings[0]).split(";")[0] == "big.md:6: unknown glossary term 'missing 0'"
    assert str(findings[-1]).split(";")[0] == "big.md:4004: unknown glossary term 'missing 1999'"
    assert [f.line for f in findings] == [6 + 2 * i for i in range(2000)]


def test_repeated_identical_references_each_name_their_own_line() -> None:
    # Identical references, two on some lines, with a fenced block (not references) between.
    lines = []
    for i in range(1000):
        lines.append("[[gone]] and [[gone]]" if i % 2 else "[[gone]]")
        lines += ["```", "[[gone]]", "```"]
    findings = convert("\n".join(lines)).findings
    expected = []
    for i in range(1000):
        expected += [4 * i + 1] * (2 if i % 2 else 1)
    assert [f.line for f in findings] == expected
    assert {f.message.split(";")[0] for f in findings} == {"unknown glossary term 'gone'"}


def test_a_thousand_bad_blocks_each_name_their_fence() -> None:
    blocks = []
    for i in range(1000):
        if i % 3 == 0:
            blocks.append(f"```dataflow\nno arrow {i}\n```")
        elif i % 3 == 1:
            blocks.append(f"```sysdesign\ntable: nope{i}\n```")
        else:  # the same bad block again and again: each still gets its own fence
            blocks.append("```dataflow\nno arrow\n```")
    text = "# Page\n\n" + "\n\n".join(blocks) + "\n"
    findings = convert(text).findings
    assert len(findings) == 1000
    # Block i opens on line 3 + 4i; the warning names its first line, 4 + 4i.
    assert [f.line for f in findings] == [4 + 4 * i for i in range(1000)]
    assert findings[0].message.startswith("dataflow: line has no arrow")
    assert findings[-1].message.startswith("dataflow: line has no arrow")
    assert findings[-3].message.startswith("unknown table 'nope997'")


def test_a_good_block_before_a_bad_one_with_the_same_language_keeps_its_fence() -> None:
    # The bad block is matched to its own fence by content, not to the first free one.
    good = "```dataflow\nClient -> Server: ask\n```"
    bad = "```dataflow\nno arrow\n```"
    text = "\n\n".join([good, good, bad, good, bad]) + "\n"
    # The bad blocks open on lines 9 and 17; their text is on the next lines.
    assert [f.line for f in convert(text).findings] == [10, 18]


# --- glossary matches -------------------------------------------------------------------------


def reference_find(index: TermIndex, text: str) -> list[Match]:
    """The glossary's rules read plainly: every whole-word, right-case match of every key,
    then the leftmost, longest ones that do not overlap."""
    norm, positions = _normalise_text(text)
    assert index.automaton is not None
    candidates = []
    for end, (length, key) in index.automaton.iter(norm):
        start = end - length + 1
        if not _is_boundary(norm, start - 1, start) or not _is_boundary(norm, end + 1, end):
            continue
        orig_start = positions[start] if positions else start
        orig_end = (positions[end] if positions else end) + 1
        if key.case_spans and not _case_ok(text, orig_start, orig_end, key):
            continue
        candidates.append(Match(orig_start, orig_end, key))
    candidates.sort(key=lambda m: (m.start, -(m.end - m.start)))
    chosen: list[Match] = []
    last_end = -1
    for match in candidates:
        if match.start >= last_end:
            chosen.append(match)
            last_end = match.end
    return chosen


def spans(matches: list[Match]) -> list[tuple[int, int, str | None]]:
    return [(m.start, m.end, m.key.term_id) for m in matches]


def test_terms_nested_two_hundred_deep_match_the_longest_at_every_turn() -> None:
    terms = {f"t{i}": term(f"t{i}", " ".join(["aa"] * i)) for i in range(1, 201)}
    index = TermIndex(terms)
    text = " ".join(["aa"] * 1030)
    found = index.find(text)
    # Five runs of the 200-word term, then the 30 words left as one 30-word term.
    assert [m.key.term_id for m in found] == ["t200"] * 5 + ["t30"]
    assert (found[1].start, found[1].end) == (600, 1199)
    assert found[-1].end == len(text)
    assert spans(found) == spans(reference_find(index, text))


def test_a_key_that_is_not_a_whole_word_does_not_hide_the_next_one() -> None:
    # "read replica" starts inside "unread"; "replica set" after it is still a mention.
    index = TermIndex({"rr": term("rr", "read replica"), "rs": term("rs", "replica set")})
    text = "An unread replica set, a read replica set."
    assert [(text[m.start : m.end], m.key.term_id) for m in index.find(text)] == [
        ("replica set", "rs"),
        ("read replica", "rr"),
    ]


WORDS = ["aa", "AA", "Aa", "b", "aa-b", "b-aa", "aas", "AAs", "c"]
SEPARATORS = [" ", "  ", "\n", "-", ", ", "\u00a0", "(", ")"]


@st.composite
def names(draw: st.DrawFn) -> str:
    count = draw(st.integers(1, 4))
    words = [draw(st.sampled_from(WORDS)) for _ in range(count)]
    return " ".join(words)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(names(), min_size=1, max_size=12, unique_by=str.lower),
    st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=60),
)
def test_mentions_are_the_leftmost_longest_whole_words_of_the_right_case(
    written: list[str], pieces: list[tuple[str, str]]
) -> None:
    terms = {f"t{i}": term(f"t{i}", name) for i, name in enumerate(written)}
    index = TermIndex(terms)
    text = "".join(word + separator for word, separator in pieces)
    assert spans(index.find(text)) == spans(reference_find(index, text))


def test_a_paragraph_of_nested_terms_links_each_run_once() -> None:
    terms = {f"t{i}": term(f"t{i}", " ".join(["aa"] * i)) for i in range(1, 51)}
    site = SiteContext(term_index=TermIndex(terms), autolink="all")
    md = markdown.Markdown(extensions=[SysdesignExtension(site)])
    soup = BeautifulSoup(md.convert(" ".join(["aa"] * 120)), "html.parser")
    assert [a["data-term"] for a in soup.select("a.sysdesign-term")] == ["t50", "t50", "t20"]
    assert soup.get_text() == " ".join(["aa"] * 120)


# --- front matter ---------------------------------------------------------------------------


def test_a_thousand_missing_related_designs_each_name_their_line() -> None:
    related = "".join(f"  - designs/gone-{i}.md\n  - designs/ok.md\n" for i in range(1000))
    text = f"---\ndesign:\n  related:\n{related}---\n# Big\n\n## Requirements\n"
    files = [SourceFile("designs/big.md", text), SourceFile("designs/ok.md", "# Ok\n")]
    collected = collect(files, Options())
    missing = [f for f in collected.findings if "is not a page of this site" in f.message]
    # Entry 2i is on file line 4 + 2i (line 1 is the opening rule).
    assert [(f.file, f.line) for f in missing] == [
        ("designs/big.md", 4 + 2 * i) for i in range(1000)
    ]
    assert missing[-1].message.startswith("design.related: 'designs/gone-999.md' is not a page")
    # The one existing design is related once, however often it is listed.
    assert collected.handbook.designs["designs/big.md"].related == ["designs/ok.md"]


# --- patterns rewritten as string operations give the same answers ---------------------------

OLD_H1 = re.compile(r"^ {0,3}# +(.+?)(?: +#+)? *$", re.MULTILINE)
OLD_ATTRS = re.compile(r"\s*\{[^}]*\}\s*$")
OLD_PAREN = re.compile(r"^(?P<bare>.*?)\s*\((?P<qualifier>[^()]*)\)\s*$")
OLD_COMPARISON = re.compile(r"^\s*(>=|<=|!=|==|=|>|<)?\s*(.*?)\s*$")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="a #{}\t", max_size=30))
def test_the_title_from_the_first_heading_is_read_as_before(line: str) -> None:
    heading = "# " + line
    old = OLD_H1.search(heading)
    new = _H1.search(heading)
    assert (old is None) == (new is None)
    if old and new:
        # What the title shows (``page_title``): the same text either way.
        assert plain_text(_heading_text(new.group(1))) == plain_text(
            OLD_ATTRS.sub("", old.group(1))
        )


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="a ()\n\t", max_size=20))
def test_the_bare_word_of_a_qualified_name_is_read_as_before(name: str) -> None:
    old = OLD_PAREN.match(name)
    assert _bare_word(name) == (old.group("bare") if old else "")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="1-. <>=!\t", max_size=12))
def test_where_comparisons_are_read_as_before(value: str) -> None:
    old = OLD_COMPARISON.match(value)
    assert old is not None  # without line breaks, every value matches
    assert _comparison(value) == (old.group(1) or "=", old.group(2))
