"""`MLP`: a multi-layer perceptron, with the scalar package's signature."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy.typing as npt

from minigrad.tensor.nn.layers.activation import GELU, LeakyReLU, ReLU, Sigmoid, Tanh
from minigrad.tensor.nn.layers.container import Sequential
from minigrad.tensor.nn.layers.linear import Linear
from minigrad.tensor.nn.module import Module

__all__ = ["ACTIVATIONS", "MLP"]

ACTIVATIONS: dict[str, Callable[[], Module] | None] = {
    "linear": None,
    "relu": ReLU,
    "tanh": Tanh,
    "sigmoid": Sigmoid,
    "gelu": GELU,
    "leaky_relu": LeakyReLU,
}
"""The hidden-layer activations an MLP accepts, by name ("linear": none)."""


class MLP(Sequential):
    """Linear layers of sizes ``nouts`` with ``activation`` between them; the last is linear.

    The same signature as ``minigrad.scalar.nn.MLP``; it is a `Sequential`, so
    its parameters have PyTorch's names (``0.weight``, ``2.weight``, …).

    Args:
        nin: number of input features.
        nouts: the size of each layer, e.g. ``[128, 10]``.
        activation: "relu" (default), "tanh", "sigmoid", "gelu", "leaky_relu" or "linear".
        dtype: the parameters' dtype (float32 by default).

    Example:
        >>> from minigrad.tensor import nn
        >>> nn.MLP(64, [128, 10])
        MLP(
          (0): Linear(in_features=64, out_features=128, bias=True)
          (1): ReLU()
          (2): Linear(in_features=128, out_features=10, bias=True)
        )
    """

    def __init__(
        self,
        nin: int,
        nouts: Sequence[int],
        activation: str = "relu",
        dtype: npt.DTypeLike | None = None,
    ) -> None:
        if activation not in ACTIVATIONS:
            valid = ", ".join(repr(name) for name in ACTIVATIONS)
            raise ValueError(f"MLP: unknown activation {activation!r}; valid activations: {valid}")
        if len(nouts) == 0:
            raise ValueError("MLP: expected at least one layer size in nouts, got none")
        make_activation = ACTIVATIONS[activation]
        layers: list[Module] = []
        sizes = [nin, *nouts]
        for i in range(len(nouts)):
            layers.append(Linear(sizes[i], sizes[i + 1], dtype=dtype))
            if i < len(nouts) - 1 and make_activation is not None:
                layers.append(make_activation())
        super().__init__(*layers)
