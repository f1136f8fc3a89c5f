"""The one place where a broadcast gradient is summed back to its input's shape."""

from __future__ import annotations

from typing import Any


def reduce_to_shape(grad: Any, shape: tuple[int, ...]) -> Any:
    """Sum ``grad`` over the axes that broadcasting added or stretched, giving ``shape``.

    Broadcasting copies an input along some axes; the gradient of a copy is the
    sum of the gradients of its copies. Works on NumPy arrays and on Tensors
    (whose ``sum`` records a graph when a backward pass is itself recorded).

    Example:
        >>> import numpy as np
        >>> reduce_to_shape(np.ones((4, 2, 3)), (2, 1)).tolist()
        [[12.0], [12.0]]
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    stretched = tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1
    )
    axes = tuple(range(extra)) + stretched
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)
