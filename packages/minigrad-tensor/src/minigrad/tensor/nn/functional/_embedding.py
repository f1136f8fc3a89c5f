"""``embedding``: rows of a weight matrix picked by integer indices."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.nn.functional._checks import as_float_tensor
from minigrad.tensor.ops.indexing import scatter_add
from minigrad.tensor.tensor import Tensor

__all__ = ["embedding"]


def _embedding_backward(
    node: Node, g: Any, out: Any, weight: Any, indices: Any
) -> tuple[Any, None]:
    plain = indices.data if isinstance(indices, Tensor) else indices
    return (scatter_add(g, plain, weight.shape), None)  # a row picked twice gets both gradients


# The indices are an input (without gradient), not an argument: a replay with
# the next batch's indices picks the next batch's rows.
EMBEDDING = Op("embedding", lambda weight, indices: weight[indices], _embedding_backward)


def embedding(input: Any, weight: Tensor) -> Tensor:
    """``weight[input]``: one row of ``weight`` per index; the gradient adds up per row.

    Args:
        input: integer indices of any shape, each in ``[0, num_embeddings)``.
        weight: shape ``(num_embeddings, embedding_dim)``.

    Returns:
        shape ``input.shape + (embedding_dim,)``.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> F.embedding(np.array([2, 0]), Tensor([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]])).tolist()
        [[4.0, 5.0], [0.0, 1.0]]
    """
    weight = as_float_tensor(weight, "embedding", "weight")
    if weight.ndim != 2:
        raise ValueError(
            f"embedding: weight must have shape (num_embeddings, embedding_dim), got {weight.shape}"
        )
    index_tensor = input if isinstance(input, Tensor) else Tensor(np.asarray(input))
    indices = index_tensor.data
    if indices.dtype.kind not in "iu":
        raise TypeError(f"embedding: input must hold integer indices, got dtype {indices.dtype}")
    rows = weight.shape[0]
    if indices.size and (indices.min() < 0 or indices.max() >= rows):
        bad = indices[(indices < 0) | (indices >= rows)].flat[0]
        raise IndexError(
            f"embedding: index {int(bad)} is outside [0, {rows}) for weight of shape {weight.shape}"
        )
    return apply(EMBEDDING, (weight, index_tensor))
