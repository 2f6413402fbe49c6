"""Run a Python command line and record the peak memory of its own address space.

``python bench/own_peak.py -m mkdocs build ...`` runs like ``python -m mkdocs build ...``
(also ``-c CODE`` and ``SCRIPT``). At exit it writes ``VmHWM`` from
``/proc/self/status``, in KiB, to the file named by ``SYSDESIGN_PEAK_FILE``.

Why not ``ru_maxrss``: on Linux the peak recorded for a process survives ``exec``, and a
child starts from its parent's address space, so a small build started by a large
process (a test runner, say) reports the parent's peak. ``VmHWM`` belongs to the address
space the program itself runs in. Where ``/proc`` is missing, nothing is written and
``run.py`` falls back to ``ru_maxrss``.
"""

from __future__ import annotations

import atexit
import os
import runpy
import sys

PEAK_FILE = "SYSDESIGN_PEAK_FILE"


def _write_peak() -> None:
    target = os.environ.get(PEAK_FILE)
    if not target:
        return
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            peak = next((line.split()[1] for line in status if line.startswith("VmHWM:")), None)
    except OSError:
        return
    if peak is not None:
        with open(target, "w", encoding="ascii") as out:
            out.write(peak)


def main(args: list[str]) -> None:
    """Run ``args`` as the arguments after ``python`` would be run."""
    atexit.register(_write_peak)
    if args[0] == "-c":
        sys.argv = ["-c", *args[2:]]
        sys.path[0] = ""
        exec(compile(args[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102
    elif args[0] == "-m":
        sys.argv = [args[1], *args[2:]]
        sys.path[0] = os.getcwd()
        runpy.run_module(args[1], run_name="__main__", alter_sys=True)
    else:
        sys.argv = list(args)
        sys.path[0] = os.path.dirname(os.path.abspath(args[0]))
        runpy.run_path(args[0], run_name="__main__")


if __name__ == "__main__":
    main(sys.argv[1:])
