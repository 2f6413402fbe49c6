/* mkdocs-sysdesign: sort the auto-built tables by clicking a column header, and filter the
   designs and decisions tables by status, owner, tag, staleness and text.

   Everything here is added by the script: without JavaScript the tables show every row. */
(() => {
  "use strict";
  const MARK = "data-sysdesign-sortable";
  const FILTERED = "data-sysdesign-filtered";

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

  const sortable = (table) => {
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
  };

  // -- filters ------------------------------------------------------------------------

  // Rows carry what the filters read (data-status, data-owners and data-tags as JSON
  // lists, data-stale), whichever columns the table shows.
  const list = (row, name) => {
    try {
      const value = JSON.parse(row.getAttribute(`data-${name}`) || "[]");
      return Array.isArray(value) ? value.map(String) : [];
    } catch (error) {
      return [];
    }
  };
  const fold = (text) => text.toLocaleLowerCase().normalize("NFKD");

  let counter = 0;
  const element = (tag, props, ...children) => {
    const node = Object.assign(document.createElement(tag), props);
    children.forEach((child) => node.append(child));
    return node;
  };
  const field = (label, control) => {
    control.id = `sysdesign-filter-${++counter}`;
    return element(
      "div",
      { className: "sysdesign-filters__field" },
      element("label", { htmlFor: control.id, textContent: label }),
      control
    );
  };
  const choice = (label, all, values) => {
    const select = element("select", {}, element("option", { value: "", textContent: all }));
    values.forEach(([value, text]) => select.append(element("option", { value, textContent: text })));
    return [field(label, select), select];
  };

  const filterable = (wrapper) => {
    const table = wrapper.querySelector("table");
    const body = table && table.tBodies[0];
    if (wrapper.hasAttribute(FILTERED) || !body || body.rows.length < 2) return;
    wrapper.setAttribute(FILTERED, "");
    let spec;
    try {
      spec = JSON.parse(wrapper.getAttribute("data-filters"));
    } catch (error) {
      return;
    }
    const labels = spec.labels || {};
    const rows = Array.from(body.rows);
    const form = element("div", { className: "sysdesign-filters", role: "group" });
    form.setAttribute("aria-label", labels.filter || "Filter");
    const tests = [];

    const present = new Set(rows.map((row) => row.getAttribute("data-status") || ""));
    const statuses = (spec.statuses || []).filter(([id]) => present.has(id));
    present.forEach((id) => {
      if (id && !statuses.some(([known]) => known === id)) statuses.push([id, id]);
    });
    if (statuses.length > 1) {
      const [box, select] = choice(labels.status, labels.all, statuses);
      form.append(box);
      tests.push((row) => !select.value || row.getAttribute("data-status") === select.value);
    }
    ["owners", "tags"].forEach((name) => {
      const values = [...new Set(rows.flatMap((row) => list(row, name)))];
      if (values.length < 2) return;
      values.sort((a, b) => a.localeCompare(b, undefined, { sensitivity: "base" }));
      const [box, select] = choice(labels[name], labels.all, values.map((v) => [v, v]));
      form.append(box);
      tests.push((row) => !select.value || list(row, name).includes(select.value));
    });
    if (rows.some((row) => row.getAttribute("data-stale") === "true")) {
      const box = element("input", { type: "checkbox" });
      const label = element("label", {}, box, ` ${labels.stale}`);
      form.append(element("div", { className: "sysdesign-filters__field" }, label));
      tests.push((row) => !box.checked || row.getAttribute("data-stale") === "true");
    }
    const text = element("input", { type: "search", autocomplete: "off" });
    form.append(field(labels.text, text));
    // Every word typed must appear in the row's text or in the values it is filtered by.
    const words = (row) =>
      fold([row.textContent, ...list(row, "owners"), ...list(row, "tags")].join(" "));
    tests.push((row) => {
      const wanted = fold(text.value).split(/\s+/).filter(Boolean);
      const haystack = wanted.length ? words(row) : "";
      return wanted.every((word) => haystack.includes(word));
    });

    const count = element("p", { className: "sysdesign-filters__count" });
    count.setAttribute("aria-live", "polite");
    form.append(count);
    const apply = () => {
      let shown = 0;
      rows.forEach((row) => {
        row.hidden = !tests.every((test) => test(row));
        if (!row.hidden) shown += 1;
      });
      wrapper.setAttribute("data-shown", String(shown));
      count.textContent = (labels.count || "{shown} of {total}")
        .replace("{shown}", String(shown))
        .replace("{total}", String(rows.length));
    };
    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    wrapper.insertBefore(form, wrapper.firstChild);
    apply();
  };

  const enhance = () => {
    document.querySelectorAll(".sysdesign-table table").forEach(sortable);
    document.querySelectorAll(".sysdesign-table[data-filters]").forEach(filterable);
  };

  window.sysdesign.onPage(enhance);
})();
