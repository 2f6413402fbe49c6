"""``schema``: the JSON Schema of design and term front matter under the configuration in force.

The schema is generated from the field tables of :mod:`mkdocs_sysdesign.frontmatter`,
the same tables the front-matter reader takes its keys from.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..frontmatter import (
    CHOICE,
    DATE,
    DESIGN_FIELDS,
    MAPPING,
    PAGE_FIELDS,
    PATH,
    PATHS,
    REVIEW_CRITERIA,
    SCORES,
    STATUS,
    SUPERSESSION,
    TERM_FIELDS,
    TEXT,
    TEXTS,
    Field,
)
from ..model import Status
from ..steps import StepRegistry
from .output import to_json, write_file
from .runner import find_config, registry_and_statuses

_DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9:.+\-Zz ]*)?$"


def _property(field: Field, statuses: Sequence[Status]) -> dict[str, Any]:
    """The schema of one key of the reader's field tables (``frontmatter.py``)."""
    if field.kind in (TEXT, PATH):
        return {"type": "string", "description": field.description}
    if field.kind in (TEXTS, PATHS):
        return {
            "description": field.description,
            "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
        }
    if field.kind == DATE:
        return {"type": "string", "pattern": _DATE_PATTERN, "description": field.description}
    if field.kind == STATUS:
        listed = ", ".join(f"{s.id} ({s.label})" for s in statuses)
        return {
            "description": f"{field.description}: {listed}.",
            "enum": [status.id for status in statuses],
        }
    if field.kind == CHOICE:
        return {"description": field.description, "enum": list(field.choices)}
    if field.kind == SCORES:
        return {
            "type": "object",
            "description": field.description,
            "properties": {
                criterion: {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 5,
                    "description": f"Score for {criterion.replace('-', ' ')}, from 1 to 5.",
                }
                for criterion in REVIEW_CRITERIA
            },
            "additionalProperties": False,
        }
    if field.kind == SUPERSESSION:
        entry = {
            "anyOf": [
                {"type": "string"},
                {
                    "type": "object",
                    "properties": {
                        "path": {"type": "string"},
                        "partial": {
                            "description": "true, or the part replaced.",
                            "type": ["boolean", "string"],
                        },
                    },
                    "required": ["path"],
                    "additionalProperties": False,
                },
            ]
        }
        return {
            "description": field.description,
            "anyOf": [entry, {"type": "array", "items": entry}],
        }
    if field.kind == MAPPING:
        return {"type": "object", "description": field.description}
    raise ValueError(f"{field.name}: no schema for the kind {field.kind!r}")


def frontmatter_schema(registry: StepRegistry, statuses: Sequence[Status]) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for the front matter of designs and glossary terms.

    Its keys and their types come from the field tables the front-matter reader uses.
    It reflects the statuses, steps and checklist items in force: the ``status`` enum
    comes from ``statuses``, and the steps with their items are listed in the
    descriptions (which editors show on hover) and under ``$defs``.
    """
    steps_text = "; ".join(
        f"{step.title} ({', '.join(item.title for item in step.items) or 'no items'})"
        for step in registry
    )
    design = {
        "type": "object",
        "description": (
            "Marks the page as a design. Its steps are H2 headings in the body: " + steps_text + "."
        ),
        "properties": {field.name: _property(field, statuses) for field in DESIGN_FIELDS},
        "additionalProperties": False,
    }
    page = {field.name: _property(field, statuses) for field in PAGE_FIELDS}
    term_keys = ", ".join(field.name for field in TERM_FIELDS)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "mkdocs-sysdesign front matter",
        "description": (
            "Front matter of a design page (the design mapping) or a glossary term page "
            f"({term_keys}). Other keys belong to MkDocs, the theme or other plugins and are "
            "allowed."
        ),
        "type": "object",
        "properties": {
            **page,
            "design": {"$ref": "#/$defs/design"},
            **{field.name: _property(field, statuses) for field in TERM_FIELDS},
        },
        "dependentRequired": {"term": ["summary"]},
        "additionalProperties": True,
        "$defs": {
            "design": design,
            "step": {
                "description": "A step id, as in data-step on a heading: " + steps_text + ".",
                "enum": registry.ids,
            },
            "items": {
                "description": "Checklist item ids of each step.",
                "type": "object",
                "properties": {
                    step.id: {
                        "description": f"{step.title}: {step.purpose}".rstrip(": "),
                        "enum": [item.id for item in step.items],
                    }
                    for step in registry
                },
            },
        },
    }


def cmd_schema(args: argparse.Namespace) -> int:
    """``schema``: write the JSON Schema for front matter under the configuration in force."""
    registry, statuses, _ = registry_and_statuses(find_config(args.config_file))
    text = to_json(frontmatter_schema(registry, statuses))
    if args.output and args.output != "-":
        write_file(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0
