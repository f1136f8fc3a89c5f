"""Initialisers that fill a tensor's data in place, with PyTorch's names and formulas.

Random initialisers draw from ``generator`` when given, else from the package's
generator, so ``minigrad.tensor.manual_seed(s)`` makes model creation
reproducible. Each returns the tensor it filled.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import nn
    >>> w = nn.Parameter(np.empty((3, 4), dtype=np.float32))
    >>> _ = nn.init.kaiming_uniform_(w, generator=np.random.default_rng(0))
    >>> bool(np.abs(w.data).max() <= np.sqrt(6 / 4))
    True
"""

from __future__ import annotations

import math

import numpy as np

from minigrad.tensor.autograd.version import bump_version
from minigrad.tensor.creation import default_generator
from minigrad.tensor.tensor import Tensor

__all__ = [
    "calculate_gain",
    "constant_",
    "kaiming_normal_",
    "kaiming_uniform_",
    "normal_",
    "ones_",
    "uniform_",
    "xavier_normal_",
    "xavier_uniform_",
    "zeros_",
]

_LINEAR_LIKE = (
    "linear",
    "conv1d",
    "conv2d",
    "conv3d",
    "conv_transpose1d",
    "conv_transpose2d",
    "conv_transpose3d",
    "sigmoid",
)


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended scale of weights feeding ``nonlinearity`` (PyTorch's table).

    ``linear``/``conv*``/``sigmoid``: 1, ``tanh``: 5/3, ``relu``: sqrt(2),
    ``leaky_relu``: sqrt(2 / (1 + slope**2)) with ``param`` the slope (0.01 by
    default), ``selu``: 3/4.

    Example:
        >>> from minigrad.tensor import nn
        >>> round(nn.init.calculate_gain("leaky_relu", 5 ** 0.5), 6)
        0.57735
    """
    if nonlinearity in _LINEAR_LIKE:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3.0
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = float(param)
        else:
            raise ValueError(f"calculate_gain: negative slope {param!r} is not a number")
        return math.sqrt(2.0 / (1.0 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4.0
    raise ValueError(
        f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; expected one of "
        f"{', '.join(_LINEAR_LIKE)}, tanh, relu, leaky_relu, selu"
    )


def _fans(tensor: Tensor, op: str) -> tuple[int, int]:
    """(fan_in, fan_out): ``shape[1]`` and ``shape[0]`` times the kernel size, as PyTorch."""
    if tensor.ndim < 2:
        raise ValueError(
            f"{op}: fan in and fan out need a tensor with at least 2 dimensions, "
            f"got shape {tensor.shape}"
        )
    receptive = int(np.prod(tensor.shape[2:])) if tensor.ndim > 2 else 1
    return tensor.shape[1] * receptive, tensor.shape[0] * receptive


def _fill(tensor: Tensor, values: np.ndarray | float) -> Tensor:
    np.copyto(tensor.data, values, casting="unsafe")
    bump_version(tensor, "nn.init")
    return tensor


def _rng(generator: np.random.Generator | None) -> np.random.Generator:
    return default_generator() if generator is None else generator


def uniform_(
    tensor: Tensor, a: float = 0.0, b: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """Fill with values drawn uniformly from ``[a, b)``."""
    return _fill(tensor, _rng(generator).uniform(a, b, size=tensor.shape))


def normal_(
    tensor: Tensor,
    mean: float = 0.0,
    std: float = 1.0,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Fill with values drawn from the normal distribution N(mean, std**2)."""
    return _fill(tensor, _rng(generator).normal(mean, std, size=tensor.shape))


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Fill with ``val``."""
    return _fill(tensor, val)


def zeros_(tensor: Tensor) -> Tensor:
    """Fill with 0."""
    return _fill(tensor, 0.0)


def ones_(tensor: Tensor) -> Tensor:
    """Fill with 1."""
    return _fill(tensor, 1.0)


def xavier_uniform_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """Glorot uniform: ``U(-a, a)`` with ``a = gain * sqrt(6 / (fan_in + fan_out))``."""
    fan_in, fan_out = _fans(tensor, "xavier_uniform_")
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(
    tensor: Tensor, gain: float = 1.0, generator: np.random.Generator | None = None
) -> Tensor:
    """Glorot normal: ``N(0, std**2)`` with ``std = gain * sqrt(2 / (fan_in + fan_out))``."""
    fan_in, fan_out = _fans(tensor, "xavier_normal_")
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def _kaiming_std(tensor: Tensor, a: float, mode: str, nonlinearity: str, op: str) -> float:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{op}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = _fans(tensor, op)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    """He uniform: ``U(-b, b)`` with ``b = gain * sqrt(3 / fan)``, gain from ``nonlinearity``.

    ``a`` is the negative slope of a leaky ReLU. Linear and Conv2d layers use
    ``a = sqrt(5)``, which gives ``b = 1 / sqrt(fan_in)`` (PyTorch's default).
    """
    std = _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_uniform_")
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    generator: np.random.Generator | None = None,
) -> Tensor:
    """He normal: ``N(0, std**2)`` with ``std = gain / sqrt(fan)``."""
    std = _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_normal_")
    return normal_(tensor, 0.0, std, generator)
