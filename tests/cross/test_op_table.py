"""The op table's five checks, for every differentiable public operation.

1. forward values against a plain NumPy reference;
2. every element's gradient against the scalar engine (check_against_scalar);
3. gradients against float64 central differences (gradcheck);
4. second derivatives through create_graph (gradgradcheck), where supported;
5. gradients have their input's shape and dtype (float32 and float64), and no
   input array is changed by the forward or the backward pass.

Run with HYPOTHESIS_PROFILE=thorough for many more examples per op.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from op_table import CASES, Case

from minigrad.tensor import Tensor
from minigrad.tensor.autograd import backward
from minigrad.tensor.testing import check_against_scalar, gradcheck, gradgradcheck

# The expensive checks draw fewer examples than the profile's default (25 in
# the quick profile), and scale up with it under the thorough profile.
_PROFILE_EXAMPLES = settings().max_examples
_FEWER = max(5, _PROFILE_EXAMPLES // 2)
_FEWEST = max(4, _PROFILE_EXAMPLES // 4)

_IDS = [case.name for case in CASES]


def _outputs(result: Any) -> tuple[Any, ...]:
    return tuple(result) if isinstance(result, (tuple, list)) else (result,)


def _bound(case: Case, params: dict[str, Any]) -> Any:
    return functools.partial(case.fn, **params)


@pytest.mark.parametrize("case", CASES, ids=_IDS)
@given(data=st.data())
def test_forward_matches_numpy(case: Case, data: st.DataObject) -> None:
    example = case.draw(data)
    got = _outputs(case.fn(*example.tensors(), **example.params))
    expected = _outputs(case.reference(*example.inputs, **example.params))
    assert len(got) == len(expected), f"{case.name}: {len(got)} outputs, expected {len(expected)}"
    for out, want in zip(got, expected, strict=True):
        want = np.asarray(want)
        assert out.shape == want.shape, f"{case.name}: shape {out.shape}, NumPy gives {want.shape}"
        np.testing.assert_allclose(out.data, want, rtol=1e-7, atol=1e-10, err_msg=case.name)


@pytest.mark.parametrize("case", CASES, ids=_IDS)
@settings(max_examples=_FEWER)
@given(data=st.data())
def test_gradients_match_the_scalar_engine(case: Case, data: st.DataObject) -> None:
    example = case.draw(data)
    atol, rtol = case.scalar_tolerance
    check_against_scalar(
        _bound(case, example.params), *example.tensors(), atol=atol, rtol=rtol, name=case.name
    )


@pytest.mark.parametrize("case", [c for c in CASES if c.finite_differences], ids=lambda c: c.name)
@settings(max_examples=_FEWER)
@given(data=st.data())
def test_gradients_match_central_differences(case: Case, data: st.DataObject) -> None:
    example = case.draw(data)
    atol, rtol = case.fd_tolerance
    assert gradcheck(_bound(case, example.params), example.tensors(), atol=atol, rtol=rtol)


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.second_order and c.finite_differences], ids=lambda c: c.name
)
@settings(max_examples=_FEWEST)
@given(data=st.data())
def test_second_derivatives_match_central_differences(case: Case, data: st.DataObject) -> None:
    example = case.draw(data)
    atol, rtol = case.fd_tolerance
    assert gradgradcheck(_bound(case, example.params), example.tensors(), atol=atol, rtol=rtol)


@pytest.mark.parametrize("case", CASES, ids=_IDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@settings(max_examples=_FEWEST)
@given(data=st.data())
def test_gradients_keep_shape_and_dtype_and_inputs_stay_unchanged(
    case: Case, dtype: Any, data: st.DataObject
) -> None:
    example = case.draw(data)
    tensors = example.tensors(dtype)
    before = [t.data.copy() if isinstance(t, Tensor) else None for t in tensors]
    outputs = [o for o in _outputs(case.fn(*tensors, **example.params)) if o.requires_grad]
    rng = np.random.default_rng(0)
    if outputs:
        backward(outputs, [rng.standard_normal(o.shape).astype(o.dtype) for o in outputs])
    for i, (t, old) in enumerate(zip(tensors, before, strict=True)):
        if not isinstance(t, Tensor):
            continue
        np.testing.assert_array_equal(t.data, old, err_msg=f"{case.name}: input {i} was changed")
        if t.requires_grad and t.grad is not None:
            assert t.grad.shape == t.shape, (
                f"{case.name}: gradient of input {i} has shape {t.grad.shape}, input {t.shape}"
            )
            assert t.grad.dtype == t.dtype, (
                f"{case.name}: gradient of input {i} has dtype {t.grad.dtype}, input {t.dtype}"
            )
