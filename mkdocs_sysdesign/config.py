"""The plugin's typed configuration (the ``sysdesign`` entry under ``plugins:``)."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c

from .model import Status, closest
from .staleness import RuleError, StaleRule, read_rules
from .steps import RegistryError, StepRegistry
from .texts import english, label_keys


def _statuses(group: str, colours: Mapping[str, str]) -> list[Status]:
    """Shipped statuses with their English labels from the catalogue (``texts.py``
    translates them on the page)."""
    return [Status(id_, english()[f"{group}.{id_}"], colour) for id_, colour in colours.items()]


DEFAULT_STATUSES: list[Status] = _statuses(
    "statuses",
    {
        "draft": "#757575",
        "in-review": "#b35c00",
        "approved": "#2e7d32",
        "implemented": "#1565c0",
        "deprecated": "#b71c1c",
        "superseded": "#6a1b9a",
    },
)

DEFAULT_DECISION_STATUSES: list[Status] = _statuses(
    "decision_statuses",
    {
        "proposed": "#b35c00",
        "accepted": "#2e7d32",
        "rejected": "#757575",
        "deprecated": "#b71c1c",
        "superseded": "#6a1b9a",
    },
)

_COLOUR_RE = re.compile(r"^(#[0-9a-fA-F]{3,8}|[a-zA-Z]+|(rgb|hsl)a?\([^)]*\)|var\(--[\w-]+\))$")


class StepsOption(base.BaseConfigOption[StepRegistry]):
    """``steps:``: rename steps, add aliases and checklist items, or add steps.

    The value is validated into a :class:`StepRegistry`, so every mistake is reported
    by MkDocs as a configuration error naming the key.
    """

    def __init__(self) -> None:
        super().__init__()
        self.default = {}

    def run_validation(self, value: object) -> StepRegistry:
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            raise base.ValidationError(
                "expected a mapping of step id to settings (title, purpose, benefits, "
                "aliases, items)"
            )
        try:
            return StepRegistry.from_config(value)
        except RegistryError as error:
            raise base.ValidationError(str(error)) from None


class StatusesOption(base.BaseConfigOption[list[Status]]):
    """``statuses:``: the allowed design statuses, their labels and badge colours.

    Either a list of ids (``[draft, approved]``) or a mapping of id to
    ``{label: ..., colour: ...}``; ids of the default list keep their label and colour
    unless given.
    """

    def __init__(self, defaults: list[Status] | None = None) -> None:
        super().__init__()
        self.default = None
        self.defaults = DEFAULT_STATUSES if defaults is None else defaults

    def run_validation(self, value: object) -> list[Status]:
        if value is None:
            return list(self.defaults)
        defaults = {status.id: status for status in self.defaults}
        entries: list[tuple[Any, Any]]
        if isinstance(value, list):
            entries = [(item, None) for item in value]
        elif isinstance(value, Mapping):
            entries = list(value.items())
        else:
            raise base.ValidationError(
                "expected a list of status ids or a mapping of id to {label, colour}"
            )
        statuses: list[Status] = []
        for status_id, settings in entries:
            if not isinstance(status_id, str) or not re.match(r"^[a-z0-9][a-z0-9_-]*$", status_id):
                raise base.ValidationError(
                    f"status {status_id!r}: ids are lowercase letters, digits, '-' and '_'"
                )
            settings = settings or {}
            if not isinstance(settings, Mapping) or set(settings) - {"label", "colour", "color"}:
                raise base.ValidationError(
                    f"status {status_id!r}: expected a mapping with label and colour"
                )
            known = defaults.get(status_id)
            label = settings.get("label") or (known.label if known else status_id.title())
            colour = (
                settings.get("colour")
                or settings.get("color")
                or (known.colour if known else "#616161")
            )
            if not isinstance(label, str) or not isinstance(colour, str):
                raise base.ValidationError(f"status {status_id!r}: label and colour are text")
            if not _COLOUR_RE.match(colour.strip()):
                raise base.ValidationError(
                    f"status {status_id!r}: colour {colour!r} is not a CSS colour "
                    "(#rrggbb, a name, rgb(...), hsl(...) or var(--...))"
                )
            statuses.append(Status(status_id, label, colour.strip()))
        if not statuses:
            raise base.ValidationError("at least one status is needed")
        return statuses


class LabelsOption(base.BaseConfigOption[dict[str, str]]):
    """``labels:``: overrides of the texts the plugin writes, by label key.

    A key the plugin never looks up is a mistake (``partal``), reported with the nearest
    key. The keys are those of the catalogue (``texts.py``), dotted ones included
    (``statuses.draft``); step, checklist item and criterion ids are keys too, since the
    tables use them as column headers.
    """

    def __init__(self) -> None:
        super().__init__()
        self.default = {}

    def run_validation(self, value: object) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise base.ValidationError("expected a mapping of label key to text")
        labels: dict[str, str] = {}
        for key, text in value.items():
            if isinstance(text, (Mapping, list)) or text is None:
                raise base.ValidationError(f"labels.{key}: expected a text")
            labels[str(key)] = str(text)
        return labels

    def post_validation(self, config: base.Config, key_name: str) -> None:
        registry = config.get("steps")
        steps = list(registry) if isinstance(registry, StepRegistry) else []
        known = label_keys(
            [step.id for step in steps], [item.id for step in steps for item in step.items]
        )
        for key in config[key_name]:
            if key not in known:
                near = closest(key, sorted(known))
                hint = f"; did you mean '{near}'?" if near else ""
                raise base.ValidationError(
                    f"labels.{key}: unknown label key; expected a key such as complete, "
                    f"partial, progress or a column name (all are listed in the guide's "
                    f"Writing designs, Labels){hint}"
                )


class StaleOption(base.BaseConfigOption[list[StaleRule]]):
    """``stale:``: how long a design may stay in a status, as ``{status: {days, level}}``."""

    def __init__(self) -> None:
        super().__init__()
        self.default = None

    def run_validation(self, value: object) -> list[StaleRule]:
        try:
            return read_rules(value)
        except RuleError as error:
            raise base.ValidationError(str(error)) from None


class OffChoice(c.Choice[str]):
    """A choice that includes ``off``, accepting YAML's reading of a bare ``off`` as false."""

    def run_validation(self, value: object) -> str:
        if value is False:
            value = "off"
        return super().run_validation(value)


class SysdesignConfig(base.Config):
    """Options of the ``sysdesign`` plugin. Every option is documented in the handbook."""

    enabled = c.Type(bool, default=True)
    """Turn the whole plugin off (for example with ``!ENV`` in a quick preview)."""

    designs_dir = c.Type(str, default="designs")
    """Folder, relative to ``docs_dir``, whose pages are designs."""

    glossary_dir = c.Type(str, default="glossary")
    """Folder, relative to ``docs_dir``, whose pages are glossary terms."""

    builtin_glossary = c.Type(bool, default=True)
    """Include the fundamentals glossary that ships with the package."""

    glossary_nav = OffChoice(("auto", "off"), default="auto")
    """With an explicit ``nav:``, append the glossary section unless the nav places it."""

    autolink = OffChoice(("first", "all", "off"), default="first")
    """Link the first mention of each term per page, every mention, or none."""

    ambiguous = c.Type(dict, default={})
    """Which term an ambiguous word means, for example ``consistency: consistency-cap``."""

    statuses = StatusesOption()
    """Allowed design statuses with labels and badge colours."""

    steps = StepsOption()
    """Overrides of the step registry: titles, aliases, checklist items, new steps."""

    backlinks_exclude = c.ListOfItems(c.Type(str), default=[])
    """Pages left out of every term's "Referenced by" list: folders (``guide/``) or
    shell-style patterns of source paths (``changelog.md``, ``*/drafts/*``)."""

    labels = LabelsOption()
    """Overrides of the texts the plugin writes (``complete: Done``)."""

    language = c.Optional(c.Type(str))
    """Language of the plugin's labels; defaults to ``theme.language``."""

    decisions_dir = c.Type(str, default="decisions")
    """Folder, relative to ``docs_dir``, whose pages are decision records."""

    decision_statuses = StatusesOption(DEFAULT_DECISION_STATUSES)
    """The decision lifecycle: allowed decision statuses with labels and badge colours."""

    stale = StaleOption()
    """Staleness rules: designs in a status for more than so many days warn or inform."""

    git_history = c.Type(bool, default=True)
    """Take ``created``, ``updated`` and ``owners`` that a design does not write (and a
    decision's ``date``) from the repository's history; written values always win."""


def read_config_file(path: str | os.PathLike[str]) -> dict[str, Any]:
    """A ``mkdocs.yml`` (read as MkDocs reads it: ``!ENV``, ``INHERIT``, Python names) or
    a ``zensical.toml`` (its ``[project]`` table), as a plain mapping."""
    data: Any
    if str(path).endswith(".toml"):
        import tomllib  # Python 3.11, as Zensical

        with open(path, "rb") as stream:
            data = tomllib.load(stream)
        data = data.get("project", data)
    else:
        from mkdocs.utils.yaml import yaml_load

        with open(path, encoding="utf-8") as stream:
            data = yaml_load(stream)
    return dict(data) if isinstance(data, dict) else {}
