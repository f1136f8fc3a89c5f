"""Loss functions with PyTorch's formulas and reductions.

``cross_entropy`` and ``binary_cross_entropy_with_logits`` are single fused
operations: they never form ``log(softmax(x))`` or ``log(sigmoid(x))`` from
their parts, so logits of 1e4 give finite losses and gradients.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.nn.functional._checks import as_float_tensor, check_reduction, reduce_loss
from minigrad.tensor.ops.elementwise import sigmoid_array
from minigrad.tensor.ops.indexing import scatter
from minigrad.tensor.tensor import Tensor

__all__ = [
    "binary_cross_entropy_with_logits",
    "check_classes",
    "cross_entropy",
    "mse_loss",
    "nll_loss",
]


def mse_loss(input: Tensor, target: Any, reduction: str = "mean") -> Tensor:
    """Squared error ``(input - target) ** 2``, averaged (``"mean"``), summed or kept (``"none"``).

    ``input`` and ``target`` must have the same shape (no silent broadcasting).

    Example:
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> F.mse_loss(Tensor([1.0, 2.0]), Tensor([0.0, 4.0])).item()
        2.5
    """
    check_reduction(reduction, "mse_loss")
    input = as_float_tensor(input, "mse_loss")
    target = as_float_tensor(target, "mse_loss", "target")
    if input.shape != target.shape:
        raise ValueError(
            f"mse_loss: input and target must have the same shape, "
            f"got input {input.shape} and target {target.shape}"
        )
    diff = input - target
    return reduce_loss(diff * diff, reduction)


# ------------------------------------------------------- class-index targets


def _checked_targets(
    input: Tensor, target: Any, weight: Any, ignore_index: int, op: str
) -> tuple[Tensor, np.ndarray | None]:
    """``target`` as an integer Tensor and ``weight`` as an array, or a clear error."""
    target = target if isinstance(target, Tensor) else Tensor(np.asarray(target))
    raw = target.data
    if input.ndim == 0:
        raise ValueError(f"{op}: input must have shape (N, C) or (C,), got a scalar")
    expected = input.shape[:1] + input.shape[2:] if input.ndim >= 2 else ()
    if raw.dtype.kind not in "iu":
        raise TypeError(
            f"{op}: target must hold integer class indices of shape {expected}, "
            f"got dtype {raw.dtype}"
        )
    if raw.shape != expected:
        raise ValueError(
            f"{op}: target must have shape {expected} for input of shape {input.shape} "
            f"(class indices, one per sample), got {raw.shape}"
        )
    classes = input.shape[1] if input.ndim >= 2 else input.shape[0]
    return target, _class_weight(weight, classes, input, op)


def check_classes(op: str, shape: tuple[int, ...], target: np.ndarray, ignore_index: int) -> None:
    """Raise IndexError if ``target`` holds a class outside ``[0, C)`` (``ignore_index`` aside).

    It depends on the targets' values, not only on their shape, so the op's
    forward runs it (a compiled step's replay too), not the argument checks
    before it: a replay with a target of -1 would otherwise silently pick the
    last class.
    """
    classes = shape[1] if len(shape) >= 2 else shape[0]
    # Two reductions in the common case; the ignored targets are set apart only
    # when something lies outside [0, classes).
    if target.size and (target.min() < 0 or target.max() >= classes):
        valid = target[target != ignore_index]
        bad = valid[(valid < 0) | (valid >= classes)]
        if bad.size:
            raise IndexError(
                f"{op}: target holds class {int(bad.flat[0])}, outside [0, {classes}) "
                f"for input of shape {shape}"
            )


class _Targets:
    """Class-index targets of a loss over input of ``shape`` (N, C, *) or (C,), already checked.

    Computed from arrays only, in the forward and again in the backward pass, so
    that both are pure functions of the op's inputs and arguments.
    """

    def __init__(
        self, shape: tuple[int, ...], raw: np.ndarray, weight: np.ndarray | None, ignore_index: int
    ) -> None:
        ndim = len(shape)
        self.classes = shape[1] if ndim >= 2 else shape[0]
        self.axis = 1 if ndim >= 2 else 0
        self.ignored = raw == ignore_index
        self.any_ignored = bool(self.ignored.any())
        self.safe = np.where(self.ignored, 0, raw) if self.any_ignored else raw
        # Where each sample's target class sits in the input, as a fancy index:
        # input[self.index] picks one entry per sample.
        if ndim == 1:
            self.index: tuple[Any, ...] = (self.safe,)
        elif ndim == 2:
            self.index = (np.arange(len(raw)), self.safe)
        else:
            grids: tuple[np.ndarray, ...] = tuple(np.indices(self.safe.shape, sparse=True))
            self.index = (grids[0], self.safe, *grids[1:])
        self.weight = weight
        if self.weight is None and not self.any_ignored:
            self.sample_weight: Any = 1.0  # every sample counts once
            self.total_weight = float(raw.size)
        else:
            picked = self.weight[self.safe] if self.weight is not None else 1.0
            self.sample_weight = np.where(self.ignored, 0.0, picked)
            self.total_weight = float(self.sample_weight.sum())

    def along_classes(self, per_class: np.ndarray, ndim: int) -> np.ndarray:
        """A (C,) vector shaped to broadcast along the class axis of an ndim-dim input."""
        shape = [1] * ndim
        shape[self.axis] = self.classes
        return per_class.reshape(shape)


def _class_weight(weight: Any, classes: int, input: Tensor, op: str) -> np.ndarray | None:
    if weight is None:
        return None
    array = np.asarray(weight.data if isinstance(weight, Tensor) else weight)
    if array.shape != (classes,):
        raise ValueError(
            f"{op}: weight must have one entry per class, shape ({classes},), got {array.shape}"
        )
    return array.astype(input.dtype)


def _raw(value: Any) -> np.ndarray:
    """The array of a Tensor input (a recorded backward pass hands rules Tensors)."""
    return value.data if isinstance(value, Tensor) else value


def _sample_scale(targets: _Targets, reduction: str) -> float:
    """The factor each sample's loss enters the reduced loss with."""
    if reduction != "mean":
        return 1.0
    total = targets.total_weight
    # An all-ignored batch gives nan, as in PyTorch (0 / 0).
    return 1.0 / total if total != 0 else float("nan")


def _reduce_per_sample(loss: np.ndarray, targets: _Targets, reduction: str) -> np.ndarray:
    """The per-sample losses reduced as ``reduction`` says."""
    if reduction == "none":
        return loss
    if reduction == "sum":
        return np.asarray(loss.sum())
    return np.asarray(loss.sum() * _sample_scale(targets, reduction))


def _log_softmax_along(x: np.ndarray, axis: int) -> np.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    log_p: np.ndarray = shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))
    return log_p


def _plain_rows(
    x: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray | None,
    ignore_index: int,
    smoothing: float,
    reduction: str,
) -> np.ndarray | None:
    """``arange(N)`` when the loss is the plain case (N, C) logits, a mean or sum, no class
    weight, no smoothing and no ignored target, so that ``x[rows, target]`` picks the
    targets; otherwise None. Decided from the arrays on every call (the forward stays pure).
    """
    if weight is not None or smoothing or x.ndim != 2 or reduction == "none" or not target.size:
        return None
    if (target == ignore_index).any():
        return None
    return np.arange(target.size)


def _cross_entropy_forward(
    x: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray | None,
    ignore_index: int,
    reduction: str,
    smoothing: float,
) -> np.ndarray:
    check_classes("cross_entropy", x.shape, target, ignore_index)
    rows = _plain_rows(x, target, weight, ignore_index, smoothing, reduction)
    if rows is not None:
        # The common case, with the same arithmetic as below (whose products
        # by 1.0 change no bit) and without its bookkeeping.
        nll = -_log_softmax_along(x, 1)[rows, target]
        total = nll.sum() if reduction == "sum" else nll.sum() * (1.0 / float(target.size))
        return np.asarray(total).astype(x.dtype, copy=False)
    targets = _Targets(x.shape, target, weight, ignore_index)
    axis = targets.axis
    log_p = _log_softmax_along(x, axis)
    nll = -log_p[targets.index]
    per_sample = (1.0 - smoothing) * nll * targets.sample_weight
    if smoothing:
        per_class = -log_p
        if targets.weight is not None:
            per_class = per_class * targets.along_classes(targets.weight, x.ndim)
        smooth = per_class.sum(axis=axis) * ~targets.ignored
        per_sample = per_sample + smoothing / targets.classes * smooth
    data = _reduce_per_sample(per_sample.astype(x.dtype, copy=False), targets, reduction)
    return data.astype(x.dtype, copy=False)


def _cross_entropy_backward(node: Node, g: Any, out: Any, x: Any, target: Any) -> tuple[Any, None]:
    weight, ignore_index, reduction, smoothing = node.args
    raw_target = _raw(target)
    if isinstance(x, np.ndarray):
        rows = _plain_rows(x, raw_target, weight, ignore_index, smoothing, reduction)
        if rows is not None:
            # The common case: softmax(x) - onehot, scaled (the same arithmetic as below).
            e = np.exp(x - x.max(axis=1, keepdims=True))
            local = e / e.sum(axis=1, keepdims=True)
            local[rows, raw_target] -= 1.0
            local *= g * (1.0 if reduction == "sum" else 1.0 / float(raw_target.size))
            return (local, None)
    targets = _Targets(x.shape, raw_target, weight, ignore_index)
    scale = _sample_scale(targets, reduction)
    axis = targets.axis
    if isinstance(x, Tensor):
        # Recorded pass (create_graph): softmax from x itself, so that the
        # gradient's graph reaches x. The shift is a constant (the data's max).
        e = np.exp(x - x.data.max(axis=axis, keepdims=True))
        p = e / e.sum(axis=axis, keepdims=True)
    else:
        # The softmax again (the forward returns only the loss): one exp, as
        # the exp of a saved log-softmax would cost.
        e = np.exp(x - x.max(axis=axis, keepdims=True))
        p = e / e.sum(axis=axis, keepdims=True)
    weight = targets.weight
    onehot_weight: Any
    if weight is None:
        onehot_weight = 1.0
        total_weight = float(targets.classes)
        smooth_term: Any = smoothing / targets.classes
    else:
        onehot_weight = np.expand_dims(weight[targets.safe], axis)
        total_weight = float(weight.sum())
        smooth_term = targets.along_classes(weight, x.ndim) * (smoothing / targets.classes)
    # d loss_n / d x = p * ((1-e) w_y + e/C sum(w)) - (1-e) w_y onehot - e/C w
    if weight is None and not smoothing and isinstance(p, np.ndarray):
        # The common case, p - onehot, in place: p is this rule's own array.
        local = p
        local[targets.index] -= 1.0
    else:
        onehot = np.zeros(x.shape, dtype=x.dtype)
        onehot[targets.index] = 1.0
        coefficient = (1.0 - smoothing) * onehot_weight + smoothing * total_weight / targets.classes
        local = p * coefficient - (1.0 - smoothing) * onehot_weight * onehot - smooth_term
    if targets.any_ignored:
        local = local * np.expand_dims(~targets.ignored, axis).astype(x.dtype)
    if reduction == "none":
        return (local * g.reshape(np.expand_dims(targets.ignored, axis).shape), None)
    local *= g * scale  # in place on arrays; a new node on Tensors (no __imul__)
    return (local, None)


CROSS_ENTROPY = Op("cross_entropy", _cross_entropy_forward, _cross_entropy_backward)


def cross_entropy(
    input: Tensor,
    target: Any,
    weight: Any = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> Tensor:
    """Softmax cross-entropy of logits against class indices, as one stable graph node.

    With ``C`` classes, smoothing ``e`` and class weights ``w`` (all 1 by default)
    the loss of sample n with target ``y`` is PyTorch's::

        (1 - e) * w[y] * -log p[y]  +  e / C * sum_c w[c] * -log p[c]

    where ``p = softmax(input[n])``. ``"mean"`` divides the sum by the total
    weight ``sum_n w[y_n]`` of the samples not ignored (their count without
    weights); samples whose target is ``ignore_index`` contribute nothing.

    Args:
        input: logits of shape ``(N, C)``, ``(N, C, d1, ...)`` or ``(C,)``.
        target: integer class indices of shape ``(N,)``, ``(N, d1, ...)`` or ``()``.
        weight: optional per-class weights, shape ``(C,)``.
        ignore_index: a target value that is skipped.
        reduction: ``"mean"``, ``"sum"`` or ``"none"`` (per-sample losses).
        label_smoothing: ``e`` in [0, 1].

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> logits = Tensor([[1e4, 0.0], [0.0, 0.0]], requires_grad=True)
        >>> loss = F.cross_entropy(logits, np.array([1, 0]))
        >>> loss.backward()
        >>> round(loss.item(), 3), logits.grad.tolist()
        (5000.347, [[0.5, -0.5], [-0.25, 0.25]])
    """
    check_reduction(reduction, "cross_entropy")
    input = as_float_tensor(input, "cross_entropy")
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"cross_entropy: label_smoothing must be in [0, 1], got {label_smoothing}")
    target_t, weight_array = _checked_targets(input, target, weight, ignore_index, "cross_entropy")
    return apply(
        CROSS_ENTROPY,
        (input, target_t),
        (weight_array, ignore_index, reduction, float(label_smoothing)),
    )


def _nll_forward(
    x: np.ndarray, target: np.ndarray, weight: np.ndarray | None, ignore_index: int, reduction: str
) -> np.ndarray:
    check_classes("nll_loss", x.shape, target, ignore_index)
    targets = _Targets(x.shape, target, weight, ignore_index)
    loss = x[targets.index] * -np.asarray(targets.sample_weight, dtype=x.dtype)
    return _reduce_per_sample(loss, targets, reduction).astype(x.dtype, copy=False)


def _nll_backward(node: Node, g: Any, out: Any, x: Any, target: Any) -> tuple[Any, None]:
    weight, ignore_index, reduction = node.args
    targets = _Targets(x.shape, _raw(target), weight, ignore_index)
    scale = _sample_scale(targets, reduction)
    per_sample = np.broadcast_to(
        g * (-scale * np.asarray(targets.sample_weight, dtype=x.dtype)), targets.safe.shape
    )
    # Each sample picked one entry of x: its gradient goes back to that entry.
    return (scatter(per_sample, targets.index, x.shape, False), None)


NLL_LOSS = Op("nll_loss", _nll_forward, _nll_backward)


def nll_loss(
    input: Tensor,
    target: Any,
    weight: Any = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> Tensor:
    """Negative log-likelihood of log-probabilities ``input`` at the target classes.

    The loss of sample n is ``-w[y_n] * input[n, y_n]``; ``"mean"`` divides by
    ``sum_n w[y_n]`` over the samples not ignored, as PyTorch does.
    ``nll_loss(log_softmax(x), y)`` equals ``cross_entropy(x, y)``.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> round(F.nll_loss(Tensor([[-0.5, -1.0], [-2.0, -0.1]]), np.array([0, 1])).item(), 6)
        0.3
    """
    check_reduction(reduction, "nll_loss")
    input = as_float_tensor(input, "nll_loss")
    target_t, weight_array = _checked_targets(input, target, weight, ignore_index, "nll_loss")
    return apply(NLL_LOSS, (input, target_t), (weight_array, ignore_index, reduction))


# ----------------------------------------------------------- binary targets


def _softplus(v: Any) -> Any:
    """log(1 + e**v) for arrays or Tensors, without overflow."""
    if isinstance(v, Tensor):
        # The engine's softplus, never switched to its linear approximation.
        return v.softplus(threshold=float("inf"))
    return np.logaddexp(0, v)


def _sigmoid(v: Any) -> Any:
    if isinstance(v, Tensor):
        return v.sigmoid()
    return sigmoid_array(v)


def _bce_forward(*operands: Any) -> np.ndarray:
    *arrays, has_weight, has_pos_weight, reduction = operands
    x, y = arrays[0], arrays[1]
    w = arrays[2] if has_weight else 1.0
    pw = arrays[-1] if has_pos_weight else 1.0
    loss = (w * (pw * y * np.logaddexp(0, -x) + (1 - y) * np.logaddexp(0, x))).astype(x.dtype)
    if reduction == "sum":
        return np.asarray(loss.sum())
    if reduction == "mean":
        return np.asarray(loss.mean())
    result: np.ndarray = loss
    return result


def _bce_backward(node: Node, g: Any, out: Any, x: Any, y: Any, *weights: Any) -> list[Any]:
    needs = node.needs
    has_weight, has_pos_weight, reduction = node.args
    count = x.size
    weight = weights[0] if has_weight else 1.0
    pos_weight = weights[-1] if has_pos_weight else 1.0
    upstream = g / count if reduction == "mean" else g
    grads: list[Any] = [None] * (2 + len(weights))
    if needs[0]:
        s = _sigmoid(x)
        grads[0] = upstream * weight * ((1 - y) * s - pos_weight * y * (1 - s))
    if needs[1]:
        grads[1] = upstream * weight * (pos_weight * _softplus(-x) - _softplus(x))
    if has_weight and needs[2]:
        grads[2] = upstream * (pos_weight * y * _softplus(-x) + (1 - y) * _softplus(x))
    if has_pos_weight and needs[-1]:
        grads[-1] = upstream * weight * y * _softplus(-x)
    return grads


BINARY_CROSS_ENTROPY_WITH_LOGITS = Op(
    "binary_cross_entropy_with_logits", _bce_forward, _bce_backward
)


def binary_cross_entropy_with_logits(
    input: Tensor,
    target: Any,
    weight: Any = None,
    pos_weight: Any = None,
    reduction: str = "mean",
) -> Tensor:
    """Binary cross-entropy of logits ``x`` against targets ``y`` in [0, 1], as one stable node.

    The elementwise loss is PyTorch's
    ``-w * (pos_weight * y * log(sigmoid(x)) + (1 - y) * log(1 - sigmoid(x)))``,
    computed as ``w * (pos_weight * y * softplus(-x) + (1 - y) * softplus(x))``
    so that it is finite for any logit.

    Args:
        input: logits, any shape.
        target: the same shape as ``input``, values in [0, 1].
        weight: optional weight broadcast to ``input``'s shape.
        pos_weight: optional weight of the positive term, broadcast along the
            last axis (one per class).
        reduction: ``"mean"``, ``"sum"`` or ``"none"``.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> from minigrad.tensor.nn import functional as F
        >>> F.binary_cross_entropy_with_logits(Tensor([1e4, -1e4]), Tensor([0.0, 0.0])).item()
        5000.0
    """
    op = "binary_cross_entropy_with_logits"
    check_reduction(reduction, op)
    input = as_float_tensor(input, op)
    target = as_float_tensor(target, op, "target")
    if input.shape != target.shape:
        raise ValueError(
            f"{op}: target must have the same shape as input, "
            f"got input {input.shape} and target {target.shape}"
        )
    inputs: list[Tensor] = [input, target]
    for name, extra in (("weight", weight), ("pos_weight", pos_weight)):
        if extra is None:
            continue
        extra_tensor = as_float_tensor(extra, op, name)
        try:
            np.broadcast_shapes(extra_tensor.shape, input.shape)
        except ValueError:
            raise ValueError(
                f"{op}: {name} of shape {extra_tensor.shape} does not broadcast to input "
                f"of shape {input.shape}"
            ) from None
        inputs.append(extra_tensor)
    return apply(
        BINARY_CROSS_ENTROPY_WITH_LOGITS,
        tuple(inputs),
        (weight is not None, pos_weight is not None, reduction),
    )
