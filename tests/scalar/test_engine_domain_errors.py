"""Inputs outside an op's domain raise errors that name the op and the value."""

from __future__ import annotations

import math
import sys
from collections.abc import Callable

import pytest

from minigrad.scalar import Value, linear, no_grad


@pytest.mark.parametrize("x", [0.0, -1.5])
def test_log_of_non_positive_raises_value_error_naming_log_and_value(x: float) -> None:
    with pytest.raises(ValueError, match=f"log .*{x}"):
        Value(x).log()


def test_sqrt_of_negative_raises_value_error_naming_sqrt_and_value() -> None:
    with pytest.raises(ValueError, match=r"sqrt .*-4\.0"):
        Value(-4.0).sqrt()


def test_division_by_zero_value_names_division_and_operands() -> None:
    with pytest.raises(ZeroDivisionError, match=r"division by zero: 3\.0 / 0\.0"):
        Value(3.0) / Value(0.0)


def test_division_by_zero_constant_names_division_and_operands() -> None:
    with pytest.raises(ZeroDivisionError, match=r"division by zero: 3\.0 / 0\.0"):
        Value(3.0) / 0


def test_constant_divided_by_zero_value_names_division_and_operands() -> None:
    with pytest.raises(ZeroDivisionError, match=r"division by zero: 1\.0 / 0\.0"):
        1 / Value(0.0)


def test_negative_base_with_fractional_exponent_raises_value_error() -> None:
    with pytest.raises(ValueError, match=r"power .*-8\.0 \*\* 0\.5"):
        Value(-8.0) ** 0.5


def test_negative_base_with_integer_exponent_is_fine() -> None:
    assert (Value(-2.0) ** 3).data == -8.0


def test_zero_to_a_negative_power_raises_zero_division_error() -> None:
    with pytest.raises(ZeroDivisionError, match=r"power of zero .*0\.0 \*\* -1\.0"):
        Value(0.0) ** -1


@pytest.mark.parametrize("base", [0.0, -2.0])
def test_value_exponent_needs_a_positive_value_base(base: float) -> None:
    with pytest.raises(ValueError, match=f"positive base.*{base}"):
        Value(base) ** Value(2.0)


@pytest.mark.parametrize("base", [0.0, -2.0])
def test_value_exponent_needs_a_positive_constant_base(base: float) -> None:
    with pytest.raises(ValueError, match=f"positive base.*{base}"):
        base ** Value(2.0)


def test_exp_overflow_raises_overflow_error_naming_exp_and_value() -> None:
    with pytest.raises(OverflowError, match=r"exp overflows the float range at 1000\.0"):
        Value(1000.0).exp()


def test_power_overflow_raises_overflow_error_naming_power_and_operands() -> None:
    with pytest.raises(OverflowError, match=r"power overflows .*10\.0 \*\* 400\.0"):
        Value(10.0) ** 400


def test_constant_base_power_overflow_names_power() -> None:
    with pytest.raises(OverflowError, match="power overflows"):
        10 ** Value(400.0)


# -- the overflow rule: a result beyond the float range from finite operand Values raises --

BIGGEST = sys.float_info.max


@pytest.mark.parametrize(
    ("compute", "message"),
    [
        (lambda: Value(1e308) * 10, r"\* overflows the float range at 1e\+308 and a constant"),
        (lambda: 1 / Value(1e-320), r"/ overflows the float range at 1e-320 and a constant"),
        (lambda: Value(1e308) + Value(1e308), r"\+ overflows .* at 1e\+308 \+ 1e\+308"),
        (lambda: Value(-1e308) - Value(1e308), r"- overflows .* at -1e\+308 - 1e\+308"),
        (lambda: Value(BIGGEST) * (1 + 2**-52), "overflows the float range"),
        (lambda: Value(1e-300) ** -2, r"power overflows .* 1e-300 \*\* -2\.0"),
        (lambda: Value(2.0) * math.inf, "overflows the float range"),  # a constant is no operand
    ],
)
def test_results_beyond_the_float_range_raise_overflow_error(
    compute: Callable[[], Value], message: str
) -> None:
    with pytest.raises(OverflowError, match=message):
        compute()


def test_results_at_the_edge_of_the_float_range_are_kept() -> None:
    assert (Value(BIGGEST) * 1.0).data == BIGGEST
    assert (Value(BIGGEST / 2) + Value(BIGGEST / 2)).data == BIGGEST
    assert (1 / Value(1e-308)).data == pytest.approx(1e308)
    assert (Value(1e-300) ** -1).data == pytest.approx(1e300)


def test_a_gradient_beyond_the_float_range_is_infinite() -> None:
    x = Value(1e-300)
    y = x**-1  # 1e300 fits; its slope -1/x^2 = -1e600 does not
    y.backward()
    assert x.grad == -math.inf


def test_infinite_and_nan_operands_flow_on_without_error() -> None:
    assert (Value(math.inf) * 2).data == math.inf
    assert (Value(1e308) * Value(math.inf)).data == math.inf
    assert math.isnan((Value(math.nan) + 1).data)


def test_overflow_is_detected_under_no_grad_and_in_linear() -> None:
    with pytest.raises(OverflowError), no_grad():
        Value(1e308) * 10
    with pytest.raises(OverflowError, match="linear overflows the float range"):
        linear([Value(1e308)], [Value(10.0)])


def test_relu_of_nan_is_nan_with_zero_gradient() -> None:
    x = Value(math.nan)
    y = x.relu()
    y.backward()
    assert math.isnan(y.data)
    assert x.grad == 0.0
