"""Where an op module registers what it defines: Tensor methods, NumPy functions, scalar rules.

An op module calls these once per op, next to the op's definition:

* :func:`answer_numpy` maps a NumPy ufunc or function (``np.exp``, ``np.sum``)
  to the Tensor function that runs the op, so that ``np.exp(tensor)`` works and
  backward rules written with ``np.exp`` can record their own graph;
* :func:`define_elementwise` does that for a one-input elementwise op and
  also records its :class:`~minigrad.tensor.autograd.op.ScalarRule`, from
  which the scalar oracle (``ScalarArray``) builds the op;
* :func:`install_methods` puts the module's methods on :class:`Tensor`, from a
  small class that lists them (the same class tells the type checker about them).

"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.ops.operands import as_tensor
from minigrad.tensor.tensor import FUNCTIONS, UFUNCS, Tensor

__all__ = [
    "ELEMENTWISE",
    "answer_numpy",
    "define_elementwise",
    "install_methods",
]

ELEMENTWISE: dict[str, Op] = {}
"""One-input elementwise ops by method name; each carries a ScalarRule."""

# Class bookkeeping, not methods. A class that defines __eq__ gets __hash__ = None
# from Python; Tensor keeps hashing by identity (tensor.py says so).
_NOT_METHODS = {"__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__hash__"}


def answer_numpy(numpy_function: Callable[..., Any], handler: Callable[..., Any]) -> None:
    """Make ``numpy_function(tensor, ...)`` call ``handler(tensor, ...)``.

    ``numpy_function`` is a ufunc (``np.exp``: dispatched by ``__array_ufunc__``)
    or another NumPy function (``np.sum``: by ``__array_function__``). A
    second registration of the same function is an error: one op answers.
    """
    table: dict[Any, Callable[..., Any]] = (
        UFUNCS if isinstance(numpy_function, np.ufunc) else FUNCTIONS
    )
    if numpy_function in table:
        name = getattr(numpy_function, "__name__", repr(numpy_function))
        raise RuntimeError(f"np.{name} is registered twice; one op answers to a NumPy function")
    table[numpy_function] = handler


def define_elementwise(
    op: Op, doc: str, numpy_function: np.ufunc | None = None
) -> Callable[[Tensor], Tensor]:
    """The Tensor function of a one-input elementwise ``op``, registered everywhere it is needed.

    Returns ``f(a) = apply(op, (a,))`` with ``doc`` as its docstring; registers
    ``numpy_function`` (default: the op's forward when that is a ufunc) to
    answer with ``f``, and the op's scalar rule for the scalar oracle under
    ``op.name``. Put ``f`` on Tensor by listing it in the module's methods class.
    """
    if op.scalar is None:
        raise ValueError(f"define_elementwise: op '{op.name}' needs a ScalarRule (scalar=...)")

    def function(a: Tensor) -> Tensor:
        return apply(op, (a,))

    function.__name__ = function.__qualname__ = op.name
    function.__doc__ = doc
    ufunc = numpy_function if numpy_function is not None else op.forward
    if isinstance(ufunc, np.ufunc):
        answer_numpy(ufunc, lambda a: function(as_tensor(a)))
    if op.name in ELEMENTWISE:
        raise RuntimeError(f"define_elementwise: '{op.name}' is defined twice")
    ELEMENTWISE[op.name] = op
    return function


def install_methods(methods: type) -> None:
    """Copy the attributes of the class ``methods`` onto :class:`Tensor`.

    Each op module lists its Tensor methods in one such class (``exp = exp``,
    ``__add__ = add``...). A name that Tensor already has is an error, so two
    modules cannot both define a method.
    """
    for name, value in vars(methods).items():
        if name in _NOT_METHODS:
            continue
        if name in vars(Tensor):
            raise RuntimeError(f"install_methods: Tensor.{name} is defined twice")
        setattr(Tensor, name, value)
