"""Normalization: ``batch_norm`` and ``layer_norm``, composed of recorded operations.

Both are written with the engine's differentiable operations (mean, subtract,
square root, divide), so their gradients — of every order — come from the
engine's rules rather than from a hand-derived formula.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.tensor.autograd.modes import under_capture
from minigrad.tensor.autograd.version import bump_version
from minigrad.tensor.nn.functional._checks import as_float_tensor
from minigrad.tensor.tensor import Tensor

__all__ = ["batch_norm", "layer_norm", "update_running_statistics"]


def _stat_array(value: Any, name: str, channels: int) -> np.ndarray | None:
    if value is None:
        return None
    array = value.data if isinstance(value, Tensor) else value
    if not isinstance(array, np.ndarray) or array.shape != (channels,):
        shape = getattr(array, "shape", type(array).__name__)
        raise ValueError(f"batch_norm: {name} must be an array of shape ({channels},), got {shape}")
    return array


def _check_affine(value: Any, name: str, shape: tuple[int, ...], op: str) -> Tensor | None:
    if value is None:
        return None
    tensor = as_float_tensor(value, op, name)
    if tensor.shape != shape:
        raise ValueError(f"{op}: {name} must have shape {shape}, got {tensor.shape}")
    return tensor


def update_running_statistics(
    running_mean: Tensor | np.ndarray,
    running_var: Tensor | np.ndarray,
    batch_mean: np.ndarray,
    batch_var: np.ndarray,
    count: int,
    momentum: float,
) -> None:
    """Move the running statistics towards the batch's, in place (PyTorch's rule).

    ``running = (1 - momentum) * running + momentum * batch``, with the unbiased
    batch variance. This is the one part of ``batch_norm`` that is not an op:
    it changes buffers in place rather than computing a new tensor, so it
    reports itself to a running capture, which calls it again on every replay
    (with that replay's batch statistics; the buffers are read from the Tensors
    each time, so a ``load_state_dict`` in between is seen).
    """
    mean_array = running_mean.data if isinstance(running_mean, Tensor) else running_mean
    var_array = running_var.data if isinstance(running_var, Tensor) else running_var
    channels = mean_array.shape[0]
    unbiased = batch_var.reshape(channels) * (count / max(count - 1, 1))
    mean_array *= 1.0 - momentum
    mean_array += momentum * batch_mean.reshape(channels)
    var_array *= 1.0 - momentum
    var_array += momentum * unbiased
    for buffer in (running_mean, running_var):
        if isinstance(buffer, Tensor):
            bump_version(buffer, "batch_norm's running-statistics update")


def batch_norm(
    input: Tensor,
    running_mean: Tensor | np.ndarray | None,
    running_var: Tensor | np.ndarray | None,
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each channel (axis 1) of ``input`` over the batch and spatial axes.

    In training (or without running statistics) the batch's mean and biased
    variance normalize, and the running statistics, when given, are updated
    in place: ``running = (1 - momentum) * running + momentum * batch`` with the
    unbiased batch variance, as in PyTorch; given as Tensors, they count the
    update as a new version (a graph that saved them refuses to backpropagate).
    Otherwise the running statistics normalize (copied into the graph, so a
    later update does not change this result's gradient). ``weight`` and
    ``bias`` (shape ``(C,)``) scale and shift.

    Args:
        input: shape ``(N, C)`` or ``(N, C, *)``.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> y = F.batch_norm(Tensor([[1.0], [3.0]]), None, None, training=True)
        >>> np.round(y.data, 3).tolist()
        [[-1.0], [1.0]]
    """
    input = as_float_tensor(input, "batch_norm")
    if input.ndim < 2:
        raise ValueError(
            f"batch_norm: input must have shape (N, C) or (N, C, *), got {input.shape}"
        )
    channels = input.shape[1]
    mean_array = _stat_array(running_mean, "running_mean", channels)
    var_array = _stat_array(running_var, "running_var", channels)
    weight_t = _check_affine(weight, "weight", (channels,), "batch_norm")
    bias_t = _check_affine(bias, "bias", (channels,), "batch_norm")
    axes = (0, *range(2, input.ndim))
    broadcast = (1, channels) + (1,) * (input.ndim - 2)
    use_batch = training or mean_array is None or var_array is None
    if use_batch:
        count = input.size // channels
        if training and count <= 1:
            raise ValueError(
                f"batch_norm: training needs more than 1 value per channel, got input "
                f"of shape {input.shape}"
            )
        mean = input.mean(axis=axes, keepdims=True)
        centered = input - mean
        var = (centered * centered).mean(axis=axes, keepdims=True)
        normalized = centered / (var + eps).sqrt()
        if training and running_mean is not None and running_var is not None:
            update = (running_mean, running_var, mean.data, var.data, count, momentum)
            under_capture(update_running_statistics, *update)
            update_running_statistics(*update)
    else:
        # The running statistics enter as tensors, so a compiled step reads them
        # afresh on every replay instead of keeping the values it was recorded with.
        assert running_mean is not None
        assert running_var is not None
        stored_mean = running_mean if isinstance(running_mean, Tensor) else Tensor(running_mean)
        stored_var = running_var if isinstance(running_var, Tensor) else Tensor(running_var)
        shift = stored_mean.reshape(broadcast).astype(input.dtype)
        scale = (1.0 / (stored_var + eps).sqrt()).reshape(broadcast).astype(input.dtype)
        normalized = (input - shift) * scale
    if weight_t is not None:
        normalized = normalized * weight_t.reshape(broadcast)
    if bias_t is not None:
        normalized = normalized + bias_t.reshape(broadcast)
    return normalized


def layer_norm(
    input: Tensor,
    normalized_shape: int | Sequence[int],
    weight: Tensor | None = None,
    bias: Tensor | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize over the last ``len(normalized_shape)`` axes of each sample.

    Uses the biased variance, as PyTorch; ``weight`` and ``bias`` have shape
    ``normalized_shape``.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> np.round(F.layer_norm(Tensor([[1.0, 3.0]]), 2).data, 3).tolist()
        [[-1.0, 1.0]]
    """
    input = as_float_tensor(input, "layer_norm")
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    k = len(shape)
    if k == 0 or input.shape[input.ndim - k :] != shape or input.ndim < k:
        raise ValueError(
            f"layer_norm: input of shape {input.shape} must end in normalized_shape {shape}"
        )
    axes = tuple(range(input.ndim - k, input.ndim))
    mean = input.mean(axis=axes, keepdims=True)
    centered = input - mean
    var = (centered * centered).mean(axis=axes, keepdims=True)
    normalized = centered / (var + eps).sqrt()
    weight_t = _check_affine(weight, "weight", shape, "layer_norm")
    bias_t = _check_affine(bias, "bias", shape, "layer_norm")
    if weight_t is not None:
        normalized = normalized * weight_t
    if bias_t is not None:
        normalized = normalized + bias_t
    return normalized
