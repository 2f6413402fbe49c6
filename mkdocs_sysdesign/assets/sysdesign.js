/* mkdocs-sysdesign: the checklist panel folds under its summary line (title and progress);
   data-flow diagrams that scroll sideways take the keyboard focus.

   The page says whether it starts open: open while a step is incomplete, folded when every
   step is complete. Here, on a small screen, it starts folded too, so the design comes first.
   Once the reader folds or unfolds a panel, that choice is remembered on this device for the
   whole site and wins over both defaults. */
(() => {
  "use strict";
  // onPage(enhance) runs enhance on the page as loaded and again on each page that
  // Material's instant navigation swaps in without reloading scripts (document$ emits
  // then); the plugin's other scripts, loaded after this one, use it too. enhance must
  // leave alone what it already did: it may run twice on one page.
  const onPage = (enhance) => {
    const start = () => {
      enhance();
      if (window.document$ && typeof window.document$.subscribe === "function") {
        window.document$.subscribe(enhance);
      }
    };
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  };
  window.sysdesign = Object.assign(window.sysdesign || {}, { onPage });

  const KEY = "sysdesign.checklist";
  const MARK = "data-sysdesign-ready";
  // Material's breakpoint for phones: below it the navigation becomes a drawer.
  const SMALL_SCREEN = "(max-width: 44.9375em)";

  // Material scopes its own storage to the site (__md_get/__md_set); other themes get
  // localStorage. Storage can be blocked (private windows, policies): then nothing is
  // remembered and the defaults apply.
  const load = () => {
    try {
      if (typeof window.__md_get === "function") return window.__md_get(KEY);
      return window.localStorage.getItem(KEY);
    } catch (error) {
      return null;
    }
  };
  const save = (value) => {
    try {
      if (typeof window.__md_set === "function") window.__md_set(KEY, value);
      else window.localStorage.setItem(KEY, value);
    } catch (error) {
      /* not remembered */
    }
  };

  // Data-flow diagrams keep their natural size and scroll sideways (CSS); a keyboard user
  // scrolls one once it can take the focus. Material draws each diagram after the page is
  // shown, replacing its pre.mermaid with a div.mermaid: the blocks are watched for that.
  const focusable = (block) => {
    block.querySelectorAll(":scope > div.mermaid").forEach((diagram) => {
      diagram.setAttribute("tabindex", "0");
    });
  };
  const watchDiagrams = () => {
    document.querySelectorAll(".sysdesign-dataflow").forEach((block) => {
      if (block.hasAttribute(MARK)) return;
      block.setAttribute(MARK, "");
      focusable(block);
      if (window.MutationObserver) {
        new MutationObserver(() => focusable(block)).observe(block, { childList: true });
      }
    });
  };

  const enhance = () => {
    watchDiagrams();
    const choice = load();
    const small = window.matchMedia && window.matchMedia(SMALL_SCREEN).matches;
    document.querySelectorAll(".sysdesign-checklist > details").forEach((details) => {
      if (details.hasAttribute(MARK)) return;
      details.setAttribute(MARK, "");
      if (choice === "open" || choice === "closed") details.open = choice === "open";
      else if (small) details.open = false;
      const summary = details.querySelector(":scope > summary");
      if (!summary) return;
      // A click on the summary (or Enter and Space on it) toggles the panel after this
      // handler: the new state is the opposite of the current one. Opening by script,
      // as above, is not a reader's choice and is not remembered.
      summary.addEventListener("click", () => save(details.open ? "closed" : "open"));
    });
  };

  onPage(enhance);
})();
