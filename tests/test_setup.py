"""The plugin loads on both themes and URL styles and turns on the extensions it needs."""

from __future__ import annotations

import pytest
from harness import THEMES_AND_URLS

from mkdocs_sysdesign.extension import ensure_extensions

TASKS = """
# Tasks

- [x] done
- [ ] not done
"""


@pytest.mark.parametrize(("theme", "dir_urls"), THEMES_AND_URLS)
def test_plugin_loads_on_both_themes_and_url_styles(make_site, theme: str, dir_urls: bool) -> None:
    site = make_site(
        {"index.md": "# Home\n\nHello.\n", "about.md": TASKS},
        theme=theme,
        use_directory_urls=dir_urls,
        strict=True,
    )
    assert site.error is None, site.warnings
    assert site.output_path("about.md").exists()
    # mkdocs.yml lists no markdown_extensions: the task list extension was turned on.
    boxes = site.content("about.md").select("li.task-list-item input[type=checkbox]")
    assert [box.has_attr("checked") for box in boxes] == [True, False]


def test_missing_extensions_are_turned_on_and_user_settings_kept() -> None:
    def user_format(*args: object, **kwargs: object) -> str:
        return ""

    extensions = ["toc", "pymdownx.superfences"]
    configs = {
        "toc": {"permalink": True},
        "pymdownx.superfences": {
            "custom_fences": [{"name": "mermaid", "class": "mine", "format": user_format}]
        },
    }
    added = ensure_extensions(extensions, configs)
    assert added == ["attr_list", "pymdownx.tasklist"]
    assert configs["toc"] == {"permalink": True}
    fences = configs["pymdownx.superfences"]["custom_fences"]
    # The user's own mermaid fence stays and is not doubled.
    assert [f["name"] for f in fences].count("mermaid") == 1
    assert fences[0]["format"] is user_format


def test_user_tasklist_options_are_kept(make_site) -> None:
    site = make_site(
        {"index.md": TASKS},
        {"markdown_extensions": [{"pymdownx.tasklist": {"custom_checkbox": True}}]},
    )
    assert site.error is None
    # custom_checkbox wraps the box in a label with class task-list-control.
    assert site.content("index.md").select("label.task-list-control")


def test_heading_attributes_work_without_listing_attr_list(make_site) -> None:
    site = make_site({"index.md": '# Home\n\n## Storage { #store data-x="1" }\n'})
    heading = site.content("index.md").select_one("h2#store")
    assert heading is not None and heading["data-x"] == "1"


def test_state_is_rebuilt_for_every_build(tmp_path) -> None:
    """`mkdocs serve` reuses the plugin object: a second build starts from a clean state."""
    from harness import write_project
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config_file = write_project(tmp_path, {"index.md": "# Home\n"}, {"theme": "mkdocs"})
    cfg = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    plugin = cfg.plugins["sysdesign"]
    build(cfg)
    plugin.findings.append("stale")  # type: ignore[arg-type]
    first_site = plugin.site
    cfg2 = load_config(str(config_file), site_dir=str(tmp_path / "site"))
    cfg2.plugins["sysdesign"] = plugin  # the same object, as serve keeps it
    plugin.on_config(cfg2)
    assert plugin.findings == []
    assert plugin.site is not first_site
