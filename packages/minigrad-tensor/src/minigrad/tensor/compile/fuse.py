"""Fusing: where a plan does better than replaying the eager steps one by one.

The eager engine cannot look ahead, so a forward pass throws away what its
backward rule will compute again: the eager engine keeps memory low that way.
A plan sees the whole step, so when an op's forward and its rule are both in
it, the forward can keep that work for the rule:

* ``cross_entropy`` keeps the softmax gradient ``p - onehot`` (its rule then
  only scales it): one softmax per step instead of two;
* ``conv2d`` keeps its im2col matrix, which the weight gradient multiplies
  again: one copy of every window instead of two;

(``max_pool2d`` could keep where each window's maximum was, but finding them
again by comparing each kernel position with the output is cheaper than
storing and reading them back: a fusion that did so made the W6 step 1.5x
slower, so there is none.)

The kept arrays are computed by the eager engine's own functions, expression
for expression, so the results are the same bit for bit. The cross-entropy
fusion covers the common case (2-D logits, mean reduction, no class weights,
no label smoothing); a batch whose targets contain ``ignore_index`` takes the
eager code, decided on every replay since it depends on the targets' values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from minigrad.tensor.compile.instructions import Instruction, Kernel, Namespace, ReplayNode, Rule
from minigrad.tensor.nn.functional._conv import (
    CONV2D,
    CONV2D_BIAS,
    conv2d_columns,
    conv2d_from_columns,
    conv2d_input_grad,
    conv2d_weight_grad_from_columns,
)
from minigrad.tensor.nn.functional._loss import CROSS_ENTROPY, check_classes

__all__ = ["conv2d_keeping_columns", "cross_entropy_gradient", "cross_entropy_with_local", "fuse"]


def cross_entropy_with_local(
    x: np.ndarray, target: np.ndarray, ignore_index: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """The mean cross-entropy of logits ``x`` (N, C) and, for its rule, ``softmax(x) - onehot``.

    With an ignored target (or an empty batch) the local gradient is None and
    the loss comes from the eager forward.
    """
    if target.size == 0 or (target == ignore_index).any():
        return CROSS_ENTROPY.forward(x, target, None, ignore_index, "mean", 0.0), None
    check_classes("cross_entropy", x.shape, target, ignore_index)
    index = (np.arange(len(target)), target)
    shifted = x - x.max(axis=1, keepdims=True)  # as _log_softmax_along
    exponentials = np.exp(shifted)
    sums = exponentials.sum(axis=1, keepdims=True)
    log_p = shifted - np.log(sums)
    per_sample = (1.0 - 0.0) * -log_p[index] * 1.0  # (1 - smoothing) * nll * sample weight
    scale = 1.0 / float(target.size)
    loss = np.asarray(per_sample.astype(x.dtype, copy=False).sum() * scale)
    local = exponentials / sums  # as the rule: p = e / e.sum(...)
    local[index] -= 1.0
    return loss.astype(x.dtype, copy=False), local


def cross_entropy_gradient(
    local: np.ndarray | None, g: np.ndarray, node: Any, out: Any, x: Any, target: Any
) -> Any:
    """The rule's result from the kept ``local``: ``local * (g / N)`` in place, as the rule does."""
    if local is None:
        return CROSS_ENTROPY.backward(node, g, out, x, target)[0]  # type: ignore[misc]
    local *= g * (1.0 / float(target.size))
    return local


@dataclass
class FusedCrossEntropy(Instruction):
    """``loss, local = cross_entropy_with_local(x, target, ignore_index)``."""

    x: str
    target: str
    ignore_index: int
    out: str
    local: str
    shape: tuple[int, ...]

    def __post_init__(self) -> None:
        self.reads = [self.x, self.target]
        self.writes = [self.out, self.local]

    def line(self, names: Namespace) -> str:
        """``v, v_local = cross_entropy_with_local(x, target, ignore_index)``."""
        function = names.name(cross_entropy_with_local, "cross_entropy_with_local")
        return (
            f"{self.out}, {self.local} = {function}({self.x}, {self.target}, {self.ignore_index})"
        )


@dataclass
class CrossEntropyGradient(Instruction):
    """The rule of the fused loss: scale the kept local gradient."""

    rule: Rule
    local: str

    def __post_init__(self) -> None:
        self.reads = [self.local, *self.rule.reads]
        self.writes = list(self.rule.writes)

    def line(self, names: Namespace) -> str:
        """``g = cross_entropy_gradient(local, g, node, out, x, target)``."""
        rule = self.rule
        function = names.name(cross_entropy_gradient, "cross_entropy_gradient")
        node = names.name(ReplayNode(rule.op, rule.args, rule.needs), f"{rule.op.name}_node")
        arguments = ", ".join([self.local, rule.g, node, rule.out, *rule.inputs])
        return f"{rule.results[0]} = {function}({arguments})"


def _fusable(kernel: Kernel) -> bool:
    weight, ignore_index, reduction, smoothing = kernel.args
    return (
        weight is None
        and type(ignore_index) is int
        and reduction == "mean"
        and smoothing == 0.0
        and len(kernel.inputs) == 2
        and len(kernel.input_shapes[0]) == 2
    )


def conv2d_keeping_columns(
    x: np.ndarray, w: np.ndarray, *rest: Any
) -> tuple[np.ndarray, np.ndarray]:
    """``conv2d``'s forward (as ``_forward_kernel``, with a bias or not) and its im2col matrix."""
    *bias, stride, padding = rest
    kernel = (w.shape[2], w.shape[3])
    columns = conv2d_columns(x, kernel, stride, padding)
    out_hw = (
        (x.shape[2] + 2 * padding[0] - kernel[0]) // stride[0] + 1,
        (x.shape[3] + 2 * padding[1] - kernel[1]) // stride[1] + 1,
    )
    out = conv2d_from_columns(columns, w, out_hw)
    if bias:
        out += bias[0].reshape(-1, 1, 1)  # as _forward_bias_kernel
    return out, columns


@dataclass
class Keeping(Instruction):
    """``out, kept = function(inputs..., args...)``: a forward that keeps work for its rule."""

    kernel: Kernel
    function: Any
    kept: str

    def __post_init__(self) -> None:
        self.reads = list(self.kernel.reads)
        self.writes = [self.kernel.out, self.kept]

    def line(self, names: Namespace) -> str:
        """``v, v_kept = function(inputs..., args...)``."""
        function = names.name(self.function, self.function.__name__)
        operands = [*self.kernel.inputs, *[names.literal(a) for a in self.kernel.args]]
        return f"{self.kernel.out}, {self.kept} = {function}({', '.join(operands)})"


@dataclass
class Expanded(Instruction):
    """A rule written out as calls of the engine's functions on what its forward kept."""

    rule: Rule
    lines: list[str]
    reads: list[str]
    functions: dict[str, Any]

    def __post_init__(self) -> None:
        self.writes = list(self.rule.writes)

    def line(self, names: Namespace) -> str:
        """The rule's lines (each result computed by one call)."""
        text = "\n    ".join(self.lines)
        for placeholder, function in self.functions.items():
            text = text.replace(placeholder, names.name(function, function.__name__))
        return text


def _fuse_conv(kernel: Kernel, rule: Rule) -> tuple[Instruction, Instruction] | None:
    if not rule.needs[1] or rule.results[1] is None:
        return None
    stride, padding = kernel.args
    columns = f"{kernel.out}_columns"
    g, w = rule.g, rule.inputs[1]
    x_shape, w_shape = kernel.input_shapes[0], kernel.input_shapes[1]
    lines = []
    reads = [g, columns]
    if rule.results[0] is not None:
        lines.append(
            f"{rule.results[0]} = INPUT_GRAD({g}, {w}, {x_shape!r}, {stride!r}, {padding!r})"
        )
        reads.append(w)
    lines.append(f"{rule.results[1]} = WEIGHT_GRAD({g}, {columns}, {w_shape!r})")
    if len(rule.results) == 3 and rule.results[2] is not None:
        lines.append(f"{rule.results[2]} = {g}.sum(axis=(0, 2, 3))")
    functions = {"INPUT_GRAD": conv2d_input_grad, "WEIGHT_GRAD": conv2d_weight_grad_from_columns}
    return Keeping(kernel, conv2d_keeping_columns, columns), Expanded(rule, lines, reads, functions)


def _fuse_cross_entropy(kernel: Kernel, rule: Rule) -> tuple[Instruction, Instruction] | None:
    if not _fusable(kernel) or rule.results[0] is None or rule.results[1] is not None:
        return None
    local = f"{kernel.out}_local"
    forward = FusedCrossEntropy(
        kernel.inputs[0], kernel.inputs[1], kernel.args[1], kernel.out, local, kernel.shape
    )
    return forward, CrossEntropyGradient(rule, local)


_FUSIONS = {
    CROSS_ENTROPY: _fuse_cross_entropy,
    CONV2D: _fuse_conv,
    CONV2D_BIAS: _fuse_conv,
}


def fuse(instructions: Sequence[Instruction]) -> list[Instruction]:
    """``instructions`` with each fusable forward and its rule fused, when both are there."""
    fused = list(instructions)
    for i, kernel in enumerate(fused):
        if not isinstance(kernel, Kernel) or kernel.op not in _FUSIONS:
            continue
        if len(kernel.reads) != len(kernel.inputs):  # an argument is an array of the step
            continue
        for j in range(i + 1, len(fused)):
            rule = fused[j]
            if isinstance(rule, Rule) and rule.op is kernel.op and rule.out == kernel.out:
                pair = _FUSIONS[kernel.op](kernel, rule)
                if pair is not None:
                    fused[i], fused[j] = pair
                break
    return fused
