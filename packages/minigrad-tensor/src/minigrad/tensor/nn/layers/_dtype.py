"""The dtype argument of layers: a floating NumPy dtype, float32 by default."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["check_size", "float_dtype"]


def float_dtype(dtype: npt.DTypeLike | None, layer: str) -> np.dtype[np.floating]:
    """``dtype`` as a floating NumPy dtype (float32 when None); a TypeError otherwise."""
    wanted = np.dtype(np.float32 if dtype is None else dtype)
    if wanted.kind != "f":
        raise TypeError(f"{layer}: dtype must be a floating type, got {wanted}")
    return wanted  # type: ignore[return-value]


def check_size(value: object, layer: str, name: str) -> int:
    """``value`` as an int >= 1; a clear error otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{layer}: {name} must be an int, got {type(value).__name__}")
    if value < 1:
        raise ValueError(f"{layer}: {name} must be at least 1, got {value}")
    return int(value)
