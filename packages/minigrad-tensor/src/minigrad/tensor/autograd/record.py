"""Running an operation: the one place where results are made and the graph grows.

:func:`apply` computes ``op.forward`` on the inputs' arrays and wraps the result
in a Tensor. When grad mode is on, the op has a backward rule and an input
requires a gradient, the result also gets a :class:`~minigrad.tensor.autograd.node.Node`
recording the op, its inputs and its arguments. Every function of the engine
that makes a Tensor from Tensors goes through here, differentiable or not, so
a tracer set with :func:`~minigrad.tensor.autograd.modes.tracing` sees all of them.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import Tensor
    >>> from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.version import write_clock
    >>> CUBE = Op("cube", lambda x: x**3, lambda node, g, out, x: (g * 3 * x * x,))
    >>> x = Tensor([2.0], requires_grad=True)
    >>> y = apply(CUBE, (x,))
    >>> y.backward()
    >>> y.tolist(), x.grad.tolist()
    ([8.0], [12.0])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from minigrad.tensor.autograd.modes import check_finite, state, watching
from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.version import write_clock

if TYPE_CHECKING:
    from minigrad.tensor.tensor import Tensor

__all__ = ["apply", "result_type", "set_result_type"]

# The class of every result. Tensor is defined one layer up (tensor.py), which
# registers itself here when it is imported, so this module never imports it.
_result_type: type[Tensor]

# object.__new__ fills a Tensor or a Node without calling __init__, which checks
# arguments that an operation has already checked: this runs for every op.
_new_object = object.__new__


def set_result_type(result_type: type[Tensor]) -> None:
    """Make :func:`apply` return instances of ``result_type`` (done once by ``tensor.py``)."""
    global _result_type
    _result_type = result_type


def result_type() -> type[Tensor]:
    """The Tensor class (for the few places below ``tensor.py`` that make or test one)."""
    return _result_type


def apply(op: Op, inputs: tuple[Tensor, ...], args: tuple[Any, ...] = ()) -> Tensor:
    """Run ``op`` on ``inputs``: ``op.forward(*[x.data for x in inputs], *args)``, as a Tensor.

    The result records a graph node when grad mode is on, the op is
    differentiable and an input requires a gradient; otherwise it is a plain
    tensor. Under ``detect_anomaly`` a recorded result holding a nan or an
    inf raises. A tracer, when set, is called as ``tracer(op, inputs, args, out)``.

    Args:
        op: the operation.
        inputs: its Tensor inputs (constants are in ``args``, or wrapped as Tensors).
        args: the non-tensor arguments of ``op.forward``, kept in ``node.args``.
    """
    # The common cases are spelled out: a call through a built list of arrays
    # measured 1.8 us against 0.9 us for the spelled-out call of a two-input
    # forward (timeit minimum, loaded machine), and `a + b` costs about 1 us.
    count = len(inputs)
    if count == 2 and not args:
        data = op.forward(inputs[0].data, inputs[1].data)
    elif count == 1:
        data = op.forward(inputs[0].data, *args) if args else op.forward(inputs[0].data)
    else:
        data = op.forward(*[x.data for x in inputs], *args)
    if data.__class__ is not np.ndarray:
        data = np.asarray(data)  # ufuncs turn 0-d results into NumPy scalars
    out = _new_object(_result_type)
    out.data = data
    out.grad = None
    out._node = None
    out.requires_grad = False
    if state.grad_enabled and op.backward is not None:
        for x in inputs:
            if x.requires_grad:
                # A Node has no __init__ (see there): its fields are set here.
                node = _new_object(Node)
                node.op = op
                node.inputs = inputs
                node.args = args
                node.recorded_at = write_clock.now
                out._node = node
                out.requires_grad = True
                break
    if watching.on:  # a tracer or detect_anomaly is on, on some thread
        if out._node is not None and state.anomaly_enabled:
            check_finite(data, "forward result", op.name, inputs)
        if state.tracer is not None:
            state.tracer(op, inputs, args, out)
    return out
