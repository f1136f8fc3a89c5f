"""Leaf gradients are owned by their leaf: no two leaves, and no caller, share an array.

The engine adopts an unshared gradient without copying it, so these tests pin
down the cases where it must copy instead.
"""

from __future__ import annotations

import numpy as np

from minigrad.tensor import Tensor


def _leaf(values: list[float]) -> Tensor:
    return Tensor(np.array(values), requires_grad=True)


def test_leaves_fed_the_same_gradient_array_get_separate_arrays() -> None:
    a, b = _leaf([1.0, 2.0]), _leaf([3.0, 4.0])
    (a + b).sum().backward()
    assert a.grad is not None
    assert b.grad is not None
    assert not np.shares_memory(a.grad, b.grad)
    a.grad += 10.0
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])


def test_backward_does_not_alias_the_callers_gradient_array() -> None:
    a = _leaf([1.0, 2.0])
    upstream = np.array([5.0, 7.0])
    (a + 0.0).backward(upstream)
    assert a.grad is not None
    assert not np.shares_memory(a.grad, upstream)
    a.grad *= 2.0
    np.testing.assert_array_equal(upstream, [5.0, 7.0])


def test_backward_on_a_leaf_itself_copies_the_gradient() -> None:
    a = _leaf([1.0, 2.0])
    upstream = np.array([1.0, 1.0])
    a.backward(upstream)
    assert a.grad is not None
    assert not np.shares_memory(a.grad, upstream)


def test_adopted_gradient_accumulates_in_place_across_passes() -> None:
    w = _leaf([1.0, 2.0])
    x = Tensor(np.array([3.0, 4.0]))
    (w * x).sum().backward()
    first = w.grad
    (w * x).sum().backward()
    assert w.grad is first
    np.testing.assert_array_equal(w.grad, [6.0, 8.0])


def test_gradient_of_a_view_is_copied_into_an_owned_array() -> None:
    w = _leaf([[1.0, 2.0], [3.0, 4.0]])
    w.reshape(4).sum().backward()
    assert w.grad is not None
    assert w.grad.base is None
    assert w.grad.flags.writeable
