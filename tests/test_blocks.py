"""The structured blocks: entity, api and dataflow, parsed and rendered as pure functions."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
from html import unescape
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup, Tag
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown.serializers import to_html_string

from mkdocs_sysdesign.blocks import (
    MERMAID_CONFIG,
    ApiSpec,
    api_items,
    parse_api,
    parse_dataflow,
    parse_entity,
    render_api,
    render_as_written,
    render_dataflow,
    render_entities,
    to_mermaid,
)
from mkdocs_sysdesign.extension import full_view, mark_for_search, search_view
from mkdocs_sysdesign.glossary import term_link
from mkdocs_sysdesign.model import (
    Entity,
    FlowStep,
    Parameter,
    Problem,
    Property,
    Route,
    Term,
)

MERMAID_JS = (
    Path(__file__).resolve().parent.parent
    / "mkdocs_sysdesign"
    / "assets"
    / "mermaid"
    / "mermaid.min.js"
)
SCRIPT = "<script>alert(1)</script>"


def block(text: str) -> str:
    """A block's content as the author writes it, without the fences."""
    return textwrap.dedent(text).lstrip("\n")


def html(markup: str) -> BeautifulSoup:
    return BeautifulSoup(markup, "html.parser")


def one(soup: BeautifulSoup | Tag, selector: str) -> Tag:
    found = soup.select_one(selector)
    assert found is not None, f"no {selector} in {soup}"
    return found


def texts(soup: BeautifulSoup | Tag, selector: str) -> list[str]:
    return [" ".join(tag.get_text(" ", strip=True).split()) for tag in soup.select(selector)]


def table_rows(table: Tag) -> list[list[str]]:
    return [
        [" ".join(cell.get_text(" ", strip=True).split()) for cell in row.find_all(["td", "th"])]
        for row in table.select("tbody tr")
    ]


def parsed_entities(text: str) -> list[Entity]:
    entities, problems = parse_entity(block(text))
    assert problems == []
    assert entities is not None
    return entities


def parsed_api(text: str) -> ApiSpec:
    spec, problems = parse_api(block(text))
    assert problems == []
    assert spec is not None
    return spec


def parsed_flow(text: str) -> list[FlowStep]:
    steps, problems = parse_dataflow(block(text))
    assert problems == []
    assert steps is not None
    return steps


# --------------------------------------------------------------------------- entity


def test_entity_short_form_is_one_mapping_of_property_to_type() -> None:
    entities = parsed_entities(
        """
        name: Bucket                      # one entity as a mapping
        notes: One token bucket per API key and route.
        properties:                       # short form
          bucket_key: string
          tokens: int
        """
    )
    assert entities == [
        Entity(
            name="Bucket",
            notes="One token bucket per API key and route.",
            properties=[Property("bucket_key", "string"), Property("tokens", "int")],
            line=1,
        )
    ]
    soup = html(render_entities(entities))
    div = one(soup, "div.sysdesign-entity")
    assert div["data-entity"] == "Bucket"
    assert one(div, ".sysdesign-entity__name").get_text() == "Bucket"
    assert one(div, ".sysdesign-entity__notes").get_text() == (
        "One token bucket per API key and route."
    )
    table = one(div, "table")
    assert texts(table, "thead th") == ["Property", "Type"]
    assert table_rows(table) == [["bucket_key", "string"], ["tokens", "int"]]
    assert [row["data-property"] for row in table.select("tbody tr")] == ["bucket_key", "tokens"]


def test_entity_long_form_is_a_list_of_properties_with_notes() -> None:
    entities = parsed_entities(
        """
        - name: Message
          properties:                     # long form
            - name: body
              type: text
              notes: up to 4,000 characters
            - name: id
              type: uuid
        """
    )
    assert entities == [
        Entity(
            name="Message",
            properties=[Property("body", "text", "up to 4,000 characters"), Property("id", "uuid")],
            line=1,
        )
    ]
    table = one(html(render_entities(entities)), "div.sysdesign-entity table")
    assert texts(table, "thead th") == ["Property", "Type", "Notes"]
    assert table_rows(table) == [["body", "text", "up to 4,000 characters"], ["id", "uuid", ""]]


def test_a_list_of_entities_renders_one_div_per_entity_with_its_line() -> None:
    entities = parsed_entities(
        """
        - name: User
          description: Someone who signs in.
          properties: {id: uuid, email: string}

        - name: Session
          properties:
            user_id: uuid
        """
    )
    assert [(e.name, e.line, e.notes) for e in entities] == [
        ("User", 1, "Someone who signs in."),
        ("Session", 5, ""),
    ]
    soup = html(render_entities(entities))
    divs = soup.select("div.sysdesign-entity")
    assert [div["data-entity"] for div in divs] == ["User", "Session"]
    assert [len(div.select("tbody tr")) for div in divs] == [2, 1]


def test_property_value_may_be_a_mapping_with_key_and_required_flags() -> None:
    entities = parsed_entities(
        """
        name: Url
        properties:
          code: {type: string, key: true, description: the short code}
          target: {type: string, required: yes}
          clicks: int
        """
    )
    assert entities[0].properties == [
        Property("code", "string", "the short code", key=True),
        Property("target", "string", required=True),
        Property("clicks", "int"),
    ]
    table = one(html(render_entities(entities)), "table")
    assert texts(table, "thead th") == ["Property", "Type", "Flags", "Notes"]
    assert table_rows(table) == [
        ["code", "string", "key", "the short code"],
        ["target", "string", "required", ""],
        ["clicks", "int", "", ""],
    ]
    flags = [flag["data-flag"] for flag in table.select(".sysdesign-entity__flag")]
    assert flags == ["key", "required"]


def test_long_form_property_carries_key_and_required_too() -> None:
    entities = parsed_entities(
        """
        name: Account
        properties:
          - {name: id, type: uuid, key: true, required: true}
          - {name: nickname, type: string, key: false}
        """
    )
    assert entities[0].properties == [
        Property("id", "uuid", key=True, required=True),
        Property("nickname", "string"),
    ]
    row = one(html(render_entities(entities)), "tbody tr")
    assert texts(row, ".sysdesign-entity__flag") == ["key", "required"]


def test_values_yaml_reads_as_non_strings_are_shown_as_written() -> None:
    entities = parsed_entities(
        """
        name: Odd
        properties:
          created: 2026-10-01
          count: 10
          enabled: yes
          ratio: 1e3
          nothing:
          7: int
        """
    )
    assert [(p.name, p.type) for p in entities[0].properties] == [
        ("created", "2026-10-01"),
        ("count", "10"),
        ("enabled", "yes"),
        ("ratio", "1e3"),
        ("nothing", ""),
        ("7", "int"),
    ]
    table = one(html(render_entities(entities)), "table")
    assert [row[1] for row in table_rows(table)] == ["2026-10-01", "10", "yes", "1e3", "", "int"]


def test_entity_without_properties_has_no_empty_table() -> None:
    entities = parsed_entities("name: Tag\nnotes: a label\n")
    assert entities == [Entity(name="Tag", notes="a label", line=1)]
    div = one(html(render_entities(entities)), "div.sysdesign-entity")
    assert div.find("table") is None
    assert div.get_text(" ", strip=True) == "Tag a label"


def test_a_bare_name_in_the_long_form_is_a_property_without_type() -> None:
    entities = parsed_entities("name: T\nproperties:\n  - id\n  - {name: x, type: int}\n")
    assert entities[0].properties == [Property("id"), Property("x", "int")]


def test_yaml_anchors_and_merge_keys_are_resolved_without_warnings() -> None:
    entities = parsed_entities(
        """
        - name: Base
          properties: &common
            id: uuid
            created: timestamp
        - name: Post
          properties:
            <<: *common
            created: date
            body: text
        """
    )
    # As in YAML, a key written beside the merge overrides the merged one.
    assert [(p.name, p.type) for p in entities[1].properties] == [
        ("id", "uuid"),
        ("created", "date"),
        ("body", "text"),
    ]
    assert [(p.name, p.type) for p in entities[0].properties] == [
        ("id", "uuid"),
        ("created", "timestamp"),
    ]


def test_a_key_written_twice_is_a_warning_and_the_last_wins() -> None:
    entities, problems = parse_entity("name: A\nname: B\n")
    assert entities == [Entity(name="B", line=1)]
    assert problems == [Problem(2, "entity: repeated key 'name'; expected each key once")]


def test_entity_renders_no_heading_elements() -> None:
    entities = parsed_entities("- name: A\n  properties: {x: int}\n- name: B\n")
    soup = html(render_entities(entities))
    assert soup.find(["h1", "h2", "h3", "h4", "h5", "h6"]) is None


def test_unknown_entity_key_is_a_warning_naming_the_valid_keys() -> None:
    entities, problems = parse_entity(
        block(
            """
            name: Bucket
            propertes:
              tokens: int
            """
        )
    )
    assert problems == [
        Problem(
            2,
            "entity: unknown key 'propertes'; expected one of name, notes, description, properties",
        )
    ]
    assert entities == [Entity(name="Bucket", line=1)]


def test_unknown_property_key_is_a_warning_with_its_line() -> None:
    entities, problems = parse_entity(
        block(
            """
            name: Bucket
            properties:
              - name: tokens
                type: int
                nullable: false
            """
        )
    )
    assert entities is not None
    assert entities[0].properties == [Property("tokens", "int")]
    assert len(problems) == 1
    assert problems[0].line == 5
    assert problems[0].message.startswith("entity: unknown key 'nullable' in entity 'Bucket'")
    assert problems[0].message.endswith(
        "; expected one of name, type, notes, description, key, required"
    )


def test_unknown_key_in_a_short_form_property_mapping_is_a_warning() -> None:
    entities, problems = parse_entity("name: B\nproperties:\n  x: {type: int, unique: true}\n")
    assert entities is not None
    assert entities[0].properties == [Property("x", "int")]
    assert [p.line for p in problems] == [3]
    assert "unknown key 'unique' in property 'x' in entity 'B'" in problems[0].message
    assert problems[0].message.endswith("expected one of type, notes, description, key, required")


def test_notes_and_description_together_keep_both_with_a_warning() -> None:
    entities, problems = parse_entity("name: B\nnotes: first\ndescription: second\n")
    assert entities == [Entity(name="B", notes="first\nsecond", line=1)]
    assert problems == [
        Problem(3, "entity: both notes and description in entity 'B'; expected one of them")
    ]


def test_repeated_property_is_a_warning_and_both_are_kept() -> None:
    entities, problems = parse_entity("name: B\nproperties:\n  - id\n  - name: id\n    type: int\n")
    assert entities is not None
    assert entities[0].properties == [Property("id"), Property("id", "int")]
    assert problems == [
        Problem(4, "entity: repeated property 'id' in entity 'B'; expected each name once")
    ]


def test_a_flag_that_is_not_a_boolean_is_a_warning() -> None:
    entities, problems = parse_entity("name: B\nproperties:\n  x: {type: int, key: maybe}\n")
    assert entities is not None
    assert entities[0].properties == [Property("x", "int")]
    assert len(problems) == 1
    assert problems[0].line == 3
    assert "key in property 'x' in entity 'B' is the text 'maybe'" in problems[0].message
    assert problems[0].message.endswith("expected true or false")


@pytest.mark.parametrize(
    ("source", "line", "fragment"),
    [
        ("Bucket\n", 1, "entity: the block is the text 'Bucket'; expected a mapping or a list"),
        ("- name: A\n- Bucket\n", 2, "entity: an entity is the text 'Bucket'; expected"),
        ("notes: x\nproperties: {a: int}\n", 1, "entity: an entity has no name; expected"),
        ("name: A\nproperties: tokens\n", 2, "entity: properties in entity 'A' are the text"),
        ("name: A\nproperties:\n  a: [1, 2]\n", 3, "entity: property 'a' in entity 'A' is a list"),
        ("name: [A, B]\n", 1, "entity: the entity name is a list; expected text"),
        ("[]\n", 1, "entity: the list is empty; expected a mapping or a list"),
        ("", 1, "entity: the block is empty; expected a mapping or a list"),
        ("# only a comment\n", 1, "entity: the block is empty"),
    ],
)
def test_wrong_entity_shapes_do_not_parse(source: str, line: int, fragment: str) -> None:
    entities, problems = parse_entity(source)
    assert entities is None
    assert [p.line for p in problems] == [line]
    assert problems[0].message.startswith(fragment)
    assert "; expected" in problems[0].message


def test_property_list_entry_without_name_does_not_parse() -> None:
    entities, problems = parse_entity(
        block(
            """
            name: Message
            properties:
              - name: body
                type: text
              - type: uuid
                notes: the id
            """
        )
    )
    assert entities is None
    assert problems == [
        Problem(
            5,
            "entity: a property in entity 'Message' has no name; expected a mapping with name, "
            "type, notes (or the short form 'property: type' without dashes)",
        )
    ]


def test_invalid_yaml_in_entity_block_names_the_line() -> None:
    entities, problems = parse_entity("name: Bucket\nproperties:\n  tokens: int\n bad: [\n")
    assert entities is None
    assert len(problems) == 1
    assert problems[0].line == 4
    assert problems[0].message.startswith("invalid YAML in entity block: ")
    assert problems[0].message.endswith(
        "; expected a mapping or a list of mappings with name and properties"
    )


def test_tabs_are_invalid_yaml_with_their_line() -> None:
    entities, problems = parse_entity("name: A\nproperties:\n\tx: int\n")
    assert entities is None
    assert [p.line for p in problems] == [3]
    assert "found character '\\t' that cannot start any token" in problems[0].message


def test_script_in_every_entity_field_is_shown_as_text() -> None:
    entities, problems = parse_entity(
        block(
            f"""
            name: "{SCRIPT}"
            notes: "{SCRIPT} notes"
            properties:
              - name: "{SCRIPT} prop"
                type: "{SCRIPT} type"
                notes: "{SCRIPT} pnotes"
                key: true
            """
        )
    )
    assert problems == []
    assert entities is not None
    soup = html(render_entities(entities))
    assert soup.find("script") is None
    div = one(soup, "div.sysdesign-entity")
    assert div["data-entity"] == SCRIPT
    assert one(div, ".sysdesign-entity__name").get_text() == SCRIPT
    assert one(div, ".sysdesign-entity__notes").get_text() == f"{SCRIPT} notes"
    cells = [td.get_text() for td in div.select("tbody td")]
    assert cells == [f"{SCRIPT} prop", f"{SCRIPT} type", "key", f"{SCRIPT} pnotes"]


def test_entity_labels_can_be_overridden() -> None:
    entities = parsed_entities("name: A\nproperties:\n  x: {type: int, key: true, notes: n}\n")
    soup = html(
        render_entities(
            entities,
            labels={"property": "Eigenschaft", "type": "Typ", "flags": "F", "key": "Schlüssel"},
        )
    )
    assert texts(soup, "thead th") == ["Eigenschaft", "Typ", "F", "Notes"]
    assert texts(soup, ".sysdesign-entity__flag") == ["Schlüssel"]


# --------------------------------------------------------------------------- api

CHANNEL_API = """
protocol: REST over HTTPS
routes:
  - method: POST
    path: /v1/channels/{channel_id}/messages
    parameters:                   # a mapping name -> type/description
      channel_id: string
      body: string
    returns: 201 with the message id
  - method: GET
    path: /v1/channels/{channel_id}/messages
    parameters:                   # or a list of {name, type}
      - name: channel_id
        type: string
      - name: before
        type: timestamp
        description: only messages older than this
    returns: 200 with a page of messages
"""


def test_api_with_mapping_and_list_parameters() -> None:
    spec = parsed_api(CHANNEL_API)
    path = "/v1/channels/{channel_id}/messages"
    assert spec == ApiSpec(
        protocol="REST over HTTPS",
        routes=[
            Route(
                "POST",
                path,
                [Parameter("channel_id", "string"), Parameter("body", "string")],
                returns="201 with the message id",
                protocol="REST over HTTPS",
                line=3,
            ),
            Route(
                "GET",
                path,
                [
                    Parameter("channel_id", "string"),
                    Parameter("before", "timestamp", "only messages older than this"),
                ],
                returns="200 with a page of messages",
                protocol="REST over HTTPS",
                line=9,
            ),
        ],
    )
    soup = html(render_api(spec))
    div = one(soup, "div.sysdesign-api")
    assert div["data-protocol"] == "REST over HTTPS"
    assert one(div, ".sysdesign-api__protocol").get_text(" ", strip=True) == (
        "Protocol: REST over HTTPS"
    )
    table = one(div, "table")
    assert texts(table, "thead th") == ["Method", "Path", "Parameters", "Returns"]
    assert table_rows(table) == [
        ["POST", path, "channel_id : string body : string", "201 with the message id"],
        [
            "GET",
            path,
            "channel_id : string before : timestamp (only messages older than this)",
            "200 with a page of messages",
        ],
    ]
    first = one(table, "tbody tr")
    assert texts(first, "td:nth-of-type(-n+2) > code") == ["POST", path]
    assert texts(first, "ul.sysdesign-api__parameters li") == [
        "channel_id : string",
        "body : string",
    ]
    assert [tr["data-method"] for tr in table.select("tbody tr")] == ["POST", "GET"]


def test_api_items_are_those_the_block_states() -> None:
    assert api_items(parsed_api(CHANNEL_API)) == {"protocol", "routes", "parameters", "returns"}
    assert api_items(parsed_api("protocol: gRPC\n")) == {"protocol"}
    assert api_items(parsed_api("routes:\n  - {method: GET, path: /a}\n")) == {"routes"}
    assert api_items(parsed_api("protocol: ''\nroutes:\n  - {path: /a, returns: 200}\n")) == {
        "routes",
        "returns",
    }
    assert api_items(parsed_api("routes:\n  - {path: /a, parameters: {q: string}}\n")) == {
        "routes",
        "parameters",
    }
    assert api_items(ApiSpec(protocol="  ")) == set()


def test_auth_and_notes_columns_appear_only_when_a_route_has_them() -> None:
    plain = html(render_api(parsed_api("protocol: REST\nroutes:\n  - {method: GET, path: /a}\n")))
    assert texts(plain, "thead th") == ["Method", "Path", "Parameters", "Returns"]
    spec = parsed_api(
        """
        protocol: REST
        notes: All routes are versioned.
        routes:
          - {method: GET, path: /a, auth: bearer token}
          - {method: DELETE, path: "/a/{id}", description: soft delete}
        """
    )
    assert spec.notes == "All routes are versioned."
    assert [(r.auth, r.notes) for r in spec.routes] == [("bearer token", ""), ("", "soft delete")]
    soup = html(render_api(spec))
    assert one(soup, ".sysdesign-api__notes").get_text() == "All routes are versioned."
    assert texts(soup, "thead th") == ["Method", "Path", "Parameters", "Returns", "Auth", "Notes"]
    assert table_rows(one(soup, "table")) == [
        ["GET", "/a", "", "", "bearer token", ""],
        ["DELETE", "/a/{id}", "", "", "", "soft delete"],
    ]


def test_api_parameter_values_may_be_mappings_and_bare_names() -> None:
    spec = parsed_api(
        """
        routes:
          - path: /search
            parameters:
              q: {type: string, notes: the query}
              limit: 20
          - path: /feed
            parameters: [cursor, {name: size, type: int}]
        """
    )
    assert spec.routes[0].parameters == [
        Parameter("q", "string", "the query"),
        Parameter("limit", "20"),
    ]
    assert spec.routes[1].parameters == [Parameter("cursor"), Parameter("size", "int")]
    assert spec.routes[0].method == ""
    assert spec.protocol == ""
    soup = html(render_api(spec))
    assert soup.select_one(".sysdesign-api__protocol") is None
    assert texts(soup, "tbody tr:nth-of-type(2) li") == ["cursor", "size : int"]


def test_api_without_routes_shows_its_protocol_and_no_table() -> None:
    spec = parsed_api("protocol: WebSocket\n")
    assert spec == ApiSpec(protocol="WebSocket", routes=[])
    soup = html(render_api(spec))
    assert soup.find("table") is None
    assert one(soup, "div.sysdesign-api").get_text(" ", strip=True) == "Protocol: WebSocket"


def test_unknown_keys_in_api_and_route_are_warnings_and_the_block_renders() -> None:
    spec, problems = parse_api(
        block(
            """
            protocol: REST
            version: 2
            routes:
              - method: GET
                path: /a
                response: 200
            """
        )
    )
    assert spec is not None
    assert spec.routes == [Route("GET", "/a", protocol="REST", line=4)]
    assert problems == [
        Problem(
            2, "api: unknown key 'version'; expected one of protocol, notes, description, routes"
        ),
        Problem(
            6,
            "api: unknown key 'response' in a route; expected one of method, path, parameters, "
            "returns, auth, notes, description",
        ),
    ]


def test_unknown_key_in_a_parameter_is_a_warning() -> None:
    spec, problems = parse_api(
        "routes:\n  - path: /a\n    parameters:\n      - {name: q, kind: x}\n"
    )
    assert spec is not None
    assert spec.routes[0].parameters == [Parameter("q")]
    assert [p.line for p in problems] == [4]
    assert problems[0].message.startswith("api: unknown key 'kind' in route '/a'")
    assert problems[0].message.endswith("expected one of name, type, notes, description")


@pytest.mark.parametrize(
    ("source", "line", "fragment"),
    [
        ("- protocol: REST\n", 1, "api: the block is a list; expected a mapping with protocol"),
        ("protocol: REST\nroutes: /a\n", 2, "api: routes are the text '/a'; expected a list"),
        ("routes:\n  a: {path: /a}\n", 2, "api: routes are a mapping; expected a list"),
        ("routes:\n  - /a\n", 2, "api: a route is the text '/a'; expected a mapping"),
        (
            "routes:\n  - path: /a\n  - method: GET\n    returns: 200\n",
            3,
            "api: a route has no path; expected a mapping with method, path",
        ),
        ("routes:\n  - {path: /a, parameters: q}\n", 2, "api: parameters in route '/a' are"),
        (
            "routes:\n  - path: /a\n    parameters:\n      - {type: int}\n",
            4,
            "api: a parameter in route '/a' has no name",
        ),
        (
            "routes:\n  - method: GET\n    path: /a\n    returns: {200: ok}\n",
            4,
            "api: returns in route 'GET /a' is a mapping; expected text",
        ),
        ("protocol: [REST, gRPC]\n", 1, "api: protocol is a list; expected text"),
        ("", 1, "api: the block is empty; expected a mapping with protocol and routes"),
    ],
)
def test_wrong_api_shapes_do_not_parse(source: str, line: int, fragment: str) -> None:
    spec, problems = parse_api(source)
    assert spec is None
    assert [p.line for p in problems] == [line]
    assert problems[0].message.startswith(fragment)


def test_invalid_yaml_in_api_block_names_the_line() -> None:
    spec, problems = parse_api("protocol: REST\nroutes:\n  - method: GET\n    path: /a: b\n")
    assert spec is None
    assert len(problems) == 1
    assert problems[0].line == 4
    assert problems[0].message == (
        "invalid YAML in api block: mapping values are not allowed here (put a text holding "
        "': ' in quotes, or check the indentation); expected a mapping with protocol and routes"
    )


def test_warnings_before_a_fatal_problem_are_kept() -> None:
    spec, problems = parse_api("protocl: REST\nroutes: nope\n")
    assert spec is None
    assert [p.line for p in problems] == [1, 2]


def test_script_in_every_api_field_is_shown_as_text() -> None:
    s = SCRIPT
    spec, problems = parse_api(
        block(
            f"""
            protocol: "{s} proto"
            notes: "{s} notes"
            routes:
              - method: "{s} m"
                path: "{s} p"
                parameters:
                  "{s} k": "{s} v"
                  list: {{type: "{s} t", notes: "{s} n"}}
                returns: "{s} r"
                auth: "{s} a"
                notes: "{s} rn"
            """
        )
    )
    assert problems == []
    assert spec is not None
    soup = html(render_api(spec))
    assert soup.find("script") is None
    div = one(soup, "div.sysdesign-api")
    assert div["data-protocol"] == f"{s} proto"
    assert one(div, ".sysdesign-api__protocol").get_text() == f"Protocol: {s} proto"
    assert one(div, ".sysdesign-api__notes").get_text() == f"{s} notes"
    row = one(div, "tbody tr")
    assert row["data-method"] == f"{s} m"
    assert row["data-path"] == f"{s} p"
    cells = [td.get_text() for td in row.find_all("td")]
    assert cells == [
        f"{s} m",
        f"{s} p",
        f"{s} k: {s} vlist: {s} t ({s} n)",
        f"{s} r",
        f"{s} a",
        f"{s} rn",
    ]


# --------------------------------------------------------------------------- dataflow

SHORTENER_FLOW = """
# Creating a short link
Client -> API Gateway: POST /urls

API Gateway -> URL Service: create(long_url)
  # the service writes before it answers
URL Service --> API Gateway: 201 Created: code=abc
Client <- API Gateway: 201 Created
Analytics Queue <-- URL Service: link created
"""


def test_dataflow_reads_all_arrows_names_with_spaces_and_colons_in_labels() -> None:
    steps = parsed_flow(SHORTENER_FLOW)
    assert steps == [
        FlowStep("Client", "->", "API Gateway", "POST /urls", line=2),
        FlowStep("API Gateway", "->", "URL Service", "create(long_url)", line=4),
        FlowStep("URL Service", "-->", "API Gateway", "201 Created: code=abc", line=6),
        FlowStep("API Gateway", "->", "Client", "201 Created", line=7),
        FlowStep("URL Service", "-->", "Analytics Queue", "link created", line=8),
    ]


def test_a_reply_arrow_is_not_read_as_a_dash_and_a_request() -> None:
    assert parsed_flow("Cache-->DB: miss\nA-B -> C-D\n") == [
        FlowStep("Cache", "-->", "DB", "miss", line=1),
        FlowStep("A-B", "->", "C-D", "", line=2),
    ]


def test_arrows_inside_a_label_belong_to_the_label() -> None:
    assert parsed_flow("A -> B: converts x -> y\n") == [
        FlowStep("A", "->", "B", "converts x -> y", line=1)
    ]


def test_runs_of_spaces_inside_a_name_are_one_participant() -> None:
    steps = parsed_flow("API  Gateway -> DB\nDB --> API Gateway\n")
    assert {step.source for step in steps} == {"API Gateway", "DB"}


def test_dataflow_list_matches_the_arrows_one_to_one() -> None:
    steps = parsed_flow(SHORTENER_FLOW)
    soup = html(render_dataflow(steps))
    div = one(soup, "div.sysdesign-dataflow")
    items = div.select("ol.sysdesign-dataflow__steps > li")
    assert len(items) == len(steps)
    assert [" ".join(li.get_text().split()) for li in items] == [
        "Client → API Gateway: POST /urls",
        "API Gateway → URL Service: create(long_url)",
        "URL Service ⇢ API Gateway: 201 Created: code=abc",
        "API Gateway → Client: 201 Created",
        "URL Service ⇢ Analytics Queue: link created",
    ]
    assert [li["data-kind"] for li in items] == ["request", "request", "reply", "request", "reply"]
    for li, step in zip(items, steps, strict=True):
        assert one(li, ".sysdesign-dataflow__source").get_text() == step.source
        assert one(li, ".sysdesign-dataflow__target").get_text() == step.target


def test_a_step_without_label_has_no_colon_in_the_list() -> None:
    soup = html(render_dataflow(parsed_flow("A -> B\n")))
    li = one(soup, "ol.sysdesign-dataflow__steps li")
    assert li.get_text() == "A → B"
    assert li.select_one(".sysdesign-dataflow__label") is None


def test_to_mermaid_declares_participants_once_in_order_of_appearance() -> None:
    assert to_mermaid(parsed_flow(SHORTENER_FLOW)) == "\n".join(
        [
            *MERMAID_CONFIG,
            "sequenceDiagram",
            "    participant P1 as Client",
            "    participant P2 as API Gateway",
            "    participant P3 as URL Service",
            "    participant P4 as Analytics Queue",
            "    P1->>P2: POST /urls",
            "    P2->>P3: create(long_url)",
            "    P3-->>P2: 201 Created#58; code#61;abc",
            "    P2->>P1: 201 Created",
            "    P3-->>P4: link created",
        ]
    )


def test_to_mermaid_escapes_what_mermaid_reads_as_syntax() -> None:
    steps = [
        FlowStep("A;B", "->", "C#1", "x; y # z\nnext line"),
        FlowStep("C#1", "-->", "A;B", ""),
    ]
    assert to_mermaid(steps).splitlines() == [
        *MERMAID_CONFIG,
        "sequenceDiagram",
        "    participant P1 as A#59;B",
        "    participant P2 as C#35;1",
        "    P1->>P2: x#59; y #35; z next line",
        "    P2-->>P1:",
    ]


def test_dataflow_diagram_is_a_mermaid_pre_with_the_escaped_source() -> None:
    steps = parsed_flow("Browser -> <Edge> & CDN: GET <index>\n")
    soup = html(render_dataflow(steps))
    pre = one(soup, "div.sysdesign-dataflow > pre.mermaid")
    assert pre.find("code") is not None
    assert pre.get_text() == to_mermaid(steps)
    assert "participant P2 as #60;Edge#62; #38; CDN" in pre.get_text()


def test_script_in_names_and_labels_is_shown_as_text() -> None:
    steps = parsed_flow(f"{SCRIPT} -> {SCRIPT} db: {SCRIPT} label\n")
    soup = html(render_dataflow(steps))
    assert soup.find("script") is None
    li = one(soup, "ol.sysdesign-dataflow__steps li")
    assert one(li, ".sysdesign-dataflow__source").get_text() == SCRIPT
    assert one(li, ".sysdesign-dataflow__target").get_text() == f"{SCRIPT} db"
    assert one(li, ".sysdesign-dataflow__label").get_text() == f"{SCRIPT} label"
    assert li["data-source"] == SCRIPT
    assert (
        "participant P1 as #60;script#62;alert(1)#60;/script#62;"
        in one(soup, "pre.mermaid").get_text()
    )


def test_dataflow_labels_can_be_overridden() -> None:
    soup = html(render_dataflow(parsed_flow("A --> B\n"), labels={"reply": "Antwort"}))
    assert one(soup, ".sysdesign-dataflow__arrow")["title"] == "Antwort"


NO_ARROW = "expected SOURCE -> TARGET: LABEL with ->, --> or <-"


@pytest.mark.parametrize(
    ("source", "problems"),
    [
        (
            "# flow\n\nClient calls the API\nA -> B\n",
            [Problem(3, f"dataflow: line has no arrow; {NO_ARROW}")],
        ),
        ("A -> B\n -> B: x\n", [Problem(2, f"dataflow: arrow without a source; {NO_ARROW}")]),
        ("A -> : x\n", [Problem(1, f"dataflow: arrow without a target; {NO_ARROW}")]),
        ("A <- \n", [Problem(1, f"dataflow: arrow without a target; {NO_ARROW}")]),
        ("A ---> B\n", [Problem(1, f"dataflow: unknown arrow '--->'; {NO_ARROW}")]),
        ("A <-> B\n", [Problem(1, f"dataflow: unknown arrow '<->'; {NO_ARROW}")]),
        ("A => B\n", [Problem(1, f"dataflow: line has no arrow; {NO_ARROW}")]),
        (
            "A -> B -> C: x\n",
            [
                Problem(
                    1,
                    "dataflow: more than one arrow on a line; expected one arrow per line, "
                    "SOURCE -> TARGET: LABEL",
                )
            ],
        ),
        (
            "first line\nA -> B\nsecond: bad\n",
            [
                Problem(1, f"dataflow: line has no arrow; {NO_ARROW}"),
                Problem(3, f"dataflow: line has no arrow; {NO_ARROW}"),
            ],
        ),
        ("", [Problem(1, f"dataflow: the block has no arrows; {NO_ARROW}")]),
        ("# nothing yet\n\n", [Problem(1, f"dataflow: the block has no arrows; {NO_ARROW}")]),
    ],
)
def test_a_bad_dataflow_line_leaves_the_block_as_written(
    source: str, problems: list[Problem]
) -> None:
    assert parse_dataflow(source) == (None, problems)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js to run Mermaid")
def test_shipped_mermaid_reads_the_generated_diagram(tmp_path: Path) -> None:
    steps = parsed_flow(SHORTENER_FLOW) + [
        FlowStep("end", "->", "loop", "wrap it; #1 %% not a comment"),
        FlowStep("A: B, <c> @d", "-->", "end", ""),
    ]
    runner = tmp_path / "parse.cjs"
    runner.write_text(
        textwrap.dedent(
            """
            globalThis.window = globalThis;
            const fs = require("fs");
            require("vm").runInThisContext(fs.readFileSync(process.argv[2], "utf8"));
            const source = fs.readFileSync(0, "utf8");
            (async () => {
              await mermaid.parse(source);
              const diagram = await mermaid.mermaidAPI.getDiagramFromText(source);
              // Entity codes stay encoded until Mermaid draws the text: decode them as it does.
              const shown = (t) => t.replace(/ﬂ°°/g, "&#").replace(/ﬂ°/g, "&").replace(/¶ß/g, ";");
              const actors = [...diagram.db.getActors().values()].map((a) => shown(a.description));
              const messages = diagram.db.getMessages()
                .map((m) => [m.from, m.to, shown(m.message)]);
              console.log(JSON.stringify({actors, messages}));
            })().catch((error) => { console.error(String(error)); process.exit(1); });
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        ["node", str(runner), str(MERMAID_JS)],
        input=to_mermaid(steps),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    parsed: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    parsed["actors"] = [unescape(actor) for actor in parsed["actors"]]
    parsed["messages"] = [[*m[:2], unescape(m[2])] for m in parsed["messages"]]
    actors = ["Client", "API Gateway", "URL Service", "Analytics Queue", "end", "loop"]
    assert parsed["actors"] == [*actors, "A: B, <c> @d"]
    assert len(parsed["messages"]) == len(steps)
    assert parsed["messages"][0] == ["P1", "P2", "POST /urls"]
    assert parsed["messages"][2] == ["P3", "P2", "201 Created: code=abc"]
    assert parsed["messages"][5] == ["P5", "P6", "wrap it; #1 %% not a comment"]


# --------------------------------------------------------------------------- as written


def test_a_block_that_does_not_parse_is_shown_exactly_as_written() -> None:
    source = f"name: <b>Bucket</b> & co\nproperties: [\n  {SCRIPT}\n\n"
    soup = html(render_as_written(source, "entity"))
    pre = one(soup, "pre.sysdesign-invalid")
    code = one(pre, "code")
    assert code["class"] == ["language-entity"]
    assert code.get_text() == source
    assert soup.find("script") is None
    assert soup.find("b") is None


def test_as_written_escapes_the_language_too() -> None:
    soup = html(render_as_written("x", 'a" onclick="evil'))
    code = one(soup, "pre.sysdesign-invalid code")
    assert code.get("onclick") is None
    assert code["class"] == ['language-a"', 'onclick="evil']


# --------------------------------------------------------------------------- any input

_KEYS = st.sampled_from(
    ["name", "notes", "description", "properties", "type", "key", "required", "protocol"]
    + ["routes", "method", "path", "parameters", "returns", "auth", "<<", "x"]
)
_YAML_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=4),
    max_leaves=24,
)


@settings(max_examples=300, deadline=None)
@given(_YAML_VALUES)
def test_any_yaml_shape_parses_or_is_a_problem_never_an_exception(value: object) -> None:
    source = yaml.safe_dump(value)
    entities, entity_problems = parse_entity(source)
    if entities is None:
        assert entity_problems
    else:
        assert html(render_entities(entities)).select("div.sysdesign-entity")
    spec, api_problems = parse_api(source)
    if spec is None:
        assert api_problems
    else:
        assert html(render_api(spec)).select("div.sysdesign-api")
    for problem in entity_problems + api_problems:
        assert 1 <= problem.line <= source.count("\n") + 1
        assert "expected" in problem.message


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="AB -<>:#;\t\n", max_size=40))
def test_any_dataflow_text_parses_or_is_a_problem_never_an_exception(source: str) -> None:
    steps, problems = parse_dataflow(source)
    if steps is None:
        assert problems
        assert all(1 <= p.line <= max(1, len(source.splitlines())) for p in problems)
        return
    assert problems == []
    soup = html(render_dataflow(steps))
    assert len(soup.select("ol.sysdesign-dataflow__steps > li")) == len(steps)
    mermaid = to_mermaid(steps).splitlines()
    assert tuple(mermaid[: len(MERMAID_CONFIG)]) == MERMAID_CONFIG
    mermaid = mermaid[len(MERMAID_CONFIG) :]
    participants = {name for step in steps for name in (step.source, step.target)}
    assert len(mermaid) == 1 + len(participants) + len(steps)
    # Outside Mermaid's entity codes, no ';' or '#' is left to be read as syntax.
    for line in mermaid:
        assert not re.search(r"[;#\t]", re.sub(r"#\d+;", "", line)), line


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_as_written_keeps_every_character(source: str) -> None:
    code = one(html(render_as_written(source, "api")), "pre.sysdesign-invalid code")
    assert code.get_text() == source


def test_search_view_keeps_words_and_headings_and_full_view_restores_the_page() -> None:
    block = (
        '<div class="b"><pre class="mermaid"><code>A-&gt;&gt;B</code></pre>'
        "<ol><li>A &amp; B</li></ol></div>"
    )
    links = '<section><h2 id="r">Referenced by</h2>\n<ul><li><a href="x/">X</a></li></ul></section>'
    page = f"<p>Intro</p>{mark_for_search(block)}<p>Middle</p>{mark_for_search(links)}"
    view = search_view(page)
    assert view.content == (
        "<p>Intro</p><!--sysdesign-search--><p>A &amp; B</p><!--/sysdesign-search-->"
        '<p>Middle</p><!--sysdesign-search--><h2 id="r">Referenced by</h2><p>X</p>'
        "<!--/sysdesign-search-->"
    )
    assert full_view(view.content, view) == f"<p>Intro</p>{block}<p>Middle</p>{links}"
    # Without a search view, only the marks go.
    assert full_view(page, None) == f"<p>Intro</p>{block}<p>Middle</p>{links}"


def _term(term_id: str, label: str) -> str:
    link = term_link(Term(term_id, label, f"g/{term_id}.md", summary="S"), label, "u/")
    return to_html_string(link)


def test_search_view_reads_glossary_links_as_their_labels() -> None:
    cache, shard = _term("cache", "cache"), _term("shard", "shards & more")
    page = f"<p>A {cache} and {shard}.</p>"
    view = search_view(page)
    assert view.content == "<p>A cache and shards &amp; more.</p>"
    assert full_view(view.content, view) == page


def test_full_view_puts_links_back_when_another_plugin_rewrote_the_page() -> None:
    cache = _term("cache", "cache")
    block = '<div class="cache">cache</div>'
    page = f'<p class="cache">Intro</p>{mark_for_search(block)}<p>A {cache} here.</p>'
    view = search_view(page)
    rewritten = "<p>Added first: cache.</p>" + view.content
    restored = full_view(rewritten, view)
    # The link goes to the first place after the start where its label is text outside
    # the regions: not in an attribute, not in the block.
    assert restored == (
        f'<p>Added first: {cache}.</p><p class="cache">Intro</p>{block}<p>A cache here.</p>'
    )
    assert full_view("<p>No label left.</p>", view) == "<p>No label left.</p>"


def test_parse_results_are_shared_by_text_and_the_oldest_go_first() -> None:
    from mkdocs_sysdesign.blocks import _ParseCache

    calls: list[str] = []

    def parse(text: str) -> list[str]:
        calls.append(text)
        return [text]

    cache = _ParseCache(parse, maxsize=2)
    first = cache("a")
    assert cache("a") is first and calls == ["a"]
    cache("b")
    cache("c")  # "a" is the oldest and goes
    cache("b")
    cache("a")
    assert calls == ["a", "b", "c", "a"]
    assert parse_entity("name: A\n") is parse_entity("name: A\n")


def test_the_last_read_of_a_block_takes_its_parse_out_of_the_cache() -> None:
    from mkdocs_sysdesign.blocks import _ParseCache

    calls: list[str] = []

    def parse(text: str) -> list[str]:
        calls.append(text)
        return [text]

    cache = _ParseCache(parse)
    first = cache("a")
    assert cache("a", last=True) is first and calls == ["a"]
    assert cache.results == {}
    # Read for the last time without an earlier read: parsed, and still not kept.
    cache("b", last=True)
    assert calls == ["a", "b"] and cache.results == {}
    assert cache("a") is not first and calls == ["a", "b", "a"]


@pytest.mark.parametrize(
    ("source", "line", "hint"),
    [
        ("name: A\nproperties:\n  a: int\n b: int", 4, "check the indentation of this line"),
        ("name: A\nproperties:\n\t- a", 3, "indent with spaces, not tabs"),
        ("name: A\nproperties: [a, b", 2, "a '[' is not closed by ']'"),
        ("name: 'A\nproperties: []", 2, "a quote is not closed"),
    ],
)
def test_invalid_yaml_keeps_pyyaml_wording_and_adds_plain_advice(
    source: str, line: int, hint: str
) -> None:
    entities, problems = parse_entity(source)
    assert entities is None
    [problem] = problems
    assert problem.line == line
    assert problem.message.startswith("invalid YAML in entity block: ")
    assert f"({hint}" in problem.message
