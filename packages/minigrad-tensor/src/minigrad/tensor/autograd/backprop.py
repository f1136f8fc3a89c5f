"""The backward pass: ``backward()`` and ``grad()`` walk a recorded graph in reverse.

Backward rules are written once, with operations that NumPy arrays and
Tensors share (``+ - * / @``, ``.sum``, ``.reshape``, registered NumPy
functions such as ``np.exp``). A plain backward pass hands the rules NumPy
arrays, so it costs no more than hand-written NumPy; with
``create_graph=True`` it hands them Tensors, so the same rules record the
graph of the gradient itself and it can be differentiated again.

Example:
    >>> from minigrad.tensor import Tensor, grad
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    array([2., 4., 6.], dtype=float32)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from minigrad.tensor.autograd.broadcast import reduce_to_shape
from minigrad.tensor.autograd.modes import check_finite, state, watching
from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.record import result_type
from minigrad.tensor.autograd.version import check_unmodified, write_clock

if TYPE_CHECKING:
    from minigrad.tensor.tensor import Tensor

__all__ = ["UnregisteredNumpyFunctionError", "accumulate_leaf", "backward", "grad"]


class UnregisteredNumpyFunctionError(TypeError):
    """A NumPy function was called on a Tensor but no op answers to it.

    Raised by ``Tensor.__array_ufunc__`` / ``__array_function__``; the backward
    pass adds the name of the op whose rule made the call.
    """


def _recorded_rule(node: Node, g: Any, out: Tensor, inputs: tuple[Tensor, ...]) -> Any:
    """The node's rule on Tensors (a ``create_graph`` pass), naming the op when a call fails."""
    rule = node.op.backward
    assert rule is not None  # only differentiable ops record nodes
    try:
        return rule(node, g, out, *inputs)
    except UnregisteredNumpyFunctionError as error:
        raise UnregisteredNumpyFunctionError(
            f"the backward rule of '{node.op.name}' cannot record its graph "
            f"(create_graph=True): {error}"
        ) from None


def _count_consumers(roots: Sequence[Tensor]) -> dict[int, int]:
    """For every tensor that needs a gradient, how many graph nodes consume it.

    A tensor can pass its gradient on once all of its consumers have added
    their share (Kahn's topological order). An explicit stack instead of
    recursion, so a chain of any depth works at Python's default recursion limit.
    """
    consumers: dict[int, int] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()._node
        if node is None:
            continue
        inputs = node.inputs
        if inputs is None:
            raise RuntimeError(
                f"backward: the graph through '{node.name}' was already released by an earlier "
                "backward pass, which frees saved values to save memory; pass "
                "retain_graph=True to the first backward() (or grad()) to go through it again"
            )
        for tensor_in in inputs:
            if tensor_in.requires_grad:
                key = id(tensor_in)
                if key in consumers:
                    consumers[key] += 1
                else:
                    consumers[key] = 1
                    stack.append(tensor_in)
    return consumers


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
    (``backward()``). Floating-point warnings at singular points (the
    gradient of ``log`` at 0, say) come through from NumPy as in the forward
    pass; ``detect_anomaly()`` turns them into errors that name the operation.
    """
    consumers = _count_consumers(roots)
    grads: dict[int, Any] = {}
    ready: list[Tensor] = []
    for root, seed in zip(roots, seeds, strict=True):
        key = id(root)
        if key in grads:
            grads[key] = grads[key] + seed
        else:
            grads[key] = seed
            if key not in consumers:
                ready.append(root)
    wanted = {id(t) for t in targets} if targets is not None else None
    found: dict[int, Any] = {}
    anomaly = state.anomaly_enabled
    # A capture (minigrad.tensor.compile) is told of each rule and leaf; read once per pass.
    capture = state.capture if watching.on else None
    # A plain pass records nothing; a create_graph pass records the gradient's graph.
    previous_mode = state.grad_enabled
    state.grad_enabled = create_graph
    adopted: set[int] = set()  # ids of the arrays handed to leaves in this pass
    try:
        while ready:
            tensor = ready.pop()
            key = id(tensor)
            g = grads.pop(key, None)
            node = tensor._node
            if wanted is not None and g is not None and key in wanted:
                found[key] = g
            if node is None:
                if wanted is None and g is not None:
                    if capture is not None:
                        capture.leaf(tensor, g)
                    accumulate_leaf(tensor, g, adopted)
                continue
            inputs = node.inputs
            assert inputs is not None  # _count_consumers raised otherwise
            if g is not None and write_clock.now > node.recorded_at and node.op.reads_inputs:
                # Something was written in place since this node was recorded.
                check_unmodified(node, inputs)
            if g is None:
                # No consumer sent a gradient: nothing flows on, but the
                # inputs still count this consumer as done.
                input_grads: Sequence[Any] = (None,) * len(inputs)
            elif create_graph:
                input_grads = _recorded_rule(node, g, tensor, inputs)
            else:
                rule = node.op.backward
                assert rule is not None  # only differentiable ops record nodes
                input_grads = rule(node, g, tensor.data, *[x.data for x in inputs])
                if capture is not None:
                    capture.rule(node, tensor, input_grads)
            for tensor_in, g_in in zip(inputs, input_grads, strict=True):
                if not tensor_in.requires_grad:
                    continue
                key_in = id(tensor_in)
                if g_in is not None:
                    data = tensor_in.data
                    if g_in.shape != data.shape:
                        g_in = reduce_to_shape(g_in, data.shape)
                    if g_in.dtype != data.dtype:
                        g_in = g_in.astype(data.dtype)
                    if anomaly:
                        check_finite(g_in, "gradient", node.op.name, inputs)
                    previous = grads.get(key_in)
                    grads[key_in] = g_in if previous is None else previous + g_in
                remaining = consumers[key_in] - 1
                consumers[key_in] = remaining
                if remaining == 0:
                    ready.append(tensor_in)
            if not retain_graph:
                node.inputs = None
    finally:
        state.grad_enabled = previous_mode
    return found


def accumulate_leaf(tensor: Tensor, g: Any, adopted: set[int]) -> None:
    """Add ``g`` into ``tensor.grad``, which the leaf owns (it may modify it in place).

    A first gradient is adopted without a copy when the pass made it and gave it
    to no other leaf (as PyTorch's AccumulateGrad steals an unshared gradient):
    copying a large weight gradient costs a fresh allocation's page faults on
    every step. A view, an array already given to another leaf (``a + b`` hands
    the same array to both) or a recorded pass's Tensor is copied.
    """
    if tensor.grad is not None:
        tensor.grad += g.data if not isinstance(g, np.ndarray) else g
    elif isinstance(g, np.ndarray) and g.base is None and id(g) not in adopted:
        adopted.add(id(g))
        tensor.grad = g
    else:
        data = g.data if not isinstance(g, np.ndarray) else g
        tensor.grad = np.array(data, dtype=tensor.dtype, copy=True)


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
    if watching.on and state.capture is not None:
        state.capture.backward_pass(roots, grad_tensors is None, create_graph)
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
    if watching.on and state.capture is not None:
        state.capture.refuse("grad()")
    tensor_type = result_type()
    wanted = [inputs] if isinstance(inputs, tensor_type) else list(inputs)
    for i, tensor in enumerate(wanted):
        if not isinstance(tensor, tensor_type):
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
        if not isinstance(g, tensor_type):
            # The engine may hand back a read-only broadcast view or the caller's own
            # gradient array; the result is a fresh array the caller may modify.
            g = tensor_type(np.array(g, dtype=tensor.dtype, copy=True))
        results.append(g)
    return tuple(results)


def _roots_and_seeds(
    outputs: Tensor | Sequence[Tensor],
    grad_outputs: Any,
    create_graph: bool,
    caller: str,
) -> tuple[list[Tensor], list[Any]]:
    # Tensors are told apart from sequences by duck typing, which costs less
    # than a call to result_type() on every backward pass.
    roots: list[Tensor] = (
        list(outputs) if isinstance(outputs, (list, tuple)) else [cast("Tensor", outputs)]
    )
    if grad_outputs is None:
        given: list[Any] = [None] * len(roots)
    elif isinstance(grad_outputs, (list, tuple)):
        given = list(grad_outputs)
    else:
        given = [grad_outputs]
    if len(given) != len(roots):
        raise ValueError(f"{caller}: got {len(roots)} outputs but {len(given)} gradients for them")
    seeds: list[Any] = []
    for root, g in zip(roots, given, strict=True):
        requires_grad = getattr(root, "requires_grad", None)
        if requires_grad is None:
            raise TypeError(f"{caller}: outputs must be Tensors, got {type(root).__name__}")
        if not requires_grad:
            raise RuntimeError(
                f"{caller}: the tensor of shape {root.shape} does not require grad and has no "
                "graph; set requires_grad=True on a leaf it was computed from "
                "(and compute it outside no_grad)"
            )
        data = root.data
        if g is None:
            if data.size != 1:
                raise RuntimeError(
                    f"{caller}: an implicit gradient of 1 exists only for one-element outputs, "
                    f"got shape {root.shape}; pass gradient= (an array of shape {root.shape})"
                )
            seed: Any = data.copy()
            seed.fill(1)
        else:
            if isinstance(g, np.ndarray) or not hasattr(g, "requires_grad"):
                # The caller keeps its array: the pass may hand the seed to a leaf.
                seed = np.array(g, dtype=data.dtype, copy=True)
            else:  # a Tensor: keep its graph only when this pass records one
                seed = g if create_graph else g.data
            if seed.shape != data.shape:
                raise ValueError(
                    f"{caller}: gradient has shape {seed.shape} but the output has shape "
                    f"{root.shape}; they must be equal"
                )
        if create_graph and not hasattr(seed, "requires_grad"):
            seed = result_type()(seed, dtype=data.dtype)
        seeds.append(seed)
    return roots, seeds
