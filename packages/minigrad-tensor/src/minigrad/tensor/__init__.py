"""MiniGrad's tensor engine: NumPy arrays with reverse-mode autograd and the scalar API.

After ``import minigrad.tensor as mt``, ``mt.nn``, ``mt.nn.functional``,
``mt.optim`` and ``mt.data`` are there as attributes (loaded on first use).

Example:
    >>> from minigrad.tensor import Tensor
    >>> x = Tensor([[1.0, -2.0]], requires_grad=True)
    >>> y = (x.relu() * 3).sum()
    >>> y.backward()
    >>> x.grad
    array([[3., 0.]], dtype=float32)
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import TYPE_CHECKING

from minigrad.tensor.autograd.backprop import grad
from minigrad.tensor.autograd.modes import (
    detect_anomaly,
    enable_grad,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from minigrad.tensor.checkpoint import load, save
from minigrad.tensor.creation import (
    arange,
    default_generator,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    linspace,
    manual_seed,
    ones,
    ones_like,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    zeros,
    zeros_like,
)
from minigrad.tensor.graph import to_dot
from minigrad.tensor.ops.cumulative import cumsum
from minigrad.tensor.ops.elementwise import maximum, minimum
from minigrad.tensor.ops.join import concatenate, pad, split, stack, where
from minigrad.tensor.ops.masking import tril, triu
from minigrad.tensor.ops.softmax import log_softmax, softmax
from minigrad.tensor.sampling import multinomial, sample_logits
from minigrad.tensor.tensor import Tensor

if TYPE_CHECKING:
    from minigrad.tensor import data as data
    from minigrad.tensor import nn as nn
    from minigrad.tensor import optim as optim

# The subpackages load on first use (``mt.nn.Linear``), as ``torch.nn`` is there
# after ``import torch``: importing them up front would add about 30 ms (a sixth)
# to ``import minigrad.tensor`` for programs that only use tensors.
_SUBPACKAGES = ("data", "nn", "optim")


def __getattr__(name: str) -> ModuleType:
    """Load ``minigrad.tensor.nn``, ``.optim`` and ``.data`` when first asked for."""
    if name in _SUBPACKAGES:
        return importlib.import_module(f"minigrad.tensor.{name}")
    raise AttributeError(f"module 'minigrad.tensor' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_SUBPACKAGES])


__all__ = [
    "Tensor",
    "arange",
    "concatenate",
    "cumsum",
    "default_generator",
    "detect_anomaly",
    "empty",
    "empty_like",
    "enable_grad",
    "eye",
    "full",
    "full_like",
    "grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "linspace",
    "load",
    "log_softmax",
    "manual_seed",
    "maximum",
    "minimum",
    "multinomial",
    "no_grad",
    "ones",
    "ones_like",
    "pad",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "sample_logits",
    "save",
    "set_grad_enabled",
    "softmax",
    "split",
    "stack",
    "to_dot",
    "tril",
    "triu",
    "where",
    "zeros",
    "zeros_like",
]
