"""HTML the plugin writes: the checklist panel, the metadata line, labels in several languages.

Output comes from Jinja templates in ``templates/`` with autoescaping on, so every
text that comes from users is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .model import Decision, Design, Handbook, StepState
from .steps import StepRegistry


def link_target(path: str) -> str:
    """A relative URL to the page built from ``path`` that stays a relative URL.

    ``path`` is a file's source path (``glossary/acid.md``) or a relative one
    (``../glossary/acid.md``). File names are the author's: every character but letters,
    digits, ``/`` and ``_.-~`` is percent-encoded, so a name never closes a Markdown link
    or an attribute, never becomes markup, and never names a scheme (``javascript:alert(1).md``
    keeps no colon). MkDocs decodes the link before it looks the file up, so the link
    still reaches the page.
    """
    quoted = quote(path, safe="/")
    # Source paths never start with a slash; one would make the link absolute, and two
    # would name another host: the link stays relative to the page whatever it is given.
    return f"./{quoted.lstrip('/')}" if quoted.startswith("/") else quoted


LABELS: dict[str, dict[str, str]] = {
    "en": {
        "checklist": "Design steps",
        "progress": "Progress",
        "items": "items",
        "complete": "Complete",
        "partial": "Partial",
        "missing": "Missing",
        "done": "done",
        "not_done": "not done",
        "add_section": "Add a section:",
        "section_empty": "The section is empty.",
        "owners": "Owners",
        "reviewers": "Reviewers",
        "created": "Created",
        "updated": "Updated",
        "supersedes": "Supersedes",
        "superseded_by": "Superseded by",
        "in_part": "in part",
        "related": "Related",
        "referenced_by": "Referenced by",
        "designs": "Designs",
        "other_pages": "Other pages",
        "not_referenced": "No page mentions this term yet.",
        "glossary": "Glossary",
        "by_category": "By category",
        "a_to_z": "A to Z",
        "see_also": "See also",
        "review": "Review scorecard",
        "criterion": "Criterion",
        "score": "Score",
        "average": "Average",
        "not_scored": "not scored",
        "out_of": "/ 5",
        "as_written": "The block as written",
        "stale": "Stale",
        "days": "days",
        "decisions": "Decisions",
        "decided": "Date",
        "decision_makers": "Decision makers",
        "consulted": "Consulted",
        "informed": "Informed",
        "design": "Design",
    },
    "de": {
        "checklist": "Entwurfsschritte",
        "progress": "Fortschritt",
        "items": "Punkte",
        "complete": "Vollständig",
        "partial": "Teilweise",
        "missing": "Fehlt",
        "done": "erledigt",
        "not_done": "offen",
        "add_section": "Abschnitt ergänzen:",
        "section_empty": "Der Abschnitt ist leer.",
        "owners": "Verantwortlich",
        "reviewers": "Prüfende",
        "created": "Erstellt",
        "updated": "Aktualisiert",
        "supersedes": "Ersetzt",
        "superseded_by": "Ersetzt durch",
        "in_part": "teilweise",
        "related": "Verwandt",
        "referenced_by": "Erwähnt in",
        "designs": "Entwürfe",
        "other_pages": "Weitere Seiten",
        "not_referenced": "Noch keine Seite erwähnt diesen Begriff.",
        "glossary": "Glossar",
        "by_category": "Nach Kategorie",
        "a_to_z": "A bis Z",
        "see_also": "Siehe auch",
        "review": "Bewertung",
        "criterion": "Kriterium",
        "score": "Punkte",
        "average": "Durchschnitt",
        "not_scored": "nicht bewertet",
        "out_of": "/ 5",
        "as_written": "Der Block wie geschrieben",
        "stale": "Veraltet",
        "days": "Tage",
        "decisions": "Entscheidungen",
        "decided": "Datum",
        "decision_makers": "Entscheidende",
        "consulted": "Konsultiert",
        "informed": "Informiert",
        "design": "Entwurf",
    },
    "fr": {
        "checklist": "Étapes de conception",
        "progress": "Avancement",
        "items": "points",
        "complete": "Complète",
        "partial": "Partielle",
        "missing": "Manquante",
        "done": "fait",
        "not_done": "à faire",
        "add_section": "Ajouter une section :",
        "section_empty": "La section est vide.",
        "owners": "Responsables",
        "reviewers": "Relecteurs",
        "created": "Créé",
        "updated": "Mis à jour",
        "supersedes": "Remplace",
        "superseded_by": "Remplacé par",
        "in_part": "en partie",
        "related": "Liés",
        "referenced_by": "Cité par",
        "designs": "Conceptions",
        "other_pages": "Autres pages",
        "not_referenced": "Aucune page ne mentionne encore ce terme.",
        "glossary": "Glossaire",
        "by_category": "Par catégorie",
        "a_to_z": "De A à Z",
        "see_also": "Voir aussi",
        "review": "Évaluation",
        "criterion": "Critère",
        "score": "Note",
        "average": "Moyenne",
        "not_scored": "non noté",
        "out_of": "/ 5",
        "as_written": "Le bloc tel qu'écrit",
        "stale": "Obsolète",
        "days": "jours",
        "decisions": "Décisions",
        "decided": "Date",
        "decision_makers": "Décideurs",
        "consulted": "Consultés",
        "informed": "Informés",
        "design": "Conception",
    },
}

# Written as character references: one character above U+00FF in a page makes Python
# store the page's whole HTML at two or four bytes per character.
ICONS = {
    "complete": Markup("&#x2713;"),
    "partial": Markup("&#x25D0;"),
    "missing": Markup("&#x2717;"),
}
ITEM_MARKS = {True: Markup("&#x2713;"), False: Markup("&#x25CB;")}
"""The mark before a checklist item: done or not done."""


def labels_for(language: str | None, overrides: Mapping[str, Any] | None = None) -> dict[str, str]:
    """The plugin's texts in ``language`` (English where none ships), with overrides applied.

    ``pt-BR`` falls back to ``pt``, then English, key by key.
    """
    labels = dict(LABELS["en"])
    if language:
        base = language.replace("_", "-").split("-")[0].casefold()
        labels.update(LABELS.get(base, {}))
        labels.update(LABELS.get(language.casefold(), {}))
    for key, value in (overrides or {}).items():
        labels[str(key)] = str(value)
    return labels


@cache
def environment() -> jinja2.Environment:
    """The Jinja environment for the package's templates, autoescaping everything."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("mkdocs_sysdesign", "templates"),
        autoescape=True,
        trim_blocks=False,
        keep_trailing_newline=False,
    )


def render_template(name: str, **context: Any) -> str:
    """Render one of the package's templates."""
    return environment().get_template(name).render(**context)


def render_checklist(design: Design, registry: StepRegistry, labels: Mapping[str, str]) -> str:
    """The step checklist panel of a design (class ``sysdesign-checklist``)."""
    rows: list[dict[str, Any]] = []
    for step in registry:
        result = design.steps.get(step.id)
        state = result.state.value if result else StepState.MISSING.value
        items = result.items if result else {item.id: False for item in step.items}
        section = result.anchor_section if result else None
        rows.append(
            {
                "step": step,
                "state": state,
                "done": items,
                "anchor": section.anchor if section else "",
                "empty": bool(result and result.note == "empty"),
            }
        )
    total = sum(len(row["done"]) for row in rows)
    done = sum(sum(row["done"].values()) for row in rows)
    return render_template(
        "checklist.html",
        rows=rows,
        labels=labels,
        icons=ICONS,
        item_marks=ITEM_MARKS,
        progress=design.progress,
        done=done,
        total=total,
    )


def render_meta(
    design: Design,
    handbook: Handbook,
    url_for: Callable[[str], str],
    labels: Mapping[str, str],
) -> str:
    """The metadata line of a design (class ``sysdesign-meta``)."""

    def link(path: str) -> dict[str, str | None]:
        title = handbook.page_titles.get(path) or path
        return {"url": url_for(path), "title": title, "partial": design.partial.get(path)}

    status = handbook.status(design.status)
    return render_template(
        "meta.html",
        design=design,
        labels=labels,
        status_id=design.status,
        status_label=status.label if status else design.status,
        status_colour=status.colour if status else "#616161",
        supersedes=[link(path) for path in design.supersedes],
        superseded_by=[link(path) for path in design.superseded_by],
        related=[link(path) for path in design.related],
        decisions=[link(path) for path in design.decisions],
    )


def render_decision_meta(
    decision: Decision,
    handbook: Handbook,
    url_for: Callable[[str], str],
    labels: Mapping[str, str],
) -> str:
    """The metadata line of a decision record (class ``sysdesign-meta``)."""

    def link(path: str) -> dict[str, str | None]:
        title = handbook.page_titles.get(path) or path
        return {"url": url_for(path), "title": title, "partial": decision.partial.get(path)}

    status = handbook.decision_status(decision.status)
    return render_template(
        "decision_meta.html",
        decision=decision,
        labels=labels,
        status_id=decision.status,
        status_label=status.label if status else decision.status_text,
        status_colour=status.colour if status else "#616161",
        design=link(decision.design) if decision.design else None,
        supersedes=[link(path) for path in decision.supersedes],
        superseded_by=[link(path) for path in decision.superseded_by],
    )
