"""`MultiheadAttention`: PyTorch's attention layer, with its parameter names and masks.

The parameters are PyTorch's: ``in_proj_weight`` (the query, key and value
projections stacked, ``(3 E, E)``), ``in_proj_bias`` and ``out_proj`` (a
`Linear`), so a state dict moves between the two unchanged. The heads attend
with :func:`~minigrad.tensor.nn.functional.scaled_dot_product_attention`.

Masks follow PyTorch's layer, whose boolean convention is the opposite of the
function's: in ``attn_mask`` and ``key_padding_mask`` True means *do not* attend.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from minigrad.tensor.nn import init
from minigrad.tensor.nn.functional import dropout, linear, scaled_dot_product_attention
from minigrad.tensor.nn.layers._dtype import check_size, float_dtype
from minigrad.tensor.nn.layers.linear import Linear
from minigrad.tensor.nn.module import Module
from minigrad.tensor.nn.parameter import Parameter
from minigrad.tensor.ops.join import split
from minigrad.tensor.ops.softmax import softmax
from minigrad.tensor.tensor import Tensor

__all__ = ["MultiheadAttention"]


def _additive(mask: Any, dtype: np.dtype[Any], name: str) -> np.ndarray | Tensor | None:
    """A PyTorch layer mask as a float mask to add: -inf where a bool mask is True."""
    if mask is None:
        return None
    if isinstance(mask, Tensor) and mask.dtype.kind == "f":
        return mask
    array = np.asarray(mask.data if isinstance(mask, Tensor) else mask)
    if array.dtype == np.bool_:
        return np.where(array, -np.inf, 0.0).astype(dtype)
    if array.dtype.kind == "f":
        return array.astype(dtype)
    raise TypeError(
        f"MultiheadAttention: {name} must be boolean (True: do not attend) or floating "
        f"(added to the scores), got dtype {array.dtype}"
    )


class MultiheadAttention(Module):
    """Attention of ``num_heads`` heads over ``embed_dim`` features, as PyTorch's layer.

    Args:
        embed_dim: features of the query, key and value (and of the output).
        num_heads: heads; must divide ``embed_dim``.
        dropout: probability of dropping an attention weight in training.
        bias: learn the projections' biases.
        batch_first: inputs and output are ``(N, L, E)``; otherwise ``(L, N, E)``.
        dtype: the parameters' dtype (float32 by default).

    ``add_bias_kv``, ``add_zero_attn``, ``kdim`` and ``vdim`` are PyTorch options
    this layer does not have; it says so if they are given.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> attn = nn.MultiheadAttention(8, 2, batch_first=True)
        >>> x = Tensor(np.ones((3, 5, 8), dtype=np.float32))
        >>> out, weights = attn(x, x, x)
        >>> out.shape, weights.shape
        ((3, 5, 8), (3, 5, 5))
        >>> sorted(attn.state_dict())
        ['in_proj_bias', 'in_proj_weight', 'out_proj.bias', 'out_proj.weight']
    """

    in_proj_weight: Parameter
    in_proj_bias: Parameter | None
    out_proj: Linear

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        dtype: npt.DTypeLike | None = None,
    ) -> None:
        super().__init__()
        self.embed_dim = check_size(embed_dim, "MultiheadAttention", "embed_dim")
        self.num_heads = check_size(num_heads, "MultiheadAttention", "num_heads")
        if embed_dim % num_heads:
            raise ValueError(
                f"MultiheadAttention: num_heads must divide embed_dim, got embed_dim "
                f"{embed_dim} and num_heads {num_heads}"
            )
        unsupported = {
            "add_bias_kv": add_bias_kv,
            "add_zero_attn": add_zero_attn,
            "kdim": kdim not in (None, embed_dim),
            "vdim": vdim not in (None, embed_dim),
        }
        given = [name for name, used in unsupported.items() if used]
        if given:
            raise ValueError(f"MultiheadAttention: {', '.join(given)} are not supported")
        if not 0.0 <= dropout <= 1.0:
            raise ValueError(f"MultiheadAttention: dropout must be in [0, 1], got {dropout}")
        self.head_dim = embed_dim // num_heads
        self.dropout = float(dropout)
        self.batch_first = batch_first
        wanted = float_dtype(dtype, "MultiheadAttention")
        self.in_proj_weight = Parameter(np.empty((3 * embed_dim, embed_dim), dtype=wanted))
        self.register_parameter(
            "in_proj_bias", Parameter(np.empty(3 * embed_dim, dtype=wanted)) if bias else None
        )
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias, dtype=wanted)
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        """PyTorch's initialisation: Xavier-uniform projections, zero biases."""
        init.xavier_uniform_(self.in_proj_weight)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
        if self.out_proj.bias is not None:
            init.zeros_(self.out_proj.bias)

    def _heads(self, x: Tensor, batch: int, length: int) -> Tensor:
        """``(N, L, E)`` -> ``(N, heads, L, head_dim)``."""
        return x.reshape(batch, length, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(
        self,
        query: Tensor,
        key: Tensor,
        value: Tensor,
        key_padding_mask: Any = None,
        need_weights: bool = True,
        attn_mask: Any = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        """Attend from ``query`` to ``key``/``value``; return the output and (optionally) weights.

        Args:
            query: ``(N, L, E)`` with ``batch_first``, else ``(L, N, E)``; or ``(L, E)``.
            key, value: ``(N, S, E)`` / ``(S, N, E)`` / ``(S, E)``.
            key_padding_mask: ``(N, S)`` (or ``(S,)``); True (or -inf) for keys to ignore.
            need_weights: also return the attention weights.
            attn_mask: ``(L, S)`` or ``(N * num_heads, L, S)``; True (or -inf) where a
                query must not attend.
            average_attn_weights: average the returned weights over the heads.
            is_causal: a hint that ``attn_mask`` is the causal mask (PyTorch requires
                the mask too).

        Returns:
            ``(output, weights)``: the output in the query's layout; the weights
            ``(N, L, S)`` (averaged) or ``(N, num_heads, L, S)``, or None.
        """
        if is_causal and attn_mask is None:
            raise ValueError(
                "MultiheadAttention: is_causal=True is a hint; give the causal attn_mask too "
                "(as PyTorch requires)"
            )
        unbatched = query.ndim == 2
        if unbatched:
            query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
            if key_padding_mask is not None:
                key_padding_mask = np.asarray(
                    key_padding_mask.data
                    if isinstance(key_padding_mask, Tensor)
                    else key_padding_mask
                )[None]
        elif self.batch_first:
            query, key, value = (x.transpose(0, 1) for x in (query, key, value))
        if query.ndim != 3 or query.shape[-1] != self.embed_dim:
            raise ValueError(
                f"MultiheadAttention: expected query of shape (L, N, {self.embed_dim}) "
                f"((N, L, {self.embed_dim}) with batch_first), got {query.shape}"
            )
        if key.shape != value.shape or key.shape[1:] != query.shape[1:]:
            raise ValueError(
                f"MultiheadAttention: key and value must have the same shape, with the "
                f"query's batch and features, got query {query.shape}, key {key.shape}, "
                f"value {value.shape}"
            )
        length, batch, _ = query.shape
        source = key.shape[0]
        e = self.embed_dim
        w, b = self.in_proj_weight, self.in_proj_bias
        # (L, N, E) -> (N, L, E) for the projections and the heads.
        q_in, k_in, v_in = (x.transpose(0, 1) for x in (query, key, value))
        if query is key and key is value:
            q, k, v = split(linear(q_in, w, b), 3, axis=-1)
        else:
            q = linear(q_in, w[:e], None if b is None else b[:e])
            k = linear(k_in, w[e : 2 * e], None if b is None else b[e : 2 * e])
            v = linear(v_in, w[2 * e :], None if b is None else b[2 * e :])
        q, k, v = (
            self._heads(q, batch, length),
            self._heads(k, batch, source),
            self._heads(v, batch, source),
        )
        mask = self._combined_mask(attn_mask, key_padding_mask, batch, length, source, q.dtype)
        p = self.dropout if self.training else 0.0
        if need_weights:
            scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.head_dim))
            if mask is not None:
                scores = scores + mask
            weights = softmax(scores, axis=-1)
            attended = dropout(weights, p, True) if p > 0 else weights
            heads = attended @ v
        else:
            heads = scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=p)
            weights = None
        merged = heads.transpose(1, 2).reshape(batch, length, e)
        out = self.out_proj(merged)
        out = out[0] if unbatched else (out if self.batch_first else out.transpose(0, 1))
        if weights is not None:
            if average_attn_weights:
                weights = weights.mean(axis=1)
            if unbatched:
                weights = weights[0]
        return out, weights

    def _combined_mask(
        self,
        attn_mask: Any,
        key_padding_mask: Any,
        batch: int,
        length: int,
        source: int,
        dtype: np.dtype[Any],
    ) -> Any:
        """One float mask of shape broadcasting to ``(N, heads, L, S)``, or None."""
        total: Any = None
        additive = _additive(attn_mask, dtype, "attn_mask")
        if additive is not None:
            shape = additive.shape
            if shape == (length, source):
                total = additive
            elif shape == (batch * self.num_heads, length, source):
                total = additive.reshape(batch, self.num_heads, length, source)
            else:
                raise ValueError(
                    f"MultiheadAttention: attn_mask must have shape ({length}, {source}) or "
                    f"({batch * self.num_heads}, {length}, {source}), got {shape}"
                )
        padding = _additive(key_padding_mask, dtype, "key_padding_mask")
        if padding is not None:
            if padding.shape != (batch, source):
                raise ValueError(
                    f"MultiheadAttention: key_padding_mask must have shape ({batch}, {source}), "
                    f"got {padding.shape}"
                )
            padding = padding.reshape(batch, 1, 1, source)
            total = padding if total is None else total + padding
        if total is not None and not isinstance(total, Tensor):
            total = Tensor(total)
        return total

    def extra_repr(self) -> str:
        """The layer's sizes."""
        return (
            f"embed_dim={self.embed_dim}, num_heads={self.num_heads}, dropout={self.dropout}, "
            f"batch_first={self.batch_first}"
        )
