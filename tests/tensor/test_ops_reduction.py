"""Reductions, argmax/argmin and softmax: values against NumPy, gradients against differences."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

from minigrad.tensor import Tensor, log_softmax, softmax

RNG = np.random.default_rng(99)


def _logsumexp(x: np.ndarray, axis, keepdims: bool) -> np.ndarray:
    m = x.max(axis=axis, keepdims=True)
    out = np.log(np.exp(x - m).sum(axis=axis, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axis)


REDUCTIONS: dict[str, tuple[Callable[..., Tensor], Callable[..., np.ndarray]]] = {
    "sum": (Tensor.sum, lambda x, axis, keepdims: x.sum(axis=axis, keepdims=keepdims)),
    "mean": (Tensor.mean, lambda x, axis, keepdims: x.mean(axis=axis, keepdims=keepdims)),
    "max": (Tensor.max, lambda x, axis, keepdims: x.max(axis=axis, keepdims=keepdims)),
    "min": (Tensor.min, lambda x, axis, keepdims: x.min(axis=axis, keepdims=keepdims)),
    "var": (Tensor.var, lambda x, axis, keepdims: x.var(axis=axis, keepdims=keepdims)),
    "std": (Tensor.std, lambda x, axis, keepdims: x.std(axis=axis, keepdims=keepdims)),
    "var_ddof1": (
        lambda t, axis, keepdims: t.var(axis=axis, ddof=1, keepdims=keepdims),
        lambda x, axis, keepdims: x.var(axis=axis, ddof=1, keepdims=keepdims),
    ),
    "std_ddof1": (
        lambda t, axis, keepdims: t.std(axis=axis, ddof=1, keepdims=keepdims),
        lambda x, axis, keepdims: x.std(axis=axis, ddof=1, keepdims=keepdims),
    ),
    "logsumexp": (Tensor.logsumexp, _logsumexp),
}


@st.composite
def shape_and_axis(draw: st.DrawFn) -> tuple[tuple[int, ...], object]:
    shape = draw(array_shapes(min_dims=1, max_dims=3, min_side=2, max_side=3))
    ndim = len(shape)
    kind = draw(st.sampled_from(["none", "int", "negative", "tuple"]))
    if kind == "none":
        return shape, None
    if kind == "int":
        return shape, draw(st.integers(0, ndim - 1))
    if kind == "negative":
        return shape, draw(st.integers(-ndim, -1))
    axes = draw(st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim, unique=True))
    return shape, tuple(axes)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@given(case=shape_and_axis(), keepdims=st.booleans())
def test_reduction_matches_numpy_and_finite_differences(name, case, keepdims, check_gradients):
    op, reference = REDUCTIONS[name]
    shape, axis = case
    x = np.random.default_rng(sum(shape)).standard_normal(shape)  # distinct values: no ties
    out = op(Tensor(x), axis=axis, keepdims=keepdims)
    np.testing.assert_allclose(out.data, reference(x, axis, keepdims), rtol=1e-12, atol=1e-12)
    check_gradients(lambda t: op(t, axis=axis, keepdims=keepdims), x, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_keeps_float32(name: str) -> None:
    op, _ = REDUCTIONS[name]
    t = Tensor(RNG.standard_normal((3, 4)).astype(np.float32), requires_grad=True)
    out = op(t, axis=1, keepdims=False)
    assert out.dtype == np.float32
    out.sum().backward()
    assert t.grad is not None
    assert t.grad.dtype == np.float32


@pytest.mark.parametrize("name", ["max", "min"])
def test_tied_extremes_share_the_gradient_equally(name: str) -> None:
    t = Tensor([[1.0, 3.0, 3.0, 3.0], [2.0, 2.0, 0.0, 1.0]], requires_grad=True)
    out = getattr(t, name)(axis=1)
    out.backward(np.array([3.0, 6.0], dtype=np.float32))
    hits = t.data == getattr(t.data, name)(axis=1, keepdims=True)
    expected = hits * np.array([[3.0], [6.0]]) / hits.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(t.grad, expected)
    assert t.grad is not None
    assert t.grad.sum() == pytest.approx(9.0)


def test_max_over_everything_with_ties() -> None:
    t = Tensor([[5.0, 1.0], [5.0, 5.0]], requires_grad=True)
    t.max().backward()
    assert t.grad is not None
    np.testing.assert_allclose(t.grad, [[1 / 3, 0.0], [1 / 3, 1 / 3]], rtol=1e-6)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("axis", [None, 0, 1, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_argmax_argmin_match_numpy_and_are_integers(name, axis, keepdims) -> None:
    x = RNG.standard_normal((3, 4))
    t = Tensor(x, requires_grad=True)
    result = getattr(t, name)(axis=axis, keepdims=keepdims)
    expected = getattr(np, name)(x, axis=axis, keepdims=keepdims)
    assert result.dtype == np.int64
    assert not result.requires_grad
    np.testing.assert_array_equal(result.data, expected)


@pytest.mark.parametrize("op", [Tensor.sum, Tensor.mean, Tensor.max, Tensor.var])
@pytest.mark.parametrize("axis", [2, -3, (0, 5)])
def test_axis_out_of_range_is_a_clear_error(op, axis) -> None:
    with pytest.raises(
        ValueError, match=r"axis -?\d+ is out of range for a tensor with 2 dimensions"
    ):
        op(Tensor(np.zeros((2, 3))), axis=axis)


def test_repeated_axis_is_an_error() -> None:
    with pytest.raises(ValueError, match="repeated axis"):
        Tensor(np.zeros((2, 3))).sum(axis=(0, -2))


def test_var_with_no_degrees_of_freedom_is_an_error() -> None:
    with pytest.raises(ValueError, match="ddof=1 leaves no degrees of freedom"):
        Tensor([1.0]).var(ddof=1)


def test_max_of_empty_axis_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        Tensor(np.zeros((0, 3))).max(axis=0)


def test_logsumexp_does_not_overflow() -> None:
    t = Tensor([1000.0, 1000.0], requires_grad=True)
    out = t.logsumexp()
    assert out.item() == pytest.approx(1000.0 + np.log(2.0))
    out.backward()
    assert t.grad is not None
    np.testing.assert_allclose(t.grad, [0.5, 0.5])


def test_sum_of_zero_dimensional_tensor() -> None:
    t = Tensor(3.0, requires_grad=True)
    out = t.sum()
    out.backward()
    assert out.shape == ()
    assert t.grad is not None
    assert t.grad.shape == ()


# ------------------------------------------------------------------ softmax


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_softmax_matches_numpy(axis: int) -> None:
    x = RNG.standard_normal((3, 4))
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    expected = e / e.sum(axis=axis, keepdims=True)
    np.testing.assert_allclose(Tensor(x).softmax(axis=axis).data, expected, rtol=1e-12)
    np.testing.assert_allclose(softmax(Tensor(x), axis=axis).data, expected, rtol=1e-12)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_log_softmax_matches_numpy(axis: int) -> None:
    x = RNG.standard_normal((3, 4))
    expected = x - _logsumexp(x, axis, keepdims=True)
    np.testing.assert_allclose(Tensor(x).log_softmax(axis=axis).data, expected, rtol=1e-12)
    np.testing.assert_allclose(log_softmax(Tensor(x), axis=axis).data, expected, rtol=1e-12)


@pytest.mark.parametrize("op", [Tensor.softmax, Tensor.log_softmax])
@pytest.mark.parametrize("axis", [0, -1])
def test_softmax_gradients_match_finite_differences(op, axis, check_gradients) -> None:
    check_gradients(lambda t: op(t, axis=axis), RNG.standard_normal((3, 4)))


@pytest.mark.parametrize("op", [Tensor.softmax, Tensor.log_softmax])
def test_softmax_is_stable_for_huge_logits(op) -> None:
    t = Tensor([[1e4, 0.0, -1e4]], requires_grad=True)
    out = op(t)
    assert np.isfinite(out.data).all()
    out.sum().backward()
    assert t.grad is not None
    assert np.isfinite(t.grad).all()


@pytest.mark.parametrize("op", [Tensor.softmax, Tensor.log_softmax])
@pytest.mark.parametrize(("shape", "axis"), [((0,), 0), ((3, 0), 1), ((0, 4), 0), ((0, 4), 1)])
def test_softmax_over_an_empty_tensor_is_empty_with_an_empty_gradient(op, shape, axis) -> None:
    t = Tensor(np.zeros(shape, dtype=np.float32), requires_grad=True)
    out = op(t, axis=axis)
    assert out.shape == shape
    assert out.dtype == np.float32
    out.backward(np.zeros(shape, dtype=np.float32))
    assert t.grad is not None
    assert t.grad.shape == shape


def test_softmax_axis_out_of_range_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="softmax: axis 2 is out of range"):
        Tensor(np.zeros((2, 3))).softmax(axis=2)
