"""Parity: every public op of ``Value`` exists on ``Tensor`` with the same name and meaning.

For each op, the same numbers go through a ``Value`` and through a one-element
float64 ``Tensor``; the results and the gradients must agree. An op added to
``Value`` without an entry in ``PARITY`` below fails the build until someone
says how to compare it.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigrad.scalar import Value
from minigrad.tensor import Tensor

# Public attributes of Value that are not operations.
NOT_OPERATIONS = {"backward", "data", "grad", "label", "__init__", "__repr__"}

ANY = st.integers(-300, 300).map(lambda k: k / 100)
POSITIVE = st.integers(10, 300).map(lambda k: k / 100)
NONZERO = ANY.filter(lambda v: abs(v) >= 0.01)
AWAY_FROM_ZERO = ANY.filter(lambda v: abs(v) >= 0.25)

# name -> (the operation on two operands or one, strategies for its operands).
# A number on one side of a binary operator is a constant (the reflected forms).
PARITY: dict[str, tuple[Callable[..., Any], tuple[st.SearchStrategy[float], ...]]] = {
    "__add__": (operator.add, (ANY, ANY)),
    "__radd__": (lambda x, c: c + x, (ANY, ANY)),
    "__sub__": (operator.sub, (ANY, ANY)),
    "__rsub__": (lambda x, c: c - x, (ANY, ANY)),
    "__mul__": (operator.mul, (ANY, ANY)),
    "__rmul__": (lambda x, c: c * x, (ANY, ANY)),
    "__truediv__": (operator.truediv, (ANY, AWAY_FROM_ZERO)),
    "__rtruediv__": (lambda x, c: c / x, (AWAY_FROM_ZERO, ANY)),
    "__neg__": (operator.neg, (ANY,)),
    "__pow__": (operator.pow, (POSITIVE, ANY)),
    "__rpow__": (lambda x, c: c**x, (ANY, POSITIVE)),
    "__abs__": (abs, (NONZERO,)),
    "__lt__": (operator.lt, (ANY, ANY)),
    "__le__": (operator.le, (ANY, ANY)),
    "__gt__": (operator.gt, (ANY, ANY)),
    "__ge__": (operator.ge, (ANY, ANY)),
    "exp": (lambda x: x.exp(), (ANY,)),
    "log": (lambda x: x.log(), (POSITIVE,)),
    "sqrt": (lambda x: x.sqrt(), (POSITIVE,)),
    "tanh": (lambda x: x.tanh(), (ANY,)),
    "sigmoid": (lambda x: x.sigmoid(), (ANY,)),
    "relu": (lambda x: x.relu(), (ANY,)),  # the gradient at 0 is 0 in both engines
    "abs": (lambda x: x.abs(), (ANY,)),  # the gradient at 0 is 0 in both engines
}

# Binary operators whose second operand is a plain number (reflected forms).
NUMBER_SECOND = {"__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rpow__"}


def _value_operations() -> set[str]:
    names = {n for n in vars(Value) if not n.startswith("_")}
    names |= {n for n, v in vars(Value).items() if n.startswith("__") and callable(v)}
    return names - NOT_OPERATIONS


def test_every_value_operation_has_a_parity_entry() -> None:
    missing = sorted(_value_operations() - PARITY.keys())
    assert not missing, f"Value operations without a parity entry in {__file__}: {missing}"


@pytest.mark.parametrize("name", sorted(_value_operations()))
def test_every_value_operation_exists_on_tensor(name: str) -> None:
    assert callable(getattr(Tensor, name, None)), f"Tensor has no {name}, but Value has"
    assert getattr(Tensor, name) is not getattr(object, name, None), (
        f"Tensor.{name} is object's default, not an operation"
    )


@pytest.mark.parametrize("name", sorted(PARITY))
@given(data=st.data())
def test_value_and_tensor_agree_on_value_and_gradient(name: str, data: st.DataObject) -> None:
    operation, strategies = PARITY[name]
    numbers = [data.draw(s) for s in strategies]
    constant = name in NUMBER_SECOND
    values = [Value(n) for n in numbers]
    tensors = [Tensor(np.array([n]), requires_grad=True) for n in numbers]
    if constant:
        values[1] = numbers[1]
        tensors[1] = numbers[1]
    scalar_result = operation(*values)
    tensor_result = operation(*tensors)
    if isinstance(scalar_result, bool):
        assert bool(tensor_result.data[0]) == scalar_result
        return
    assert tensor_result.dtype == np.float64
    np.testing.assert_allclose(tensor_result.data[0], scalar_result.data, rtol=1e-12, atol=1e-12)
    scalar_result.backward()
    tensor_result.sum().backward()
    for i, (v, t) in enumerate(zip(values, tensors, strict=True)):
        if isinstance(v, Value):
            assert isinstance(t, Tensor)
            assert t.grad is not None
            np.testing.assert_allclose(
                t.grad[0], v.grad, rtol=1e-12, atol=1e-12, err_msg=f"{name}: operand {i}"
            )
