"""Argument checks shared by the functional operations; each error names what was expected."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.tensor import Tensor

__all__ = ["as_float_tensor", "check_reduction", "pair", "reduce_loss"]

REDUCTIONS = ("mean", "sum", "none")


def as_float_tensor(value: Any, op: str, name: str = "input") -> Tensor:
    """``value`` as a Tensor (ndarrays and lists are wrapped); it must hold floats."""
    tensor = value if isinstance(value, Tensor) else Tensor(value)
    if tensor.dtype.kind != "f":
        raise TypeError(f"{op}: {name} must be a floating tensor, got dtype {tensor.dtype}")
    return tensor


def pair(value: Any, op: str, name: str, minimum: int = 1) -> tuple[int, int]:
    """An int or a pair of ints as ``(height, width)``, each at least ``minimum``."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        result = (int(value), int(value))
    elif (
        isinstance(value, (tuple, list))
        and len(value) == 2
        and all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value)
    ):
        result = (int(value[0]), int(value[1]))
    else:
        raise TypeError(f"{op}: {name} must be an int or a pair of ints, got {value!r}")
    if min(result) < minimum:
        raise ValueError(f"{op}: {name} must be at least {minimum}, got {value!r}")
    return result


def check_reduction(reduction: str, op: str) -> None:
    """Raise unless ``reduction`` is 'mean', 'sum' or 'none'."""
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: reduction must be one of 'mean', 'sum', 'none', got {reduction!r}")


def reduce_loss(loss: Tensor, reduction: str) -> Tensor:
    """Apply a loss's ``reduction`` to its elementwise values."""
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss
