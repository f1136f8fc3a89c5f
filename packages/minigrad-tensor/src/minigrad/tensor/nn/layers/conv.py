"""`Conv2d`: a 2-D convolution layer over NCHW input."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from minigrad.tensor.nn import init
from minigrad.tensor.nn.functional import conv2d
from minigrad.tensor.nn.functional._checks import pair
from minigrad.tensor.nn.functional._conv import resolve_padding
from minigrad.tensor.nn.layers._dtype import check_size, float_dtype
from minigrad.tensor.nn.module import Module
from minigrad.tensor.nn.parameter import Parameter
from minigrad.tensor.tensor import Tensor

__all__ = ["Conv2d"]


class Conv2d(Module):
    """A 2-D convolution (cross-correlation, as in PyTorch) over ``(N, C, H, W)`` input.

    Args:
        in_channels: channels of the input.
        out_channels: channels of the output (number of filters).
        kernel_size: an int or ``(kh, kw)``.
        stride: an int or ``(sh, sw)``.
        padding: zeros on every side: an int, ``(ph, pw)``, ``"valid"`` or ``"same"``.
        bias: learn one bias per output channel (default True).
        dtype: the parameters' dtype (float32 by default).

    Attributes:
        weight: shape ``(out_channels, in_channels, kh, kw)``, drawn from
            ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` with ``fan_in = in_channels*kh*kw``.
        bias: shape ``(out_channels,)``, drawn from the same range.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> conv = nn.Conv2d(1, 4, kernel_size=3, padding=1)
        >>> conv(Tensor(np.zeros((2, 1, 8, 8), dtype=np.float32))).shape
        (2, 4, 8, 8)
        >>> conv
        Conv2d(1, 4, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))
    """

    weight: Parameter
    bias: Parameter | None

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] | str = 0,
        bias: bool = True,
        dtype: npt.DTypeLike | None = None,
    ) -> None:
        super().__init__()
        self.in_channels = check_size(in_channels, "Conv2d", "in_channels")
        self.out_channels = check_size(out_channels, "Conv2d", "out_channels")
        self.kernel_size = pair(kernel_size, "Conv2d", "kernel_size")
        self.stride = pair(stride, "Conv2d", "stride")
        self.padding = resolve_padding(padding, self.kernel_size, self.stride, "Conv2d")
        wanted = float_dtype(dtype, "Conv2d")
        shape = (out_channels, in_channels, *self.kernel_size)
        self.weight = Parameter(np.empty(shape, dtype=wanted))
        self.register_parameter(
            "bias", Parameter(np.empty((out_channels,), dtype=wanted)) if bias else None
        )
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh weights and bias with PyTorch's default initialisation."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            fan_in = self.in_channels * self.kernel_size[0] * self.kernel_size[1]
            bound = 1.0 / math.sqrt(fan_in)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        """The convolution of ``input`` (shape ``(N, C_in, H, W)``) with the filters."""
        return conv2d(input, self.weight, self.bias, self.stride, self.padding)

    def extra_repr(self) -> str:
        """The layer's arguments, as PyTorch prints them."""
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.bias is None:
            text += ", bias=False"
        return text
