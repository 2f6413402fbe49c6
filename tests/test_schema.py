"""The front-matter schema is generated from the reader's field tables and agrees with it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from test_cli import front_matter

from mkdocs_sysdesign.cli.scaffold import decision_template, design_template
from mkdocs_sysdesign.cli.schema import frontmatter_schema
from mkdocs_sysdesign.config import DEFAULT_DECISION_STATUSES, DEFAULT_STATUSES
from mkdocs_sysdesign.frontmatter import (
    CHOICE,
    DATE,
    DESIGN_FIELDS,
    DESIGN_KEYS,
    MAPPING,
    PAGE_FIELDS,
    PATH,
    PATHS,
    SCORES,
    STATUS,
    SUPERSESSION,
    TERM_FIELDS,
    TERM_KEYS,
    TEXT,
    TEXTS,
    Field,
    FrontMatter,
    read_design,
    read_term,
)
from mkdocs_sysdesign.steps import StepRegistry

ROOT = Path(__file__).resolve().parent.parent

WRONG: dict[str, Any] = {
    TEXT: {"a": 1},
    TEXTS: {"a": 1},
    DATE: "last tuesday",
    PATH: ["designs/a.md"],
    PATHS: {"a": 1},
    STATUS: "aproved",
    SCORES: "high",
    MAPPING: "jira-1",
    CHOICE: "sometimes",
    SUPERSESSION: 42,
}
"""A value of the wrong type for each kind of field."""


def generated() -> jsonschema.Draft202012Validator:
    schema = frontmatter_schema(StepRegistry.default(), DEFAULT_STATUSES)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def schema_errors(data: dict[str, Any]) -> list[list[str | int]]:
    return [list(error.absolute_path) for error in generated().iter_errors(data)]


def design_warnings(data: dict[str, Any]) -> list[str]:
    front = FrontMatter(data=data, yaml_text=yaml.safe_dump(data))
    pages = {"designs/a.md", "designs/b.md"}
    _, findings = read_design(
        "designs/b.md", front, list(DEFAULT_STATUSES), lambda p: p if p in pages else None, "B"
    )
    return [finding.message for finding in findings]


def term_warnings(data: dict[str, Any]) -> list[str]:
    front = FrontMatter(data=data, yaml_text=yaml.safe_dump(data))
    _, findings = read_term("glossary/t.md", "t", front, builtin=False)
    return [finding.message for finding in findings]


def test_every_kind_has_a_wrong_value_and_a_schema() -> None:
    kinds = {field.kind for field in (*PAGE_FIELDS, *DESIGN_FIELDS, *TERM_FIELDS)}
    assert kinds <= set(WRONG)


def test_the_schema_has_exactly_the_keys_the_reader_reads() -> None:
    schema = frontmatter_schema(StepRegistry.default(), DEFAULT_STATUSES)
    assert tuple(schema["$defs"]["design"]["properties"]) == DESIGN_KEYS
    top = set(schema["properties"]) - {"design"}
    assert top == {f.name for f in (*PAGE_FIELDS, *TERM_FIELDS)}
    assert set(TERM_KEYS) <= top


def test_the_shipped_schema_is_the_generated_one() -> None:
    shipped = ROOT / "mkdocs_sysdesign" / "schema" / "frontmatter.schema.json"
    assert json.loads(shipped.read_text(encoding="utf-8")) == frontmatter_schema(
        StepRegistry.default(), DEFAULT_STATUSES
    )


@pytest.mark.parametrize("field", DESIGN_FIELDS, ids=lambda f: f.name)
def test_a_wrong_type_in_a_design_field_is_a_warning_and_a_schema_error(field: Field) -> None:
    design = {"status": "draft", field.name: WRONG[field.kind]}
    warnings = design_warnings({"title": "B", "design": design})
    assert any(f"design.{field.name}" in message for message in warnings), warnings
    assert schema_errors({"title": "B", "design": design})


@pytest.mark.parametrize("field", TERM_FIELDS, ids=lambda f: f.name)
def test_a_wrong_type_in_a_term_field_is_a_warning_and_a_schema_error(field: Field) -> None:
    data = {"term": "Thing", "summary": "A thing.", field.name: WRONG[field.kind]}
    warnings = term_warnings(data)
    assert any(message.startswith(f"{field.name}:") for message in warnings), warnings
    assert schema_errors(data)


@pytest.mark.parametrize("name", ["title", "tags"])
def test_a_wrong_type_in_a_page_field_is_a_warning_and_a_schema_error(name: str) -> None:
    field = next(f for f in PAGE_FIELDS if f.name == name)
    data = {"title": "B", name: WRONG[field.kind]}
    assert any(message.startswith(f"{name}:") for message in design_warnings(data))
    assert schema_errors(data)


def test_autolink_choices_are_those_the_plugin_accepts(make_site: Any) -> None:
    field = next(f for f in PAGE_FIELDS if f.name == "autolink")
    pages = {
        f"p{i}.md": f"---\nautolink: {json.dumps(v)}\n---\n# P\n"
        for i, v in enumerate([*field.choices, WRONG[CHOICE]])
    }
    site = make_site(pages, {"plugins": [{"sysdesign": {"builtin_glossary": False}}]})
    assert [m for m in site.messages if "autolink" in m] == [
        f"mkdocs_sysdesign: docs/p{len(field.choices)}.md:2: autolink: 'sometimes' is not one of "
        "first, all, off"
    ]
    assert not schema_errors({"autolink": field.choices[0]})
    assert schema_errors({"autolink": WRONG[CHOICE]})


def test_the_generated_schema_validates_every_shipped_example() -> None:
    validator = generated()
    pages = [
        *sorted((ROOT / "docs" / "designs").glob("*.md")),
        *sorted((ROOT / "mkdocs_sysdesign" / "builtin_glossary").glob("*.md")),
    ]
    checked = 0
    for path in pages:
        text = path.read_text(encoding="utf-8")
        if not text.startswith("---\n"):
            continue
        errors = [error.message for error in validator.iter_errors(front_matter(text))]
        assert errors == [], path.name
        checked += 1
    assert checked > 50
    fresh = design_template("Rate Limiter", StepRegistry.default(), DEFAULT_STATUSES, ["ada"])
    assert list(validator.iter_errors(front_matter(fresh))) == []
    decision = decision_template("Use Redis", DEFAULT_DECISION_STATUSES, ["ada"])
    assert list(validator.iter_errors(front_matter(decision))) == []
