"""The catalogue of texts: every language complete, sites in German and French, overrides."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from bs4 import BeautifulSoup
from harness import Site

from mkdocs_sysdesign.model import Design, Handbook, Status, StepResult, StepState
from mkdocs_sysdesign.render import render_checklist, render_meta
from mkdocs_sysdesign.review import render_scorecard
from mkdocs_sysdesign.steps import DEFAULT_STEPS, StepRegistry
from mkdocs_sysdesign.texts import LANGUAGES, catalogue, english, labels_for, language_of

# ---------------------------------------------------------------------------
# The catalogue


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
def test_every_locale_has_exactly_the_keys_of_english(language: str) -> None:
    texts = catalogue(language)
    assert sorted(set(english()) - set(texts)) == [], "missing keys"
    assert sorted(set(texts) - set(english())) == [], "keys English does not have"
    assert [key for key, text in texts.items() if not text.strip()] == []


def test_the_english_process_texts_are_those_of_the_step_registry() -> None:
    texts = english()
    for step in DEFAULT_STEPS:
        for field in ("title", "purpose", "benefits"):
            assert texts[f"process.{step['id']}.{field}"] == step[field]
        for item in step["items"]:
            assert texts[f"process.{step['id']}.items.{item['id']}"] == item["title"]
    steps = {key.split(".")[1] for key in texts if key.startswith("process.")}
    assert steps == {step["id"] for step in DEFAULT_STEPS}


@pytest.mark.parametrize(
    ("theme_language", "expected"),
    [
        ("de", "de"),
        ("de-CH", "de"),
        ("de_AT", "de"),
        ("DE", "de"),
        ("fr-CA", "fr"),
        ("pt-BR", "en"),
        ("ja", "en"),
        ("", "en"),
        (None, "en"),
    ],
)
def test_a_regional_language_uses_its_base_and_an_unknown_one_english(
    theme_language: str | None, expected: str
) -> None:
    assert language_of(theme_language) == expected
    assert labels_for(theme_language)["checklist"] == catalogue(expected)["checklist"]


def test_the_labels_option_goes_on_top_of_the_language() -> None:
    labels = labels_for("de", {"partial": "Halb fertig", "statuses.draft": "Skizze"})
    assert labels["partial"] == "Halb fertig"
    assert labels["statuses.draft"] == "Skizze"
    assert labels["complete"] == "Vollständig"


def _design(**fields: Any) -> Design:
    steps = {
        "requirements": StepResult(
            "requirements",
            StepState.PARTIAL,
            {"functional": True, "non-functional": False, "out-of-scope": False},
        )
    }
    return Design(path="designs/d.md", title="D", steps=steps, **fields)


def test_shipped_step_and_item_names_are_translated_and_a_projects_own_are_not() -> None:
    registry = StepRegistry.from_config(
        {"requirements": {"title": "Anforderungen und Ziele"}, "api": {"title": "API or Interface"}}
    )
    soup = BeautifulSoup(render_checklist(_design(), registry, labels_for("de")), "html.parser")
    titles = {
        li["data-step"]: li.select_one(".sysdesign-step__title").get_text()
        for li in soup.select("[data-step]")
    }
    # Renamed: the project's title. Set to the shipped English title: translated.
    assert titles["requirements"] == "Anforderungen und Ziele"
    assert titles["api"] == "API oder Schnittstelle"
    assert titles["deep-dives"] == "Vertiefungen"
    item = soup.select_one('[data-item="non-functional"]')
    assert item is not None and "Nichtfunktionale Anforderungen" in item.get_text()


def test_shipped_status_names_are_translated_and_a_projects_own_are_not() -> None:
    handbook = Handbook(
        registry=StepRegistry.default(),
        statuses=[Status("approved", "Approved", "#2e7d32"), Status("draft", "Sketch", "#777")],
    )

    def badge(status: str) -> str:
        html = render_meta(_design(status=status), handbook, lambda p: p, labels_for("fr"))
        found = BeautifulSoup(html, "html.parser").select_one(".sysdesign-status")
        assert found is not None
        return found.get_text()

    assert badge("approved") == "Approuvée"
    assert badge("draft") == "Sketch"


def test_the_scorecard_names_the_criteria_in_the_page_language() -> None:
    html = render_scorecard({"steering": 4}, None, labels_for("de"))
    soup = BeautifulSoup(html, "html.parser")
    names = [span.get_text() for span in soup.select(".sysdesign-review__criterion")]
    assert names == [
        "Problemlösung",
        "Lösungsentwurf",
        "Fachliche Tiefe",
        "Kommunikation",
        "Steuerung",
    ]
    assert soup.select_one('[data-criterion="steering"] span[title]') is not None


# ---------------------------------------------------------------------------
# A handbook in German and in French

DESIGN = """\
---
title: Kurzlinks
design:
  status: approved
  owners: [alice]
  reviewers: [bob]
  created: 2020-01-01
  updated: 2020-02-01
  summary: Kurze Verweise auf lange Adressen.
  supersedes: designs/vorher.md
  related: [designs/vorher.md]
  review:
    problem-solving: 4
    solution-design: 3
    technical-excellence: 4
    communication: 5
---
# Kurzlinks

## Requirements

### Functional

Kurze Verweise anlegen und auflösen, mit Zwischenspeicher.

### Non-functional

## Core Entities

```entity
name: Verweis
notes: Ein kurzer Verweis.
properties:
  - name: kennung
    type: text
    key: true
    notes: sieben Zeichen
  - name: ziel
    type: text
    required: true
```

## API

```api
protocol: HTTPS
notes: Öffentlich.
routes:
  - method: GET
    path: /k/{kennung}
    parameters:
      kennung: text
    returns: 301
    auth: keine
    notes: zwischengespeichert
```

## Data Flow

```dataflow
Nutzer -> Dienst: GET /k/abc
Dienst --> Nutzer: 301
```
"""

OLD_DESIGN = """\
---
title: Vorher
design:
  status: superseded
  owners: [carol]
---
# Vorher

## Requirements

Etwas.
"""

DECISION = """\
---
status: accepted
date: 2020-03-01
decision-makers: [alice]
consulted: [bob]
informed: [carol]
design: designs/kurz.md
---
# Wahl der Kennung

## Kontext

Kurz.
"""

TERM = """\
---
term: Zwischenspeicher
category: Leistung
summary: Schnelle Ablage häufig gelesener Daten.
see_also: [drosselung]
---
# Zwischenspeicher

Schnelle Ablage.
"""

OTHER_TERM = """\
---
term: Drosselung
summary: Begrenzung der Anfragen je Zeitraum.
---
# Drosselung

Begrenzung.
"""

TABLES = ("steps", "designs", "checklist", "glossary", "terms", "entities", "api")
TABLES += ("deep-dives", "reviews", "graph", "decisions")

INDEX = "# Übersicht\n\n" + "\n".join(
    f"```sysdesign\ntable: {name}\n"
    + ("columns: [title, status, owners, updated, progress, stale]\n" if name == "designs" else "")
    + "```\n"
    for name in TABLES
)

FILES = {
    "index.md": INDEX,
    "designs/kurz.md": DESIGN,
    "designs/vorher.md": OLD_DESIGN,
    "decisions/0001-wahl.md": DECISION,
    "glossary/zwischenspeicher.md": TERM,
    "glossary/drosselung.md": OTHER_TERM,
}

CONTRACT = ", ".join(
    f".sysdesign-{name}"
    for name in (
        "checklist",
        "meta",
        "table",
        "graph",
        "entity",
        "api",
        "dataflow",
        "backlinks",
        "see-also",
        "review",
        "review-details",
    )
)
"""The elements the plugin makes, by the HTML contract's classes."""

SAME_WORDS = {
    # Keys whose text is the same word in the language as in English.
    "de": {"status", "out_of", "filter"},
    "fr": {
        "out_of",
        "type",
        "date",
        "decided",
        "process.api.items.routes",
    },
}


def _plain(element: Any) -> list[str]:
    """The texts a reader sees or hears in an element: its words (code, which is what an
    author types, left out) and its title and aria-label attributes."""
    copy = BeautifulSoup(str(element), "html.parser")
    for code in copy.select("code, pre"):
        code.decompose()
    texts = [copy.get_text(" ")]
    for tag in copy.find_all(True):
        texts += [str(tag[name]) for name in ("title", "aria-label") if tag.has_attr(name)]
    return texts


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Site]:
    from harness import build_project

    built = {}
    for language in ("de", "fr"):
        config = {
            "theme": {"name": "material", "language": language, "font": False},
            "plugins": [
                {
                    "sysdesign": {
                        "builtin_glossary": False,
                        "stale": {"approved": {"days": 30, "level": "info"}},
                    }
                }
            ],
            "markdown_extensions": ["attr_list"],
        }
        built[language] = build_project(tmp_path_factory.mktemp(language), FILES, config)
    return built


def test_the_language_check_knows_which_words_are_the_same() -> None:
    for language, allowed in SAME_WORDS.items():
        texts = catalogue(language)
        assert {key for key, text in texts.items() if english()[key] == text} == allowed


@pytest.mark.parametrize("language", ["de", "fr"])
def test_every_text_the_plugin_makes_is_in_the_sites_language(
    sites: dict[str, Site], language: str
) -> None:
    site = sites[language]
    assert site.error is None, site.warnings
    english_texts = {text for key, text in english().items() if key not in SAME_WORDS[language]}
    pattern = re.compile(
        "|".join(
            rf"(?<!\w){re.escape(text)}(?!\w)"
            for text in sorted(english_texts, key=len, reverse=True)
        )
    )
    pages = [*FILES, "glossary/index.md"]
    found: dict[str, list[str]] = {}
    made = 0
    for page in pages:
        for element in site.content(page).select(CONTRACT):
            made += 1
            for text in _plain(element):
                found.setdefault(page, []).extend(m.group(0) for m in pattern.finditer(text))
    assert {page: words for page, words in found.items() if words} == {}
    # Every kind of element was made, so the check above read them all.
    classes = {c for page in pages for e in site.content(page).select(CONTRACT) for c in e["class"]}
    assert {name.lstrip(".") for name in CONTRACT.split(", ")} <= classes
    assert made > 20


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("de", ["Glossar", "A bis Z", "Nach Kategorie", "Leistung", "Sonstige"]),
        ("fr", ["Glossaire", "De A à Z", "Par catégorie", "Leistung", "Divers"]),
    ],
)
def test_the_glossary_index_is_in_the_sites_language(
    sites: dict[str, Site], language: str, expected: list[str]
) -> None:
    content = sites[language].content("glossary/index.md")
    headings = [h.get_text().strip("¶ ") for h in content.select("h1, h2, h3")]
    assert [h for h in headings if h in expected] == expected
    referenced = sites[language].content("glossary/zwischenspeicher.md")
    heading = referenced.select_one(".sysdesign-backlinks h2")
    assert heading is not None
    assert heading.get_text() == catalogue(language)["referenced_by"]


def test_the_metadata_and_tables_read_german(sites: dict[str, Site]) -> None:
    content = sites["de"].content("designs/kurz.md")
    meta = content.select_one(".sysdesign-meta")
    assert meta is not None
    assert meta.select_one(".sysdesign-status").get_text() == "Freigegeben"  # type: ignore[union-attr]
    assert "Veraltet:" in meta.get_text()
    index = sites["de"].content("index.md")
    headers = [th.get_text() for th in index.select('[data-table="checklist"] th')]
    assert headers[:3] == ["Entwurf", "Anforderungen", "Kernentitäten"]
    steps = [td.get_text() for td in index.select('[data-table="steps"] tbody tr td:first-child')]
    assert steps[0] == "Anforderungen"


# ---------------------------------------------------------------------------
# Templates a site overrides


def test_a_template_in_the_themes_custom_dir_replaces_the_packages(
    make_site: Callable[..., Site], tmp_path: Any
) -> None:
    files = {"designs/kurz.md": DESIGN, "designs/vorher.md": OLD_DESIGN}
    plain = make_site(files, {"plugins": [{"sysdesign": {"builtin_glossary": False}}]})
    overrides = {
        "theme": {"name": "material", "font": False, "custom_dir": "overrides"},
        "plugins": [{"sysdesign": {"builtin_glossary": False}}],
    }
    root = tmp_path / "p-override"
    template = root / "overrides" / "sysdesign" / "entity.html"
    template.parent.mkdir(parents=True)
    template.write_text(
        '{% for entity in entities %}<div class="sysdesign-entity" data-entity="{{ entity.name }}">'
        '<p class="mine">{{ labels.property }}: {{ entity.name }} &lt;{{ "<b>" }}&gt;</p>'
        "</div>{% endfor %}\n",
        encoding="utf-8",
    )
    from harness import build_project

    site = build_project(root, files, overrides)
    assert site.error is None, site.warnings
    content = site.content("designs/kurz.md")
    mine = content.select("div.sysdesign-entity > p.mine")
    # The site's template, with the same variables, still escaping what it prints.
    assert [p.get_text() for p in mine] == ["Property: Verweis <<b>>"]
    assert content.select("div.sysdesign-entity b") == []
    # Everything else is the package's.
    before = plain.content("designs/kurz.md")
    for selector in (".sysdesign-checklist", ".sysdesign-meta", ".sysdesign-api"):
        assert str(content.select_one(selector)) == str(before.select_one(selector))
    assert before.select("div.sysdesign-entity table")


def test_the_scaffold_templates_are_markdown_read_from_the_same_folders(tmp_path: Any) -> None:
    from mkdocs_sysdesign.cli.scaffold import design_template
    from mkdocs_sysdesign.config import DEFAULT_STATUSES

    folder = tmp_path / "overrides" / "sysdesign"
    folder.mkdir(parents=True)
    (folder / "new_design.md").write_text(
        "# {{ title }}\n\n{% for step in steps %}## {{ step.title }}\n{% endfor %}",
        encoding="utf-8",
    )
    registry = StepRegistry.default()
    theme_dirs = [str(tmp_path / "overrides")]
    text = design_template("A <b> & B", registry, DEFAULT_STATUSES, theme_dirs=theme_dirs)
    # Markdown, which MkDocs escapes when it renders the page: nothing is escaped here.
    assert text.startswith("# A <b> & B\n")
    assert [line for line in text.splitlines() if line.startswith("## ")][:2] == [
        "## Requirements",
        "## Core Entities",
    ]
    assert "design:" in design_template("A", registry, DEFAULT_STATUSES)
