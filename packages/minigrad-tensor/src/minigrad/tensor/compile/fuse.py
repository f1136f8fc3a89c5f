"""Fusing: where a plan does better than replaying the eager steps one by one.

The eager engine cannot look ahead: ``cross_entropy``'s forward computes the
softmax's exponentials for the loss and throws them away, and its backward rule,
run later, computes them again. A plan sees the whole step, so when the loss's
forward and its rule are both in it, it computes the exponentials once and
keeps the softmax gradient ``p - onehot`` for the rule, which then only scales
it. The arithmetic is the eager code's, expression for expression (the same
shift, exponential, sums and divisions), so the loss and the gradient are the
same bit for bit; the saving is one softmax and one rule's bookkeeping per step.

Only the common case is fused (2-D logits, mean reduction, no class weights,
no label smoothing); a batch whose targets contain ``ignore_index`` takes the
eager code, decided on every replay since it depends on the targets' values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from minigrad.tensor.compile.instructions import Instruction, Kernel, Namespace, ReplayNode, Rule
from minigrad.tensor.nn.functional._loss import CROSS_ENTROPY

__all__ = ["cross_entropy_gradient", "cross_entropy_with_local", "fuse"]


def cross_entropy_with_local(
    x: np.ndarray, target: np.ndarray, ignore_index: int
) -> tuple[np.ndarray, np.ndarray | None]:
    """The mean cross-entropy of logits ``x`` (N, C) and, for its rule, ``softmax(x) - onehot``.

    With an ignored target (or an empty batch) the local gradient is None and
    the loss comes from the eager forward.
    """
    if target.size == 0 or (target == ignore_index).any():
        return CROSS_ENTROPY.forward(x, target, None, ignore_index, "mean", 0.0), None
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


def fuse(instructions: Sequence[Instruction]) -> list[Instruction]:
    """``instructions`` with each cross-entropy forward fused with its rule, when both are there."""
    fused = list(instructions)
    for i, kernel in enumerate(fused):
        if not (isinstance(kernel, Kernel) and kernel.op is CROSS_ENTROPY and _fusable(kernel)):
            continue
        for j in range(i + 1, len(fused)):
            rule = fused[j]
            if isinstance(rule, Rule) and rule.op is CROSS_ENTROPY and rule.out == kernel.out:
                if rule.results[0] is None or rule.results[1] is not None:
                    break
                local = f"{kernel.out}_local"
                fused[i] = FusedCrossEntropy(
                    kernel.inputs[0],
                    kernel.inputs[1],
                    kernel.args[1],
                    kernel.out,
                    local,
                    kernel.shape,
                )
                fused[j] = CrossEntropyGradient(rule, local)
                break
    return fused
