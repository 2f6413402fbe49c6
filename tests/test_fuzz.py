"""Fuzzing the parsers and the linker: random input never raises, loses text or misplaces lines.

Every parser the plugin runs on authors' text is called directly (no site builds) on
input hypothesis generates, both free text and YAML shaped like the real thing. The
glossary linker is checked against its one promise: a page converted with the
extension shows exactly the text it shows without it.

The profile is bounded and derandomised, so CI runs the same examples every time.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser
from typing import Any

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.utils.meta import get_data

from mkdocs_sysdesign import blocks, tables
from mkdocs_sysdesign.collect import block_items
from mkdocs_sysdesign.config import DEFAULT_STATUSES
from mkdocs_sysdesign.extension import SiteContext, SysdesignExtension, custom_fences
from mkdocs_sysdesign.frontmatter import (
    DESIGN_KEYS,
    REVIEW_CRITERIA,
    read_design,
    read_front_matter,
)
from mkdocs_sysdesign.glossary import TermIndex
from mkdocs_sysdesign.model import Design, Handbook, Problem, StepState, Term
from mkdocs_sysdesign.source import scan
from mkdocs_sysdesign.steps import StepRegistry, detect_steps, normalise

FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
REGISTRY = StepRegistry.default()

# -- strategies ----------------------------------------------------------------------------

WORDS = ["alice", "draft", "approved", "x", "Bucket", "GET", "/v1/urls", "int", "REST", "é", "中"]
YAML_CHARS = st.sampled_from(list(" \n\t:-[]{}#,'\"|>&*!%@`?") + WORDS)
yaml_ish_text = st.lists(YAML_CHARS, max_size=40).map("".join)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 9),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.sampled_from(WORDS),
    st.text(max_size=12),
    st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(WORDS), inner),
    max_leaves=8,
)


def _keyed(keys: tuple[str, ...], extra: tuple[str, ...] = ()) -> st.SearchStrategy[dict]:
    return st.dictionaries(st.sampled_from(keys + extra), values, max_size=len(keys))


review = st.dictionaries(
    st.sampled_from(REVIEW_CRITERIA + ("clarity",)), st.integers(-1, 7) | scalars, max_size=4
)
design_mapping = _keyed(DESIGN_KEYS, ("reviwers", "jira")).flatmap(
    lambda d: st.just(d) | review.map(lambda r: {**d, "review": r})
)
front_matter_data = st.fixed_dictionaries(
    {},
    optional={
        "title": values,
        "tags": values,
        "design": design_mapping | values,
    },
)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


page_bodies = st.sampled_from(
    ["", "# T\n", "\n\n# Title\n\n## Requirements\n\ntext\n", "---\n", "...\ntext\n"]
)
whole_files = st.one_of(
    st.builds(lambda d, b: f"---\n{_dump(d)}---\n{b}", front_matter_data, page_bodies),
    st.builds(lambda t, b: f"---\n{t}\n---\n{b}", yaml_ish_text, page_bodies),
    st.builds(lambda t: f"---\n{t}", yaml_ish_text),
)

# -- front matter --------------------------------------------------------------------------


def _resolve(target: str) -> str | None:
    return target if target in {"designs/a.md", "designs/b.md", "index.md"} else None


def _assert_findings_point_into(findings: list[Any], path: str, last_line: int) -> None:
    for finding in findings:
        assert finding.file == path
        assert finding.line is None or 1 <= finding.line <= last_line, finding
        assert finding.message and "\n" not in finding.message, finding


_YAML_BLOCK = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def _empty_front_matter(source: str) -> bool:
    """Front matter between '---' lines that is valid YAML but holds nothing (only comments)."""
    match = _YAML_BLOCK.match(source)
    if match is None:
        return False
    try:
        return yaml.safe_load(match.group(1)) is None
    except Exception:  # noqa: BLE001 - any YAML error means "not empty"
        return False


@FUZZ
@given(whole_files)
def test_front_matter_splits_the_file_as_mkdocs_does(source: str) -> None:
    if _empty_front_matter(source):
        return  # a known difference, see test_empty_front_matter_stays_in_the_body
    front = read_front_matter(source)
    body, meta = get_data(source)
    # The plugin's line numbers and MkDocs' page text agree on where the body starts.
    assert "\n".join(source.split("\n")[front.body_offset :]) == body
    assert front.data == meta
    lines = source.count("\n") + 1
    for line, message in front.problems:
        assert line is None or 1 <= line <= lines
        assert "expected" in message, message


@pytest.mark.parametrize("source", ["---\n\n---\n# T\n", "---\n# nothing yet\n---\n# T\n"])
def test_empty_front_matter_stays_in_the_body(source: str) -> None:
    body, meta = get_data(source)
    front = read_front_matter(source)
    assert meta == {} and body == source
    assert front.body_offset == 0


@FUZZ
@given(whole_files)
def test_design_front_matter_never_raises_and_points_at_its_lines(source: str) -> None:
    front = read_front_matter(source)
    design, findings = read_design("designs/d.md", front, DEFAULT_STATUSES, _resolve, "Fallback")
    _assert_findings_point_into(findings, "designs/d.md", max(front.body_offset, 1))
    assert isinstance(design, Design)
    assert isinstance(design.title, str) and isinstance(design.status, str)
    assert all(isinstance(name, str) for name in design.owners + design.reviewers + design.tags)
    assert all(d is None or isinstance(d, dt.date) for d in (design.created, design.updated))
    assert all(isinstance(s, int) and 1 <= s <= 5 for s in design.review.values())
    assert set(design.review) <= set(REVIEW_CRITERIA)
    assert set(design.supersedes) <= {"designs/a.md", "designs/b.md", "index.md"}
    assert isinstance(design.extra, dict)


# -- blocks --------------------------------------------------------------------------------

entity_like = st.one_of(
    _keyed(("name", "notes", "description", "properties"), ("colour",)),
    st.lists(_keyed(("name", "properties", "notes")), max_size=3),
    st.builds(
        lambda name, props: {"name": name, "properties": props},
        scalars,
        st.dictionaries(st.sampled_from(WORDS), values, max_size=3)
        | st.lists(_keyed(("name", "type", "notes", "key", "required")), max_size=3),
    ),
    values,
)
route = _keyed(("method", "path", "parameters", "returns", "auth", "notes"), ("verb",))
api_like = st.one_of(
    st.builds(lambda p, r: {"protocol": p, "routes": r}, scalars, st.lists(route, max_size=3)),
    _keyed(("protocol", "routes", "notes", "description")),
    values,
)
yaml_block = st.one_of(yaml_ish_text, entity_like.map(_dump), api_like.map(_dump))


def _assert_problems(problems: list[Problem], source: str) -> None:
    lines = source.count("\n") + 1
    for problem in problems:
        assert 1 <= problem.line <= lines, (problem, source)
        assert "expected" in problem.message, problem.message


def _text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


@FUZZ
@given(st.one_of(yaml_block, entity_like.map(_dump)))
def test_entity_blocks_parse_or_say_why(source: str) -> None:
    entities, problems = blocks.parse_entity(source)
    _assert_problems(problems, source)
    if entities is None:
        assert problems
        assert _text(blocks.render_as_written(source, "entity")) == " ".join(source.split())
        return
    shown = _text(blocks.render_entities(entities))
    for entity in entities:
        assert " ".join(entity.name.split()) in shown
        for prop in entity.properties:
            assert " ".join(prop.name.split()) in shown


@FUZZ
@given(st.one_of(yaml_block, api_like.map(_dump)))
def test_api_blocks_parse_or_say_why(source: str) -> None:
    spec, problems = blocks.parse_api(source)
    _assert_problems(problems, source)
    if spec is None:
        assert problems
        return
    shown = _text(blocks.render_api(spec))
    for route_ in spec.routes:
        assert " ".join(route_.path.split()) in shown


ARROWS = ["->", "-->", "<-", "<--", "--->", "<->", "=>", ":", " ", "#", "\n"]
dataflow_text = st.lists(
    st.sampled_from(ARROWS + ["Client", "API Gateway", "DB", "POST /urls", "é"]), max_size=30
).map("".join)


@FUZZ
@given(st.one_of(dataflow_text, yaml_ish_text))
def test_dataflow_blocks_parse_or_say_why(source: str) -> None:
    steps, problems = blocks.parse_dataflow(source)
    _assert_problems(problems, source)
    if steps is None:
        assert problems
        return
    assert steps and not problems
    shown = _text(blocks.render_dataflow(steps))
    for step in steps:
        assert step.arrow in ("->", "-->")
        assert step.source and step.target
        assert step.source in shown and step.target in shown
        if step.label:
            assert step.label in shown


# -- sysdesign tables ----------------------------------------------------------------------

TABLE_NAMES = [*tables.TABLES, "desings"]
COLUMN_NAMES = ["title", "status", "owners", "progress", "updated", "term", "colour", "-updated"]
query = st.fixed_dictionaries(
    {"table": st.sampled_from(TABLE_NAMES) | scalars},
    optional={
        "where": st.dictionaries(st.sampled_from(COLUMN_NAMES), values, max_size=2) | values,
        "columns": st.lists(st.sampled_from(COLUMN_NAMES), max_size=3) | values,
        "sort": st.sampled_from(COLUMN_NAMES) | values,
        "limit": values,
        "title": values,
        "filter": values,
    },
)


def _link(path: str, anchor: str | None) -> str:
    return f"{path}#{anchor}" if anchor else path


@FUZZ
@given(st.one_of(query.map(_dump), yaml_ish_text))
def test_sysdesign_blocks_render_or_say_why(source: str) -> None:
    handbook = Handbook(registry=StepRegistry.default())
    html, problems = tables.render_sysdesign_block(source, handbook, _link)
    _assert_problems(problems, source)
    assert (html is None) == bool(problems)
    if html is not None:
        soup = BeautifulSoup(html, "html.parser")
        assert soup.select_one(".sysdesign-table, .sysdesign-graph, [data-table]") is not None


# -- steps ---------------------------------------------------------------------------------

decorations = st.tuples(
    st.sampled_from(["", "1. ", "2) ", "Step 3: ", "step 4 - ", "Part 1: ", "iv. ", "3.1 "]),
    st.sampled_from(["", " ", "  ", "**", "`"]),
    st.sampled_from(["", ".", ":", "!", " ?", "**"]),
    st.sampled_from([str.lower, str.upper, str.title, str]),
)


@FUZZ
@given(st.sampled_from(list(REGISTRY)), st.data(), decorations)
def test_step_headings_match_whatever_their_decoration(step: Any, data: Any, deco: Any) -> None:
    alias = data.draw(st.sampled_from([step.title, *step.aliases]))
    numbering, emphasis, punct, case = deco
    heading = f"{numbering}{emphasis}{case(alias)}{emphasis}{punct}"
    assert REGISTRY.match_heading(heading) == step, heading


@FUZZ
@given(st.text(max_size=40))
def test_normalise_gives_a_trimmed_casefolded_key(text: str) -> None:
    key = normalise(text)
    assert key == key.strip() and "  " not in key
    assert key == key.casefold()
    match = REGISTRY.match_heading(text)
    assert match is None or match == REGISTRY.match_heading(key)


@FUZZ
@given(st.text(max_size=40))
def test_normalise_is_idempotent(text: str) -> None:
    key = normalise(text)
    assert normalise(key) == key, (text, key)


@pytest.mark.parametrize(
    "heading", ["**1.** Requirements", "`1.` Requirements", "_1._ Requirements"]
)
def test_emphasised_numbering_does_not_hide_the_step(heading: str) -> None:
    assert REGISTRY.match_heading(heading) == REGISTRY.get("requirements")


HEADING_TEXTS = [
    "Requirements",
    "Core Entities",
    "API",
    "Data Flow",
    "High-Level Design",
    "Deep Dives",
    "Functional",
    "Non-functional requirements",
    "Scale the design",
    'Storage { data-step="core-entities" }',
    'Other { data-step="nope" }',
    "Out of scope",
    "",
]
md_lines = st.one_of(
    st.builds(lambda n, t: "#" * n + " " + t, st.integers(1, 4), st.sampled_from(HEADING_TEXTS)),
    st.builds(
        lambda c, t: f"- [{c}] {t}",
        st.sampled_from([" ", "x", "X"]),
        st.sampled_from(HEADING_TEXTS),
    ),
    st.sampled_from(
        [
            "",
            "text",
            "1. step",
            "<!-- comment -->",
            "```",
            "```entity",
            "name: Bucket",
            "properties: {tokens: int}",
            "```dataflow",
            "A -> B: x",
            "~~~",
            "    ## indented",
            "===",
            "---",
        ]
    ),
)


@FUZZ
@given(st.lists(md_lines, max_size=30).map("\n".join))
def test_step_detection_is_consistent_on_any_page(text: str) -> None:
    page = scan(text)
    results, problems = detect_steps(page, REGISTRY, block_items)
    lines = len(page.lines)
    assert set(results) == set(REGISTRY.ids)
    for problem in problems:
        assert 1 <= problem.line <= lines and "expected" in problem.message
    for fence in page.fences:
        assert 1 <= fence.line <= fence.end <= lines
    headings = {h.line: h for h in page.headings}
    for heading in page.headings:
        assert heading.line not in page.code_lines
    for step_id, result in results.items():
        step = REGISTRY.get(step_id)
        assert step is not None and set(result.items) == {item.id for item in step.items}
        for section in result.sections:
            assert section.line in headings
        for evidence in result.evidence:
            assert 1 <= evidence.line <= lines
            assert evidence.section is None or evidence.section.line in headings
        assert [e.line for e in result.evidence] == sorted(e.line for e in result.evidence)
        if not result.evidence:
            assert result.state is StepState.MISSING
        elif all(result.items.values()):
            assert result.state is StepState.COMPLETE
        else:
            assert result.state is StepState.PARTIAL


# -- the glossary linker -------------------------------------------------------------------


def _term(term_id: str, name: str, *aliases: str) -> Term:
    return Term(
        id=term_id,
        term=name,
        path=f"glossary/{term_id}.md",
        aliases=list(aliases),
        summary=f'"{name}" <summary> & more',
    )


TERMS = {
    t.id: t
    for t in [
        _term("tcp", "TCP", "Transmission Control Protocol"),
        _term("acid", "ACID"),
        _term("cap-theorem", "CAP theorem", "CAP"),
        _term("eventual-consistency", "Eventual consistency"),
        _term("consistency-acid", "Consistency (ACID)", "ACID consistency"),
        _term("consistency-cap", "Consistency (CAP)", "CAP consistency", "strong consistency"),
        _term("caching", "Caching", "cache"),
        _term("load-balancing", "Load balancing", "load balancer"),
        _term("proxy", "Proxy"),
    ]
}
INDEX = TermIndex(TERMS)
LINK_WORDS = [
    "TCP",
    "tcp",
    "Transmission",
    "Control",
    "Protocol",
    "ACID",
    "acid",
    "acids",
    "CAP",
    "cap",
    "theorem",
    "theorems",
    "Eventual",
    "eventual",
    "consistency",
    "Consistency",
    "strong",
    "caches",
    "Caching",
    "cache",
    "load",
    "balancer",
    "balancers",
    "balancing",
    "Proxy",
    "proxies",
    "the",
    "a",
    "and",
    "TCP-based",
]
PUNCTUATION = list(".,;:!?-()*_`[]|#>'\"/\\") + ["\n", "\n\n", "\n    ", "- ", "1. ", "> "]
MARKUP = [
    "<em>",
    "</em>",
    "<code>",
    "</code>",
    "<a href='x'>",
    "</a>",
    "<abbr title='t'>",
    "</abbr>",
    "&amp;",
    "&lt;",
    "`",
    "``",
    "**",
    "](x)",
    "![",
    "\n```\n",
    "\n| a | b |\n|---|---|\n| ",
    "\n# ",
    "\n!!! note\n    ",
]
markdownish = st.lists(
    st.one_of(
        st.sampled_from(LINK_WORDS),  # twice: mostly words, so most examples have mentions
        st.sampled_from(LINK_WORDS),
        st.sampled_from(PUNCTUATION),
        st.sampled_from(MARKUP),
    ),
    max_size=40,
).map(lambda tokens: " ".join(tokens) if len(tokens) % 2 else "".join(tokens))

EXTENSIONS = ["pymdownx.superfences", "tables", "admonition", "abbr", "attr_list", "md_in_html"]
FENCES = {"pymdownx.superfences": {"custom_fences": custom_fences()}}


class _TextOf(HTMLParser):
    """Every character of text in an HTML fragment, exactly as parsed.

    BeautifulSoup shortens whitespace-only strings between tags (" \\n " becomes "\\n"),
    which would hide or invent differences around inserted links; this keeps them all.
    """

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.feed(html)
        self.close()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        return "".join(self.parts)


def _convert(text: str, extension: SysdesignExtension | None) -> str:
    extensions: list[Any] = list(EXTENSIONS)
    if extension is not None:
        extensions.insert(0, extension)
    return markdown.Markdown(extensions=extensions, extension_configs=FENCES).convert(text)


@FUZZ
@given(markdownish.filter(lambda text: "[[" not in text))
def test_linker_output_shows_exactly_the_text_of_its_input(text: str) -> None:
    extension = SysdesignExtension(SiteContext(term_index=INDEX, autolink="all"))
    html = _convert(text, extension)
    assert _TextOf(html).text == _TextOf(_convert(text, None)).text
    assert not extension.conversion.findings
    linked = BeautifulSoup(html, "html.parser")
    for link in linked.select("a.sysdesign-term"):
        # Never inside code, other links, headings or abbr elements.
        assert not link.find_parents(["a", "code", "pre", "abbr", "h1", "h2", "h3", "h4"]), text
        assert link["data-term"] in TERMS
        assert link["title"] == TERMS[link["data-term"]].summary
        assert set(link.attrs) == {"href", "class", "data-term", "title"}


@FUZZ
@given(st.lists(st.sampled_from(LINK_WORDS + [" ", " ", ". ", "\n"]), max_size=30).map("".join))
def test_each_link_is_a_whole_word_mention_of_its_term(text: str) -> None:
    extension = SysdesignExtension(SiteContext(term_index=INDEX, autolink="all"))
    soup = BeautifulSoup(_convert(text, extension), "html.parser")
    for link in soup.select("a.sysdesign-term"):
        found = INDEX.find(link.get_text())
        assert len(found) == 1 and found[0].key.term_id == link["data-term"], link
        for side in (link.previous_sibling, link.next_sibling):
            if isinstance(side, str) and side:
                edge = side[-1] if side is link.previous_sibling else side[0]
                assert not re.match(r"\w", edge), (text, link)


def test_front_matter_lines_point_at_keys_entries_and_nearest_parents() -> None:
    source = (
        "---\n"  # 1
        "title: T\n"  # 2
        "design:\n"  # 3
        "  status: draft\n"  # 4
        "  owners:\n"  # 5
        "    - ana\n"  # 6
        "    - bo\n"  # 7
        "  status: review\n"  # 8: YAML keeps the last of repeated keys
        "loop: &a [1, 2]\n"  # 9: an anchor (recursive aliases: test_hostile_input)
        "---\n"
        "# T\n"
    )
    front = read_front_matter(source)
    assert front.line("title") == 2
    assert front.line("design") == 3
    assert front.line("design", "owners", 1) == 7
    assert front.line("design", "status") == 8
    assert front.line("design", "owners", 5) == 5  # no sixth owner: its list
    assert front.line("design", "missing", "deeper") == 3
    assert front.line("loop", 1) == 9
    assert front.line("nothing") is None
