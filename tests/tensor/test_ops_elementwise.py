"""Elementwise operations: values against NumPy, gradients against finite differences."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import mutually_broadcastable_shapes

from minigrad.tensor import Tensor, maximum, minimum

RNG = np.random.default_rng(1234)
X = RNG.uniform(-2.0, 2.0, (3, 4))
POSITIVE = RNG.uniform(0.5, 2.0, (3, 4))


def _erf(x: np.ndarray) -> np.ndarray:
    return np.vectorize(math.erf)(x)


UNARY: dict[
    str, tuple[Callable[[Tensor], Tensor], Callable[[np.ndarray], np.ndarray], np.ndarray]
] = {
    "neg": (lambda t: -t, lambda x: -x, X),
    "exp": (Tensor.exp, np.exp, X),
    "log": (Tensor.log, np.log, POSITIVE),
    "sqrt": (Tensor.sqrt, np.sqrt, POSITIVE),
    "tanh": (Tensor.tanh, np.tanh, X),
    "sigmoid": (Tensor.sigmoid, lambda x: 1 / (1 + np.exp(-x)), X),
    "relu": (Tensor.relu, lambda x: np.maximum(x, 0), X),
    "abs": (Tensor.abs, np.abs, X),
    "builtin_abs": (abs, np.abs, X),
    "leaky_relu": (Tensor.leaky_relu, lambda x: np.where(x > 0, x, 0.01 * x), X),
    "leaky_relu_0.2": (lambda t: t.leaky_relu(0.2), lambda x: np.where(x > 0, x, 0.2 * x), X),
    "gelu": (Tensor.gelu, lambda x: 0.5 * x * (1 + _erf(x / math.sqrt(2))), X),
    "gelu_tanh": (
        lambda t: t.gelu(approximate="tanh"),
        lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
        X,
    ),
    "softplus": (Tensor.softplus, lambda x: np.log1p(np.exp(x)), X),
    "softplus_beta": (lambda t: t.softplus(beta=2.0), lambda x: np.log1p(np.exp(2 * x)) / 2, X),
    "clip": (lambda t: t.clip(-1.0, 0.5), lambda x: np.clip(x, -1.0, 0.5), X),
    "clip_min_only": (lambda t: t.clip(min=0.0), lambda x: np.maximum(x, 0.0), X),
    "clip_max_only": (lambda t: t.clip(max=0.0), lambda x: np.minimum(x, 0.0), X),
    "square": (lambda t: t**2, lambda x: x**2, X),
    "cube": (lambda t: t**3, lambda x: x**3, X),
    "power_half": (lambda t: t**0.5, np.sqrt, POSITIVE),
    "rpow": (lambda t: 2.0**t, lambda x: 2.0**x, X),
    "add_const": (lambda t: t + 1.5, lambda x: x + 1.5, X),
    "radd_const": (lambda t: 1.5 + t, lambda x: 1.5 + x, X),
    "sub_const": (lambda t: t - 1.5, lambda x: x - 1.5, X),
    "rsub_const": (lambda t: 1.5 - t, lambda x: 1.5 - x, X),
    "mul_const": (lambda t: t * 3.0, lambda x: x * 3.0, X),
    "rmul_const": (lambda t: 3.0 * t, lambda x: 3.0 * x, X),
    "div_const": (lambda t: t / 4.0, lambda x: x / 4.0, X),
    "rdiv_const": (lambda t: 4.0 / t, lambda x: 4.0 / x, POSITIVE),
    "maximum_const": (lambda t: maximum(t, 0.3), lambda x: np.maximum(x, 0.3), X),
    "minimum_const": (lambda t: minimum(t, 0.3), lambda x: np.minimum(x, 0.3), X),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_forward_matches_numpy(name: str) -> None:
    op, reference, x = UNARY[name]
    np.testing.assert_allclose(op(Tensor(x)).data, reference(x), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_gradient_matches_finite_differences(name: str, check_gradients) -> None:
    op, _, x = UNARY[name]
    check_gradients(op, x)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_keeps_float32(name: str) -> None:
    op, _, x = UNARY[name]
    t = Tensor(x.astype(np.float32), requires_grad=True)
    out = op(t)
    assert out.dtype == np.float32
    out.backward(np.ones(out.shape, dtype=np.float32))
    assert t.grad is not None
    assert t.grad.dtype == np.float32


BINARY: dict[str, tuple[Callable[[Tensor, Tensor], Tensor], Callable[..., np.ndarray]]] = {
    "add": (lambda a, b: a + b, np.add),
    "sub": (lambda a, b: a - b, np.subtract),
    "mul": (lambda a, b: a * b, np.multiply),
    "div": (lambda a, b: a / b, np.divide),
    "pow": (lambda a, b: a**b, np.power),
    "maximum": (maximum, np.maximum),
    "minimum": (minimum, np.minimum),
    "maximum_method": (lambda a, b: a.maximum(b), np.maximum),
    "minimum_method": (lambda a, b: a.minimum(b), np.minimum),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@given(shapes=mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
def test_binary_broadcast_gradients_have_input_shapes_and_match(name, shapes, check_gradients):
    op, reference = BINARY[name]
    a_shape, b_shape = shapes.input_shapes
    rng = np.random.default_rng(len(a_shape) * 7 + len(b_shape))
    a = rng.uniform(0.5, 2.0, a_shape)
    b = rng.uniform(-1.5, 1.5, b_shape) + (1.5 if name in ("div", "pow") else 0.0)
    out = op(Tensor(a), Tensor(b))
    assert out.shape == shapes.result_shape
    np.testing.assert_allclose(out.data, reference(a, b), rtol=1e-12)
    check_gradients(op, a, b)


def test_binary_with_numpy_array_and_list_operands() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    out = np.array([3.0, 4.0], dtype=np.float32) * t + [1.0, 1.0]
    assert isinstance(out, Tensor)
    out.sum().backward()
    assert t.grad is not None
    np.testing.assert_array_equal(t.grad, [3.0, 4.0])


def test_python_and_numpy_scalars_keep_float32() -> None:
    t = Tensor([1.0, 2.0])
    for result in (t * 2.5, t + np.float64(1.0), np.float64(2.0) * t, t / 3, 2**t, t - [1, 2]):
        assert result.dtype == np.float32


def test_float64_array_operand_promotes_as_numpy_does() -> None:
    assert (Tensor([1.0]) + np.array([1.0])).dtype == np.float64


def test_broadcast_mismatch_names_op_and_both_shapes() -> None:
    with pytest.raises(ValueError, match=r"add: shapes \(2, 3\) and \(4,\) cannot be broadcast"):
        Tensor(np.zeros((2, 3))) + Tensor(np.zeros(4))
    with pytest.raises(ValueError, match=r"mul: shapes \(2, 3\) and \(2,\)"):
        Tensor(np.zeros((2, 3))) * np.zeros(2)
    with pytest.raises(ValueError, match=r"maximum: shapes \(3,\) and \(2,\)"):
        maximum(Tensor(np.zeros(3)), Tensor(np.zeros(2)))


def test_comparisons_return_boolean_tensors_without_graph() -> None:
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    for result, expected in (
        (a < 2, [True, False, False]),
        (a <= 2, [True, True, False]),
        (a > 2, [False, False, True]),
        (a >= 2, [False, True, True]),
        (a == 2, [False, True, False]),
        (a != 2, [True, False, True]),
    ):
        assert result.dtype == np.bool_
        assert not result.requires_grad
        assert result.tolist() == expected


def test_masks_combine_with_logical_operators() -> None:
    a = Tensor([1.0, 2.0, 3.0])
    assert ((a > 1) & (a < 3)).tolist() == [False, True, False]
    assert ((a < 2) | (a > 2)).tolist() == [True, False, True]
    assert (~(a > 1)).tolist() == [True, False, False]


def test_logical_operators_reject_float_tensors() -> None:
    with pytest.raises(TypeError, match="boolean or integer"):
        ~Tensor([1.0])


@pytest.mark.parametrize(("op", "winner"), [(maximum, np.greater), (minimum, np.less)])
def test_ties_in_maximum_and_minimum_split_the_gradient(op, winner) -> None:
    a = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = Tensor([2.0, 2.0, 2.0], requires_grad=True)
    op(a, b).sum().backward()
    a_wins = winner(a.data, b.data)
    expected_a = np.where(a.data == b.data, 0.5, a_wins.astype(float))
    np.testing.assert_array_equal(a.grad, expected_a)
    np.testing.assert_array_equal(b.grad, 1 - expected_a)


def test_clip_gradient_is_one_on_the_bounds() -> None:
    t = Tensor([-2.0, -1.0, 0.0, 1.0, 2.0], requires_grad=True)
    t.clip(-1.0, 1.0).sum().backward()
    assert t.grad is not None
    assert t.grad.tolist() == [0.0, 1.0, 1.0, 1.0, 0.0]


def test_clip_needs_a_bound() -> None:
    with pytest.raises(ValueError, match="at least one"):
        Tensor([1.0]).clip()


def test_relu_and_abs_have_zero_gradient_at_zero() -> None:
    t = Tensor([0.0], requires_grad=True)
    (t.relu() + t.abs()).sum().backward()
    assert t.grad is not None
    assert t.grad.tolist() == [0.0]


def test_sigmoid_and_softplus_are_stable_for_large_inputs() -> None:
    t = Tensor([-1000.0, 0.0, 1000.0], requires_grad=True)
    s = t.sigmoid()
    np.testing.assert_allclose(s.data, [0.0, 0.5, 1.0])
    sp = t.softplus()
    np.testing.assert_allclose(sp.data, [0.0, math.log(2), 1000.0])
    (s + sp).sum().backward()
    assert t.grad is not None
    assert np.isfinite(t.grad).all()
    np.testing.assert_allclose(t.grad, [0.0, 0.75, 1.0])


def test_softplus_is_linear_above_threshold() -> None:
    t = Tensor([30.0], dtype="float64", requires_grad=True)
    out = t.softplus(beta=1.0, threshold=20.0)
    out.backward()
    assert out.item() == 30.0
    assert t.grad is not None
    assert t.grad.tolist() == [1.0]


def test_gelu_float32_matches_exact_erf_to_float32_precision() -> None:
    x = np.linspace(-6, 6, 2001)
    exact = 0.5 * x * (1 + _erf(x / math.sqrt(2)))
    approx = Tensor(x.astype(np.float32)).gelu().data
    np.testing.assert_allclose(approx, exact, rtol=1e-6, atol=2e-7)


def test_gelu_rejects_unknown_approximation() -> None:
    with pytest.raises(ValueError, match="approximate"):
        Tensor([1.0]).gelu(approximate="sigmoid")


def test_softplus_rejects_non_positive_beta() -> None:
    with pytest.raises(ValueError, match="beta"):
        Tensor([1.0]).softplus(beta=0.0)


def test_same_tensor_on_both_sides_accumulates() -> None:
    t = Tensor([3.0], requires_grad=True)
    (t * t + t).sum().backward()
    assert t.grad is not None
    assert t.grad.tolist() == [7.0]


def test_pow_gradient_for_exponent_at_zero_base_is_zero() -> None:
    a = Tensor([0.0, 2.0], dtype="float64", requires_grad=True)
    b = Tensor([2.0, 3.0], dtype="float64", requires_grad=True)
    (a**b).sum().backward()
    assert b.grad is not None
    np.testing.assert_allclose(b.grad, [0.0, 8.0 * math.log(2.0)])


@given(st.floats(-3, 3), st.floats(0.1, 3))
def test_scalar_operands_match_tensor_operands(x: float, y: float) -> None:
    a = Tensor([x], dtype="float64")
    b = Tensor([y], dtype="float64")
    for left, right in ((a + y, a + b), (a * y, a * b), (a / y, a / b), (y - a, b - a)):
        np.testing.assert_allclose(left.data, right.data, rtol=1e-15)


def test_astype_between_floats_is_differentiable() -> None:
    t = Tensor([1.0, 2.0], requires_grad=True)
    d = t.double()
    assert d.dtype == np.float64
    (d * d).sum().backward()
    assert t.grad is not None
    assert t.grad.dtype == np.float32
    assert t.grad.tolist() == [2.0, 4.0]


def test_astype_to_int_cuts_the_graph() -> None:
    t = Tensor([1.5], requires_grad=True)
    i = t.astype(np.int64)
    assert i.dtype == np.int64
    assert not i.requires_grad
