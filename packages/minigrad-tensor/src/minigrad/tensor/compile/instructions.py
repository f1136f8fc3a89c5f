"""The instructions of a plan: one line of straight-line NumPy code each.

A recorded step is a list of these. Each names the slots it reads and the ones
it writes (``x0`` an input's array, ``p0`` a parameter's, ``v3`` a computed
value, ``g5`` a gradient) and prints itself as one line of Python, using a
:class:`Namespace` for the functions and constants the line calls:

* ``Kernel``: ``apply`` ran an op's forward: ``v4 = relu(v3)``;
* ``Seed``: ``backward()`` seeded the loss's gradient: ``g0 = ones((), float32)``;
* ``Rule``: the backward pass ran an op's rule: ``g1, = relu_backward(relu_node, g0, v4, v3)``;
* ``Reduce``: it summed a broadcast gradient down: ``g2 = reduce_to_shape(g1, (10,))``;
* ``Cast``: it cast a gradient to its input's dtype: ``g3 = g2.astype(float32)``;
* ``Add``: a tensor used twice gets the sum of two gradients: ``g4 = g1 + g3``;
* ``Leaf``: it stored a leaf's gradient: ``accumulate_leaf(P0, g4, adopted)``;
* ``Effect``: an in-place update outside the graph: ``Adam_step(adam)``.
"""

from __future__ import annotations

import builtins
import keyword
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from minigrad.tensor.autograd.backprop import accumulate_leaf
from minigrad.tensor.autograd.broadcast import reduce_to_shape
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.compile.inline import inline_rule, linear_lines, sum_lines
from minigrad.tensor.nn.functional._linear import LINEAR, LINEAR_BIAS
from minigrad.tensor.ops.reduction import SUM
from minigrad.tensor.ops.registry import ELEMENTWISE

__all__ = [
    "Add",
    "Cast",
    "Effect",
    "Instruction",
    "Kernel",
    "Leaf",
    "Namespace",
    "Reduce",
    "Ref",
    "Rule",
    "Seed",
    "View",
]

_RELU = ELEMENTWISE["relu"]

# Forward functions that read better as Python operators in the printed plan.
_INFIX = {operator.add: "+", operator.sub: "-", operator.mul: "*", operator.truediv: "/"}


@dataclass(frozen=True)
class Ref:
    """An argument that is a slot: the array ``name`` (or, with ``tensor``, its Tensor)."""

    name: str
    tensor: bool = False


class Namespace:
    """The globals of the generated function: each function or constant under a readable name."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}
        self._names: dict[int, str] = {}

    def name(self, value: Any, wanted: str) -> str:
        """The global name of ``value`` (one name per object; ``wanted`` made unique)."""
        known = self._names.get(id(value))
        if known is not None:
            return known
        base = "".join(c if c.isalnum() or c == "_" else "_" for c in wanted) or "c"
        if base[0].isdigit() or keyword.iskeyword(base) or hasattr(builtins, base):
            base = base + "_"
        name, n = base, 2
        while name in self.values:
            name, n = f"{base}{n}", n + 1
        self.values[name] = value
        self._names[id(value)] = name
        return name

    def literal(self, value: Any) -> str:
        """``value`` as source: a literal when it prints exactly, else a named constant."""
        if _is_literal(value):
            return repr(value)
        if isinstance(value, Ref):
            return _tensor_of(value.name) if value.tensor else value.name
        if isinstance(value, tuple) and any(isinstance(v, Ref) for v in value):
            inner = ", ".join(self.literal(v) for v in value)
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        if isinstance(value, np.dtype):
            return self.name(value, str(value))
        return self.name(value, "c")

    def constant(self, value: Any) -> str:
        """``value`` always as a named constant (for objects a reader should see by name)."""
        return self.name(value, "c")


def _is_literal(value: Any) -> bool:
    if value is None or (isinstance(value, (bool, int, str)) and not isinstance(value, np.generic)):
        return True
    if type(value) is float:
        return math.isfinite(value)
    if type(value) is tuple:
        return all(_is_literal(v) for v in value)
    return False


def _tensor_of(slot: str) -> str:
    """The name of the Tensor behind an input's or an external's slot (``x0`` -> ``t0``)."""
    return ("t" + slot[1:]) if slot.startswith("x") else slot.upper()


class Instruction:
    """One step of a plan: the slots it reads and writes, and its line of Python.

    Attributes:
        reads: the slots (array names) it reads.
        writes: the slots it writes.
        pure: whether dropping it changes nothing but its own results
            (dead-code elimination drops a pure instruction nobody reads).
    """

    reads: list[str]
    writes: list[str]
    pure = True

    def line(self, names: Namespace) -> str:
        """This instruction as one line of Python."""
        raise NotImplementedError


def _refs(values: Any) -> list[str]:
    found: list[str] = []
    for value in values:
        if isinstance(value, Ref):
            found.append(value.name)
        elif isinstance(value, tuple):
            found += _refs(value)
    return found


@dataclass
class Kernel(Instruction):
    """``out = op.forward(*inputs, *args)``: a forward operation."""

    op: Op
    inputs: list[str]
    args: tuple[Any, ...]
    out: str
    zero_d: bool  # ufuncs return NumPy scalars for 0-d results; apply wraps them
    random: bool  # draws from a generator: never dropped, so the stream advances as in eager
    shape: tuple[int, ...]
    input_shapes: list[tuple[int, ...]]

    def __post_init__(self) -> None:
        self.reads = self.inputs + _refs(self.args)
        self.writes = [self.out]
        self.pure = not self.random

    def line(self, names: Namespace) -> str:
        """``out = op(inputs..., args...)``, or ``out = a + b`` for the arithmetic operators."""
        symbol = _INFIX.get(self.op.forward)
        operands = self.inputs + [names.literal(a) for a in self.args]
        if symbol is not None and len(operands) == 2:
            call = f"{operands[0]} {symbol} {operands[1]}"
        elif self.op.forward is operator.neg and len(operands) == 1:
            call = f"-{operands[0]}"
        elif self.op is _RELU:  # its forward, without the lambda's call
            call = f"{names.name(np.maximum, 'maximum')}({operands[0]}, 0)"
        elif self.op is SUM and not _refs(self.args):  # its forward, without the lambda's call
            axes, keepdims = self.args
            call = f"{operands[0]}.sum(axis={axes!r}, keepdims={keepdims!r})"
        else:
            call = f"{names.name(self.op.forward, self.op.name)}({', '.join(operands)})"
        if self.zero_d:
            call = f"{names.name(np.asarray, 'asarray')}({call})"
        return f"{self.out} = {call}"


class ReplayNode:
    """What a backward rule reads from its node during a replay: the op, its args, ``needs``.

    Made once per rule when the plan is built (not per replay), so a replay
    creates no graph object. ``inputs`` is None, as after a backward pass.
    """

    __slots__ = ("args", "inputs", "needs", "op")

    def __init__(self, op: Op, args: tuple[Any, ...], needs: tuple[bool, ...]) -> None:
        self.op = op
        self.args = args
        self.needs = needs
        self.inputs = None

    @property
    def name(self) -> str:
        """The op's name, as a Node has."""
        return self.op.name

    def __repr__(self) -> str:
        return f"<ReplayNode {self.op.name}>"


@dataclass
class Rule(Instruction):
    """``results = op.backward(node, g, out, *inputs)``: one backward rule."""

    op: Op
    args: tuple[Any, ...]
    needs: tuple[bool, ...]
    g: str
    out: str
    inputs: list[str]
    results: list[str | None]
    dtype: np.dtype[Any]  # of the output and its gradient
    in_shape: tuple[int, ...]  # of the first input

    def __post_init__(self) -> None:
        self.writes = [r for r in self.results if r is not None]
        self.inlined = inline_rule(self.op, self.g, self.inputs, self.args, self.results)
        if self.op is SUM and self.results[0] is not None and not _refs(self.args):
            axes, keepdims = self.args
            self.inlined = sum_lines(self.g, self.results[0], self.in_shape, axes, keepdims)
        elif self.op is LINEAR or self.op is LINEAR_BIAS:
            self.inlined = linear_lines(self.g, self.inputs, self.results, self.in_shape)
        if self.inlined is None:
            self.reads = [self.g, self.out, *self.inputs, *_refs(self.args)]
        else:  # only what the expressions use: a forward result nobody else reads is dropped
            words = set(re.findall(r"\w+", " ".join(self.inlined)))
            self.reads = [self.g, *[x for x in self.inputs if x in words]]

    def line(self, names: Namespace) -> str:
        """``grads = rule(node, g, out, inputs...)``, ``_`` for an input that needs none.

        The arithmetic ops' rules and ``sum``'s are written out as expressions
        instead (:mod:`~minigrad.tensor.compile.inline`).
        """
        if self.inlined is not None:
            if not self.inlined:
                return "pass"
            names.name(np.empty, "empty")
            dtype = names.literal(self.dtype)
            return "\n    ".join(line.replace("DTYPE", dtype) for line in self.inlined)
        rule = self.op.backward
        assert rule is not None
        readable = getattr(rule, "__name__", "").lstrip("_")
        if not readable or readable == "<lambda>":
            readable = f"{self.op.name}_backward"
        rule_name = names.name(rule, readable)
        if _refs(self.args):  # the node's args hold arrays of this replay: build it here
            node_class = names.name(ReplayNode, "ReplayNode")
            op = names.constant(self.op)
            node = f"{node_class}({op}, {names.literal(self.args)}, {self.needs!r})"
        else:
            node = names.name(ReplayNode(self.op, self.args, self.needs), f"{self.op.name}_node")
        targets = ", ".join(r if r is not None else "_" for r in self.results)
        if len(self.results) == 1:
            targets += ","
        call = f"{rule_name}({node}, {self.g}, {self.out}, {', '.join(self.inputs)})"
        return f"{targets} = {call}"


@dataclass
class View(Instruction):
    """A tensor the function made from another's ``.data`` by a reshape: reshaped again."""

    source: str
    out: str
    shape: tuple[int, ...]

    def __post_init__(self) -> None:
        self.reads = [self.source]
        self.writes = [self.out]

    def line(self, names: Namespace) -> str:
        """``v = x.reshape(shape)``."""
        return f"{self.out} = {self.source}.reshape({self.shape!r})"


@dataclass
class Seed(Instruction):
    """The gradient of the loss with respect to itself: ones."""

    out: str
    shape: tuple[int, ...]
    dtype: np.dtype[Any]
    root: str

    def __post_init__(self) -> None:
        self.reads = []
        self.writes = [self.out]

    def line(self, names: Namespace) -> str:
        """``g = ONE.copy()``: a fresh array of ones (a leaf may adopt it)."""
        one = names.name(np.ones(self.shape, self.dtype), f"ONES_{self.dtype}")
        return f"{self.out} = {one}.copy()  # the seed: d(loss)/d(loss) = 1"


@dataclass
class Reduce(Instruction):
    """Sum a broadcast gradient back to its input's shape."""

    source: str
    out: str
    shape: tuple[int, ...]

    def __post_init__(self) -> None:
        self.reads = [self.source]
        self.writes = [self.out]

    def line(self, names: Namespace) -> str:
        """``g = reduce_to_shape(g, shape)``."""
        function = names.name(reduce_to_shape, "reduce_to_shape")
        return f"{self.out} = {function}({self.source}, {self.shape!r})"


@dataclass
class Cast(Instruction):
    """Cast a gradient to its input's dtype."""

    source: str
    out: str
    dtype: np.dtype[Any]

    def __post_init__(self) -> None:
        self.reads = [self.source]
        self.writes = [self.out]

    def line(self, names: Namespace) -> str:
        """``g = g.astype(dtype)``."""
        return f"{self.out} = {self.source}.astype({names.literal(self.dtype)})"


@dataclass
class Add(Instruction):
    """A tensor used twice: its two gradients add up (a new array, as in the eager pass)."""

    left: str
    right: str
    out: str

    def __post_init__(self) -> None:
        self.reads = [self.left, self.right]
        self.writes = [self.out]

    def line(self, names: Namespace) -> str:
        """``g = g1 + g2``."""
        return f"{self.out} = {self.left} + {self.right}"


@dataclass
class Leaf(Instruction):
    """Store a leaf's gradient in its ``.grad`` (adopted, copied or added, as in eager mode)."""

    tensor: str
    g: str
    pure = False

    def __post_init__(self) -> None:
        self.reads = [self.g]
        self.writes = []

    def line(self, names: Namespace) -> str:
        """``accumulate_leaf(tensor, g, adopted)``."""
        function = names.name(accumulate_leaf, "accumulate_leaf")
        return f"{function}({_tensor_of(self.tensor)}, {self.g}, adopted)"


@dataclass
class Effect(Instruction):
    """An in-place update that is not an op (an optimizer step): called again as it was."""

    function: Callable[..., None]
    args: tuple[Any, ...]
    pure = False

    def __post_init__(self) -> None:
        self.reads = _refs(self.args)
        self.writes = []

    def line(self, names: Namespace) -> str:
        """``update(args...)``, the update function called as it was."""
        qualified = getattr(self.function, "__qualname__", "update").replace(".", "_")
        function = names.name(self.function, qualified)
        arguments = []
        for value in self.args:
            if isinstance(value, Ref):
                arguments.append(names.literal(value))
            elif _is_literal(value):
                arguments.append(repr(value))
            else:
                arguments.append(names.name(value, type(value).__name__.lower()))
        return f"{function}({', '.join(arguments)})"
