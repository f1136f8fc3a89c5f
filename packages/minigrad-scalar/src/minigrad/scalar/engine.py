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

Besides the elementary operations there is one fused operation, `linear`
(a neuron's weighted sum as a single node), which keeps networks fast.
"""

from __future__ import annotations

import math
import numbers
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager

__all__ = ["Value", "is_grad_enabled", "linear", "no_grad", "topological_order"]


# ---------------------------------------------------------------------------
# Grad mode: whether operations record the graph (on by default, per thread)
# ---------------------------------------------------------------------------


class _GradMode(threading.local):
    """Per-thread switch: each thread starts with recording on."""

    def __init__(self) -> None:
        self.enabled = True


_grad_mode = _GradMode()


def is_grad_enabled() -> bool:
    """Whether operations in this thread currently record the graph.

    Example:
        >>> is_grad_enabled()
        True
        >>> with no_grad():
        ...     is_grad_enabled()
        False
    """
    return _grad_mode.enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block, operations compute results but record no graph.

    Use it where no gradient is wanted (evaluating a trained model, updating
    parameters): results are then leaves with no children, which saves the
    memory and time the graph would cost. The switch is per thread, and the
    previous mode comes back on exit, even after an exception. It also works
    as a decorator: ``@no_grad()``.

    Example:
        >>> x = Value(3.0)
        >>> with no_grad():
        ...     y = x * x
        >>> y.backward()   # y is a leaf: x is not reached
        >>> x.grad
        0.0
    """
    previous = _grad_mode.enabled
    _grad_mode.enabled = False
    try:
        yield
    finally:
        _grad_mode.enabled = previous


# ---------------------------------------------------------------------------
# Turning operands into floats
# ---------------------------------------------------------------------------


def _as_constant(x: object) -> float | None:
    """``x`` as a float if it is a plain real number, else None.

    bool is refused: True/False in arithmetic with a Value is almost always a
    slip (a comparison result used as a number), so it is reported rather than
    silently read as 1.0/0.0.
    """
    # The exact-type checks are the fast path; the ABC check lets in other
    # real numbers such as fractions.Fraction or numpy.float32.
    if type(x) is float:
        return x
    if type(x) is int:
        return float(x)
    if isinstance(x, bool):
        return None
    if isinstance(x, numbers.Real):
        return float(x)
    return None


def _not_a_number(x: object) -> TypeError:
    """The error for a Value built from something that is not a real number."""
    if isinstance(x, Value):
        return TypeError(
            "Value expects a real number (int or float), got Value; "
            "use the Value itself, or its .data"
        )
    return TypeError(f"Value expects a real number (int or float), got {type(x).__name__}")


def _check_divisor(numerator: float, denominator: float) -> None:
    """Raise ZeroDivisionError, naming both operands, if ``denominator`` is zero."""
    if denominator == 0.0:
        raise ZeroDivisionError(f"division by zero: {numerator!r} / {denominator!r}")


def _overflow(op: str, operands: str) -> OverflowError:
    """The error for a result too large for a float, naming the op and its input."""
    return OverflowError(f"{op} overflows the float range at {operands}")


# ---------------------------------------------------------------------------
# Value
# ---------------------------------------------------------------------------


class Value:
    """A real number that remembers how it was computed, so gradients can flow back.

    Args:
        data: the number, an int or a float (any ``numbers.Real`` is converted
            with ``float``); bool, str, complex, None or a Value raise TypeError.
        label: an optional name, shown by ``repr`` and in graph drawings.

    Attributes:
        data: the number itself, a float.
        grad: d(root)/d(this Value) after ``root.backward()``; 0.0 before.
        label: the name given at construction (``""`` if none).

    Operators: ``+ - * / **``, unary ``-`` and ``abs()``, with a Value or a
    plain number on either side. Outside an operation's domain they raise an
    error naming the operation and the operands: ``x / 0`` raises
    ZeroDivisionError; ``x ** n`` with a number ``n`` needs an integer ``n``
    when x < 0 (ValueError) and n >= 0 when x == 0 (ZeroDivisionError); a Value
    exponent, as in ``2 ** x`` or ``x ** y``, needs a positive base, because
    its gradient is ``log(base) * result`` (ValueError otherwise, even where the
    power itself would exist). Results beyond the float range raise
    OverflowError.

    Equality and hashing are by identity (``==`` is not overloaded), so Values
    can be kept in sets and dicts. ``<``, ``<=``, ``>``, ``>=`` compare ``data``
    and return a bool (no gradient).

    Example:
        >>> x = Value(2.0, label="x")
        >>> y = x**2 + 3 * x        # y = x^2 + 3x
        >>> y.backward()
        >>> y.data, x.grad          # dy/dx = 2x + 3
        (10.0, 7.0)
    """

    # __slots__ keeps each node small (no per-instance __dict__), which matters
    # when a training step creates tens of thousands of nodes. __weakref__ lets
    # callers (and the tests) watch a node without keeping it alive.
    __slots__ = ("__weakref__", "_children", "_local_grads", "_op", "data", "grad", "label")

    data: float
    grad: float
    label: str
    _children: tuple[Value, ...]
    _local_grads: tuple[float, ...]
    _op: str

    def __init__(self, data: float, label: str = "") -> None:
        number = _as_constant(data)
        if number is None:
            raise _not_a_number(data)
        if not isinstance(label, str):
            raise TypeError(f"Value label must be a str, got {type(label).__name__}")
        self.data = number
        self.grad = 0.0
        self.label = label
        self._children = ()
        self._local_grads = ()
        self._op = ""

    @classmethod
    def _from_op(
        cls,
        data: float,
        children: tuple[Value, ...],
        local_grads: tuple[float, ...],
        op: str,
    ) -> Value:
        """The result of an operation: ``data`` plus, in grad mode, how to go back.

        ``local_grads[i]`` is d(result)/d(``children[i]``). Skips ``__init__``:
        operations produce floats already, so there is nothing to check.
        """
        result = object.__new__(cls)
        result.data = data
        result.grad = 0.0
        result.label = ""
        if _grad_mode.enabled:
            result._children = children
            result._local_grads = local_grads
            result._op = op
        else:
            result._children = ()
            result._local_grads = ()
            result._op = ""
        return result

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # -- arithmetic ---------------------------------------------------------
    # Each method returns NotImplemented for operands it does not understand,
    # so Python raises its usual TypeError naming both types.

    def __add__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value._from_op(self.data + other.data, (self, other), (1.0, 1.0), "+")
        constant = _as_constant(other)
        if constant is None:
            return NotImplemented
        return Value._from_op(self.data + constant, (self,), (1.0,), "+")

    def __radd__(self, other: float) -> Value:
        return self.__add__(other)  # addition commutes

    def __sub__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value._from_op(self.data - other.data, (self, other), (1.0, -1.0), "-")
        constant = _as_constant(other)
        if constant is None:
            return NotImplemented
        return Value._from_op(self.data - constant, (self,), (1.0,), "-")

    def __rsub__(self, other: float) -> Value:
        constant = _as_constant(other)
        if constant is None:
            return NotImplemented
        return Value._from_op(constant - self.data, (self,), (-1.0,), "-")

    def __mul__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            return Value._from_op(
                self.data * other.data, (self, other), (other.data, self.data), "*"
            )
        constant = _as_constant(other)
        if constant is None:
            return NotImplemented
        return Value._from_op(self.data * constant, (self,), (constant,), "*")

    def __rmul__(self, other: float) -> Value:
        return self.__mul__(other)  # multiplication commutes

    def __truediv__(self, other: Value | float) -> Value:
        if isinstance(other, Value):
            x, y = self.data, other.data
            _check_divisor(x, y)
            quotient = x / y
            # d(x/y)/dx = 1/y and d(x/y)/dy = -x/y^2, written as -(x/y)/y so that
            # a tiny y whose square underflows to 0.0 cannot divide by zero here.
            return Value._from_op(quotient, (self, other), (1.0 / y, -quotient / y), "/")
        constant = _as_constant(other)
        if constant is None:
            return NotImplemented
        _check_divisor(self.data, constant)
        return Value._from_op(self.data / constant, (self,), (1.0 / constant,), "/")

    def __rtruediv__(self, other: float) -> Value:
        constant = _as_constant(other)
        if constant is None:
            return NotImplemented
        _check_divisor(constant, self.data)
        quotient = constant / self.data
        return Value._from_op(quotient, (self,), (-quotient / self.data,), "/")

    def __neg__(self) -> Value:
        return Value._from_op(-self.data, (self,), (-1.0,), "neg")

    def __pow__(self, exponent: Value | float) -> Value:
        if isinstance(exponent, Value):
            return _power_of_values(self, exponent)
        constant = _as_constant(exponent)
        if constant is None:
            return NotImplemented
        return _power_with_constant_exponent(self, constant)

    def __rpow__(self, base: float) -> Value:
        constant = _as_constant(base)
        if constant is None:
            return NotImplemented
        return _power_with_constant_base(constant, self)

    def __abs__(self) -> Value:
        return self.abs()

    # -- comparisons: on data, no gradient ----------------------------------

    def __lt__(self, other: Value | float) -> bool:
        other_data = other.data if isinstance(other, Value) else _as_constant(other)
        if other_data is None:
            return NotImplemented
        return self.data < other_data

    def __le__(self, other: Value | float) -> bool:
        other_data = other.data if isinstance(other, Value) else _as_constant(other)
        if other_data is None:
            return NotImplemented
        return self.data <= other_data

    def __gt__(self, other: Value | float) -> bool:
        other_data = other.data if isinstance(other, Value) else _as_constant(other)
        if other_data is None:
            return NotImplemented
        return self.data > other_data

    def __ge__(self, other: Value | float) -> bool:
        other_data = other.data if isinstance(other, Value) else _as_constant(other)
        if other_data is None:
            return NotImplemented
        return self.data >= other_data

    # -- elementary functions -----------------------------------------------

    def exp(self) -> Value:
        """e to the power of this Value; d/dx exp(x) = exp(x).

        Raises OverflowError when the result exceeds the float range (x > ~709.78).

        Example:
            >>> Value(0.0).exp().data
            1.0
        """
        try:
            result = math.exp(self.data)
        except OverflowError:
            raise _overflow("exp", repr(self.data)) from None
        return Value._from_op(result, (self,), (result,), "exp")

    def log(self) -> Value:
        """The natural logarithm; d/dx log(x) = 1/x. Defined for x > 0.

        Example:
            >>> Value(1.0).log().data
            0.0
        """
        x = self.data
        if x <= 0.0:
            raise ValueError(f"log is defined for positive numbers, got {x!r}")
        return Value._from_op(math.log(x), (self,), (1.0 / x,), "log")

    def sqrt(self) -> Value:
        """The square root; d/dx sqrt(x) = 1/(2 sqrt(x)). Defined for x >= 0.

        At x = 0 the gradient is infinite (``math.inf``), as in PyTorch.

        Example:
            >>> Value(9.0).sqrt().data
            3.0
        """
        x = self.data
        if x < 0.0:
            raise ValueError(f"sqrt is defined for non-negative numbers, got {x!r}")
        root = math.sqrt(x)
        local_grad = 0.5 / root if root > 0.0 else math.inf
        return Value._from_op(root, (self,), (local_grad,), "sqrt")

    def tanh(self) -> Value:
        """The hyperbolic tangent; d/dx tanh(x) = 1 - tanh(x)^2.

        Example:
            >>> Value(0.0).tanh().data
            0.0
        """
        t = math.tanh(self.data)  # saturates to +-1.0 without overflowing
        return Value._from_op(t, (self,), (1.0 - t * t,), "tanh")

    def sigmoid(self) -> Value:
        """The logistic function 1/(1 + e^-x); d/dx sigmoid(x) = s(1 - s).

        Example:
            >>> Value(0.0).sigmoid().data
            0.5
        """
        x = self.data
        # Only ever exponentiate a non-positive number, so exp cannot overflow:
        # for x < 0 use the equal form e^x / (1 + e^x).
        if x >= 0.0:
            s = 1.0 / (1.0 + math.exp(-x))
        else:
            e = math.exp(x)
            s = e / (1.0 + e)
        return Value._from_op(s, (self,), (s * (1.0 - s),), "sigmoid")

    def relu(self) -> Value:
        """max(0, x); the gradient is 1 for x > 0 and 0 otherwise (0 at x = 0).

        Example:
            >>> Value(-2.0).relu().data, Value(3.0).relu().data
            (0.0, 3.0)
        """
        if self.data > 0.0:
            return Value._from_op(self.data, (self,), (1.0,), "relu")
        return Value._from_op(0.0, (self,), (0.0,), "relu")

    def abs(self) -> Value:
        """|x|; the gradient is the sign of x (0 at x = 0).

        Example:
            >>> Value(-2.5).abs().data
            2.5
        """
        x = self.data
        sign = 1.0 if x > 0.0 else -1.0 if x < 0.0 else 0.0
        return Value._from_op(abs(x), (self,), (sign,), "abs")

    # -- the reverse pass ---------------------------------------------------

    def backward(self) -> None:
        """Fill in ``.grad`` of every Value this one depends on: d(self)/d(node).

        Walks the graph in reverse topological order, so every use of a node
        has added its share to the node's gradient before the node passes the
        gradient on to its own children (chain rule).

        Gradients of *leaves* (Values you created, with no children) accumulate
        across calls, as in PyTorch: call ``zero_grad`` on your model or
        optimizer between steps. Gradients of intermediate nodes are reset at
        the start of each call, so calling ``backward`` twice on the same graph
        gives leaves exactly twice the gradient of one call.

        Example:
            >>> a = Value(3.0)
            >>> b = a + a      # a is used twice: both paths count
            >>> c = b * b      # c = 4a^2, dc/da = 8a
            >>> c.backward()
            >>> a.grad
            24.0
        """
        order = topological_order(self)
        leaves = [node for node in order if not node._children]
        leaf_grads_before = [leaf.grad for leaf in leaves]
        for node in order:
            node.grad = 0.0
        self.grad = 1.0  # d(self)/d(self)
        for node in reversed(order):
            upstream = node.grad
            for child, local_grad in zip(node._children, node._local_grads, strict=True):
                child.grad += local_grad * upstream
        # A leaf's gradient from this pass is added to what it had in one step
        # (as PyTorch does), so two passes give exactly twice one pass.
        for leaf, grad_before in zip(leaves, leaf_grads_before, strict=True):
            leaf.grad += grad_before


# ---------------------------------------------------------------------------
# Powers: three cases, one per kind of operand
# ---------------------------------------------------------------------------


def _power_with_constant_exponent(base: Value, exponent: float) -> Value:
    """``base ** exponent``; d/dx x^n = n x^(n-1)."""
    x, n = base.data, exponent
    if x < 0.0 and not n.is_integer():
        raise ValueError(f"power of a negative base needs an integer exponent, got {x!r} ** {n!r}")
    if x == 0.0 and n < 0.0:
        raise ZeroDivisionError(f"power of zero needs a non-negative exponent, got {x!r} ** {n!r}")
    try:
        result = x**n
        if n == 0.0:
            local_grad = 0.0  # x^0 is the constant 1
        elif x == 0.0 and n < 1.0:
            local_grad = math.inf  # e.g. sqrt at 0: the slope is vertical
        else:
            local_grad = n * x ** (n - 1.0)
    except OverflowError:
        raise _overflow("power", f"{x!r} ** {n!r}") from None
    return Value._from_op(result, (base,), (local_grad,), "**")


def _power_with_constant_base(base: float, exponent: Value) -> Value:
    """``base ** exponent`` for a number base; d/dy b^y = b^y log(b), needs b > 0."""
    b, y = base, exponent.data
    if b <= 0.0:
        raise ValueError(
            f"power with a Value exponent needs a positive base "
            f"(its gradient uses log(base)), got {b!r} ** {y!r}"
        )
    try:
        result = b**y
    except OverflowError:
        raise _overflow("power", f"{b!r} ** {y!r}") from None
    return Value._from_op(result, (exponent,), (result * math.log(b),), "**")


def _power_of_values(base: Value, exponent: Value) -> Value:
    """``base ** exponent`` with both differentiable; needs base > 0 (see above)."""
    x, y = base.data, exponent.data
    if x <= 0.0:
        raise ValueError(
            f"power with a Value exponent needs a positive base "
            f"(its gradient uses log(base)), got {x!r} ** {y!r}"
        )
    try:
        result = x**y
        local_grads = (y * x ** (y - 1.0), result * math.log(x))
    except OverflowError:
        raise _overflow("power", f"{x!r} ** {y!r}") from None
    return Value._from_op(result, (base, exponent), local_grads, "**")


# ---------------------------------------------------------------------------
# A fused operation: the weighted sum of a neuron
# ---------------------------------------------------------------------------


def linear(inputs: Sequence[Value | float], weights: Sequence[Value], bias: Value) -> Value:
    """``bias + w[0]*x[0] + w[1]*x[1] + ...`` recorded as ONE node.

    The same value, bit for bit, and the same gradients as the chain of ``*``
    and ``+`` it replaces, whose local gradients it lists directly:
    d/d(w[i]) = x[i], d/d(x[i]) = w[i] and d/d(bias) = 1. Recording one node
    instead of 2n is what makes `nn.Neuron` fast: a neuron with 16 inputs
    records 1 node instead of 32, and the graph of a training step shrinks
    about tenfold (the tensor engine fuses ``linear`` for the same reason).
    Inputs may be Values or plain numbers (constants, as everywhere).

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
    total = bias.data
    children: list[Value] = [bias]
    local_grads: list[float] = [1.0]
    for weight, x in zip(weights, inputs, strict=True):
        if isinstance(x, Value):
            total += weight.data * x.data
            children += (weight, x)
            local_grads += (x.data, weight.data)
        else:
            constant = _as_constant(x)
            if constant is None:
                raise TypeError(
                    f"linear expects Values or real numbers as inputs, got {type(x).__name__}"
                )
            total += weight.data * constant
            children.append(weight)
            local_grads.append(constant)
    return Value._from_op(total, tuple(children), tuple(local_grads), "linear")


# ---------------------------------------------------------------------------
# Topological order, without recursion
# ---------------------------------------------------------------------------


def topological_order(root: Value) -> list[Value]:
    """Every Value that ``root`` depends on, each listed after all of its children.

    The last element is ``root``. Uses an explicit stack instead of recursion,
    so a graph a million operations deep needs no raised recursion limit.

    Example:
        >>> a = Value(1.0)
        >>> c = (a * 2) + 1
        >>> [node.data for node in topological_order(c)]
        [1.0, 2.0, 3.0]
    """
    order: list[Value] = []
    visited: set[Value] = set()
    # Depth-first search with an explicit stack. Each entry is a node plus a
    # flag saying whether its children have been pushed already. A node is
    # first pushed with False; when it pops, it goes back with True and its
    # children go on top of it. So it pops with True only after everything
    # it depends on is in `order`, which is when it joins the order itself.
    # (Two parallel lists rather than a list of pairs: a million-deep graph
    # then puts no extra objects on the heap for the garbage collector.)
    stack = [root]
    children_pushed = [False]
    while stack:
        node = stack.pop()
        if children_pushed.pop():
            order.append(node)
        elif node not in visited:
            visited.add(node)
            stack.append(node)
            children_pushed.append(True)
            # Last child first, so that the first child pops (and is ordered) first.
            for child in reversed(node._children):
                if child not in visited:
                    stack.append(child)
                    children_pushed.append(False)
    return order
