"""The plugin adds to the handbook but never takes a word away.

This repository's own handbook (``mkdocs.yml`` and ``docs/``) is built twice: as it is,
and with the ``sysdesign`` plugin removed from ``plugins``. Every word a page shows in
the plain build must also be on that page in the plugin's build, as often. Two things
are meant to change and are accounted for: the fenced ``entity``/``api``/``dataflow``/
``sysdesign`` blocks, which become tables and diagrams (their content must still be
there, checked separately), and ``[[term|label]]`` references, which show only their
label. Pages the plugin generates (the shipped glossary) exist only in its build.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from mkdocs_sysdesign.glossary import REFERENCE_RE
from mkdocs_sysdesign.source import scan

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mkdocs.yml"
BLOCKS = ("entity", "api", "dataflow", "sysdesign")
STRUCTURE_KEYS = {
    "name",
    "notes",
    "description",
    "properties",
    "type",
    "key",
    "required",
    "protocol",
    "routes",
    "method",
    "path",
    "parameters",
    "returns",
    "auth",
}
"""Keys of entity and api blocks that become table structure rather than text."""


class _AnyTagLoader(yaml.SafeLoader):
    """Reads ``mkdocs.yml`` for its plugin list, whatever tags (``!ENV`` ...) it uses."""


_AnyTagLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, s, node: None)


def _plugins_without_sysdesign() -> list[Any]:
    settings = yaml.load(CONFIG.read_text(encoding="utf-8"), Loader=_AnyTagLoader)  # noqa: S506
    plugins = settings.get("plugins") or []
    if isinstance(plugins, dict):
        plugins = [{name: options} for name, options in plugins.items()]
    kept = [
        p for p in plugins if p != "sysdesign" and not (isinstance(p, dict) and "sysdesign" in p)
    ]
    assert len(kept) == len(plugins) - 1, "mkdocs.yml should list the sysdesign plugin once"
    return kept


def _build(site_dir: Path, **overrides: Any) -> Path:
    config = load_config(str(CONFIG), site_dir=str(site_dir), strict=False, **overrides)
    build(config)
    return site_dir


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(plain site, plugin site) of this repository's handbook."""
    plain = _build(tmp_path_factory.mktemp("plain"), plugins=_plugins_without_sysdesign())
    full = _build(tmp_path_factory.mktemp("sysdesign"))
    return plain, full


def _pages() -> list[str]:
    docs = ROOT / "docs"
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*.md"))


def _output(site: Path, src: str) -> Path:
    stem = src[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return site / f"{stem}.html"
    return site / stem / "index.html"


def _article(site: Path, src: str) -> Any:
    soup = BeautifulSoup(_output(site, src).read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.md-content__inner")
    assert article is not None, src
    return article


def _words(text: str) -> Counter[str]:
    return Counter(re.findall(r"\w+", text))


def _yaml_words(value: Any) -> Counter[str]:
    """Words of a block's YAML that must be shown: values, and keys that are names."""
    found: Counter[str] = Counter()
    if isinstance(value, dict):
        for key, inner in value.items():
            if str(key) not in STRUCTURE_KEYS:
                found += _words(str(key))
            found += _yaml_words(inner)
    elif isinstance(value, list):
        for inner in value:
            found += _yaml_words(inner)
    elif value is not None and not isinstance(value, bool):
        found += _words(str(value))
    return found


def _source(src: str) -> str:
    return (ROOT / "docs" / src).read_text(encoding="utf-8")


def _block_words(src: str) -> Counter[str]:
    """Words the rendered blocks of a page must show."""
    found: Counter[str] = Counter()
    for fence in scan(_source(src)).fences:
        if fence.lang in ("entity", "api"):
            try:
                found += _yaml_words(yaml.safe_load(fence.content))
            except yaml.YAMLError:
                found += _words(fence.content)  # shown as written
        elif fence.lang == "dataflow":
            lines = [ln for ln in fence.content.splitlines() if not ln.strip().startswith("#")]
            found += _words(" ".join(lines))
    return found


def _label_only_words(src: str) -> Counter[str]:
    """Words of ``[[name|label]]`` names: the plain build shows them, the plugin only the label."""
    page = scan(_source(src))
    found: Counter[str] = Counter()
    for number, line in enumerate(page.lines, start=1):
        if number in page.code_lines:
            continue
        for match in re.finditer(REFERENCE_RE, line):
            if match.group("label") is not None:
                found += _words(match.group("name"))
    return found


PAGES = _pages()


def test_the_handbook_has_pages_to_compare() -> None:
    assert len(PAGES) >= 10


@pytest.mark.parametrize("src", PAGES)
def test_the_plugin_loses_no_word_of_a_page(builds: tuple[Path, Path], src: str) -> None:
    plain_site, full_site = builds
    if not _output(plain_site, src).exists():
        pytest.skip(f"{src} is not built (excluded by the configuration)")
    plain = _article(plain_site, src)
    # Compared separately: blocks render as tables and diagrams. Without the plugin they
    # are code blocks of an unknown language, recognised here by their content.
    blocks = {
        " ".join(fence.content.split())
        for fence in scan(_source(src)).fences
        if fence.lang in BLOCKS
    }
    for pre in plain.find_all("pre"):
        if " ".join(pre.get_text().split()) in blocks:
            pre.decompose()
    full = _article(full_site, src)
    shown = _words(full.get_text(" "))
    lost = _words(plain.get_text(" ")) - _label_only_words(src) - shown
    assert not lost, (src, dict(lost))
    missing = _block_words(src) - shown
    assert not missing, (src, dict(missing))
