"""make_moons: shape, labels, geometry, seeding and bad arguments."""

from __future__ import annotations

import math

import pytest

from minigrad.scalar.data import make_moons


def test_moons_returns_n_points_of_two_coordinates_and_n_labels() -> None:
    points, labels = make_moons(n_samples=50, seed=0)
    assert len(points) == len(labels) == 50
    assert all(len(point) == 2 for point in points)


def test_moons_labels_are_zero_and_one_split_in_half() -> None:
    _, labels = make_moons(n_samples=51, seed=0)
    assert labels.count(0) == 25
    assert labels.count(1) == 26


def test_moons_without_noise_lie_on_the_two_half_circles() -> None:
    points, labels = make_moons(n_samples=40, noise=0.0, seed=0)
    for (x, y), label in zip(points, labels, strict=True):
        if label == 0:  # upper half of the unit circle
            assert math.hypot(x, y) == pytest.approx(1.0)
            assert y >= -1e-12
        else:  # lower half circle centred at (1, 0.5)
            assert math.hypot(x - 1.0, y - 0.5) == pytest.approx(1.0)
            assert y <= 0.5 + 1e-12


def test_moons_without_noise_span_each_arc_end_to_end() -> None:
    points, labels = make_moons(n_samples=10, noise=0.0, seed=0)
    upper = sorted(p for p, label in zip(points, labels, strict=True) if label == 0)
    assert upper[0] == pytest.approx([-1.0, 0.0], abs=1e-12)
    assert upper[-1] == pytest.approx([1.0, 0.0], abs=1e-12)


def test_moons_are_shuffled() -> None:
    _, labels = make_moons(n_samples=100, seed=0)
    assert labels != sorted(labels)


def test_same_seed_gives_same_moons() -> None:
    assert make_moons(n_samples=30, seed=4) == make_moons(n_samples=30, seed=4)


def test_different_seeds_give_different_moons() -> None:
    assert make_moons(n_samples=30, seed=4) != make_moons(n_samples=30, seed=5)


def test_noise_moves_points_off_the_arcs() -> None:
    points, labels = make_moons(n_samples=20, noise=0.1, seed=0)
    distances = [
        math.hypot(x, y) if label == 0 else math.hypot(x - 1.0, y - 0.5)
        for (x, y), label in zip(points, labels, strict=True)
    ]
    assert any(abs(d - 1.0) > 1e-3 for d in distances)


def test_a_single_sample_is_allowed() -> None:
    points, labels = make_moons(n_samples=1, noise=0.0)
    assert points == [[0.0, 0.5]]  # the start of the lower arc
    assert labels == [1]


@pytest.mark.parametrize("n_samples", [0, -3])
def test_n_samples_must_be_positive(n_samples: int) -> None:
    with pytest.raises(ValueError, match=f"n_samples must be at least 1, got {n_samples}"):
        make_moons(n_samples=n_samples)


def test_n_samples_must_be_an_int() -> None:
    with pytest.raises(TypeError, match="n_samples must be an int, got float"):
        make_moons(n_samples=10.0)  # type: ignore[arg-type]


@pytest.mark.parametrize("noise", [-0.1, math.nan])
def test_noise_must_be_non_negative(noise: float) -> None:
    with pytest.raises(ValueError, match="noise must be >= 0"):
        make_moons(noise=noise)
