"""nan and overflow: where the engines agree (relu of nan) and where they differ on purpose."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from minigrad.scalar import Value
from minigrad.tensor import Tensor


def test_relu_of_nan_is_nan_with_zero_gradient_in_both_engines() -> None:
    scalar = Value(math.nan)
    scalar_out = scalar.relu()
    scalar_out.backward()
    tensor = Tensor(np.array([math.nan]), requires_grad=True)
    tensor_out = tensor.relu()
    tensor_out.sum().backward()
    assert math.isnan(scalar_out.data)
    assert np.isnan(tensor_out.data[0])
    assert tensor.grad is not None
    assert scalar.grad == tensor.grad[0] == 0.0


def test_overflow_raises_on_scalars_and_gives_inf_on_tensors() -> None:
    with pytest.raises(OverflowError):
        Value(1e308) * 10
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        result = Tensor(np.array([1e308])) * 10
    assert result.data[0] == math.inf
