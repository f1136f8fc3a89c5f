"""The :class:`Tensor`: a NumPy array that records how it was computed.

The operations themselves live in small modules by kind (``_elementwise``,
``_reduction``, ``_softmax``, ``_shape``, ``_indexing``, ``_linalg``,
``_join``); the methods here are their public face, with the same names as
:class:`minigrad.scalar.Value` wherever an operation makes sense for a number.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator, Sequence
from typing import Any, SupportsIndex, Union

import numpy as np
import numpy.typing as npt

from minigrad.tensor import autograd
from minigrad.tensor.autograd import BackwardRule, Node, _state

__all__ = ["ArrayLike", "Axis", "Tensor", "make_result"]

# Python numbers are listed on their own: NumPy's ArrayLike spells them as
# ``complex``, which would make mypy believe ``isinstance(x, float)`` never holds.
ArrayLike = Union["Tensor", bool, int, float, npt.ArrayLike]
Axis = int | tuple[int, ...] | None
ShapeArgs = SupportsIndex | Sequence[SupportsIndex]

_FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def _to_array(data: Any, dtype: npt.DTypeLike | None) -> np.ndarray:
    """Convert constructor input to an ndarray with MiniGrad's dtype defaults."""
    if isinstance(data, Tensor):
        data = data.data
    if dtype is not None:
        wanted = np.dtype(dtype)
        if wanted.kind not in "fiub":
            raise TypeError(f"Tensor: dtype must be a float, int or bool type, got {wanted}")
        return np.asarray(data, dtype=wanted)
    if isinstance(data, np.ndarray):
        array = data
    else:
        if isinstance(data, (str, bytes)) or data is None:
            raise TypeError(
                f"Tensor: expected a number, a nested list of numbers or an ndarray, "
                f"got {type(data).__name__}"
            )
        array = np.asarray(data)
        if array.dtype.kind == "f" and not isinstance(data, np.generic):
            # Python floats become float32, the default of deep-learning code.
            array = array.astype(np.float32)
    if array.dtype.kind in "fiub":
        return array
    raise TypeError(
        f"Tensor: expected real numbers (float, int or bool data), got dtype {array.dtype}"
        + (" (ragged nested lists?)" if array.dtype == object else "")
    )


class Tensor:
    """An n-dimensional array with reverse-mode automatic differentiation.

    Args:
        data: a number, nested lists of numbers or an ndarray (shared, not copied).
        requires_grad: record operations on this tensor so that ``backward()``
            can compute its gradient. Only floating tensors can require it.
        dtype: the NumPy dtype to store. Python floats default to float32; an
            ndarray keeps its own dtype (so float64 stays float64).

    Example:
        >>> from minigrad.tensor import Tensor
        >>> a = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
        >>> loss = (a * a).sum()
        >>> loss.backward()
        >>> a.grad
        array([[2., 4.],
               [6., 8.]], dtype=float32)
    """

    __slots__ = ("__weakref__", "_node", "data", "grad", "requires_grad")

    # NumPy defers to Tensor in mixed expressions (``array * tensor``) and
    # dispatches its ufuncs and functions to the methods below.
    __array_priority__ = 1000.0

    data: np.ndarray
    grad: np.ndarray | None
    requires_grad: bool
    _node: Node | None

    def __init__(
        self,
        data: Any,
        requires_grad: bool = False,
        dtype: npt.DTypeLike | None = None,
    ) -> None:
        self.data = _to_array(data, dtype)
        self.grad = None
        self._node = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    # ------------------------------------------------------------------ basics

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of the data, as in NumPy."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.data.ndim

    @property
    def size(self) -> int:
        """The number of elements."""
        return self.data.size

    @property
    def dtype(self) -> np.dtype[Any]:
        """The NumPy dtype of the data."""
        return self.data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user rather than by an operation that records a graph."""
        return self._node is None

    @property
    def grad_fn(self) -> Node | None:
        """The graph node that produced this tensor (None for a leaf)."""
        return self._node

    @property
    def T(self) -> Tensor:
        """The tensor with its axes reversed (``permute`` of all axes backwards)."""
        return _shape.permute(self, tuple(range(self.ndim - 1, -1, -1)))

    def numpy(self) -> np.ndarray:
        """The data as an ndarray (the same memory, not a copy)."""
        return self.data

    # builtins.float: in the class body, `float` also names the method Tensor.float,
    # which is what tools that evaluate annotations (pdoc) would find.
    def item(self) -> builtins.float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(
                f"item: only one-element tensors convert to a number, got shape {self.shape}"
            )
        value: float | int | bool = self.data.item()
        return value

    def tolist(self) -> Any:
        """The data as (nested) Python lists, or a number for a 0-d tensor."""
        return self.data.tolist()

    def __array__(self, dtype: npt.DTypeLike | None = None, copy: bool | None = None) -> np.ndarray:
        if dtype is None:
            return self.data if not copy else self.data.copy()
        return np.array(self.data, dtype=dtype, copy=copy)

    def __len__(self) -> int:
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    def __bool__(self) -> bool:
        if self.data.size != 1:
            raise ValueError(
                f"the truth value of a tensor with {self.data.size} elements is ambiguous; "
                "use .any() or .all()"
            )
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.item())

    def __int__(self) -> int:
        return int(self.item())

    def __index__(self) -> int:
        if self.dtype.kind not in "iu" or self.data.size != 1:
            raise TypeError(
                f"only one-element integer tensors can be used as an index, got {self!r}"
            )
        return int(self.data)

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extra = f", dtype={self.dtype}"
        if self._node is not None:
            extra += f", grad_fn={self._node.name}"
        elif self.requires_grad:
            extra += ", requires_grad=True"
        return f"Tensor({body}{extra})"

    def any(self) -> bool:
        """Whether any element is true (non-zero)."""
        return bool(self.data.any())

    def all(self) -> bool:
        """Whether every element is true (non-zero)."""
        return bool(self.data.all())

    # --------------------------------------------------------------- autograd

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` on a leaf in place and return the tensor."""
        if not self.is_leaf:
            raise RuntimeError(
                "requires_grad_: only leaf tensors can change requires_grad; "
                "use .detach() to get a leaf from a computed tensor"
            )
        if requires_grad and self.dtype not in _FLOAT_DTYPES:
            raise TypeError(
                f"only floating-point tensors can require gradients, got dtype {self.dtype}; "
                "convert first, e.g. Tensor(data, dtype='float32', requires_grad=True)"
            )
        self.requires_grad = bool(requires_grad)
        return self

    def detach(self) -> Tensor:
        """A new leaf sharing this tensor's data, cut from the graph."""
        return Tensor(self.data)

    def backward(
        self,
        gradient: ArrayLike | None = None,
        retain_graph: bool | None = None,
        create_graph: bool = False,
    ) -> None:
        """Accumulate the gradient of this tensor into ``.grad`` of every leaf it depends on.

        Args:
            gradient: the gradient of some scalar with respect to this tensor, of the
                same shape. Optional only for one-element tensors, where it is 1.
            retain_graph: keep the graph's saved values for another pass. By default
                they are freed, and a second pass over the same graph raises.
            create_graph: record the backward pass itself. Implies ``retain_graph``
                unless given. ``.grad`` holds plain arrays, so to differentiate a
                gradient again use :func:`minigrad.tensor.grad`, which returns Tensors.

        Leaf gradients accumulate across calls, as in PyTorch: call ``zero_grad()``
        (or set ``.grad = None``) between steps.
        """
        autograd.backward(self, gradient, retain_graph=retain_graph, create_graph=create_graph)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (set ``.grad`` to None)."""
        self.grad = None

    # -------------------------------------------------- NumPy interoperability

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """Run ``np.exp(t)``, ``np.maximum(t, 0)`` … as the matching Tensor operation.

        This is what lets one backward rule serve NumPy arrays and Tensors alike.
        """
        operation = _UFUNCS.get(ufunc)
        if method != "__call__" or operation is None or kwargs:
            return NotImplemented
        return operation(*inputs)

    def __array_function__(
        self, func: Callable[..., Any], types: Any, args: Any, kwargs: Any
    ) -> Any:
        """Run ``np.where``, ``np.broadcast_to`` … as the matching Tensor function."""
        operation = _FUNCTIONS.get(func)
        if operation is None:
            return NotImplemented
        return operation(*args, **kwargs)

    # -------------------------------------------------------------- arithmetic

    def __add__(self, other: ArrayLike) -> Tensor:
        return _elementwise.add(self, other)

    def __radd__(self, other: ArrayLike) -> Tensor:
        return _elementwise.add(self, other)

    def __sub__(self, other: ArrayLike) -> Tensor:
        return _elementwise.sub(self, other)

    def __rsub__(self, other: ArrayLike) -> Tensor:
        return _elementwise.rsub(self, other)

    def __mul__(self, other: ArrayLike) -> Tensor:
        return _elementwise.mul(self, other)

    def __rmul__(self, other: ArrayLike) -> Tensor:
        return _elementwise.mul(self, other)

    def __truediv__(self, other: ArrayLike) -> Tensor:
        return _elementwise.div(self, other)

    def __rtruediv__(self, other: ArrayLike) -> Tensor:
        return _elementwise.rdiv(self, other)

    def __pow__(self, other: ArrayLike) -> Tensor:
        return _elementwise.pow(self, other)

    def __rpow__(self, other: ArrayLike) -> Tensor:
        return _elementwise.rpow(self, other)

    def __neg__(self) -> Tensor:
        return _elementwise.neg(self)

    def __pos__(self) -> Tensor:
        return self

    def __abs__(self) -> Tensor:
        return _elementwise.abs(self)

    def __matmul__(self, other: ArrayLike) -> Tensor:
        return _linalg.matmul(self, other)

    def __rmatmul__(self, other: ArrayLike) -> Tensor:
        return _linalg.matmul(_elementwise.as_tensor(other, self), self)

    def matmul(self, other: ArrayLike) -> Tensor:
        """Matrix product with NumPy's rules (1-D operands, broadcast batch dimensions)."""
        return _linalg.matmul(self, other)

    # Comparisons compare the data and return boolean tensors without a graph.
    # ``==`` is elementwise as in NumPy and PyTorch (unlike ``Value``, whose ``==``
    # is identity so that it can sit in sets); tensors still hash by identity.

    def __lt__(self, other: ArrayLike) -> Tensor:
        return _elementwise.compare(np.less, self, other)

    def __le__(self, other: ArrayLike) -> Tensor:
        return _elementwise.compare(np.less_equal, self, other)

    def __gt__(self, other: ArrayLike) -> Tensor:
        return _elementwise.compare(np.greater, self, other)

    def __ge__(self, other: ArrayLike) -> Tensor:
        return _elementwise.compare(np.greater_equal, self, other)

    def __eq__(self, other: object) -> Tensor:  # type: ignore[override]
        return _elementwise.compare(np.equal, self, other)

    def __ne__(self, other: object) -> Tensor:  # type: ignore[override]
        return _elementwise.compare(np.not_equal, self, other)

    # Logical operators on boolean (or integer) tensors, for masks; no gradient.

    def __invert__(self) -> Tensor:
        return _elementwise.logical(np.invert, self)

    def __and__(self, other: ArrayLike) -> Tensor:
        return _elementwise.logical(np.bitwise_and, self, other)

    def __rand__(self, other: ArrayLike) -> Tensor:
        return _elementwise.logical(np.bitwise_and, self, other)

    def __or__(self, other: ArrayLike) -> Tensor:
        return _elementwise.logical(np.bitwise_or, self, other)

    def __ror__(self, other: ArrayLike) -> Tensor:
        return _elementwise.logical(np.bitwise_or, self, other)

    # ----------------------------------------------------- elementwise methods

    def exp(self) -> Tensor:
        """Elementwise e**x."""
        return _elementwise.exp(self)

    def log(self) -> Tensor:
        """Elementwise natural logarithm (nan for x < 0 and -inf at 0, as NumPy)."""
        return _elementwise.log(self)

    def sqrt(self) -> Tensor:
        """Elementwise square root."""
        return _elementwise.sqrt(self)

    def tanh(self) -> Tensor:
        """Elementwise hyperbolic tangent."""
        return _elementwise.tanh(self)

    def sigmoid(self) -> Tensor:
        """Elementwise logistic function 1 / (1 + e**-x), stable for large |x|."""
        return _elementwise.sigmoid(self)

    def relu(self) -> Tensor:
        """Elementwise max(x, 0); its gradient at 0 is 0."""
        return _elementwise.relu(self)

    def abs(self) -> Tensor:
        """Elementwise absolute value; its gradient at 0 is 0."""
        return _elementwise.abs(self)

    def leaky_relu(self, negative_slope: float = 0.01) -> Tensor:
        """Elementwise x for x > 0, else ``negative_slope * x`` (gradient at 0: the slope)."""
        return _elementwise.leaky_relu(self, negative_slope)

    def gelu(self, approximate: str = "none") -> Tensor:
        """Gaussian error linear unit ``x * Phi(x)``, exact (erf) or ``approximate="tanh"``."""
        return _elementwise.gelu(self, approximate)

    def softplus(self, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
        """Elementwise ``log(1 + e**(beta*x)) / beta``; linear where ``beta*x > threshold``."""
        return _elementwise.softplus(self, beta, threshold)

    def clip(self, min: ArrayLike | None = None, max: ArrayLike | None = None) -> Tensor:
        """Limit values to ``[min, max]`` (either may be None); gradient 1 inside, 0 outside."""
        return _elementwise.clip(self, min, max)

    def maximum(self, other: ArrayLike) -> Tensor:
        """Elementwise larger of two tensors; ties split the gradient equally."""
        return _elementwise.maximum(self, other)

    def minimum(self, other: ArrayLike) -> Tensor:
        """Elementwise smaller of two tensors; ties split the gradient equally."""
        return _elementwise.minimum(self, other)

    def astype(self, dtype: npt.DTypeLike) -> Tensor:
        """The tensor converted to ``dtype`` (differentiable between float types)."""
        return _elementwise.astype(self, dtype)

    def float(self) -> Tensor:
        """The tensor as float32."""
        return _elementwise.astype(self, np.float32)

    def double(self) -> Tensor:
        """The tensor as float64."""
        return _elementwise.astype(self, np.float64)

    # -------------------------------------------------------------- reductions

    def sum(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Sum over ``axis`` (None: all axes; int or tuple, negatives count from the end)."""
        return _reduction.sum(self, axis, keepdims)

    def mean(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Arithmetic mean over ``axis``."""
        return _reduction.mean(self, axis, keepdims)

    def max(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Largest value over ``axis``; tied maxima share the gradient equally."""
        return _reduction.max(self, axis, keepdims)

    def min(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """Smallest value over ``axis``; tied minima share the gradient equally."""
        return _reduction.min(self, axis, keepdims)

    def var(self, axis: Axis = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
        """Variance over ``axis``, dividing by ``N - ddof`` (NumPy's default ``ddof=0``)."""
        return _reduction.var(self, axis, ddof, keepdims)

    def std(self, axis: Axis = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
        """Standard deviation over ``axis``, the square root of ``var``."""
        return _reduction.std(self, axis, ddof, keepdims)

    def logsumexp(self, axis: Axis = None, keepdims: bool = False) -> Tensor:
        """``log(sum(exp(x)))`` over ``axis``, computed without overflow."""
        return _reduction.logsumexp(self, axis, keepdims)

    def argmax(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """Index of the largest value (over the flattened tensor when ``axis`` is None)."""
        return _reduction.argmax(self, axis, keepdims)

    def argmin(self, axis: int | None = None, keepdims: bool = False) -> Tensor:
        """Index of the smallest value (over the flattened tensor when ``axis`` is None)."""
        return _reduction.argmin(self, axis, keepdims)

    def softmax(self, axis: int = -1) -> Tensor:
        """``exp(x) / sum(exp(x))`` along ``axis``, computed stably as one operation."""
        return _softmax.softmax(self, axis)

    def log_softmax(self, axis: int = -1) -> Tensor:
        """``x - logsumexp(x)`` along ``axis``, computed stably as one operation."""
        return _softmax.log_softmax(self, axis)

    # ------------------------------------------------------------------ shapes

    def reshape(self, *shape: ShapeArgs) -> Tensor:
        """The same data in a new shape (one dimension may be -1)."""
        return _shape.reshape(self, shape)

    def view(self, *shape: ShapeArgs) -> Tensor:
        """The same as :meth:`reshape` (NumPy arrays need no contiguity for this)."""
        return _shape.reshape(self, shape)

    def flatten(self, start_axis: int = 0, end_axis: int = -1) -> Tensor:
        """Merge the axes ``start_axis`` through ``end_axis`` (inclusive) into one.

        PyTorch's ``flatten(start_dim, end_dim)``, with axes spelled ``axis``.
        """
        return _shape.flatten(self, start_axis, end_axis)

    def permute(self, *axes: ShapeArgs) -> Tensor:
        """The tensor with its axes reordered: ``t.permute(2, 0, 1)``."""
        return _shape.permute(self, _shape.normalize_shape_args(axes))

    def transpose(self, axis0: int = -2, axis1: int = -1) -> Tensor:
        """The tensor with two axes swapped (the last two by default)."""
        return _shape.transpose(self, axis0, axis1)

    def squeeze(self, axis: Axis = None) -> Tensor:
        """Remove axes of length 1 (all of them, or those in ``axis``, which must have length 1)."""
        return _shape.squeeze(self, axis)

    def unsqueeze(self, axis: int) -> Tensor:
        """Insert an axis of length 1 at position ``axis`` (negative counts from the end)."""
        return _shape.unsqueeze(self, axis)

    def expand(self, *shape: ShapeArgs) -> Tensor:
        """Broadcast to ``shape``, where -1 keeps an axis's length, as in PyTorch."""
        return _shape.expand(self, _shape.normalize_shape_args(shape))

    def broadcast_to(self, *shape: ShapeArgs) -> Tensor:
        """Broadcast to ``shape`` with NumPy's rules (a read-only view)."""
        return _shape.broadcast_to(self, _shape.normalize_shape_args(shape))

    def __getitem__(self, index: Any) -> Tensor:
        return _indexing.getitem(self, index)


def make_result(
    data: np.ndarray,
    inputs: tuple[Tensor, ...],
    rule: BackwardRule,
    args: tuple[Any, ...] = (),
    name: str = "",
) -> Tensor:
    """Wrap an operation's result, recording a graph node when an input needs a gradient.

    This is the one place where the graph grows. Under ``no_grad``, or when no
    input requires a gradient, it records nothing.
    """
    if data.__class__ is not np.ndarray:
        data = np.asarray(data)  # ufuncs turn 0-d results into NumPy scalars
    out = _new_object(Tensor)
    out.data = data
    out.grad = None
    if _state.grad_enabled:
        for x in inputs:
            if x.requires_grad:
                # Node(inputs, rule, args, name), filled in without the call to
                # __init__: this line runs for every recorded operation.
                node = _new_object(Node)
                node.inputs = inputs
                node.rule = rule
                node.args = args
                node.name = name
                out._node = node
                out.requires_grad = True
                if _state.anomaly_enabled:
                    autograd._check_finite(data, "forward result", node)
                return out
    out._node = None
    out.requires_grad = False
    return out


_new_object = object.__new__

# The operation modules import Tensor from here, so they come last.
from minigrad.tensor import (  # noqa: E402
    _elementwise,
    _indexing,
    _join,
    _linalg,
    _reduction,
    _shape,
    _softmax,
)


def _transpose_function(a: Any, axes: Sequence[int] | None = None) -> Tensor:
    if axes is None:
        return _shape.permute(a, tuple(range(a.ndim - 1, -1, -1)))
    return _shape.permute(a, tuple(int(x) for x in axes))


def _unary(operation: Callable[[Tensor], Tensor]) -> Callable[[Any], Tensor]:
    return lambda a: operation(_elementwise.as_tensor(a))


def _binary(operation: Callable[[Tensor, Any], Tensor]) -> Callable[[Any, Any], Tensor]:
    return lambda a, b: operation(_elementwise.as_tensor(a, b), b)


# NumPy ufuncs and functions that backward rules call on Tensors in a recorded
# (``create_graph``) pass, mapped to the Tensor operation that records them.
_UFUNCS: dict[np.ufunc, Callable[..., Any]] = {
    np.add: _binary(_elementwise.add),
    np.subtract: _binary(_elementwise.sub),
    np.multiply: _binary(_elementwise.mul),
    np.true_divide: _binary(_elementwise.div),
    np.power: _binary(_elementwise.pow),
    np.matmul: _binary(_linalg.matmul),
    np.maximum: _binary(_elementwise.maximum),
    np.minimum: _binary(_elementwise.minimum),
    np.negative: _unary(_elementwise.neg),
    np.positive: _unary(lambda a: a),
    np.exp: _unary(_elementwise.exp),
    np.log: _unary(_elementwise.log),
    np.sqrt: _unary(_elementwise.sqrt),
    np.tanh: _unary(_elementwise.tanh),
    np.absolute: _unary(_elementwise.abs),
    np.sign: lambda a: Tensor(np.sign(_elementwise.raw(a))),
    np.isfinite: lambda a: Tensor(np.isfinite(_elementwise.raw(a))),
    np.isnan: lambda a: Tensor(np.isnan(_elementwise.raw(a))),
    np.greater: lambda a, b: _elementwise.compare(np.greater, a, b),
    np.greater_equal: lambda a, b: _elementwise.compare(np.greater_equal, a, b),
    np.less: lambda a, b: _elementwise.compare(np.less, a, b),
    np.less_equal: lambda a, b: _elementwise.compare(np.less_equal, a, b),
    np.equal: lambda a, b: _elementwise.compare(np.equal, a, b),
    np.not_equal: lambda a, b: _elementwise.compare(np.not_equal, a, b),
    np.invert: lambda a: _elementwise.logical(np.invert, a),
    np.bitwise_and: lambda a, b: _elementwise.logical(np.bitwise_and, a, b),
    np.bitwise_or: lambda a, b: _elementwise.logical(np.bitwise_or, a, b),
    np.logical_and: lambda a, b: _elementwise.logical(np.logical_and, a, b),
    np.logical_or: lambda a, b: _elementwise.logical(np.logical_or, a, b),
    np.logical_not: lambda a: _elementwise.logical(np.logical_not, a),
}

_FUNCTIONS: dict[Callable[..., Any], Callable[..., Any]] = {
    np.where: lambda condition, x, y: _join.where(condition, x, y),
    np.swapaxes: lambda a, axis1, axis2: _shape.transpose(_elementwise.as_tensor(a), axis1, axis2),
    np.reshape: lambda a, shape: _shape.reshape(_elementwise.as_tensor(a), (shape,)),
    np.transpose: _transpose_function,
    np.broadcast_to: lambda a, shape: _shape.broadcast_to(
        _elementwise.as_tensor(a), _shape.normalize_shape_args((shape,))
    ),
    np.expand_dims: lambda a, axis: _shape.unsqueeze(_elementwise.as_tensor(a), axis),
    np.squeeze: lambda a, axis=None: _shape.squeeze(_elementwise.as_tensor(a), axis),
    np.sum: lambda a, axis=None, keepdims=False: _reduction.sum(a, axis, keepdims),
    np.mean: lambda a, axis=None, keepdims=False: _reduction.mean(a, axis, keepdims),
    np.max: lambda a, axis=None, keepdims=False: _reduction.max(a, axis, keepdims),
    np.min: lambda a, axis=None, keepdims=False: _reduction.min(a, axis, keepdims),
    np.concatenate: lambda arrays, axis=0: _join.concatenate(arrays, axis),
    np.stack: lambda arrays, axis=0: _join.stack(arrays, axis),
    np.clip: lambda a, a_min=None, a_max=None: _elementwise.clip(
        _elementwise.as_tensor(a), a_min, a_max
    ),
    np.zeros_like: lambda a, dtype=None: Tensor(np.zeros_like(_elementwise.raw(a), dtype=dtype)),
    np.ones_like: lambda a, dtype=None: Tensor(np.ones_like(_elementwise.raw(a), dtype=dtype)),
    np.shape: lambda a: a.shape,
    np.ndim: lambda a: a.ndim,
    np.size: lambda a: a.size,
}
