"""The shipped fundamentals glossary (issue 6): every concept has a valid, substantial page."""

from __future__ import annotations

import re
from itertools import combinations

import pytest

from mkdocs_sysdesign.collect import BUILTIN_GLOSSARY, SourceFile, builtin_glossary_files
from mkdocs_sysdesign.frontmatter import read_front_matter, read_term
from mkdocs_sysdesign.glossary import TermIndex, normalise_key, plurals
from mkdocs_sysdesign.model import Term

# The concepts of the process overview, by term id (file stem).
CONCEPTS = {
    "Storage": [
        "sql-databases",
        "nosql-databases",
        "normalisation",
        "denormalisation",
        "acid",
        "atomicity",
        "consistency-acid",
        "isolation",
        "durability",
        "base",
        "basic-availability",
        "soft-state",
        "eventual-consistency",
    ],
    "Scalability": [
        "scalability",
        "vertical-scaling",
        "horizontal-scaling",
        "sharding",
        "consistent-hashing",
        "caching",
        "cdn",
    ],
    "Networking": [
        "http",
        "https",
        "rest",
        "restful-semantics",
        "graphql",
        "grpc",
        "dns-resolution",
        "websockets",
        "server-sent-events",
        "tcp",
        "udp",
        "request-response-lifecycle",
        "load-balancing",
        "firewalls-and-acls",
        "rate-limiting",
        "message-queue",
    ],
    "Performance": ["latency", "throughput", "performance", "bottleneck"],
    "Fault Tolerance": [
        "fault-tolerance",
        "redundancy",
        "replication",
        "failure-detection",
        "single-point-of-failure",
        "reliability",
        "idempotency",
    ],
    "Distributed Systems": [
        "cap-theorem",
        "consistency-cap",
        "availability",
        "partition-tolerance",
    ],
    "Process": [
        "functional-requirements",
        "non-functional-requirements",
        "scope-creep",
        "client-server",
        "monolith",
        "microservices",
        "bike-shedding",
    ],
}
ALL_IDS = sorted(term_id for ids in CONCEPTS.values() for term_id in ids)
CATEGORIES = set(CONCEPTS)
# The one key two shipped terms share on purpose: see the two consistency pages.
DELIBERATE_AMBIGUITY = {"consistency", "consistencies", "consistencys"}


def _load() -> dict[str, tuple[SourceFile, Term, list[str], str]]:
    pages = {}
    for source in builtin_glossary_files("glossary"):
        term_id = source.path.rsplit("/", 1)[-1].removesuffix(".md")
        front = read_front_matter(source.text)
        term, findings = read_term(source.path, term_id, front, builtin=True)
        problems = [f"{source.path}:{line}: {message}" for line, message in front.problems]
        problems += [str(finding) for finding in findings]
        body = "\n".join(source.text.split("\n")[front.body_offset :])
        pages[term_id] = (source, term, problems, body)
    return pages


PAGES = _load()


def test_the_folder_holds_exactly_the_58_concepts() -> None:
    assert len(ALL_IDS) == 58
    assert sorted(PAGES) == ALL_IDS, f"shipped in {BUILTIN_GLOSSARY}/ differs from the concepts"


@pytest.mark.parametrize("term_id", ALL_IDS)
def test_front_matter_validates(term_id: str) -> None:
    _, term, problems, _ = PAGES[term_id]
    assert problems == []
    assert term.term.strip()
    assert term.category in CATEGORIES
    assert term_id in CONCEPTS[term.category]


@pytest.mark.parametrize("term_id", ALL_IDS)
def test_summary_is_one_plain_sentence_under_160_characters(term_id: str) -> None:
    summary = PAGES[term_id][1].summary
    assert 0 < len(summary) < 160
    assert summary.endswith(".")
    # One sentence: no full stop, question or exclamation mark followed by another sentence.
    assert not re.search(r"[.!?]\s+[A-Z]", summary), summary
    assert not re.search(r"[`*_\[\]<>]", summary), f"Markdown or HTML in {summary!r}"


@pytest.mark.parametrize("term_id", ALL_IDS)
def test_body_has_at_least_150_words_and_no_h1(term_id: str) -> None:
    body = PAGES[term_id][3]
    prose = re.sub(r"```.*?```", " ", body, flags=re.DOTALL)
    assert len(re.findall(r"[A-Za-z0-9][\w'’-]*", prose)) >= 150
    assert not re.search(r"^# ", body, flags=re.MULTILINE), "the page title comes from `term`"
    assert "[[" not in body


@pytest.mark.parametrize("term_id", ALL_IDS)
def test_see_also_names_two_to_five_shipped_terms(term_id: str) -> None:
    see_also = PAGES[term_id][1].see_also
    assert 2 <= len(see_also) <= 5
    assert set(see_also) <= set(ALL_IDS)
    assert term_id not in see_also


def test_acronyms_carry_their_expansion() -> None:
    acronyms = [page[1] for page in PAGES.values() if re.fullmatch(r"[A-Z]{2,}", page[1].term)]
    assert {term.id for term in acronyms} >= {"acid", "base", "cdn", "tcp", "udp", "http", "rest"}
    assert [term.id for term in acronyms if not term.abbr] == []


def _names(term: Term) -> set[str]:
    """A term's written names (term and aliases), normalised."""
    return {normalise_key(name) for name in [term.term, *term.aliases]}


def _plurals(term: Term) -> set[str]:
    """The plurals the index generates for a term's names, normalised."""
    return {normalise_key(p) for name in [term.term, *term.aliases] for p in plurals(name)}


def test_no_two_shipped_terms_share_a_name_or_alias() -> None:
    terms = [page[1] for page in PAGES.values()]
    shared = [
        (first.id, second.id, key)
        for first, second in combinations(terms, 2)
        for key in _names(first) & _names(second)
    ]
    assert shared == []


def test_no_generated_plural_clashes_except_https() -> None:
    terms = [page[1] for page in PAGES.values()]
    clashes = set()
    for first, second in combinations(terms, 2):
        keys_first, keys_second = _names(first) | _plurals(first), _names(second) | _plurals(second)
        clashes |= {(first.id, second.id, key) for key in keys_first & keys_second}
    # "HTTPs", the plural of HTTP, is the name HTTPS: the index gives a written name
    # precedence over a generated plural (checked below), so it is not ambiguous.
    assert clashes - {("http", "https", "https")} == set()


def test_only_bare_consistency_is_ambiguous_in_the_shipped_index() -> None:
    index = TermIndex({page[1].id: page[1] for page in PAGES.values()})
    ambiguous = {key for key, value in index.keys.items() if value.term_id is None}
    assert ambiguous == DELIBERATE_AMBIGUITY
    assert index.keys["consistency"].choices == ("consistency-acid", "consistency-cap")
    # The regular names of both consistency pages stay unambiguous.
    assert index.keys["acid consistency"].term_id == "consistency-acid"
    assert index.keys["strong consistency"].term_id == "consistency-cap"
    assert index.keys["https"].term_id == "https"


def test_consistency_pages_point_at_each_other() -> None:
    acid, cap = PAGES["consistency-acid"], PAGES["consistency-cap"]
    assert "consistency-cap" in acid[1].see_also
    assert "consistency-acid" in cap[1].see_also
    assert "consistency" not in {normalise_key(a) for a in acid[1].aliases + cap[1].aliases}
