"""erf and exact GELU on 131,072 elements: the vectorised ``_erf`` against the code before it.

"before" is the implementation that ``_elementwise.py`` used until ``_erf.py`` existed
(float32: Numerical Recipes' erfc in ten Horner passes over fresh arrays; float64:
``math.erf`` per element), copied here so the comparison outlives its replacement.
Usage: ``python benchmarks/bench_erf.py [--rounds N] [--dtype float32|float64]``.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from harness import compare, format_seconds
from threadpoolctl import threadpool_limits

from minigrad.tensor._erf import erf, gelu_exact, gelu_exact_backward

_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_NR_ERFC = (
    0.17087277,
    -0.82215223,
    1.48851587,
    -1.13520398,
    0.27886807,
    -0.18628806,
    0.09678418,
    0.37409196,
    1.00002368,
    -1.26551223,
)
_erf_per_element = np.frompyfunc(math.erf, 1, 1)


def erf_before(x: np.ndarray) -> np.ndarray:
    if x.dtype == np.float64:
        return np.asarray(_erf_per_element(x), dtype=np.float64)
    z = np.abs(x)
    t = 1 / (1 + 0.5 * z)
    poly = np.full_like(t, _NR_ERFC[0])
    for c in _NR_ERFC[1:]:
        poly = poly * t + c
    erfc = t * np.exp(-z * z + poly)
    return np.asarray(np.sign(x) * (1 - erfc), dtype=x.dtype)


def gelu_before(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1 + erf_before(x * _SQRT_HALF))


def gelu_backward_before(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    cdf = 0.5 * (1 + erf_before(x * _SQRT_HALF))
    pdf = np.exp(-0.5 * (x * x)) * _INV_SQRT_2PI
    return g * (cdf + x * pdf)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    # The pre-activations of a GPT MLP: batch 32 x block 16 x 4 * n_embd 64 = 131,072.
    x = rng.standard_normal((32, 16, 256)).astype(args.dtype)
    g = rng.standard_normal(x.shape).astype(args.dtype)
    pairs = {
        "erf forward": (lambda: erf_before(x), lambda: erf(x)),
        "GELU forward": (lambda: gelu_before(x), lambda: gelu_exact(x)),
        "GELU backward": (
            lambda: gelu_backward_before(g, x),
            lambda: gelu_exact_backward(g, x),
        ),
    }
    print(f"{x.size:,} {args.dtype} elements, median of {args.rounds} alternating rounds, 1 thread")
    with threadpool_limits(1):
        for label, (before, after) in pairs.items():
            t = compare({"before": before, "after": after}, rounds=args.rounds, warmup=5)
            speedup = t["before"].median / t["after"].median
            print(
                f"{label:28s} before {format_seconds(t['before'].median):>9s}  "
                f"after {format_seconds(t['after'].median):>9s}  speed-up {speedup:.1f}x"
            )


if __name__ == "__main__":
    main()
