"""Stateless neural-network operations: ``from minigrad.tensor.nn import functional as F``.

Names, arguments and formulas follow ``torch.nn.functional``; axis arguments
are spelled ``axis`` (PyTorch's ``dim``). ``linear``, ``conv2d``,
``max_pool2d``, ``cross_entropy`` and ``binary_cross_entropy_with_logits`` are
single fused graph nodes with their own gradients; the rest are composed of
the engine's operations.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import Tensor
    >>> from minigrad.tensor.nn import functional as F
    >>> logits = Tensor([[2.0, 0.0, -1.0]], requires_grad=True)
    >>> loss = F.cross_entropy(logits, np.array([0]))
    >>> loss.backward()
    >>> logits.grad.shape
    (1, 3)
"""

from __future__ import annotations

from minigrad.tensor.nn.functional._activation import (
    gelu,
    leaky_relu,
    log_softmax,
    relu,
    sigmoid,
    softmax,
    softplus,
    tanh,
)
from minigrad.tensor.nn.functional._attention import scaled_dot_product_attention
from minigrad.tensor.nn.functional._conv import conv2d
from minigrad.tensor.nn.functional._dropout import dropout
from minigrad.tensor.nn.functional._embedding import embedding
from minigrad.tensor.nn.functional._linear import linear
from minigrad.tensor.nn.functional._loss import (
    binary_cross_entropy_with_logits,
    cross_entropy,
    mse_loss,
    nll_loss,
)
from minigrad.tensor.nn.functional._normalization import batch_norm, layer_norm
from minigrad.tensor.nn.functional._pooling import avg_pool2d, max_pool2d
from minigrad.tensor.nn.functional._rms_norm import rms_norm

__all__ = [
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy_with_logits",
    "conv2d",
    "cross_entropy",
    "dropout",
    "embedding",
    "gelu",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool2d",
    "mse_loss",
    "nll_loss",
    "relu",
    "rms_norm",
    "scaled_dot_product_attention",
    "sigmoid",
    "softmax",
    "softplus",
    "tanh",
]
