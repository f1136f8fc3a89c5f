"""A fused operation: the weighted sum of a neuron, recorded as one node.

``linear(x, w, b)`` gives the same value, bit for bit, and the same gradients
as the chain ``b + w[0]*x[0] + w[1]*x[1] + ...`` that a learner writes with
``*`` and ``+``, but records ONE node instead of two per term. Its local
gradients are listed directly: d/d(w[i]) = x[i], d/d(x[i]) = w[i] and
d/d(b) = 1. A neuron with 16 inputs then records 1 node instead of 32, and the
backward pass visits one node instead of 32 (the tensor engine fuses
``linear`` for the same reason). Exported as ``minigrad.scalar.linear``.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import reduce
from operator import add, mul

from minigrad.scalar.engine import Value
from minigrad.scalar.operands import as_constant

__all__ = ["linear"]


def linear(
    inputs: Sequence[Value | float], weights: Sequence[Value], bias: Value | None = None
) -> Value:
    """``bias + w[0]*x[0] + w[1]*x[1] + ...`` recorded as one node (no bias: start at 0).

    Inputs may be Values or plain numbers (constants, as everywhere); weights
    and the bias are Values. The terms are added left to right, as the chain
    of ``+`` would add them, so the result is the same float.

    Example:
        >>> w = [Value(2.0), Value(-1.0)]
        >>> b = Value(0.5)
        >>> y = linear([3.0, 4.0], w, b)    # 0.5 + 2*3 - 1*4
        >>> y.backward()
        >>> y.data, w[0].grad, w[1].grad, b.grad
        (2.5, 3.0, 4.0, 1.0)
    """
    if len(inputs) != len(weights):
        raise ValueError(
            f"linear expects as many inputs as weights ({len(weights)}), got {len(inputs)}"
        )
    if not _only_values(weights):
        for weight in weights:
            if not isinstance(weight, Value):
                raise TypeError(f"linear expects Values as weights, got {type(weight).__name__}")
    start = 0.0 if bias is None else bias.data
    head: tuple[Value, ...] = () if bias is None else (bias,)
    head_grads: tuple[float, ...] = () if bias is None else (1.0,)
    w = [weight.data for weight in weights]
    if _only_values(inputs):
        # The common case, done by C loops: every input is a Value.
        x = [value.data for value in inputs]  # type: ignore[union-attr]
        total = reduce(add, map(mul, w, x), start)
        return Value(total, (*head, *weights, *inputs), (*head_grads, *x, *w), "linear")  # type: ignore[arg-type]
    return _linear_with_constants(inputs, weights, w, start, head, head_grads)


_JUST_VALUE = frozenset((Value,))


def _only_values(items: Sequence[object]) -> bool:
    """Whether every item is exactly a Value (checked by a C loop: this is the hot path)."""
    return set(map(type, items)) == _JUST_VALUE


def _linear_with_constants(
    inputs: Sequence[Value | float],
    weights: Sequence[Value],
    w: list[float],
    start: float,
    head: tuple[Value, ...],
    head_grads: tuple[float, ...],
) -> Value:
    """`linear` when some inputs are plain numbers: they are constants, not children."""
    total = start
    children: list[Value] = list(head)
    local_grads: list[float] = list(head_grads)
    for weight, w_i, x in zip(weights, w, inputs, strict=True):
        if isinstance(x, Value):
            total += w_i * x.data
            children += (weight, x)
            local_grads += (x.data, w_i)
        else:
            constant = as_constant(x)
            if constant is None:
                raise TypeError(
                    f"linear expects Values or real numbers as inputs, got {type(x).__name__}"
                )
            total += w_i * constant
            children.append(weight)
            local_grads.append(constant)
    return Value(total, tuple(children), tuple(local_grads), "linear")
