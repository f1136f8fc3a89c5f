"""``scaled_dot_product_attention``: softmax(q k^T * scale + mask) v, as one fused operation.

Without dropout the whole attention is one graph node whose rule is the short
chain of matrix products below. The forward keeps the attention weights for the
backward pass (as PyTorch does), in a small holder among the op's arguments that
also remembers which query array they belong to; a backward pass that meets other
arrays (a recorded pass, a second pass after the holder was emptied) recomputes
them. With dropout the same steps are composed of recorded operations.

The rule is written with ``@``, ``*``, ``.sum`` and ``.softmax``, which arrays
and Tensors share, so a ``create_graph=True`` pass differentiates it again.
"""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.nn.functional._checks import as_float_tensor
from minigrad.tensor.nn.functional._dropout import dropout
from minigrad.tensor.ops.masking import masked_fill
from minigrad.tensor.ops.softmax import softmax
from minigrad.tensor.tensor import Tensor

__all__ = ["SavedWeights", "scaled_dot_product_attention"]

_NO_MASK, _BOOL_MASK, _FLOAT_MASK = 0, 1, 2


@functools.lru_cache(maxsize=32)
def _causal_bias(rows: int, columns: int, dtype: np.dtype[Any]) -> np.ndarray:
    """0 on and below the diagonal (top-left aligned, as PyTorch), -inf above; read-only."""
    bias = np.triu(np.full((rows, columns), -np.inf, dtype=dtype), 1)
    bias.flags.writeable = False
    return bias


def _swap(x: Any) -> Any:
    """The last two axes swapped, for an array or a Tensor."""
    return x.swapaxes(-1, -2) if isinstance(x, np.ndarray) else x.transpose(-2, -1)


def _weights_array(
    q: np.ndarray, k: np.ndarray, mask: Any, scale: float, causal: bool, kind: int
) -> np.ndarray:
    """The attention weights softmax(q k^T * scale + mask) on arrays, in few passes."""
    s: np.ndarray = q @ k.swapaxes(-1, -2)
    s *= s.dtype.type(scale)
    if causal:
        s += _causal_bias(s.shape[-2], s.shape[-1], s.dtype)
    if kind == _BOOL_MASK:
        s = np.where(mask, s, s.dtype.type(-np.inf))
    elif kind == _FLOAT_MASK:
        s = s + mask
    s -= s.max(axis=-1, keepdims=True)
    np.exp(s, out=s)
    s /= s.sum(axis=-1, keepdims=True)
    return s


def _weights_tensor(
    q: Tensor, k: Tensor, mask: Any, scale: float, causal: bool, kind: int
) -> Tensor:
    """The same weights from recorded operations (for create_graph and for dropout)."""
    s = (q @ k.transpose(-2, -1)) * scale
    if causal:
        s = s + Tensor(_causal_bias(s.shape[-2], s.shape[-1], s.dtype))
    if kind == _BOOL_MASK:
        s = masked_fill(s, ~mask, -math.inf)
    elif kind == _FLOAT_MASK:
        s = s + mask
    return softmax(s, axis=-1)


class SavedWeights:
    """The attention weights of the last forward run, and the query array they came from."""

    __slots__ = ("query", "weights")

    def __init__(self) -> None:
        self.query: np.ndarray | None = None
        self.weights: np.ndarray | None = None

    def take(self, query: Any) -> np.ndarray | None:
        """The saved weights if they belong to ``query`` (emptying the holder), else None."""
        weights = self.weights if self.query is query else None
        self.query = self.weights = None
        return weights


def _attention_forward(q: np.ndarray, k: np.ndarray, v: np.ndarray, *rest: Any) -> np.ndarray:
    *mask, scale, causal, kind, saved = rest
    weights = _weights_array(q, k, mask[0] if mask else None, scale, causal, kind)
    saved.query, saved.weights = q, weights
    result: np.ndarray = weights @ v
    return result


def _attention_backward(node: Node, g: Any, out: Any, q: Any, k: Any, v: Any, *mask: Any) -> Any:
    scale, causal, kind, saved = node.args
    needs = node.needs
    given = mask[0] if mask else None
    if isinstance(q, np.ndarray):
        p: Any = saved.take(q)
        if p is None:
            p = _weights_array(q, k, given, scale, causal, kind)
    else:
        p = _weights_tensor(q, k, given, scale, causal, kind)
    grads: list[Any] = [None] * (3 + len(mask))
    if needs[2]:
        grads[2] = _swap(p) @ g
    if needs[0] or needs[1] or (mask and needs[3]):
        dp = g @ _swap(v)
        # The softmax rule: ds = p * (dp - sum(dp * p)) along the keys.
        ds = p * (dp - (dp * p).sum(axis=-1, keepdims=True))
        if mask and needs[3]:
            grads[3] = ds
        ds = ds * scale
        if needs[0]:
            grads[0] = ds @ k
        if needs[1]:
            grads[1] = _swap(ds) @ q
    return grads


ATTENTION = Op("scaled_dot_product_attention", _attention_forward, _attention_backward)


def _check_shapes(q: Tensor, k: Tensor, v: Tensor) -> None:
    if q.ndim < 2 or k.ndim < 2 or v.ndim < 2:
        raise ValueError(
            "scaled_dot_product_attention: query, key and value need at least 2 dimensions "
            f"(..., length, features), got {q.shape}, {k.shape} and {v.shape}"
        )
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            "scaled_dot_product_attention: query and key must have the same number of "
            f"features (last axis), got {q.shape} and {k.shape}"
        )
    if k.shape[-2] != v.shape[-2]:
        raise ValueError(
            "scaled_dot_product_attention: key and value must have the same length "
            f"(axis -2), got {k.shape} and {v.shape}"
        )
    try:
        np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            "scaled_dot_product_attention: the batch axes of query, key and value must "
            f"broadcast, got {q.shape}, {k.shape} and {v.shape}"
        ) from None


def _mask(attn_mask: Any, dtype: np.dtype[Any], scores_shape: tuple[int, ...]) -> tuple[Any, int]:
    """The mask as a Tensor and its kind; its shape must broadcast to the scores'."""
    if attn_mask is None:
        return None, _NO_MASK
    mask = attn_mask if isinstance(attn_mask, Tensor) else Tensor(np.asarray(attn_mask))
    if mask.dtype == np.bool_:
        kind = _BOOL_MASK
    elif mask.dtype.kind == "f":
        kind = _FLOAT_MASK
        if mask.dtype != dtype and not mask.requires_grad:
            mask = Tensor(mask.data.astype(dtype))
    else:
        raise TypeError(
            "scaled_dot_product_attention: attn_mask must be boolean (True: attend) or "
            f"floating (added to the scores), got dtype {mask.dtype}"
        )
    try:
        np.broadcast_shapes(mask.shape, scores_shape)
    except ValueError:
        raise ValueError(
            f"scaled_dot_product_attention: attn_mask of shape {mask.shape} must broadcast to "
            f"the attention scores' shape {scores_shape}"
        ) from None
    return mask, kind


def scaled_dot_product_attention(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    *,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Attention ``softmax(query @ key^T * scale + bias) @ value``, as PyTorch's function.

    Args:
        query: shape ``(..., L, E)``.
        key: shape ``(..., S, E)``.
        value: shape ``(..., S, Ev)``; the batch axes of the three broadcast.
        attn_mask: None; a boolean mask broadcasting to ``(..., L, S)``, True where a
            query may attend to a key; or a float mask added to the scores.
        dropout_p: the probability of dropping an attention weight (always applied when
            above 0, as in PyTorch: pass 0.0 outside training).
        is_causal: query i attends to keys 0..i only (top-left aligned); not together
            with ``attn_mask``.
        scale: the factor of the scores; ``1 / sqrt(E)`` when None.
        generator: the NumPy generator of the dropout (MiniGrad's addition; None: the
            package's generator).

    Returns:
        shape ``(..., L, Ev)``.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> q = k = v = Tensor(np.eye(2, dtype=np.float32)[None])
        >>> F.scaled_dot_product_attention(q, k, v, is_causal=True).data[0, 0].tolist()
        [1.0, 0.0]
    """
    name = "scaled_dot_product_attention"
    q = as_float_tensor(query, name, "query")
    k = as_float_tensor(key, name, "key")
    v = as_float_tensor(value, name, "value")
    _check_shapes(q, k, v)
    if is_causal and attn_mask is not None:
        raise ValueError(f"{name}: give attn_mask or is_causal=True, not both")
    if isinstance(dropout_p, bool) or not isinstance(dropout_p, (int, float)):
        raise TypeError(f"{name}: dropout_p must be a number, got {type(dropout_p).__name__}")
    if not 0.0 <= dropout_p <= 1.0:
        raise ValueError(f"{name}: dropout_p must be a probability in [0, 1], got {dropout_p}")
    factor = 1.0 / math.sqrt(q.shape[-1]) if scale is None else float(scale)
    scores_shape = (*np.broadcast_shapes(q.shape[:-2], k.shape[:-2]), q.shape[-2], k.shape[-2])
    mask, kind = _mask(attn_mask, q.dtype, scores_shape)
    if dropout_p > 0.0:
        weights = _weights_tensor(q, k, mask, factor, bool(is_causal), kind)
        return dropout(weights, dropout_p, True, generator) @ v
    inputs = (q, k, v) if mask is None else (q, k, v, mask)
    return apply(ATTENTION, inputs, (factor, bool(is_causal), kind, SavedWeights()))
