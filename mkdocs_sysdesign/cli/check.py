"""``check``: the plugin's findings after a quiet build, the completeness rule and
``--explain``, written as text, JSON or GitHub annotations."""

from __future__ import annotations

import argparse
import sys

from ..model import Design, Finding, StepState, visible
from ..steps import StepRegistry
from .export import EXPORT_VERSION, design_record, evidence_records
from .output import to_json
from .runner import BuildResult, run_build, show_other_warnings

COMPLETE_STATUSES = ("approved", "implemented")
"""Statuses whose designs ``check --require-complete`` expects to have every step complete."""


def completeness_findings(result: BuildResult) -> list[Finding]:
    """Findings for ``--require-complete``: missing steps, and partial steps of approved designs.

    Files are relative to the docs folder, like the plugin's own findings.
    """
    handbook = result.handbook
    registry: StepRegistry = handbook.registry
    fronts = result.plugin.collected.fronts if result.plugin.collected else {}
    findings: list[Finding] = []
    for path in sorted(handbook.designs):
        design = handbook.designs[path]
        front = fronts.get(path)
        status_line = (front.line("design", "status") if front else None) or 1
        offset = front.body_offset if front else 0
        for step in registry:
            step_result = design.steps.get(step.id)
            if step_result is None or step_result.state is StepState.MISSING:
                findings.append(
                    Finding(
                        path,
                        status_line,
                        f"step '{step.title}' is missing; --require-complete expects a "
                        f"section for every step (a heading such as '## {step.title}')",
                    )
                )
            elif step_result.state is StepState.PARTIAL and design.status in COMPLETE_STATUSES:
                missing = [
                    item.title for item in step.items if not step_result.items.get(item.id, False)
                ]
                section = step_result.anchor_section
                findings.append(
                    Finding(
                        path,
                        section.line + offset if section else status_line,
                        f"step '{step.title}' is partial in a design with status "
                        f"{design.status} (not done: {', '.join(missing)}); --require-complete "
                        "expects every item of an approved or implemented design done",
                    )
                )
    return findings


def _sort_key(finding: Finding) -> tuple[str, int]:
    return (finding.file, finding.line or 0)


def explain_lines(design: Design, registry: StepRegistry) -> list[str]:
    """``check --explain``: each step's state and the headings and structure behind it."""
    lines = [f"{design.path}: {design.progress}% of the checklist"]
    for step in registry:
        result = design.steps.get(step.id)
        state = result.state.value if result else StepState.MISSING.value
        done = sum(result.items.values()) if result else 0
        lines.append(f"  {step.title}: {state} ({done}/{len(step.items)} items)")
        for record in evidence_records(design, result):
            text = visible(record["text"])
            lines.append(f"    line {record['line']}: {record['kind']} '{text}'")
        if result is not None and result.note == "empty":
            line = result.note_line + design.line_offset
            lines.append(f"    line {line}: the section is empty")
    return lines


def _format_finding(finding: Finding) -> str:
    where = finding.file if finding.line is None else f"{finding.file}:{finding.line}"
    return f"{where}: {finding.level}: {finding.message}"


def _github_annotation(finding: Finding) -> str:
    """A GitHub Actions workflow command, so findings show on the pull request's diff."""
    kind = {"info": "notice", "error": "error"}.get(finding.level, "warning")

    def escape(text: str, *, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    where = f"file={escape(finding.file, prop=True)}"
    if finding.line is not None:
        where += f",line={finding.line}"
    return f"::{kind} {where}::{escape(finding.message)}"


def cmd_check(args: argparse.Namespace) -> int:
    """``check``: build into a temporary folder and report the plugin's findings."""
    result = run_build(args.config_file, args.docs_dir)
    findings = result.findings
    if args.require_complete:
        findings.extend(result.shown(f) for f in completeness_findings(result))
    findings.sort(key=_sort_key)
    problems = [f for f in findings if f.level != "info"]
    handbook = result.handbook
    if args.format == "json":
        report = {
            "version": EXPORT_VERSION,
            "findings": [
                {"file": f.file, "line": f.line, "level": f.level, "message": f.message}
                for f in findings
            ],
            "summary": {
                "designs": len(handbook.designs),
                "terms": len(handbook.terms),
                "problems": len(problems),
            },
        }
        if args.explain:
            report["designs"] = {
                path: {
                    step_id: {"state": record["state"], "evidence": record["evidence"]}
                    for step_id, record in design_record(design, handbook.registry)["steps"].items()
                }
                for path, design in sorted(handbook.designs.items())
            }
        sys.stdout.write(to_json(report))
    else:
        formatter = _github_annotation if args.format == "github" else _format_finding
        for finding in findings:
            print(formatter(finding))
        if args.explain:
            for path in sorted(handbook.designs):
                design = handbook.designs[path]
                shown = result.shown(Finding(path, None, "")).file
                lines = explain_lines(design, handbook.registry)
                print("\n".join([shown + lines[0][len(path) :], *lines[1:]]))
    show_other_warnings(result.records, sys.stderr)
    if args.format != "json":
        print(
            f"mkdocs-sysdesign: {count_of(len(problems), 'problem')} in "
            f"{count_of(len(handbook.designs), 'design')} and "
            f"{count_of(len(handbook.terms), 'glossary term')}",
            file=sys.stderr,
        )
    return 1 if problems else 0


def count_of(number: int, noun: str) -> str:
    """``1 design``, ``2 designs``: a number and a noun that takes an -s in the plural."""
    return f"{number} {noun}{'' if number == 1 else 's'}"
