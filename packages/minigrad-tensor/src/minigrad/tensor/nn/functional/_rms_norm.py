"""``rms_norm``: scale each sample by the reciprocal root mean square of its last axes.

One fused operation: ``y = x * r * weight`` with ``r = 1 / sqrt(mean(x**2) + eps)``.
Its rule is short, ``dx = r * gw - x * r**3 * mean(gw * x)`` with ``gw = g * weight``,
and written with operations arrays and Tensors share, so second derivatives work.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.nn.functional._checks import as_float_tensor
from minigrad.tensor.nn.functional._normalization import mean_over
from minigrad.tensor.tensor import Tensor

__all__ = ["rms_norm"]


def _reciprocal_rms(x: Any, axes: tuple[int, ...], eps: float) -> Any:
    """``1 / sqrt(mean(x**2) + eps)`` over ``axes``, kept as length-one axes."""
    mean_square = mean_over(x * x, axes)
    if isinstance(x, np.ndarray):
        mean_square += x.dtype.type(eps)
        np.sqrt(mean_square, out=mean_square)
        return np.reciprocal(mean_square, out=mean_square)
    return (mean_square + eps) ** -0.5


def _rms_norm_forward(x: np.ndarray, *rest: Any) -> np.ndarray:
    *weight, axes, eps = rest
    y: np.ndarray = x * _reciprocal_rms(x, axes, eps)
    if weight:
        y *= weight[0]
    return y


def _rms_norm_backward(node: Node, g: Any, out: Any, x: Any, *weight: Any) -> list[Any]:
    axes, eps = node.args
    needs = node.needs
    r = _reciprocal_rms(x, axes, eps)
    grads: list[Any] = [None] * (1 + len(weight))
    if needs[0]:
        gw = g * weight[0] if weight else g
        grads[0] = r * gw - x * (r * r * r) * mean_over(gw * x, axes)
    if weight and needs[1]:
        grads[1] = g * x * r  # summed over the leading axes by the engine
    return grads


RMS_NORM = Op("rms_norm", _rms_norm_forward, _rms_norm_backward)


def rms_norm(
    input: Tensor,
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    eps: float | None = None,
) -> Tensor:
    """``input / sqrt(mean(input**2) + eps) * weight`` over the last ``len(normalized_shape)`` axes.

    As PyTorch's ``F.rms_norm``: no centring, no bias; ``eps=None`` means the machine
    epsilon of the input's dtype (``np.finfo(dtype).eps``); ``weight`` (optional) has
    shape ``normalized_shape``.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> np.round(F.rms_norm(Tensor([[3.0, 4.0]]), 2, eps=0.0).data, 4).tolist()
        [[0.8485, 1.1314]]
    """
    input = as_float_tensor(input, "rms_norm")
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    count = len(shape)
    if count == 0 or input.ndim < count or input.shape[input.ndim - count :] != shape:
        raise ValueError(
            f"rms_norm: input of shape {input.shape} must end in normalized_shape {shape}"
        )
    if eps is None:
        eps = float(np.finfo(input.dtype).eps)
    elif isinstance(eps, bool) or not isinstance(eps, (int, float)) or eps < 0:
        raise ValueError(f"rms_norm: eps must be a number >= 0 or None, got {eps!r}")
    axes = tuple(range(input.ndim - count, input.ndim))
    if weight is None:
        return apply(RMS_NORM, (input,), (axes, float(eps)))
    weight = as_float_tensor(weight, "rms_norm", "weight")
    if weight.shape != shape:
        raise ValueError(f"rms_norm: weight must have shape {shape}, got {weight.shape}")
    return apply(RMS_NORM, (input, weight), (axes, float(eps)))
