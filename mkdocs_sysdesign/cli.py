"""The ``mkdocs-sysdesign`` command line: ``new``, ``check``, ``export`` and ``schema``.

``check`` and ``export`` do not read designs themselves: they load ``mkdocs.yml`` as
MkDocs does, run MkDocs' own build (every plugin included, so a macro expands
as on the site) into a temporary folder that is deleted afterwards, and read what the
``sysdesign`` plugin found. The site and the command therefore always agree.
``new`` and ``schema`` are generated from the step registry and statuses in force.

Exit codes: 0 success, 1 ``check`` found problems (or ``new`` would overwrite a file),
2 the command could not run (bad arguments, missing or invalid ``mkdocs.yml``, a build
that aborted).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import errno
import importlib.util
import json
import logging
import os
import re
import secrets
import shutil
import sys
import tempfile
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import yaml

from . import __version__
from .frontmatter import REVIEW_CRITERIA
from .model import (
    Decision,
    Design,
    Finding,
    Handbook,
    Status,
    StepResult,
    StepState,
    Term,
    visible,
)
from .steps import StepRegistry
from .yamlread import compose_yaml

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig

    from .plugin import SysdesignPlugin

EXPORT_VERSION = 1
"""Version of the ``export`` format; it changes only when a key changes meaning or goes."""

COMPLETE_STATUSES = ("approved", "implemented")
"""Statuses whose designs ``check --require-complete`` expects to have every step complete."""

PROPERDOCS_NAMES = ("properdocs.yml", "properdocs.yaml")
"""ProperDocs' configuration files: a project that has one builds with ProperDocs."""
CONFIG_NAMES = (*PROPERDOCS_NAMES, "mkdocs.yml", "mkdocs.yaml")
"""Looked for in the current folder in this order, as ProperDocs looks for them."""
_tool = "mkdocs"
"""The package that builds: ``mkdocs``, or ``properdocs`` for a ``properdocs.yml``."""


def _plugin_logger() -> str:
    return f"{_tool}.plugins.mkdocs_sysdesign"


class UsageError(Exception):
    """The command cannot run as asked; exit code 2."""


# -- finding the project -------------------------------------------------------------


def find_config(explicit: str | None) -> Path | None:
    """The ``mkdocs.yml`` to use: ``-f`` when given, else one in the current folder, else None.

    A ``properdocs.yml`` (given or found) is built with ProperDocs, as ``properdocs build``
    would build it.
    """
    found: Path | None = None
    if explicit is not None:
        found = Path(explicit)
        if not found.is_file():
            raise UsageError(f"{explicit}: no such configuration file")
    else:
        found = next((Path(name) for name in CONFIG_NAMES if Path(name).is_file()), None)
    if found is not None and found.name in PROPERDOCS_NAMES:
        _use_properdocs(found)
    return found


def _use_properdocs(config_file: Path) -> None:
    """Send every ``mkdocs`` import to ProperDocs, as its own command does."""
    global _tool
    if _tool == "properdocs":
        return
    if importlib.util.find_spec("properdocs") is None:
        raise UsageError(
            f"{config_file}: this is ProperDocs' configuration file and ProperDocs is not "
            "installed; run 'pip install properdocs', or rename the file to mkdocs.yml "
            "to build with MkDocs"
        )
    if any(name == "mkdocs" or name.startswith("mkdocs.") for name in sys.modules):
        # Only possible when the command runs inside a process that already built with
        # MkDocs (a test, a script): its modules cannot be swapped any more.
        raise UsageError(
            f"{config_file}: MkDocs is already loaded in this process, so ProperDocs cannot "
            "build; run the mkdocs-sysdesign command on its own"
        )
    import properdocs.replacement  # noqa: F401  (redirects mkdocs.* to properdocs.*)

    _tool = "properdocs"


class _Collect(logging.Handler):
    """Keeps log records instead of printing them."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def quiet_mkdocs() -> Iterator[_Collect]:
    """Silence MkDocs' logging (its INFO lines and the plugin's own log) and keep the records.

    The plugin's findings are read from the plugin object, so its log lines would only
    repeat them; other warnings are shown afterwards by :func:`show_other_warnings`.
    """
    logger = logging.getLogger(_tool)
    handler = _Collect()
    saved = (logger.level, logger.propagate)
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


def show_other_warnings(records: list[logging.LogRecord], stream: TextIO) -> None:
    """Print warnings and errors that came from MkDocs or other plugins, not from ours."""
    for record in records:
        if record.levelno < logging.WARNING or record.name.startswith(_plugin_logger()):
            continue
        level = "error" if record.levelno >= logging.ERROR else "warning"
        print(f"mkdocs: {level}: {visible(record.getMessage())}", file=stream)


def load_mkdocs_config(
    config_file: Path, records: _Collect, **overrides: Any
) -> tuple[MkDocsConfig, SysdesignPlugin]:
    """Load ``mkdocs.yml`` with MkDocs' own loader and return it with the sysdesign plugin."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    from .plugin import SysdesignPlugin

    try:
        config = load_config(str(config_file), **overrides)
    except MkDocsException as error:
        show_other_warnings(records.records, sys.stderr)
        records.records.clear()
        raise UsageError(f"{config_file}: {error}") from None
    plugin = config.plugins.get("sysdesign")
    if not isinstance(plugin, SysdesignPlugin):
        raise UsageError(
            f"{config_file}: the sysdesign plugin is not in 'plugins:'; "
            "add '- sysdesign' to the plugins list"
        )
    return config, plugin


def _registry_and_statuses(
    config_file: Path | None,
) -> tuple[StepRegistry, list[Status], MkDocsConfig | None]:
    """The project's step registry and statuses, or the defaults without ``mkdocs.yml``."""
    if config_file is None:
        from .config import DEFAULT_STATUSES  # imports MkDocs: not needed for --help

        return StepRegistry.default(), list(DEFAULT_STATUSES), None
    with quiet_mkdocs() as records:
        config, plugin = load_mkdocs_config(config_file, records)
    show_other_warnings(records.records, sys.stderr)
    return plugin.config.steps, list(plugin.config.statuses), config


def _relative(path: str | os.PathLike[str]) -> str:
    """A path as the user would type it from the current folder, with forward slashes."""
    try:
        text = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        text = os.path.abspath(path)
    return text.replace(os.sep, "/")


# -- the build -----------------------------------------------------------------------


@dataclass
class BuildResult:
    """What a build of the project left behind: the plugin with its model and findings."""

    plugin: SysdesignPlugin
    docs_prefix: str
    """The docs folder as seen from the current folder (``docs``), prefixed to findings."""
    config_file: str
    """The ``mkdocs.yml`` used, as seen from the current folder (empty for the defaults)."""
    records: list[logging.LogRecord] = field(default_factory=list)

    @property
    def handbook(self) -> Handbook:
        """The model of the site as the build showed it."""
        return self.plugin.built

    def shown(self, finding: Finding) -> Finding:
        """A finding with its file as the user reaches it from the current folder."""
        if finding.file == "mkdocs.yml" and self.config_file:
            where = self.config_file  # a finding about the configuration itself
        else:
            where = _relative(
                os.path.join(self.plugin.config_dir, self.plugin.source_path(finding.file))
            )
        return Finding(where, finding.line, finding.message, finding.level)

    @property
    def findings(self) -> list[Finding]:
        """The plugin's findings, files relative to the current folder."""
        return [self.shown(finding) for finding in self.plugin.findings]


def _defaults_config(docs_dir: Path, folder: Path) -> Path:
    """Write the documented default ``mkdocs.yml`` for a bare docs folder into ``folder``."""
    theme = "material" if importlib.util.find_spec("material") else "mkdocs"
    name = docs_dir.resolve().name
    settings = {
        "site_name": name.replace("-", " ").replace("_", " ").strip() or "Designs",
        "docs_dir": str(docs_dir.resolve()),
        "theme": {"name": theme},
        "plugins": ["sysdesign"],
    }
    path = folder / "mkdocs.yml"
    path.write_text(yaml.safe_dump(settings, sort_keys=False), encoding="utf-8")
    return path


def run_build(config_option: str | None, docs_dir: str | None) -> BuildResult:
    """Build the project into a temporary folder, as ``mkdocs build`` would, and keep nothing.

    With ``-f`` that configuration is used, and ``docs_dir`` (when given) replaces its
    ``docs_dir``. With only ``docs_dir``, the documented defaults are written to a
    temporary ``mkdocs.yml`` outside the docs folder. With neither, ``mkdocs.yml`` in the
    current folder is used.
    """
    if docs_dir is not None and not Path(docs_dir).is_dir():
        raise UsageError(f"{docs_dir}: no such folder")
    config_file = find_config(config_option) if config_option or docs_dir is None else None
    # Imported once the configuration is known: a properdocs.yml sends them to ProperDocs.
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException

    if config_file is None and docs_dir is None:
        raise UsageError(
            "no mkdocs.yml (or properdocs.yml) in the current folder; "
            "pass -f path/to/mkdocs.yml or a DOCS_DIR"
        )
    with tempfile.TemporaryDirectory(prefix="mkdocs-sysdesign-") as temp, quiet_mkdocs() as log:
        temp_dir = Path(temp)
        overrides: dict[str, Any] = {"site_dir": str(temp_dir / "site"), "strict": False}
        shown_config = ""
        if config_file is None:
            assert docs_dir is not None
            config_file = _defaults_config(Path(docs_dir), temp_dir)
        else:
            shown_config = _relative(config_file)
            if docs_dir is not None:
                overrides["docs_dir"] = str(Path(docs_dir).resolve())
        config, plugin = load_mkdocs_config(config_file, log, **overrides)
        if not plugin.config.enabled:
            raise UsageError(f"{config_file}: the sysdesign plugin is disabled (enabled: false)")
        try:
            config.plugins.on_startup(command="build", dirty=False)
            plugin.keep_model = True  # the commands read the whole model after the build
            try:
                build(config)
            finally:
                # MkDocs hands the same plugin object to every configuration loaded in
                # this process: a later build by the same program must let go as usual.
                plugin.keep_model = False
                config.plugins.on_shutdown()
        except MkDocsException as error:
            show_other_warnings(log.records, sys.stderr)
            raise UsageError(f"the build stopped: {error}") from None
        # The plugin's docs_prefix is relative to the folder of mkdocs.yml (what its log
        # shows); seen from the current folder it may differ, and for the defaults the
        # configuration lives in a temporary folder.
        config_dir = os.path.dirname(os.path.abspath(config.config_file_path or config_file))
        docs_prefix = _relative(os.path.normpath(os.path.join(config_dir, plugin.docs_prefix)))
        return BuildResult(plugin, docs_prefix, shown_config, list(log.records))


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


# -- export --------------------------------------------------------------------------


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


def to_json(data: Any) -> str:
    """JSON as every command writes it: indented, UTF-8 text, a final newline."""
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


# -- schema --------------------------------------------------------------------------


def _text_or_list(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
    }


def _supersession(description: str) -> dict[str, Any]:
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
    return {"description": description, "anyOf": [entry, {"type": "array", "items": entry}]}


def frontmatter_schema(registry: StepRegistry, statuses: Sequence[Status]) -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) for the front matter of designs and glossary terms.

    It reflects the statuses, steps and checklist items in force: the ``status`` enum
    comes from ``statuses``, and the steps with their items are listed in the
    descriptions (which editors show on hover) and under ``$defs``.
    """
    status_ids = [status.id for status in statuses]
    steps_text = "; ".join(
        f"{step.title} ({', '.join(item.title for item in step.items) or 'no items'})"
        for step in registry
    )
    date = {
        "type": "string",
        "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt ][0-9:.+\-Zz ]*)?$",
        "description": "A date as YYYY-MM-DD.",
    }
    criteria = {
        criterion: {
            "type": "integer",
            "minimum": 1,
            "maximum": 5,
            "description": f"Score for {criterion.replace('-', ' ')}, from 1 to 5.",
        }
        for criterion in REVIEW_CRITERIA
    }
    design = {
        "type": "object",
        "description": (
            "Marks the page as a design. Its steps are H2 headings in the body: " + steps_text + "."
        ),
        "properties": {
            "status": {
                "description": "Where the design stands: "
                + ", ".join(f"{s.id} ({s.label})" for s in statuses)
                + ".",
                "enum": status_ids,
            },
            "owners": _text_or_list("Authors responsible for the design."),
            "reviewers": _text_or_list("People who review the design."),
            "created": {**date, "description": "When the design was started (YYYY-MM-DD)."},
            "updated": {**date, "description": "When the design last changed (YYYY-MM-DD)."},
            "summary": {"type": "string", "description": "One or two sentences for tables."},
            "supersedes": _supersession(
                "Paths of the designs this one replaces (designs/x.md); "
                "{path, partial: true} when it replaces part of one."
            ),
            "superseded-by": _supersession(
                "Paths of the designs that replace this one (designs/x.md); "
                "{path, partial: true} when one replaces part of it."
            ),
            "related": _text_or_list("Paths of related designs (designs/x.md)."),
            "review": {
                "type": "object",
                "description": "The review scorecard: each evaluation criterion from 1 to 5.",
                "properties": criteria,
                "additionalProperties": False,
            },
            "extra": {
                "type": "object",
                "description": "A team's own fields (jira, team ...); never checked.",
            },
        },
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "mkdocs-sysdesign front matter",
        "description": (
            "Front matter of a design page (the design mapping) or a glossary term page "
            "(term, aliases, abbr, category, summary, see_also). Other keys belong to MkDocs, "
            "the theme or other plugins and are allowed."
        ),
        "type": "object",
        "properties": {
            "title": {"type": "string", "description": "The page title (plain text, no HTML)."},
            "tags": _text_or_list("Tags, shared with Material's tags plugin."),
            "autolink": {
                "description": "Glossary links on this page: first mention, all, or off.",
                "enum": ["first", "all", "off", False],
            },
            "design": {"$ref": "#/$defs/design"},
            "term": {"type": "string", "description": "Glossary: the term as readers see it."},
            "aliases": _text_or_list("Glossary: plurals, spellings and abbreviations."),
            "abbr": {"type": "string", "description": "Glossary: what an acronym stands for."},
            "category": {
                "type": "string",
                "description": "Glossary: the group in the index, such as Storage or Networking.",
            },
            "summary": {
                "type": "string",
                "description": "Glossary: one sentence, shown as the link's tooltip.",
            },
            "see_also": _text_or_list("Glossary: ids (file names) of related terms."),
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


# -- new -----------------------------------------------------------------------------


def slug(title: str) -> str:
    """The file name stem for a title: lowercase words joined by '-', accents dropped."""
    decomposed = unicodedata.normalize("NFKD", title)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return "-".join(re.findall(r"[^\W_]+", text))


def _yaml_scalar(text: str) -> str:
    """Text as a YAML scalar: plain when it reads back unchanged, else double-quoted."""
    try:
        root = compose_yaml(text).root
    except yaml.YAMLError:
        plain = False
    else:
        plain = (
            isinstance(root, yaml.ScalarNode)
            and root.tag == "tag:yaml.org,2002:str"
            and root.value == text
            and "\n" not in text
        )
    return text if plain and text == text.strip() else json.dumps(text, ensure_ascii=False)


def design_template(
    title: str,
    registry: StepRegistry,
    statuses: Sequence[Status],
    owners: Sequence[str] = (),
    today: dt.date | None = None,
    theme_dirs: Sequence[str] = (),
) -> str:
    """The Markdown of a fresh design from ``templates/new_design.md``.

    Every checklist item is an unchecked task item under its step's H2, so the design
    shows each step partial until its author ticks the items off. A
    ``sysdesign/new_design.md`` in one of ``theme_dirs`` (the site's ``custom_dir``)
    replaces the package's template.
    """
    from .render import templates_for

    status_ids = [status.id for status in statuses]
    status = "draft" if "draft" in status_ids else status_ids[0]
    template = templates_for(tuple(theme_dirs)).markdown("new_design.md")
    text = template.render(
        title=title,
        title_yaml=_yaml_scalar(title),
        owners_yaml="[" + ", ".join(_yaml_scalar(owner) for owner in owners) + "]",
        status=status,
        today=(today or dt.date.today()).isoformat(),
        criteria=REVIEW_CRITERIA,
        steps=list(registry),
    )
    return re.sub(r"\n{3,}", "\n\n", text).lstrip("\n").rstrip("\n") + "\n"


def decision_template(
    title: str,
    statuses: Sequence[Status],
    makers: Sequence[str] = (),
    today: dt.date | None = None,
    theme_dirs: Sequence[str] = (),
) -> str:
    """The Markdown of a fresh decision record from ``templates/new_decision.md`` (MADR 4),
    or from ``sysdesign/new_decision.md`` in one of ``theme_dirs``."""
    from .render import templates_for

    template = templates_for(tuple(theme_dirs)).markdown("new_decision.md")
    text = template.render(
        title=title,
        status=statuses[0].id if statuses else "proposed",
        today=(today or dt.date.today()).isoformat(),
        makers_yaml="[" + ", ".join(_yaml_scalar(name) for name in makers) + "]",
    )
    return text.lstrip("\n").rstrip("\n") + "\n"


_NUMBERED = re.compile(r"^(\d+)[-_ .]")


def next_decision_number(folder: Path) -> int:
    """One more than the highest number that starts a record's file name in ``folder``."""
    numbers = [0]
    if folder.is_dir():
        for entry in folder.iterdir():
            match = _NUMBERED.match(entry.name)
            if match and entry.suffix == ".md":
                numbers.append(int(match.group(1)))
    return max(numbers) + 1


# -- writing files -------------------------------------------------------------------


def write_file(path: Path, text: str, *, overwrite: bool = True) -> None:
    """Write ``text`` to ``path`` so that a failure leaves what was there untouched.

    The text goes to a temporary file in the same folder, which then takes the place of
    ``path`` in one step (``os.replace``); a file that already exists keeps its
    permissions. With ``overwrite=False`` an existing ``path`` is never replaced
    (:class:`FileExistsError`), even one that appears meanwhile. A path that exists but
    is not a regular file (a device such as ``/dev/stdout``, a named pipe) is written
    directly, as it cannot be replaced. Errors name ``path``, never the temporary file.
    """
    try:
        if path.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR))
        if path.exists() and not path.is_file():
            if not overwrite:
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST))
            with path.open("w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
            return
        temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            # Opened as a new file, it gets the permissions of any new file (umask).
            with temporary.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            if overwrite:
                if path.exists():
                    shutil.copymode(path, temporary)
                os.replace(temporary, path)
            else:
                _place_new(temporary, path)
        finally:
            temporary.unlink(missing_ok=True)
    except OSError as error:
        raise type(error)(error.errno, error.strerror or str(error), str(path)) from None


def _place_new(temporary: Path, path: Path) -> None:
    """Give ``temporary`` the name ``path`` unless a file has that name."""
    try:
        os.link(temporary, path)  # fails, in one step, when path exists
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: check, then rename.
        if path.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST)) from None
        os.replace(temporary, path)


def _os_error_message(error: OSError) -> str:
    """``FILE: what went wrong``, the file as the user typed it."""
    reason = error.strerror or str(error)
    if error.filename is None:
        return reason
    name = os.fsdecode(error.filename)
    folder = os.path.dirname(name)
    if error.errno == errno.ENOENT and folder and not os.path.isdir(folder):
        reason = f"no folder {folder}; expected an existing folder"
    elif error.errno == errno.ENAMETOOLONG:
        reason += "; expected a shorter name (for 'new', a shorter title)"
    return f"{name}: {reason}"


# -- the commands --------------------------------------------------------------------


def cmd_new(args: argparse.Namespace) -> int:
    """``new``: write a design from the six-step template."""
    title = " ".join(args.title.split())
    if not title:
        raise UsageError('the title is empty; expected something like "Rate Limiter"')
    stem = slug(title)
    if not stem:
        raise UsageError(f"cannot make a file name from the title {title!r}")
    config_file = find_config(args.config_file)
    if args.decision:
        return _new_decision(args, title, stem, config_file)
    registry, statuses, config = _registry_and_statuses(config_file)
    if args.dir is not None:
        folder = Path(args.dir)
    elif config is not None:
        plugin = config.plugins["sysdesign"]
        folder = Path(config.docs_dir) / str(plugin.config.designs_dir).strip("/")
    else:
        folder = Path("docs") / "designs"
    target = folder / f"{stem}.md"
    theme_dirs = config.theme.dirs if config is not None else ()
    text = design_template(title, registry, statuses, args.owner or [], theme_dirs=theme_dirs)
    try:
        if target.exists():
            raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(target))
        folder.mkdir(parents=True, exist_ok=True)
        write_file(target, text, overwrite=False)
    except FileExistsError:
        print(
            f"mkdocs-sysdesign: {_relative(target)} already exists; not overwriting it "
            "(choose another title or --dir)",
            file=sys.stderr,
        )
        return 1
    print(_relative(target))
    return 0


def _new_decision(args: argparse.Namespace, title: str, stem: str, config_file: Path | None) -> int:
    """``new --decision``: write a numbered MADR-style record into the decisions folder."""
    theme_dirs: list[str] = []
    if config_file is None:
        from .config import DEFAULT_DECISION_STATUSES  # imports MkDocs: not needed for --help

        statuses = list(DEFAULT_DECISION_STATUSES)
        folder = Path(args.dir) if args.dir is not None else Path("docs") / "decisions"
    else:
        with quiet_mkdocs() as records:
            config, plugin = load_mkdocs_config(config_file, records)
        show_other_warnings(records.records, sys.stderr)
        statuses = list(plugin.config.decision_statuses)
        theme_dirs = config.theme.dirs
        folder = (
            Path(args.dir)
            if args.dir is not None
            else Path(config.docs_dir) / str(plugin.config.decisions_dir).strip("/")
        )
    target = folder / f"{next_decision_number(folder):04d}-{stem}.md"
    text = decision_template(title, statuses, args.owner or [], theme_dirs=theme_dirs)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_file(target, text, overwrite=False)
    except FileExistsError:
        print(
            f"mkdocs-sysdesign: {_relative(target)} already exists; not overwriting it",
            file=sys.stderr,
        )
        return 1
    print(_relative(target))
    return 0


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


def cmd_schema(args: argparse.Namespace) -> int:
    """``schema``: write the JSON Schema for front matter under the configuration in force."""
    registry, statuses, _ = _registry_and_statuses(find_config(args.config_file))
    text = to_json(frontmatter_schema(registry, statuses))
    if args.output and args.output != "-":
        write_file(Path(args.output), text)
    else:
        sys.stdout.write(text)
    return 0


def _add_config_option(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "-f",
        "--config-file",
        metavar="FILE",
        help=f"the project's mkdocs.yml ({what})",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with one sub-command per task."""
    parser = argparse.ArgumentParser(
        prog="mkdocs-sysdesign",
        description="Work with six-step system designs kept in a MkDocs project.",
        epilog="Run 'mkdocs-sysdesign COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    new = commands.add_parser(
        "new",
        help="write a new design from the six-step template",
        description=(
            "Write a design from the six-step template: front matter (status draft, today's "
            "dates), one H2 section per step with its prompts as comments and its checklist "
            "items as unchecked task items. Steps and items come from the project's "
            "configuration. An existing file is never overwritten."
        ),
    )
    new.add_argument("title", help='the title of the design or decision, such as "Rate Limiter"')
    new.add_argument(
        "--decision",
        action="store_true",
        help="write a numbered MADR-style decision record into the decisions folder "
        "(docs/decisions) instead of a design",
    )
    new.add_argument(
        "--dir",
        metavar="FOLDER",
        help="folder to write to (default: the configured designs folder, docs/designs)",
    )
    new.add_argument(
        "--owner",
        action="append",
        metavar="NAME",
        help="an owner of the design, or a decision maker (repeat for several)",
    )
    _add_config_option(new, "default: ./mkdocs.yml when present, else the default steps")
    new.set_defaults(run=cmd_new)

    check = commands.add_parser(
        "check",
        help="build into a temporary folder and report problems in designs and glossary",
        description=(
            "Run the same build as 'mkdocs build' (every plugin included) into a temporary "
            "folder that is deleted afterwards, and report each problem the sysdesign plugin "
            "found as FILE:LINE: LEVEL: MESSAGE."
        ),
        epilog=(
            "Exit codes: 0 no problems, 1 problems found, 2 the check could not run "
            "(bad arguments, missing or invalid mkdocs.yml, a build that stopped). "
            "With only DOCS_DIR, the defaults are: site_name from the folder's name, "
            "theme material, plugins [sysdesign]."
        ),
    )
    _add_config_option(check, "default: ./mkdocs.yml")
    check.add_argument(
        "docs_dir",
        nargs="?",
        metavar="DOCS_DIR",
        help="the docs folder; alone, it is built with default settings instead of mkdocs.yml",
    )
    check.add_argument(
        "--format",
        choices=("text", "json", "github"),
        default="text",
        help="text (default), json, or github (workflow annotations for GitHub Actions)",
    )
    check.add_argument(
        "--require-complete",
        action="store_true",
        help=(
            "also fail designs with a missing step, and approved or implemented designs "
            "with a partial step"
        ),
    )
    check.add_argument(
        "--explain",
        action="store_true",
        help=(
            "also say, for each design, which headings and structure (with line numbers) "
            "made each step"
        ),
    )
    check.set_defaults(run=cmd_check)

    export = commands.add_parser(
        "export",
        help="write the handbook's designs and terms as JSON",
        description=(
            'Build as \'check\' does and write {"version": 1, "designs": [...], "terms": [...]} '
            "with each design's steps, items, entities, routes and terms, and each term's "
            "referencing pages."
        ),
    )
    _add_config_option(export, "default: ./mkdocs.yml")
    export.add_argument(
        "docs_dir",
        nargs="?",
        metavar="DOCS_DIR",
        help="the docs folder; alone, it is built with default settings instead of mkdocs.yml",
    )
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    export.set_defaults(run=cmd_export)

    schema = commands.add_parser(
        "schema",
        help="write the JSON Schema of design and term front matter",
        description=(
            "Write a JSON Schema (draft 2020-12) for the front matter of designs and glossary "
            "terms, with the statuses, steps and items of the project's configuration."
        ),
    )
    _add_config_option(schema, "default: ./mkdocs.yml when present, else the defaults")
    schema.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of standard output"
    )
    schema.set_defaults(run=cmd_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    # Material, and ProperDocs through oprypin's plugins (literate-nav, gen-files,
    # section-index), print a notice about MkDocs 2 on every build; noise in a linter.
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    os.environ["DISABLE_MKDOCS_2_WARNING"] = "true"
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    # The one place where a command that cannot run becomes a message and exit code 2:
    # a bad argument, a file that cannot be read or written, a build that stopped.
    try:
        code: int = args.run(args)
    except UsageError as error:
        message = str(error)
    except OSError as error:
        message = _os_error_message(error)
    except Exception as error:  # noqa: BLE001 - a traceback is no answer to a user
        detail = " ".join(str(error).split())
        message = f"the command stopped: {type(error).__name__}: {detail}"
    else:
        return code
    print(f"mkdocs-sysdesign {args.command}: error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
