"""Screenshots of a design page (light and dark) and of a glossary tooltip.

They go to a temporary folder, or to ``$SYSDESIGN_SCREENSHOTS`` when it is set; the ones in
``docs/assets/screenshots/`` were taken with
``SYSDESIGN_SCREENSHOTS=docs/assets/screenshots pytest tests/browser/test_screenshots.py``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browsing import Handbook, report, show_tooltip, unfold_checklist, wait_for_diagrams

if TYPE_CHECKING:
    from conftest import OpenPage

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """``$SYSDESIGN_SCREENSHOTS`` (created if needed), else a temporary folder."""
    configured = os.environ.get("SYSDESIGN_SCREENSHOTS")
    folder = Path(configured) if configured else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def assert_png(path: Path) -> None:
    """The file is a PNG of some substance, not an empty capture."""
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), f"{path} is not a PNG"
    assert len(data) > 10_000, f"{path} is suspiciously small ({len(data)} bytes)"


@pytest.mark.parametrize(("scheme", "palette"), [("light", "default"), ("dark", "slate")])
def test_design_page_screenshot(
    material_site: Handbook,
    open_page: OpenPage,
    screenshot_dir: Path,
    scheme: str,
    palette: str,
) -> None:
    page, log = open_page(color_scheme=scheme)
    page.goto(material_site.url(material_site.key.design))
    wait_for_diagrams(page)
    # mkdocs.yml picks the palette by media query: the emulated scheme selects it.
    assert page.evaluate("() => document.body.dataset.mdColorScheme") == palette
    panel = page.locator(".sysdesign-checklist")
    panel.wait_for(state="visible")
    # The handbook's designs are complete, so their panels start folded: the picture
    # shows one unfolded.
    unfold_checklist(page)
    box = panel.bounding_box()
    assert box and box["y"] + box["height"] <= 900, "the checklist panel is not on the first screen"
    # Material scrolls the sidebar to the current page, hiding the top of the navigation.
    page.evaluate(
        "() => document.querySelectorAll('.md-sidebar__scrollwrap')"
        ".forEach(wrap => { wrap.scrollTop = 0; })"
    )
    path = screenshot_dir / f"design-page-{scheme}.png"
    page.screenshot(path=str(path))
    assert_png(path)
    assert not log.problems(), report(log.problems())


def test_tooltip_screenshot(
    material_site: Handbook, open_page: OpenPage, screenshot_dir: Path
) -> None:
    page, log = open_page()
    page.goto(material_site.url(material_site.key.design))
    link = page.locator("article a.sysdesign-term").first
    tooltip = show_tooltip(page, link)
    page.wait_for_timeout(300)  # Material fades the tooltip in
    # The tooltip element spans the page; its inner box is the visible bubble. The picture
    # takes the article's width (lines are not cut) and the lines around link and bubble.
    boxes = [
        link.bounding_box(),
        tooltip.locator(".md-tooltip2__inner").bounding_box(),
        page.locator("article").bounding_box(),
    ]
    link_box, bubble, article = boxes
    assert link_box and bubble and article, f"nothing to frame: {boxes}"
    left = max(0, min(bubble["x"], article["x"]) - 16)
    right = min(1280, max(bubble["x"] + bubble["width"], article["x"] + article["width"]) + 16)
    top = max(0, min(link_box["y"], bubble["y"]) - 50)
    bottom = min(900, max(link_box["y"] + link_box["height"], bubble["y"] + bubble["height"]) + 50)
    path = screenshot_dir / "glossary-tooltip.png"
    page.screenshot(
        path=str(path), clip={"x": left, "y": top, "width": right - left, "height": bottom - top}
    )
    assert_png(path)
    assert not log.problems(), report(log.problems())
