"""The plugin's added seconds, measured so that a busy machine's noise does not hide them.

Run as ``python replay.py ROOT [ROOT ...] ROUNDS OUT.json`` on handbooks written by
``generate.py``; ``OUT.json`` gets a list of figures, one per handbook.

On a shared machine one build's CPU time varies by 10 per cent or more from the next,
and the plugin's share of a build is about that size: the difference of two builds
cannot tell how the plugin's cost grows. Short pieces of work timed several times are
steady in their fastest time, so this script measures the added time in such pieces:

1. It builds a one-page site with each configuration first, so that what a process
   does once (imports, first use of a module) is paid before anything is timed. It
   then builds the handbook with ``mkdocs-plain.yml`` and then with ``mkdocs-plugin.yml``,
   in this process, timing every plugin's every event. The events that run once per
   build (``config``, ``files``, ``nav``, ``env``, ``post_build``, ...) are counted from
   these builds: all of sysdesign's, and for the other plugins (search) what they spent
   in the plugin build beyond what they spent in the plain one. The ``files``, ``nav``
   and ``env`` events, which hold most of that time, run ``ROUNDS`` more times at the
   end on a fresh set of files (with new plugin objects for each build), and their
   fastest run counts.
2. It then runs each page's whole part of the build again, ``ROUNDS`` times for each of
   the two configurations: what ``mkdocs build`` does per page, from
   reading the source to writing the HTML and checking its anchors, with every plugin's
   events. Which configuration runs a page first alternates from page to page and from
   round to round, so that with an even ``ROUNDS`` each runs every page first as often
   as second: a page run right after its other run can be faster, its work still in the
   processor's caches. The fastest round of each page counts. A page's added time is its
   plugin time less its plain time; a page only the plugin build has counts whole.

Several handbooks (the sizes being compared) are measured in one process, and every
round runs their pages interleaved, each handbook's spread evenly over the round; the
events run again in turn too. A machine that is slower for a while then slows every
size alike, and the comparison between sizes holds.

The added time is the once-per-build events plus the pages' added times. Not counted:
copying the plugin's three static files, a fixed cost, and the garbage collector's
passes over the larger heap (the builds' objects are frozen before the rounds, so each
round pays only for the garbage it makes).
"""

from __future__ import annotations

import gc
import json
import logging
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from mkdocs.commands.build import _build_page, _populate_page
from mkdocs.commands.build import build as build_site
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import get_files
from run import Stopwatch

PER_PAGE = frozenset(
    {"pre_page", "page_read_source", "page_markdown", "page_content", "page_context", "post_page"}
)
"""Events MkDocs runs once per page: the rounds count these."""
AGAIN = ("files", "nav", "env")
"""Once-per-build events that can run again on the built site: see ``collect_again``."""


class EventClock:
    """Adds up the CPU time of each plugin's each event, one ``Stopwatch`` for each."""

    def __init__(self) -> None:
        self.watches: dict[str, dict[str, Stopwatch]] = defaultdict(lambda: defaultdict(Stopwatch))

    def attach(self, plugins: Any) -> None:
        """Wrap every event method registered in MkDocs' ``PluginCollection``."""
        for event, methods in plugins.events.items():
            for index, method in enumerate(methods):
                name = plugins._event_origins.get(method, "<unknown>")
                timed = self.watches[name][event].wrap(method)
                methods[index] = timed
                plugins._event_origins[timed] = name

    @property
    def seconds(self) -> dict[str, dict[str, float]]:
        """The seconds so far, by plugin and event."""
        return {
            name: {event: watch.total for event, watch in events.items()}
            for name, events in self.watches.items()
        }

    def once_per_build(self, fastest: dict[str, dict[str, float]]) -> dict[str, float]:
        """Seconds per plugin in the events that run once per build; an event in
        ``fastest`` counts its fastest run instead of the build's."""
        return {
            name: sum(
                fastest.get(name, {}).get(event, seconds)
                for event, seconds in events.items()
                if event not in PER_PAGE
            )
            for name, events in self.seconds.items()
        }


class Build:
    """One configuration built in this process, kept so its pages can be run again."""

    def __init__(self, root: Path, name: str) -> None:
        # MkDocs keeps plugin objects that have ``on_startup`` (search and sysdesign among
        # them) for every later configuration of the process, as ``mkdocs serve`` needs.
        # Each build here stands for a process of its own: it gets new ones.
        dict(MkDocsConfig._schema)["plugins"].plugin_cache.clear()  # type: ignore[attr-defined]
        self.config = load_config(
            config_file=str(root / f"mkdocs-{name}.yml"), site_dir=str(root / f"site-{name}")
        )
        if "sysdesign" in self.config.plugins:
            # Tables are rendered again in the rounds: keep what they read.
            self.config.plugins["sysdesign"].keep_model = True  # type: ignore[attr-defined]
        self.clock = EventClock()
        self.clock.attach(self.config.plugins)
        self.kept: dict[str, Any] = {}
        self.config.plugins["bench-replay-keeper"] = Keeper(self.kept)
        self.seconds = 0.0
        self.doc_files: list[Any] = []

    def run(self) -> None:
        """The whole build, as ``mkdocs build`` runs it."""
        start = time.process_time()
        build_site(self.config)
        self.seconds = time.process_time() - start
        # What `mkdocs build` lists once and hands to every page.
        self.doc_files = self.kept["files"].documentation_pages()

    def fastest_again(self) -> dict[str, dict[str, float]]:
        """The build's own times of the ``files``, ``nav`` and ``env`` events, by plugin:
        the first entries of :meth:`collect_again`'s fastest runs."""
        return {
            name: {event: events[event] for event in AGAIN if event in events}
            for name, events in self.clock.seconds.items()
        }

    def collect_again(self, fastest: dict[str, dict[str, float]]) -> None:
        """Run the ``files``, ``nav`` and ``env`` events once more on a fresh set of files,
        as a rebuild does, and keep each one's time in ``fastest`` if it is faster.

        These are where the plugin reads every page and builds its glossary matcher, the
        largest of its once-per-build costs. They start its collecting afresh, so they
        run after the pages' rounds.
        """
        plugins, env, nav = self.config.plugins, self.kept["env"], self.kept["nav"]
        files = get_files(self.config)
        files.add_files_from_theme(env, self.config)
        before = self.clock.seconds
        files = plugins.on_files(files, config=self.config)
        plugins.on_nav(nav, config=self.config, files=files)
        plugins.on_env(env, config=self.config, files=files)
        for name, events in self.clock.seconds.items():
            for event in AGAIN:
                if event in events:
                    spent = events[event] - before.get(name, {}).get(event, 0.0)
                    best = fastest.setdefault(name, {})
                    best[event] = min(best.get(event, spent), spent)

    def pages(self) -> dict[str, Any]:
        """The built pages by source path."""
        return {f.src_uri: f.page for f in self.doc_files}

    def page_seconds(self, page: Any) -> float:
        """CPU seconds of one page's whole part of a build, as MkDocs runs it."""
        files, nav, env = self.kept["files"], self.kept["nav"], self.kept["env"]
        level = self.config.validation.links.anchors
        start = time.process_time()
        _populate_page(page, self.config, files)
        _build_page(page, self.config, self.doc_files, nav, env)
        page.validate_anchor_links(files=files, log_level=level)
        return time.process_time() - start


class Keeper(BasePlugin):  # type: ignore[type-arg,no-untyped-call]
    """A plugin that keeps the build's files, navigation and template environment."""

    def __init__(self, kept: dict[str, Any]) -> None:
        super().__init__()
        self.kept = kept

    def on_nav(self, nav: Any, /, *, config: Any, files: Any) -> None:
        self.kept.setdefault("nav", nav)

    def on_env(self, env: Any, /, *, config: Any, files: Any) -> None:
        self.kept.setdefault("env", env)
        self.kept.setdefault("files", files)


def _by_folder(seconds: dict[str, float]) -> dict[str, float]:
    """Seconds summed by the top folder of each source path ("" for the docs root)."""
    folders: dict[str, float] = defaultdict(float)
    for src, value in seconds.items():
        folders[src.split("/", 1)[0] if "/" in src else ""] += value
    return dict(folders)


def warm_up(root: Path, name: str, scratch: Path) -> None:
    """Build a one-page site with the configuration, so that neither measured build pays
    for importing modules and for other work done once per process."""
    docs = scratch / "docs"
    docs.mkdir(exist_ok=True)
    (docs / "index.md").write_text("# Warm-up\n\nOne page.\n", encoding="utf-8")
    config = load_config(
        config_file=str(root / f"mkdocs-{name}.yml"),
        docs_dir=str(docs),
        site_dir=str(scratch / f"site-{name}"),
    )
    build_site(config)


def _interleaved(pages: list[list[str]]) -> list[tuple[int, str]]:
    """Every handbook's pages in one sequence, each handbook's spread evenly over it."""
    order = [
        (position / len(paths), index, path)
        for index, paths in enumerate(pages)
        for position, path in enumerate(paths)
    ]
    return [(index, path) for _, index, path in sorted(order)]


def measure(roots: list[Path], rounds: int) -> list[dict[str, Any]]:
    """Build each handbook both ways, run every page ``rounds`` times each way; the figures.

    The handbooks are measured together, their pages interleaved in every round, so a
    machine that is slower for a while slows every size alike.
    """
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as scratch:
        for name in ("plain", "plugin"):
            warm_up(roots[0], name, Path(scratch))
    sizes: list[dict[str, Build]] = []
    for root in roots:
        builds: dict[str, Build] = {}
        for name in ("plain", "plugin"):
            builds[name] = Build(root, name)
            builds[name].run()
        sizes.append(builds)
    gc.collect()
    gc.freeze()
    pages = [{name: build.pages() for name, build in builds.items()} for builds in sizes]
    fastest: list[dict[str, dict[str, float]]] = [{"plain": {}, "plugin": {}} for _ in sizes]
    schedule = _interleaved([list(each["plugin"]) for each in pages])
    for round_ in range(rounds):
        for position, (index, src) in enumerate(schedule):
            # Which configuration runs a page first alternates from page to page and from
            # round to round: a page run just after its own other run may find its source
            # and much of its work still in the processor's caches.
            first = (round_ + position) % 2 == 0
            for name in ("plain", "plugin") if first else ("plugin", "plain"):
                page = pages[index][name].get(src)
                if page is None:
                    continue
                seconds = sizes[index][name].page_seconds(page)
                known = fastest[index][name].get(src)
                fastest[index][name][src] = seconds if known is None else min(known, seconds)
    again = [{name: build.fastest_again() for name, build in builds.items()} for builds in sizes]
    for _ in range(rounds):
        for builds, runs in zip(sizes, again, strict=True):
            for name, build in builds.items():
                build.collect_again(runs[name])
    return [
        _figures(builds, runs, quickest, rounds)
        for builds, runs, quickest in zip(sizes, again, fastest, strict=True)
    ]


def _figures(
    builds: dict[str, Build],
    again: dict[str, dict[str, dict[str, float]]],
    fastest: dict[str, dict[str, float]],
    rounds: int,
) -> dict[str, Any]:
    once = {name: build.clock.once_per_build(again[name]) for name, build in builds.items()}
    added_once = sum(
        seconds - (0.0 if plugin == "sysdesign" else once["plain"].get(plugin, 0.0))
        for plugin, seconds in once["plugin"].items()
    )
    per_page = {
        src: seconds - fastest["plain"].get(src, 0.0) for src, seconds in fastest["plugin"].items()
    }
    return {
        "rounds": rounds,
        "pages": len(per_page),
        "build_seconds": {name: build.seconds for name, build in builds.items()},
        "once_per_build": once,
        "fastest_again": again,
        "events": {name: build.clock.seconds for name, build in builds.items()},
        "added_once": added_once,
        "added_pages": sum(per_page.values()),
        "added_by_folder": _by_folder(per_page),
        "pages_seconds": {name: sum(f.values()) for name, f in fastest.items()},
    }


if __name__ == "__main__":
    *folders, rounds, out = sys.argv[1:]
    figures = measure([Path(folder) for folder in folders], int(rounds))
    Path(out).write_text(json.dumps(figures, indent=2), encoding="utf-8")
