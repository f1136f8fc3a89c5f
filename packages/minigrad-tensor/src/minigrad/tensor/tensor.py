"""The :class:`Tensor`: a NumPy array that records how it was computed.

The operations themselves live in small modules by kind (``_elementwise``,
``_reduction``, ``_shape``, ``_indexing``, ``_linalg``, ``_join``); the methods
here are their public face, with the same names as :class:`minigrad.scalar.Value`
wherever an operation makes sense for a number.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, SupportsIndex, Union

import numpy as np
import numpy.typing as npt

from minigrad.tensor import autograd
from minigrad.tensor.autograd import BackwardRule, Node, _state

__all__ = ["ArrayLike", "Axis", "Tensor", "make_result"]

ArrayLike = Union["Tensor", npt.ArrayLike]
Axis = Union[int, tuple[int, ...], None]

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
        if array.dtype.kind == "f":
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
        data: a number, nested lists of numbers or an ndarray.
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

    def item(self) -> float | int | bool:
        """The value of a one-element tensor as a Python number."""
        if self.data.size != 1:
            raise ValueError(
                f"item: only one-element tensors convert to a number, got shape {self.shape}"
            )
        value: float | int | bool = self.data.item()
        return value

    def tolist(self) -> Any:
        """The data as (nested) Python lists."""
        return self.data.tolist()

    def __array__(self, dtype: npt.DTypeLike | None = None, copy: bool | None = None) -> np.ndarray:
        if dtype is None:
            return self.data if not copy else self.data.copy()
        return np.array(self.data, dtype=dtype, copy=bool(copy))

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
            create_graph: record the backward pass itself, so gradients can be
                differentiated again. Implies ``retain_graph`` unless given.

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
        return Tensor(self.data < _elementwise.raw(other))

    def __le__(self, other: ArrayLike) -> Tensor:
        return Tensor(self.data <= _elementwise.raw(other))

    def __gt__(self, other: ArrayLike) -> Tensor:
        return Tensor(self.data > _elementwise.raw(other))

    def __ge__(self, other: ArrayLike) -> Tensor:
        return Tensor(self.data >= _elementwise.raw(other))

    def __eq__(self, other: object) -> Tensor:  # type: ignore[override]
        return Tensor(self.data == _elementwise.raw(other))

    def __ne__(self, other: object) -> Tensor:  # type: ignore[override]
        return Tensor(self.data != _elementwise.raw(other))

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

    # ------------------------------------------------------------------ shapes

    def reshape(self, *shape: SupportsIndex | Sequence[SupportsIndex]) -> Tensor:
        """The same data in a new shape (one dimension may be -1)."""
        return _shape.reshape(self, shape)

    def permute(self, *axes: SupportsIndex | Sequence[SupportsIndex]) -> Tensor:
        """The tensor with its axes reordered: ``t.permute(2, 0, 1)``."""
        return _shape.permute(self, _shape.normalize_shape_args(axes))

    def transpose(self, axis0: int = -2, axis1: int = -1) -> Tensor:
        """The tensor with two axes swapped (the last two by default)."""
        return _shape.transpose(self, axis0, axis1)

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
    out = Tensor.__new__(Tensor)
    out.data = data
    out.grad = None
    if _state.grad_enabled and any(x.requires_grad for x in inputs):
        out.requires_grad = True
        out._node = Node(inputs, rule, args, name)
        if _state.anomaly_enabled:
            autograd._check_finite(data, "forward result", out._node)
    else:
        out.requires_grad = False
        out._node = None
    return out


# The operation modules import Tensor from here, so they come last.
from minigrad.tensor import (  # noqa: E402
    _elementwise,
    _indexing,
    _linalg,
    _reduction,
    _shape,
)

_UFUNCS: dict[np.ufunc, Callable[..., Any]] = {
    np.add: lambda a, b: _elementwise.add(_elementwise.as_tensor(a, b), b),
    np.subtract: lambda a, b: _elementwise.sub(_elementwise.as_tensor(a, b), b),
    np.multiply: lambda a, b: _elementwise.mul(_elementwise.as_tensor(a, b), b),
    np.true_divide: lambda a, b: _elementwise.div(_elementwise.as_tensor(a, b), b),
    np.power: lambda a, b: _elementwise.pow(_elementwise.as_tensor(a, b), b),
    np.matmul: lambda a, b: _linalg.matmul(_elementwise.as_tensor(a, b), b),
    np.negative: lambda a: _elementwise.neg(a),
    np.exp: lambda a: _elementwise.exp(a),
    np.log: lambda a: _elementwise.log(a),
    np.sqrt: lambda a: _elementwise.sqrt(a),
    np.tanh: lambda a: _elementwise.tanh(a),
    np.absolute: lambda a: _elementwise.abs(a),
    np.sign: lambda a: Tensor(np.sign(a.data)),
    np.greater: lambda a, b: Tensor(_elementwise.raw(a) > _elementwise.raw(b)),
    np.greater_equal: lambda a, b: Tensor(_elementwise.raw(a) >= _elementwise.raw(b)),
    np.less: lambda a, b: Tensor(_elementwise.raw(a) < _elementwise.raw(b)),
    np.less_equal: lambda a, b: Tensor(_elementwise.raw(a) <= _elementwise.raw(b)),
    np.equal: lambda a, b: Tensor(_elementwise.raw(a) == _elementwise.raw(b)),
}

_FUNCTIONS: dict[Callable[..., Any], Callable[..., Any]] = {
    np.swapaxes: lambda a, axis1, axis2: _shape.transpose(a, axis1, axis2),
    np.reshape: lambda a, shape: _shape.reshape(a, (shape,)),
    np.transpose: lambda a, axes=None: _shape.permute(
        a, tuple(range(a.ndim - 1, -1, -1)) if axes is None else tuple(int(x) for x in axes)
    ),
    np.broadcast_to: lambda a, shape: _shape.broadcast_to(a, shape),
}
