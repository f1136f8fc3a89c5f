"""Workload 7: the whole `minigrad train` process against a PyTorch script doing the same.

`minigrad train` compiles its step by default; the `--eager` row shows the same
run without (the same numbers bit for bit).

Wall time includes interpreter start-up and imports, as a user sees it; peak
memory is the child process's maximum resident set size.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import Row

HERE = Path(__file__).resolve().parent


# Peak memory is read by the child itself at exit from /proc/self/status
# (VmHWM, the high-water mark of its own address space). The rusage that
# wait4() returns would not do: Linux carries ru_maxrss across fork and exec,
# so every child would report at least this (large) parent's size.
_REPORT_PEAK = """
import atexit, runpy, sys
def report():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            print("peak-rss-kib", line.split()[1], file=sys.stderr)
atexit.register(report)
kind, target, *sys.argv[1:] = sys.argv[1:]
sys.argv[0] = target
if kind == "module":
    runpy.run_module(target, run_name="__main__", alter_sys=True)
else:
    runpy.run_path(target, run_name="__main__")
"""


def _run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in bytes of one run of ``command`` (kind, target, *args)."""
    start = time.perf_counter()
    process = subprocess.run(
        [sys.executable, "-c", _REPORT_PEAK, *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - start
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{process.stderr}")
    peaks = [line.split()[1] for line in process.stderr.splitlines() if line.startswith("peak-rss")]
    return wall, float(peaks[-1]) * 1024.0


def run(with_torch: bool, rounds: int) -> list[Row]:
    commands = {
        "MiniGrad (`minigrad train`)": ["module", "minigrad.tensor", "train"],
        "MiniGrad (`minigrad train --eager`)": ["module", "minigrad.tensor", "train", "--eager"],
    }
    if with_torch:
        commands["PyTorch script"] = ["path", str(HERE / "torch_train_digits.py")]
    walls: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(rounds):
        for name, command in commands.items():
            wall, peak = _run(command)
            walls[name].append(wall)
            peaks[name].append(peak)
    base_name = next(iter(commands))
    base_wall = statistics.median(walls[base_name])
    base_peak = statistics.median(peaks[base_name])
    rows = []
    for name in commands:
        wall, peak = statistics.median(walls[name]), statistics.median(peaks[name])
        is_torch = name.startswith("PyTorch")
        rows.append(
            Row(
                "7a. whole process: train on digits, wall time",
                name,
                wall,
                min(walls[name]),
                max(walls[name]),
                "s",
                wall / base_wall,
                ">= 5x slower than MiniGrad" if is_torch else "",
                wall / base_wall >= 5.0 if is_torch else None,
            )
        )
        rows.append(
            Row(
                "7b. whole process: peak memory (max RSS)",
                name,
                peak,
                min(peaks[name]),
                max(peaks[name]),
                "B",
                peak / base_peak,
                ">= 3x MiniGrad's" if is_torch else "",
                peak / base_peak >= 3.0 if is_torch else None,
            )
        )
    return rows
