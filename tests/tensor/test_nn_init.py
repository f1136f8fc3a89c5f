"""nn.init: PyTorch's gains and fan computations, in-place fills, seeded draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from minigrad.tensor import Tensor, manual_seed, nn
from minigrad.tensor.nn import init


def empty(*shape: int) -> nn.Parameter:
    return nn.Parameter(np.empty(shape, dtype=np.float32))


@pytest.mark.parametrize(
    ("name", "param", "gain"),
    [
        ("linear", None, 1.0),
        ("conv2d", None, 1.0),
        ("sigmoid", None, 1.0),
        ("tanh", None, 5 / 3),
        ("relu", None, math.sqrt(2)),
        ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
        ("leaky_relu", math.sqrt(5), math.sqrt(1 / 3)),
        ("selu", None, 0.75),
    ],
)
def test_calculate_gain_table(name: str, param: float | None, gain: float) -> None:
    assert init.calculate_gain(name, param) == pytest.approx(gain)


def test_calculate_gain_names_unknown_nonlinearity() -> None:
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")


def test_fills_happen_in_place_and_return_the_tensor() -> None:
    t = empty(2, 3)
    data = t.data
    assert init.constant_(t, 2.5) is t
    assert t.data is data
    assert data.tolist() == [[2.5] * 3] * 2
    assert init.zeros_(t).data.sum() == 0
    assert init.ones_(t).data.sum() == 6


def test_uniform_respects_bounds_and_dtype() -> None:
    t = init.uniform_(empty(1000), -0.5, 0.25, generator=np.random.default_rng(0))
    assert t.dtype == np.float32
    assert t.data.min() >= -0.5
    assert t.data.max() < 0.25


def test_normal_has_requested_moments() -> None:
    t = init.normal_(empty(20_000), 1.0, 2.0, generator=np.random.default_rng(0))
    assert t.data.mean() == pytest.approx(1.0, abs=0.05)
    assert t.data.std() == pytest.approx(2.0, rel=0.03)


def test_xavier_uniform_bound_uses_both_fans() -> None:
    t = init.xavier_uniform_(empty(30, 20, 3, 3), generator=np.random.default_rng(0))
    bound = math.sqrt(6 / (20 * 9 + 30 * 9))
    assert np.abs(t.data).max() <= bound
    assert np.abs(t.data).max() > 0.95 * bound


def test_xavier_normal_std() -> None:
    t = init.xavier_normal_(empty(200, 300), gain=2.0, generator=np.random.default_rng(0))
    assert t.data.std() == pytest.approx(2.0 * math.sqrt(2 / 500), rel=0.03)


def test_kaiming_uniform_bound_with_relu_gain_and_fan_out() -> None:
    t = init.kaiming_uniform_(
        empty(40, 10), mode="fan_out", nonlinearity="relu", generator=np.random.default_rng(0)
    )
    bound = math.sqrt(2) * math.sqrt(3 / 40)
    assert np.abs(t.data).max() <= bound
    assert np.abs(t.data).max() > 0.95 * bound


def test_kaiming_normal_std() -> None:
    t = init.kaiming_normal_(
        empty(300, 200), nonlinearity="relu", generator=np.random.default_rng(1)
    )
    assert t.data.std() == pytest.approx(math.sqrt(2 / 200), rel=0.03)


def test_fan_based_init_needs_two_dimensions() -> None:
    with pytest.raises(ValueError, match=r"at least 2 dimensions, got shape \(5,\)"):
        init.kaiming_uniform_(empty(5))


def test_kaiming_rejects_unknown_mode() -> None:
    with pytest.raises(ValueError, match="'fan_in' or 'fan_out', got 'fan_avg'"):
        init.kaiming_normal_(empty(2, 2), mode="fan_avg")


def test_default_generator_follows_manual_seed() -> None:
    manual_seed(42)
    first = init.normal_(empty(5)).data.copy()
    manual_seed(42)
    np.testing.assert_array_equal(init.normal_(empty(5)).data, first)


def test_init_works_on_plain_tensors_too() -> None:
    t = Tensor(np.zeros((2, 2)))
    init.ones_(t)
    assert t.data.tolist() == [[1.0, 1.0], [1.0, 1.0]]
