"""The scalar autograd engine: a `Value` records the graph, `backward` walks it back.

Every arithmetic operation on `Value` objects does two things at once:

1. it computes the result, as ordinary float arithmetic would, and
2. it remembers where the result came from: its *children* (the Values it was
   computed from) and the *local gradient* of the result with respect to each
   child, d(result)/d(child), which is known right there at forward time.

Together the results and their children form a graph, recorded as the program
runs (a *dynamic* graph). `Value.backward` then applies the chain rule from
the final result back to every Value it depends on:

    child.grad += local_grad * node.grad

visiting each node after every node that uses it (reverse topological order),
so a node's gradient is complete before it is passed on.

Example:
    >>> a = Value(2.0, label="a")
    >>> b = Value(-3.0, label="b")
    >>> c = a * b + a        # c = ab + a
    >>> c.backward()
    >>> a.grad, b.grad       # dc/da = b + 1, dc/db = a
    (-2.0, 2.0)

Plain Python numbers mixed into the arithmetic (``a * 2``) are *constants*:
they shape the result but are not nodes of the graph and get no gradient.

What a Value accepts: ``data`` is an int or a float (any ``numbers.Real``,
made a float); bool, str, complex, None or a Value raise TypeError. Operators
are ``+ - * / **``, unary ``-`` and ``abs()``, with a Value or a plain number
on either side; ``< <= > >=`` compare ``data`` and give a bool; ``==`` and
hashing are by identity, so Values fit in sets and dicts. Outside its domain
an operation raises an error naming it and its operands (``x / 0``:
ZeroDivisionError; ``log`` of x <= 0: ValueError; the rules of ``**`` are in
``powers.py``). A result beyond the float range raises OverflowError (the one
overflow rule, in ``operands.check_overflow``); gradients follow IEEE
arithmetic, so a slope too steep for a float is ``inf``.

This file is the idea and nothing else. The rest lives next door: grad mode
(``no_grad``) in ``grad_mode.py``, operand checks and error messages in
``operands.py``, the arithmetic of ``**`` in ``powers.py``, ``< <= > >=`` in
``comparisons.py`` and the fused weighted sum ``linear`` in ``fused.py``.
"""

from __future__ import annotations

import math

from minigrad.scalar import grad_mode, operands, powers
from minigrad.scalar.comparisons import ComparedByData

__all__ = ["Value", "topological_order"]

Children = tuple["Value", ...]
Grads = tuple[float, ...]


class Value(ComparedByData):
    """A real number that remembers how it was computed, so gradients can flow back.

    ``Value(data)`` makes a leaf (a weight, an input); ``label=`` (keyword
    only) names it in ``repr`` and drawings. An operation makes its result
    with ``Value(data, children, local_grads, op)``: ``local_grads[i]`` is
    d(result)/d(``children[i]``), ``op`` names the operation in pictures.
    ``grad`` is d(root)/d(this Value) after ``root.backward()``, 0.0 before.

    Example:
        >>> x = Value(2.0, label="x")
        >>> y = x**2 + 3 * x        # y = x^2 + 3x
        >>> y.backward()
        >>> y.data, x.grad          # dy/dx = 2x + 3
        (10.0, 7.0)
    """

    # __slots__ keeps each node small (no per-instance __dict__): a training
    # step makes tens of thousands of them.
    __slots__ = ("_children", "_local_grads", "_op", "data", "grad", "label")

    def __init__(
        self,
        data: float,
        children: Children = (),
        local_grads: Grads = (),
        op: str = "",
        *,
        label: str = "",
    ) -> None:
        if type(data) is not float:
            data = operands.as_number(data)  # an int becomes a float; a str raises TypeError
        if children:  # the result of an operation
            if type(children) is not tuple:  # e.g. Value(1.0, "x"): label= is a keyword
                raise operands.not_a_tuple(children)
            if data - data != 0.0:  # inf or nan: maybe an overflow
                operands.check_overflow(data, op, children)
            if grad_mode.open_blocks and not grad_mode.is_grad_enabled():
                children, local_grads, op = (), (), ""  # no_grad: record a leaf
        self.data = data
        self.grad = 0.0
        self._children = children
        self._local_grads = local_grads
        self._op = op
        self.label = label if label == "" else operands.check_label(label)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # -- arithmetic: the result, its children, d(result)/d(child) ------------
    # A plain number is a constant: one child fewer. Operands of any other
    # type give NotImplemented, so Python raises its TypeError naming both.

    def __add__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value(self.data + other.data, (self, other), (1.0, 1.0), "+")
        c = operands.as_constant(other)
        return NotImplemented if c is None else Value(self.data + c, (self,), (1.0,), "+")

    __radd__ = __add__  # 2 + x: addition commutes

    def __sub__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value(self.data - other.data, (self, other), (1.0, -1.0), "-")
        c = operands.as_constant(other)
        return NotImplemented if c is None else Value(self.data - c, (self,), (1.0,), "-")

    def __rsub__(self, other: float) -> Value:
        c = operands.as_constant(other)
        return NotImplemented if c is None else Value(c - self.data, (self,), (-1.0,), "-")

    def __mul__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value(self.data * other.data, (self, other), (other.data, self.data), "*")
        c = operands.as_constant(other)
        return NotImplemented if c is None else Value(self.data * c, (self,), (c,), "*")

    __rmul__ = __mul__  # 2 * x: multiplication commutes

    def __truediv__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            x, y = self.data, other.data
            operands.check_divisor(x, y)  # d/dy is -x/y^2, as -(x/y)/y: y^2 could underflow
            return Value(x / y, (self, other), (1.0 / y, -(x / y) / y), "/")
        c = operands.as_constant(other)
        if c is None:
            return NotImplemented
        operands.check_divisor(self.data, c)
        return Value(self.data / c, (self,), (1.0 / c,), "/")

    def __rtruediv__(self, other: float) -> Value:
        c = operands.as_constant(other)
        if c is None:
            return NotImplemented
        operands.check_divisor(c, self.data)
        return Value(c / self.data, (self,), (-(c / self.data) / self.data,), "/")

    def __neg__(self) -> Value:
        return Value(-self.data, (self,), (-1.0,), "neg")

    def __pow__(self, exponent: Value | float) -> Value:
        if isinstance(exponent, Value):  # d/dx x^y = y x^(y-1), d/dy x^y = x^y log(x)
            result, local_grads = powers.power_of_values(self.data, exponent.data)
            return Value(result, (self, exponent), local_grads, "**")
        n = operands.as_constant(exponent)
        if n is None:
            return NotImplemented
        result, local_grad = powers.power_with_constant_exponent(self.data, n)  # n x^(n-1)
        return Value(result, (self,), (local_grad,), "**")

    def __rpow__(self, base: float) -> Value:
        b = operands.as_constant(base)
        if b is None:
            return NotImplemented
        result, local_grad = powers.power_with_constant_base(b, self.data)  # b^y log(b)
        return Value(result, (self,), (local_grad,), "**")

    # -- elementary functions -----------------------------------------------

    def exp(self) -> Value:
        """e to the power of this Value; d/dx exp(x) = exp(x). OverflowError for x > ~709.78."""
        try:
            result = math.exp(self.data)
        except OverflowError:
            raise operands.overflow("exp", repr(self.data)) from None
        return Value(result, (self,), (result,), "exp")

    def log(self) -> Value:
        """The natural logarithm; d/dx log(x) = 1/x. Defined for x > 0."""
        x = self.data
        if x <= 0.0:
            raise ValueError(f"log is defined for positive numbers, got {x!r}")
        return Value(math.log(x), (self,), (1.0 / x,), "log")

    def sqrt(self) -> Value:
        """The square root; d/dx sqrt(x) = 1/(2 sqrt(x)), ``inf`` at 0 (as in PyTorch)."""
        if self.data < 0.0:
            raise ValueError(f"sqrt is defined for non-negative numbers, got {self.data!r}")
        root = math.sqrt(self.data)
        return Value(root, (self,), (0.5 / root if root > 0.0 else math.inf,), "sqrt")

    def tanh(self) -> Value:
        """The hyperbolic tangent; d/dx tanh(x) = 1 - tanh(x)^2."""
        t = math.tanh(self.data)  # saturates to +-1.0 without overflowing
        return Value(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self) -> Value:
        """The logistic function 1/(1 + e^-x); d/dx sigmoid(x) = s(1 - s)."""
        x = self.data
        # Exponentiate only x <= 0, so exp cannot overflow: for x < 0, s = e^x / (1 + e^x).
        s = 1.0 / (1.0 + math.exp(-x)) if x >= 0.0 else math.exp(x) / (1.0 + math.exp(x))
        return Value(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self) -> Value:
        """max(0, x); the gradient is 1 for x > 0, else 0. nan stays nan (as in PyTorch)."""
        x = self.data
        if x > 0.0:
            return Value(x, (self,), (1.0,), "relu")
        return Value(0.0 if x == x else x, (self,), (0.0,), "relu")  # x == x: x is not nan

    def abs(self) -> Value:
        """|x|; the gradient is the sign of x (0 at x = 0)."""
        x = self.data
        return Value(abs(x), (self,), (1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0,), "abs")

    __abs__ = abs  # abs(x)

    # -- the reverse pass ---------------------------------------------------

    def backward(self) -> None:
        """Fill in ``.grad`` of every Value this one depends on: d(self)/d(node).

        Gradients of leaves (Values you made, with no children) accumulate
        across calls, as in PyTorch: call ``zero_grad`` between steps. Other
        nodes start from 0 at each call, so the graph can be walked again.
        """
        order = topological_order(self)
        for node in order:  # start from 0, except leaves: they accumulate across calls
            if node._children:
                node.grad = 0.0
        self.grad += 1.0  # d(self)/d(self)
        for node in reversed(order):  # each node after every node that uses it
            upstream = node.grad  # d(self)/d(node), complete by now
            for child, local_grad in zip(node._children, node._local_grads):
                child.grad += local_grad * upstream  # the chain rule


def topological_order(root: Value) -> list[Value]:
    """Every Value that ``root`` depends on, each listed after all of its children.

    The last element is ``root``. A depth-first search with an explicit stack
    instead of recursion, so a graph a million operations deep needs no raised
    recursion limit. Example: for ``c = a * 2 + 1`` it is ``[a, a * 2, c]``.
    """
    order: list[Value] = []
    visited: set[Value] = set()
    # A node is pushed, then a None marker above it, then its children above
    # that. When the marker pops, everything above it (the node's children and
    # all they depend on) is in the order, so the node goes in next.
    stack: list[Value | None] = [root]
    while stack:
        node = stack.pop()
        if node is None:
            order.append(stack.pop())  # type: ignore[arg-type]
        elif node not in visited:
            visited.add(node)
            stack.append(node)
            stack.append(None)
            for child in node._children:
                if child not in visited:  # skip what is done (shared weights, mostly)
                    stack.append(child)
    return order
