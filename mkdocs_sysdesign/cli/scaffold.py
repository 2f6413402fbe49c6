"""``new``: a design from the six-step template, or a numbered decision record.

The templates are Markdown, not HTML, and are rendered from ``templates/new_design.md``
and ``templates/new_decision.md`` with the steps, items and statuses in force.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import os
import re
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path

import yaml

from ..frontmatter import REVIEW_CRITERIA
from ..model import Status
from ..steps import StepRegistry
from ..yamlread import compose_yaml
from .output import write_file
from .runner import (
    UsageError,
    find_config,
    load_mkdocs_config,
    quiet_mkdocs,
    registry_and_statuses,
    relative,
    show_other_warnings,
)


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
    from ..render import templates_for

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
    from ..render import templates_for

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
    registry, statuses, config = registry_and_statuses(config_file)
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
            f"mkdocs-sysdesign: {relative(target)} already exists; not overwriting it "
            "(choose another title or --dir)",
            file=sys.stderr,
        )
        return 1
    print(relative(target))
    return 0


def _new_decision(args: argparse.Namespace, title: str, stem: str, config_file: Path | None) -> int:
    """``new --decision``: write a numbered MADR-style record into the decisions folder."""
    theme_dirs: list[str] = []
    if config_file is None:
        from ..config import DEFAULT_DECISION_STATUSES  # imports MkDocs: not needed for --help

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
            f"mkdocs-sysdesign: {relative(target)} already exists; not overwriting it",
            file=sys.stderr,
        )
        return 1
    print(relative(target))
    return 0
