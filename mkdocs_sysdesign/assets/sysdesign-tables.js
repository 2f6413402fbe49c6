/* mkdocs-sysdesign: sort the auto-built tables by clicking a column header. */
(() => {
  "use strict";
  const MARK = "data-sysdesign-sortable";

  // data-sort carries a sortable value when the visible text does not sort right.
  const valueOf = (row, index) => {
    const cell = row.cells[index];
    if (!cell) return "";
    const sort = cell.getAttribute("data-sort");
    return (sort === null ? cell.textContent : sort).trim();
  };

  const sortBy = (table, index, th) => {
    const body = table.tBodies[0];
    if (!body) return;
    const descending = th.getAttribute("aria-sort") === "ascending";
    const rows = Array.from(body.rows).map((row, i) => ({ row, i, v: valueOf(row, index) }));
    const numeric = rows.every(({ v }) => v === "" || !isNaN(Number(v)));
    rows.sort((a, b) => {
      // Empty cells stay last in both directions; ties keep their order.
      if (a.v === "" || b.v === "") return (a.v === "") - (b.v === "") || a.i - b.i;
      const c = numeric
        ? Number(a.v) - Number(b.v)
        : a.v.localeCompare(b.v, undefined, { numeric: true, sensitivity: "base" });
      return (descending ? -c : c) || a.i - b.i;
    });
    rows.forEach(({ row }) => body.appendChild(row));
    Array.from(th.parentNode.cells).forEach((cell) => cell.removeAttribute("aria-sort"));
    th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  };

  const enhance = () => {
    document.querySelectorAll(".sysdesign-table table").forEach((table) => {
      if (table.hasAttribute(MARK) || !table.tHead || !table.tHead.rows[0]) return;
      table.setAttribute(MARK, "");
      Array.from(table.tHead.rows[0].cells).forEach((th, index) => {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "sysdesign-sort";
        while (th.firstChild) button.appendChild(th.firstChild);
        th.appendChild(button);
        button.addEventListener("click", () => sortBy(table, index, th));
      });
    });
  };

  // Material's instant navigation swaps the page without reloading scripts: document$
  // emits on every page change.
  let subscribed = false;
  const start = () => {
    enhance();
    if (!subscribed && window.document$ && typeof window.document$.subscribe === "function") {
      subscribed = true;
      window.document$.subscribe(enhance);
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
