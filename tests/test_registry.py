"""The step registry: PRODUCT.md's table as data, heading matching and config overrides."""

from __future__ import annotations

import pytest

from mkdocs_sysdesign.steps import RegistryError, StepRegistry, normalise

# PRODUCT.md, "The six steps": id, title, purpose, benefits, item ids.
PRODUCT_TABLE = [
    (
        "requirements",
        "Requirements",
        "Define what the system must do",
        "Aligns team, prevents scope creep",
        ["functional", "non-functional", "out-of-scope"],
    ),
    (
        "core-entities",
        "Core Entities",
        "Identify main data models/resources",
        "Clarifies storage needs, supports scalability",
        ["models", "properties", "trade-offs"],
    ),
    (
        "api",
        "API or Interface",
        "Specify how components communicate",
        "Enables integration, ensures clarity",
        ["protocol", "routes", "parameters", "returns"],
    ),
    (
        "data-flow",
        "Data Flow",
        "Map how data moves through the system",
        "Reveals bottlenecks, supports reliability",
        ["flow"],
    ),
    (
        "high-level-design",
        "High-Level Design",
        "Outline architecture and major components",
        "Guides implementation, reduces ambiguity",
        ["architecture", "components", "storage", "communication"],
    ),
    (
        "deep-dives",
        "Deep Dives",
        "Address non-functional requirements in detail",
        "Ensures performance, reliability, scalability",
        ["scalability", "consistency", "latency", "fault-tolerance", "security"],
    ),
]


def test_default_registry_is_the_product_table() -> None:
    registry = StepRegistry.default()
    got = [(s.id, s.title, s.purpose, s.benefits, [i.id for i in s.items]) for s in registry]
    assert got == PRODUCT_TABLE


@pytest.mark.parametrize(
    ("heading", "step"),
    [
        ("Requirements", "requirements"),
        ("1. Requirements", "requirements"),
        ("Step 1: Outline use cases and constraints", "requirements"),
        ("REQUIREMENTS:", "requirements"),
        ("2) Core Entities", "core-entities"),
        ("Step 2 - Core entities.", "core-entities"),
        ("API", "api"),
        ("API or Interface", "api"),
        ("Data Flow", "data-flow"),
        ("Step 3: Design core components", "data-flow"),
        ("Step 2: Create a high level design", "high-level-design"),
        ("High-Level Design", "high-level-design"),
        ("Step 4: Scale the design", "deep-dives"),
        ("Additional talking points", "deep-dives"),
        ("**Deep Dives**", "deep-dives"),
    ],
)
def test_headings_match_steps(heading: str, step: str) -> None:
    found = StepRegistry.default().match_heading(heading)
    assert found is not None and found.id == step


@pytest.mark.parametrize(
    "heading", ["Introduction", "Step 5", "", "Requirements engineering history"]
)
def test_other_headings_match_no_step(heading: str) -> None:
    assert StepRegistry.default().match_heading(heading) is None


def test_normalise_ignores_case_numbering_and_punctuation() -> None:
    assert normalise("  Step 12:  Deep   Dives!! ") == "deep dives"
    assert normalise("3.1 Out of scope.") == "out of scope"


def test_items_match_within_their_step_only() -> None:
    registry = StepRegistry.default()
    requirements = registry.get("requirements")
    deep = registry.get("deep-dives")
    assert requirements is not None and deep is not None
    item = registry.match_item(requirements, "Non-functional")
    assert item is not None and item.id == "non-functional"
    assert registry.match_item(requirements, "Failover") is None
    found = registry.match_item(deep, "Failover")
    assert found is not None and found.id == "fault-tolerance"
    found = registry.match_item(deep, "#### Security")
    assert found is not None and found.id == "security"


def test_overrides_rename_add_aliases_items_and_steps() -> None:
    registry = StepRegistry.from_config(
        {
            "requirements": {
                "title": "Goals",
                "aliases": ["goals and constraints"],
                "items": [
                    {"id": "capacity", "title": "Capacity estimates", "aliases": ["capacity"]},
                    {"id": "functional", "aliases": ["user journeys"]},
                ],
            },
            "operations": {"title": "Operations", "after": "deep-dives", "items": ["Runbooks"]},
            "threat-model": {"title": "Threat model", "after": "api"},
        }
    )
    assert registry.ids == [
        "requirements",
        "core-entities",
        "api",
        "threat-model",
        "data-flow",
        "high-level-design",
        "deep-dives",
        "operations",
    ]
    requirements = registry.get("requirements")
    assert requirements is not None and requirements.title == "Goals"
    assert [i.id for i in requirements.items][-1] == "capacity"
    match = registry.match_heading("Goals and constraints")
    assert match is not None and match.id == "requirements"
    functional = registry.match_item(requirements, "User journeys")
    assert functional is not None and functional.id == "functional"
    operations = registry.get("operations")
    assert operations is not None and [i.id for i in operations.items] == ["runbooks"]
    # The defaults are untouched by an override.
    default = StepRegistry.default().get("requirements")
    assert default is not None and default.title == "Requirements"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ops": {}}, "steps.ops: a new step needs a title"),
        ({"api": {"colour": "red"}}, "steps.api: unknown key(s) colour"),
        ({"ops": {"title": "Ops", "after": "deploy"}}, "steps.ops.after: unknown step 'deploy'"),
        ({"api": {"aliases": [1]}}, "steps.api.aliases: expected a list of text aliases"),
        ({"api": {"items": {"a": 1}}}, "steps.api.items: expected a list of items"),
        ({"Bad Id": {"title": "x"}}, "steps.Bad Id: step ids are lowercase"),
        ({"api": {"items": [{"id": "new"}]}}, "steps.api.items[0]: a new item needs a title"),
        ({"deploy": None}, "steps.deploy: None removes a step, but there is no step 'deploy'"),
        ({"deploy": False}, "steps.deploy: False removes a step, but there is no step 'deploy'"),
        (
            {"api": {"items": [{"graphql": False}]}},
            "steps.api.items[0]: False removes an item, but there is no item 'graphql'",
        ),
        (
            {"api": {"items": [{"graphql": True}]}},
            "steps.api.items[0]: unknown key(s) graphql",
        ),
        (
            {step_id: False for step_id in StepRegistry.default().ids},
            "steps: every step is removed",
        ),
    ],
)
def test_bad_overrides_are_clear_errors(overrides: dict, message: str) -> None:
    with pytest.raises(RegistryError) as error:
        StepRegistry.from_config(overrides)
    assert message in str(error.value)


def test_config_error_names_the_option(make_site, caplog) -> None:
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        make_site({"index.md": "# Home\n"}, {"plugins": [{"sysdesign": {"steps": {"ops": {}}}}]})
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any("steps.ops: a new step needs a title" in m for m in errors), errors


def test_false_or_an_empty_value_removes_a_step() -> None:
    registry = StepRegistry.from_config({"data-flow": None, "high-level-design": False})
    assert registry.ids == ["requirements", "core-entities", "api", "deep-dives"]


def test_an_item_mapped_to_false_is_removed_and_the_others_stay() -> None:
    default = StepRegistry.default().get("deep-dives")
    assert default is not None and "security" in [item.id for item in default.items]
    registry = StepRegistry.from_config(
        {"deep-dives": {"items": [{"security": False}, {"id": "cost", "title": "Cost"}]}}
    )
    deep = registry.get("deep-dives")
    assert deep is not None
    expected = [item.id for item in default.items if item.id != "security"] + ["cost"]
    assert [item.id for item in deep.items] == expected
    assert registry.match_item(deep, "Security") is None


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"labels": {"partal": "WIP"}}, "labels.partal: unknown label key"),
        ({"labels": {"partal": "WIP"}}, "did you mean 'partial'?"),
        ({"labels": {"complete": ["Done"]}}, "labels.complete: expected a text"),
        ({"steps": {"deploy": None}}, "steps.deploy: None removes a step, but there is no step"),
    ],
)
def test_config_mistakes_stop_the_build_naming_the_key(
    make_site, caplog, options: dict, message: str
) -> None:
    from mkdocs.exceptions import Abort

    with pytest.raises(Abort):
        make_site({"index.md": "# Home\n"}, {"plugins": [{"sysdesign": options}]})
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert any(message in m for m in errors), errors


def test_labels_may_name_step_and_item_ids_of_the_registry_in_force(make_site) -> None:
    options = {
        "builtin_glossary": False,
        "steps": {"operations": {"title": "Operations", "items": ["Runbooks"]}},
        "labels": {"operations": "Ops", "runbooks": "Playbooks", "data-flow": "Flow"},
    }
    site = make_site({"index.md": "# Home\n"}, {"plugins": [{"sysdesign": options}]})
    assert site.error is None, site.warnings


DATAFLOW_DESIGN = """\
---
design: {status: draft}
---
# Checkout

## Requirements

### Functional
Customers pay for a basket.

## Data Flow

```dataflow
- Client -> API: POST /checkout
- API -> Payments: charge
```
"""


def test_a_removed_step_leaves_the_panel_and_tables_of_a_design_that_has_it(make_site) -> None:
    options = {"builtin_glossary": False, "steps": {"data-flow": None}}
    index = "# Home\n\n```sysdesign\ntable: checklist\n```\n"
    site = make_site(
        {"index.md": index, "designs/checkout.md": DATAFLOW_DESIGN},
        {"plugins": [{"sysdesign": options}]},
        strict=True,
    )
    assert site.error is None, site.warnings
    panel = site.html("designs/checkout.md").select_one(".sysdesign-checklist")
    assert panel is not None
    steps = [row["data-step"] for row in panel.select("[data-step]")]
    assert "requirements" in steps and "data-flow" not in steps
    # The block itself still renders.
    assert site.content("designs/checkout.md").select_one(".sysdesign-dataflow") is not None
    headers = [th["data-column"] for th in site.content("index.md").select("thead th")]
    assert "requirements" in headers and "data-flow" not in headers
