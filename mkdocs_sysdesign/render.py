"""HTML the plugin writes: the checklist panel and the metadata line, and the templates.

Output comes from Jinja templates (:class:`Templates`: a site's overrides, then the
package's ``templates/``) with autoescaping on, so every text that comes from users is
escaped. Texts come from the catalogue in :mod:`~mkdocs_sysdesign.texts`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from .model import Decision, Design, Handbook, Status, StepState
from .steps import StepRegistry
from .texts import item_title, labels_for, status_label, step_text

__all__ = [
    "ICONS",
    "ITEM_MARKS",
    "Templates",
    "labels_for",
    "link_target",
    "render_checklist",
    "render_decision_meta",
    "render_meta",
    "render_template",
    "templates_for",
]


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


# Written as character references: one character above U+00FF in a page makes Python
# store the page's whole HTML at two or four bytes per character.
ICONS = {
    "complete": Markup("&#x2713;"),
    "partial": Markup("&#x25D0;"),
    "missing": Markup("&#x2717;"),
}
ITEM_MARKS = {True: Markup("&#x2713;"), False: Markup("&#x25CB;")}
"""The mark before a checklist item: done or not done."""


class Templates:
    """The plugin's HTML templates: a site's overrides first, then the package's own.

    ``dirs`` are the theme's folders (``theme.custom_dir`` first, as MkDocs orders them);
    a template ``sysdesign/<name>`` in one of them replaces the package's ``<name>``, as
    Material lets a site override its partials in ``overrides/``. Every template is
    rendered with autoescaping on, so text from users is escaped whichever template
    renders it.
    """

    def __init__(self, dirs: Sequence[str] = ()) -> None:
        self.dirs = tuple(os.path.join(folder, OVERRIDES) for folder in dirs)
        loaders: list[jinja2.BaseLoader] = []
        if self.dirs:
            loaders.append(jinja2.FileSystemLoader(self.dirs))
        loaders.append(jinja2.PackageLoader("mkdocs_sysdesign", "templates"))
        self.loader = jinja2.ChoiceLoader(loaders)
        self.environment = jinja2.Environment(
            loader=self.loader,
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(self, template: str, /, **context: Any) -> str:
        """Render ``template`` (``checklist.html``) with ``context``."""
        return self.environment.get_template(template).render(**context)

    def markdown(self, name: str) -> jinja2.Template:
        """A Markdown template (``new_design.md``): the same loader, without HTML escaping,
        since its output is Markdown that MkDocs escapes when it renders the page."""
        environment = jinja2.Environment(
            loader=self.loader,
            autoescape=False,
            keep_trailing_newline=True,
            undefined=jinja2.StrictUndefined,
        )
        environment.filters["comment"] = lambda text: str(text).replace("--", "- -")
        return environment.get_template(name)

    def fingerprint(self) -> tuple[tuple[str, float], ...]:
        """The override files and their modification times: ``mkdocs serve`` renders
        blocks again when one of them changes."""
        found = []
        for folder in self.dirs:
            if os.path.isdir(folder):
                for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                    if entry.is_file():
                        found.append((entry.path, entry.stat().st_mtime))
        return tuple(found)


OVERRIDES = "sysdesign"
"""The folder of a theme directory whose templates replace the package's."""


@cache
def templates_for(dirs: tuple[str, ...] = ()) -> Templates:
    """The templates of a site whose theme has the folders ``dirs`` (one per set of dirs)."""
    return Templates(dirs)


def render_template(template: str, templates: Templates | None = None, /, **context: Any) -> str:
    """Render one of the plugin's templates (the package's own unless ``templates``)."""
    return (templates or templates_for()).render(template, **context)


def render_checklist(
    design: Design,
    registry: StepRegistry,
    labels: Mapping[str, str],
    templates: Templates | None = None,
) -> str:
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
                "title": step_text(labels, step),
                "checklist": [
                    {"id": item.id, "title": item_title(labels, step.id, item)}
                    for item in step.items
                ],
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
        templates,
        rows=rows,
        labels=labels,
        icons=ICONS,
        item_marks=ITEM_MARKS,
        progress=design.progress,
        done=done,
        total=total,
    )


def _links(
    handbook: Handbook,
    url_for: Callable[[str], str],
    partial: Mapping[str, str | None] | None = None,
) -> Callable[[str], dict[str, str | None]]:
    """A link (``url``, ``title`` and, for supersession, ``partial``) to a page of the
    handbook, by its source path."""
    parts = partial or {}

    def link(path: str) -> dict[str, str | None]:
        title = handbook.page_titles.get(path) or path
        return {"url": url_for(path), "title": title, "partial": parts.get(path)}

    return link


def _status(
    labels: Mapping[str, str], status: Status | None, group: str, written: str
) -> dict[str, str]:
    """The badge's ``status_label`` and ``status_colour``: a known status in the page's
    language, an unknown one as written, in grey."""
    if status is None:
        return {"status_label": written, "status_colour": "#616161"}
    return {"status_label": status_label(labels, status, group), "status_colour": status.colour}


def render_meta(
    design: Design,
    handbook: Handbook,
    url_for: Callable[[str], str],
    labels: Mapping[str, str],
    templates: Templates | None = None,
) -> str:
    """The metadata line of a design (class ``sysdesign-meta``)."""
    link = _links(handbook, url_for, design.partial)
    return render_template(
        "meta.html",
        templates,
        design=design,
        labels=labels,
        status_id=design.status,
        **_status(labels, handbook.status(design.status), "statuses", design.status),
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
    templates: Templates | None = None,
) -> str:
    """The metadata line of a decision record (class ``sysdesign-meta``)."""
    link = _links(handbook, url_for, decision.partial)
    status = handbook.decision_status(decision.status)
    return render_template(
        "decision_meta.html",
        templates,
        decision=decision,
        labels=labels,
        status_id=decision.status,
        **_status(labels, status, "decision_statuses", decision.status_text),
        design=link(decision.design) if decision.design else None,
        supersedes=[link(path) for path in decision.supersedes],
        superseded_by=[link(path) for path in decision.superseded_by],
    )
