"""A toy data set: two interleaving half circles ("two moons"), in pure Python.

It is built the way scikit-learn's ``sklearn.datasets.make_moons`` builds it:
the upper half of a unit circle (class 0) and a lower half circle shifted right
and down (class 1), with the points spread evenly along each arc, shuffled,
then moved by gaussian noise. The numbers differ from scikit-learn's because
the random generator is Python's, not NumPy's.

Example:
    >>> points, labels = make_moons(n_samples=6, noise=0.0, seed=0)
    >>> len(points), sorted(labels)
    (6, [0, 0, 0, 1, 1, 1])
"""

from __future__ import annotations

import math
import random

__all__ = ["make_moons"]


def _evenly_spaced(start: float, stop: float, count: int) -> list[float]:
    """``count`` numbers from ``start`` to ``stop`` inclusive, like numpy.linspace."""
    if count == 1:
        return [start]
    step = (stop - start) / (count - 1)
    return [start + i * step for i in range(count)]


def make_moons(
    n_samples: int = 100, noise: float = 0.1, seed: int | None = 0
) -> tuple[list[list[float]], list[int]]:
    """Points on two interleaving half circles, with labels 0 and 1.

    Args:
        n_samples: total number of points, >= 1; class 0 gets ``n_samples // 2``
            of them, class 1 the rest.
        noise: standard deviation of the gaussian noise added to each
            coordinate, >= 0.
        seed: seeds the shuffle and the noise; the same seed gives the same
            data. None draws a fresh seed from the operating system.

    Returns:
        ``(points, labels)``: ``points[i]`` is ``[x, y]`` and ``labels[i]`` its
        class, 0 (upper moon) or 1 (lower moon).

    Example:
        >>> points, labels = make_moons(n_samples=100, noise=0.1, seed=0)
        >>> len(points), len(points[0]), set(labels)
        (100, 2, {0, 1})
    """
    if not isinstance(n_samples, int) or isinstance(n_samples, bool):
        raise TypeError(f"n_samples must be an int, got {type(n_samples).__name__}")
    if n_samples < 1:
        raise ValueError(f"n_samples must be at least 1, got {n_samples}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)):
        raise TypeError(f"noise must be a number, got {type(noise).__name__}")
    if not noise >= 0.0:  # also refuses nan
        raise ValueError(f"noise must be >= 0, got {noise!r}")

    n_upper = n_samples // 2
    n_lower = n_samples - n_upper
    upper = [[math.cos(t), math.sin(t)] for t in _evenly_spaced(0.0, math.pi, n_upper)]
    lower = [[1.0 - math.cos(t), 0.5 - math.sin(t)] for t in _evenly_spaced(0.0, math.pi, n_lower)]
    points = upper + lower
    labels = [0] * n_upper + [1] * n_lower

    rng = random.Random(seed)
    order = list(range(n_samples))
    rng.shuffle(order)
    noisy_points = [
        [points[i][0] + rng.gauss(0.0, noise), points[i][1] + rng.gauss(0.0, noise)] for i in order
    ]
    shuffled_labels = [labels[i] for i in order]
    return noisy_points, shuffled_labels
