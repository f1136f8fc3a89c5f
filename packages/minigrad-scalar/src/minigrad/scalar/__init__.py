"""MiniGrad's scalar autograd engine: reverse-mode differentiation of plain Python floats.

Start with `Value` (in ``engine.py``): numbers that record how they were
computed, so ``backward()`` can fill in every gradient. On top of it: `linear`
(a neuron's weighted sum as one node), `nn` (neurons, layers, MLPs), `optim`
(SGD, Adam), `data` (the two-moons toy set) and `to_dot` to draw a graph.
``python -m minigrad.scalar`` trains a small network on two moons.

Example:
    >>> from minigrad.scalar import Value
    >>> x = Value(3.0)
    >>> y = x * x + 1
    >>> y.backward()
    >>> y.data, x.grad
    (10.0, 6.0)
"""

from __future__ import annotations

from minigrad.scalar import data, nn, optim
from minigrad.scalar.engine import Value
from minigrad.scalar.fused import linear
from minigrad.scalar.grad_mode import is_grad_enabled, no_grad
from minigrad.scalar.graph import to_dot

__all__ = ["Value", "data", "is_grad_enabled", "linear", "nn", "no_grad", "optim", "to_dot"]
