"""minigrad.tensor._erf: erf, the exact GELU and its derivative, against math.erf / math.erfc."""

from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import minigrad.tensor._erf as erf_module
from minigrad.tensor._erf import erf, gelu_exact, gelu_exact_backward, gelu_exact_grad

SPECIALS = np.array([0.0, -0.0, np.inf, -np.inf, np.nan])


def _ulps(got: np.ndarray, want: np.ndarray, dtype: type[np.floating]) -> np.ndarray:
    """|got - want| in units of the last place of ``want`` rounded to ``dtype``."""
    spacing = np.spacing(np.abs(want).astype(dtype)).astype(np.float64)
    return np.abs(got.astype(np.float64) - want) / spacing


def _math(fn: object, x: np.ndarray) -> np.ndarray:
    return np.array([fn(float(v)) for v in x.ravel()]).reshape(x.shape)  # type: ignore[operator]


def _gelu_reference(v: float) -> float:
    return v * 0.5 * math.erfc(-v / math.sqrt(2.0))


def _gelu_grad_reference(v: float) -> float:
    return 0.5 * math.erfc(-v / math.sqrt(2.0)) + v * math.exp(-v * v / 2) / math.sqrt(2 * math.pi)


def test_float64_erf_is_within_4_ulp_of_math_erf_on_a_dense_grid() -> None:
    x = np.linspace(-7.0, 7.0, 280_001)
    assert _ulps(erf(x), _math(math.erf, x), np.float64).max() <= 4


def test_float64_erf_keeps_relative_accuracy_for_tiny_arguments() -> None:
    x = np.concatenate([np.geomspace(1e-300, 1.0, 3000), -np.geomspace(1e-300, 1.0, 3000)])
    assert _ulps(erf(x), _math(math.erf, x), np.float64).max() <= 4


def test_float64_erf_tails_are_exactly_plus_or_minus_one() -> None:
    x = np.concatenate([np.linspace(6.0, 40.0, 1001), [1e10, 1e300]])
    np.testing.assert_array_equal(erf(x), _math(math.erf, x))
    np.testing.assert_array_equal(erf(-x), -np.ones_like(x))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_erf_of_special_values(dtype: type[np.floating]) -> None:
    got = erf(SPECIALS.astype(dtype))
    np.testing.assert_array_equal(got, np.array([0.0, -0.0, 1.0, -1.0, np.nan], dtype=dtype))
    assert np.signbit(got[1])
    assert not np.signbit(got[0])


def test_float32_erf_keeps_its_dtype_and_is_within_3_float32_ulp() -> None:
    x = np.linspace(-6.0, 6.0, 120_001, dtype=np.float32)
    got = erf(x)
    assert got.dtype == np.float32
    assert _ulps(got, _math(math.erf, x), np.float32).max() <= 3


def test_float32_erf_near_zero_is_relatively_accurate() -> None:
    x = np.geomspace(1e-30, 1.0, 2000).astype(np.float32)
    assert _ulps(erf(x), _math(math.erf, x), np.float32).max() <= 3


def test_other_dtypes_and_shapes() -> None:
    assert erf(np.array([1, 2])).dtype == np.float64
    assert erf(np.zeros(3, dtype=np.float16)).dtype == np.float16
    assert erf(np.array(0.5)).shape == ()
    assert erf(np.zeros((2, 0, 3))).shape == (2, 0, 3)
    assert gelu_exact(np.zeros((4, 5), dtype=np.float32)).shape == (4, 5)
    assert gelu_exact_grad(np.array(1.0)).shape == ()


@settings(max_examples=30, deadline=None)
@given(
    hnp.arrays(
        np.float32, hnp.array_shapes(max_dims=3, max_side=6), elements=st.floats(-8, 8, width=32)
    )
)
def test_float32_erf_matches_math_erf_whatever_the_shape(x: np.ndarray) -> None:
    got = erf(x)
    assert got.shape == x.shape
    assert got.dtype == np.float32
    assert (_ulps(got, _math(math.erf, x), np.float32) <= 3).all()


def test_float64_gelu_matches_the_erfc_formula() -> None:
    x = np.linspace(-8.0, 8.0, 40_001)
    np.testing.assert_allclose(gelu_exact(x), _math(_gelu_reference, x), rtol=2e-14, atol=0)


def test_float32_gelu_is_within_a_few_ulp_and_keeps_its_tail() -> None:
    x = np.linspace(-12.0, 12.0, 96_001, dtype=np.float32)
    got = gelu_exact(x)
    assert got.dtype == np.float32
    ulps = _ulps(got, _math(_gelu_reference, x), np.float32)
    assert ulps[x >= 0].max() <= 3
    assert ulps[(x < 0) & (x >= -3)].max() <= 8
    # Below -3 the float32 rounding of x*x grows the error like x**2/2 ulp; still relative.
    np.testing.assert_allclose(got[x < -3], _math(_gelu_reference, x[x < -3]), rtol=1e-5)


def test_gelu_derivative_matches_finite_differences_in_float64() -> None:
    x = np.linspace(-6.0, 6.0, 2401)
    step = 1e-6
    numeric = (gelu_exact(x + step) - gelu_exact(x - step)) / (2 * step)
    np.testing.assert_allclose(gelu_exact_grad(x), numeric, atol=1e-8)


def test_float64_gelu_derivative_matches_its_formula_including_the_tail() -> None:
    x = np.linspace(-30.0, 8.0, 38_001)
    want = _math(_gelu_grad_reference, x)
    # Absolute near the derivative's root at x = -0.75, relative elsewhere (the tail is tiny).
    np.testing.assert_allclose(gelu_exact_grad(x), want, rtol=1e-12, atol=1e-15)


def test_float32_gelu_derivative_is_accurate() -> None:
    x = np.linspace(-12.0, 12.0, 48_001, dtype=np.float32)
    got = gelu_exact_grad(x)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, _math(_gelu_grad_reference, x), rtol=1e-5, atol=2e-7)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gelu_and_derivative_at_special_and_huge_values(dtype: type[np.floating]) -> None:
    x = np.array([0.0, np.inf, -np.inf, np.nan, 1e30, -1e30], dtype=dtype)
    np.testing.assert_array_equal(gelu_exact(x), np.array([0, np.inf, 0, np.nan, 1e30, 0], dtype))
    np.testing.assert_array_equal(gelu_exact_grad(x), np.array([0.5, 1, 0, np.nan, 1, 0], dtype))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_no_floating_point_warning_but_underflow(dtype: type[np.floating]) -> None:
    x = np.concatenate([np.linspace(-50, 50, 1001), [np.inf, -np.inf, np.nan, 1e30, -1e30]])
    x = x.astype(dtype)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        erf(x)
        gelu_exact(x)
        gelu_exact_grad(x)


def test_results_do_not_share_memory_with_reused_work_arrays() -> None:
    x = np.linspace(-3, 3, 1000, dtype=np.float32)
    first_gelu, first_grad, first_erf = gelu_exact(x), gelu_exact_grad(x), erf(x)
    kept = first_gelu.copy(), first_grad.copy(), first_erf.copy()
    for fn in (gelu_exact, gelu_exact_grad, erf):
        fn(-x)
    np.testing.assert_array_equal(first_gelu, kept[0])
    np.testing.assert_array_equal(first_grad, kept[1])
    np.testing.assert_array_equal(first_erf, kept[2])


def test_backward_multiplies_the_incoming_gradient() -> None:
    x = np.linspace(-3, 3, 7)
    g = np.arange(7.0)
    np.testing.assert_array_equal(gelu_exact_backward(g, x), g * gelu_exact_grad(x))


def test_backward_rejects_a_gradient_of_another_shape() -> None:
    with pytest.raises(ValueError, match=r"input's shape \(3,\), got \(2,\)"):
        gelu_exact_backward(np.ones(2), np.ones(3))


def test_complex_input_is_rejected_naming_its_dtype() -> None:
    with pytest.raises(TypeError, match="array of real numbers, got dtype complex128"):
        erf(np.array([1j]))


def test_docstring_examples_run() -> None:
    assert doctest.testmod(erf_module, optionflags=doctest.ELLIPSIS).failed == 0


def test_non_contiguous_read_only_input_gives_the_same_values() -> None:
    x = np.linspace(-3, 3, 12, dtype=np.float32).reshape(3, 4).T
    x.setflags(write=False)
    dense = np.ascontiguousarray(x)
    for fn in (erf, gelu_exact, gelu_exact_grad):
        np.testing.assert_array_equal(fn(x), fn(dense))
        assert fn(x).shape == (4, 3)
