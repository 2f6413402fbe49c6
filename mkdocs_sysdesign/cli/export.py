"""``export``: the handbook's designs, terms and decisions as machine-readable JSON."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from ..model import Decision, Design, Handbook, StepResult, StepState, Term
from ..steps import StepRegistry
from .output import to_json, write_file
from .runner import run_build, show_other_warnings

EXPORT_VERSION = 1
"""Version of the ``export`` format; it changes only when a key changes meaning or goes."""


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _plain(value: Any) -> Any:
    """Front-matter values as JSON: dates become ISO text, mappings and lists recurse."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def evidence_records(design: Design, result: StepResult | None) -> list[dict[str, Any]]:
    """Why a step counts as present: each heading or structure, at its line in the file."""
    if result is None:
        return []
    return [
        {"line": evidence.line + design.line_offset, "kind": evidence.kind, "text": evidence.text}
        for evidence in result.evidence
    ]


def design_record(design: Design, registry: StepRegistry) -> dict[str, Any]:
    """One design of the export, keys in a fixed order, steps and items in process order."""
    steps: dict[str, Any] = {}
    for step in registry:
        result = design.steps.get(step.id)
        state = result.state.value if result else StepState.MISSING.value
        items = result.items if result else {}
        steps[step.id] = {
            "state": state,
            "items": {item.id: bool(items.get(item.id, False)) for item in step.items},
            "evidence": evidence_records(design, result),
        }
    return {
        "path": design.path,
        "title": design.title,
        "status": design.status,
        "owners": list(design.owners),
        "reviewers": list(design.reviewers),
        "created": _date(design.created),
        "updated": _date(design.updated),
        "summary": design.summary,
        "tags": list(design.tags),
        "supersedes": sorted(design.supersedes),
        "superseded_by": sorted(design.superseded_by),
        "partial": dict(sorted(design.partial.items())),
        "related": list(design.related),
        "review": dict(design.review),
        "extra": _plain(design.extra),
        "progress": design.progress,
        "steps": steps,
        "entities": [
            {
                "name": entity.name,
                "notes": entity.notes,
                "properties": [
                    {
                        "name": prop.name,
                        "type": prop.type,
                        "notes": prop.notes,
                        "key": prop.key,
                        "required": prop.required,
                    }
                    for prop in entity.properties
                ],
            }
            for entity in design.entities
        ],
        "routes": [
            {
                "method": route.method,
                "path": route.path,
                "protocol": route.protocol,
                "parameters": [
                    {"name": p.name, "type": p.type, "notes": p.notes} for p in route.parameters
                ],
                "returns": route.returns,
                "auth": route.auth,
                "notes": route.notes,
            }
            for route in design.routes
        ],
        "terms": sorted(design.terms),
    }


def term_record(term: Term) -> dict[str, Any]:
    """One glossary term of the export."""
    return {
        "id": term.id,
        "term": term.term,
        "category": term.category,
        "summary": term.summary,
        "abbr": term.abbr,
        "aliases": list(term.aliases),
        "path": term.path,
        "builtin": term.builtin,
        "referenced_by": sorted(term.referenced_by),
    }


def decision_record(decision: Decision) -> dict[str, Any]:
    """One decision record of the export, keys in a fixed order."""
    return {
        "path": decision.path,
        "title": decision.title,
        "status": decision.status,
        "status_text": decision.status_text,
        "date": _date(decision.date),
        "decision_makers": list(decision.decision_makers),
        "consulted": list(decision.consulted),
        "informed": list(decision.informed),
        "tags": list(decision.tags),
        "summary": decision.summary,
        "design": decision.design,
        "supersedes": sorted(decision.supersedes),
        "superseded_by": sorted(decision.superseded_by),
        "partial": dict(sorted(decision.partial.items())),
    }


def export_index(handbook: Handbook) -> dict[str, Any]:
    """The machine-readable index: ``{"version": 1, "designs": [...], "terms": [...],
    "decisions": [...]}``.

    Designs and decisions are sorted by path and terms by id, so the output only changes
    when the handbook does.
    """
    registry: StepRegistry = handbook.registry
    return {
        "version": EXPORT_VERSION,
        "designs": [
            design_record(handbook.designs[path], registry) for path in sorted(handbook.designs)
        ],
        "terms": [term_record(handbook.terms[term_id]) for term_id in sorted(handbook.terms)],
        "decisions": [
            decision_record(handbook.decisions[path]) for path in sorted(handbook.decisions)
        ],
    }


def cmd_export(args: argparse.Namespace) -> int:
    """``export``: build into a temporary folder and write the handbook index as JSON."""
    result = run_build(args.config_file, args.docs_dir)
    text = to_json(export_index(result.handbook))
    if args.output and args.output != "-":
        write_file(Path(args.output), text)
    else:
        sys.stdout.write(text)
    show_other_warnings(result.records, sys.stderr)
    problems = [f for f in result.findings if f.level != "info"]
    if problems:
        print(
            f"mkdocs-sysdesign: the build reported {len(problems)} problem(s); "
            "run 'mkdocs-sysdesign check' to see them",
            file=sys.stderr,
        )
    return 0
