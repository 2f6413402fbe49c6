"""The texts the plugin writes into pages, in the site's language.

One catalogue per language ships in ``locales/<language>.yml``: the panel, the metadata
line, the tables, the blocks, the scorecard, the glossary pages, and the names the package
ships (default statuses, the review criteria, the six steps with their checklist items).
:func:`labels_for` picks the catalogue for ``theme.language`` and applies the ``labels:``
option on top; the result is a flat mapping of key to text, which the renderers read.

Keys of a group are written with dots (``statuses.draft``, ``criteria.steering.title``,
``process.api.items.routes``). A name the package ships is translated only while it is the
shipped one: a project that configures its own status label or step title sees its own
words, whatever the language (:func:`shipped`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from importlib import resources
from typing import Any, NamedTuple

import yaml

from .model import REVIEW_CRITERIA as CRITERIA_IDS

__all__ = [
    "LANGUAGES",
    "Criterion",
    "catalogue",
    "complete",
    "criteria",
    "english",
    "item_title",
    "label_keys",
    "labels_for",
    "language_of",
    "shipped",
    "status_label",
    "step_text",
]

LANGUAGES = ("en", "de", "fr")
"""The languages a catalogue ships for; English is the reference and the fallback."""


class CatalogueError(ValueError):
    """A locale file that is not a mapping of keys to texts (a fault of the package)."""


def _flatten(data: Mapping[Any, Any], prefix: str, into: dict[str, str], where: str) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            _flatten(value, f"{name}.", into, where)
        elif isinstance(value, str):
            into[name] = value
        else:
            raise CatalogueError(f"{where}: {name}: expected a text, got {value!r}")


@cache
def catalogue(language: str) -> Mapping[str, str]:
    """The texts of one shipped locale file as a flat mapping (read once per process)."""
    if language not in LANGUAGES:
        raise CatalogueError(f"no catalogue for {language!r}; expected one of {LANGUAGES}")
    where = f"locales/{language}.yml"
    source = (resources.files("mkdocs_sysdesign") / "locales" / f"{language}.yml").read_text(
        encoding="utf-8"
    )
    data = yaml.safe_load(source)
    if not isinstance(data, Mapping):
        raise CatalogueError(f"{where}: expected a mapping of keys to texts")
    texts: dict[str, str] = {}
    _flatten(data, "", texts, where)
    return texts


def english() -> Mapping[str, str]:
    """The English catalogue: every key there is, and the texts other languages translate."""
    return catalogue("en")


def language_of(language: str | None) -> str:
    """The catalogue for a ``theme.language``: ``de-CH`` and ``de_AT`` use ``de``, a
    language without a catalogue uses English."""
    if not language:
        return "en"
    base = language.replace("_", "-").split("-")[0].casefold()
    return base if base in LANGUAGES else "en"


def labels_for(language: str | None, overrides: Mapping[str, Any] | None = None) -> dict[str, str]:
    """Every text in ``language`` (English where none ships), with ``labels:`` on top."""
    labels = dict(catalogue(language_of(language)))
    for key, value in (overrides or {}).items():
        labels[str(key)] = str(value)
    return labels


def complete(labels: Mapping[str, str] | None) -> Mapping[str, str]:
    """``labels`` with the English text for every key it lacks (a caller may pass only
    its overrides, such as ``{"partial": "In progress"}``)."""
    if labels is None:
        return english()
    if english().keys() <= labels.keys():
        return labels
    return {**english(), **labels}


def label_keys(step_ids: Iterable[str] = (), item_ids: Iterable[str] = ()) -> set[str]:
    """The keys ``labels:`` accepts: the catalogue's, and the step, item and criterion ids
    that name the columns of the ``checklist``, ``deep-dives`` and ``reviews`` tables."""
    return {*english(), *step_ids, *item_ids, *CRITERIA_IDS}


def shipped(labels: Mapping[str, str], key: str, text: str) -> str:
    """``text`` in the page's language when it is the English text shipped under ``key``;
    otherwise as the project wrote it."""
    if english().get(key) == text:
        return labels.get(key, text)
    return text


def step_text(labels: Mapping[str, str], step: Any, field: str = "title") -> str:
    """A step's ``title``, ``purpose`` or ``benefits``, translated while it is the shipped one."""
    return shipped(labels, f"process.{step.id}.{field}", str(getattr(step, field)))


def item_title(labels: Mapping[str, str], step_id: str, item: Any) -> str:
    """A checklist item's title, translated while it is the shipped one."""
    return shipped(labels, f"process.{step_id}.items.{item.id}", str(item.title))


def status_label(labels: Mapping[str, str], status: Any, group: str = "statuses") -> str:
    """A status's label (``group`` is ``statuses`` or ``decision_statuses``), translated
    while it is the shipped one."""
    return shipped(labels, f"{group}.{status.id}", str(status.label))


class Criterion(NamedTuple):
    """One evaluation criterion of a design review."""

    id: str
    title: str
    meaning: str


def criteria(labels: Mapping[str, str] | None = None) -> list[Criterion]:
    """The five review criteria in scorecard order, in the language of ``labels``."""
    texts = complete(labels)
    return [
        Criterion(
            criterion,
            texts[f"criteria.{criterion}.title"],
            texts[f"criteria.{criterion}.meaning"],
        )
        for criterion in CRITERIA_IDS
    ]
