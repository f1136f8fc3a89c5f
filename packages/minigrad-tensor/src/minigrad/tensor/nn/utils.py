"""Gradient clipping: ``clip_grad_norm_`` and ``clip_grad_value_``."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from minigrad.tensor.tensor import Tensor

__all__ = ["clip_grad_norm_", "clip_grad_value_"]


def _with_grads(parameters: Tensor | Iterable[Tensor]) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> Tensor:
    """Scale all gradients together so that their joint norm is at most ``max_norm``.

    The norm is taken over all gradients as if they were one vector (``norm_type``
    may be ``inf``). Gradients are multiplied in place by
    ``min(1, max_norm / (total_norm + 1e-6))``, as in PyTorch.

    Returns:
        The total norm before clipping, as a 0-d float64 Tensor.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn
        >>> w = Tensor([0.0, 0.0], requires_grad=True)
        >>> w.grad = np.array([3.0, 4.0], dtype=np.float32)  # as if after backward()
        >>> nn.utils.clip_grad_norm_([w], max_norm=1.0).item()
        5.0
        >>> np.round(w.grad.astype(float), 4).tolist()
        [0.6, 0.8]
    """
    norm_type = float(norm_type)
    if norm_type <= 0 and not math.isinf(norm_type):
        raise ValueError(f"clip_grad_norm_: norm_type must be > 0 or inf, got {norm_type}")
    params = _with_grads(parameters)
    if not params:
        return Tensor(np.array(0.0))
    grads = [np.asarray(p.grad, dtype=np.float64) for p in params]
    if math.isinf(norm_type):
        total = max(float(np.abs(g).max(initial=0.0)) for g in grads)
    else:
        total = sum(float((np.abs(g) ** norm_type).sum()) for g in grads) ** (1.0 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is {total}; "
            "pass error_if_nonfinite=False to clip anyway"
        )
    coefficient = min(1.0, max_norm / (total + 1e-6))
    if coefficient < 1.0:
        for p in params:
            assert p.grad is not None
            p.grad *= coefficient
    return Tensor(np.array(total))


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clip every gradient element into ``[-clip_value, clip_value]`` in place."""
    if clip_value < 0:
        raise ValueError(f"clip_grad_value_: clip_value must be >= 0, got {clip_value}")
    for p in _with_grads(parameters):
        assert p.grad is not None
        np.clip(p.grad, -clip_value, clip_value, out=p.grad)
