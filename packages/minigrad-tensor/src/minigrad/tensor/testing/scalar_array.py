"""``ScalarArray``: the Tensor API on a NumPy object array of scalar-engine Values.

This is the adapter that lets one function, written against the Tensor API, run
on both engines. Data movement (reshape, transpose, indexing, broadcasting) is
NumPy's own, on an object array, so every element is the *same* ``Value``
object wherever it is copied to; arithmetic, ``@`` and reductions run element by
element with ``Value`` arithmetic. Broadcasting and reduction gradients then
come out of plain scalar chain rule: a broadcast element used three times gets
three contributions. Operations that ``Value`` lacks (softmax, var, gelu, …)
are written here from their mathematical definitions in ``Value`` arithmetic.

Example:
    >>> import numpy as np
    >>> x = ScalarArray.from_numbers(np.array([[1.0, 2.0], [3.0, 4.0]]))
    >>> y = (x * x).sum(axis=0)
    >>> [round(v.data, 6) for v in y.values]
    [10.0, 20.0]
"""

from __future__ import annotations

import contextlib
import functools
import math
import operator
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from minigrad.tensor.autograd.op import ScalarRule
from minigrad.tensor.ops.registry import ELEMENTWISE

if TYPE_CHECKING:
    from minigrad.scalar import Value

__all__ = [
    "ScalarArray",
    "as_object_array",
    "erf",
    "erf_values",
    "gelu",
    "is_value",
    "maximum_values",
    "minimum_values",
    "number",
    "object_vector",
    "primitive",
    "total",
    "value_type",
    "values_of",
]

Axis = int | tuple[int, ...] | None


def value_type() -> type[Value]:
    """The scalar engine's ``Value`` class, imported on first use.

    Raises:
        ImportError: the scalar engine is not installed; the message says how to get it.
    """
    try:
        from minigrad.scalar import Value
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise ImportError(
            "the scalar-engine oracle needs the minigrad-scalar package; "
            "install it with: pip install minigrad-tensor[scalar]"
        ) from error
    return Value


def is_value(x: object) -> bool:
    """Whether ``x`` is a scalar-engine ``Value`` (rather than a constant number)."""
    return isinstance(x, value_type())


def number(x: Any) -> float:
    """The float behind a ``Value`` or a constant."""
    return float(x.data) if is_value(x) else float(x)


def total(items: Sequence[Any]) -> Any:
    """The sum of ``items`` by repeated ``+`` (so each item gets gradient 1)."""
    return functools.reduce(operator.add, items)


def primitive(x: Any, value: float, slope: float) -> Any:
    """A Value equal to ``value`` whose derivative with respect to ``x`` is ``slope``.

    Builds a new scalar function (such as ``erf``) from its value and its derivative
    with public ``Value`` arithmetic: ``x * slope + (value - x.data * slope)``.
    """
    if not is_value(x):
        return value
    return x * slope + (value - x.data * slope)


def as_object_array(x: Any) -> np.ndarray:
    """``x`` (a Value, a number or an array) as an ndarray; 0-d results stay arrays."""
    if isinstance(x, np.ndarray):
        return x
    if is_value(x):
        array = np.empty((), dtype=object)
        array[()] = x
        return array
    return np.asarray(x)


def values_of(x: Any) -> Any:
    """The array behind ``x``: a ScalarArray's values, a Tensor's data, or ``x`` itself."""
    if isinstance(x, ScalarArray):
        return x.values
    from minigrad.tensor.tensor import Tensor

    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(values_of(item) for item in x)
    return x


def _map(values: np.ndarray, function: Callable[[Any], Any]) -> ScalarArray:
    """Apply ``function`` to each element (constants are lifted to Values first)."""
    Value = value_type()

    def apply(v: Any) -> Any:
        return function(v if isinstance(v, Value) else Value(float(v)))

    if values.size == 0:
        return ScalarArray(np.empty(values.shape, dtype=object))
    return ScalarArray(as_object_array(np.frompyfunc(apply, 1, 1)(values)))


def normalize_axes(axis: Axis, ndim: int, op: str) -> tuple[int, ...]:
    """``axis`` as a sorted tuple of non-negative axes (None means all)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    result = sorted({int(a) % max(ndim, 1) for a in axes})
    if any(not -max(ndim, 1) <= int(a) < max(ndim, 1) for a in axes):
        raise ValueError(f"{op}: axis {axis} is out of range for {ndim} dimensions")
    return tuple(result)


def reduce_rows(
    values: np.ndarray, axis: Axis, keepdims: bool, row: Callable[[list[Any]], Any], op: str
) -> np.ndarray:
    """Reduce ``values`` over ``axis``, applying ``row`` to the list of elements of each cell."""
    axes = normalize_axes(axis, values.ndim, op)
    kept = [a for a in range(values.ndim) if a not in axes]
    out_shape = tuple(values.shape[a] for a in kept)
    count = math.prod(values.shape[a] for a in axes)
    rows = np.transpose(values, kept + list(axes)).reshape((*out_shape, count))
    result = np.empty(out_shape, dtype=object)
    for index in np.ndindex(*out_shape):
        result[index] = row(list(rows[index]))
    if keepdims:
        result = result.reshape(tuple(1 if a in axes else n for a, n in enumerate(values.shape)))
    return result


def object_vector(items: Sequence[Any]) -> np.ndarray:
    """A 1-D object array of ``items`` (NumPy is not asked to guess a shape)."""
    vector = np.empty(len(items), dtype=object)
    vector[:] = list(items)
    return vector


def map_rows(values: np.ndarray, axis: int, row: Callable[[list[Any]], list[Any]]) -> np.ndarray:
    """Replace each 1-D slice along ``axis`` by ``row`` of it (softmax and friends)."""
    moved = np.moveaxis(values, axis, -1)
    result = np.empty(moved.shape, dtype=object)
    for index in np.ndindex(*moved.shape[:-1]):
        result[index] = object_vector(row(list(moved[index])))
    return np.moveaxis(result, -1, axis)


# ------------------------------------------------------------ scalar definitions


def _max_row(row: list[Any]) -> Any:
    # Ties share the gradient equally, as the tensor engine documents: the
    # mean of the tied elements equals the maximum and splits the gradient.
    top = max(number(v) for v in row)
    ties = [v for v in row if number(v) == top]
    return ties[0] if len(ties) == 1 else total(ties) / len(ties)


def _min_row(row: list[Any]) -> Any:
    bottom = min(number(v) for v in row)
    ties = [v for v in row if number(v) == bottom]
    return ties[0] if len(ties) == 1 else total(ties) / len(ties)


def _var_row(row: list[Any], ddof: int) -> Any:
    mean = total(row) / len(row)
    return total([(v - mean) * (v - mean) for v in row]) / (len(row) - ddof)


def _logsumexp_row(row: list[Any]) -> Any:
    # The shift by the maximum is a constant: log(sum(exp(x))) = m + log(sum(exp(x - m))).
    shift = max(number(v) for v in row)
    return total([(v - shift).exp() for v in row]).log() + shift


def _softmax_row(row: list[Any]) -> list[Any]:
    shift = max(number(v) for v in row)
    exps = [(v - shift).exp() for v in row]
    denominator = total(exps)
    return [e / denominator for e in exps]


def _log_softmax_row(row: list[Any]) -> list[Any]:
    lse = _logsumexp_row(row)
    return [v - lse for v in row]


def erf(x: Any) -> Any:
    """The error function of a Value, with derivative 2/sqrt(pi) * exp(-x**2)."""
    t = number(x)
    return primitive(x, math.erf(t), 2.0 / math.sqrt(math.pi) * math.exp(-t * t))


def gelu(x: Any, approximate: str = "none") -> Any:
    """x * Phi(x) (exact, with erf) or PyTorch's tanh approximation."""
    if approximate == "tanh":
        inner = (x + 0.044715 * x * x * x) * math.sqrt(2.0 / math.pi)
        return 0.5 * x * (1 + inner.tanh())
    if approximate != "none":
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    return 0.5 * x * (1 + erf(x * (1 / math.sqrt(2.0))))


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Any:
    """log(1 + exp(beta x)) / beta, linear above ``threshold`` as in PyTorch."""
    z = x * beta
    if number(z) > threshold:
        return x
    return (1 + z.exp()).log() / beta


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Any:
    """x for x > 0, negative_slope * x otherwise."""
    return x if number(x) > 0 else x * negative_slope


def clip(x: Any, low: float | None, high: float | None) -> Any:
    """x inside [low, high]; the bound (a constant) outside it."""
    t = number(x)
    if low is not None and t < low:
        return float(low)
    if high is not None and t > high:
        return float(high)
    return x


def maximum(a: Any, b: Any) -> Any:
    """The larger of a and b; a tie shares the gradient equally."""
    if number(a) == number(b):
        return (a + b) * 0.5
    return a if number(a) > number(b) else b


def minimum(a: Any, b: Any) -> Any:
    """The smaller of a and b; a tie shares the gradient equally."""
    if number(a) == number(b):
        return (a + b) * 0.5
    return a if number(a) < number(b) else b


_clip = np.frompyfunc(clip, 3, 1)


def maximum_values(a: Any, b: Any) -> Any:
    """Elementwise :func:`maximum` of two (broadcasting) arrays of Values or numbers."""
    return np.frompyfunc(maximum, 2, 1)(a, b)


def minimum_values(a: Any, b: Any) -> Any:
    """Elementwise :func:`minimum` of two (broadcasting) arrays of Values or numbers."""
    return np.frompyfunc(minimum, 2, 1)(a, b)


def erf_values(values: np.ndarray) -> np.ndarray:
    """:func:`erf` of each element."""
    return _map(values, erf).values


def _shape_args(args: Sequence[Any]) -> tuple[int, ...]:
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        args = args[0]
    return tuple(int(s) for s in args)


class ScalarArray:
    """An ndarray of ``minigrad.scalar.Value`` objects that answers to the Tensor API.

    Args:
        values: an object ndarray of Values (or of constants), or a plain numeric
            ndarray for integer and boolean data such as labels and masks.

    Attributes:
        values: the ndarray itself.

    Example:
        >>> import numpy as np
        >>> x = ScalarArray.from_numbers(np.array([0.0, 1.0]))
        >>> y = x.exp().sum()
        >>> y.values[()].backward()
        >>> [round(v.grad, 4) for v in x.values]
        [1.0, 2.7183]
    """

    __slots__ = ("values",)

    # NumPy operators defer to ScalarArray (``ndarray * ScalarArray`` calls __rmul__).
    __array_ufunc__ = None

    def __init__(self, values: np.ndarray) -> None:
        self.values = as_object_array(values)

    @classmethod
    def from_numbers(cls, data: npt.ArrayLike) -> ScalarArray:
        """Floating data become fresh leaf Values; integer and boolean data stay numbers."""
        array = np.asarray(data)
        if array.dtype.kind != "f":
            return cls(array.copy())
        Value = value_type()
        values = np.empty(array.shape, dtype=object)
        for index in np.ndindex(*array.shape):
            values[index] = Value(float(array[index]))
        return cls(values)

    # ------------------------------------------------------------------ basics

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape, as in NumPy."""
        return self.values.shape

    @property
    def ndim(self) -> int:
        """The number of dimensions."""
        return self.values.ndim

    @property
    def size(self) -> int:
        """The number of elements."""
        return self.values.size

    @property
    def dtype(self) -> np.dtype[Any]:
        """float64 for Values (they hold Python floats), else the numeric dtype."""
        return np.dtype(np.float64) if self.values.dtype == object else self.values.dtype

    @property
    def data(self) -> np.ndarray:
        """The numbers, as a float64 (or integer/boolean) ndarray."""
        if self.values.dtype != object:
            return self.values
        numbers: np.ndarray = np.vectorize(number, otypes=[np.float64])(self.values)
        return numbers.reshape(self.shape)

    @property
    def T(self) -> ScalarArray:
        """The array with its axes reversed."""
        return ScalarArray(self.values.T)

    def numpy(self) -> np.ndarray:
        """The numbers as an ndarray."""
        return self.data

    def item(self) -> float:
        """The number of a one-element array."""
        return float(self.data.item())

    def __len__(self) -> int:
        return len(self.values)

    def __iter__(self) -> Iterator[ScalarArray]:
        for i in range(len(self)):
            yield self[i]

    def __repr__(self) -> str:
        return f"ScalarArray({self.data!r})"

    def detach(self) -> ScalarArray:
        """The numbers as constants, cut from the graph."""
        return ScalarArray(self.data.copy())

    # -------------------------------------------------------------- arithmetic

    def _binary(self, other: Any, op: Callable[[Any, Any], Any]) -> ScalarArray:
        return ScalarArray(as_object_array(op(self.values, values_of(other))))

    def _reflected(self, other: Any, op: Callable[[Any, Any], Any]) -> ScalarArray:
        return ScalarArray(as_object_array(op(values_of(other), self.values)))

    def __add__(self, other: Any) -> ScalarArray:
        return self._binary(other, operator.add)

    def __radd__(self, other: Any) -> ScalarArray:
        return self._reflected(other, operator.add)

    def __sub__(self, other: Any) -> ScalarArray:
        return self._binary(other, operator.sub)

    def __rsub__(self, other: Any) -> ScalarArray:
        return self._reflected(other, operator.sub)

    def __mul__(self, other: Any) -> ScalarArray:
        return self._binary(other, operator.mul)

    def __rmul__(self, other: Any) -> ScalarArray:
        return self._reflected(other, operator.mul)

    def __truediv__(self, other: Any) -> ScalarArray:
        return self._binary(other, operator.truediv)

    def __rtruediv__(self, other: Any) -> ScalarArray:
        return self._reflected(other, operator.truediv)

    def __pow__(self, other: Any) -> ScalarArray:
        return self._binary(other, operator.pow)

    def __rpow__(self, other: Any) -> ScalarArray:
        return self._reflected(other, operator.pow)

    def __matmul__(self, other: Any) -> ScalarArray:
        return self._binary(other, operator.matmul)

    def __rmatmul__(self, other: Any) -> ScalarArray:
        return self._reflected(other, operator.matmul)

    def matmul(self, other: Any) -> ScalarArray:
        """Matrix product with NumPy's rules, by sums of Value products."""
        return self.__matmul__(other)

    def __neg__(self) -> ScalarArray:
        return ScalarArray(as_object_array(-self.values))

    def __pos__(self) -> ScalarArray:
        return self

    def __abs__(self) -> ScalarArray:
        return self.abs()

    # Comparisons look at the numbers only and give boolean arrays, as on Tensor.

    def __lt__(self, other: Any) -> ScalarArray:
        return ScalarArray(self.data < _numbers(other))

    def __le__(self, other: Any) -> ScalarArray:
        return ScalarArray(self.data <= _numbers(other))

    def __gt__(self, other: Any) -> ScalarArray:
        return ScalarArray(self.data > _numbers(other))

    def __ge__(self, other: Any) -> ScalarArray:
        return ScalarArray(self.data >= _numbers(other))

    def __eq__(self, other: object) -> ScalarArray:  # type: ignore[override]
        return ScalarArray(self.data == _numbers(other))

    def __ne__(self, other: object) -> ScalarArray:  # type: ignore[override]
        return ScalarArray(self.data != _numbers(other))

    __hash__ = object.__hash__

    # ------------------------------------------------------------ elementwise

    # exp, log, sqrt, tanh, sigmoid, relu, abs and every other one-input
    # elementwise op of the engine are added below the class, from the registry.
    if TYPE_CHECKING:

        def __getattr__(self, name: str) -> Callable[[], ScalarArray]: ...

    def leaky_relu(self, negative_slope: float = 0.01) -> ScalarArray:
        """x for x > 0, else negative_slope * x."""
        return _map(self.values, lambda v: leaky_relu(v, negative_slope))

    def gelu(self, approximate: str = "none") -> ScalarArray:
        """x * Phi(x), from erf (or the tanh approximation)."""
        return _map(self.values, lambda v: gelu(v, approximate))

    def softplus(self, beta: float = 1.0, threshold: float = 20.0) -> ScalarArray:
        """log(1 + exp(beta x)) / beta."""
        return _map(self.values, lambda v: softplus(v, beta, threshold))

    def clip(self, min: Any = None, max: Any = None) -> ScalarArray:
        """Each element limited to [min, max] (numbers or arrays, either may be None)."""
        low, high = values_of(min), values_of(max)
        return ScalarArray(as_object_array(_clip(self.values, low, high)))

    def maximum(self, other: Any) -> ScalarArray:
        """The elementwise larger of self and other (broadcasting)."""
        return ScalarArray(as_object_array(maximum_values(self.values, values_of(other))))

    def minimum(self, other: Any) -> ScalarArray:
        """The elementwise smaller of self and other (broadcasting)."""
        return ScalarArray(as_object_array(minimum_values(self.values, values_of(other))))

    def astype(self, dtype: npt.DTypeLike) -> ScalarArray:
        """Floating types keep the Values (they are float64 already); others drop the graph."""
        if np.dtype(dtype).kind == "f":
            return self
        return ScalarArray(self.data.astype(dtype))

    def float(self) -> ScalarArray:
        """The same Values (the scalar engine has only one float type)."""
        return self

    def double(self) -> ScalarArray:
        """The same Values."""
        return self

    # ------------------------------------------------------------- reductions

    def _reduce(
        self, axis: Axis, keepdims: bool, row: Callable[[list[Any]], Any], op: str
    ) -> ScalarArray:
        return ScalarArray(reduce_rows(self.values, axis, keepdims, row, op))

    def sum(self, axis: Axis = None, keepdims: bool = False) -> ScalarArray:
        """Sum over ``axis`` by repeated ``+``."""
        return self._reduce(axis, keepdims, total, "sum")

    def mean(self, axis: Axis = None, keepdims: bool = False) -> ScalarArray:
        """Sum over ``axis`` divided by the count."""
        return self._reduce(axis, keepdims, lambda row: total(row) / len(row), "mean")

    def max(self, axis: Axis = None, keepdims: bool = False) -> ScalarArray:
        """Maximum over ``axis``; ties share the gradient equally."""
        return self._reduce(axis, keepdims, _max_row, "max")

    def min(self, axis: Axis = None, keepdims: bool = False) -> ScalarArray:
        """Minimum over ``axis``; ties share the gradient equally."""
        return self._reduce(axis, keepdims, _min_row, "min")

    def var(self, axis: Axis = None, ddof: int = 0, keepdims: bool = False) -> ScalarArray:
        """sum((x - mean)**2) / (n - ddof) over ``axis``."""
        return self._reduce(axis, keepdims, lambda row: _var_row(row, ddof), "var")

    def std(self, axis: Axis = None, ddof: int = 0, keepdims: bool = False) -> ScalarArray:
        """The square root of ``var``."""
        return self.var(axis, ddof, keepdims).sqrt()

    def logsumexp(self, axis: Axis = None, keepdims: bool = False) -> ScalarArray:
        """log(sum(exp(x))) over ``axis`` (shifted by the maximum, a constant)."""
        return self._reduce(axis, keepdims, _logsumexp_row, "logsumexp")

    def argmax(self, axis: int | None = None, keepdims: bool = False) -> ScalarArray:
        """Indices of the maxima (no gradient)."""
        return ScalarArray(np.argmax(self.data, axis=axis, keepdims=keepdims))

    def argmin(self, axis: int | None = None, keepdims: bool = False) -> ScalarArray:
        """Indices of the minima (no gradient)."""
        return ScalarArray(np.argmin(self.data, axis=axis, keepdims=keepdims))

    def softmax(self, axis: int = -1) -> ScalarArray:
        """exp(x) / sum(exp(x)) along ``axis``."""
        return ScalarArray(map_rows(self.values, axis, _softmax_row))

    def log_softmax(self, axis: int = -1) -> ScalarArray:
        """x - logsumexp(x) along ``axis``."""
        return ScalarArray(map_rows(self.values, axis, _log_softmax_row))

    # ----------------------------------------------------------------- shapes

    def reshape(self, *shape: Any) -> ScalarArray:
        """The same Values in a new shape."""
        return ScalarArray(self.values.reshape(_shape_args(shape)))

    def view(self, *shape: Any) -> ScalarArray:
        """The same as ``reshape``."""
        return self.reshape(*shape)

    def flatten(self, start_axis: int = 0, end_axis: int = -1) -> ScalarArray:
        """Axes ``start_axis`` to ``end_axis`` merged into one."""
        if self.ndim == 0:
            return self.reshape(1)
        start, end = start_axis % self.ndim, end_axis % self.ndim
        merged = math.prod(self.shape[start : end + 1])
        return self.reshape((*self.shape[:start], merged, *self.shape[end + 1 :]))

    def transpose(self, axis0: int = -2, axis1: int = -1) -> ScalarArray:
        """Two axes swapped (the last two by default)."""
        if self.ndim < 2:
            return self
        return ScalarArray(np.swapaxes(self.values, axis0, axis1))

    def permute(self, *axes: Any) -> ScalarArray:
        """The axes in a new order."""
        return ScalarArray(np.transpose(self.values, _shape_args(axes)))

    def squeeze(self, axis: Axis = None) -> ScalarArray:
        """Length-one axes removed."""
        return ScalarArray(np.squeeze(self.values, axis=axis))

    def unsqueeze(self, axis: int) -> ScalarArray:
        """A length-one axis inserted at ``axis``."""
        return ScalarArray(np.expand_dims(self.values, axis))

    def expand(self, *shape: Any) -> ScalarArray:
        """Broadcast to ``shape``; -1 keeps a dimension's size."""
        target = _shape_args(shape)
        lead = len(target) - self.ndim
        sizes = tuple(
            self.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(target)
        )
        return self.broadcast_to(*sizes)

    def broadcast_to(self, *shape: Any) -> ScalarArray:
        """Broadcast to ``shape``: every copy is the same Value object."""
        return ScalarArray(np.broadcast_to(self.values, _shape_args(shape)))

    def __getitem__(self, index: Any) -> ScalarArray:
        index = tuple(values_of(i) for i in index) if isinstance(index, tuple) else values_of(index)
        return ScalarArray(as_object_array(self.values[index]))

    # ----------------------------------------------------------------- masking

    def masked_fill(self, mask: Any, value: Any) -> ScalarArray:
        """``value`` (a constant) where ``mask`` holds, the Values elsewhere."""
        keep = np.broadcast_to(np.asarray(_numbers(mask)).astype(bool), self.shape)
        return ScalarArray(as_object_array(np.where(keep, float(value), self.values)))

    def tril(self, diagonal: int = 0) -> ScalarArray:
        """The lower triangle of the last two axes; 0 (a constant) elsewhere."""
        return ScalarArray(np.tril(self.values, diagonal))

    def triu(self, diagonal: int = 0) -> ScalarArray:
        """The upper triangle of the last two axes; 0 (a constant) elsewhere."""
        return ScalarArray(np.triu(self.values, diagonal))

    def cumsum(self, axis: int) -> ScalarArray:
        """Running sums along ``axis`` by repeated ``+``."""
        if self.ndim == 0:
            return self
        return ScalarArray(np.cumsum(self.values, axis=axis))


def _elementwise_method(name: str, rule: ScalarRule) -> Callable[[ScalarArray], ScalarArray]:
    """``ScalarArray.<name>``: ``Value.<name>`` of each element, or the op's scalar rule.

    The scalar engine is the specification: where ``Value`` has the op, its own
    method runs. Otherwise the op's :class:`~minigrad.tensor.autograd.op.ScalarRule`
    (its value and derivative on a number) builds each element with
    :func:`primitive`, so an op added to the tensor engine is checked against
    its declared derivative through broadcasting, reductions and all.
    """
    if hasattr(value_type(), name):

        def from_value(v: Any) -> Any:
            return getattr(v, name)()

        function = from_value
    else:

        def from_rule(v: Any) -> Any:
            x = number(v)
            return primitive(v, rule.value(x), rule.derivative(x))

        function = from_rule

    def method(self: ScalarArray) -> ScalarArray:
        return _map(self.values, function)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``{name}`` of each element (the scalar engine's definition)."
    return method


def _install_elementwise_methods() -> None:
    """Give ScalarArray every one-input elementwise op registered by the tensor engine."""
    for name, op in ELEMENTWISE.items():
        if op.scalar is not None and name not in vars(ScalarArray):
            setattr(ScalarArray, name, _elementwise_method(name, op.scalar))


def _numbers(x: Any) -> Any:
    """The numbers behind ``x`` for comparisons (Values read as their data)."""
    if isinstance(x, ScalarArray):
        return x.data
    return values_of(x)


# Without the scalar engine (an optional extra) there is nothing to build on.
with contextlib.suppress(ImportError):
    _install_elementwise_methods()
