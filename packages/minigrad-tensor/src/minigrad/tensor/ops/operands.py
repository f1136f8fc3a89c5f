"""Turning an operator's other operand into a Tensor, and the broadcast error.

Python numbers on one side of ``+ - * / **`` are not graph nodes: the op
modules keep them as constants in the op's arguments. Everything else (lists,
NumPy arrays and scalars) becomes a constant Tensor through :func:`as_tensor`.
"""

from __future__ import annotations

from typing import Any, TypeGuard

import numpy as np

from minigrad.tensor.tensor import Tensor

__all__ = ["PY_NUMBERS", "as_tensor", "broadcast_error", "is_py_number", "raw"]

# NumPy scalars (np.float64 is a float subclass) go through as_tensor instead,
# which gives them the tensor's float dtype: NumPy would let an np.float64
# promote a float32 tensor to float64.
PY_NUMBERS = (int, float)


def is_py_number(value: Any) -> TypeGuard[int | float]:
    """Whether ``value`` is a Python int or float (not a NumPy scalar, not a bool array)."""
    return isinstance(value, PY_NUMBERS) and not isinstance(value, np.generic)


def raw(value: Any) -> Any:
    """The NumPy value behind ``value`` (a Tensor's data, or the value itself)."""
    return value.data if isinstance(value, Tensor) else value


def as_tensor(value: Any, like: Any = None) -> Tensor:
    """``value`` as a Tensor that records no graph (a constant operand).

    Non-ndarray data (Python lists and numbers, NumPy scalars) take the dtype
    of ``like`` when it is a floating Tensor, so ``float32_tensor + [1.0, 2]``
    stays float32; an ndarray keeps its dtype and promotes as in NumPy.

    Example:
        >>> as_tensor([1, 2], Tensor([0.5])).dtype
        dtype('float32')
    """
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    if (
        isinstance(like, Tensor)
        and like.dtype.kind == "f"
        and array.dtype.kind in "biuf"
        and array.dtype != like.dtype
        and not isinstance(value, np.ndarray)
    ):
        array = array.astype(like.dtype)
    return Tensor(array)


def broadcast_error(op: str, a: Any, b: Any) -> ValueError:
    """The error for operands whose shapes do not broadcast, naming both shapes."""
    return ValueError(f"{op}: shapes {np.shape(a)} and {np.shape(b)} cannot be broadcast together")
