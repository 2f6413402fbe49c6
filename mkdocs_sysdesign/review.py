"""The review scorecard: a design's scores on the five evaluation criteria, as HTML.

Scores come from ``design.review`` in the front matter (validated there, 1 to 5). The
scorecard shows every criterion, scored or not, with the score as text ("4 / 5") so that it
does not rely on colour or on the meter beside it, and an average of the scored criteria.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["CRITERIA", "REVIEW_LABELS", "Criterion", "render_scorecard"]


class Criterion(NamedTuple):
    """One evaluation criterion of a design review."""

    id: str
    title: str
    meaning: str


CRITERIA: list[Criterion] = [
    Criterion(
        "problem-solving",
        "Problem Solving",
        "Breaks the problem down, clarifies the requirements and works on what matters most.",
    ),
    Criterion(
        "solution-design",
        "Solution Design",
        "Proposes a coherent architecture whose components together meet the requirements.",
    ),
    Criterion(
        "technical-excellence",
        "Technical Excellence",
        "Applies the fundamentals in depth and justifies each trade-off it makes.",
    ),
    Criterion(
        "communication",
        "Communication",
        "Explains the design in a clear order that a reader can follow and question.",
    ),
    Criterion(
        "steering",
        "Steering",
        "Drives the design forward, prioritises the important parts and spends effort well.",
    ),
]
"""The five criteria in display order: ``(id, title, one-line meaning)``."""

REVIEW_LABELS: dict[str, str] = {
    "review": "Review scorecard",
    "criterion": "Criterion",
    "score": "Score",
    "average": "Average",
    "not_scored": "not scored",
    "out_of": "/ 5",
}
"""English texts of the scorecard; ``render_scorecard(labels=...)`` overrides them."""


@dataclass
class _Row:
    id: str
    title: str
    meaning: str
    score: int | float | None
    url: str | None


def _is_score(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("mkdocs_sysdesign", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_scorecard(
    review: Mapping[str, int],
    criteria_url: str | None = None,
    labels: Mapping[str, str] | None = None,
) -> str:
    """HTML of a review scorecard: ``div.sysdesign-review`` with one row per criterion.

    Each row carries ``data-criterion`` and, when scored, ``data-score``; a criterion
    without a score reads "not scored". With ``criteria_url``, each criterion title links
    to ``{criteria_url}#{id}``. Scores under ids that are not one of :data:`CRITERIA` are
    shown after the five, unlinked, so nothing written in the front matter is lost. The average is
    that of the scored rows, with one decimal.
    """
    texts = {**REVIEW_LABELS, **(labels or {})}
    known = {criterion.id for criterion in CRITERIA}
    criteria = [*CRITERIA, *(Criterion(key, key, "") for key in review if key not in known)]
    rows = [
        _Row(
            id=criterion.id,
            title=criterion.title,
            meaning=criterion.meaning,
            score=review[criterion.id] if _is_score(review.get(criterion.id)) else None,
            # Only the five criteria have an anchor on the criteria page.
            url=f"{criteria_url}#{criterion.id}"
            if criteria_url and criterion.id in known
            else None,
        )
        for criterion in criteria
    ]
    scores = [row.score for row in rows if row.score is not None]
    average = f"{sum(scores) / len(scores):.1f}" if scores else None
    template = _environment().get_template("scorecard.html")
    return template.render(rows=rows, average=average, labels=texts).strip()
