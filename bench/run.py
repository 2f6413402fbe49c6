"""The benchmark: plain Material against Material with the sysdesign plugin.

Every build runs in its own process (``python -m mkdocs build -q -f ... -d ...``); the
wall time is measured around it and the CPU time and peak memory (maximum resident set
size) come from the kernel's accounting of that one child (``os.wait4``), so nothing
needs installing. Plain and plugin builds of the same handbook alternate, and each
figure is the median of ``--repeat`` builds (peak memory: the largest).

Suites (``--suite``):

- ``main``: N designs, K terms; plugin/plain build time and peak memory.
- ``glossary``: K=2000 against K=50 at the same page count (the small glossary padded
  with ordinary pages, because Material's nav makes build time grow with the square of
  the page count), both with the plugin.
- ``rebuild``: as ``mkdocs serve`` does, two builds in one process, one design edited in
  between; the second build is timed, with the plugin and without.
- ``linear``: the plugin's added seconds at N/4, N/2 and N, measured by ``replay.py``
  (each page's part of the build timed several times both ways; the fastest counts).
- ``micro``: the Markdown extension called directly on a 100 KB paragraph, a 5,000-term
  glossary and a 2,000-line dataflow block, at 1x, 2x and 4x those sizes.
- ``scaling``: one design page holding many headings, references, warnings or blocks
  (and tables, task items, a long line, related designs), at 1x, 4x and 16x, built plain
  and with the plugin; how the time beyond the empty page's build grows per 4x step.

Run ``python bench/run.py --help``; ``make bench`` runs every suite.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 - the generator sits beside this script

SUITES = ("main", "glossary", "rebuild", "linear", "micro", "scaling")
LINEAR_SLACK = 1.30
"""How much the cost per unit may grow from 1x to 4x and still count as linear (noise)."""
CONTROL_SHARE = 0.10
"""How large the replay's plain-against-plain control may come out, as a share of the
plugin's added time at the same size, for the replayed figures to be believed."""


@dataclass
class Measure:
    """One build: wall seconds, CPU seconds (user + system) and peak memory in MiB."""

    wall: float
    cpu: float
    rss: float
    warnings: int = 0


@dataclass
class Row:
    """One line of the results table."""

    suite: str
    name: str
    value: str
    target: str = ""
    ok: bool | None = None
    """None for information rows, which have no target."""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        """PASS, FAIL, or empty for an information row."""
        return "" if self.ok is None else ("PASS" if self.ok else "FAIL")


@dataclass
class Settings:
    """Sizes and repeats of one run (``--quick`` scales them down)."""

    designs: int
    terms: int
    repeat: int
    glossary_designs: int
    glossary_small: int
    glossary_large: int
    rebuild_designs: int
    rebuild_terms: int
    paragraph_kb: int
    micro_terms: int
    dataflow_lines: int
    scaling_unit: int
    """Things on the ``scaling`` suite's page at 1x (4x and 16x that at the other sizes)."""
    scaling_cases: list[str]
    metric: str
    work: Path
    log: Callable[[str], None] = print


# -- measuring ------------------------------------------------------------------------


PACKAGE = HERE.parent / "mkdocs_sysdesign"
_snapshot: Path | None = None


def snapshot_package(work: Path) -> Path:
    """Copy the plugin's package into ``work`` and measure that copy from now on.

    Other people edit the tree while a long run goes on; every build of one run then
    uses the code as it was when the run started.

    The copy is compiled to bytecode, as pip compiles an installed package and as
    Material's modules are: with ``PYTHONDONTWRITEBYTECODE`` set, each build would
    otherwise compile the plugin from source, time and memory that no installed copy
    spends.
    """
    import compileall
    import shutil

    global _snapshot
    target = work / "package"
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(
        PACKAGE, target / "mkdocs_sysdesign", ignore=shutil.ignore_patterns("__pycache__")
    )
    compileall.compile_dir(target / "mkdocs_sysdesign", quiet=1)
    _snapshot = target
    sys.path.insert(0, str(target))
    return target


def _env() -> dict[str, str]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONHASHSEED": "0"}
    if _snapshot is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_snapshot), env.get("PYTHONPATH")]))
    return env


def run_measured(command: list[str], cwd: Path) -> tuple[Measure, str, str]:
    """Run ``command`` as a child process; its wall time, CPU time, peak RSS and output.

    ``os.wait4`` gives the CPU time of exactly that child. A Python command runs under
    ``own_peak.py``, which reports the peak of the child's own address space; other
    commands, or systems without ``/proc``, get ``ru_maxrss``, which on Linux also counts
    the parent's peak (see ``own_peak.py``). Where ``wait4`` is missing, the process-wide
    ``RUSAGE_CHILDREN`` figures are used (CPU as a difference; the peak is then the
    largest of all children so far).
    """
    import resource

    if command[0] == sys.executable:
        command = [sys.executable, str(HERE / "own_peak.py"), *command[1:]]
    with tempfile.TemporaryDirectory() as scratch:
        out_path, err_path = Path(scratch, "out"), Path(scratch, "err")
        peak_file = Path(scratch, "peak")
        env = {**_env(), "SYSDESIGN_PEAK_FILE": str(peak_file)}
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        with out_path.open("wb") as out, err_path.open("wb") as err:
            process = subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=err)
            if hasattr(os, "wait4"):
                _, status, usage = os.wait4(process.pid, 0)
                wall = time.perf_counter() - start
                process.returncode = os.waitstatus_to_exitcode(status)
                cpu = usage.ru_utime + usage.ru_stime
                peak = usage.ru_maxrss
            else:  # pragma: no cover - every Unix the project supports has wait4
                process.wait()
                wall = time.perf_counter() - start
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
                peak = after.ru_maxrss
        stdout = out_path.read_bytes().decode("utf-8", "replace")
        stderr = err_path.read_bytes().decode("utf-8", "replace")
        own_peak = peak_file.read_text(encoding="ascii") if peak_file.exists() else ""
    # VmHWM and ru_maxrss on Linux are in KiB; ru_maxrss is in bytes on macOS.
    if own_peak:
        rss = int(own_peak) / 1024
    else:
        rss = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    warnings = sum(1 for line in stderr.splitlines() if line.startswith(("WARNING", "ERROR")))
    return Measure(wall, cpu, rss, warnings), stdout, stderr


def build(root: Path, config: str, site: str) -> Measure:
    """One ``mkdocs build`` of the handbook in ``root`` with ``mkdocs-<config>.yml``."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q"]
    command += ["-f", f"mkdocs-{config}.yml", "-d", str(root / site)]
    measure, _, _ = run_measured(command, root)
    return measure


def alternate(
    root: Path, configs: list[str], repeat: int, log: Callable[[str], None]
) -> dict[str, list[Measure]]:
    """Build ``root`` with each config in turn, ``repeat`` rounds; the order flips each round."""
    results: dict[str, list[Measure]] = {name: [] for name in configs}
    for round_ in range(repeat):
        order = configs if round_ % 2 == 0 else list(reversed(configs))
        for name in order:
            measure = build(root, name, f"site-{name}")
            results[name].append(measure)
            log(
                f"  {root.name} {name:<7} round {round_ + 1}: {measure.wall:7.1f} s wall, "
                f"{measure.cpu:7.1f} s CPU, {measure.rss:6.0f} MiB"
            )
    return results


def summary(measures: list[Measure]) -> Measure:
    """Medians of wall and CPU time; the largest peak memory; warnings of the worst build."""
    return Measure(
        statistics.median(m.wall for m in measures),
        statistics.median(m.cpu for m in measures),
        max(m.rss for m in measures),
        max(m.warnings for m in measures),
    )


def _fmt(measure: Measure) -> str:
    return f"{measure.wall:.1f} s wall, {measure.cpu:.1f} s CPU, {measure.rss:.0f} MiB"


def ratio_row(suite: str, name: str, value: float, limit: float, **data: Any) -> Row:
    """A row whose value is a ratio with an upper limit."""
    return Row(suite, name, f"{value:.2f}x", f"<= {limit:.2f}x", value <= limit, data)


def compare_row(
    suite: str, name: str, new: Measure, old: Measure, limit: float, metric: str
) -> Row:
    """``new`` against ``old`` judged on ``metric``; the value shows wall and CPU ratios."""
    wall, cpu = new.wall / old.wall, new.cpu / old.cpu
    value = cpu if metric == "cpu" else wall
    return Row(
        suite,
        f"{name} ({metric})",
        f"{value:.2f}x (wall {wall:.2f}x, CPU {cpu:.2f}x)",
        f"<= {limit:.2f}x",
        value <= limit,
        {"wall": wall, "cpu": cpu},
    )


def ensure_handbook(path: Path, designs: int, terms: int, pad_to: int = 0) -> Path:
    """Generate the handbook once per size (kept in the work folder between suites)."""
    marker = path / "generated.json"
    wanted = {"designs": designs, "terms": terms, "pad_to": pad_to}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return path
    if path.exists():
        import shutil

        shutil.rmtree(path)
    generate.generate(path, designs, terms, pad_glossary_to=pad_to)
    marker.write_text(json.dumps(wanted))
    return path


# -- suites ---------------------------------------------------------------------------


def suite_main(s: Settings) -> list[Row]:
    """Plugin against plain at N designs and K terms: time and peak memory."""
    root = ensure_handbook(s.work / f"n{s.designs}-k{s.terms}", s.designs, s.terms)
    s.log(f"main: {s.designs} designs, {s.terms} terms, {s.repeat} round(s)")
    runs = alternate(root, ["plain", "plugin"], s.repeat, s.log)
    plain, plugin = summary(runs["plain"]), summary(runs["plugin"])
    label = f"N={s.designs}, K={s.terms}"
    return [
        Row("main", f"plain build, {label}", _fmt(plain), data=asdict(plain)),
        Row("main", f"plugin build, {label}", _fmt(plugin), data=asdict(plugin)),
        compare_row("main", "build time plugin/plain", plugin, plain, 1.10, s.metric),
        ratio_row("main", "peak memory plugin/plain", plugin.rss / plain.rss, 1.20),
        Row(
            "main",
            "warnings in the plugin build",
            str(plugin.warnings),
            "0",
            plugin.warnings == 0,
        ),
    ]


def suite_glossary(s: Settings) -> list[Row]:
    """Large against small glossary, with the plugin, at the same page count."""
    pages = max(s.glossary_small, s.glossary_large)
    small = ensure_handbook(
        s.work / f"g{s.glossary_small}", s.glossary_designs, s.glossary_small, pad_to=pages
    )
    large = ensure_handbook(
        s.work / f"g{s.glossary_large}", s.glossary_designs, s.glossary_large, pad_to=pages
    )
    s.log(
        f"glossary: K={s.glossary_large} against K={s.glossary_small}, "
        f"{s.glossary_designs} designs + {pages} other pages each"
    )
    results: dict[str, list[Measure]] = {"small": [], "large": []}
    for round_ in range(s.repeat):
        order = [("small", small), ("large", large)]
        for name, root in order if round_ % 2 == 0 else reversed(order):
            measure = build(root, "plugin", "site-plugin")
            results[name].append(measure)
            s.log(f"  {root.name} plugin round {round_ + 1}: {_fmt(measure)}")
    lo, hi = summary(results["small"]), summary(results["large"])
    return [
        Row("glossary", f"plugin build, K={s.glossary_small} + padding", _fmt(lo)),
        Row("glossary", f"plugin build, K={s.glossary_large}", _fmt(hi)),
        compare_row(
            "glossary",
            f"K={s.glossary_large} / K={s.glossary_small}, {pages + s.glossary_designs + 1} pages",
            hi,
            lo,
            1.20,
            s.metric,
        ),
    ]


REBUILD_WORKER = """
import json, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config

config_file, site_dir, edited = sys.argv[1:4]
serve_url = "http://127.0.0.1:8000/"

def get_config():
    # What `mkdocs serve` does before every rebuild: load the configuration again (plugins
    # that have on_startup/on_shutdown are reused from MkDocs' plugin cache).
    config = load_config(config_file=config_file, site_dir=site_dir)
    config.site_url = serve_url
    return config

config = get_config()
# Like `mkdocs serve`: plugins with this event are kept for every later build.
config.plugins.on_startup(command="serve", dirty=False)
build(config, serve_url=serve_url)
path = Path(edited)
path.write_text(path.read_text() + "\\nEdited while serving: one more paragraph.\\n")
wall, cpu = time.perf_counter(), time.process_time()
build(get_config(), serve_url=serve_url)
print(json.dumps({"wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu}))
"""


def suite_rebuild(s: Settings) -> list[Row]:
    """The second of two builds in one process, after editing one design (``mkdocs serve``)."""
    root = ensure_handbook(
        s.work / f"rebuild-n{s.rebuild_designs}-k{s.rebuild_terms}",
        s.rebuild_designs,
        s.rebuild_terms,
    )
    design = sorted((root / "docs" / "designs").glob("*.md"))[0]
    original = design.read_text(encoding="utf-8")
    s.log(f"rebuild: {s.rebuild_designs} designs, {s.rebuild_terms} terms, edit {design.name}")
    results: dict[str, list[Measure]] = {"plain": [], "plugin": []}
    try:
        for round_ in range(s.repeat):
            order = ["plain", "plugin"] if round_ % 2 == 0 else ["plugin", "plain"]
            for name in order:
                design.write_text(original, encoding="utf-8")
                command = [sys.executable, "-c", REBUILD_WORKER, f"mkdocs-{name}.yml"]
                command += [str(root / f"site-serve-{name}"), str(design)]
                whole, stdout, _ = run_measured(command, root)
                second = json.loads(stdout.strip().splitlines()[-1])
                measure = Measure(second["wall"], second["cpu"], whole.rss)
                results[name].append(measure)
                s.log(f"  {name:<7} round {round_ + 1}: second build {_fmt(measure)}")
    finally:
        design.write_text(original, encoding="utf-8")
    plain, plugin = summary(results["plain"]), summary(results["plugin"])
    label = f"N={s.rebuild_designs}, K={s.rebuild_terms}"
    return [
        Row("rebuild", f"plain rebuild, {label}", _fmt(plain)),
        Row("rebuild", f"plugin rebuild, {label}", _fmt(plugin)),
        compare_row("rebuild", "rebuild plugin/plain", plugin, plain, 1.10, s.metric),
    ]


def suite_linear(s: Settings) -> list[Row]:
    """The plugin's added seconds at N/4, N/2 and N designs (same K), from ``replay.py``.

    The difference of two whole builds is at the mercy of the machine's drift when the
    plugin's share is small; the replay times each page's part of the build several
    times both ways and keeps the fastest (see ``replay.py``).
    """
    sizes = [max(1, s.designs // 4), max(1, s.designs // 2), s.designs]
    # An even number of rounds runs each page first in half of them, each way.
    rounds = max(2, s.repeat + s.repeat % 2)
    roots = [ensure_handbook(s.work / f"n{n}-k{s.terms}", n, s.terms) for n in sizes]
    control = ensure_control(roots[-1])
    s.log(
        f"linear: {', '.join(map(str, sizes))} designs, {s.terms} terms: both builds of each "
        f"and two plain builds of N={sizes[-1]} as a control, then {rounds} rounds of their "
        "pages, interleaved"
    )
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch, "replay.json")
        command = [sys.executable, str(HERE / "replay.py"), *map(str, [*roots, control])]
        run_measured([*command, str(rounds), str(out)], s.work)
        *results, checked = json.loads(out.read_text(encoding="utf-8"))
    by_size: dict[int, dict[str, Any]] = dict(zip(sizes, results, strict=True))
    added: dict[int, float] = {}
    rows: list[Row] = []
    for n, result in by_size.items():
        builds = result["build_seconds"]
        difference = builds["plugin"] - builds["plain"]
        added[n] = result["added_once"] + result["added_pages"]
        s.log(
            f"  N={n}: builds {builds['plain']:.1f} / {builds['plugin']:.1f} s CPU; added "
            f"{added[n]:.2f} s ({result['added_once']:.2f} s once, "
            f"{result['added_pages']:.2f} s in pages)"
        )
        rows.append(
            Row(
                "linear",
                f"plugin build minus plain build, N={n}",
                f"CPU {difference:.1f} s ({1000 * difference / n:.0f} ms per design)",
                data={"builds": builds},
            )
        )
        rows.append(
            Row(
                "linear",
                f"plugin's added time, N={n} (replayed)",
                f"CPU {added[n]:.2f} s ({1000 * added[n] / n:.1f} ms per design): "
                f"{result['added_once']:.2f} s once per build, "
                f"{result['added_pages']:.2f} s in {result['pages']} pages",
                data=result,
            )
        )
    first, last = sizes[0], sizes[-1]
    name = f"added time per design, N={last} / N={first} (replayed, cpu)"
    if added[first] > 0 and added[last] > 0:
        growth = (added[last] / last) / (added[first] / first)
        rows.append(ratio_row("linear", name, growth, LINEAR_SLACK))
    else:
        where = " and ".join(f"N={n}" for n in (first, last) if added[n] <= 0)
        rows.append(
            Row("linear", f"{name}: not positive at {where}", "-", f"<= {LINEAR_SLACK:.2f}x", False)
        )
    rows.append(replay_consistency(by_size))
    rows.append(replay_control(sizes[-1], checked, added[sizes[-1]]))
    return rows


def ensure_control(root: Path) -> Path:
    """A handbook beside ``root`` whose two configurations are both ``root``'s plain one,
    reading ``root``'s pages: replayed like the others, its added time should be zero."""
    control = root.with_name(f"control-{root.name}")
    control.mkdir(exist_ok=True)
    plain = yaml.safe_load((root / "mkdocs-plain.yml").read_text(encoding="utf-8"))
    plain["docs_dir"] = str((root / "docs").resolve())
    text = yaml.safe_dump(plain, sort_keys=False)
    for name in ("plain", "plugin"):
        (control / f"mkdocs-{name}.yml").write_text(text, encoding="utf-8")
    return control


def replay_control(n: int, control: dict[str, Any], added: float) -> Row:
    """Whether the replay is fair to both configurations: the same plain handbook
    replayed as both must come out near zero, next to the plugin's added time."""
    seconds = control["added_once"] + control["added_pages"]
    share = abs(seconds) / added if added > 0 else float("inf")
    return Row(
        "linear",
        f"control: plain against plain, N={n} (replayed)",
        f"CPU {seconds:+.2f} s ({100 * share:.0f}% of the plugin's {added:.2f} s)",
        f"<= {100 * CONTROL_SHARE:.0f}%",
        share <= CONTROL_SHARE,
        data=control,
    )


def replay_consistency(results: dict[int, dict[str, Any]]) -> Row:
    """Whether the replay can be believed: the plugin only adds work to a page, so no
    folder of pages may come out faster with it. One that does shows the replay is
    biased (by more than its noise, when many pages are summed), and the ratio with it."""
    faster = [
        f"{folder or 'docs root'} at N={n}: {seconds:.2f} s"
        for n, result in results.items()
        for folder, seconds in sorted(result["added_by_folder"].items())
        if seconds < 0
    ]
    return Row(
        "linear",
        "folders of pages faster with the plugin (replayed)",
        "; ".join(faster) or "none",
        "none",
        not faster,
    )


class Stopwatch:
    """Adds up the CPU time spent inside wrapped functions (the extension's processors)."""

    def __init__(self) -> None:
        self.total = 0.0

    def wrap(self, func: Callable[..., Any]) -> Callable[..., Any]:
        """``func`` with its CPU time added to :attr:`total` on every call."""

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return func(*args, **kwargs)
            finally:
                self.total += time.process_time() - start

        return timed


def _best_time(func: Callable[[], object], repeat: int, watch: Stopwatch | None = None) -> float:
    """CPU seconds of the fastest of ``repeat`` calls, after one warm-up call.

    Like ``timeit``: the garbage collector is off while timing (its pauses depend on
    everything else alive in the process), and the minimum of process CPU time is the
    steadiest estimate of what the code costs on a machine other jobs keep busy. With
    ``watch``, the time is what ``watch`` counted during the call instead of the whole call.
    """
    import gc

    start = time.process_time()
    func()
    if time.process_time() - start > 1.0:
        # A call of seconds still varies by tens of per cent on a shared machine (one
        # round of reading 20,000 term pages gave 1.12x and 1.83x per term): three rounds.
        repeat = min(repeat, 3)
    times = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(repeat):
            start = time.process_time()
            counted = watch.total if watch else 0.0
            func()
            if watch is not None:
                times.append(watch.total - counted)
            else:
                times.append(time.process_time() - start)
    finally:
        gc.enable()
    return min(times)


def _linear_rows(
    name: str, unit: str, sizes: list[int], times: list[float], totals: list[float] | None = None
) -> list[Row]:
    rows = []
    for index, (size, t) in enumerate(zip(sizes, times, strict=True)):
        value = f"{1000 * t:.1f} ms CPU"
        if totals is not None:
            value = f"{1000 * t:.1f} ms CPU in sysdesign, {1000 * totals[index]:.1f} ms in all"
        rows.append(Row("micro", f"{name}, {size:,} {unit}", value))
    growth = (times[-1] / sizes[-1]) / (times[0] / sizes[0]) if times[0] > 0 else float("inf")
    rows.append(ratio_row("micro", f"{name}: cost per {unit}, 4x / 1x", growth, LINEAR_SLACK))
    return rows


def suite_micro(s: Settings) -> list[Row]:
    """The Markdown extension alone, at 1x, 2x and 4x input sizes.

    Python-Markdown's own inline processing of one huge paragraph is not linear, so the
    extension's share is measured directly: the CPU time spent inside its processors and
    block formatter, which are wrapped with a :class:`Stopwatch`.
    """
    import random

    import markdown

    from mkdocs_sysdesign.collect import Options, SourceFile, collect
    from mkdocs_sysdesign.extension import SiteContext, SysdesignExtension, custom_fences
    from mkdocs_sysdesign.glossary import TermIndex
    from mkdocs_sysdesign.model import Term

    repeat = max(5, s.repeat)
    factors = [1, 2, 4]

    def to_terms(generated: list[generate.GlossaryTerm]) -> dict[str, Term]:
        return {
            t.id: Term(
                t.id,
                t.name,
                f"glossary/{t.id}.md",
                list(t.aliases),
                category=t.category,
                summary=f"About {t.name}.",
            )
            for t in generated
        }

    def converter(
        index: TermIndex, autolink: str = "first"
    ) -> tuple[Callable[[str], str], Stopwatch]:
        watch = Stopwatch()
        fences = custom_fences()
        for fence in fences:
            fence["format"] = watch.wrap(fence["format"])
        site = SiteContext(term_index=index, autolink=autolink)
        md = markdown.Markdown(
            extensions=[SysdesignExtension(site), "toc", "tables", "pymdownx.superfences"],
            extension_configs={"pymdownx.superfences": {"custom_fences": fences}},
        )
        for registry in (md.preprocessors, md.treeprocessors, md.postprocessors):
            for processor in registry:
                if type(processor).__module__.startswith("mkdocs_sysdesign"):
                    processor.run = watch.wrap(processor.run)  # type: ignore[method-assign]
        for pattern in md.inlinePatterns:
            if type(pattern).__module__.startswith("mkdocs_sysdesign"):
                pattern.handleMatch = watch.wrap(pattern.handleMatch)  # type: ignore[method-assign]

        def convert(text: str) -> str:
            html = md.convert(text)
            md.reset()
            return html

        return convert, watch

    rows: list[Row] = []
    s.log("micro: paragraph")
    glossary = generate.make_terms(s.terms, random.Random(1))
    index = TermIndex(to_terms(glossary))
    sizes = [s.paragraph_kb * f for f in factors]
    texts = [generate.prose_text(1000 * size, glossary) for size in sizes]
    for autolink in ("first", "all"):
        convert, watch = converter(index, autolink)
        ours = [_best_time(lambda t=t, c=convert: c(t), repeat, watch) for t in texts]
        totals = [_best_time(lambda t=t, c=convert: c(t), repeat) for t in texts]
        rows += _linear_rows(f"paragraph, autolink {autolink}", "KB", sizes, ours, totals)

    s.log("micro: glossary")
    sizes = [s.micro_terms * f for f in factors]
    all_terms = generate.make_terms(sizes[-1], random.Random(1))
    fixed = generate.prose_text(20_000, all_terms[: min(500, sizes[0])])
    rng = random.Random(3)
    ids = [t.id for t in all_terms]
    pages = [
        SourceFile(f"glossary/{t.id}.md", generate.term_page(t, generate.Writer(rng, []), rng, ids))
        for t in all_terms
    ]
    collect_times, index_times, link_times = [], [], []
    for size in sizes:
        subset = pages[:size]
        collect_times.append(_best_time(lambda p=subset: collect(p, Options()), repeat))
        terms = to_terms(all_terms[:size])
        index_times.append(_best_time(lambda t=terms: TermIndex(t), repeat))
        convert, watch = converter(TermIndex(terms))
        link_times.append(_best_time(lambda c=convert: c(fixed), repeat, watch))
    rows += _linear_rows("reading term pages (collect)", "terms", sizes, collect_times)
    rows += _linear_rows("term index", "terms", sizes, index_times)
    rows += [
        Row(
            "micro",
            f"linking a fixed 20 KB page, {size:,} terms",
            f"{1000 * t:.1f} ms CPU in sysdesign",
        )
        for size, t in zip(sizes, link_times, strict=True)
    ]
    rows.append(
        ratio_row(
            "micro",
            f"linking a fixed page, {sizes[-1]:,} / {sizes[0]:,} terms",
            link_times[-1] / link_times[0],
            1.20,
        )
    )

    s.log("micro: dataflow")
    sizes = [s.dataflow_lines * f for f in factors]
    blocks = [f"```dataflow\n{generate.dataflow_text(n)}\n```\n" for n in sizes]
    convert, watch = converter(TermIndex({}))
    ours = [_best_time(lambda b=b: convert(b), repeat, watch) for b in blocks]
    totals = [_best_time(lambda b=b: convert(b), repeat) for b in blocks]
    rows += _linear_rows("dataflow block", "lines", sizes, ours, totals)
    return rows


SCALING_FACTORS = (1, 4, 16)
SCALING_FLOOR = 0.10
"""Time beyond the empty page's build below this share of it is too small to judge
growth from."""


def suite_scaling(s: Settings) -> list[Row]:
    """One page with N, 4N and 16N of one thing, plain and with the plugin.

    Each configuration builds every size of a case in one process (``scaling.py``), the
    fastest of ``--repeat`` rounds counting, and the same page with
    none of the thing (the empty page). What a build spends beyond the empty page's
    build is what the things cost; with the plugin it may grow by at most 4x (times the
    noise allowance) per 4x step, more is superlinear. Plain Material's growth is shown
    beside it: the plugin replaces some of plain Material's work (its blocks are not
    highlighted as code), so the difference of the two builds alone can shrink or turn
    negative as a page grows.
    """
    rounds = s.repeat
    limit = 4 * LINEAR_SLACK
    rows: list[Row] = []
    for number, case in enumerate(s.scaling_cases):
        sizes = [0] + [s.scaling_unit * factor for factor in SCALING_FACTORS]
        roots = [ensure_scaling_site(s.work / f"scaling-{case}-{n}", case, n) for n in sizes]
        s.log(f"scaling: {case} ({generate.SCALING_CASES[case]}), {', '.join(map(str, sizes))}")
        figures: dict[str, list[dict[str, Any]]] = {}
        order = ["plain", "plugin"] if number % 2 == 0 else ["plugin", "plain"]
        with tempfile.TemporaryDirectory() as scratch:
            for name in order:
                out = Path(scratch, f"{name}.json")
                command = [sys.executable, str(HERE / "scaling.py"), name, str(rounds), str(out)]
                run_measured([*command, *map(str, roots)], s.work)
                figures[name] = json.loads(out.read_text(encoding="utf-8"))
        plain = [f["seconds"] for f in figures["plain"]]
        plugin = [f["seconds"] for f in figures["plugin"]]
        for index, n in enumerate(sizes):
            warnings = figures["plugin"][index]["warnings"]
            rows.append(
                Row(
                    "scaling",
                    f"{case}, {n:,}",
                    f"plain {plain[index]:.2f} s, plugin {plugin[index]:.2f} s CPU; "
                    f"{warnings} warnings",
                    data={"plain": plain[index], "plugin": plugin[index], "warnings": warnings},
                )
            )
        for index in range(2, len(sizes)):
            name = f"{case}: beyond the empty page, {sizes[index]:,} / {sizes[index - 1]:,}"
            plain_growth = _growth(plain, index)
            shown = "-" if plain_growth is None else f"{plain_growth:.2f}x"
            growth = _growth(plugin, index)
            if growth is None:
                # Too small beside the empty page's build to tell from noise: not judged.
                rows.append(Row("scaling", name, f"- (too small to compare; plain {shown})"))
                continue
            flag = "" if growth <= limit else " superlinear"
            rows.append(
                Row(
                    "scaling",
                    name,
                    f"{growth:.2f}x{flag} (plain {shown})",
                    f"<= {limit:.2f}x",
                    growth <= limit,
                    {"growth": growth, "plain_growth": plain_growth},
                )
            )
    return rows


def _growth(seconds: list[float], index: int) -> float | None:
    """How much more than the empty page (``seconds[0]``) size ``index`` took than the
    size before it; None when the smaller is too close to the empty page to compare."""
    before, after = seconds[index - 1] - seconds[0], seconds[index] - seconds[0]
    if before < SCALING_FLOOR * seconds[0]:
        return None
    return after / before


def ensure_scaling_site(path: Path, case: str, count: int) -> Path:
    """Generate the one-page site of a case and size once (kept in the work folder)."""
    marker = path / "generated.json"
    wanted = {"case": case, "count": count}
    if marker.exists() and json.loads(marker.read_text()) == wanted:
        return path
    if path.exists():
        import shutil

        shutil.rmtree(path)
    generate.generate_scaling(path, case, count)
    marker.write_text(json.dumps(wanted))
    return path


# -- output ---------------------------------------------------------------------------


def table(rows: list[Row]) -> str:
    """The results as a fixed-width text table."""
    header = ("suite", "measurement", "value", "target", "result")
    cells = [header] + [(r.suite, r.name, r.value, r.target, r.verdict) for r in rows]
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)).rstrip() for cell in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def profiled_build(root: Path) -> Any:
    """cProfile one plugin build of the handbook at ``root``; its ``pstats.Stats``."""
    import pstats

    out = root / "plugin.prof"
    command = [sys.executable, "-m", "cProfile", "-o", str(out), "-m", "mkdocs", "build", "-q"]
    command += ["-f", "mkdocs-plugin.yml", "-d", str(root / "site-profile")]
    run_measured(command, root)
    return pstats.Stats(str(out))


def _in_plugin(filename: str) -> bool:
    return "mkdocs_sysdesign" in filename.replace(os.sep, "/").split("/")


def seconds_inside_plugin(stats: Any) -> float:
    """Seconds a profile spent in the plugin's code, with everything it called.

    Each call into the package from outside it (MkDocs running an event, Python-Markdown
    running a processor) is counted with its cumulative time; calls within the package
    are inside those already.
    """
    total = 0.0
    for (filename, _, _), (_, _, _, cumulative, callers) in stats.stats.items():
        if not _in_plugin(filename):
            continue
        if not callers:  # called from where the profile started
            total += cumulative
        for (caller_file, _, _), timing in callers.items():
            if not _in_plugin(caller_file):
                total += timing[3]
    return total


def profile(s: Settings, top: int = 15) -> str:
    """cProfile one plugin build of the main handbook; the top mkdocs_sysdesign entries."""
    root = ensure_handbook(s.work / f"n{s.designs}-k{s.terms}", s.designs, s.terms)
    stats = profiled_build(root)
    entries = [
        (key, value)
        for key, value in stats.stats.items()  # type: ignore[attr-defined]
        if _in_plugin(key[0])
    ]
    entries.sort(key=lambda item: item[1][3], reverse=True)
    whole = sum(timing[2] for timing in stats.stats.values())  # type: ignore[attr-defined]
    lines = [
        f"{seconds_inside_plugin(stats):.2f} s of the profiled build's {whole:.2f} s were "
        "spent inside mkdocs_sysdesign",
        "",
        f"{'cumulative s':>12}  {'calls':>8}  function",
        "-" * 60,
    ]
    for (filename, line, function), (_, calls, _, cumulative, _) in entries[:top]:
        where = "mkdocs_sysdesign" + filename.replace(os.sep, "/").rsplit("mkdocs_sysdesign", 1)[1]
        lines.append(f"{cumulative:12.2f}  {calls:8d}  {where}:{line}({function})")
    return "\n".join(lines)


def settings(args: argparse.Namespace) -> Settings:
    """Sizes for this run: the targets' sizes, or a quick version of them."""
    quick = args.quick
    designs = args.designs or (250 if quick else 1000)
    terms = args.terms or (125 if quick else 500)
    return Settings(
        designs=designs,
        terms=terms,
        repeat=args.repeat or (1 if quick else 3),
        glossary_designs=args.glossary_designs or max(1, designs // 10),
        glossary_small=50,
        glossary_large=500 if quick else 2000,
        rebuild_designs=args.rebuild_designs or max(1, designs // 4),
        rebuild_terms=max(1, terms // 4),
        paragraph_kb=10 if quick else 100,
        micro_terms=500 if quick else 5000,
        dataflow_lines=200 if quick else 2000,
        scaling_unit=args.scaling_unit or (250 if quick else 1000),
        scaling_cases=args.scaling_cases,
        metric=args.metric,
        work=args.workdir or Path(tempfile.gettempdir()) / "sysdesign-bench",
    )


def _suites(value: str) -> str:
    names = value.split(",")
    if value != "all" and not all(name in SUITES for name in names):
        raise argparse.ArgumentTypeError(f"expected all or some of {', '.join(SUITES)}")
    return value


def _scaling_cases(value: str) -> list[str]:
    names = value.split(",")
    unknown = [name for name in names if name not in generate.SCALING_CASES]
    if unknown:
        raise argparse.ArgumentTypeError(
            f"unknown case {unknown[0]!r}; expected some of {', '.join(generate.SCALING_CASES)}"
        )
    return names


def main(argv: list[str] | None = None) -> int:
    """Command line of the benchmark; prints the results table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--designs", type=int, help="N, designs in the main handbook (1000)")
    parser.add_argument("--terms", type=int, help="K, glossary terms in the main handbook (500)")
    parser.add_argument("--repeat", type=int, help="builds of each kind per measurement (3)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one round")
    parser.add_argument(
        "--suite",
        default="all",
        type=_suites,
        help="all, or one or more (comma-separated) of " + ", ".join(SUITES),
    )
    parser.add_argument("--glossary-designs", type=int, help="designs in the glossary suite")
    parser.add_argument("--rebuild-designs", type=int, help="designs in the rebuild suite")
    parser.add_argument(
        "--scaling-unit", type=int, help="things on the scaling page at 1x (1000; quick: 250)"
    )
    parser.add_argument(
        "--scaling-cases",
        type=_scaling_cases,
        default=list(generate.SCALING_CASES),
        help="comma-separated cases of the scaling suite: "
        + ", ".join(generate.SCALING_CASES)
        + " (all)",
    )
    parser.add_argument(
        "--metric",
        choices=("wall", "cpu"),
        default="wall",
        help="time the ratios are judged on; cpu is steadier on a busy machine",
    )
    parser.add_argument("--workdir", type=Path, help="where handbooks and sites are written")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
    parser.add_argument(
        "--profile", action="store_true", help="then cProfile one plugin build of the main size"
    )
    parser.add_argument(
        "--live-package",
        action="store_true",
        help="measure the package in place instead of a copy taken when the run starts",
    )
    parser.add_argument(
        "--strict", action="store_true", help="exit with status 1 when a target is missed"
    )
    args = parser.parse_args(argv)
    s = settings(args)
    s.work.mkdir(parents=True, exist_ok=True)
    if not args.live_package:
        snapshot_package(s.work)
    started = time.time()
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    s.log(
        f"sysdesign benchmark, {dt.date.today()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}, load {load[0]:.1f}; work folder {s.work}"
    )
    rows: list[Row] = []
    chosen = [name for name in SUITES if args.suite == "all" or name in args.suite.split(",")]
    for name in chosen:
        if name == "main":
            rows += suite_main(s)
        elif name == "glossary":
            rows += suite_glossary(s)
        elif name == "rebuild":
            rows += suite_rebuild(s)
        elif name == "linear":
            rows += suite_linear(s)
        elif name == "micro":
            rows += suite_micro(s)
        else:
            rows += suite_scaling(s)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print()
    print(table(rows))
    print(f"\n{time.time() - started:.0f} s in all; load average at the end {load[0]:.1f}")
    if args.json:
        args.json.write_text(
            json.dumps([asdict(r) | {"result": r.verdict} for r in rows], indent=2)
        )
    if args.profile:
        print("\nmkdocs_sysdesign in a cProfile of one plugin build (cumulative):")
        print(profile(s))
    failed = [r for r in rows if r.ok is False]
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
