"""Building Values, what they accept and refuse, repr, comparisons and identity."""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

import pytest

from minigrad.scalar import Value
from minigrad.scalar.engine import topological_order

# -- construction ------------------------------------------------------------


def test_value_holds_a_float_from_an_int() -> None:
    v = Value(3)
    assert v.data == 3.0
    assert type(v.data) is float


def test_value_converts_other_real_numbers_with_float() -> None:
    v = Value(Fraction(1, 4))  # type: ignore[arg-type]
    assert v.data == 0.25
    assert type(v.data) is float


def test_value_keeps_its_label() -> None:
    assert Value(1.0, label="w1").label == "w1"


def test_value_label_defaults_to_empty() -> None:
    assert Value(1.0).label == ""


@pytest.mark.parametrize(
    ("given", "type_name"),
    [("1.0", "str"), (1 + 2j, "complex"), (None, "NoneType"), (True, "bool"), ([1.0], "list")],
)
def test_value_rejects_non_real_numbers_naming_the_type(given: object, type_name: str) -> None:
    with pytest.raises(
        TypeError, match=f"Value expects a real number \\(int or float\\), got {type_name}"
    ):
        Value(given)  # type: ignore[arg-type]


def test_value_rejects_a_value_inside_a_value() -> None:
    with pytest.raises(TypeError, match="got Value"):
        Value(Value(1.0))  # type: ignore[arg-type]


def test_value_rejects_a_non_string_label() -> None:
    with pytest.raises(TypeError, match="label must be a str, got int"):
        Value(1.0, label=3)  # type: ignore[arg-type]


# -- operands ----------------------------------------------------------------


@pytest.mark.parametrize(
    "operation",
    [
        lambda v: v + None,
        lambda v: None + v,
        lambda v: v - None,
        lambda v: None - v,
        lambda v: v * None,
        lambda v: None * v,
        lambda v: v / None,
        lambda v: None / v,
        lambda v: v**None,
        lambda v: None**v,
    ],
    ids=["add", "radd", "sub", "rsub", "mul", "rmul", "div", "rdiv", "pow", "rpow"],
)
def test_arithmetic_with_a_non_number_raises_type_error_naming_its_type(
    operation: Callable[[Value], Value],
) -> None:
    with pytest.raises(TypeError, match="NoneType"):
        operation(Value(2.0))


def test_arithmetic_with_a_string_raises_type_error() -> None:
    with pytest.raises(TypeError, match="str"):
        Value(2.0) + "a"  # type: ignore[operator]


def test_arithmetic_with_a_bool_raises_type_error_naming_bool() -> None:
    with pytest.raises(TypeError, match="bool"):
        Value(2.0) * True


def test_arithmetic_with_a_complex_number_raises_type_error() -> None:
    with pytest.raises(TypeError, match="complex"):
        Value(2.0) + 1j  # type: ignore[operator]


def test_arithmetic_accepts_fractions_as_constants() -> None:
    assert (Value(1.0) + Fraction(1, 2)).data == 1.5  # type: ignore[operator]
    assert (Fraction(1, 2) * Value(3.0)).data == 1.5  # type: ignore[operator]


def test_constants_are_not_graph_nodes() -> None:
    v = Value(2.0)
    result = v * 2
    assert topological_order(result) == [v, result]


@pytest.mark.parametrize(
    "operation",
    [
        lambda v: v + 1,
        lambda v: 1 + v,
        lambda v: v - 1,
        lambda v: 1 - v,
        lambda v: v * 2,
        lambda v: 2 * v,
        lambda v: v / 2,
        lambda v: 2 / v,
        lambda v: v**2,
        lambda v: 2**v,
    ],
)
def test_every_operation_with_a_constant_has_one_child(
    operation: Callable[[Value], Value],
) -> None:
    v = Value(2.0)
    result = operation(v)
    assert topological_order(result) == [v, result]


# -- repr ----------------------------------------------------------------------


def test_repr_shows_data_and_grad() -> None:
    assert repr(Value(2.0)) == "Value(data=2.0, grad=0.0)"


def test_repr_shows_the_label_when_set() -> None:
    assert repr(Value(2.0, label="x")) == "Value(data=2.0, grad=0.0, label='x')"


# -- comparisons and identity ----------------------------------------------------


def test_comparisons_compare_data_with_values_and_numbers() -> None:
    small, big = Value(1.0), Value(2.0)
    assert small < big
    assert small <= 1
    assert big > 1.5
    assert big >= big
    assert not big < small
    assert 0.5 < small  # noqa: SIM300 (the reflected form is what is tested)


def test_comparisons_return_plain_bools() -> None:
    assert type(Value(1.0) < Value(2.0)) is bool


def test_comparison_with_a_string_raises_type_error() -> None:
    with pytest.raises(TypeError):
        _ = Value(1.0) < "2"  # type: ignore[operator]


def test_equality_is_identity() -> None:
    a, b = Value(1.0), Value(1.0)
    assert a == a
    assert a != b


def test_values_can_be_used_in_sets_and_dicts() -> None:
    a, b = Value(1.0), Value(1.0)
    assert len({a, b, a}) == 2
    assert {a: "a", b: "b"}[b] == "b"


# -- numerical stability -----------------------------------------------------------


def test_sigmoid_is_stable_at_large_magnitudes() -> None:
    assert Value(1000.0).sigmoid().data == 1.0
    assert Value(-1000.0).sigmoid().data == 0.0


def test_sigmoid_gradient_vanishes_at_large_magnitudes() -> None:
    x = Value(-1000.0)
    x.sigmoid().backward()
    assert x.grad == 0.0


def test_tanh_saturates_without_error() -> None:
    assert Value(1000.0).tanh().data == 1.0
    assert Value(-1000.0).tanh().data == -1.0


def test_exp_of_large_negative_underflows_to_zero() -> None:
    assert Value(-1000.0).exp().data == 0.0


def test_infinity_and_nan_are_accepted_as_data() -> None:
    assert Value(math.inf).data == math.inf
    assert math.isnan(Value(math.nan).data)


def test_value_built_from_an_operation_keeps_children_and_local_grads() -> None:
    a, b = Value(2.0), Value(3.0)
    c = Value(6.0, (a, b), (3.0, 2.0), "*")  # microgpt's constructor form, plus op
    c.backward()
    assert (a.grad, b.grad) == (3.0, 2.0)
    assert topological_order(c)[-1] is c


def test_value_rejects_a_label_given_by_position() -> None:
    with pytest.raises(
        TypeError, match="children must be a tuple of Values, got str; give a label"
    ):
        Value(1.0, "x")  # type: ignore[arg-type]
