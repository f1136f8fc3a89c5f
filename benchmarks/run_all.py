"""Run every benchmark workload and write the results table (``nox -s bench``).

Usage: ``python benchmarks/run_all.py [--output docs/benchmarks.md] [--rounds N] [--only 1,3]``.
References that are not installed (micrograd, torch) are skipped with a note.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.metadata
import os
import platform
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import Row, format_seconds
from threadpoolctl import threadpool_limits

from minigrad.tensor._allocator import retain_freed_memory


def _optional(module: str) -> ModuleType | None:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


def _version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _format_value(row: Row, value: float) -> str:
    if row.unit == "B":
        return f"{value / 2**20:.1f} MiB" if value >= 2**20 else f"{value:,.0f} B"
    return format_seconds(value)


def _table(rows: list[Row]) -> str:
    lines = [
        "| workload | contender | median | min | max | ratio to MiniGrad* | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        ratio = "" if row.ratio is None else f"{row.ratio:.2f}x"
        met = {None: "", True: "yes", False: "**no**"}[row.met]
        lines.append(
            f"| {row.workload} | {row.contender} | {_format_value(row, row.median)} | "
            f"{_format_value(row, row.min)} | {_format_value(row, row.max)} | {ratio} | "
            f"{row.target} | {met} |"
        )
    notes = [f"- {row.workload}, {row.contender}: {row.note}" for row in rows if row.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--output", type=Path, default=None, help="markdown file to write")
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds per workload")
    parser.add_argument("--only", default="", help="comma-separated workload numbers (1-9)")
    args = parser.parse_args()
    only = {int(n) for n in args.only.split(",") if n}

    micrograd = _optional("micrograd")
    if micrograd is not None:  # its submodules are not imported by its __init__
        importlib.import_module("micrograd.engine")
        importlib.import_module("micrograd.nn")
    torch: Any = _optional("torch")
    skipped = []
    if micrograd is None:
        skipped.append("micrograd is not installed: workload 1 has no micrograd rows")
    if torch is None:
        skipped.append("torch is not installed: workloads 3-8 have no PyTorch rows")

    import bench_gpt
    import bench_process
    import bench_scalar
    import bench_tensor_ops
    import bench_tensor_training

    workloads = {
        1: lambda: bench_scalar.training_step(micrograd, args.rounds),
        2: lambda: bench_scalar.chain_backward(args.rounds),
        3: lambda: bench_tensor_ops.run(torch, args.rounds),
        4: lambda: bench_tensor_training.digits_mlp(torch, args.rounds),
        5: lambda: bench_tensor_training.mlp_784(torch, args.rounds),
        6: lambda: bench_tensor_training.cnn(torch, args.rounds),
        7: lambda: bench_process.run(torch is not None, max(3, args.rounds // 3)),
        8: lambda: bench_gpt.gpt_step(torch, args.rounds),
        9: lambda: bench_scalar.gpt_training_step(args.rounds),
    }
    rows: list[Row] = []
    started = time.perf_counter()
    # Every contender computes on one core: PyTorch with set_num_threads(1),
    # NumPy (MiniGrad and the hand-written reference) with one BLAS thread.
    if torch is not None:
        torch.set_num_threads(1)
    blas = threadpool_limits(limits=1, user_api="blas")
    # As `minigrad train` does, the process keeps freed memory for reuse (glibc's
    # allocator, for every contender): otherwise each step's large arrays are
    # handed back to the kernel and page-faulted in again on the next step.
    kept_memory = retain_freed_memory()
    for number, workload in workloads.items():
        if only and number not in only:
            continue
        print(f"workload {number} ...", flush=True)
        new_rows = workload()
        for row in new_rows:
            ratio = "" if row.ratio is None else f"  ratio {row.ratio:.2f}x"
            print(f"  {row.contender:28s} {_format_value(row, row.median):>10s}{ratio}")
        rows += new_rows
    elapsed = time.perf_counter() - started
    blas.restore_original_limits()

    report = "\n".join(
        [
            "# Benchmarks",
            "",
            "Written by `python3 -m nox -s bench` (which runs `benchmarks/run_all.py`); "
            "rerun it to refresh this page. Every workload times its contenders in one "
            "process run, alternating them round by round after a warm-up; the table gives "
            "the median, min and max time per call and each contender's median divided by "
            "MiniGrad's (above 1x: MiniGrad is faster; *where a workload has a "
            "`MiniGrad compiled` row, the ratios are to it, and the eager row shows what "
            "compiling gains). Timing never enters the unit tests.",
            "",
            "## Machine",
            "",
            f"- CPU: {_cpu_name()} ({os.cpu_count()} cores), {platform.system()} "
            f"{platform.release()}",
            f"- Python {platform.python_version()}, NumPy {_version('numpy')}, "
            f"minigrad-scalar {_version('minigrad-scalar')}, "
            f"minigrad-tensor {_version('minigrad-tensor')}, "
            f"micrograd {_version('micrograd')}, torch {_version('torch')}",
            f"- {args.rounds} rounds per workload; whole run {elapsed:.0f} s",
            "- every contender on one core: PyTorch `set_num_threads(1)`, NumPy's BLAS "
            "limited to one thread (threadpoolctl), as `minigrad train` does",
            "- the process keeps freed memory for reuse (glibc `mallopt`, "
            "`minigrad.tensor._allocator.retain_freed_memory`), as `minigrad train` does: "
            + ("on" if kept_memory else "not available here, off"),
            *[f"- skipped: {note}" for note in skipped],
            "",
            "## Results",
            "",
            _table(rows),
            "",
        ]
    )
    if args.output is not None:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report, encoding="utf-8")
        print(f"wrote {args.output}")
    else:
        print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
