"""The glossary's own pages: the generated index, see-also lines and "Referenced by" lists."""

from __future__ import annotations

import posixpath
import re
import unicodedata
from collections.abc import Callable, Mapping
from itertools import groupby

from markupsafe import escape

from .model import Handbook, Term
from .render import Templates, link_target, render_template

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~-])")


def md_escape(text: str) -> str:
    """Text that Markdown shows exactly as written (HTML escaped, Markdown marks escaped)."""
    return _MD_SPECIAL.sub(r"\\\1", str(escape(text)).replace("&#39;", "'"))


def initial(term: str) -> str:
    """The A-Z letter a term files under (accents removed; digits and symbols under '#')."""
    first = unicodedata.normalize("NFKD", term.strip()[:1]).encode("ascii", "ignore").decode()
    return first.upper() if first.isalpha() else "#"


def index_markdown(handbook: Handbook, glossary_dir: str, labels: Mapping[str, str]) -> str:
    """Markdown of the generated glossary index: letter jumps, A to Z, and by category."""
    terms = sorted(handbook.terms.values(), key=lambda t: t.term.casefold())
    folder = glossary_dir.strip("/")

    def entry(term: Term) -> str:
        # Relative to the index: a term page may lie in a language's folder (de/glossary/).
        path = posixpath.relpath(term.path, folder)
        target = link_target(path)
        summary = f" &mdash; {md_escape(term.summary)}" if term.summary else ""
        return f"- [{md_escape(term.term)}]({target}){summary}"

    lines = ["---", "autolink: off", "---", f"# {md_escape(labels['glossary'])}", ""]
    letters = [
        (letter, list(group)) for letter, group in groupby(terms, key=lambda t: initial(t.term))
    ]
    jumps = " · ".join(f"[{letter}](#letter-{_slug(letter)})" for letter, _ in letters)
    if jumps:
        lines += [jumps, "{: .sysdesign-az }", ""]
    lines += [f"## {md_escape(labels['a_to_z'])} {{ #a-to-z }}", ""]
    for letter, group in letters:
        lines += [f"### {md_escape(letter)} {{ #letter-{_slug(letter)} }}", ""]
        lines += [entry(term) for term in group]
        lines.append("")
    lines += [f"## {md_escape(labels['by_category'])} {{ #by-category }}", ""]
    by_category = sorted(terms, key=lambda t: (t.category or "~", t.term.casefold()))
    other = labels["other_category"]
    for category, members in groupby(by_category, key=lambda t: t.category or other):
        lines += [f"### {md_escape(category)}", ""]
        lines += [entry(term) for term in members]
        lines.append("")
    return "\n".join(lines)


def _slug(letter: str) -> str:
    return "other" if letter == "#" else letter.lower()


def see_also_html(
    term: Term,
    handbook: Handbook,
    url_for: Callable[[str], str],
    labels: Mapping[str, str],
    templates: Templates | None = None,
) -> str:
    """The "See also" line of a term page (unknown ids were reported when collecting)."""
    links = [
        {"url": url_for(other.path), "title": other.term, "id": other.id}
        for other in (handbook.terms.get(i) for i in term.see_also)
        if other is not None
    ]
    if not links:
        return ""
    return render_template("see_also.html", templates, links=links, labels=labels)


def backlinks_placeholder(term_id: str) -> str:
    """A marker the plugin replaces once every page's mentions are known.

    It is an HTML comment, so nothing shows even if it were left in place.
    """
    return f"<!-- sysdesign-backlinks:{escape(term_id)} -->"


def backlinks_anchor(term_id: str) -> str:
    """The id of the "Referenced by" heading on a term's page."""
    return f"sysdesign-backlinks-{term_id}"


def backlinks_html(
    term: Term,
    handbook: Handbook,
    url_for: Callable[[str], str],
    labels: Mapping[str, str],
    templates: Templates | None = None,
) -> str:
    """The "Referenced by" list of a term: designs first, then other pages, each by title."""

    def link(path: str) -> dict[str, str]:
        return {"url": url_for(path), "title": handbook.page_titles.get(path, path)}

    def order(path: str) -> tuple[str, str]:
        return (handbook.page_titles.get(path, path).casefold(), path)

    sources = sorted(set(term.referenced_by) - {term.path}, key=order)
    designs = [link(p) for p in sources if p in handbook.designs]
    others = [link(p) for p in sources if p not in handbook.designs]
    return render_template(
        "backlinks.html",
        templates,
        term=term,
        anchor=backlinks_anchor(term.id),
        designs=designs,
        others=others,
        labels=labels,
    )
