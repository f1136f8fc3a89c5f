"""Second derivatives: every op's backward rule, run on Tensors with create_graph=True.

Each case differentiates ``sum(first_derivative * v)`` again and compares it with
finite differences of the plain first derivative (float64).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pytest

from minigrad.tensor import (
    Tensor,
    concatenate,
    grad,
    log_softmax,
    maximum,
    minimum,
    pad,
    softmax,
    stack,
    where,
)

RNG = np.random.default_rng(21)
A = RNG.uniform(-1.5, 1.5, (3, 4))
B = RNG.uniform(-1.5, 1.5, (3, 4))
ROW = RNG.uniform(-1.5, 1.5, (4,))
POS = RNG.uniform(0.5, 2.0, (3, 4))
POS_ROW = RNG.uniform(0.5, 2.0, (4,))

Case = tuple[Callable[..., Tensor], tuple[np.ndarray, ...]]

CASES: dict[str, Case] = {
    # elementwise, one input
    "neg": (lambda x: -x * x, (A,)),
    "exp": (Tensor.exp, (A,)),
    "log": (Tensor.log, (POS,)),
    "sqrt": (Tensor.sqrt, (POS,)),
    "tanh": (Tensor.tanh, (A,)),
    "sigmoid": (Tensor.sigmoid, (A,)),
    "relu": (lambda x: x.relu() * x, (A,)),
    "abs": (lambda x: x.abs() * x, (A,)),
    "leaky_relu": (lambda x: x.leaky_relu(0.1) * x, (A,)),
    "gelu": (Tensor.gelu, (A,)),
    "gelu_tanh": (lambda x: x.gelu(approximate="tanh"), (A,)),
    "softplus": (lambda x: x.softplus(beta=1.5), (A,)),
    "clip": (lambda x: x.clip(-0.5, 0.5) * x, (A,)),
    "pow_const": (lambda x: x**3, (A,)),
    "pow_fraction": (lambda x: x**1.5, (POS,)),
    "rpow": (lambda x: 1.7**x, (A,)),
    "rdiv": (lambda x: 2.0 / x, (POS,)),
    "scale": (lambda x: (x * 3.0 - 1.0) ** 2, (A,)),
    "maximum_const": (lambda x: maximum(x, 0.2) * x, (A,)),
    # elementwise, two inputs with broadcasting
    "add": (lambda x, y: (x + y) ** 2, (A, ROW)),
    "sub": (lambda x, y: (x - y) ** 2, (A, ROW)),
    "mul": (lambda x, y: x * y * x, (A, ROW)),
    "div": (lambda x, y: x / y, (A, POS_ROW)),
    "pow": (lambda x, y: x**y, (POS, ROW)),
    "maximum": (lambda x, y: maximum(x, y) * x, (A, B)),
    "minimum": (lambda x, y: minimum(x, y) * y, (A, B)),
    "where": (lambda x, y: where(A > 0, x * x, y * y * y), (A, ROW)),
    # reductions
    "sum": (lambda x: x.sum(axis=1) ** 2, (A,)),
    "mean": (lambda x: x.mean(axis=0, keepdims=True) ** 2, (A,)),
    "max": (lambda x: x.max(axis=1) ** 2, (A,)),
    "min": (lambda x: x.min() ** 2, (A,)),
    "var": (lambda x: x.var(axis=1, ddof=1), (A,)),
    "std": (lambda x: x.std(axis=0), (A,)),
    "logsumexp": (lambda x: x.logsumexp(axis=(0, 1)), (A,)),
    "softmax": (lambda x: softmax(x, axis=1), (A,)),
    "log_softmax": (lambda x: log_softmax(x, axis=0), (A,)),
    # linear algebra
    "matmul": (lambda x, y: (x @ y) ** 2, (A, B.T)),
    "matmul_vector": (lambda x, y: (x @ y) ** 2, (A, ROW)),
    "batched_matmul": (
        lambda x, y: (x @ y).tanh(),
        (RNG.standard_normal((2, 3, 4)), RNG.standard_normal((4, 2))),
    ),
    # shapes, indexing, joining
    "reshape": (lambda x: x.reshape(2, 6) ** 2, (A,)),
    "permute": (lambda x: x.T**2, (A,)),
    "unsqueeze_expand": (lambda x: x.unsqueeze(0).expand(2, 3, 4) ** 2, (A,)),
    "broadcast_to": (lambda x: x.broadcast_to((3, 4)) ** 3, (ROW,)),
    "getitem_slice": (lambda x: x[1:, ::2] ** 2, (A,)),
    "getitem_repeated": (lambda x: x[[0, 0, 2]] ** 2, (A,)),
    "getitem_mask": (lambda x: x[A > 0] ** 2, (A,)),
    "concatenate": (lambda x, y: concatenate([x * x, y], axis=0) ** 2, (A, B)),
    "stack": (lambda x, y: stack([x, y * y], axis=1) ** 2, (A, B)),
    "pad": (lambda x: pad(x, 1) ** 2, (A,)),
    "pad_reflect": (lambda x: pad(x, (1, 2), mode="reflect") ** 2, (A,)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_second_derivative_matches_finite_differences(name: str, check_second_derivatives) -> None:
    fn, arrays = CASES[name]
    check_second_derivatives(fn, *arrays)


def test_hessian_vector_product_of_a_quadratic_form() -> None:
    rng = np.random.default_rng(0)
    m = rng.standard_normal((4, 4))
    sym = m + m.T
    x = Tensor(rng.standard_normal(4), requires_grad=True)
    v = rng.standard_normal(4)
    (g,) = grad((x @ Tensor(sym) @ x) * 0.5, x, create_graph=True)
    (hv,) = grad((g * Tensor(v)).sum(), x)
    np.testing.assert_allclose(hv.data, sym @ v, rtol=1e-12)


def test_third_derivative_of_tanh() -> None:
    x = Tensor([0.3, -0.7], dtype="float64", requires_grad=True)
    (d1,) = grad(x.tanh().sum(), x, create_graph=True)
    (d2,) = grad(d1.sum(), x, create_graph=True)
    (d3,) = grad(d2.sum(), x)
    t = np.tanh(x.data)
    np.testing.assert_allclose(d3.data, -2 * (1 - t**2) ** 2 + 4 * t**2 * (1 - t**2), rtol=1e-12)


def test_second_derivative_through_astype() -> None:
    x = Tensor([0.5, 2.0], dtype="float32", requires_grad=True)
    (d1,) = grad((x.double() ** 3).sum(), x, create_graph=True)
    assert d1.dtype == np.float32
    (d2,) = grad(d1.sum(), x)
    np.testing.assert_allclose(d2.data, [3.0, 12.0])
