"""Fit the float32 normal-tail rational function of ``minigrad/tensor/_erf.py``.

``Phi(-a) = exp(-a**2 / 2) P4(a) / Q5(a)`` for ``0 <= a <= 15``: the ratio
``f(a) = Phi(-a) exp(a**2 / 2)`` (from ``math.erfc``, in float64) is fitted by a rational
function of degrees (4, 5) that minimises the largest *relative* error on a dense grid:
linearised least squares ``P(a) - f(a) Q(a) ~ 0`` with ``Q(0) = 1`` (Sanathanan-Koerner
iteration: weights 1 / (f Q_previous)), then Lawson reweighting towards the minimax.
Prints the coefficients (highest power first, Q made monic) and the largest relative error
(7.3e-9 for the published ones). Run: ``python tools/fit_normal_tail.py``.
"""

from __future__ import annotations

import math

import numpy as np

DEGREES = (4, 5)
END = 15.0


def main() -> None:
    """Fit, report the error, print the coefficients as ``_erf.py`` stores them."""
    m, n = DEGREES
    a = np.unique(
        np.concatenate(
            [np.linspace(0, END, 6000), END * np.sin(np.linspace(0, np.pi / 2, 4000)) ** 2]
        )
    )
    f = np.array([0.5 * math.erfc(v / math.sqrt(2)) * math.exp(v * v / 2) for v in a])
    weights = np.ones_like(a)
    previous_q = np.ones_like(a)
    best: tuple[float, np.ndarray, np.ndarray] | None = None
    for iteration in range(60):
        columns = [a**k for k in range(m + 1)] + [-f * a**k for k in range(1, n + 1)]
        scale = weights / (f * previous_q)
        solution, *_ = np.linalg.lstsq(np.stack(columns, 1) * scale[:, None], f * scale)
        p = solution[: m + 1]
        q = np.concatenate([[1.0], solution[m + 1 :]])
        p_at, q_at = np.polyval(p[::-1], a), np.polyval(q[::-1], a)
        error = (p_at / q_at - f) / f
        worst = float(np.abs(error).max())
        if best is None or worst < best[0]:
            best = (worst, p.copy(), q.copy())
        previous_q = q_at
        if iteration >= 10:
            weights = weights * np.abs(error) / np.abs(error).mean()
            weights /= weights.mean()
    assert best is not None
    worst, p, q = best
    print(f"largest relative error on [0, {END}]: {worst:.3g}")
    print("_TAIL_P =", [float(c / q[-1]) for c in p[::-1]])
    print("_TAIL_Q =", [float(c / q[-1]) for c in q[::-1][1:]])


if __name__ == "__main__":
    main()
