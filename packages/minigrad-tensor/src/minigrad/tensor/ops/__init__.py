"""The operations of the tensor engine, one module per family, above ``tensor.py``.

Read in this order: :mod:`~minigrad.tensor.ops.registry` (how an op module
registers its methods and NumPy functions), the two helpers
:mod:`~minigrad.tensor.ops.operands` and :mod:`~minigrad.tensor.ops.axes`, then
any family: :mod:`~minigrad.tensor.ops.elementwise`,
:mod:`~minigrad.tensor.ops.comparison`, :mod:`~minigrad.tensor.ops.reduction`,
:mod:`~minigrad.tensor.ops.softmax`, :mod:`~minigrad.tensor.ops.shape`,
:mod:`~minigrad.tensor.ops.indexing`, :mod:`~minigrad.tensor.ops.join`,
:mod:`~minigrad.tensor.ops.linalg`. Each defines its ops (an ``Op`` constant:
forward on arrays and backward rule side by side), their Tensor-facing
functions, and the methods it installs on Tensor.

Importing this package installs every method; ``import minigrad.tensor`` does it.
"""

from __future__ import annotations

from minigrad.tensor.ops import (
    comparison,
    cumulative,
    elementwise,
    indexing,
    join,
    linalg,
    masking,
    reduction,
    shape,
    softmax,
)

__all__ = [
    "comparison",
    "cumulative",
    "elementwise",
    "indexing",
    "join",
    "linalg",
    "masking",
    "reduction",
    "shape",
    "softmax",
]
