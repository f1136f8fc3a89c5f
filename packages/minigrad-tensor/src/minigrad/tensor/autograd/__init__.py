"""Reverse-mode automatic differentiation: the layer below the Tensor class.

Read the modules in this order:

1. :mod:`~minigrad.tensor.autograd.op`: what an operation is (``Op``: a name, a
   forward function on arrays, a backward rule);
2. :mod:`~minigrad.tensor.autograd.node`: the graph node a result keeps;
3. :mod:`~minigrad.tensor.autograd.modes`: grad mode, anomaly mode and the tracer;
4. :mod:`~minigrad.tensor.autograd.record`: :func:`apply`, which runs an op and
   records the node, the one place where the graph grows;
5. :mod:`~minigrad.tensor.autograd.broadcast`: summing a broadcast gradient back;
6. :mod:`~minigrad.tensor.autograd.backprop`: ``backward()`` and ``grad()``.

Nothing here imports the Tensor class: ``tensor.py`` sits one layer up and
registers itself as the type :func:`apply` makes.

Example:
    >>> from minigrad.tensor import Tensor
    >>> x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    >>> (x * x).sum().backward()
    >>> x.grad
    array([2., 4., 6.], dtype=float32)
"""

from __future__ import annotations

from minigrad.tensor.autograd.backprop import UnregisteredNumpyFunctionError, backward, grad
from minigrad.tensor.autograd.modes import (
    Tracer,
    detect_anomaly,
    enable_grad,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
    tracing,
)
from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import BackwardRule, Op, ScalarRule
from minigrad.tensor.autograd.record import apply

__all__ = [
    "BackwardRule",
    "Node",
    "Op",
    "ScalarRule",
    "Tracer",
    "UnregisteredNumpyFunctionError",
    "apply",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
    "tracing",
]
