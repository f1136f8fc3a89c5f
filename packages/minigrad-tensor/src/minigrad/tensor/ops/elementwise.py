"""Elementwise operations with NumPy broadcasting, each with its backward rule.

Every op is an :class:`~minigrad.tensor.autograd.op.Op` constant (a forward on
arrays, a backward rule) and a Tensor-facing function that checks its
arguments and calls :func:`~minigrad.tensor.autograd.record.apply`. The rules
return gradients in the broadcast shape; the engine sums them down to each
input's shape in one shared place (:mod:`minigrad.tensor.autograd.broadcast`).

A rule receives NumPy arrays in a plain backward pass and Tensors when the pass
is recorded (``create_graph=True``), so it only uses what both support. Where
NumPy has no function for a step (``sigmoid``, ``erf``), a small helper below
picks the array version or the Tensor operation.

Forward results follow NumPy, warnings included (``log(0)`` warns and gives
-inf); :func:`~minigrad.tensor.detect_anomaly` turns nan and inf into errors.

A Python number on one side of an operator is not a graph node: it is a
constant in the op's ``args``, and the rule differentiates the tensor side only.

Adding a one-input op takes three lines here (see CONTRIBUTING.md): its
``Op`` with a ``ScalarRule``, ``define_elementwise``, and its name in
:class:`ElementwiseMethods` at the bottom.
"""

from __future__ import annotations

import builtins
import math
import operator
from typing import Any

import numpy as np
import numpy.typing as npt

from minigrad.tensor._erf import erf as fast_erf
from minigrad.tensor._erf import gelu_exact, gelu_exact_backward
from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op, ScalarRule
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.ops.operands import as_tensor, broadcast_error, is_py_number, raw
from minigrad.tensor.ops.registry import answer_numpy, define_elementwise, install_methods
from minigrad.tensor.tensor import ArrayLike, Tensor

__all__ = [
    "ElementwiseMethods",
    "abs",
    "add",
    "astype",
    "clip",
    "cos",
    "div",
    "erf",
    "erf_array",
    "exp",
    "gelu",
    "leaky_relu",
    "log",
    "maximum",
    "minimum",
    "mul",
    "neg",
    "pow",
    "rdiv",
    "relu",
    "rpow",
    "rsub",
    "sigmoid",
    "sigmoid_array",
    "sin",
    "softplus",
    "sqrt",
    "sub",
    "tanh",
]


def _binary(op: Op, constant_op: Op, a: Tensor, b: ArrayLike) -> Tensor:
    """``op`` on two tensors, or ``constant_op`` when ``b`` is a Python number.

    ``add sub mul div`` spell this out instead of calling it: the extra call
    costs about 0.05 us, 5% of a small ``a + b`` (benchmark W3a measured 1.14x
    the engine before ops became Op objects with the call, 1.08x without).
    """
    if not isinstance(b, Tensor):  # Tensor operands, the common case, go straight on
        if is_py_number(b):
            return apply(constant_op, (a,), (b,))
        b = as_tensor(b, a)
    try:
        return apply(op, (a, b))
    except ValueError:
        raise broadcast_error(op.name, a, b) from None


# ----------------------------------------------------------------- add / sub


def _add_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return g, g


def _sub_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return g, (-g if node.needs[1] else None)


def _identity_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g,)


def _negate_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (-g,)


ADD = Op("add", operator.add, _add_backward, reads_inputs=False)
ADD_CONSTANT = Op("add", operator.add, _identity_backward, reads_inputs=False)
SUB = Op("sub", operator.sub, _sub_backward, reads_inputs=False)
SUB_CONSTANT = Op("sub", operator.sub, _identity_backward, reads_inputs=False)
RSUB_CONSTANT = Op("rsub", lambda x, c: c - x, _negate_backward, reads_inputs=False)
NEG = Op("neg", operator.neg, _negate_backward, reads_inputs=False)


def add(a: Tensor, b: ArrayLike) -> Tensor:
    """``a + b`` with broadcasting."""
    if not isinstance(b, Tensor):  # see _binary
        if is_py_number(b):
            return apply(ADD_CONSTANT, (a,), (b,))
        b = as_tensor(b, a)
    try:
        return apply(ADD, (a, b))
    except ValueError:
        raise broadcast_error("add", a, b) from None


def sub(a: Tensor, b: ArrayLike) -> Tensor:
    """``a - b`` with broadcasting."""
    if not isinstance(b, Tensor):  # see _binary
        if is_py_number(b):
            return apply(SUB_CONSTANT, (a,), (b,))
        b = as_tensor(b, a)
    try:
        return apply(SUB, (a, b))
    except ValueError:
        raise broadcast_error("sub", a, b) from None


def rsub(a: Tensor, b: ArrayLike) -> Tensor:
    """``b - a`` where ``b`` is not a Tensor."""
    if is_py_number(b):
        return apply(RSUB_CONSTANT, (a,), (b,))
    return sub(as_tensor(b, a), a)


def neg(a: Tensor) -> Tensor:
    """``-a``."""
    return apply(NEG, (a,))


# ----------------------------------------------------------------- mul / div


def _mul_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    needs = node.needs
    return (g * b if needs[0] else None, g * a if needs[1] else None)


def _scale_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g * node.args[0],)


def _div_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    needs = node.needs
    return (g / b if needs[0] else None, -g * a / (b * b) if needs[1] else None)


def _reciprocal(b: float) -> float:
    return 1.0 / b if b != 0 else math.copysign(math.inf, b)


def _div_constant_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g * _reciprocal(node.args[0]),)


def _rdiv_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    # d(c / a)/da = -c / a**2 = -out / a
    return (-g * out / a,)


MUL = Op("mul", operator.mul, _mul_backward)
MUL_CONSTANT = Op("mul", operator.mul, _scale_backward, reads_inputs=False)
DIV = Op("div", operator.truediv, _div_backward)
DIV_CONSTANT = Op("div", operator.truediv, _div_constant_backward, reads_inputs=False)
RDIV_CONSTANT = Op("rdiv", lambda x, c: c / x, _rdiv_backward)


def mul(a: Tensor, b: ArrayLike) -> Tensor:
    """``a * b`` with broadcasting."""
    if not isinstance(b, Tensor):  # see _binary
        if is_py_number(b):
            return apply(MUL_CONSTANT, (a,), (b,))
        b = as_tensor(b, a)
    try:
        return apply(MUL, (a, b))
    except ValueError:
        raise broadcast_error("mul", a, b) from None


def div(a: Tensor, b: ArrayLike) -> Tensor:
    """``a / b`` with broadcasting (inf or nan where ``b`` is 0, as in NumPy)."""
    if not isinstance(b, Tensor):  # see _binary
        if is_py_number(b):
            return apply(DIV_CONSTANT, (a,), (b,))
        b = as_tensor(b, a)
    try:
        return apply(DIV, (a, b))
    except ValueError:
        raise broadcast_error("div", a, b) from None


def rdiv(a: Tensor, b: ArrayLike) -> Tensor:
    """``b / a`` where ``b`` is not a Tensor."""
    if is_py_number(b):
        return apply(RDIV_CONSTANT, (a,), (b,))
    return div(as_tensor(b, a), a)


# ---------------------------------------------------------------------- pow


def _pow_constant_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
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


POW = Op("pow", np.power, _pow_backward)
POW_CONSTANT = Op("pow", np.power, _pow_constant_backward)
RPOW_CONSTANT = Op("rpow", lambda x, c: np.power(c, x), _rpow_backward)


def pow(a: Tensor, b: ArrayLike) -> Tensor:
    """``a ** b`` with broadcasting; differentiable in both operands."""
    return _binary(POW, POW_CONSTANT, a, b)


def rpow(a: Tensor, b: ArrayLike) -> Tensor:
    """``b ** a`` where ``b`` is not a Tensor."""
    if is_py_number(b) and b > 0:
        return apply(RPOW_CONSTANT, (a,), (b,))
    # c ** a for c <= 0 has no useful gradient in c: treat c as a tensor constant.
    return pow(as_tensor(b, a), a)


# ------------------------------------------------------------ unary functions


def sigmoid_array(x: np.ndarray) -> np.ndarray:
    """The logistic function on an ndarray, without overflow for large |x|."""
    # 1 / (1 + e**-x) overflows e**-x for very negative x; e**x / (1 + e**x)
    # for positive x. Using e**-|x| in both halves never overflows.
    z = np.exp(-np.abs(x))
    result: np.ndarray = np.where(x >= 0, 1 / (1 + z), z / (1 + z)).astype(x.dtype, copy=False)
    return result


def _sigmoid_number(x: float) -> float:
    z = math.exp(-builtins.abs(x))
    return 1 / (1 + z) if x >= 0 else z / (1 + z)


exp = define_elementwise(
    Op(
        "exp",
        np.exp,
        lambda node, g, out, a: (g * out,),
        ScalarRule(math.exp, math.exp),
        reads_inputs=False,
    ),
    "Elementwise e**x (inf where it overflows, with NumPy's warning).",
)
log = define_elementwise(
    Op("log", np.log, lambda node, g, out, a: (g / a,), ScalarRule(math.log, lambda x: 1 / x)),
    "Elementwise natural logarithm (-inf at 0, nan below, with NumPy's warnings).",
)
sqrt = define_elementwise(
    Op(
        "sqrt",
        np.sqrt,
        lambda node, g, out, a: (g / (2 * out),),
        ScalarRule(math.sqrt, lambda x: 0.5 / math.sqrt(x)),
    ),
    "Elementwise square root (nan below 0, with NumPy's warning).",
)
tanh = define_elementwise(
    Op(
        "tanh",
        np.tanh,
        lambda node, g, out, a: (g * (1 - out * out),),
        ScalarRule(math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    ),
    "Elementwise hyperbolic tangent.",
)
sigmoid = define_elementwise(
    Op(
        "sigmoid",
        sigmoid_array,
        lambda node, g, out, a: (g * out * (1 - out),),
        ScalarRule(_sigmoid_number, lambda x: _sigmoid_number(x) * (1 - _sigmoid_number(x))),
    ),
    "Elementwise logistic function 1 / (1 + e**-x), computed without overflow for large |x|.",
)
relu = define_elementwise(
    Op(
        "relu",
        lambda x: np.maximum(x, 0),
        lambda node, g, out, a: (g * (a > 0),),
        ScalarRule(lambda x: max(x, 0.0), lambda x: 1.0 if x > 0 else 0.0),
    ),
    "Elementwise max(x, 0); its gradient at 0 is 0.",
)
abs = define_elementwise(
    Op(
        "abs",
        np.abs,
        lambda node, g, out, a: (g * np.sign(a),),
        ScalarRule(builtins.abs, lambda x: float(np.sign(x))),
    ),
    "Elementwise |x|; its gradient at 0 is 0.",
)

sin = define_elementwise(
    Op("sin", np.sin, lambda node, g, out, a: (g * np.cos(a),), ScalarRule(math.sin, math.cos)),
    "Elementwise sine (of radians); its derivative is the cosine.",
)
cos = define_elementwise(
    Op(
        "cos",
        np.cos,
        lambda node, g, out, a: (-g * np.sin(a),),
        ScalarRule(math.cos, lambda x: -math.sin(x)),
    ),
    "Elementwise cosine (of radians); its derivative is minus the sine.",
)


# ------------------------------------------------------------- activations


def _leaky_relu_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (np.where(a > 0, g, g * node.args[0]),)


LEAKY_RELU = Op("leaky_relu", lambda x, slope: np.where(x > 0, x, x * slope), _leaky_relu_backward)


def leaky_relu(a: Tensor, negative_slope: float = 0.01) -> Tensor:
    """Elementwise ``x if x > 0 else negative_slope * x`` (gradient at 0: the slope)."""
    return apply(LEAKY_RELU, (a,), (negative_slope,))


_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_GELU_CUBIC = 0.044715


def erf_array(x: np.ndarray) -> np.ndarray:
    """The error function on an ndarray, to a few ulp of its dtype (see ``minigrad.tensor._erf``).

    float64 follows Cephes (within 4 ulp of :func:`math.erf`); float32 is computed in
    float32 to float32 accuracy. Whole-array NumPy operations, no Python loop.
    """
    return fast_erf(x)


erf = define_elementwise(
    Op(
        "erf",
        erf_array,
        lambda node, g, out, a: (g * _TWO_OVER_SQRT_PI * np.exp(-(a * a)),),
        ScalarRule(math.erf, lambda x: _TWO_OVER_SQRT_PI * math.exp(-x * x)),
    ),
    "Elementwise error function (used by the exact ``gelu`` and its derivatives).",
)


def _erf_any(x: Any) -> Any:
    return erf(x) if isinstance(x, Tensor) else erf_array(x)


def _sigmoid_any(x: Any) -> Any:
    return sigmoid(x) if isinstance(x, Tensor) else sigmoid_array(x)


def _gelu_grad_from_output(g: np.ndarray, out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``g * (Phi(x) + x phi(x))``, with ``Phi(x) = gelu(x) / x`` read off the forward's result.

    Only ``phi`` (one ``exp``) is computed anew; at ``x = 0`` Phi is 1/2. Infinite inputs
    take the path that computes everything (``inf / inf`` has no value).
    """
    if x.size and not (np.isfinite(x.max()) and np.isfinite(x.min())):
        return gelu_exact_backward(g, x)
    if x.size == 0:
        return np.zeros_like(x)
    shape = x.shape
    # 1-d views: in-place NumPy operations on 0-d arrays give scalars.
    g, out, x = np.reshape(g, -1), np.reshape(out, -1), x.reshape(-1)
    if x.all():
        result: np.ndarray = np.divide(out, x)
    else:  # an exact 0 (rare): Phi(0) = 1/2, where the quotient is 0/0
        result = np.full_like(x, 0.5)
        np.divide(out, x, out=result, where=x != 0)
    pdf = np.multiply(x, x)
    pdf *= -0.5
    np.exp(pdf, out=pdf)
    pdf *= x
    pdf *= x.dtype.type(_INV_SQRT_2PI)
    result += pdf
    result *= g
    return result.reshape(shape)


def _gelu_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    if isinstance(a, np.ndarray):
        return (_gelu_grad_from_output(g, out, a),)
    # Recorded (create_graph): d/dx x*Phi(x) = Phi(x) + x*phi(x), from recorded ops.
    cdf = 0.5 * (1 + _erf_any(a * _SQRT_HALF))
    pdf = np.exp(-0.5 * (a * a)) * _INV_SQRT_2PI
    return (g * (cdf + a * pdf),)


def _gelu_tanh_forward(x: np.ndarray) -> Any:
    return 0.5 * x * (1 + np.tanh(_SQRT_2_OVER_PI * (x + _GELU_CUBIC * x * x * x)))


def _gelu_tanh_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    t = np.tanh(_SQRT_2_OVER_PI * (a + _GELU_CUBIC * a * a * a))
    inner_grad = _SQRT_2_OVER_PI * (1 + 3 * _GELU_CUBIC * (a * a))
    return (g * (0.5 * (1 + t) + 0.5 * a * (1 - t * t) * inner_grad),)


GELU = Op("gelu", gelu_exact, _gelu_backward)
GELU_TANH = Op("gelu", _gelu_tanh_forward, _gelu_tanh_backward)


def gelu(a: Tensor, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit ``x * Phi(x)``, as PyTorch's ``gelu``.

    ``approximate="none"`` (the default) uses the error function;
    ``approximate="tanh"`` uses ``0.5x(1 + tanh(sqrt(2/pi)(x + 0.044715x**3)))``.
    """
    if approximate == "none":
        return apply(GELU, (a,))
    if approximate == "tanh":
        return apply(GELU_TANH, (a,))
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")


def _softplus_forward(x: np.ndarray, beta: float, threshold: float) -> np.ndarray:
    scaled = x * beta
    smooth = (np.log1p(np.exp(-np.abs(scaled))) + np.maximum(scaled, 0)) / beta
    result: np.ndarray = np.where(scaled > threshold, x, smooth).astype(x.dtype, copy=False)
    return result


def _softplus_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    beta, threshold = node.args
    scaled = a * beta
    return (np.where(scaled > threshold, g, g * _sigmoid_any(scaled)),)


SOFTPLUS = Op("softplus", _softplus_forward, _softplus_backward)


def softplus(a: Tensor, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """Elementwise ``log(1 + exp(beta * x)) / beta``, and ``x`` where ``beta * x > threshold``.

    As PyTorch's ``softplus``; computed without overflow for any ``x``.
    """
    if beta <= 0:
        raise ValueError(f"softplus: beta must be positive, got {beta}")
    return apply(SOFTPLUS, (a,), (beta, threshold))


# ------------------------------------------------------ clip / maximum / minimum


def _clip_forward(x: np.ndarray, low: Any, high: Any) -> np.ndarray:
    data: np.ndarray = np.clip(x, low, high)
    if data.dtype != x.dtype and x.dtype.kind == "f":
        data = data.astype(x.dtype)
    return data


def _clip_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    low, high = node.args
    inside = None
    if low is not None:
        inside = a >= low
    if high is not None:
        below_high = a <= high
        inside = below_high if inside is None else inside & below_high
    return (g if inside is None else np.where(inside, g, 0),)


CLIP = Op("clip", _clip_forward, _clip_backward)


def clip(a: Tensor, min: ArrayLike | None = None, max: ArrayLike | None = None) -> Tensor:
    """Limit values to ``[min, max]``; the gradient is 1 inside (bounds included), 0 outside.

    The bounds are constants (numbers or arrays); either may be None.
    """
    low = None if min is None else raw(min)
    high = None if max is None else raw(max)
    if low is None and high is None:
        raise ValueError("clip: give at least one of min and max")
    try:
        return apply(CLIP, (a,), (low, high))
    except ValueError:
        raise broadcast_error("clip", a, low if high is None else high) from None


def _choice_gradients(node: Node, g: Any, a_wins: Any, tie: Any) -> tuple[Any, Any]:
    needs = node.needs
    half = g * 0.5
    grad_a = np.where(a_wins, g, np.where(tie, half, 0)) if needs[0] else None
    grad_b = np.where(a_wins, 0, np.where(tie, half, g)) if needs[1] else None
    return grad_a, grad_b


def _maximum_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return _choice_gradients(node, g, a > b, a == b)


def _minimum_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return _choice_gradients(node, g, a < b, a == b)


def _maximum_constant_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    c = node.args[0]
    return (np.where(a > c, g, np.where(a == c, g * 0.5, 0)),)


def _minimum_constant_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    c = node.args[0]
    return (np.where(a < c, g, np.where(a == c, g * 0.5, 0)),)


MAXIMUM = Op("maximum", np.maximum, _maximum_backward)
MAXIMUM_CONSTANT = Op("maximum", np.maximum, _maximum_constant_backward)
MINIMUM = Op("minimum", np.minimum, _minimum_backward)
MINIMUM_CONSTANT = Op("minimum", np.minimum, _minimum_constant_backward)


def _pick(a: ArrayLike, b: ArrayLike, op: Op, constant_op: Op) -> Tensor:
    """``maximum`` or ``minimum``: a Python number on either side stays a constant."""
    if not isinstance(a, Tensor):
        if isinstance(b, Tensor):
            return _pick(b, a, op, constant_op)  # both commute
        a = as_tensor(a)
    return _binary(op, constant_op, a, b)


def maximum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Elementwise larger of ``a`` and ``b`` with broadcasting.

    Where the two are equal, each gets half of the gradient (as in PyTorch).

    Example:
        >>> from minigrad.tensor import Tensor, maximum
        >>> maximum(Tensor([1.0, 5.0]), 2.0).tolist()
        [2.0, 5.0]
    """
    return _pick(a, b, MAXIMUM, MAXIMUM_CONSTANT)


def minimum(a: ArrayLike, b: ArrayLike) -> Tensor:
    """Elementwise smaller of ``a`` and ``b`` with broadcasting.

    Where the two are equal, each gets half of the gradient (as in PyTorch).

    Example:
        >>> from minigrad.tensor import Tensor, minimum
        >>> minimum(Tensor([1.0, 5.0]), 2.0).tolist()
        [1.0, 2.0]
    """
    return _pick(a, b, MINIMUM, MINIMUM_CONSTANT)


# -------------------------------------------------------------------- dtype


def _astype_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    return (g.astype(a.dtype),)


ASTYPE = Op("astype", lambda x, dtype: x.astype(dtype), _astype_backward, reads_inputs=False)
CAST = Op("astype", lambda x, dtype: x.astype(dtype))  # to or from a non-float type: no gradient


def astype(a: Tensor, dtype: npt.DTypeLike) -> Tensor:
    """``a`` converted to ``dtype``; between float types the gradient is converted back."""
    wanted = np.dtype(dtype)
    if wanted == a.dtype:
        return a
    if wanted.kind != "f" or a.dtype.kind != "f":
        return apply(CAST, (a,), (wanted,))
    return apply(ASTYPE, (a,), (wanted,))


def _float32(a: Tensor) -> Tensor:
    """The tensor as float32."""
    return astype(a, np.float32)


def _float64(a: Tensor) -> Tensor:
    """The tensor as float64."""
    return astype(a, np.float64)


def _positive(a: Tensor) -> Tensor:
    """``+a``: the tensor itself."""
    return a


# ------------------------------------------------------------ registration


def _as_operands(function: Any) -> Any:
    return lambda a, b: function(as_tensor(a, b), b)


answer_numpy(np.add, _as_operands(add))
answer_numpy(np.subtract, _as_operands(sub))
answer_numpy(np.multiply, _as_operands(mul))
answer_numpy(np.true_divide, _as_operands(div))
answer_numpy(np.power, _as_operands(pow))
answer_numpy(np.maximum, _as_operands(maximum))
answer_numpy(np.minimum, _as_operands(minimum))
answer_numpy(np.negative, lambda a: neg(as_tensor(a)))
answer_numpy(np.positive, lambda a: as_tensor(a))
ZEROS_LIKE = Op("zeros_like", lambda x, dtype: np.zeros_like(x, dtype=dtype))
ONES_LIKE = Op("ones_like", lambda x, dtype: np.ones_like(x, dtype=dtype))
answer_numpy(np.zeros_like, lambda a, dtype=None: apply(ZEROS_LIKE, (as_tensor(a),), (dtype,)))
answer_numpy(np.ones_like, lambda a, dtype=None: apply(ONES_LIKE, (as_tensor(a),), (dtype,)))
answer_numpy(np.clip, lambda a, a_min=None, a_max=None: clip(as_tensor(a), a_min, a_max))


class ElementwiseMethods:
    """The Tensor methods of this module, installed on Tensor below."""

    __add__ = add
    __radd__ = add
    __sub__ = sub
    __rsub__ = rsub
    __mul__ = mul
    __rmul__ = mul
    __truediv__ = div
    __rtruediv__ = rdiv
    __pow__ = pow
    __rpow__ = rpow
    __neg__ = neg
    __pos__ = _positive
    __abs__ = abs
    exp = exp
    log = log
    sqrt = sqrt
    tanh = tanh
    sigmoid = sigmoid
    relu = relu
    abs = abs
    sin = sin
    cos = cos
    leaky_relu = leaky_relu
    gelu = gelu
    softplus = softplus
    clip = clip
    maximum = maximum
    minimum = minimum
    astype = astype
    float = _float32
    double = _float64


install_methods(ElementwiseMethods)
