"""`Parameter`: a Tensor that a :class:`~minigrad.tensor.nn.Module` registers as trainable."""

from __future__ import annotations

from typing import Any

import numpy.typing as npt

from minigrad.tensor.tensor import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """A Tensor that is a module's trainable state; it requires a gradient by default.

    Assigning a Parameter to an attribute of a Module registers it, so it shows
    up in ``parameters()`` and ``state_dict()``. The results of operations on a
    Parameter are plain Tensors.

    Args:
        data: the initial value (a Tensor's data is shared, not copied).
        requires_grad: whether the optimizer should train it (default True).
        dtype: the dtype to store; float lists become float32, ndarrays keep theirs.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor.nn import Parameter
        >>> w = Parameter(np.zeros((2, 3), dtype=np.float32))
        >>> w.requires_grad, w.shape
        (True, (2, 3))
    """

    __slots__ = ()

    def __init__(
        self,
        data: Any,
        requires_grad: bool = True,
        dtype: npt.DTypeLike | None = None,
    ) -> None:
        super().__init__(data, requires_grad=requires_grad, dtype=dtype)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
