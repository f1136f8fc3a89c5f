"""nn.utils: clipping gradients by their joint norm and by value."""

from __future__ import annotations

import math

import numpy as np
import pytest

from minigrad.tensor import Tensor, nn


def with_grad(*values: float) -> Tensor:
    t = Tensor(np.zeros(len(values)), requires_grad=True)
    t.grad = np.array(values)
    return t


def test_clip_grad_norm_scales_all_gradients_by_one_factor() -> None:
    a, b = with_grad(3.0, 0.0), with_grad(0.0, 4.0)
    total = nn.utils.clip_grad_norm_([a, b], max_norm=2.5)
    assert total.item() == pytest.approx(5.0)
    factor = 2.5 / (5.0 + 1e-6)
    assert a.grad is not None
    assert b.grad is not None
    np.testing.assert_allclose(a.grad, [3.0 * factor, 0.0])
    np.testing.assert_allclose(b.grad, [0.0, 4.0 * factor])


def test_clip_grad_norm_leaves_small_gradients_alone() -> None:
    a = with_grad(0.3, 0.4)
    total = nn.utils.clip_grad_norm_(a, max_norm=1.0)
    assert total.item() == pytest.approx(0.5)
    assert a.grad is not None
    assert a.grad.tolist() == [0.3, 0.4]


def test_clip_grad_norm_other_orders() -> None:
    assert nn.utils.clip_grad_norm_(
        [with_grad(1.0, -3.0), with_grad(2.0)], 10.0, norm_type=1
    ).item() == pytest.approx(6.0)
    assert nn.utils.clip_grad_norm_(
        [with_grad(1.0, -3.0), with_grad(2.0)], 10.0, norm_type=math.inf
    ).item() == pytest.approx(3.0)


def test_clip_grad_norm_skips_parameters_without_gradient() -> None:
    no_grad = Tensor(np.zeros(2), requires_grad=True)
    assert nn.utils.clip_grad_norm_([no_grad, with_grad(6.0, 8.0)], 1.0).item() == pytest.approx(
        10.0
    )


def test_clip_grad_norm_can_raise_on_non_finite_norm() -> None:
    with pytest.raises(RuntimeError, match=r"total norm of order 2\.0 of the gradients is inf"):
        nn.utils.clip_grad_norm_([with_grad(np.inf)], 1.0, error_if_nonfinite=True)


def test_clip_grad_value_clamps_elements() -> None:
    a = with_grad(-2.0, 0.5, 3.0)
    nn.utils.clip_grad_value_([a], 1.0)
    assert a.grad is not None
    assert a.grad.tolist() == [-1.0, 0.5, 1.0]
