"""Finite-difference gradient checks for the tensor engine's own tests.

Two independent references, both in float64 with central differences:

* ``check_gradients(fn, *arrays)`` compares ``backward`` against the finite
  differences of ``sum(fn(*inputs) * w)`` for a random cotangent ``w``.
* ``check_second_derivatives(fn, *arrays)`` records the first derivative with
  ``grad(..., create_graph=True)``, differentiates ``sum(first * v)`` again,
  and compares that against finite differences of the (plain) first derivative.

They are deliberately local: ``minigrad.tensor.testing.gradcheck`` is a
separate, public tool with its own tests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import Tensor, grad

GradCheck = Callable[..., None]
_EPS = 1e-6


def _numeric_gradient(
    scalar_fn: Callable[[list[np.ndarray]], float], arrays: list[np.ndarray], index: int
) -> np.ndarray:
    """Central differences of ``scalar_fn`` with respect to ``arrays[index]``."""
    target = arrays[index]
    result = np.zeros_like(target)
    for position in np.ndindex(target.shape):
        original = target[position]
        target[position] = original + _EPS
        upper = scalar_fn(arrays)
        target[position] = original - _EPS
        lower = scalar_fn(arrays)
        target[position] = original
        result[position] = (upper - lower) / (2 * _EPS)
    return result


def _as_float64(arrays: tuple[Any, ...]) -> list[np.ndarray]:
    return [np.array(a, dtype=np.float64) for a in arrays]


def _check_gradients(
    fn: Callable[..., Tensor],
    *arrays: Any,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    seed: int = 0,
) -> None:
    values = _as_float64(arrays)
    inputs = [Tensor(v.copy(), requires_grad=True) for v in values]
    out = fn(*inputs)
    cotangent = np.random.default_rng(seed).standard_normal(out.shape)
    out.backward(cotangent)

    def loss(current: list[np.ndarray]) -> float:
        return float((fn(*[Tensor(v) for v in current]).data * cotangent).sum())

    for i, tensor in enumerate(inputs):
        assert tensor.grad is not None, f"input {i} got no gradient"
        assert tensor.grad.shape == tensor.shape
        assert tensor.grad.dtype == np.float64
        expected = _numeric_gradient(loss, values, i)
        np.testing.assert_allclose(
            tensor.grad, expected, rtol=rtol, atol=atol, err_msg=f"input {i}"
        )


def _check_second_derivatives(
    fn: Callable[..., Tensor],
    *arrays: Any,
    rtol: float = 1e-5,
    atol: float = 1e-7,
    seed: int = 0,
) -> None:
    values = _as_float64(arrays)
    rng = np.random.default_rng(seed)
    cotangent = rng.standard_normal(fn(*[Tensor(v) for v in values]).shape)
    directions = [rng.standard_normal(v.shape) for v in values]

    def first_derivatives(tensors: list[Tensor], create_graph: bool) -> tuple[Tensor, ...]:
        out = fn(*tensors)
        loss = (out * Tensor(cotangent)).sum()
        return grad(loss, tensors, create_graph=create_graph, allow_unused=True)

    def directional(current: list[np.ndarray]) -> float:
        tensors = [Tensor(v, requires_grad=True) for v in current]
        firsts = first_derivatives(tensors, create_graph=False)
        return float(sum((g.data * d).sum() for g, d in zip(firsts, directions, strict=True)))

    inputs = [Tensor(v.copy(), requires_grad=True) for v in values]
    firsts = first_derivatives(inputs, create_graph=True)
    recorded = [g for g in firsts if g.requires_grad]
    assert recorded, "no first derivative recorded a graph"
    total = sum(
        ((g * Tensor(d)).sum() for g, d in zip(firsts, directions, strict=True) if g.requires_grad),
        start=Tensor(np.float64(0.0)),
    )
    seconds = grad(total, inputs, allow_unused=True)
    for i, second in enumerate(seconds):
        assert second.shape == inputs[i].shape
        expected = _numeric_gradient(directional, values, i)
        np.testing.assert_allclose(
            second.data, expected, rtol=rtol, atol=atol, err_msg=f"input {i}"
        )


@pytest.fixture(scope="session")
def check_gradients() -> GradCheck:
    """``check_gradients(fn, *arrays, rtol=, atol=)``: backward against finite differences."""
    return _check_gradients


@pytest.fixture(scope="session")
def check_second_derivatives() -> GradCheck:
    """``check_second_derivatives(fn, *arrays)``: create_graph gradients, differentiated again."""
    return _check_second_derivatives
