"""The guide stays in step with the code: every alias and label key is documented."""

from __future__ import annotations

from pathlib import Path

from mkdocs_sysdesign.steps import DEFAULT_STEPS
from mkdocs_sysdesign.texts import english

DOCS = Path(__file__).resolve().parent.parent / "docs"


def test_every_heading_and_item_alias_is_documented() -> None:
    text = (DOCS / "guide" / "writing-designs.md").read_text(encoding="utf-8")
    missing = [
        alias
        for step in DEFAULT_STEPS
        for alias in [*step["aliases"], *(a for item in step["items"] for a in item["aliases"])]
        if f"`{alias}`" not in text
    ]
    assert missing == []


def test_every_label_key_is_documented() -> None:
    text = (DOCS / "guide" / "customising.md").read_text(encoding="utf-8")
    # A shipped name's key is documented by its pattern (`statuses.<id>`).
    written = {f"`{key}`" if "." not in key else f"`{key.split('.')[0]}." for key in english()}
    assert sorted(key for key in written if key not in text) == []


def test_every_option_is_in_the_configuration_reference() -> None:
    from mkdocs_sysdesign.config import SysdesignConfig

    text = (DOCS / "guide" / "configuration.md").read_text(encoding="utf-8")
    options = [name for name, _ in SysdesignConfig._schema]
    assert [name for name in options if f"## `{name}`" not in text] == []
