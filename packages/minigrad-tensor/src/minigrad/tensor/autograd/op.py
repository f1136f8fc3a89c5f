"""What an operation is: a name, a forward function on arrays and a backward rule.

An :class:`Op` is defined once, as a module-level constant of its op module,
and handed to :func:`~minigrad.tensor.autograd.record.apply`, the one function
that runs operations. Its two halves:

* ``forward(*input_arrays, *args) -> ndarray``: a pure function of NumPy arrays
  and the op's non-tensor arguments (axes, shapes, constants, a random
  generator). Running it again on new arrays of the same shapes reproduces
  the operation exactly: every argument check happened before, in the
  Tensor-facing function, and whatever the forward needs is in ``args``.
* ``backward(node, g, out, *inputs) -> grads``: one gradient (or None) per
  input. A plain backward pass hands it NumPy arrays; a recorded pass
  (``create_graph=True``) hands it Tensors, so it uses only what both support
  (``+ - * / @``, ``.sum``, ``.reshape``, registered NumPy functions such as
  ``np.exp``) and higher derivatives come for free. ``node.args`` is the
  ``args`` of the forward call. ``backward=None`` marks an operation without a
  gradient (comparisons, ``argmax``, casts to integers...).

Example:
    >>> import numpy as np
    >>> CUBE = Op("cube", lambda x: x**3, lambda node, g, out, x: (g * 3 * x * x,))
    >>> CUBE.forward(np.array([2.0]))
    array([8.])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["BackwardRule", "Op", "ScalarRule"]

BackwardRule = Callable[..., Sequence[Any]]
"""``rule(node, g, out, *inputs)``: one gradient (or None) per input."""


@dataclass(frozen=True, slots=True)
class ScalarRule:
    """An elementwise op on one number: its value and its derivative, as ``math`` functions.

    The scalar-engine oracle (``minigrad.tensor.testing.ScalarArray``) builds
    the op from these where ``minigrad.scalar.Value`` has no method of its own.

    Example:
        >>> import math
        >>> ScalarRule(math.sin, math.cos).derivative(0.0)
        1.0
    """

    value: Callable[[float], float]
    derivative: Callable[[float], float]


@dataclass(frozen=True, slots=True, eq=False)
class Op:
    """One operation of the engine, defined once.

    Attributes:
        name: the name shown in graphs and error messages (``"add"``).
        forward: ``forward(*arrays, *args) -> ndarray``, pure NumPy.
        backward: ``backward(node, g, out, *inputs) -> grads``, or None when
            the result has no gradient.
        scalar: for a one-input elementwise op, its value and derivative on a
            number (what the scalar oracle needs); None otherwise.
        reads_inputs: whether the backward rule reads its inputs' values (not
            just their shapes). The backward pass checks such inputs for
            in-place changes since recording (``autograd.version``); ``add``
            or ``sum`` need not be checked.
    """

    name: str
    forward: Callable[..., Any]
    backward: BackwardRule | None = None
    scalar: ScalarRule | None = None
    reads_inputs: bool = True

    def __repr__(self) -> str:
        return f"<Op {self.name}>"
