"""The reference for workload 9: the ``Value`` of Karpathy's microgpt.

Source: Andrej Karpathy, *microgpt* (February 2026), a GPT trained and sampled
in about 200 lines of dependency-free Python. This file is written here from
its published algorithm, not copied:

- every operation returns a new ``Value(data, children, local_grads)``: the
  local gradient d(result)/d(child) of each child is computed and stored at
  forward time;
- a plain number in the arithmetic is wrapped in a ``Value`` (a leaf of the
  graph); subtraction is ``a + (-b)``, negation ``a * -1`` and division
  ``a * b**-1``, so they record two or three nodes;
- ``backward`` orders the graph with a recursive depth-first search and a
  visited set, sets the root's gradient to 1 and, walking the order backwards,
  adds ``local_grad * node.grad`` into each child's gradient.

It keeps ``__slots__`` (a small, fast node), so MiniGrad is compared with the
lean version of the design, not a straw man. Only the operations the GPT step
uses are here. Like the original, it needs a raised recursion limit for deep
graphs; a training step of the workload's GPT is a few hundred nodes deep.
"""

from __future__ import annotations

import math
from typing import Any


class Value:
    """A number with a gradient; the graph is ``_children`` plus ``_local_grads``."""

    __slots__ = ("_children", "_local_grads", "data", "grad")

    def __init__(
        self, data: float, children: tuple[Any, ...] = (), local_grads: tuple[Any, ...] = ()
    ):
        self.data = data
        self.grad = 0
        self._children = children
        self._local_grads = local_grads

    def __add__(self, other: Any) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data + other.data, (self, other), (1, 1))

    def __mul__(self, other: Any) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        return Value(self.data * other.data, (self, other), (other.data, self.data))

    def __pow__(self, exponent: float) -> Value:
        return Value(self.data**exponent, (self,), (exponent * self.data ** (exponent - 1),))

    def log(self) -> Value:
        return Value(math.log(self.data), (self,), (1 / self.data,))

    def exp(self) -> Value:
        return Value(math.exp(self.data), (self,), (math.exp(self.data),))

    def relu(self) -> Value:
        return Value(max(0, self.data), (self,), (float(self.data > 0),))

    def __neg__(self) -> Value:
        return self * -1

    def __radd__(self, other: Any) -> Value:
        return self + other

    def __sub__(self, other: Any) -> Value:
        return self + (-other)

    def __rsub__(self, other: Any) -> Value:
        return other + (-self)

    def __rmul__(self, other: Any) -> Value:
        return self * other

    def __truediv__(self, other: Any) -> Value:
        return self * other**-1

    def __rtruediv__(self, other: Any) -> Value:
        return other * self**-1

    def backward(self) -> None:
        order: list[Value] = []
        visited: set[Value] = set()

        def visit(node: Value) -> None:
            if node not in visited:
                visited.add(node)
                for child in node._children:
                    visit(child)
                order.append(node)

        visit(self)
        self.grad = 1
        for node in reversed(order):
            for child, local_grad in zip(node._children, node._local_grads):  # noqa: B905
                child.grad += local_grad * node.grad
