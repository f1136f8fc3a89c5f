"""The graph node: how one tensor was computed.

Every operation whose inputs need a gradient gives its output a :class:`Node`:
the operation, its input tensors and the non-tensor arguments of its forward
call. The node never points at its own output, so a graph is a DAG of plain
references that reference counting frees as soon as the last tensor of it
goes away (no cycles for the garbage collector to find).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from minigrad.tensor.autograd.op import BackwardRule, Op

if TYPE_CHECKING:
    from minigrad.tensor.tensor import Tensor

__all__ = ["Node"]


class Node:
    """How one tensor was computed: its op, its inputs and the op's arguments.

    Attributes:
        op: the :class:`~minigrad.tensor.autograd.op.Op` that produced the tensor.
        inputs: the input tensors, or ``None`` once a backward pass released them.
        args: the non-tensor arguments of the forward call (axes, shapes, constants).
        recorded_at: the in-place write clock when the node was recorded: an
            input written after that is stale (``autograd.version``).

    Nodes are made by :func:`~minigrad.tensor.autograd.record.apply` only, which
    fills the four fields directly: the class has no ``__init__``, since a
    constructor call costs about 0.08 us per recorded op (8% of a small ``a + b``).
    """

    __slots__ = ("args", "inputs", "op", "recorded_at")

    op: Op
    inputs: tuple[Tensor, ...] | None
    args: tuple[Any, ...]
    recorded_at: int

    @property
    def name(self) -> str:
        """The operation's name, for error messages and graph pictures."""
        return self.op.name

    @property
    def rule(self) -> BackwardRule:
        """The operation's backward rule, ``rule(node, grad, out, *inputs) -> grads``."""
        rule = self.op.backward
        assert rule is not None  # nodes are recorded only for differentiable ops
        return rule

    @property
    def needs(self) -> tuple[bool, ...]:
        """For each input, whether it needs a gradient (rules skip the others)."""
        # Asked only by the rules that can skip work, so it is not stored per node.
        return tuple([x.requires_grad for x in self.inputs or ()])

    def __repr__(self) -> str:
        return f"<Node {self.op.name}>"
