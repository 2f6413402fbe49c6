"""The review scorecard in chromium, on Material and the MkDocs theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from browsing import Handbook
    from conftest import OpenPage

# Top border width and style of each cell of the scorecard's Average row and of the last
# criterion row above it.
_BORDERS = """
table => {
  const top = cell => {
    const style = getComputedStyle(cell);
    return [style.borderTopStyle, parseFloat(style.borderTopWidth)];
  };
  const rows = table.querySelectorAll("tbody tr");
  return {
    average: [...table.querySelectorAll("tfoot tr > *")].map(top),
    criterion: [...rows[rows.length - 1].children].map(top),
  };
}
"""


@pytest.mark.parametrize("build", ["material", "mkdocs"])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_average_row_has_a_top_border_across_both_columns(
    request: pytest.FixtureRequest, open_page: OpenPage, build: str, scheme: str
) -> None:
    fixture = "material_site" if build == "material" else "mkdocs_theme_site"
    site: Handbook = request.getfixturevalue(fixture)
    path = site.find_page(
        ".sysdesign-review tfoot", prefer="designs/url-shortener/", under="designs/"
    )
    page, log = open_page(color_scheme=scheme)
    page.goto(site.url(path))
    page.locator(".sysdesign-review-details > summary").first.click()
    table = page.locator(".sysdesign-review table").first
    table.wait_for(state="visible")
    borders = table.evaluate(_BORDERS)
    # Both cells of the Average row are ruled off as the rows above are (Material draws a
    # line above each row; the MkDocs theme draws none).
    assert borders["average"] == borders["criterion"], borders
    if build == "material":
        assert all(style != "none" and width > 0 for style, width in borders["average"]), borders
