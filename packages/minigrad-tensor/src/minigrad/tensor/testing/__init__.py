"""Testing helpers for anyone who adds an op: two independent gradient oracles.

* :func:`gradcheck` / :func:`gradgradcheck` compare analytic first and second
  derivatives with float64 central differences (PyTorch's meaning and defaults).
* :func:`check_against_scalar` runs the same function on Tensors and on arrays
  of ``minigrad.scalar.Value`` (the reference semantics) and compares outputs and
  every element's gradient. It needs the scalar engine:
  ``pip install minigrad-tensor[scalar]``.

Failures raise :class:`GradcheckError` or :class:`ScalarMismatchError` (both
``AssertionError``) with a report that names the op, the input, the element,
both values and the shapes.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import Tensor
    >>> from minigrad.tensor.testing import check_against_scalar, gradcheck
    >>> x = Tensor(np.array([[0.5, -1.0, 2.0]]), requires_grad=True)
    >>> gradcheck(lambda t: t.softmax(axis=1), (x,))
    True
    >>> check_against_scalar(lambda t: t.softmax(axis=1), x)
"""

from __future__ import annotations

from minigrad.tensor.testing.gradcheck import gradcheck, gradgradcheck
from minigrad.tensor.testing.report import GradcheckError, ScalarMismatchError
from minigrad.tensor.testing.scalar_array import ScalarArray
from minigrad.tensor.testing.scalar_oracle import (
    array_namespace,
    check_against_scalar,
    scalar_counterpart,
)

__all__ = [
    "GradcheckError",
    "ScalarArray",
    "ScalarMismatchError",
    "array_namespace",
    "check_against_scalar",
    "gradcheck",
    "gradgradcheck",
    "scalar_counterpart",
]
