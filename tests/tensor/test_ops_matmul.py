"""Matrix multiplication with NumPy's rules, its gradients and its shape errors."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigrad.tensor import Tensor

RNG = np.random.default_rng(3)

CASES = {
    "matrix_matrix": ((2, 3), (3, 4)),
    "vector_matrix": ((3,), (3, 4)),
    "matrix_vector": ((2, 3), (3,)),
    "vector_vector": ((3,), (3,)),
    "batched": ((5, 2, 3), (5, 3, 4)),
    "broadcast_batch": ((2, 1, 2, 3), (4, 3, 2)),
    "batched_vector": ((5, 2, 3), (3,)),
    "vector_batched": ((3,), (5, 3, 2)),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_matmul_matches_numpy(name: str) -> None:
    a_shape, b_shape = CASES[name]
    a, b = RNG.standard_normal(a_shape), RNG.standard_normal(b_shape)
    np.testing.assert_allclose((Tensor(a) @ Tensor(b)).data, a @ b, rtol=1e-12)
    np.testing.assert_allclose(Tensor(a).matmul(b).data, a @ b, rtol=1e-12)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matmul_gradients_match_finite_differences(name: str, check_gradients) -> None:
    a_shape, b_shape = CASES[name]
    check_gradients(lambda x, y: x @ y, RNG.standard_normal(a_shape), RNG.standard_normal(b_shape))


@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(0, 3))
def test_batched_matmul_gradient_shapes(n: int, k: int, m: int, batch: int) -> None:
    a = Tensor(np.ones((batch, n, k) if batch else (n, k)), requires_grad=True)
    b = Tensor(np.ones((k, m)), requires_grad=True)
    (a @ b).sum().backward()
    assert a.grad is not None
    assert b.grad is not None
    assert a.grad.shape == a.shape
    assert b.grad.shape == b.shape
    np.testing.assert_array_equal(b.grad, np.full((k, m), float(max(batch, 1) * n)))


def test_ndarray_on_the_left_uses_rmatmul() -> None:
    b = Tensor(np.eye(2), requires_grad=True)
    out = np.array([[1.0, 2.0]]) @ b
    assert isinstance(out, Tensor)
    out.sum().backward()
    assert b.grad is not None
    assert b.grad.tolist() == [[1.0, 1.0], [2.0, 2.0]]


def test_matmul_shape_mismatch_names_both_shapes() -> None:
    with pytest.raises(
        ValueError, match=r"^matmul: shapes \(64, 1400\) and \(200, 100\) cannot be multiplied$"
    ):
        Tensor(np.zeros((64, 1400))) @ Tensor(np.zeros((200, 100)))


def test_matmul_of_a_scalar_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one dimension"):
        Tensor(2.0) @ Tensor(np.zeros(2))


def test_matmul_skips_the_gradient_of_a_constant_operand() -> None:
    a = Tensor(np.ones((2, 3)), requires_grad=True)
    b = Tensor(np.ones((3, 2)))
    (a @ b).sum().backward()
    assert b.grad is None
    assert a.grad is not None
