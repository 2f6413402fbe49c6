"""The benchmark: plain Material against Material with the sysdesign plugin.

Every build is a ``mkdocs build`` in a process of its own (or, for ``rebuild``, MkDocs'
public ``load_config`` and ``build`` in one process, as ``mkdocs serve`` runs them). The
wall time is measured around it; the CPU time and peak memory come from the kernel's
accounting of that one child (``os.wait4``, and ``own_peak.py`` for the peak). Plain and
plugin builds of the same handbook alternate, the order flipping every round, and each
figure is the median of ``--repeat`` builds (peak memory: the largest).

Suites (``--suite``), each answering a question a user asks:

- ``overhead``: what does the plugin add to a build? N designs and K terms, plugin
  against plain: build time (CPU and wall) and peak memory, for each N of ``--designs``
  (300 and 1000 by default).
- ``glossary``: does a large glossary cost more? K=2000 against K=50 at the same page
  count, both with the plugin.
- ``rebuild``: what does an edit cost under ``mkdocs serve``? The second of two builds
  in one process, one design edited in between, with the plugin and without.

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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402 - the generator sits beside this script

SUITES = ("overhead", "glossary", "rebuild")
TIME_LIMITS = {300: 1.15, 1000: 1.10}
"""The most the plugin build may take against plain Material, by N (K=500): the plugin's
share is larger on small handbooks, whose plain builds are short."""
MEMORY_LIMIT = 1.20
GLOSSARY_LIMIT = 1.20
REBUILD_LIMIT = 1.10


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

    designs: list[int]
    terms: int
    repeat: int
    glossary_designs: int
    glossary_small: int
    glossary_large: int
    rebuild_designs: int
    rebuild_terms: int
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


def time_limit(designs: int) -> float:
    """The time target at N designs: that of the nearest size with a stated target."""
    nearest = min(TIME_LIMITS, key=lambda size: abs(size - designs))
    return TIME_LIMITS[nearest]


def suite_overhead(s: Settings) -> list[Row]:
    """Plugin against plain at each N of ``--designs`` and K terms: time and peak memory."""
    rows: list[Row] = []
    for designs in s.designs:
        root = ensure_handbook(s.work / f"n{designs}-k{s.terms}", designs, s.terms)
        s.log(f"overhead: {designs} designs, {s.terms} terms, {s.repeat} round(s)")
        runs = alternate(root, ["plain", "plugin"], s.repeat, s.log)
        plain, plugin = summary(runs["plain"]), summary(runs["plugin"])
        label = f"N={designs}, K={s.terms}"
        rows += [
            Row("overhead", f"plain build, {label}", _fmt(plain), data=asdict(plain)),
            Row("overhead", f"plugin build, {label}", _fmt(plugin), data=asdict(plugin)),
            compare_row(
                "overhead",
                f"build time plugin/plain, {label}",
                plugin,
                plain,
                time_limit(designs),
                s.metric,
            ),
            ratio_row(
                "overhead",
                f"peak memory plugin/plain, {label}",
                plugin.rss / plain.rss,
                MEMORY_LIMIT,
            ),
            Row(
                "overhead",
                f"warnings in the plugin build, {label}",
                str(plugin.warnings),
                "0",
                plugin.warnings == 0,
            ),
        ]
    return rows


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
            GLOSSARY_LIMIT,
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
        compare_row("rebuild", "rebuild plugin/plain", plugin, plain, REBUILD_LIMIT, s.metric),
    ]


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


def settings(args: argparse.Namespace) -> Settings:
    """Sizes for this run: the targets' sizes, or a quick version of them."""
    quick = args.quick
    designs = args.designs or ([250] if quick else [300, 1000])
    terms = args.terms or (125 if quick else 500)
    largest = max(designs)
    return Settings(
        designs=designs,
        terms=terms,
        repeat=args.repeat or (1 if quick else 3),
        glossary_designs=args.glossary_designs or max(1, largest // 10),
        glossary_small=min(args.glossary_terms or [50]),
        glossary_large=max(args.glossary_terms or [500 if quick else 2000]),
        rebuild_designs=args.rebuild_designs or max(1, largest // 4),
        rebuild_terms=max(1, terms // 4),
        metric=args.metric,
        work=args.workdir or Path(tempfile.gettempdir()) / "sysdesign-bench",
    )


def _suites(value: str) -> list[str]:
    names = list(SUITES) if value == "all" else value.split(",")
    if not all(name in SUITES for name in names):
        raise argparse.ArgumentTypeError(f"expected all or some of {', '.join(SUITES)}")
    return names


def _sizes(value: str) -> list[int]:
    try:
        sizes = [int(part) for part in value.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError("expected numbers separated by commas") from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("expected numbers of at least 1")
    return sizes


def main(argv: list[str] | None = None) -> int:
    """Command line of the benchmark; prints the results table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--designs",
        type=_sizes,
        help="N, designs of the overhead suite, comma-separated (300,1000)",
    )
    parser.add_argument("--terms", type=int, help="K, glossary terms (500)")
    parser.add_argument("--repeat", type=int, help="builds of each kind per measurement (3)")
    parser.add_argument("--quick", action="store_true", help="small sizes, one round")
    parser.add_argument(
        "--suite",
        default=list(SUITES),
        type=_suites,
        help="all, or one or more (comma-separated) of " + ", ".join(SUITES),
    )
    parser.add_argument("--glossary-designs", type=int, help="designs in the glossary suite")
    parser.add_argument(
        "--glossary-terms",
        type=_sizes,
        help="the two glossaries of the glossary suite, comma-separated (50,2000)",
    )
    parser.add_argument("--rebuild-designs", type=int, help="designs in the rebuild suite")
    parser.add_argument(
        "--metric",
        choices=("wall", "cpu"),
        default="wall",
        help="time the ratios are judged on; cpu is steadier on a busy machine",
    )
    parser.add_argument("--workdir", type=Path, help="where handbooks and sites are written")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON to this file")
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
    suites = {"overhead": suite_overhead, "glossary": suite_glossary, "rebuild": suite_rebuild}
    rows: list[Row] = []
    for name in SUITES:
        if name in args.suite:
            rows += suites[name](s)
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    print()
    print(table(rows))
    print(f"\n{time.time() - started:.0f} s in all; load average at the end {load[0]:.1f}")
    if args.json:
        args.json.write_text(
            json.dumps([asdict(r) | {"result": r.verdict} for r in rows], indent=2)
        )
    failed = [r for r in rows if r.ok is False]
    return 1 if args.strict and failed else 0


if __name__ == "__main__":
    sys.exit(main())
