"""``linear``: ``x @ weight.T + bias`` as one fused operation with its own gradient."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.nn.functional._checks import as_float_tensor
from minigrad.tensor.tensor import Tensor

__all__ = ["linear"]


def _linear_backward(node: Node, g: Any, out: Any, x: Any, weight: Any, *bias: Any) -> list[Any]:
    needs = node.needs
    # Works on arrays and on Tensors alike, so second derivatives work too.
    out_features, in_features = weight.shape
    # Batch dimensions, if any, are folded into one: (batch, features).
    g2 = g if g.ndim == 2 else g.reshape((-1, out_features))
    grads: list[Any] = [None, None, None]
    if needs[0]:
        # One (batch, out) @ (out, in) product: a 3-d @ 2-d matmul is a slower loop of small ones.
        grads[0] = g @ weight if g.ndim <= 2 else (g2 @ weight).reshape(x.shape)
    if needs[1]:
        grads[1] = g2.T @ (x if x.ndim == 2 else x.reshape((-1, in_features)))
    if bias and needs[2]:
        grads[2] = g2.sum(axis=0)
    return grads[: 2 + len(bias)]


def _product(x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """``x @ weight.T``, with the batch axes folded into one: a single matrix product."""
    if x.ndim <= 2:
        result: np.ndarray = x @ weight.T
        return result
    folded: np.ndarray = x.reshape(-1, x.shape[-1]) @ weight.T
    return folded.reshape((*x.shape[:-1], weight.shape[0]))


def _linear_forward(x: np.ndarray, weight: np.ndarray) -> np.ndarray:
    return _product(x, weight)


def _linear_bias_forward(x: np.ndarray, weight: np.ndarray, bias: np.ndarray) -> np.ndarray:
    result = _product(x, weight)
    result += bias  # in place: the product is this op's own fresh array
    return result


LINEAR = Op("linear", _linear_forward, _linear_backward)
LINEAR_BIAS = Op("linear", _linear_bias_forward, _linear_backward)


def linear(input: Tensor, weight: Tensor, bias: Tensor | None = None) -> Tensor:
    """Apply an affine map: ``input @ weight.T + bias``, as one graph node.

    Args:
        input: shape ``(*, in_features)``.
        weight: shape ``(out_features, in_features)`` (PyTorch's layout).
        bias: shape ``(out_features,)``, or None.

    Returns:
        shape ``(*, out_features)``.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> F.linear(Tensor([[1.0, 2.0]]), Tensor([[1.0, 1.0], [0.0, 1.0]]), Tensor([0.5, 0.0]))
        Tensor([[3.5, 2. ]], dtype=float32)
    """
    input = as_float_tensor(input, "linear")
    weight = as_float_tensor(weight, "linear", "weight")
    if weight.ndim != 2:
        raise ValueError(
            f"linear: weight must have shape (out_features, in_features), got {weight.shape}"
        )
    if input.ndim == 0 or input.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"linear: input of shape {input.shape} must end in in_features={weight.shape[1]} "
            f"to match weight of shape {weight.shape}"
        )
    if bias is None:
        return apply(LINEAR, (input, weight))
    bias = as_float_tensor(bias, "linear", "bias")
    if bias.shape != (weight.shape[0],):
        raise ValueError(
            f"linear: bias must have shape ({weight.shape[0]},) to match weight of shape "
            f"{weight.shape}, got {bias.shape}"
        )
    return apply(LINEAR_BIAS, (input, weight, bias))
