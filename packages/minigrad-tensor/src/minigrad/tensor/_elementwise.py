"""Elementwise operations with NumPy broadcasting, and their backward rules.

Each backward rule has the signature ``rule(node, g, out, *inputs)`` and returns
one gradient per input (``None`` where ``node.needs`` says none is wanted).
The gradients come back in the broadcast shape; the engine sums them down to
each input's shape in one shared place (:mod:`minigrad.tensor._broadcast`).

A rule receives NumPy arrays in a plain backward pass and Tensors when the pass
is recorded (``create_graph=True``), so it only uses what both support. Where
NumPy has no function for a step (``sigmoid``, ``erf``), a small helper below
picks the array version or the Tensor operation.

Forward results follow NumPy, warnings included (``log(0)`` warns and gives
-inf); the backward pass runs with floating-point warnings off, since an
infinite gradient at a singular point is an answer, not an accident
(:func:`~minigrad.tensor.detect_anomaly` finds them).

A Python number on one side of an operator is not a graph node: it is kept
as a constant in ``node.args``, and the rule differentiates the tensor side only.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

from minigrad.tensor.autograd import BackwardRule, Node
from minigrad.tensor.tensor import ArrayLike, Tensor, make_result

# Python numbers are constants kept in node.args. NumPy scalars (np.float64 is a
# float subclass) go through as_tensor instead, which gives them the tensor's
# float dtype: NumPy would let an np.float64 promote a float32 tensor to float64.
_PY_NUMBERS = (int, float)


def raw(value: Any) -> Any:
    """The NumPy value behind ``value`` (a Tensor's data, or the value itself)."""
    return value.data if isinstance(value, Tensor) else value


def as_tensor(value: Any, like: Any = None) -> Tensor:
    """``value`` as a Tensor that records no graph (a constant operand).

    Non-ndarray data (Python lists and numbers, NumPy scalars) take the dtype
    of ``like`` when it is a floating Tensor, so ``float32_tensor + [1.0, 2]``
    stays float32; an ndarray keeps its dtype and promotes as in NumPy.
    """
    if isinstance(value, Tensor):
        return value
    array = np.asarray(value)
    if (
        isinstance(like, Tensor)
        and like.dtype.kind == "f"
        and array.dtype.kind in "biuf"
        and array.dtype != like.dtype
        and not isinstance(value, np.ndarray)
    ):
        array = array.astype(like.dtype)
    return Tensor(array)


def broadcast_error(op: str, a: Any, b: Any) -> ValueError:
    """The error for operands whose shapes do not broadcast, naming both shapes."""
    return ValueError(f"{op}: shapes {np.shape(a)} and {np.shape(b)} cannot be broadcast together")


def compare(ufunc: np.ufunc, a: Any, b: Any) -> Tensor:
    """A comparison ``ufunc`` on the data of ``a`` and ``b``: a boolean Tensor, no graph."""
    try:
        return Tensor(ufunc(raw(a), raw(b)))
    except ValueError:
        raise broadcast_error(ufunc.__name__, raw(a), raw(b)) from None


def logical(ufunc: np.ufunc, *operands: Any) -> Tensor:
    """A logical or bitwise ``ufunc`` (``~ & |``) on boolean or integer data, no graph."""
    arrays = [raw(x) for x in operands]
    for array in arrays:
        if np.asarray(array).dtype.kind == "f":
            raise TypeError(
                f"{ufunc.__name__}: needs boolean or integer tensors (masks), got dtype "
                f"{np.asarray(array).dtype}"
            )
    try:
        return Tensor(ufunc(*arrays))
    except ValueError:
        raise broadcast_error(ufunc.__name__, *arrays) from None


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
    if not isinstance(b, Tensor):  # Tensor operands, the common case, go straight on
        if isinstance(b, _PY_NUMBERS) and not isinstance(b, np.generic):
            return make_result(a.data + b, (a,), _identity_backward, (), "add")
        b = as_tensor(b, a)
    try:
        data = a.data + b.data
    except ValueError:
        raise broadcast_error("add", a, b) from None
    return make_result(data, (a, b), _add_backward, (), "add")


def sub(a: Tensor, b: ArrayLike) -> Tensor:
    """``a - b`` with broadcasting."""
    if not isinstance(b, Tensor):  # Tensor operands, the common case, go straight on
        if isinstance(b, _PY_NUMBERS) and not isinstance(b, np.generic):
            return make_result(a.data - b, (a,), _identity_backward, (), "sub")
        b = as_tensor(b, a)
    try:
        data = a.data - b.data
    except ValueError:
        raise broadcast_error("sub", a, b) from None
    return make_result(data, (a, b), _sub_backward, (), "sub")


def rsub(a: Tensor, b: ArrayLike) -> Tensor:
    """``b - a`` where ``b`` is not a Tensor."""
    if isinstance(b, _PY_NUMBERS) and not isinstance(b, np.generic):
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
    if not isinstance(b, Tensor):  # Tensor operands, the common case, go straight on
        if isinstance(b, _PY_NUMBERS) and not isinstance(b, np.generic):
            return make_result(a.data * b, (a,), _scale_backward, (b,), "mul")
        b = as_tensor(b, a)
    try:
        data = a.data * b.data
    except ValueError:
        raise broadcast_error("mul", a, b) from None
    return make_result(data, (a, b), _mul_backward, (), "mul")


def div(a: Tensor, b: ArrayLike) -> Tensor:
    """``a / b`` with broadcasting (inf or nan where ``b`` is 0, as in NumPy)."""
    if not isinstance(b, Tensor):  # Tensor operands, the common case, go straight on
        if isinstance(b, _PY_NUMBERS) and not isinstance(b, np.generic):
            return make_result(a.data / b, (a,), _scale_backward, (_reciprocal(b),), "div")
        b = as_tensor(b, a)
    try:
        data = a.data / b.data
    except ValueError:
        raise broadcast_error("div", a, b) from None
    return make_result(data, (a, b), _div_backward, (), "div")


def _reciprocal(b: float) -> float:
    return 1.0 / b if b != 0 else math.copysign(math.inf, b)


def rdiv(a: Tensor, b: ArrayLike) -> Tensor:
    """``b / a`` where ``b`` is not a Tensor."""
    if isinstance(b, _PY_NUMBERS) and not isinstance(b, np.generic):
        return make_result(b / a.data, (a,), _rdiv_backward, (b,), "rdiv")
    return div(as_tensor(b, a), a)


# ---------------------------------------------------------------------- pow


def _pow_const_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    exponent = node.args[0]
    if exponent == 2:
        return (g * 2 * a,)
    return (g * exponent * a ** (exponent - 1),)


def _rpow_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    # d(c ** a)/da = c ** a * log(c)
    return (g * out * math.log(node.args[0]),)


def _pow_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    needs = node.needs
    grad_a = g * b * a ** (b - 1) if needs[0] else None
    grad_b = None
    if needs[1]:
        # d(a ** b)/db = a ** b * log(a). Where a == 0 and b >= 0 the limit is 0
        # (as in PyTorch); where a < 0 it is undefined and comes out as nan.
        grad_b = g * out * np.log(np.where(a == 0, 1.0, a))
    return grad_a, grad_b


def pow(a: Tensor, b: ArrayLike) -> Tensor:
    """``a ** b`` with broadcasting; differentiable in both operands."""
    if isinstance(b, _PY_NUMBERS) and not isinstance(b, np.generic):
        return make_result(np.power(a.data, b), (a,), _pow_const_backward, (b,), "pow")
    b = as_tensor(b, a)
    try:
        data = np.power(a.data, b.data)
    except ValueError:
        raise broadcast_error("pow", a, b) from None
    return make_result(data, (a, b), _pow_backward, (), "pow")


def rpow(a: Tensor, b: ArrayLike) -> Tensor:
    """``b ** a`` where ``b`` is not a Tensor."""
    if isinstance(b, _PY_NUMBERS) and not isinstance(b, np.generic):
        if b <= 0:
            # c ** a for c <= 0 has no useful gradient: treat c as a tensor constant.
            return pow(as_tensor(b, a), a)
        return make_result(np.power(b, a.data), (a,), _rpow_backward, (b,), "rpow")
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
    """Elementwise e**x (inf where it overflows, with NumPy's warning)."""
    return make_result(np.exp(a.data), (a,), _exp_backward, (), "exp")


def log(a: Tensor) -> Tensor:
    """Elementwise natural logarithm (-inf at 0, nan below, with NumPy's warnings)."""
    return make_result(np.log(a.data), (a,), _log_backward, (), "log")


def sqrt(a: Tensor) -> Tensor:
    """Elementwise square root (nan below 0, with NumPy's warning)."""
    return make_result(np.sqrt(a.data), (a,), _sqrt_backward, (), "sqrt")


def tanh(a: Tensor) -> Tensor:
    """Elementwise hyperbolic tangent."""
    return make_result(np.tanh(a.data), (a,), _tanh_backward, (), "tanh")


def sigmoid_array(x: np.ndarray) -> np.ndarray:
    """The logistic function on an ndarray, without overflow for large |x|."""
    # 1 / (1 + e**-x) overflows e**-x for very negative x; e**x / (1 + e**x)
    # for positive x. Using e**-|x| in both halves never overflows.
    z = np.exp(-np.abs(x))
    result: np.ndarray = np.where(x >= 0, 1 / (1 + z), z / (1 + z)).astype(x.dtype, copy=False)
    return result


def _sigmoid_any(x: Any) -> Any:
    return sigmoid(x) if isinstance(x, Tensor) else sigmoid_array(x)


def sigmoid(a: Tensor) -> Tensor:
    """Elementwise logistic function, computed without overflow for large |x|."""
    return make_result(sigmoid_array(a.data), (a,), _sigmoid_backward, (), "sigmoid")


def relu(a: Tensor) -> Tensor:
    """Elementwise max(x, 0)."""
    return make_result(np.maximum(a.data, 0), (a,), _relu_backward, (), "relu")


def abs(a: Tensor) -> Tensor:
    """Elementwise |x|."""
    return make_result(np.abs(a.data), (a,), _abs_backward, (), "abs")


# ------------------------------------------------------------- activations


def _leaky_relu_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (np.where(a > 0, g, g * node.args[0]),)


def leaky_relu(a: Tensor, negative_slope: float = 0.01) -> Tensor:
    """Elementwise ``x if x > 0 else negative_slope * x``."""
    x = a.data
    data = np.where(x > 0, x, x * negative_slope)
    return make_result(data, (a,), _leaky_relu_backward, (negative_slope,), "leaky_relu")


_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715

# Numerical Recipes' erfc: t * exp(-z*z + P(t)), t = 1 / (1 + z/2), with a
# relative error below 1.2e-7, about float32's rounding error.
_ERFC_COEFFICIENTS = (
    0.17087277,
    -0.82215223,
    1.48851587,
    -1.13520398,
    0.27886807,
    -0.18628806,
    0.09678418,
    0.37409196,
    1.00002368,
    -1.26551223,
)
_erf_exact = np.frompyfunc(math.erf, 1, 1)


def erf_array(x: np.ndarray) -> np.ndarray:
    """The error function on an ndarray, to the precision of its dtype.

    float64 uses :func:`math.erf` element by element (exact, slower); smaller
    floats use a rational approximation accurate to float32 rounding.
    """
    if x.dtype == np.float64:
        result: np.ndarray = np.asarray(_erf_exact(x), dtype=np.float64)
        return result
    z = np.abs(x)
    t = 1 / (1 + 0.5 * z)
    poly = np.full_like(t, _ERFC_COEFFICIENTS[0])
    for c in _ERFC_COEFFICIENTS[1:]:
        poly = poly * t + c
    erfc = t * np.exp(-z * z + poly)
    result = np.asarray(np.sign(x) * (1 - erfc), dtype=x.dtype)
    return result


def _erf_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g * _TWO_OVER_SQRT_PI * np.exp(-(a * a)),)


def erf(a: Tensor) -> Tensor:
    """Elementwise error function (used by the exact ``gelu`` and its derivatives)."""
    return make_result(erf_array(a.data), (a,), _erf_backward, (), "erf")


def _erf_any(x: Any) -> Any:
    return erf(x) if isinstance(x, Tensor) else erf_array(x)


def _gelu_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    # d/dx x*Phi(x) = Phi(x) + x*phi(x)
    cdf = 0.5 * (1 + _erf_any(a * _SQRT_HALF))
    pdf = np.exp(-0.5 * (a * a)) * _INV_SQRT_2PI
    return (g * (cdf + a * pdf),)


def _gelu_tanh_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    t = np.tanh(_SQRT_2_OVER_PI * (a + _GELU_CUBIC * a * a * a))
    inner_grad = _SQRT_2_OVER_PI * (1 + 3 * _GELU_CUBIC * (a * a))
    return (g * (0.5 * (1 + t) + 0.5 * a * (1 - t * t) * inner_grad),)


def gelu(a: Tensor, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit ``x * Phi(x)``, as PyTorch's ``gelu``.

    ``approximate="none"`` (the default) uses the error function;
    ``approximate="tanh"`` uses ``0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x**3)))``.
    """
    x = a.data
    if approximate == "none":
        data = 0.5 * x * (1 + erf_array(x * _SQRT_HALF))
        return make_result(data, (a,), _gelu_backward, (), "gelu")
    if approximate == "tanh":
        data = 0.5 * x * (1 + np.tanh(_SQRT_2_OVER_PI * (x + _GELU_CUBIC * x * x * x)))
        return make_result(data, (a,), _gelu_tanh_backward, (), "gelu")
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def _softplus_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    beta, threshold = node.args
    scaled = a * beta
    return (np.where(scaled > threshold, g, g * _sigmoid_any(scaled)),)


def softplus(a: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """Elementwise ``log(1 + exp(beta * x)) / beta``, and ``x`` where ``beta * x > threshold``.

    As PyTorch's ``softplus``; computed without overflow for any ``x``.
    """
    if beta <= 0:
        raise ValueError(f"softplus: beta must be positive, got {beta}")
    x = a.data
    scaled = x * beta
    smooth = (np.log1p(np.exp(-np.abs(scaled))) + np.maximum(scaled, 0)) / beta
    data = np.where(scaled > threshold, x, smooth).astype(x.dtype, copy=False)
    return make_result(data, (a,), _softplus_backward, (beta, threshold), "softplus")


# ------------------------------------------------------ clip / maximum / minimum


def _clip_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    low, high = node.args
    inside = None
    if low is not None:
        inside = a >= low
    if high is not None:
        below_high = a <= high
        inside = below_high if inside is None else inside & below_high
    return (g if inside is None else np.where(inside, g, 0),)


def clip(a: Tensor, min: ArrayLike | None = None, max: ArrayLike | None = None) -> Tensor:
    """Limit values to ``[min, max]``; the gradient is 1 inside (bounds included), 0 outside.

    The bounds are constants (numbers or arrays); either may be None.
    """
    low = None if min is None else raw(min)
    high = None if max is None else raw(max)
    if low is None and high is None:
        raise ValueError("clip: give at least one of min and max")
    try:
        data = np.clip(a.data, low, high)
    except ValueError:
        raise broadcast_error("clip", a, low if high is None else high) from None
    if data.dtype != a.dtype and a.dtype.kind == "f":
        data = data.astype(a.dtype)
    return make_result(data, (a,), _clip_backward, (low, high), "clip")


def _maximum_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return _choice_gradients(node, g, a > b, a == b)


def _minimum_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return _choice_gradients(node, g, a < b, a == b)


def _choice_gradients(node: Node, g: Any, a_wins: Any, tie: Any) -> tuple[Any, Any]:
    needs = node.needs
    half = g * 0.5
    grad_a = np.where(a_wins, g, np.where(tie, half, 0)) if needs[0] else None
    grad_b = np.where(a_wins, 0, np.where(tie, half, g)) if needs[1] else None
    return grad_a, grad_b


def _maximum_const_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    c = node.args[0]
    return (np.where(a > c, g, np.where(a == c, g * 0.5, 0)),)


def _minimum_const_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    c = node.args[0]
    return (np.where(a < c, g, np.where(a == c, g * 0.5, 0)),)


def maximum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Elementwise larger of ``a`` and ``b`` with broadcasting.

    Where the two are equal, each gets half of the gradient (as in PyTorch).

    Example:
        >>> from minigrad.tensor import Tensor, maximum
        >>> maximum(Tensor([1.0, 5.0]), 2.0).tolist()
        [2.0, 5.0]
    """
    return _pick(a, b, np.maximum, _maximum_backward, _maximum_const_backward, "maximum")


def minimum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Elementwise smaller of ``a`` and ``b`` with broadcasting.

    Where the two are equal, each gets half of the gradient (as in PyTorch).

    Example:
        >>> from minigrad.tensor import Tensor, minimum
        >>> minimum(Tensor([1.0, 5.0]), 2.0).tolist()
        [1.0, 2.0]
    """
    return _pick(a, b, np.minimum, _minimum_backward, _minimum_const_backward, "minimum")


def _pick(
    a: ArrayLike,
    b: ArrayLike,
    choose: np.ufunc,
    rule: BackwardRule,
    constant_rule: BackwardRule,
    name: str,
) -> Tensor:
    """``maximum`` or ``minimum``: a Python number on either side stays a constant."""
    if not isinstance(a, Tensor):
        if isinstance(b, Tensor):
            return _pick(b, a, choose, rule, constant_rule, name)  # both commute
        a = as_tensor(a)
    if isinstance(b, _PY_NUMBERS) and not isinstance(b, np.generic):
        return make_result(choose(a.data, b), (a,), constant_rule, (b,), name)
    b = as_tensor(b, a)
    try:
        data = choose(a.data, b.data)
    except ValueError:
        raise broadcast_error(name, a, b) from None
    return make_result(data, (a, b), rule, (), name)


# -------------------------------------------------------------------- dtype


def _astype_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g.astype(node.args[0]),)


def astype(a: Tensor, dtype: npt.DTypeLike) -> Tensor:
    """``a`` converted to ``dtype``; the gradient is converted back."""
    wanted = np.dtype(dtype)
    if wanted == a.dtype:
        return a
    if wanted.kind != "f" or a.dtype.kind != "f":
        return Tensor(a.data.astype(wanted))
    return make_result(a.data.astype(wanted), (a,), _astype_backward, (a.dtype,), "astype")


__all__ = [
    "abs",
    "add",
    "as_tensor",
    "astype",
    "broadcast_error",
    "clip",
    "compare",
    "div",
    "erf",
    "erf_array",
    "exp",
    "gelu",
    "leaky_relu",
    "log",
    "logical",
    "maximum",
    "minimum",
    "mul",
    "neg",
    "pow",
    "raw",
    "rdiv",
    "relu",
    "rpow",
    "rsub",
    "sigmoid",
    "sigmoid_array",
    "softplus",
    "sqrt",
    "sub",
    "tanh",
]
