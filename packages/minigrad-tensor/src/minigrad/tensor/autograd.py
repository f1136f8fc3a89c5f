"""Reverse-mode differentiation over a graph of :class:`~minigrad.tensor.Tensor` nodes.

Every operation whose inputs need a gradient gives its output a :class:`Node`:
the input tensors, the backward rule of the operation and the few non-tensor
arguments the rule needs (an axis, a shape). The node never points at its own
output, so a graph is a tree of plain references that reference counting
frees as soon as the last tensor of it goes away.

Backward rules are written once, with operations that NumPy arrays and
Tensors share (``+ - * / @``, ``.sum``, ``.reshape``, ufuncs such as
``np.exp``). A plain backward pass hands the rules NumPy arrays, so it costs
no more than hand-written NumPy; with ``create_graph=True`` it hands them
Tensors, so the same rules record the graph of the gradient itself and it can
be differentiated again.

Example:
    >>> from minigrad.tensor import Tensor, grad
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    array([2., 4., 6.], dtype=float32)
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from minigrad.tensor.tensor import Tensor

__all__ = [
    "Node",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
]

# A backward rule takes (node, upstream gradient, output value, *input values)
# and returns one gradient (or None) per input. Values are NumPy arrays in a
# plain pass and Tensors when the pass records its own graph.
BackwardRule = Callable[..., Sequence[Any]]


class _ThreadState(threading.local):
    """Grad mode and anomaly mode, one copy per thread (as in PyTorch)."""

    grad_enabled: bool = True
    anomaly_enabled: bool = False


_state = _ThreadState()


def is_grad_enabled() -> bool:
    """Whether operations on this thread currently record a graph."""
    return _state.grad_enabled


def is_anomaly_enabled() -> bool:
    """Whether :func:`detect_anomaly` is active on this thread."""
    return _state.anomaly_enabled


class _ModeSwitch(contextlib.ContextDecorator):
    """Sets a thread-local flag for the duration of a ``with`` block or a call."""

    _attribute = ""
    _value = True

    def __init__(self) -> None:
        self._previous: list[bool] = []

    def _recreate_cm(self) -> _ModeSwitch:
        # A fresh instance per decorated call keeps recursion and threads apart.
        return type(self)()

    def __enter__(self) -> None:
        self._previous.append(getattr(_state, self._attribute))
        setattr(_state, self._attribute, self._value)

    def __exit__(self, *exc_info: object) -> None:
        setattr(_state, self._attribute, self._previous.pop())


class no_grad(_ModeSwitch):  # noqa: N801 - named as in PyTorch
    """Context manager and decorator under which operations record no graph.

    Example:
        >>> from minigrad.tensor import Tensor, no_grad
        >>> w = Tensor([1.0], requires_grad=True)
        >>> with no_grad():
        ...     y = w * 2
        >>> y.requires_grad
        False
    """

    _attribute = "grad_enabled"
    _value = False


class enable_grad(_ModeSwitch):  # noqa: N801 - named as in PyTorch
    """Context manager and decorator that turns graph recording back on inside ``no_grad``."""

    _attribute = "grad_enabled"
    _value = True


class set_grad_enabled(contextlib.ContextDecorator):  # noqa: N801 - named as in PyTorch
    """Set grad mode to ``mode`` for a block (or, called bare, from now on)."""

    def __init__(self, mode: bool) -> None:
        self._previous = _state.grad_enabled
        self._mode = bool(mode)
        _state.grad_enabled = self._mode

    def __enter__(self) -> None:
        _state.grad_enabled = self._mode

    def __exit__(self, *exc_info: object) -> None:
        _state.grad_enabled = self._previous


class detect_anomaly(_ModeSwitch):  # noqa: N801 - named as in PyTorch
    """Raise at the first operation whose result or gradient holds a NaN or an infinity.

    The error names the operation and the shapes of its inputs, so the search for
    the source of a NaN starts at the right line rather than at the loss.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, detect_anomaly
        >>> x = Tensor([-1.0], requires_grad=True)
        >>> with detect_anomaly():
        ...     x.log()
        Traceback (most recent call last):
        ...
        FloatingPointError: log produced nan in its forward result (input shapes: (1,))
    """

    _attribute = "anomaly_enabled"
    _value = True


class Node:
    """How one tensor was computed: its inputs, its backward rule and the rule's arguments.

    Attributes:
        inputs: the input tensors, or ``None`` once a backward pass released them.
        rule: the backward rule, ``rule(node, grad, out, *inputs) -> grads``.
        args: non-tensor arguments the rule needs (axes, shapes, constants).
        needs: for each input, whether it needs a gradient; rules skip the rest.
        name: the operation's name, for error messages and graph pictures.
    """

    __slots__ = ("args", "inputs", "name", "needs", "rule")

    def __init__(
        self,
        inputs: tuple[Tensor, ...],
        rule: BackwardRule,
        args: tuple[Any, ...],
        name: str,
    ) -> None:
        self.inputs: tuple[Tensor, ...] | None = inputs
        self.rule = rule
        self.args = args
        self.name = name
        self.needs = tuple(x.requires_grad for x in inputs)

    def __repr__(self) -> str:
        return f"<Node {self.name}>"


def _topological_order(roots: Sequence[Tensor]) -> list[Tensor]:
    """Tensors that need a gradient, each after every tensor it was computed from.

    An explicit stack instead of recursion, so a chain of any depth works at
    Python's default recursion limit.
    """
    order: list[Tensor] = []
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False) for root in reversed(roots)]
    while stack:
        tensor, inputs_done = stack.pop()
        if inputs_done:
            order.append(tensor)
            continue
        if id(tensor) in seen:
            continue
        seen.add(id(tensor))
        stack.append((tensor, True))
        node = tensor._node
        if node is None:
            continue
        if node.inputs is None:
            raise RuntimeError(
                f"backward: the graph through '{node.name}' was already released by an earlier "
                "backward pass, which frees saved values to save memory; pass "
                "retain_graph=True to the first backward() (or grad()) to go through it again"
            )
        for tensor_in in node.inputs:
            if tensor_in.requires_grad and id(tensor_in) not in seen:
                stack.append((tensor_in, False))
    return order


def _check_finite(value: Any, what: str, node: Node) -> None:
    data = value.data if not isinstance(value, np.ndarray) else value
    if isinstance(data, np.ndarray) and data.dtype.kind == "f" and not np.isfinite(data).all():
        kind = "nan" if np.isnan(data).any() else "inf"
        shapes = ", ".join(str(x.shape) for x in node.inputs or ())
        raise FloatingPointError(
            f"{node.name} produced {kind} in its {what} (input shapes: {shapes})"
        )


def _run(
    roots: Sequence[Tensor],
    seeds: Sequence[Any],
    *,
    retain_graph: bool,
    create_graph: bool,
    targets: Sequence[Tensor] | None,
) -> dict[int, Any]:
    """Walk the graph back from ``roots`` and return the gradient of every tensor reached.

    With ``targets`` the gradients of those tensors are collected and returned
    (``grad()``); without, leaf gradients are accumulated into ``.grad``
    (``backward()``).
    """
    from minigrad.tensor._broadcast import reduce_to_shape

    order = _topological_order(roots)
    grads: dict[int, Any] = {}
    for root, seed in zip(roots, seeds):
        key = id(root)
        grads[key] = seed if key not in grads else grads[key] + seed
    wanted = {id(t) for t in targets} if targets is not None else None
    found: dict[int, Any] = {}
    anomaly = _state.anomaly_enabled

    with contextlib.ExitStack() as stack:
        stack.enter_context(enable_grad() if create_graph else no_grad())
        for tensor in reversed(order):
            key = id(tensor)
            g = grads.pop(key, None)
            if g is None:
                continue
            if wanted is not None and key in wanted:
                found[key] = g
            node = tensor._node
            if node is None:
                if wanted is None:
                    _accumulate_leaf(tensor, g)
                continue
            inputs = node.inputs
            assert inputs is not None  # _topological_order raised otherwise
            if create_graph:
                input_grads = node.rule(node, g, tensor, *inputs)
            else:
                input_grads = node.rule(node, g, tensor.data, *[x.data for x in inputs])
            for tensor_in, g_in in zip(inputs, input_grads):
                if g_in is None or not tensor_in.requires_grad:
                    continue
                if g_in.shape != tensor_in.shape:
                    g_in = reduce_to_shape(g_in, tensor_in.shape)
                if g_in.dtype != tensor_in.dtype:
                    g_in = g_in.astype(tensor_in.dtype)
                if anomaly:
                    _check_finite(g_in, "gradient", node)
                key_in = id(tensor_in)
                previous = grads.get(key_in)
                grads[key_in] = g_in if previous is None else previous + g_in
            if not retain_graph:
                node.inputs = None
    return found


def _accumulate_leaf(tensor: Tensor, g: Any) -> None:
    data = g.data if not isinstance(g, np.ndarray) else g
    if tensor.grad is None:
        # A rule may hand the same array to several inputs (``a + b``), or a view
        # of the caller's array: the leaf gets its own copy, which it then owns.
        tensor.grad = np.array(data, dtype=tensor.dtype, copy=True)
    else:
        tensor.grad += data


def backward(
    tensors: Tensor | Sequence[Tensor],
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
) -> None:
    """Accumulate into ``.grad`` of every leaf the gradient of ``tensors``.

    ``tensor.backward(...)`` is this function for one tensor; see there.
    """
    roots, seeds = _roots_and_seeds(tensors, grad_tensors, create_graph, "backward")
    keep = create_graph if retain_graph is None else retain_graph
    _run(roots, seeds, retain_graph=keep, create_graph=create_graph, targets=None)


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor, ...]:
    """Return the gradients of ``outputs`` with respect to ``inputs``, leaving ``.grad`` alone.

    With ``create_graph=True`` the returned gradients carry a graph of their own,
    so they can be differentiated again (second derivatives, Hessian-vector
    products).

    Example:
        >>> from minigrad.tensor import Tensor, grad
        >>> x = Tensor([3.0], requires_grad=True, dtype="float64")
        >>> (dx,) = grad((x**3).sum(), x, create_graph=True)
        >>> dx.tolist()
        [27.0]
        >>> (dxx,) = grad(dx.sum(), x)
        >>> dxx.tolist()
        [18.0]
    """
    from minigrad.tensor.tensor import Tensor

    wanted = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    for i, tensor in enumerate(wanted):
        if not isinstance(tensor, Tensor):
            raise TypeError(f"grad: inputs[{i}] must be a Tensor, got {type(tensor).__name__}")
        if not tensor.requires_grad:
            raise ValueError(f"grad: inputs[{i}] (shape {tensor.shape}) does not require grad")
    roots, seeds = _roots_and_seeds(outputs, grad_outputs, create_graph, "grad")
    keep = create_graph if retain_graph is None else retain_graph
    found = _run(roots, seeds, retain_graph=keep, create_graph=create_graph, targets=wanted)
    results: list[Tensor] = []
    for i, tensor in enumerate(wanted):
        g = found.get(id(tensor))
        if g is None:
            if not allow_unused:
                raise ValueError(
                    f"grad: inputs[{i}] (shape {tensor.shape}) was not used to compute the "
                    "outputs; pass allow_unused=True to get a zero gradient for it"
                )
            g = np.zeros_like(tensor.data)
        results.append(g if isinstance(g, Tensor) else Tensor(g, dtype=tensor.dtype))
    return tuple(results)


def _roots_and_seeds(
    outputs: Tensor | Sequence[Tensor],
    grad_outputs: Any,
    create_graph: bool,
    caller: str,
) -> tuple[list[Tensor], list[Any]]:
    from minigrad.tensor.tensor import Tensor

    roots = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    if grad_outputs is None:
        given: list[Any] = [None] * len(roots)
    elif isinstance(grad_outputs, (Tensor, np.ndarray)) or np.isscalar(grad_outputs):
        given = [grad_outputs]
    else:
        given = list(grad_outputs)
    if len(given) != len(roots):
        raise ValueError(f"{caller}: got {len(roots)} outputs but {len(given)} gradients for them")
    seeds: list[Any] = []
    for root, g in zip(roots, given):
        if not isinstance(root, Tensor):
            raise TypeError(f"{caller}: outputs must be Tensors, got {type(root).__name__}")
        if not root.requires_grad:
            raise RuntimeError(
                f"{caller}: the tensor of shape {root.shape} does not require grad and has no "
                "graph; set requires_grad=True on a leaf it was computed from "
                "(and compute it outside no_grad)"
            )
        if g is None:
            if root.size != 1:
                raise RuntimeError(
                    f"{caller}: an implicit gradient of 1 exists only for one-element outputs, "
                    f"got shape {root.shape}; pass gradient= (an array of shape {root.shape})"
                )
            seed: Any = np.ones(root.shape, dtype=root.dtype)
        else:
            seed = g.data if isinstance(g, Tensor) and not create_graph else g
            if isinstance(seed, Tensor):
                pass
            else:
                seed = np.asarray(seed, dtype=root.dtype)
            if seed.shape != root.shape:
                raise ValueError(
                    f"{caller}: gradient has shape {seed.shape} but the output has shape "
                    f"{root.shape}; they must be equal"
                )
        if create_graph and not isinstance(seed, Tensor):
            seed = Tensor(seed, dtype=root.dtype)
        seeds.append(seed)
    return roots, seeds
