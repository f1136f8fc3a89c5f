"""Inputs outside an op's domain raise errors that name the op and the value."""

from __future__ import annotations

import pytest

from minigrad.scalar import Value


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
