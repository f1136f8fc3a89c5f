"""Recording: run the step once, eagerly, and write down every array operation it made.

The eager engine already funnels all its work through a few places: every
forward operation through :func:`~minigrad.tensor.autograd.record.apply`, every
backward rule through the loop of :mod:`~minigrad.tensor.autograd.backprop`,
every in-place update that is not an operation (an optimizer step, batch norm's
running statistics) through :func:`~minigrad.tensor.autograd.modes.under_capture`.
A :class:`Recorder` sits on those places (it is the
:class:`~minigrad.tensor.autograd.modes.Capture`) while the step runs once, and
turns what it sees into a list of :mod:`instructions
<minigrad.tensor.compile.instructions>` on named slots.

The one idea to take away: **arrays are named by identity**. Each array the step
touches gets a name the first time it is seen: ``x0`` for the data of the
call's first tensor, ``p0`` for the data of a parameter (or any tensor from
outside the call, read afresh on every replay), ``v3`` for what the fourth
operation computed, ``g5`` for a gradient. An operation is then written down as
"``v4 = relu(v3)``" rather than "relu of that tensor". Any array that has no
name (made by NumPy code outside the engine's operations, a Python number read
from a tensor) cannot be followed, which is why such code is frozen at
recording or refused (:mod:`minigrad.tensor.compile` lists the cases).

The backward pass is recorded by mirroring its bookkeeping: the recorder keeps
the same "gradient so far" table as the pass, keyed by tensor, so it knows the
name of the gradient each rule received and writes down the sums, broadcast
reductions and casts that the pass did with the rule's results.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.compile.instructions import (
    Add,
    Cast,
    Effect,
    Instruction,
    Kernel,
    Leaf,
    Reduce,
    Ref,
    Rule,
    Seed,
    View,
)
from minigrad.tensor.tensor import Tensor

__all__ = ["CompileError", "External", "Recorder"]


class CompileError(RuntimeError):
    """A compiled function did something that cannot be captured; the message says what."""


class External:
    """A tensor from outside the call that the step reads: a parameter, a buffer, a constant.

    The plan holds the tensor itself and reads its ``.data`` on every replay, so
    an in-place update (the optimizer's) or a ``load_state_dict`` is seen.
    The guard checks the shape, dtype and ``requires_grad`` it was recorded with.
    """

    __slots__ = ("array", "dtype", "name", "requires_grad", "shape", "tensor")

    def __init__(self, name: str, tensor: Tensor) -> None:
        self.name = name
        self.tensor = tensor
        self.array = tensor.data
        self.shape = tensor.data.shape
        self.dtype = tensor.data.dtype
        self.requires_grad = tensor.requires_grad


class Recorder:
    """Receives the engine's reports during one eager run and builds the instruction list.

    Args:
        inputs: the call's tensors, in order (their arrays are named ``x0``, ``x1``...).
    """

    def __init__(self, inputs: Sequence[Tensor]) -> None:
        self.instructions: list[Instruction] = []
        self.inputs = list(inputs)
        self.externals: list[External] = []
        self.modules: dict[int, Any] = {}
        self._tensor_names: dict[int, str] = {}
        self._array_names: dict[int, str] = {}
        self._grads: dict[int, str] = {}  # tensor id -> name of its gradient so far
        self._keep: list[Any] = []  # everything named stays alive, so ids stay unique
        self._aliases: set[int] = set()  # tensors made in the call around a named array
        self._named_arrays: dict[str, np.ndarray] = {}  # the call's inputs and results by name
        self._count = {"v": 0, "g": 0}
        for i, tensor in enumerate(self.inputs):
            self._name_tensor(tensor, f"x{i}")

    # ------------------------------------------------------------------ names

    def _new(self, prefix: str) -> str:
        number = self._count[prefix]
        self._count[prefix] = number + 1
        return f"{prefix}{number}"

    def _name_tensor(self, tensor: Tensor, name: str) -> None:
        self._keep.append(tensor)
        self._tensor_names[id(tensor)] = name
        self._array_names.setdefault(id(tensor.data), name)
        self._named_arrays.setdefault(name, tensor.data)

    def tensor_name(self, tensor: Tensor) -> str:
        """The slot of ``tensor``'s array; a tensor not seen yet becomes an external."""
        name = self._tensor_names.get(id(tensor))
        if name is not None:
            return name
        name = self._array_names.get(id(tensor.data))
        if name is not None:  # a new Tensor around a named array (detach(), Tensor(x.data))
            self._keep.append(tensor)
            self._tensor_names[id(tensor)] = name
            self._aliases.add(id(tensor))
            return name
        if tensor._node is not None:
            raise CompileError(
                f"a tensor of shape {tensor.shape} computed before the call, with a graph, "
                "is used inside the compiled function; pass it as an argument (detached) "
                "or compute it inside"
            )
        view = self._view_of_named_array(tensor)
        if view is not None:
            return view
        name = f"p{len(self.externals)}"
        self.externals.append(External(name, tensor))
        self._name_tensor(tensor, name)
        return name

    def _view_of_named_array(self, tensor: Tensor) -> str | None:
        """A new Tensor around a view of an array of this call (``Tensor(y.data.reshape(-1))``).

        Held as a constant it would replay the first call's values, so it is
        followed: a reshape becomes a line of the plan; any other view is refused.
        """
        data = tensor.data
        for name, array in self._named_arrays.items():
            if name[0] not in "xv" or not np.may_share_memory(data, array):
                continue
            same_start = data.__array_interface__["data"][0] == array.__array_interface__["data"][0]
            if (
                same_start
                and data.size == array.size
                and data.dtype == array.dtype
                and data.flags.c_contiguous
                and array.flags.c_contiguous
            ):
                out = self._new("v")
                self.instructions.append(View(name, out, data.shape))
                self._name_tensor(tensor, out)
                return out
            raise CompileError(
                f"a tensor of shape {data.shape} made inside the compiled function shares "
                f"memory with {name} (shape {array.shape}) but is not a reshape of it; a "
                "replay would keep its first values. Make it with tensor operations "
                "(indexing, reshape, transpose) instead of from .data"
            )
        return None

    def _argument(self, value: Any) -> Any:
        """An op's or an update's argument: a named array becomes a :class:`Ref`."""
        if isinstance(value, np.ndarray):
            name = self._array_names.get(id(value))
            if name is not None:
                return Ref(name)
            for other, array in self._named_arrays.items():
                if other[0] in "xv" and np.may_share_memory(value, array):
                    raise CompileError(
                        f"an operation's argument (an array of shape {value.shape}) is a view "
                        f"of {other}, an array of this call; a replay would keep its first "
                        "values. Pass it as a tensor (index with a Tensor, not its .data)"
                    )
            return value
        if isinstance(value, Tensor):
            return Ref(self.tensor_name(value))
        if isinstance(value, tuple) and any(isinstance(v, (np.ndarray, Tensor)) for v in value):
            return tuple(self._argument(v) for v in value)
        return value

    # ------------------------------------------------------ the engine's reports

    def op(self, op: Op, inputs: tuple[Tensor, ...], args: tuple[Any, ...], out: Tensor) -> None:
        """A forward operation ran: ``out = op.forward(*inputs, *args)``."""
        names = [self.tensor_name(x) for x in inputs]
        arguments = tuple(self._argument(a) for a in args)
        out_name = self._new("v")
        self._name_tensor(out, out_name)
        random = any(isinstance(a, np.random.Generator) for a in args)
        self.instructions.append(
            Kernel(
                op,
                names,
                arguments,
                out_name,
                out.data.ndim == 0,
                random,
                out.data.shape,
                [x.data.shape for x in inputs],
            )
        )

    def backward_pass(self, roots: list[Tensor], implicit_seed: bool, create_graph: bool) -> None:
        """``backward()`` starts: seed each root's gradient with ones, as the pass does."""
        if create_graph:
            self.refuse("backward(create_graph=True)")
        if not implicit_seed:
            self.refuse("backward(gradient=...)")
        self._grads = {}
        for root in roots:
            root_name = self.tensor_name(root)
            seed = self._new("g")
            self.instructions.append(Seed(seed, root.data.shape, root.data.dtype, root_name))
            previous = self._grads.get(id(root))
            if previous is not None:
                total = self._new("g")
                self.instructions.append(Add(previous, seed, total))
                seed = total
            self._grads[id(root)] = seed

    def rule(self, node: Node, out: Tensor, grads: Sequence[Any]) -> None:
        """The pass ran ``node``'s rule: write it down, then the pass's sums, reductions, casts."""
        inputs = node.inputs
        assert inputs is not None
        g = self._grads.pop(id(out), None)
        if g is None:
            raise CompileError(
                f"the backward pass reached '{node.op.name}' (shape {out.shape}), computed "
                "before the call; compiled functions start their graph inside the call"
            )
        results: list[str | None] = []
        follow: list[tuple[Tensor, str, Any]] = []
        for tensor_in, g_in in zip(inputs, grads, strict=True):
            if g_in is None or not tensor_in.requires_grad:
                results.append(None)
                continue
            name = self._new("g")
            results.append(name)
            follow.append((tensor_in, name, g_in))
        self.instructions.append(
            Rule(
                node.op,
                tuple(self._argument(a) for a in node.args),
                node.needs,
                g,
                self.tensor_name(out),
                [self.tensor_name(x) for x in inputs],
                results,
                out.data.dtype,
                inputs[0].data.shape,
            )
        )
        for tensor_in, name, g_in in follow:
            shape, dtype = tensor_in.data.shape, tensor_in.data.dtype
            if g_in.shape != shape:
                reduced = self._new("g")
                self.instructions.append(Reduce(name, reduced, shape))
                name = reduced
            if g_in.dtype != dtype:
                cast = self._new("g")
                self.instructions.append(Cast(name, cast, dtype))
                name = cast
            previous = self._grads.get(id(tensor_in))
            if previous is not None:
                total = self._new("g")
                self.instructions.append(Add(previous, name, total))
                name = total
            self._grads[id(tensor_in)] = name

    def leaf(self, tensor: Tensor, g: Any) -> None:
        """The pass adds its gradient into a leaf's ``.grad``."""
        if id(tensor) in self._aliases:
            raise CompileError(
                f"a gradient flows into a tensor of shape {tensor.shape} made inside the "
                "compiled function (detach(), Tensor(x.data)...); a replay cannot hand its "
                ".grad to the new tensor of each call. Pass it in as an argument"
            )
        name = self._grads.pop(id(tensor))
        self._keep.append(g)
        self._array_names.setdefault(id(g), name)  # Tensor(p.grad) in the function reads it
        self.instructions.append(Leaf(self.tensor_name(tensor), name))

    def module(self, module: Any) -> None:
        """A module is called: its ``training`` flag becomes part of the plan's key."""
        self.modules.setdefault(id(module), module)

    def effect(self, function: Callable[..., None], args: tuple[Any, ...]) -> None:
        """An in-place update outside the graph: call it again on every replay."""
        arguments: list[Any] = []
        for value in args:
            if isinstance(value, Tensor):
                name = self.tensor_name(value)  # a buffer becomes an external, guarded
                if name.startswith("v"):
                    raise CompileError(
                        f"{function.__qualname__} updates a tensor computed inside the step; "
                        "only parameters, buffers and the call's tensors can be replayed"
                    )
                arguments.append(Ref(name, tensor=True))  # the update gets the Tensor itself
            else:
                arguments.append(self._argument(value))
        self.instructions.append(Effect(function, tuple(arguments)))

    def refuse(self, what: str) -> None:
        """Raise :class:`CompileError` for ``what``, a value read back into Python."""
        raise CompileError(
            f"{what} inside a compiled function: a replay runs the recorded array "
            "operations only, so a value read into Python (and any `if` or loop on it) "
            "would be frozen at its first value. Move it out of the compiled function "
            "(return the tensor and read it after the call), or run this function eagerly"
        )
