"""`Flatten`: merge a range of axes into one (by default all but the batch axis)."""

from __future__ import annotations

from minigrad.tensor.nn.module import Module
from minigrad.tensor.tensor import Tensor

__all__ = ["Flatten"]


class Flatten(Module):
    """Merge the axes ``start_axis`` to ``end_axis`` (PyTorch's ``start_dim``/``end_dim``).

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> nn.Flatten()(Tensor(np.zeros((2, 3, 4, 4), dtype=np.float32))).shape
        (2, 48)
    """

    def __init__(self, start_axis: int = 1, end_axis: int = -1) -> None:
        super().__init__()
        self.start_axis = start_axis
        self.end_axis = end_axis

    def forward(self, input: Tensor) -> Tensor:
        """``input.flatten(start_axis, end_axis)``."""
        return input.flatten(self.start_axis, self.end_axis)

    def extra_repr(self) -> str:
        """The axes."""
        return f"start_axis={self.start_axis}, end_axis={self.end_axis}"
