"""Normalization: ``batch_norm`` (composed of recorded operations) and ``layer_norm`` (fused).

``batch_norm`` is written with the engine's differentiable operations (mean,
subtract, square root, divide), so its gradients of every order come from the
engine's rules. ``layer_norm``, which runs twice per transformer block, is one
operation with the short rule ``dx = r (gw - mean(gw) - xhat mean(gw xhat))``
(``xhat`` the normalised input, ``r`` the reciprocal standard deviation,
``gw`` the incoming gradient times the weight), written with operations arrays
and Tensors share so that second derivatives work too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.tensor.autograd.modes import under_capture
from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.autograd.version import bump_version
from minigrad.tensor.nn.functional._checks import as_float_tensor
from minigrad.tensor.tensor import Tensor

__all__ = ["batch_norm", "layer_norm", "mean_over", "update_running_statistics"]


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


def mean_over(x: Any, axes: tuple[int, ...]) -> Any:
    """The mean over the trailing ``axes``, kept as length-one axes.

    On an array it is one matrix-vector product with ``1/n``: ``ndarray.mean`` and even
    ``np.add.reduce`` cost several times more on a transformer's short rows.
    """
    if not isinstance(x, np.ndarray):
        return x.mean(axis=axes, keepdims=True)
    count = 1
    for axis in axes:
        count *= x.shape[axis]
    kept = x.shape[: x.ndim - len(axes)]
    weights = np.full(count, 1.0 / count, dtype=x.dtype)
    means: np.ndarray = x.reshape(-1, count) @ weights
    return means.reshape(kept + (1,) * len(axes))


def _normalized(x: Any, axes: tuple[int, ...], eps: float) -> tuple[Any, Any]:
    """``(xhat, r)``: ``x`` centred and scaled by ``r = 1 / sqrt(var + eps)`` over ``axes``."""
    centered = x - mean_over(x, axes)
    var = mean_over(centered * centered, axes)
    if isinstance(x, np.ndarray):
        var += x.dtype.type(eps)
        np.sqrt(var, out=var)
        r = np.reciprocal(var, out=var)
        centered *= r
        return centered, r
    r = (var + eps) ** -0.5
    return centered * r, r


class SavedNormalization:
    """The normalised input and reciprocal deviation of the last forward run, and its input."""

    __slots__ = ("input", "r", "xhat")

    def __init__(self) -> None:
        self.input: np.ndarray | None = None
        self.xhat: np.ndarray | None = None
        self.r: np.ndarray | None = None

    def take(self, x: Any) -> tuple[Any, Any] | None:
        """``(xhat, r)`` if they belong to the array ``x`` (emptying the holder), else None."""
        found = (self.xhat, self.r) if self.input is x else None
        self.input = self.xhat = self.r = None
        return found


def _layer_norm_forward(x: np.ndarray, *rest: Any) -> np.ndarray:
    *affine, axes, eps, (has_weight, has_bias), saved = rest
    xhat, r = _normalized(x, axes, eps)
    # The backward pass reads xhat and r (PyTorch saves them too) instead of recomputing.
    saved.input, saved.xhat, saved.r = x, xhat, r
    y = xhat * affine[0] if has_weight else xhat.copy()
    if has_bias:
        y += affine[-1]
    return y  # type: ignore[no-any-return]


def _layer_norm_backward(node: Node, g: Any, out: Any, x: Any, *affine: Any) -> list[Any]:
    axes, eps, (has_weight, has_bias), saved = node.args
    needs = node.needs
    found = saved.take(x) if isinstance(x, np.ndarray) else None
    xhat, r = found if found is not None else _normalized(x, axes, eps)
    grads: list[Any] = [None] * (1 + len(affine))
    if needs[0]:
        gw = g * affine[0] if has_weight else g
        mean_gw = mean_over(gw, axes)
        mean_gw_xhat = mean_over(gw * xhat, axes)
        grads[0] = (gw - mean_gw - xhat * mean_gw_xhat) * r
    # The engine sums the affine gradients over the leading (batch) axes.
    if has_weight and needs[1]:
        grads[1] = g * xhat
    if has_bias and needs[-1]:
        grads[-1] = g
    return grads


LAYER_NORM = Op("layer_norm", _layer_norm_forward, _layer_norm_backward)


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
    weight_t = _check_affine(weight, "weight", shape, "layer_norm")
    bias_t = _check_affine(bias, "bias", shape, "layer_norm")
    affine = (weight_t is not None, bias_t is not None)
    inputs = tuple(t for t in (input, weight_t, bias_t) if t is not None)
    return apply(LAYER_NORM, inputs, (axes, float(eps), affine, SavedNormalization()))
