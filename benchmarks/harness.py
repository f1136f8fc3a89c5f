"""Timing side by side: alternate the contenders, repeat after a warm-up, report medians.

Shared machines are noisy. Alternating the contenders round by round spreads a
noisy second over all of them instead of one, and the median of many rounds
ignores the outliers that remain; min and max are reported so the spread is
visible.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Timing:
    """The per-call times of one contender, in seconds."""

    name: str
    samples: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def min(self) -> float:
        return min(self.samples)

    @property
    def max(self) -> float:
        return max(self.samples)


def compare(
    contenders: dict[str, Callable[[], object]],
    *,
    rounds: int = 15,
    warmup: int = 2,
    number: int = 1,
    between: Callable[[], object] | None = None,
) -> dict[str, Timing]:
    """Time each contender ``rounds`` times, alternating, ``number`` calls per sample.

    Every contender runs ``warmup`` rounds first (caches, allocator, lazy imports).
    The samples are per call: the time of ``number`` calls divided by ``number``.
    ``between``, if given, runs untimed before every sample (e.g. ``gc.collect``,
    so that garbage one contender leaves is not collected on another's time).
    """
    timings = {name: Timing(name) for name in contenders}
    for _ in range(warmup):
        for fn in contenders.values():
            for _ in range(number):
                fn()
    for _ in range(rounds):
        for name, fn in contenders.items():
            if between is not None:
                between()
            start = time.perf_counter()
            for _ in range(number):
                fn()
            timings[name].samples.append((time.perf_counter() - start) / number)
    return timings


@dataclass
class Row:
    """One line of the results table: a contender on a workload, relative to MiniGrad."""

    workload: str
    contender: str
    median: float
    min: float
    max: float
    unit: str = "s"
    ratio: float | None = None  # contender median / MiniGrad median (>1: MiniGrad is faster)
    target: str = ""
    met: bool | None = None
    note: str = ""


def rows_for(
    workload: str,
    timings: dict[str, Timing],
    baseline: str,
    targets: dict[str, tuple[str, Callable[[float], bool]]] | None = None,
) -> list[Row]:
    """Table rows for a workload; ratios are each contender's median over ``baseline``'s.

    ``targets`` maps a contender to (target text, predicate on the ratio).
    """
    base = timings[baseline].median
    rows = []
    for name, timing in timings.items():
        ratio = timing.median / base
        target, met = "", None
        if targets and name in targets:
            target, check = targets[name]
            met = check(ratio)
        rows.append(
            Row(workload, name, timing.median, timing.min, timing.max, "s", ratio, target, met)
        )
    return rows


def format_seconds(seconds: float) -> str:
    """A duration in the unit that reads best (ns, us, ms or s)."""
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"
