"""`Linear`: a fully connected layer, ``y = x @ weight.T + bias``."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from minigrad.tensor.nn import init
from minigrad.tensor.nn.functional import linear
from minigrad.tensor.nn.layers._dtype import check_size, float_dtype
from minigrad.tensor.nn.module import Module
from minigrad.tensor.nn.parameter import Parameter
from minigrad.tensor.tensor import Tensor

__all__ = ["Identity", "Linear"]


class Linear(Module):
    """A fully connected layer: ``y = x @ weight.T + bias``.

    Args:
        in_features: size of each input sample (the last axis).
        out_features: size of each output sample.
        bias: learn an additive bias (default True).
        dtype: the parameters' dtype (float32 by default).

    Attributes:
        weight: shape ``(out_features, in_features)``, drawn from
            ``U(-1/sqrt(in_features), 1/sqrt(in_features))`` (PyTorch's
            ``kaiming_uniform_(a=sqrt(5))``).
        bias: shape ``(out_features,)``, drawn from the same range; None without bias.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> layer = nn.Linear(3, 2)
        >>> layer(Tensor(np.ones((4, 3), dtype=np.float32))).shape
        (4, 2)
        >>> layer
        Linear(in_features=3, out_features=2, bias=True)
    """

    weight: Parameter
    bias: Parameter | None

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        dtype: npt.DTypeLike | None = None,
    ) -> None:
        super().__init__()
        self.in_features = check_size(in_features, "Linear", "in_features")
        self.out_features = check_size(out_features, "Linear", "out_features")
        wanted = float_dtype(dtype, "Linear")
        self.weight = Parameter(np.empty((out_features, in_features), dtype=wanted))
        self.register_parameter(
            "bias", Parameter(np.empty((out_features,), dtype=wanted)) if bias else None
        )
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Draw fresh weights and bias with PyTorch's default initialisation."""
        init.kaiming_uniform_(self.weight, a=math.sqrt(5))
        if self.bias is not None:
            bound = 1.0 / math.sqrt(self.in_features)
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input: Tensor) -> Tensor:
        """``input @ weight.T + bias`` for input of shape ``(*, in_features)``."""
        return linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        """The layer's sizes, as PyTorch prints them."""
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class Identity(Module):
    """A layer that returns its input unchanged (a placeholder in a Sequential)."""

    def forward(self, input: Tensor) -> Tensor:
        """``input``."""
        return input
