"""``linear``: ``x @ weight.T + bias`` as one fused operation with its own gradient."""

from __future__ import annotations

from typing import Any

from minigrad.tensor.autograd import Node
from minigrad.tensor.nn.functional._checks import as_float_tensor
from minigrad.tensor.tensor import Tensor, make_result

__all__ = ["linear"]


def _linear_backward(node: Node, g: Any, out: Any, x: Any, weight: Any, *bias: Any) -> list[Any]:
    needs = node.needs
    # Works on arrays and on Tensors alike, so second derivatives work too.
    out_features, in_features = weight.shape
    # Batch dimensions, if any, are folded into one: (batch, features).
    g2 = g if g.ndim == 2 else g.reshape((-1, out_features))
    grads: list[Any] = [None, None, None]
    if needs[0]:
        grads[0] = g @ weight
    if needs[1]:
        grads[1] = g2.T @ (x if x.ndim == 2 else x.reshape((-1, in_features)))
    if bias and needs[2]:
        grads[2] = g2.sum(axis=0)
    return grads[: 2 + len(bias)]


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
    data = input.data @ weight.data.T
    if bias is None:
        return make_result(data, (input, weight), _linear_backward, (), "linear")
    bias = as_float_tensor(bias, "linear", "bias")
    if bias.shape != (weight.shape[0],):
        raise ValueError(
            f"linear: bias must have shape ({weight.shape[0]},) to match weight of shape "
            f"{weight.shape}, got {bias.shape}"
        )
    data += bias.data
    return make_result(data, (input, weight, bias), _linear_backward, (), "linear")
