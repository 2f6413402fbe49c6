"""Glossary linking rule by rule, through a plain ``markdown.Markdown`` (no MkDocs involved).

Each test converts a little Markdown with the sysdesign extension and a term index, then
reads the parsed HTML: which mentions became ``<a class="sysdesign-term">`` links, which
stayed text, and which findings the page produced.
"""

from __future__ import annotations

import posixpath
import textwrap
from typing import Any

import markdown
import pytest
from bs4 import BeautifulSoup, Tag

from mkdocs_sysdesign.extension import (
    Conversion,
    PageInfo,
    SiteContext,
    SysdesignExtension,
    custom_fences,
)
from mkdocs_sysdesign.glossary import TermIndex, add_term_titles, normalise_key, plurals
from mkdocs_sysdesign.model import Term


def term(term_id: str, name: str, *aliases: str, summary: str = "", abbr: str = "") -> Term:
    """A term page under glossary/, as the collector would read it."""
    return Term(
        id=term_id,
        term=name,
        path=f"glossary/{term_id}.md",
        aliases=list(aliases),
        summary=summary or f"Summary of {name}.",
        abbr=abbr,
    )


TERMS = {
    t.id: t
    for t in [
        term("acid", "ACID", summary="All or nothing, valid, isolated, durable.", abbr="..."),
        term("base", "BASE"),
        term("tcp", "TCP", "Transmission Control Protocol", abbr="Transmission Control Protocol"),
        term("http", "HTTP"),
        term("https", "HTTPS"),
        term("latency", "Latency"),
        term("eventual-consistency", "Eventual Consistency"),
        term("consistency-acid", "Consistency (ACID)", "ACID consistency"),
        term("consistency-cap", "Consistency (CAP)", "CAP consistency", "strong consistency"),
        term("cap-theorem", "CAP theorem", "CAP", "Brewer's theorem"),
        term("sharding", "Sharding", "shard", "partitioning"),
        term("caching", "Caching", "cache"),
        term("load-balancing", "Load Balancing", "load balancer"),
        term("proxy", "Proxy"),
        term("fault-tolerance", "Fault Tolerance", "fault-tolerant"),
    ]
}

DEFAULT_EXTENSIONS = ("tables", "admonition", "abbr", "attr_list", "md_in_html", "pymdownx.details")


def convert(
    text: str,
    *,
    terms: dict[str, Term] | None = None,
    index: TermIndex | None = None,
    ambiguous: dict[str, str] | None = None,
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS,
    **context: Any,
) -> tuple[BeautifulSoup, Conversion]:
    """Convert ``text`` the way the README shows, with a term index."""
    if index is None:
        index = TermIndex(TERMS if terms is None else terms, ambiguous or {})
    extension = SysdesignExtension(SiteContext(term_index=index), PageInfo(**context))
    md = markdown.Markdown(
        extensions=[extension, "pymdownx.superfences", *extensions],
        extension_configs={"pymdownx.superfences": {"custom_fences": custom_fences()}},
    )
    html = md.convert(text)
    return BeautifulSoup(html, "html.parser"), extension.conversion


def links(soup: BeautifulSoup | Tag) -> list[tuple[str, str]]:
    """(term id, link text) of every glossary link, in document order."""
    return [(a["data-term"], a.get_text()) for a in soup.select("a.sysdesign-term")]


def linked(text: str, **kwargs: Any) -> list[tuple[str, str]]:
    """The glossary links of a converted text, linking every mention."""
    kwargs.setdefault("autolink", "all")
    return links(convert(text, **kwargs)[0])


# --- the HTML contract --------------------------------------------------------------------


def test_link_follows_the_html_contract() -> None:
    soup, _ = convert("Connections use TCP.")
    [link] = soup.select("a")
    assert link["class"] == ["sysdesign-term"]
    assert link["data-term"] == "tcp"
    assert link["title"] == "Summary of TCP."
    assert link["href"] == "glossary/tcp.md"
    assert link.get_text() == "TCP"
    assert soup.get_text() == "Connections use TCP."


def test_titles_can_wait_for_the_written_page() -> None:
    """With the plugin, the summary is added to the written page, not to page.content."""
    tricky = 'Say "no" to <script>alert(1)</script> & friends.'
    terms = {"tcp": term("tcp", "TCP", summary=tricky), "udp": term("udp", "UDP")}
    terms["udp"].summary = ""
    site = SiteContext(term_index=TermIndex(terms), after_search=True)
    md = markdown.Markdown(extensions=[SysdesignExtension(site)])
    html = md.convert("TCP and UDP here.")
    assert "title=" not in html
    written = add_term_titles(html, terms)
    links = BeautifulSoup(written, "html.parser").select("a.sysdesign-term")
    assert [link.get("title") for link in links] == [tricky, None]  # UDP has no summary
    assert "<script>" not in written
    # Links that have a title keep theirs; a page without links is returned as it is.
    assert add_term_titles(written, terms) == written
    page = "<p>No links.</p>"
    assert add_term_titles(page, terms) is page


def test_href_comes_from_the_page_link_resolver() -> None:
    soup, _ = convert(
        "Mind the latency.", md_link=lambda path: posixpath.relpath(path, "designs/chat")
    )
    assert soup.a is not None and soup.a["href"] == "../../glossary/latency.md"


def test_summary_is_escaped_in_the_title() -> None:
    tricky = 'Say "no" to <script>alert(1)</script> & friends.'
    soup, _ = convert("TCP here.", terms={"tcp": term("tcp", "TCP", summary=tricky)})
    assert soup.a is not None and soup.a["title"] == tricky
    assert soup.find("script") is None


# --- matching ----------------------------------------------------------------------------


def test_eventual_consistency_beats_consistency() -> None:
    assert linked("Replicas reach eventual consistency later.") == [
        ("eventual-consistency", "eventual consistency")
    ]


def test_longest_alias_wins_over_its_prefix() -> None:
    assert linked("A CAP consistency model, and CAP alone.") == [
        ("consistency-cap", "CAP consistency"),
        ("cap-theorem", "CAP"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "No acid rain here.",  # "acid" in lower case is not the acronym ACID
        "A TCP-based protocol.",  # a hyphenated compound is one word
        "A non-TCP link.",
        "Set TCP_NODELAY on the socket.",
        "HTTPS2 is not a thing.",
        "The latencyBudget field.",
        "A caches-free design.",
    ],
)
def test_whole_words_only(text: str) -> None:
    assert linked(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Use TCP.", [("tcp", "TCP")]),
        ("(TCP)", [("tcp", "TCP")]),
        ("TCP/IP", [("tcp", "TCP")]),
        ("TCP's window", [("tcp", "TCP")]),
        ("fault-tolerant services", [("fault-tolerance", "fault-tolerant")]),
        ("Is it fault-tolerant?", [("fault-tolerance", "fault-tolerant")]),
    ],
)
def test_punctuation_ends_a_word(text: str, expected: list[tuple[str, str]]) -> None:
    assert linked(text) == expected


def test_acronyms_match_case_sensitively() -> None:
    assert linked("tcp, Tcp, Acid, acid, base, Base, cap, Cap, http and https.") == []
    assert linked("TCP, ACID, BASE, CAP, HTTP and HTTPS.") == [
        ("tcp", "TCP"),
        ("acid", "ACID"),
        ("base", "BASE"),
        ("cap-theorem", "CAP"),
        ("http", "HTTP"),
        ("https", "HTTPS"),
    ]


def test_plural_of_an_acronym_stays_case_sensitive() -> None:
    # Regression: "acids" and "caps" were taken for the plurals "ACIDs" and "CAPs".
    assert linked("Amino acids, rate caps and bases.") == []
    assert linked("Two ACIDs and many CAPs.") == [("acid", "ACIDs"), ("cap-theorem", "CAPs")]


def test_https_is_its_own_term_not_the_plural_of_http() -> None:
    # Regression: "https" was both the name HTTPS and the generated plural of HTTP, so it
    # was ambiguous and never linked.
    assert linked("Serve HTTPS, not HTTP.") == [("https", "HTTPS"), ("http", "HTTP")]
    assert TermIndex(TERMS).keys["https"].term_id == "https"


@pytest.mark.parametrize(
    "text", ["Latency matters.", "Low latency.", "LATENCY budget.", "p99 Latency"]
)
def test_words_match_case_insensitively(text: str) -> None:
    [(term_id, label)] = linked(text)
    assert term_id == "latency"
    assert label.lower() == "latency"
    assert label in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Add shards.", [("sharding", "shards")]),
        ("Two caches.", [("caching", "caches")]),
        ("Proxies everywhere.", [("proxy", "Proxies")]),
        ("Behind load balancers.", [("load-balancing", "load balancers")]),
        ("Data partitioning.", [("sharding", "partitioning")]),
        ("Transmission Control Protocol.", [("tcp", "Transmission Control Protocol")]),
        ("Brewer's theorem.", [("cap-theorem", "Brewer's theorem")]),
        ("Mind latencies.", [("latency", "latencies")]),
    ],
)
def test_plurals_and_aliases(text: str, expected: list[tuple[str, str]]) -> None:
    assert linked(text) == expected


def test_term_wrapped_across_two_lines_is_one_mention() -> None:
    soup, ctx = convert("We rely on the Transmission\nControl Protocol and eventual\nconsistency.")
    assert links(soup) == [
        ("tcp", "Transmission\nControl Protocol"),
        ("eventual-consistency", "eventual\nconsistency"),
    ]
    assert ctx.mentions == {"tcp", "eventual-consistency"}


def test_white_space_and_accents_keep_link_positions() -> None:
    # Non-breaking spaces, double spaces and a character whose lower case is longer
    # (İ) must not shift where the link is cut.
    text = "İstanbul: eventual\u00a0consistency and Load  Balancing via TCP."
    assert linked(text) == [
        ("eventual-consistency", "eventual\u00a0consistency"),
        ("load-balancing", "Load  Balancing"),
        ("tcp", "TCP"),
    ]


# --- where links go and where they never go ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "container"),
    [
        ("| Layer | Note |\n|---|---|\n| transport | TCP |", "td"),
        ("- first\n- uses TCP", "li"),
        ("1. one\n2. uses TCP", "li"),
        ('!!! note "Careful"\n    This uses TCP.', "div.admonition p"),
        ('??? note "More"\n    This uses TCP.', "details p"),
        ("> Quoted TCP.", "blockquote"),
        ("Some *emphasised TCP* here.", "em"),
        ("Some **strong TCP** here.", "strong"),
        ('<div markdown="1">\nInside TCP.\n</div>', "div"),
    ],
)
def test_prose_in_tables_lists_and_admonitions_links(text: str, container: str) -> None:
    soup, _ = convert(text)
    assert links(soup) == [("tcp", "TCP")]
    assert soup.select_one(f"{container} a.sysdesign-term") is not None


@pytest.mark.parametrize(
    "text",
    [
        "Inline `TCP` code.",
        "```\nTCP in a fence\n```",
        "    TCP in an indented block",
        "```python\nTCP = 1\n```",
        "An [existing TCP link](https://example.com).",
        "An autolink <https://example.com/TCP>.",
        "# TCP heading",
        "### TCP sub-heading {#x}",
        "Setext TCP\n----------",
        "ACID here.\n\n*[ACID]: Atomicity, Consistency, Isolation, Durability",
        "Raw <code>TCP</code> code.",
        'Raw <a href="x">TCP</a> link.',
        "Raw <abbr>TCP</abbr> abbreviation.",
        "Raw <kbd>TCP</kbd> key.",
        '!!! note "TCP in an admonition title"\n    body',
        '??? note "TCP in a details summary"\n    body',
        "<div>\nTCP in a raw HTML block.\n</div>",
        "<!-- TCP in a comment -->",
    ],
)
def test_never_links_in_code_pre_links_abbr_headings_or_raw_html(text: str) -> None:
    soup, ctx = convert(text)
    assert links(soup) == []
    assert soup.select("a a") == []
    assert ctx.mentions == set()


def test_never_links_in_attributes() -> None:
    soup, _ = convert(
        '![TCP diagram](tcp.png "ACID title")\n\n'
        'Paragraph about nothing.\n{: title="Latency" data-x="TCP" }\n\n'
        '[link](x.md "TCP")'
    )
    img = soup.img
    assert img is not None and img["alt"] == "TCP diagram" and img["title"] == "ACID title"
    assert soup.p is not None and soup.select_one("p[title]") is not None
    assert soup.select_one("p[title]")["title"] == "Latency"  # type: ignore[index]
    assert links(soup) == []


def test_raw_inline_html_around_a_term_still_links() -> None:
    # Regression: inline HTML is stashed as placeholders; a term between such tags is prose.
    soup, _ = convert("Raw <span>TCP</span> and <b>Latency</b> &amp; ACID.")
    assert links(soup) == [("tcp", "TCP"), ("latency", "Latency"), ("acid", "ACID")]
    assert soup.select_one("span > a.sysdesign-term") is not None
    assert soup.select_one("b > a.sysdesign-term") is not None
    assert "&" in soup.get_text()


def test_text_after_skipped_elements_still_links() -> None:
    soup, _ = convert("`code` then TCP, [a link](x) then ACID.")
    assert links(soup) == [("tcp", "TCP"), ("acid", "ACID")]


# --- ambiguity ---------------------------------------------------------------------------


def test_bare_consistency_is_ambiguous_and_not_linked() -> None:
    assert linked("Consistency matters; consistency is hard; two consistencies.") == []


def test_qualified_consistency_names_link() -> None:
    assert linked(
        "Strong consistency, ACID consistency, Consistency (CAP) and Consistency (ACID)."
    ) == [
        ("consistency-cap", "Strong consistency"),
        ("consistency-acid", "ACID consistency"),
        ("consistency-cap", "Consistency (CAP)"),
        ("consistency-acid", "Consistency (ACID)"),
    ]


def test_ambiguous_option_chooses_the_meaning() -> None:
    text = "Consistency first."
    assert linked(text, ambiguous={"Consistency": "consistency-cap"}) == [
        ("consistency-cap", "Consistency")
    ]
    assert linked(text, ambiguous={"consistency": "consistency-acid"}) == [
        ("consistency-acid", "Consistency")
    ]


def test_a_shared_alias_is_ambiguous() -> None:
    terms = {
        "ring": term("ring", "Hash Ring", "ring"),
        "token-ring": term("token-ring", "Token Ring", "ring"),
    }
    assert linked("A ring, a Hash Ring and a Token Ring.", terms=terms) == [
        ("ring", "Hash Ring"),
        ("token-ring", "Token Ring"),
    ]


def test_a_written_name_beats_the_bare_word_of_a_qualified_name() -> None:
    # A project page named plainly "Consistency" is what the bare word means.
    terms = dict(TERMS, consistency=term("consistency", "Consistency"))
    assert linked("Consistency matters.", terms=terms) == [("consistency", "Consistency")]


# --- autolink modes, own page ------------------------------------------------------------


def test_first_mode_links_the_first_mention_per_term() -> None:
    soup, ctx = convert("TCP and TCP.\n\n- TCP and latency\n- Latency", autolink="first")
    assert links(soup) == [("tcp", "TCP"), ("latency", "latency")]
    assert ctx.mentions == {"tcp", "latency"}


def test_all_mode_links_every_mention() -> None:
    soup, _ = convert("TCP and TCP.\n\n| a |\n|---|\n| TCP |", autolink="all")
    assert links(soup) == [("tcp", "TCP")] * 3


def test_off_mode_links_nothing_but_explicit_references() -> None:
    soup, ctx = convert("TCP and latency, [[CAP theorem]].", autolink="off")
    assert links(soup) == [("cap-theorem", "CAP theorem")]
    assert ctx.findings == []


def test_explicit_reference_counts_as_the_first_link() -> None:
    soup, _ = convert("See [[TCP|the protocol]]; TCP again.", autolink="first")
    assert links(soup) == [("tcp", "the protocol")]


def test_no_link_to_the_terms_own_page() -> None:
    soup, ctx = convert(
        "TCP streams bytes; the Transmission Control Protocol needs latency; TCPs.",
        own_term="tcp",
        autolink="all",
    )
    assert links(soup) == [("latency", "latency")]
    assert ctx.mentions == {"latency"}


def test_explicit_reference_to_the_own_page_is_plain_text() -> None:
    soup, _ = convert("About [[TCP|this protocol]].", own_term="tcp")
    assert links(soup) == []
    own = soup.select_one("span.sysdesign-term-self")
    assert own is not None and own.get_text() == "this protocol"


# --- explicit references -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[CAP theorem]]", ("cap-theorem", "CAP theorem")),
        ("[[cap THEOREM]]", ("cap-theorem", "cap THEOREM")),
        ("[[CAP theorem|the CAP trade-off]]", ("cap-theorem", "the CAP trade-off")),
        ("[[ CAP theorem | spaced ]]", ("cap-theorem", "spaced")),
        ("[[cap-theorem]]", ("cap-theorem", "CAP theorem")),
        ("[[acid]]", ("acid", "ACID")),
        ("[[load-balancing]]", ("load-balancing", "Load Balancing")),
        ("[[latency]]", ("latency", "latency")),
        ("[[acid|acid]]", ("acid", "acid")),
        ("[[cap-theorem|the theorem]]", ("cap-theorem", "the theorem")),
        ("[[shards]]", ("sharding", "shards")),
        ("[[Brewer's theorem]]", ("cap-theorem", "Brewer's theorem")),
        ("[[Consistency (CAP)]]", ("consistency-cap", "Consistency (CAP)")),
    ],
)
def test_explicit_references(text: str, expected: tuple[str, str]) -> None:
    soup, ctx = convert(f"See {text} here.", autolink="off")
    assert links(soup) == [expected]
    assert ctx.findings == []
    assert ctx.mentions == {expected[0]}


def test_explicit_reference_with_label_in_a_table() -> None:
    soup, ctx = convert(
        textwrap.dedent(
            r"""
            | Topic | Note |
            |---|---|
            | [[CAP theorem\|the CAP trade-off]] | two cells |
            """
        )
    )
    cells = soup.select("tbody td")
    assert len(cells) == 2
    assert links(cells[0]) == [("cap-theorem", "the CAP trade-off")]
    assert cells[1].get_text() == "two cells"
    assert ctx.findings == []


def test_references_in_code_stay_literal() -> None:
    soup, ctx = convert("Write `[[CAP theorem]]`.\n\n```\n[[CAP theorm]]\n```\n")
    assert links(soup) == []
    assert [c.get_text() for c in soup.select("code")] == ["[[CAP theorem]]", "[[CAP theorm]]\n"]
    assert ctx.findings == []


def test_unknown_reference_warns_with_line_and_suggestion_and_stays_visible() -> None:
    text = "\n" * 11 + "Trade-offs follow the [[CAP theorm]] here."
    soup, ctx = convert(text, src_path="x.md")
    [finding] = ctx.findings
    assert str(finding) == (
        "x.md:12: unknown glossary term 'CAP theorm' (did you mean 'CAP theorem'?); "
        "to add a term, write glossary/cap-theorm.md with `term: CAP theorm` and `summary:` "
        "in its front matter"
    )
    unknown = soup.select_one("span.sysdesign-term-unknown")
    assert unknown is not None and unknown.get_text() == "CAP theorm"
    assert soup.get_text() == "Trade-offs follow the CAP theorm here."


def test_unknown_reference_line_counts_front_matter_and_repeats() -> None:
    text = "[[nothing like it]]\n\nok\n\n[[nothing like it|shown]]"
    soup, ctx = convert(text, src_path="x.md", line_offset=4)
    assert [str(f) for f in ctx.findings] == [
        f"x.md:{line}: unknown glossary term 'nothing like it'; to add a term, write "
        "glossary/nothing-like-it.md with `term: nothing like it` and `summary:` in its "
        "front matter"
        for line in (5, 9)
    ]
    assert [s.get_text() for s in soup.select(".sysdesign-term-unknown")] == [
        "nothing like it",
        "shown",
    ]


def test_ambiguous_reference_warns_naming_both_choices() -> None:
    soup, ctx = convert("line one\n[[consistency]]", src_path="x.md")
    [finding] = ctx.findings
    assert finding.line == 2
    assert "ambiguous glossary term 'consistency'" in finding.message
    assert "'Consistency (ACID)' (consistency-acid)" in finding.message
    assert "'Consistency (CAP)' (consistency-cap)" in finding.message
    assert soup.get_text() == "line one\nconsistency"


def test_ambiguous_reference_resolved_by_the_option() -> None:
    soup, ctx = convert("[[consistency]]", ambiguous={"consistency": "consistency-acid"})
    assert links(soup) == [("consistency-acid", "consistency")]
    assert ctx.findings == []


# --- the index itself ----------------------------------------------------------------------


def test_normalise_key_and_plurals() -> None:
    assert normalise_key("  Eventual\n Consistency ") == "eventual consistency"
    assert plurals("cache") == ["caches"]
    assert plurals("proxy") == ["proxies", "proxys"]
    assert plurals("key") == ["keys"]
    assert plurals("CDN") == ["CDNs"]
    assert plurals("load balancer") == ["load balancers"]
    assert plurals("HTTP/2") == []


def test_plain_markdown_without_a_term_index_links_nothing() -> None:
    extension = SysdesignExtension()
    md = markdown.Markdown(extensions=[extension])
    html = md.convert("TCP and [[TCP]].")
    ctx = extension.conversion
    soup = BeautifulSoup(html, "html.parser")
    assert links(soup) == []
    assert soup.get_text() == "TCP and TCP."
    assert [f.message.split(";")[0] for f in ctx.findings] == ["unknown glossary term 'TCP'"]


def test_one_markdown_instance_converts_several_pages_independently() -> None:
    extension = SysdesignExtension(SiteContext(term_index=TermIndex(TERMS)))
    md = markdown.Markdown(extensions=[extension])
    first = BeautifulSoup(md.convert("TCP and [[UDP]]."), "html.parser")
    first_conversion = extension.conversion
    assert links(first) == [("tcp", "TCP")] and first_conversion.mentions == {"tcp"}
    assert len(first_conversion.findings) == 1
    md.reset()
    second = BeautifulSoup(md.convert("TCP and latency."), "html.parser")
    assert links(second) == [("tcp", "TCP"), ("latency", "latency")]
    # reset() started a new conversion: nothing of the first page carries over.
    assert extension.conversion is not first_conversion
    assert extension.conversion.mentions == {"tcp", "latency"}
    assert extension.conversion.findings == []


# --- scale ---------------------------------------------------------------------------------

SCALE_TEXT = """
# Chat service

We keep messages in shards behind load balancers. Eventual consistency is fine for
read receipts, but the Transmission Control Protocol connection and TCP keep-alives
matter for latency. ACID transactions protect the ledger; consistency alone is vague.

| Concern | Choice |
|---|---|
| Caching | a cache per region |
| [[CAP theorem\\|CAP]] | AP with strong consistency for payments |

- Proxies terminate HTTPS.
- `TCP` in code is not linked, nor is [TCP](https://example.com).

See [[unknown thing]] and [[consistency]].
"""


def synthetic_terms(count: int) -> dict[str, Term]:
    """``count`` made-up terms that never occur in :data:`SCALE_TEXT`."""
    made_up = {}
    for number in range(count):
        term_id = f"synthetic-{number:05d}"
        made_up[term_id] = term(
            term_id,
            f"Zyxel Concept {number:05d}",
            f"zq{number:05d}",
            f"QX{number:05d} protocol",
        )
    return made_up


def test_5000_terms_link_the_same_as_50() -> None:
    small = dict(TERMS, **synthetic_terms(50 - len(TERMS)))
    large = dict(TERMS, **synthetic_terms(5000 - len(TERMS)))
    assert len(small) == 50 and len(large) == 5000

    large_index = TermIndex(large)
    assert len(large_index.keys) > 5000 * 3  # the extra terms really are in the index

    small_soup, small_ctx = convert(SCALE_TEXT, terms=small, src_path="x.md")
    large_soup, large_ctx = convert(SCALE_TEXT, index=large_index, src_path="x.md")
    assert str(large_soup) == str(small_soup)
    assert large_ctx.findings == small_ctx.findings
    assert large_ctx.mentions == small_ctx.mentions
    # And the text really exercises the linker.
    assert links(large_soup) == [
        ("sharding", "shards"),
        ("load-balancing", "load balancers"),
        ("eventual-consistency", "Eventual consistency"),
        ("tcp", "Transmission Control Protocol"),
        ("latency", "latency"),
        ("acid", "ACID"),
        ("caching", "Caching"),
        ("cap-theorem", "CAP"),
        ("consistency-cap", "strong consistency"),
        ("proxy", "Proxies"),
        ("https", "HTTPS"),
    ]
    assert [f.message.split(";")[0] for f in large_ctx.findings] == [
        "unknown glossary term 'unknown thing'",
        "ambiguous glossary term 'consistency'",
    ]


def test_links_in_a_paragraph_of_many_inline_elements_keep_document_order() -> None:
    text = "TCP *one* HTTP and BASE **two** `code` latency *three* ACID, HTTPS end."
    soup, ctx = convert(text, autolink="all")
    paragraph = soup.p
    assert paragraph is not None
    # Every child in the order it is written: links made from the paragraph's own text
    # and from the text after each inline element, between the elements they follow.
    children = [
        (child.name, child.get("data-term") or child.get_text())
        for child in paragraph.children
        if child.name is not None
    ]
    assert children == [
        ("a", "tcp"),
        ("em", "one"),
        ("a", "http"),
        ("a", "base"),
        ("strong", "two"),
        ("code", "code"),
        ("a", "latency"),
        ("em", "three"),
        ("a", "acid"),
        ("a", "https"),
    ]
    assert paragraph.get_text() == "TCP one HTTP and BASE two code latency three ACID, HTTPS end."
    assert sorted(ctx.mentions) == ["acid", "base", "http", "https", "latency", "tcp"]
