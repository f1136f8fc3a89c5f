"""Pooling layers: `MaxPool2d` and `AvgPool2d`."""

from __future__ import annotations

from minigrad.tensor.nn.functional import avg_pool2d, max_pool2d
from minigrad.tensor.nn.functional._checks import pair
from minigrad.tensor.nn.module import Module
from minigrad.tensor.tensor import Tensor

__all__ = ["AvgPool2d", "MaxPool2d"]


class _Pool2d(Module):
    def __init__(
        self,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] | None = None,
        padding: int | tuple[int, int] = 0,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.kernel_size = pair(kernel_size, name, "kernel_size")
        self.stride = self.kernel_size if stride is None else pair(stride, name, "stride")
        self.padding = pair(padding, name, "padding", minimum=0)

    def extra_repr(self) -> str:
        """The window's arguments."""
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool2d):
    """The maximum of each ``kernel_size`` window; the stride defaults to the kernel size.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> nn.MaxPool2d(2)(Tensor(np.zeros((1, 3, 8, 8), dtype=np.float32))).shape
        (1, 3, 4, 4)
    """

    def forward(self, input: Tensor) -> Tensor:
        """Pool ``input`` of shape ``(N, C, H, W)``."""
        return max_pool2d(input, self.kernel_size, self.stride, self.padding)


class AvgPool2d(_Pool2d):
    """The mean of each ``kernel_size`` window (zero padding counts, as in PyTorch)."""

    def forward(self, input: Tensor) -> Tensor:
        """Pool ``input`` of shape ``(N, C, H, W)``."""
        return avg_pool2d(input, self.kernel_size, self.stride, self.padding)
