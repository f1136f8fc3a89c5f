"""`Dropout`: random zeroing in training mode, the identity in eval mode."""

from __future__ import annotations

from minigrad.tensor.nn.functional import dropout
from minigrad.tensor.nn.module import Module
from minigrad.tensor.tensor import Tensor

__all__ = ["Dropout"]


class Dropout(Module):
    """Zero each element with probability ``p`` in training, scaling the rest by ``1/(1-p)``.

    In eval mode (``model.eval()``) it returns its input unchanged.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> drop = nn.Dropout(0.5).eval()
        >>> drop(Tensor([1.0, 2.0])).tolist()
        [1.0, 2.0]
    """

    def __init__(self, p: float = 0.5) -> None:
        super().__init__()
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be a probability in [0, 1], got {p!r}")
        self.p = float(p)

    def forward(self, input: Tensor) -> Tensor:
        """Dropout in training mode, the identity in eval mode."""
        return dropout(input, self.p, self.training)

    def extra_repr(self) -> str:
        """The drop probability."""
        return f"p={self.p}"
