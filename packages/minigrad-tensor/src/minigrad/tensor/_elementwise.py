"""Elementwise operations with NumPy broadcasting, and their backward rules.

Each backward rule has the signature ``rule(node, g, out, *inputs)`` and returns
one gradient per input (``None`` where ``node.needs`` says none is wanted).
The gradients come back in the broadcast shape; the engine sums them down to
each input's shape in one shared place (:mod:`minigrad.tensor._broadcast`).

A Python number on one side of an operator is not a graph node: it is kept
as a constant in ``node.args``, and the rule differentiates the tensor side only.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from minigrad.tensor.autograd import Node
from minigrad.tensor.tensor import ArrayLike, Tensor, make_result

_Scalar = (int, float, bool)


def raw(value: Any) -> Any:
    """The NumPy value behind ``value`` (a Tensor's data, or the value itself)."""
    return value.data if isinstance(value, Tensor) else value


def as_tensor(value: Any, like: Any = None) -> Tensor:
    """``value`` as a Tensor that records no graph (a constant operand).

    Floating NumPy or list data keep the float dtype of ``like`` when it is a
    Tensor, so ``float32_tensor + [1.0, 2.0]`` stays float32.
    """
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    if isinstance(like, Tensor) and array.dtype.kind == "f" and not isinstance(value, np.ndarray):
        array = array.astype(like.dtype)
    return Tensor(array)


# ----------------------------------------------------------------- add / sub


def _add_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return g, g


def _sub_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return g, (-g if node.needs[1] else None)


def _identity_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g,)


def _negate_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (-g,)


def add(a: Tensor, b: ArrayLike) -> Tensor:
    """``a + b`` with broadcasting."""
    if isinstance(b, _Scalar):
        return make_result(a.data + b, (a,), _identity_backward, (), "add")
    b = as_tensor(b, a)
    return make_result(a.data + b.data, (a, b), _add_backward, (), "add")


def sub(a: Tensor, b: ArrayLike) -> Tensor:
    """``a - b`` with broadcasting."""
    if isinstance(b, _Scalar):
        return make_result(a.data - b, (a,), _identity_backward, (), "sub")
    b = as_tensor(b, a)
    return make_result(a.data - b.data, (a, b), _sub_backward, (), "sub")


def rsub(a: Tensor, b: ArrayLike) -> Tensor:
    """``b - a`` where ``b`` is not a Tensor."""
    if isinstance(b, _Scalar):
        return make_result(b - a.data, (a,), _negate_backward, (), "rsub")
    return sub(as_tensor(b, a), a)


def neg(a: Tensor) -> Tensor:
    """``-a``."""
    return make_result(-a.data, (a,), _negate_backward, (), "neg")


# ----------------------------------------------------------------- mul / div


def _mul_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    needs = node.needs
    return (g * b if needs[0] else None, g * a if needs[1] else None)


def _scale_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g * node.args[0],)


def _div_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    needs = node.needs
    return (g / b if needs[0] else None, -g * a / (b * b) if needs[1] else None)


def _rdiv_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    # d(c / a)/da = -c / a**2 = -out / a
    return (-g * out / a,)


def mul(a: Tensor, b: ArrayLike) -> Tensor:
    """``a * b`` with broadcasting."""
    if isinstance(b, _Scalar):
        return make_result(a.data * b, (a,), _scale_backward, (b,), "mul")
    b = as_tensor(b, a)
    return make_result(a.data * b.data, (a, b), _mul_backward, (), "mul")


def div(a: Tensor, b: ArrayLike) -> Tensor:
    """``a / b`` with broadcasting (inf or nan where ``b`` is 0, as in NumPy)."""
    if isinstance(b, _Scalar):
        return make_result(a.data / b, (a,), _scale_backward, (1.0 / b,), "div")
    b = as_tensor(b, a)
    return make_result(a.data / b.data, (a, b), _div_backward, (), "div")


def rdiv(a: Tensor, b: ArrayLike) -> Tensor:
    """``b / a`` where ``b`` is not a Tensor."""
    if isinstance(b, _Scalar):
        return make_result(b / a.data, (a,), _rdiv_backward, (b,), "rdiv")
    return div(as_tensor(b, a), a)


# ---------------------------------------------------------------------- pow


def _pow_const_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    exponent = node.args[0]
    return (g * exponent * a ** (exponent - 1),)


def _rpow_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    # d(c ** a)/da = c ** a * log(c)
    return (g * out * float(np.log(node.args[0])),)


def _pow_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    needs = node.needs
    grad_a = g * b * a ** (b - 1) if needs[0] else None
    grad_b = None
    if needs[1]:
        # d(a ** b)/db = a ** b * log(a). Where a == 0 and b >= 0 the limit is 0
        # (as in PyTorch); where a < 0 it is undefined and comes out as nan.
        with np.errstate(divide="ignore", invalid="ignore"):
            grad_b = g * out * np.log(np.where(a == 0, 1.0, a))
    return grad_a, grad_b


def pow(a: Tensor, b: ArrayLike) -> Tensor:  # noqa: A001 - the operator's name
    """``a ** b`` with broadcasting; differentiable in both operands."""
    if isinstance(b, _Scalar):
        return make_result(a.data**b, (a,), _pow_const_backward, (b,), "pow")
    b = as_tensor(b, a)
    return make_result(a.data**b.data, (a, b), _pow_backward, (), "pow")


def rpow(a: Tensor, b: ArrayLike) -> Tensor:
    """``b ** a`` where ``b`` is not a Tensor."""
    if isinstance(b, _Scalar):
        return make_result(b**a.data, (a,), _rpow_backward, (b,), "rpow")
    return pow(as_tensor(b, a), a)


# ------------------------------------------------------------ unary functions


def _exp_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g * out,)


def _log_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g / a,)


def _sqrt_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g / (2 * out),)


def _tanh_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g * (1 - out * out),)


def _sigmoid_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g * out * (1 - out),)


def _relu_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g * (a > 0),)


def _abs_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g * np.sign(a),)


def exp(a: Tensor) -> Tensor:
    """Elementwise e**x."""
    with np.errstate(over="ignore"):
        return make_result(np.exp(a.data), (a,), _exp_backward, (), "exp")


def log(a: Tensor) -> Tensor:
    """Elementwise natural logarithm."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return make_result(np.log(a.data), (a,), _log_backward, (), "log")


def sqrt(a: Tensor) -> Tensor:
    """Elementwise square root."""
    with np.errstate(invalid="ignore"):
        return make_result(np.sqrt(a.data), (a,), _sqrt_backward, (), "sqrt")


def tanh(a: Tensor) -> Tensor:
    """Elementwise hyperbolic tangent."""
    return make_result(np.tanh(a.data), (a,), _tanh_backward, (), "tanh")


def sigmoid(a: Tensor) -> Tensor:
    """Elementwise logistic function, computed without overflow for large |x|."""
    x = a.data
    # 1 / (1 + e**-x) overflows e**-x for very negative x; e**x / (1 + e**x)
    # for positive x. Using e**-|x| in both halves never overflows.
    z = np.exp(-np.abs(x))
    data = np.where(x >= 0, 1 / (1 + z), z / (1 + z)).astype(x.dtype, copy=False)
    return make_result(data, (a,), _sigmoid_backward, (), "sigmoid")


def relu(a: Tensor) -> Tensor:
    """Elementwise max(x, 0)."""
    return make_result(np.maximum(a.data, 0), (a,), _relu_backward, (), "relu")


def abs(a: Tensor) -> Tensor:  # noqa: A001 - the method's name
    """Elementwise |x|."""
    return make_result(np.abs(a.data), (a,), _abs_backward, (), "abs")


def _astype_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g.astype(node.args[0]),)


def astype(a: Tensor, dtype: npt.DTypeLike) -> Tensor:
    """``a`` converted to ``dtype``; the gradient is converted back."""
    wanted = np.dtype(dtype)
    if wanted == a.dtype:
        return a
    if wanted.kind != "f":
        return Tensor(a.data.astype(wanted))
    return make_result(a.data.astype(wanted), (a,), _astype_backward, (a.dtype,), "astype")


__all__ = [
    "abs",
    "add",
    "as_tensor",
    "astype",
    "div",
    "exp",
    "log",
    "mul",
    "neg",
    "pow",
    "raw",
    "rdiv",
    "relu",
    "rpow",
    "rsub",
    "sigmoid",
    "sqrt",
    "sub",
    "tanh",
]
