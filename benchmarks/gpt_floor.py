"""The compute floor of workload 8: the GPT step's matrix products alone, as MiniGrad calls them.

A training step cannot be faster than its matrix multiplications. This module
lists every matrix product of one step of ``minigrad.tensor.models.GPT``
(forward, backward; AdamW has none) with the shapes, dtype and memory layouts
that MiniGrad's kernels hand to NumPy's ``@`` (so each is the same BLAS call,
transposed operands included), and runs them back to back. What is left out
is everything else a step does: the elementwise work (GELU, layer norm, softmax,
residual adds, the AdamW update), copies, and the Python between kernels. Layer
norm's means, which MiniGrad computes as matrix-vector products with ``1/n``,
are reductions, not the model's matrix products, and are left out too.

The list follows the kernels:

* ``linear`` (``nn/functional/_linear.py``): forward ``x2 @ W.T`` with the batch
  axes folded into one; backward ``g2 @ W`` (input) and ``g2.T @ x2`` (weight);
* ``scaled_dot_product_attention`` (``_attention.py``): forward ``q @ k^T`` and
  ``p @ v`` on per-head views of the ``c_attn`` output; backward ``p^T @ g``,
  ``g @ v^T``, ``ds @ k`` and ``ds^T @ q``;
* ``embedding``'s gradient (``_embedding.py``): a one-hot matrix times the gradient.

Products of the same operand shapes share their operand arrays, so the floor's
operands stay in cache as a step's do (each kernel reads what the one before it
wrote); with distinct arrays per product (about 6 MB in all) the same products
took about 15% longer than inside a step.

Example:
    >>> from minigrad.tensor.models import GPTConfig
    >>> products = matrix_products(GPTConfig(vocab_size=27, block_size=16), batch=2)
    >>> run(products)
    >>> len(products)
    41
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from minigrad.tensor.models import GPTConfig

Product = Callable[[], np.ndarray]


class _Operands:
    """Random float32 arrays by shape, one per shape (see the module docstring on caching)."""

    def __init__(self, seed: int) -> None:
        self._rng = np.random.default_rng(seed)
        self._arrays: dict[tuple[int, ...], np.ndarray] = {}

    def __call__(self, *shape: int) -> np.ndarray:
        if shape not in self._arrays:
            self._arrays[shape] = self._rng.standard_normal(shape, dtype=np.float32)
        return self._arrays[shape]


def _linear_products(
    array: _Operands, rows: int, n_in: int, n_out: int, input_grad: bool = True
) -> tuple[list[Product], list[Product]]:
    """A linear layer's forward product and its backward ones (input gradient optional)."""
    x, weight, g = array(rows, n_in), array(n_out, n_in), array(rows, n_out)
    forward: list[Product] = [lambda: x @ weight.T]
    backward: list[Product] = [lambda: g.T @ x]
    if input_grad:
        backward.insert(0, lambda: g @ weight)
    return forward, backward


def _attention_products(
    array: _Operands, batch: int, length: int, heads: int, width: int
) -> tuple[list[Product], list[Product]]:
    """Attention's products, on the strided per-head views MiniGrad's kernels get."""
    head = width // heads

    def heads_view(array: np.ndarray) -> np.ndarray:  # (B, T, C) -> (B, H, T, D), a view
        return array.reshape(batch, length, heads, head).transpose(0, 2, 1, 3)

    qkv = array(batch, length, 3 * width)
    q, k, v = (heads_view(qkv[..., i * width : (i + 1) * width]) for i in range(3))
    p = array(batch, heads, length, length)  # the saved weights (values do not matter)
    # The incoming gradient: the permute back of the c_proj input's gradient.
    g = heads_view(array(batch, length, width))
    ds = p.copy()
    forward: list[Product] = [lambda: q @ k.swapaxes(-1, -2), lambda: p @ v]
    backward: list[Product] = [
        lambda: p.swapaxes(-1, -2) @ g,
        lambda: g @ v.swapaxes(-1, -2),
        lambda: ds @ k,
        lambda: ds.swapaxes(-1, -2) @ q,
    ]
    return forward, backward


def matrix_products(config: GPTConfig, batch: int, seed: int = 0) -> list[Product]:
    """Every matrix product of one training step of ``GPT(config)`` on ``batch`` full rows."""
    array = _Operands(seed)
    rng = np.random.default_rng(seed)
    rows, width, length = batch * config.block_size, config.n_embd, config.block_size
    forward: list[Product] = []
    backward: list[Product] = []
    for _ in range(config.n_layer):
        parts = [
            _linear_products(array, rows, width, 3 * width),  # c_attn
            _attention_products(array, batch, length, config.n_head, width),
            _linear_products(array, rows, width, width),  # attention's c_proj
            _linear_products(array, rows, width, 4 * width),  # c_fc
            _linear_products(array, rows, 4 * width, width),  # the MLP's c_proj
        ]
        for layer_forward, layer_backward in parts:
            forward += layer_forward
            backward += layer_backward
    head_forward, head_backward = _linear_products(array, rows, width, config.vocab_size)
    forward += head_forward
    backward += head_backward
    # The embeddings' gradients: one-hot (rows of the table, picks) @ gradient (picks, width).
    for table, picks in ((config.block_size, length), (config.vocab_size, rows)):
        one_hot = np.zeros((table, picks), dtype=np.float32)
        one_hot[rng.integers(0, table, picks), np.arange(picks)] = 1
        g = array(picks, width)
        backward.append(lambda one_hot=one_hot, g=g: one_hot @ g)
    return forward + backward


def run(products: list[Product]) -> None:
    """Run each product once (the timed body of the floor)."""
    for product in products:
        product()
