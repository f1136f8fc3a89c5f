"""The testing helpers themselves: arguments, refusals, reports and the scalar adapter."""

from __future__ import annotations

import sys

import numpy as np
import pytest

import minigrad.tensor
from minigrad.scalar import Value
from minigrad.tensor import Tensor
from minigrad.tensor.nn import functional
from minigrad.tensor.testing import (
    GradcheckError,
    ScalarArray,
    ScalarMismatchError,
    array_namespace,
    check_against_scalar,
    gradcheck,
    gradgradcheck,
    scalar_counterpart,
    scalar_functional,
    scalar_functions,
)
from minigrad.tensor.testing.report import find_mismatch


def _x() -> Tensor:
    return Tensor(np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]), requires_grad=True)


# ------------------------------------------------------------------ gradcheck


def test_gradcheck_returns_true_for_a_correct_gradient() -> None:
    assert gradcheck(lambda t: (t * t).sum(axis=1).tanh(), (_x(),)) is True


def test_gradcheck_accepts_a_single_tensor_and_tuple_outputs() -> None:
    assert gradcheck(lambda t: (t.exp(), t.sum()), _x())


def test_gradcheck_passes_non_tensor_arguments_through() -> None:
    assert gradcheck(lambda t, axis: t.softmax(axis=axis), (_x(), 0))


def test_gradcheck_checks_only_inputs_that_require_grad() -> None:
    constant = Tensor(np.ones((2, 3), dtype=np.float32))  # float32 is fine: not checked
    assert gradcheck(lambda t, c: t * c.double(), (_x(), constant))


def test_gradcheck_refuses_float32_inputs_and_says_why() -> None:
    x = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    with pytest.raises(
        TypeError, match=r"input 0 \(shape \(3,\)\) .* float32; it must be float64.*coarse"
    ):
        gradcheck(lambda t: t * 2, (x,))


def test_gradcheck_refuses_a_call_with_nothing_to_check() -> None:
    with pytest.raises(ValueError, match="no input requires grad"):
        gradcheck(lambda t: t * 2, (Tensor(np.ones(3)),))


def test_gradcheck_returns_false_on_a_mismatch_when_asked_not_to_raise() -> None:
    def wrong(t: Tensor) -> Tensor:
        return t * Tensor(t.data)  # the second factor is cut from the graph

    assert gradcheck(wrong, (_x(),), raise_exception=False) is False
    with pytest.raises(GradcheckError):
        gradcheck(wrong, (_x(),))


def test_gradcheck_leaves_the_inputs_as_they_were() -> None:
    x = _x()
    data = x.data
    before = data.copy()
    gradcheck(lambda t: t.exp(), (x,))
    assert x.data is data
    np.testing.assert_array_equal(x.data, before)
    assert x.grad is None


def test_gradcheck_handles_an_output_that_does_not_depend_on_the_inputs() -> None:
    assert gradcheck(lambda t: (t.sum(), Tensor(np.ones(2))), (_x(),))


def test_gradgradcheck_accepts_explicit_grad_outputs() -> None:
    seed = Tensor(np.array([1.0, -2.0]), requires_grad=True)
    assert gradgradcheck(lambda t: (t**3).sum(axis=1), (_x(),), seed)


def test_gradgradcheck_refuses_grad_outputs_of_the_wrong_shape() -> None:
    with pytest.raises(
        ValueError, match=r"grad_outputs\[0\] must be a Tensor of the output's shape \(2,\)"
    ):
        gradgradcheck(lambda t: t.sum(axis=1), (_x(),), Tensor(np.ones(3)))


# ------------------------------------------------------------------ check_against_scalar


def test_check_against_scalar_leaves_the_callers_tensors_alone() -> None:
    x = _x()
    before = x.data.copy()
    check_against_scalar(lambda t: t.exp().sum(axis=0), x)
    assert x.grad is None
    np.testing.assert_array_equal(x.data, before)


def test_check_against_scalar_refuses_float32() -> None:
    x = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    with pytest.raises(TypeError, match="must be float64"):
        check_against_scalar(lambda t: t * 2, x)


def test_check_against_scalar_reports_an_output_that_differs() -> None:
    def disagreeing(t: object) -> object:
        return t * (2 if isinstance(t, Tensor) else 3)  # type: ignore[operator]

    with pytest.raises(
        ScalarMismatchError,
        match=r"output 0 \(shape \(2, 3\)\) differs from the scalar engine at element \(0, 2\): "
        r"tensor 4.0, scalar 6.0",
    ):
        check_against_scalar(disagreeing, _x(), name="scale")


def test_check_against_scalar_reports_a_shape_difference() -> None:
    def reshaping(t: object) -> object:
        return t.reshape(6) if isinstance(t, Tensor) else t.reshape(3, 2)  # type: ignore[attr-defined]

    with pytest.raises(
        ScalarMismatchError, match=r"shape \(6,\) on the tensor engine but \(3, 2\)"
    ):
        check_against_scalar(reshaping, _x())


def test_check_against_scalar_uses_the_given_grad_output() -> None:
    x = _x()
    check_against_scalar(lambda t: t * t, x, grad_output=np.full((2, 3), 0.5))
    with pytest.raises(
        ValueError, match=r"grad_output has shape \(3,\) but the output has shape \(2, 3\)"
    ):
        check_against_scalar(lambda t: t * t, x, grad_output=np.ones(3))


def test_check_against_scalar_names_a_lambda_by_its_last_operation() -> None:
    def disagreeing(t: object) -> object:
        return (t * 2).exp() if isinstance(t, Tensor) else (t * 3).exp()  # type: ignore[operator]

    with pytest.raises(ScalarMismatchError, match=r"^disagreeing: output 0"):
        check_against_scalar(disagreeing, _x())
    with pytest.raises(ScalarMismatchError, match=r"^lambda ending in exp: output 0"):
        check_against_scalar(lambda t: disagreeing(t), _x())  # type: ignore[no-untyped-call]


def test_check_against_scalar_takes_integer_tensors_as_constants() -> None:
    labels = Tensor(np.array([2, 0]))
    check_against_scalar(
        lambda t, y: (
            functional.cross_entropy(t, y)
            if isinstance(t, Tensor)
            else scalar_functional.cross_entropy(t, y)
        ),
        _x(),
        labels,
    )


def test_check_against_scalar_without_the_scalar_engine_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "minigrad.scalar", None)
    with pytest.raises(ImportError, match=r"pip install minigrad-tensor\[scalar\]"):
        check_against_scalar(lambda t: t * 2, _x())


# ------------------------------------------------------------------ dispatch


def test_tensor_methods_map_to_the_adapters_methods() -> None:
    assert scalar_counterpart(Tensor.exp) is ScalarArray.exp
    check_against_scalar(Tensor.exp, _x())


def test_public_functions_map_to_their_scalar_definitions() -> None:
    assert scalar_counterpart(functional.conv2d) is scalar_functional.conv2d
    assert scalar_counterpart(minigrad.tensor.concatenate) is scalar_functions.concatenate
    images = Tensor(np.random.default_rng(0).standard_normal((1, 2, 3, 3)), requires_grad=True)
    kernels = Tensor(np.random.default_rng(1).standard_normal((2, 2, 2, 2)), requires_grad=True)
    check_against_scalar(functional.conv2d, images, kernels)


def test_other_functions_run_as_they_are() -> None:
    def fn(t: Tensor) -> Tensor:
        return t

    assert scalar_counterpart(fn) is fn


def test_array_namespace_picks_the_engine_of_its_arguments() -> None:
    assert array_namespace(_x()) is minigrad.tensor
    assert array_namespace(ScalarArray.from_numbers(np.ones(2))) is scalar_functions
    assert array_namespace([_x(), ScalarArray.from_numbers(np.ones(2))]) is scalar_functions


# ------------------------------------------------------------------ the scalar adapter


def test_scalar_array_sums_broadcast_gradients_by_plain_scalar_arithmetic() -> None:
    x = ScalarArray.from_numbers(np.ones((2, 3)))
    row = ScalarArray.from_numbers(np.array([1.0, 2.0, 3.0]))
    (x * row).sum().values[()].backward()
    assert [v.grad for v in row.values] == [2.0, 2.0, 2.0]


def test_scalar_array_max_shares_the_gradient_of_ties_equally() -> None:
    x = ScalarArray.from_numbers(np.array([1.0, 3.0, 3.0]))
    x.max().values[()].backward()
    assert [v.grad for v in x.values] == [0.0, 0.5, 0.5]


def test_scalar_array_keeps_integer_data_as_numbers() -> None:
    labels = ScalarArray.from_numbers(np.array([1, 2]))
    assert labels.values.dtype == np.int64
    floats = ScalarArray.from_numbers(np.array([1.0]))
    assert isinstance(floats.values[0], Value)


def test_scalar_array_shares_one_value_between_indexed_copies() -> None:
    x = ScalarArray.from_numbers(np.array([1.0, 2.0]))
    picked = x[np.array([0, 0, 1])]
    assert picked.values[0] is picked.values[1] is x.values[0]


# ------------------------------------------------------------------ the comparison rule


def test_find_mismatch_picks_the_worst_element() -> None:
    mismatch = find_mismatch(np.array([1.0, 2.1, 3.5]), np.array([1.0, 2.0, 3.0]), atol=0, rtol=0)
    assert mismatch is not None
    assert (mismatch.index, mismatch.actual, mismatch.expected, mismatch.count) == (
        (2,),
        3.5,
        3.0,
        2,
    )


def test_find_mismatch_agrees_on_shared_nan_and_inf_only() -> None:
    same = np.array([np.nan, np.inf])
    assert find_mismatch(same, same.copy(), atol=0, rtol=0) is None
    assert find_mismatch(np.array([np.nan]), np.array([1.0]), atol=1, rtol=1) is not None
    assert find_mismatch(np.array([np.inf]), np.array([-np.inf]), atol=1, rtol=1) is not None


def test_find_mismatch_refuses_arrays_of_different_shapes() -> None:
    with pytest.raises(ValueError, match=r"\(2,\) \(actual\) and \(3,\) \(expected\)"):
        find_mismatch(np.ones(2), np.ones(3), atol=0, rtol=0)
