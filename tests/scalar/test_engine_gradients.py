"""Gradients of every Value op against central differences, and hand-checked graphs."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigrad.scalar import Value


def _floats(low: float, high: float) -> st.SearchStrategy[float]:
    return st.floats(min_value=low, max_value=high, allow_nan=False, allow_infinity=False)


def _away_from_zero(low: float, high: float) -> st.SearchStrategy[float]:
    """Numbers with low <= |x| <= high, either sign."""
    return st.tuples(_floats(low, high), st.booleans()).map(lambda p: -p[0] if p[1] else p[0])


ANY = _floats(-3.0, 3.0)
POSITIVE = _floats(0.1, 4.0)
NONZERO = _away_from_zero(0.1, 4.0)
KINK_FREE = _away_from_zero(0.01, 4.0)  # relu and abs: stay clear of the kink at 0


@dataclass(frozen=True)
class Op:
    """One differentiable op: how to apply it to Values and to floats, and where."""

    name: str
    on_values: Callable[..., Value]
    on_floats: Callable[..., float]
    domains: tuple[st.SearchStrategy[float], ...]


OPS = [
    Op("add", lambda a, b: a + b, lambda a, b: a + b, (ANY, ANY)),
    Op("add_constant", lambda a: a + 1.5, lambda a: a + 1.5, (ANY,)),
    Op("radd", lambda a: 1.5 + a, lambda a: 1.5 + a, (ANY,)),
    Op("sub", lambda a, b: a - b, lambda a, b: a - b, (ANY, ANY)),
    Op("sub_constant", lambda a: a - 1.5, lambda a: a - 1.5, (ANY,)),
    Op("rsub", lambda a: 2 - a, lambda a: 2 - a, (ANY,)),
    Op("mul", lambda a, b: a * b, lambda a, b: a * b, (ANY, ANY)),
    Op("mul_constant", lambda a: a * 2.5, lambda a: a * 2.5, (ANY,)),
    Op("rmul", lambda a: 2 * a, lambda a: 2 * a, (ANY,)),
    Op("truediv", lambda a, b: a / b, lambda a, b: a / b, (ANY, NONZERO)),
    Op("truediv_constant", lambda a: a / 4, lambda a: a / 4, (ANY,)),
    Op("rtruediv", lambda a: 2 / a, lambda a: 2 / a, (NONZERO,)),
    Op("neg", lambda a: -a, lambda a: -a, (ANY,)),
    Op("pow_constant", lambda a: a**2.5, lambda a: a**2.5, (POSITIVE,)),
    Op("pow_negative_exponent", lambda a: a**-1.5, lambda a: a**-1.5, (POSITIVE,)),
    Op("pow_integer_negative_base", lambda a: a**3, lambda a: a**3, (ANY,)),
    Op("rpow", lambda a: 2**a, lambda a: 2**a, (ANY,)),
    Op("pow_values", lambda a, b: a**b, lambda a, b: a**b, (POSITIVE, ANY)),
    Op("exp", lambda a: a.exp(), math.exp, (ANY,)),
    Op("log", lambda a: a.log(), math.log, (POSITIVE,)),
    Op("sqrt", lambda a: a.sqrt(), math.sqrt, (POSITIVE,)),
    Op("tanh", lambda a: a.tanh(), math.tanh, (ANY,)),
    Op("sigmoid", lambda a: a.sigmoid(), lambda a: 1 / (1 + math.exp(-a)), (ANY,)),
    Op("relu", lambda a: a.relu(), lambda a: max(a, 0.0), (KINK_FREE,)),
    Op("abs", lambda a: a.abs(), abs, (KINK_FREE,)),
    Op("builtin_abs", lambda a: abs(a), abs, (KINK_FREE,)),
]


def central_difference(f: Callable[..., float], point: list[float], i: int) -> float:
    """d f / d point[i], estimated as (f(x + h) - f(x - h)) / 2h."""
    h = 1e-6 * max(1.0, abs(point[i]))
    above, below = list(point), list(point)
    above[i] += h
    below[i] -= h
    return (f(*above) - f(*below)) / (2 * h)


@pytest.mark.parametrize("op", OPS, ids=[op.name for op in OPS])
@given(data=st.data())
def test_op_value_and_gradient_match_floats_and_central_differences(
    op: Op, data: st.DataObject
) -> None:
    point = [data.draw(domain) for domain in op.domains]
    inputs = [Value(x) for x in point]
    result = op.on_values(*inputs)
    result.backward()
    assert result.data == pytest.approx(op.on_floats(*point), rel=1e-12, abs=1e-12)
    for i, x in enumerate(inputs):
        expected = central_difference(op.on_floats, point, i)
        assert x.grad == pytest.approx(expected, rel=1e-5, abs=1e-6), f"d/d input {i}"


def test_diamond_graph_sums_both_paths() -> None:
    # a feeds b and c, which meet again in d
    a = Value(3.0)
    b = a * 2.0  # b = 2a
    c = a + 1.0  # c = a + 1
    d = b * c  # d = 2a(a + 1) = 2a^2 + 2a, dd/da = 4a + 2
    d.backward()
    assert d.data == 24.0
    assert a.grad == 14.0
    assert b.grad == c.data
    assert c.grad == b.data


def test_value_used_twice_gets_both_paths() -> None:
    a = Value(3.0)
    b = a + a  # b = 2a
    c = b * b  # c = 4a^2, dc/da = 8a
    c.backward()
    assert c.data == 36.0
    assert a.grad == 24.0
    assert b.grad == 12.0


def test_self_multiplication_counts_both_operands() -> None:
    a = Value(-2.0)
    b = a * a
    b.backward()
    assert a.grad == -4.0


def test_chain_of_functions_applies_the_chain_rule() -> None:
    x = Value(0.5)
    y = (x * 3.0).tanh().exp()  # y = exp(tanh(3x)), dy/dx = y * (1 - tanh(3x)^2) * 3
    y.backward()
    t = math.tanh(1.5)
    assert y.data == pytest.approx(math.exp(t))
    assert x.grad == pytest.approx(math.exp(t) * (1 - t * t) * 3)


def test_micrograd_readme_example_gradients() -> None:
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert g.data == pytest.approx(24.70408163265306)
    assert a.grad == pytest.approx(138.83381924198252)
    assert b.grad == pytest.approx(645.5772594752186)


def test_backward_seeds_the_root_with_one() -> None:
    x = Value(2.0)
    y = x * 5.0
    y.backward()
    assert y.grad == 1.0


def test_grad_starts_at_zero() -> None:
    assert Value(1.0).grad == 0.0


def test_repeated_backward_doubles_the_leaf_gradients() -> None:
    # Each pass adds its contributions into the leaves one by one, so the sum
    # is twice one pass up to rounding (no bookkeeping to make it bit-exact).
    a = Value(1.3)
    b = Value(-0.7)
    c = (a * b).tanh() + (a / b).exp() * a
    c.backward()
    first = (a.grad, b.grad)
    c.backward()
    assert (a.grad, b.grad) == (pytest.approx(2 * first[0]), pytest.approx(2 * first[1]))


def test_repeated_backward_resets_intermediate_gradients() -> None:
    a = Value(2.0)
    b = a * 3.0
    c = b * b
    c.backward()
    first = b.grad
    c.backward()
    assert b.grad == first
    assert c.grad == 1.0


def test_backward_on_a_leaf_accumulates_one_per_call() -> None:
    x = Value(4.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_leaf_gradients_accumulate_across_different_roots() -> None:
    x = Value(2.0)
    (x * 3.0).backward()
    (x * x).backward()
    assert x.grad == 3.0 + 4.0


def test_relu_gradient_at_zero_is_zero() -> None:
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_abs_gradient_at_zero_is_zero() -> None:
    x = Value(0.0)
    x.abs().backward()
    assert x.grad == 0.0


def test_sqrt_gradient_at_zero_is_infinite() -> None:
    x = Value(0.0)
    y = x.sqrt()
    y.backward()
    assert y.data == 0.0
    assert x.grad == math.inf


def test_power_zero_exponent_has_zero_gradient() -> None:
    x = Value(0.0)
    y = x**0
    y.backward()
    assert y.data == 1.0
    assert x.grad == 0.0
