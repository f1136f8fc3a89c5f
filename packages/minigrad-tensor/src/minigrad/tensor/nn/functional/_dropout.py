"""``dropout``: zero random elements in training and scale the rest by ``1 / (1 - p)``."""

from __future__ import annotations

import numpy as np

from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.creation import default_generator
from minigrad.tensor.nn.functional._checks import as_float_tensor
from minigrad.tensor.ops.elementwise import mul
from minigrad.tensor.tensor import Tensor

__all__ = ["dropout"]


def _dropout_mask(x: np.ndarray, p: float, generator: np.random.Generator) -> np.ndarray:
    """``1 / (1 - p)`` where an element is kept (probability ``1 - p``), else 0, in x's dtype."""
    keep = generator.random(x.shape) >= p
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)
    mask: np.ndarray = keep.astype(x.dtype) * np.asarray(scale, dtype=x.dtype)
    return mask


# The mask is drawn inside the forward, from the generator in its arguments, so
# running the op again (a replay) draws a fresh mask. It has no gradient; the
# gradient of dropout is that of the product with it.
DROPOUT_MASK = Op("dropout_mask", _dropout_mask)


def dropout(
    input: Tensor,
    p: float = 0.5,
    training: bool = True,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Zero each element with probability ``p`` and scale the kept ones by ``1 / (1 - p)``.

    Outside training (``training=False``) or with ``p = 0`` the input comes back
    unchanged, so the expected value is the same in both modes. The mask is
    drawn from ``generator``, else from the package's generator (``manual_seed``).

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> y = F.dropout(Tensor(np.ones(6)), 0.5, generator=np.random.default_rng(0))
        >>> sorted(set(y.tolist()))
        [0.0, 2.0]
    """
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p must be a probability in [0, 1], got {p!r}")
    input = as_float_tensor(input, "dropout")
    if not training or p == 0.0:
        return input
    rng = default_generator() if generator is None else generator
    return mul(input, apply(DROPOUT_MASK, (input,), (p, rng)))
