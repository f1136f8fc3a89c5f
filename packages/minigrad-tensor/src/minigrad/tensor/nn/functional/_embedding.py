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

__all__ = ["check_padding_idx", "embedding"]


# Up to this many (rows x picks), the gradient is one matrix product with a one-hot
# matrix, which costs a tenth of np.add.at's element-by-element scatter.
_ONE_HOT_LIMIT = 1 << 22


def _rows_gradient(g: Any, indices: np.ndarray, shape: tuple[int, ...]) -> Any:
    """The sum of ``g``'s vectors into the rows they were picked from (``shape`` = weight's)."""
    rows, dim = shape
    if isinstance(g, np.ndarray) and rows * indices.size <= _ONE_HOT_LIMIT:
        flat = indices.reshape(-1)
        one_hot = np.zeros((rows, flat.size), dtype=g.dtype)
        one_hot[flat, np.arange(flat.size)] = 1
        result: np.ndarray = one_hot @ g.reshape(flat.size, dim)
        return result
    return scatter_add(g, indices, shape)  # a row picked twice gets both gradients


def _embedding_backward(
    node: Node, g: Any, out: Any, weight: Any, indices: Any
) -> tuple[Any, None]:
    plain = indices.data if isinstance(indices, Tensor) else indices
    return (_rows_gradient(g, plain, weight.shape), None)


def _padded_embedding_backward(
    node: Node, g: Any, out: Any, weight: Any, indices: Any
) -> tuple[Any, None]:
    (padding_idx,) = node.args
    plain = indices.data if isinstance(indices, Tensor) else indices
    # The padding row gets no gradient: its picks send 0 (a product, so it records too).
    keep = (plain != padding_idx)[..., None].astype(weight.dtype)
    return (_rows_gradient(g * keep, plain, weight.shape), None)


def _rows(weight: np.ndarray, indices: np.ndarray, *padding_idx: int) -> np.ndarray:
    """``weight[indices]``, refusing an index outside ``[0, rows)``.

    The check depends on the indices' values, so it runs here, on every call
    and every compiled replay: NumPy would take -1 as the last row.
    """
    rows = weight.shape[0]
    if indices.size and (indices.min() < 0 or indices.max() >= rows):
        bad = indices[(indices < 0) | (indices >= rows)].flat[0]
        raise IndexError(
            f"embedding: index {int(bad)} is outside [0, {rows}) for weight of shape {weight.shape}"
        )
    picked: np.ndarray = weight[indices]
    return picked


# The indices are an input (without gradient), not an argument: a replay with
# the next batch's indices picks the next batch's rows.
EMBEDDING = Op("embedding", _rows, _embedding_backward)
PADDED_EMBEDDING = Op("embedding", _rows, _padded_embedding_backward)


def check_padding_idx(padding_idx: Any, rows: int, op: str) -> int | None:
    """``padding_idx`` as an index in ``[0, rows)`` (a negative one counts from the end)."""
    if padding_idx is None:
        return None
    if isinstance(padding_idx, bool) or not isinstance(padding_idx, (int, np.integer)):
        raise TypeError(f"{op}: padding_idx must be an int or None, got {padding_idx!r}")
    if not -rows <= padding_idx < rows:
        raise ValueError(
            f"{op}: padding_idx must be in [-{rows}, {rows}) for {rows} embeddings, "
            f"got {padding_idx}"
        )
    return int(padding_idx) % rows


def embedding(input: Any, weight: Tensor, padding_idx: int | None = None) -> Tensor:
    """``weight[input]``: one row of ``weight`` per index; the gradient adds up per row.

    Args:
        input: integer indices of any shape, each in ``[0, num_embeddings)``.
        weight: shape ``(num_embeddings, embedding_dim)``.
        padding_idx: as in PyTorch, the row of this index (negative: from the end) gets
            no gradient; its values are used as they are.

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
    padding = check_padding_idx(padding_idx, weight.shape[0], "embedding")
    if padding is None:
        return apply(EMBEDDING, (weight, index_tensor))
    return apply(PADDED_EMBEDDING, (weight, index_tensor), (padding,))
