"""The auto-built tables: a ```sysdesign block is a query over the handbook model."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from mkdocs_sysdesign.config import DEFAULT_STATUSES
from mkdocs_sysdesign.model import (
    Design,
    Entity,
    Handbook,
    Parameter,
    Problem,
    Property,
    Route,
    Section,
    StepResult,
    StepState,
    Term,
)
from mkdocs_sysdesign.steps import StepRegistry
from mkdocs_sysdesign.tables import (
    TABLES,
    mermaid_text,
    read_sysdesign_block,
    render_sysdesign_block,
    render_table,
)

ASSETS = Path(__file__).resolve().parent.parent / "mkdocs_sysdesign" / "assets"
EVIL = "<script>alert(1)</script>"


def link(path: str, anchor: str | None) -> str:
    return "../" + path + ("#" + anchor if anchor else "")


def result(
    step_id: str, items: dict[str, bool], anchor: str | None = None, state: StepState | None = None
) -> StepResult:
    if state is None:
        state = StepState.COMPLETE if all(items.values()) else StepState.PARTIAL
    sections = [Section(step_id, step_id, 5, 0, anchor)] if anchor is not None else []
    return StepResult(step_id, state, items, sections)


def url_shortener() -> Design:
    return Design(
        path="designs/url-shortener.md",
        title="URL Shortener",
        status="in-review",
        owners=["alice", "bob"],
        reviewers=["carol"],
        created=dt.date(2026, 10, 1),
        updated=dt.date(2026, 11, 2),
        summary="Short links for marketing campaigns.",
        tags=["storage", "caching"],
        supersedes=["designs/old-shortener.md"],
        related=["designs/rate-limiter.md"],
        review={
            "problem-solving": 4,
            "solution-design": 3,
            "technical-excellence": 4,
            "communication": 5,
            "steering": 4,
        },
        steps={
            "requirements": result(
                "requirements",
                {"functional": True, "non-functional": True, "out-of-scope": True},
                anchor="requirements",
            ),
            "deep-dives": result(
                "deep-dives",
                {
                    "scalability": True,
                    "consistency": False,
                    "latency": False,
                    "fault-tolerance": False,
                    "security": False,
                },
                anchor="deep-dives",
            ),
        },
        entities=[
            Entity(
                "Link",
                [Property("code", "string"), Property("target", "url")],
                notes="One per short code.",
            ),
            Entity("Click", [Property("at", "timestamp")]),
        ],
        routes=[
            Route(
                "POST",
                "/v1/links",
                [Parameter("target", "url")],
                returns="201 with the code",
                auth="API key",
                protocol="REST",
            ),
            Route("GET", "/{code}", returns="301 redirect", protocol="REST"),
        ],
        terms=("acid", "cap-theorem"),
    )


def rate_limiter() -> Design:
    return Design(
        path="designs/rate-limiter.md",
        title="Rate Limiter",
        status="approved",
        owners=["Carol"],
        created=dt.date(2026, 8, 1),
        updated=dt.date(2026, 9, 15),
        summary="Token buckets per API key.",
        tags=["Scalability"],
        related=["designs/url-shortener.md"],
        review={"communication": 3, "steering": 4},
        steps={
            "data-flow": result("data-flow", {"flow": True}, anchor="data-flow"),
            "deep-dives": result(
                "deep-dives",
                {
                    "scalability": True,
                    "consistency": True,
                    "latency": True,
                    "fault-tolerance": True,
                    "security": True,
                },
                anchor="scale-the-design",
            ),
        },
        entities=[Entity("Bucket", [Property("tokens", "int")])],
        routes=[Route("GET", "/v1/limits", protocol="gRPC")],
        terms=("acid",),
    )


def old_shortener() -> Design:
    return Design(
        path="designs/old-shortener.md",
        title="old shortener",
        status="superseded",
        owners=["alice"],
        created=dt.date(2025, 1, 5),
        summary="The first version.",
    )


def terms() -> dict[str, Term]:
    return {
        term.id: term
        for term in (
            Term("acid", "ACID", "glossary/acid.md", category="Storage", summary="All or nothing."),
            Term(
                "cap-theorem",
                "CAP theorem",
                "glossary/cap-theorem.md",
                aliases=["CAP"],
                category="Distributed Systems",
                summary="A partition forces a choice.",
            ),
            Term("base", "BASE", "glossary/base.md", category="Storage", summary="Soft state."),
            Term("tcp", "TCP", "glossary/tcp.md", category="Networking", summary="Streams."),
        )
    }


def make_handbook(*designs: Design, registry: StepRegistry | None = None) -> Handbook:
    chosen = designs or (url_shortener(), rate_limiter(), old_shortener())
    return Handbook(
        registry=registry or StepRegistry.default(),
        statuses=list(DEFAULT_STATUSES),
        designs={design.path: design for design in chosen},
        terms=terms(),
    )


def render(
    source: str, handbook: Handbook | None = None, labels: dict[str, str] | None = None
) -> Tag:
    html, problems = render_sysdesign_block(
        textwrap.dedent(source).strip("\n"), handbook or make_handbook(), link, labels
    )
    assert problems == []
    assert html is not None
    soup = BeautifulSoup(html, "html.parser")
    wrapper = soup.find("div")
    assert isinstance(wrapper, Tag)
    return wrapper


def problems_of(source: str, handbook: Handbook | None = None) -> list[Problem]:
    html, problems = render_sysdesign_block(
        textwrap.dedent(source).strip("\n"), handbook or make_handbook(), link
    )
    assert html is None
    assert problems
    return problems


def columns(wrapper: Tag) -> list[str]:
    return [str(th["data-column"]) for th in wrapper.select("thead th")]


def headers(wrapper: Tag) -> list[str]:
    return [th.get_text(strip=True) for th in wrapper.select("thead th")]


def rows(wrapper: Tag) -> list[list[str]]:
    return [
        [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in wrapper.select("tbody tr")
    ]


def href(anchor: Tag | None) -> str:
    assert anchor is not None
    return str(anchor["href"])


def column(wrapper: Tag, index: int = 0) -> list[str]:
    return [row[index] for row in rows(wrapper)]


# --- The wrapper and the list of tables --------------------------------------------------


def test_tables_lists_every_table_of_the_spec() -> None:
    assert list(TABLES) == [
        "steps",
        "designs",
        "checklist",
        "glossary",
        "terms",
        "entities",
        "api",
        "deep-dives",
        "reviews",
        "graph",
        "decisions",
    ]
    for spec in TABLES.values():
        assert set(spec.default_columns) <= set(spec.columns)
        assert {key.lstrip("-") for key in spec.default_sort} <= set(spec.columns)


@pytest.mark.parametrize("name", [name for name in TABLES if name != "graph"])
def test_every_table_is_an_ordinary_table_in_the_documented_wrapper(name: str) -> None:
    wrapper = render(f"table: {name}")
    assert wrapper["class"] == ["sysdesign-table"]
    assert wrapper["data-table"] == name
    table = wrapper.find("table")
    assert isinstance(table, Tag)
    assert table.find("thead") is not None
    assert table.find("tbody") is not None


def test_title_becomes_the_caption() -> None:
    wrapper = render("table: designs\ntitle: All <designs>")
    caption = wrapper.find("caption")
    assert caption is not None
    assert caption.get_text() == "All <designs>"


def test_no_matching_rows_says_so() -> None:
    wrapper = render("table: designs\nwhere: {owners: nobody}")
    assert rows(wrapper) == []
    assert wrapper.select_one(".sysdesign-table-empty") is not None


# --- steps -------------------------------------------------------------------------------


def test_steps_is_the_process_overview_in_registry_order() -> None:
    wrapper = render("table: steps")
    assert headers(wrapper) == ["Step", "Purpose", "Benefits"]
    assert rows(wrapper)[0] == [
        "Requirements",
        "Define what the system must do",
        "Aligns team, prevents scope creep",
    ]
    assert column(wrapper) == [
        "Requirements",
        "Core Entities",
        "API or Interface",
        "Data Flow",
        "High-Level Design",
        "Deep Dives",
    ]


def test_steps_items_column_lists_the_checklist_items() -> None:
    wrapper = render("table: steps\ncolumns: [step, items]\nwhere: {step: data-flow}")
    assert rows(wrapper) == [["Data Flow", "End-to-end flow"]]
    assert wrapper.select("tbody td ul li")


# --- designs -----------------------------------------------------------------------------


def test_designs_default_columns_sorted_by_title() -> None:
    wrapper = render("table: designs")
    assert columns(wrapper) == ["title", "status", "owners", "updated", "progress"]
    assert rows(wrapper) == [
        ["old shortener", "Superseded", "alice", "", "0%"],
        ["Rate Limiter", "Approved", "Carol", "2026-09-15", "100%"],
        ["URL Shortener", "In review", "alice, bob", "2026-11-02", "50%"],
    ]
    title = wrapper.select_one("thead th[data-column=title]")
    assert title is not None and title["aria-sort"] == "ascending"


def test_designs_link_titles_and_mark_status_and_sortable_values() -> None:
    wrapper = render("table: designs\nwhere: {title: url shortener}")
    [row] = wrapper.select("tbody tr")
    cells = row.find_all("td")
    anchor = cells[0].find("a")
    assert href(anchor) == "../designs/url-shortener.md"
    assert cells[1]["data-status"] == "in-review"
    badge = cells[1].select_one(".sysdesign-status")
    assert badge is not None and badge["data-status"] == "in-review"
    assert badge.get_text() == "In review"
    assert cells[3]["data-sort"] == "2026-11-02"
    assert cells[4]["data-sort"] == "50"


def test_designs_all_columns() -> None:
    wrapper = render(
        "table: designs\n"
        "columns: [title, reviewers, created, tags, summary, path]\n"
        "where: {title: URL Shortener}"
    )
    assert rows(wrapper) == [
        [
            "URL Shortener",
            "carol",
            "2026-10-01",
            "storage, caching",
            "Short links for marketing campaigns.",
            "designs/url-shortener.md",
        ]
    ]


def test_where_status_any_of() -> None:
    wrapper = render("table: designs\nwhere: {status: [approved, in-review]}")
    assert column(wrapper) == ["Rate Limiter", "URL Shortener"]


def test_where_status_accepts_the_label_case_insensitively() -> None:
    wrapper = render("table: designs\nwhere: {status: In Review}")
    assert column(wrapper) == ["URL Shortener"]


def test_where_list_column_matches_any_overlap_case_insensitively() -> None:
    assert column(render("table: designs\nwhere: {owners: ALICE}")) == [
        "old shortener",
        "URL Shortener",
    ]
    assert column(render("table: designs\nwhere: {owners: [bob, carol]}")) == [
        "Rate Limiter",
        "URL Shortener",
    ]
    assert column(render("table: designs\nwhere: {tags: scalability}")) == ["Rate Limiter"]


def test_where_several_columns_all_hold() -> None:
    wrapper = render("table: designs\nwhere: {owners: alice, status: superseded}")
    assert column(wrapper) == ["old shortener"]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("100", ["Rate Limiter"]),
        ("'>=50'", ["Rate Limiter", "URL Shortener"]),
        ("'> 50%'", ["Rate Limiter"]),
        ("'<50'", ["old shortener"]),
        ("'!=0'", ["Rate Limiter", "URL Shortener"]),
        ("[0, 100]", ["old shortener", "Rate Limiter"]),
    ],
)
def test_where_progress_numbers_and_comparisons(condition: str, expected: list[str]) -> None:
    wrapper = render(f"table: designs\nwhere: {{progress: {condition}}}")
    assert column(wrapper) == expected


def test_where_dates_and_comparisons() -> None:
    assert column(render("table: designs\nwhere: {updated: 2026-09-15}")) == ["Rate Limiter"]
    assert column(render("table: designs\nwhere: {created: '>=2026-01-01'}")) == [
        "Rate Limiter",
        "URL Shortener",
    ]


def test_where_null_selects_empty_cells() -> None:
    assert column(render("table: designs\nwhere: {updated: null}")) == ["old shortener"]
    assert column(render("table: designs\nwhere: {reviewers: ''}")) == [
        "old shortener",
        "Rate Limiter",
    ]


def test_where_design_path_matches_the_title_column() -> None:
    wrapper = render("table: designs\nwhere: {title: designs/rate-limiter.md}")
    assert column(wrapper) == ["Rate Limiter"]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("designs/*", ["old shortener", "Rate Limiter", "URL Shortener"]),
        ("designs/*shortener*", ["old shortener", "URL Shortener"]),
        ("DESIGNS/RATE-?IMITER.MD", ["Rate Limiter"]),
        ("designs/[ru]*", ["Rate Limiter", "URL Shortener"]),
        ("guide/*", []),
    ],
)
def test_where_path_takes_a_shell_pattern(pattern: str, expected: list[str]) -> None:
    assert column(render(f"table: designs\nwhere: {{path: '{pattern}'}}")) == expected


def test_where_glob_on_a_list_column_matches_any_value() -> None:
    assert column(render("table: designs\nwhere: {tags: 'cach*'}")) == ["URL Shortener"]


def test_sort_descending_by_date_puts_empty_cells_last() -> None:
    wrapper = render("table: designs\nsort: -updated")
    assert column(wrapper) == ["URL Shortener", "Rate Limiter", "old shortener"]
    header = wrapper.select_one("thead th[data-column=updated]")
    assert header is not None and header["aria-sort"] == "descending"
    assert column(render("table: designs\nsort: updated")) == [
        "Rate Limiter",
        "URL Shortener",
        "old shortener",
    ]


def test_sort_by_numbers_is_numeric() -> None:
    assert column(render("table: designs\nsort: progress")) == [
        "old shortener",
        "URL Shortener",
        "Rate Limiter",
    ]
    assert column(render("table: designs\nsort: [-progress]")) == [
        "Rate Limiter",
        "URL Shortener",
        "old shortener",
    ]


def test_sort_by_status_follows_the_configured_order() -> None:
    # draft, in-review, approved, implemented, deprecated, superseded
    assert column(render("table: designs\nsort: status")) == [
        "URL Shortener",
        "Rate Limiter",
        "old shortener",
    ]


def test_sort_by_several_keys_is_stable() -> None:
    extra = Design(path="designs/a.md", title="Alpha", status="approved", owners=["zed"])
    handbook = make_handbook(url_shortener(), rate_limiter(), old_shortener(), extra)
    wrapper = render("table: designs\nsort: [status, -title]", handbook)
    assert column(wrapper) == ["URL Shortener", "Rate Limiter", "Alpha", "old shortener"]
    wrapper = render("table: designs\nsort: 'status, title'", handbook)
    assert column(wrapper) == ["URL Shortener", "Alpha", "Rate Limiter", "old shortener"]


def test_limit_keeps_the_first_rows_after_sorting() -> None:
    wrapper = render("table: designs\nsort: -progress\nlimit: 2")
    assert column(wrapper) == ["Rate Limiter", "URL Shortener"]


def test_columns_choose_and_order_the_columns() -> None:
    wrapper = render("table: designs\ncolumns: [progress, title]\nsort: title")
    assert columns(wrapper) == ["progress", "title"]
    assert rows(wrapper)[0] == ["0%", "old shortener"]


def test_labels_override_headers() -> None:
    wrapper = render("table: designs\ncolumns: [title, owners]", labels={"owners": "Eigentümer"})
    assert headers(wrapper) == ["Design", "Eigentümer"]


# --- checklist ---------------------------------------------------------------------------


def test_checklist_has_one_column_per_step_with_states_and_section_links() -> None:
    wrapper = render("table: checklist")
    assert columns(wrapper) == ["title", *StepRegistry.default().ids]
    assert headers(wrapper)[1:3] == ["Requirements", "Core Entities"]
    row = wrapper.select("tbody tr")[2]
    cells = row.find_all("td")
    assert cells[0].get_text() == "URL Shortener"
    states = [cell["data-state"] for cell in cells[1:]]
    assert states == ["complete", "missing", "missing", "missing", "missing", "partial"]
    assert [cell.get_text() for cell in cells[1:]] == [
        "Complete",
        "Missing",
        "Missing",
        "Missing",
        "Missing",
        "Partial",
    ]
    assert href(cells[1].find("a")) == "../designs/url-shortener.md#requirements"
    assert href(cells[6].find("a")) == "../designs/url-shortener.md#deep-dives"
    assert cells[2].find("a") is None
    assert [cell["data-sort"] for cell in cells[1:3]] == ["2", "0"]


def test_checklist_states_are_marks_with_their_word_for_screen_readers_and_tooltips() -> None:
    wrapper = render("table: checklist\ncolumns: [title, requirements, core-entities]")
    cells = wrapper.select("tbody tr")[2].find_all("td")[1:]
    # The CSS draws the panel's icon for the state; the word stays in the cell and its title.
    for cell, word, linked in ((cells[0], "Complete", True), (cells[1], "Missing", False)):
        mark = cell.select_one(".sysdesign-table__state")
        assert mark is not None and mark.name == ("a" if linked else "span")
        assert mark.get_text() == word and mark["title"] == word


def test_checklist_labels_and_filters_on_states() -> None:
    wrapper = render(
        "table: checklist\nwhere: {deep-dives: complete}",
        labels={"complete": "Done", "missing": "To do"},
    )
    assert rows(wrapper) == [["Rate Limiter", "To do", "To do", "To do", "Done", "To do", "Done"]]


def test_checklist_follows_the_registry_in_force() -> None:
    registry = StepRegistry.from_config({"capacity": {"title": "Capacity estimates"}})
    wrapper = render(
        "table: checklist\ncolumns: [title, capacity]", make_handbook(registry=registry)
    )
    assert headers(wrapper) == ["Design", "Capacity estimates"]
    assert {cell["data-state"] for cell in wrapper.select("tbody td[data-state]")} == {"missing"}


def test_checklist_sorted_by_a_step_state() -> None:
    wrapper = render("table: checklist\ncolumns: [title, deep-dives]\nsort: -deep-dives")
    assert column(wrapper) == ["Rate Limiter", "URL Shortener", "old shortener"]


# --- glossary and terms ------------------------------------------------------------------


def test_glossary_sorted_by_category_then_term_with_links() -> None:
    wrapper = render("table: glossary")
    assert headers(wrapper) == ["Term", "Category", "Summary"]
    assert column(wrapper) == ["CAP theorem", "TCP", "ACID", "BASE"]
    first = wrapper.select_one("tbody td a")
    assert first is not None and first["href"] == "../glossary/cap-theorem.md"


def test_glossary_aliases_and_filters() -> None:
    wrapper = render("table: glossary\ncolumns: [term, aliases]\nwhere: {aliases: cap}")
    assert rows(wrapper) == [["CAP theorem", "CAP"]]
    wrapper = render("table: glossary\nwhere: {category: storage}\nsort: -term")
    assert column(wrapper) == ["BASE", "ACID"]


def test_terms_lists_the_designs_that_mention_each_term() -> None:
    wrapper = render("table: terms")
    assert columns(wrapper) == ["term", "designs", "count"]
    assert rows(wrapper) == [
        ["ACID", "Rate Limiter , URL Shortener", "2"],
        ["CAP theorem", "URL Shortener", "1"],
    ]
    links = [a["href"] for a in wrapper.select("tbody tr")[0].find_all("td")[1].find_all("a")]
    assert links == ["../designs/rate-limiter.md", "../designs/url-shortener.md"]


def test_terms_where_count_lists_unused_terms() -> None:
    wrapper = render("table: terms\nwhere: {count: 0}")
    assert column(wrapper) == ["BASE", "TCP"]


def test_terms_sorted_by_count() -> None:
    wrapper = render("table: terms\nsort: [-count, term]\nwhere: {designs: rate limiter}")
    assert column(wrapper) == ["ACID"]


# --- entities and api --------------------------------------------------------------------


def test_entities_of_every_design_with_properties() -> None:
    wrapper = render("table: entities")
    assert columns(wrapper) == ["design", "entity", "properties", "notes"]
    assert rows(wrapper) == [
        ["Rate Limiter", "Bucket", "tokens: int", ""],
        ["URL Shortener", "Link", "code: string target: url", "One per short code."],
        ["URL Shortener", "Click", "at: timestamp", ""],
    ]
    items = wrapper.select("tbody tr")[1].select("li")
    assert [li.get_text() for li in items] == ["code: string", "target: url"]
    assert href(wrapper.select_one("tbody a")) == "../designs/rate-limiter.md"


def test_a_block_read_once_renders_over_a_later_handbook() -> None:
    """A host checks the block while its page converts and renders it once all are known."""
    query, problems = read_sysdesign_block("table: terms\ncolumns: [term, count]", make_handbook())
    assert problems == [] and query is not None
    later = make_handbook()
    for design in later.designs.values():
        design.terms = ("tcp",)
    soup = BeautifulSoup(render_table(query, later, link), "html.parser")
    assert rows(soup.select_one(".sysdesign-table")) == [["TCP", "3"]]


def test_reading_a_block_reports_what_rendering_it_would() -> None:
    source = "table: designs\ncolumns: [title, colour]"
    query, problems = read_sysdesign_block(source, make_handbook())
    html, rendered = render_sysdesign_block(source, make_handbook(), link)
    assert query is None and html is None
    assert problems == rendered and [p.line for p in problems] == [2]


def test_entities_filter_on_property_names() -> None:
    wrapper = render("table: entities\nwhere: {properties: target}\ncolumns: [entity]")
    assert rows(wrapper) == [["Link"]]


def test_api_lists_every_route() -> None:
    wrapper = render("table: api")
    assert columns(wrapper) == [
        "design",
        "method",
        "path",
        "parameters",
        "returns",
        "auth",
        "protocol",
    ]
    assert rows(wrapper) == [
        ["Rate Limiter", "GET", "/v1/limits", "", "", "", "gRPC"],
        [
            "URL Shortener",
            "POST",
            "/v1/links",
            "target: url",
            "201 with the code",
            "API key",
            "REST",
        ],
        ["URL Shortener", "GET", "/{code}", "", "301 redirect", "", "REST"],
    ]


def test_api_filter_by_method_case_insensitively() -> None:
    wrapper = render("table: api\nwhere: {method: get}\ncolumns: [path]\nsort: path")
    assert rows(wrapper) == [["/v1/limits"], ["/{code}"]]


# --- deep dives and reviews --------------------------------------------------------------


def test_deep_dives_marks_each_item_and_links_to_the_section() -> None:
    wrapper = render("table: deep-dives")
    assert columns(wrapper) == [
        "title",
        "scalability",
        "consistency",
        "latency",
        "fault-tolerance",
        "security",
    ]
    assert headers(wrapper)[4] == "Fault tolerance"
    old, limiter, shortener = wrapper.select("tbody tr")
    cells = shortener.find_all("td")
    assert [cell["data-done"] for cell in cells[1:]] == ["true", "false", "false", "false", "false"]
    assert cells[1].get_text() == "✓ Yes"
    assert cells[2].get_text() == "✗ No"
    assert href(cells[1].find("a")) == "../designs/url-shortener.md#deep-dives"
    assert (
        href(limiter.find_all("td")[5].find("a")) == "../designs/rate-limiter.md#scale-the-design"
    )
    assert old.find_all("td")[1].find("a") is None
    assert old.find_all("td")[1]["data-done"] == "false"


def test_deep_dives_filter_on_done() -> None:
    assert column(render("table: deep-dives\nwhere: {scalability: yes}")) == [
        "Rate Limiter",
        "URL Shortener",
    ]
    assert column(render("table: deep-dives\nwhere: {security: false}")) == [
        "old shortener",
        "URL Shortener",
    ]


def test_reviews_show_scores_and_average_and_omit_unreviewed_designs() -> None:
    wrapper = render("table: reviews")
    assert columns(wrapper) == [
        "title",
        "problem-solving",
        "solution-design",
        "technical-excellence",
        "communication",
        "steering",
        "average",
    ]
    assert rows(wrapper) == [
        ["Rate Limiter", "", "", "", "3", "4", "3.5"],
        ["URL Shortener", "4", "3", "4", "5", "4", "4.0"],
    ]


def test_reviews_where_average_null_lists_designs_waiting_for_review() -> None:
    assert column(render("table: reviews\nwhere: {average: null}")) == ["old shortener"]
    assert column(render("table: reviews\nsort: -average\nwhere: {average: '>=4'}")) == [
        "URL Shortener"
    ]


# --- graph -------------------------------------------------------------------------------


def test_graph_is_a_mermaid_diagram_with_a_plain_list_of_edges() -> None:
    wrapper = render("table: graph")
    assert wrapper["class"] == ["sysdesign-graph"]
    assert wrapper["data-table"] == "graph"
    code = wrapper.select_one("pre.mermaid > code")
    assert code is not None
    lines = code.get_text().splitlines()
    assert lines[0] == "graph LR"
    assert '    n0["old shortener"]' in lines
    assert '    n2["URL Shortener"]' in lines
    assert "    n2 ==>|supersedes| n0" in lines
    # related both ways is one edge
    assert [line for line in lines if "related" in line] == ["    n1 -.->|related| n2"]
    items = wrapper.select("ul.sysdesign-graph-edges > li")
    assert [li.get_text(" ", strip=True) for li in items] == [
        "Rate Limiter related URL Shortener",
        "URL Shortener supersedes old shortener",
    ]
    assert items[1].find_all("a")[1]["href"] == "../designs/old-shortener.md"


def test_graph_filters_designs_and_drops_edges_to_hidden_ones() -> None:
    wrapper = render("table: graph\nwhere: {status: [in-review, superseded]}")
    code = wrapper.select_one("pre.mermaid > code")
    assert code is not None
    assert "related" not in code.get_text()
    assert len(wrapper.select("ul.sysdesign-graph-edges > li")) == 1


def test_graph_labels_are_escaped_for_mermaid_and_html() -> None:
    evil = Design(path="designs/e.md", title=f'Chat "v2" {EVIL}', related=["designs/x.md"])
    wrapper = render("table: graph", make_handbook(evil))
    assert wrapper.find("script") is None
    code = wrapper.select_one("pre.mermaid > code")
    assert code is not None
    assert code.get_text().splitlines()[1] == f'    n0["{mermaid_text(evil.title)}"]'
    assert '"v2"' not in code.get_text()
    assert "<script>" not in code.get_text()
    assert mermaid_text('a "b" <c>') == "a #34;b#34; #60;c#62;"


def test_graph_takes_no_columns() -> None:
    [problem] = problems_of("table: graph\ncolumns: [title]")
    assert problem.line == 2
    assert "columns" in problem.message


# --- escaping ----------------------------------------------------------------------------


def evil_design() -> Design:
    return Design(
        path="designs/evil.md",
        title=f"{EVIL} Chat",
        owners=[EVIL],
        summary=f"Summary {EVIL}",
        tags=[EVIL],
        review={"steering": 3},
        entities=[Entity(EVIL, [Property(EVIL, "<b>")], notes=EVIL)],
        routes=[Route("GET", f"/x?{EVIL}", returns=EVIL)],
        terms=("acid",),
    )


@pytest.mark.parametrize("name", [name for name in TABLES if name != "graph"])
def test_user_text_is_escaped_in_every_table(name: str) -> None:
    handbook = make_handbook(evil_design())
    handbook.terms["acid"].summary = EVIL
    wrapper = render(
        f"table: {name}\ncolumns: {list(TABLES[name].columns)}\n"
        + ("where: {count: '>=0'}" if name == "terms" else ""),
        handbook,
    )
    assert wrapper.find("script") is None
    assert wrapper.find("b") is None


def test_escaped_text_reads_as_written() -> None:
    wrapper = render(
        "table: designs\ncolumns: [title, owners, summary]", make_handbook(evil_design())
    )
    assert rows(wrapper) == [[f"{EVIL} Chat", EVIL, f"Summary {EVIL}"]]
    assert column(render("table: entities", make_handbook(evil_design())), 1) == [EVIL]


# --- bad blocks --------------------------------------------------------------------------


def test_unknown_table_names_the_valid_ones_and_suggests() -> None:
    [problem] = problems_of("table: desings")
    assert problem.line == 1
    assert problem.message.startswith(
        "unknown table 'desings'; expected one of steps, designs, checklist, glossary, terms, "
        "entities, api, deep-dives, reviews, graph"
    )
    assert "did you mean 'designs'?" in problem.message


def test_missing_table() -> None:
    [problem] = problems_of("columns: [title]")
    assert problem.line == 1
    assert "missing key 'table'" in problem.message


def test_unknown_key_names_the_valid_keys() -> None:
    [problem] = problems_of("table: designs\nsort: title\ncolums: [title]")
    assert problem.line == 3
    assert problem.message == (
        "unknown key 'colums'; expected one of table, where, columns, sort, limit, title; "
        "did you mean 'columns'?"
    )


def test_unknown_column_in_columns_where_and_sort_each_named_on_its_line() -> None:
    problems = problems_of(
        """
        table: designs
        columns:
          - title
          - ownrs
        where:
          status: approved
          stauts: draft
        sort: [-updatd]
        """
    )
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (4, "unknown column 'ownrs' in columns"),
        (7, "unknown column 'stauts' in where"),
        (8, "unknown sort key 'updatd'"),
    ]
    assert "did you mean 'owners'?" in problems[0].message
    assert "expected one of title, status, owners, reviewers" in problems[1].message
    assert "did you mean 'updated'?" in problems[2].message


def test_unknown_column_of_the_chosen_table() -> None:
    [problem] = problems_of("table: glossary\ncolumns: [term, owners]")
    assert problem.line == 2
    assert "expected one of term, category, summary, aliases, abbr, path" in problem.message


@pytest.mark.parametrize(
    ("source", "line"),
    [
        ("table: [designs", 1),
        ("table: designs\nwhere: {status: approved\nsort: title", 3),
        ("table: designs\n  columns: x", 2),
    ],
)
def test_yaml_that_does_not_parse(source: str, line: int) -> None:
    [problem] = problems_of(source)
    assert problem.line == line
    assert problem.message.startswith("expected a mapping with table, where, columns, sort, limit")


@pytest.mark.parametrize("source", ["- table: designs", "designs", ""])
def test_a_body_that_is_not_a_mapping(source: str) -> None:
    [problem] = problems_of(source)
    assert problem == Problem(1, "expected a mapping with table, where, columns, sort, limit")


@pytest.mark.parametrize(
    ("source", "line", "message"),
    [
        ("table: designs\nlimit: 0", 2, "limit: expected a positive whole number, got 0"),
        ("table: designs\nlimit: ten", 2, "limit: expected a positive whole number, got 'ten'"),
        (
            "table: designs\nwhere:\n  progress: lots",
            3,
            "where.progress: expected a number or a comparison such as '>=50', got 'lots'",
        ),
        (
            "table: designs\nwhere:\n  updated: [2026-01-01, soon]",
            3,
            "where.updated: expected a date (YYYY-MM-DD) or a comparison such as "
            "'>=2026-01-01', got 'soon'",
        ),
        (
            "table: checklist\nwhere: {api: done}",
            2,
            "where.api: unknown state 'done'; expected one of complete, partial, missing",
        ),
        ("table: deep-dives\nwhere: {security: maybe}", 2, "where.security: expected yes or no"),
        ("table: designs\nwhere: [status]", 2, "where: expected a mapping of column"),
        ("table: designs\nwhere: {owners: {a: b}}", 2, "where.owners: expected a value or a list"),
        ("table: designs\ncolumns: []", 2, "columns: expected at least one column"),
        ("table: designs\nsort: [1]", 2, "sort: expected a column name"),
        ("table: designs\ntitle: [a]", 2, "title: expected text, got a list"),
    ],
)
def test_bad_values_name_the_line_and_what_was_expected(
    source: str, line: int, message: str
) -> None:
    [problem] = problems_of(source)
    assert problem.line == line
    assert problem.message.startswith(message)


def test_unknown_status_in_where_is_a_problem_with_a_suggestion() -> None:
    [problem] = problems_of("table: designs\nwhere:\n  status: [approved, aproved]")
    assert problem.line == 3
    assert problem.message.startswith(
        "where.status: unknown status 'aproved'; expected one of draft"
    )
    assert problem.message.endswith("did you mean 'approved'?")


def test_empty_keys_fall_back_to_the_defaults() -> None:
    wrapper = render("table: designs\nwhere:\ncolumns:\nsort:\nlimit:")
    assert columns(wrapper) == list(TABLES["designs"].default_columns)
    assert len(rows(wrapper)) == 3


def test_problem_lines_count_from_the_first_content_line() -> None:
    source = "\n\ntable: designs\n\nsort: nope"
    html, problems = render_sysdesign_block(source, make_handbook(), link)
    assert html is None
    assert [problem.line for problem in problems] == [5]


# --- the sorting script ------------------------------------------------------------------


def test_tables_script_is_small_and_hooks_into_material() -> None:
    script = (ASSETS / "sysdesign-tables.js").read_text(encoding="utf-8")
    start_up = (ASSETS / "sysdesign.js").read_text(encoding="utf-8")
    assert len(script.encode("utf-8")) < 8 * 1024
    assert ".sysdesign-table table" in script
    # The start-up (page load, and each page of Material's instant navigation) is shared.
    assert "window.sysdesign.onPage(enhance)" in script
    assert "DOMContentLoaded" not in script and "document$" not in script
    assert "DOMContentLoaded" in start_up
    assert "document$" in start_up and ".subscribe(" in start_up
    assert "aria-sort" in script and "data-sort" in script
    for text in (script, start_up):
        assert "http://" not in text and "https://" not in text
