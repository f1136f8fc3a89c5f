"""The :class:`Tensor`: a NumPy array that records how it was computed.

This module holds the class with its data and autograd attributes, and the
two tables through which NumPy's functions reach it. The operations are one
layer up, in :mod:`minigrad.tensor.ops`: each op module defines its ops and
installs their methods (``exp``, ``sum``, ``__add__`` ...) on this class, and
registers the NumPy functions its ops answer to in :data:`UFUNCS` and
:data:`FUNCTIONS`. Their names match :class:`minigrad.scalar.Value` wherever
an operation makes sense for a number.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, SupportsIndex, Union

import numpy as np
import numpy.typing as npt

from minigrad.tensor.autograd import backprop, record
from minigrad.tensor.autograd.backprop import UnregisteredNumpyFunctionError
from minigrad.tensor.autograd.modes import check_not_capturing
from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.version import LastWrite, version_of

if TYPE_CHECKING:
    # The ops' methods, as the type checker sees them; at run time each op
    # module installs its own (minigrad.tensor.ops.registry.install_methods).
    from minigrad.tensor.ops.methods import TensorMethods
else:
    TensorMethods = object

__all__ = ["FUNCTIONS", "UFUNCS", "ArrayLike", "Axis", "ShapeArgs", "Tensor"]

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


class Tensor(TensorMethods):
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

    # A dict gives each slot a docstring (``help(Tensor.data)``).
    __slots__ = {
        "__weakref__": None,
        "_detached_from": "The tensor whose data a detach() result shares (unset otherwise).",
        "_last_write": "(version, write-clock tick, writer) of the last in-place write, if any.",
        "_node": "The graph node that produced this tensor (None for a leaf).",
        "data": (
            "The values, a NumPy array (shared, not copied).\n\n"
            "MiniGrad's own in-place writes (optimizer steps, BatchNorm's running "
            "statistics, load_state_dict, nn.init) count as new versions of the tensor, "
            "and a backward pass that needs the old values raises RuntimeError. Writing "
            "to ``.data`` by hand (``t.data[0] = 1``, ``t.data -= ...``) is not counted, "
            "as in PyTorch: a graph recorded before such a write silently uses the new "
            "values, so do it outside any graph you will still differentiate."
        ),
        "grad": "The accumulated gradient, an array of the data's shape, or None.",
        "requires_grad": "Whether operations on this tensor record a graph for backward().",
    }

    # NumPy defers to Tensor in mixed expressions (``array * tensor``) and
    # dispatches its ufuncs and functions to the methods below.
    __array_priority__ = 1000.0

    data: np.ndarray
    grad: np.ndarray | None
    requires_grad: bool
    _node: Node | None
    _last_write: LastWrite
    _detached_from: Tensor

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
    def _version(self) -> int:
        """How many in-place writes MiniGrad has made to this tensor (as PyTorch's ``_version``)."""
        return version_of(self)

    @property
    def grad_fn(self) -> Node | None:
        """The graph node that produced this tensor (None for a leaf)."""
        return self._node

    def numpy(self) -> np.ndarray:
        """The data as an ndarray (the same memory, not a copy)."""
        check_not_capturing("Tensor.numpy()")
        return self.data

    # builtins.float: in the class body, `float` also names the method Tensor.float,
    # which is what tools that evaluate annotations (pdoc) would find.
    def item(self) -> builtins.float | int | bool:
        """The value of a one-element tensor as a Python number."""
        check_not_capturing("Tensor.item()")
        if self.data.size != 1:
            raise ValueError(
                f"item: only one-element tensors convert to a number, got shape {self.shape}"
            )
        value: float | int | bool = self.data.item()
        return value

    def tolist(self) -> Any:
        """The data as (nested) Python lists, or a number for a 0-d tensor."""
        check_not_capturing("Tensor.tolist()")
        return self.data.tolist()

    def __array__(self, dtype: npt.DTypeLike | None = None, copy: bool | None = None) -> np.ndarray:
        check_not_capturing("np.asarray(tensor)")
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
        check_not_capturing("bool(tensor)")
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
        check_not_capturing("a tensor used as an index")
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
        check_not_capturing("Tensor.any()")
        return bool(self.data.any())

    def all(self) -> bool:
        """Whether every element is true (non-zero)."""
        check_not_capturing("Tensor.all()")
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
        """A new leaf sharing this tensor's data, cut from the graph.

        In-place writes to this tensor (an optimizer step) are seen through the
        detached one too: a graph that saved it refuses to backpropagate after them.
        """
        detached = Tensor(self.data)
        detached._detached_from = self
        return detached

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
        backprop.backward(self, gradient, retain_graph=retain_graph, create_graph=create_graph)

    def zero_grad(self) -> None:
        """Forget the accumulated gradient (set ``.grad`` to None)."""
        self.grad = None

    # -------------------------------------------------- NumPy interoperability

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """Run ``np.exp(t)``, ``np.maximum(t, 0)`` … as the matching Tensor operation.

        This is what lets one backward rule serve NumPy arrays and Tensors alike.
        A ufunc that no op answers to raises an error saying where to register one.
        """
        operation = UFUNCS.get(ufunc)
        if method != "__call__" or kwargs:
            return NotImplemented
        if operation is None:
            raise UnregisteredNumpyFunctionError(
                f"np.{ufunc.__name__} was called on a Tensor, but no Tensor op answers to it; "
                + _REGISTER_HINT
            )
        return operation(*inputs)

    def __array_function__(
        self, func: Callable[..., Any], types: Any, args: Any, kwargs: Any
    ) -> Any:
        """Run ``np.where``, ``np.broadcast_to`` … as the matching Tensor function."""
        operation = FUNCTIONS.get(func)
        if operation is None:
            raise UnregisteredNumpyFunctionError(
                f"np.{getattr(func, '__name__', func)} was called on a Tensor, but no Tensor "
                "op answers to it; " + _REGISTER_HINT
            )
        return operation(*args, **kwargs)


# NumPy ufuncs and functions that a Tensor answers to, each mapped to the
# Tensor operation that runs it. Filled by the op modules as they define their
# ops (minigrad.tensor.ops.registry.answer_numpy); backward rules rely on them
# when a pass records its own graph (create_graph=True).
UFUNCS: dict[np.ufunc, Callable[..., Any]] = {}
FUNCTIONS: dict[Callable[..., Any], Callable[..., Any]] = {}

_REGISTER_HINT = (
    "define an op that answers to it (see CONTRIBUTING.md, 'Add an op': "
    "minigrad.tensor.ops.registry.answer_numpy)"
)

record.set_result_type(Tensor)
