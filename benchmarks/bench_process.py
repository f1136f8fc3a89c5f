"""Workload 7: the whole `minigrad train` process against a PyTorch script doing the same.

Wall time includes interpreter start-up and imports, as a user sees it; peak
memory is the child process's maximum resident set size.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from harness import Row

HERE = Path(__file__).resolve().parent


def _run(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS in bytes of one run of ``command``."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        stderr = process.stderr.read().decode() if process.stderr else ""
        raise RuntimeError(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    return wall, usage.ru_maxrss * 1024.0  # ru_maxrss is in KiB on Linux


def run(with_torch: bool, rounds: int) -> list[Row]:
    commands = {"MiniGrad (`minigrad train`)": [sys.executable, "-m", "minigrad.tensor", "train"]}
    if with_torch:
        commands["PyTorch script"] = [sys.executable, str(HERE / "torch_train_digits.py")]
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
        is_torch = name != base_name
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
