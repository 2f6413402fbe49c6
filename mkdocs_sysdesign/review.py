"""The review scorecard: a design's scores on the five evaluation criteria, as HTML.

Scores come from ``design.review`` in the front matter (validated there, 1 to 5). The
scorecard shows every criterion, scored or not, with the score as text ("4 / 5") so that it
does not rely on colour or on the meter beside it, and an average of the scored criteria.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .render import Templates, render_template
from .texts import Criterion, complete, criteria

__all__ = ["CRITERIA", "Criterion", "render_scorecard"]

CRITERIA: list[Criterion] = criteria()
"""The five criteria in display order, in English: ``(id, title, one-line meaning)``.
Their texts live in the catalogue (``criteria.<id>.title`` and ``.meaning``)."""


@dataclass
class _Row:
    id: str
    title: str
    meaning: str
    score: int | float | None
    url: str | None


def _is_score(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def render_scorecard(
    review: Mapping[str, int],
    criteria_url: str | None = None,
    labels: Mapping[str, str] | None = None,
    templates: Templates | None = None,
) -> str:
    """HTML of a review scorecard: ``div.sysdesign-review`` with one row per criterion.

    Each row carries ``data-criterion`` and, when scored, ``data-score``; a criterion
    without a score reads "not scored". With ``criteria_url``, each criterion title links
    to ``{criteria_url}#{id}``. Scores under ids that are not one of :data:`CRITERIA` are
    shown after the five, unlinked, so nothing written in the front matter is lost. The average is
    that of the scored rows, with one decimal. Criterion names and meanings come from
    ``labels`` (the catalogue of the page's language).
    """
    texts = complete(labels)
    shown = criteria(texts)
    known = {criterion.id for criterion in shown}
    shown += [Criterion(key, key, "") for key in review if key not in known]
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
        for criterion in shown
    ]
    scores = [row.score for row in rows if row.score is not None]
    average = f"{sum(scores) / len(scores):.1f}" if scores else None
    return render_template(
        "scorecard.html", templates, rows=rows, average=average, labels=texts
    ).strip()
