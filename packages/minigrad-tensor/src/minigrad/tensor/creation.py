"""Tensor creation (``zeros ones full empty eye arange linspace rand randn randint`` and ``_like``).

Random tensors come from one NumPy :class:`~numpy.random.Generator`, which
:func:`manual_seed` reseeds in place, so a run is reproducible and code that
keeps a reference from :func:`default_generator` (weight initialisation, data
shuffling, dropout) sees the reseeding too. Every random function also takes a
``generator=`` of its own, and :func:`use_generator` makes another generator
the default for a block of code in the current thread (or asyncio task), as
``minigrad.tensor.training.train`` does so that concurrent runs do not share one.

Shapes are given as separate ints or one tuple (``zeros(2, 3)`` or
``zeros((2, 3))``); floating tensors default to float32.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator
from typing import Any, SupportsIndex

import numpy as np
import numpy.typing as npt

from minigrad.tensor.autograd.modes import check_not_capturing
from minigrad.tensor.tensor import Tensor

__all__ = [
    "arange",
    "default_generator",
    "empty",
    "empty_like",
    "eye",
    "full",
    "full_like",
    "linspace",
    "manual_seed",
    "ones",
    "ones_like",
    "rand",
    "rand_like",
    "randint",
    "randint_like",
    "randn",
    "randn_like",
    "use_generator",
    "zeros",
    "zeros_like",
]

_DEFAULT_FLOAT = np.dtype(np.float32)
_generator = np.random.default_rng()
_active: contextvars.ContextVar[np.random.Generator | None] = contextvars.ContextVar(
    "minigrad_generator", default=None
)

Shape = tuple[SupportsIndex, ...] | list[SupportsIndex]


def manual_seed(seed: int) -> np.random.Generator:
    """Reseed the default generator, so random tensors repeat from run to run.

    Returns the (same, reseeded) default generator.

    Example:
        >>> from minigrad.tensor import manual_seed, rand
        >>> _ = manual_seed(0); first = rand(3).tolist()
        >>> _ = manual_seed(0); first == rand(3).tolist()
        True
    """
    if not isinstance(seed, (int, np.integer)) or isinstance(seed, bool):
        raise TypeError(f"manual_seed: seed must be an int, got {type(seed).__name__}")
    if seed < 0:
        raise ValueError(f"manual_seed: seed must be non-negative, got {seed}")
    _generator.bit_generator.state = type(_generator.bit_generator)(int(seed)).state
    return _generator


def default_generator() -> np.random.Generator:
    """The NumPy generator behind every random tensor (reseeded by :func:`manual_seed`).

    Other modules (initialisers, data loaders, dropout) draw from it so that one
    ``manual_seed`` makes a whole run repeatable. Inside :func:`use_generator`
    it is that block's generator instead.
    """
    active = _active.get()
    return _generator if active is None else active


@contextlib.contextmanager
def use_generator(generator: np.random.Generator) -> Iterator[np.random.Generator]:
    """Make ``generator`` the default generator inside the block, in this thread only.

    Weight initialisation, dropout and random tensors in the block draw from
    ``generator``; other threads keep theirs. :func:`manual_seed` still
    reseeds the process-wide generator, not this one.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import rand
        >>> from minigrad.tensor.creation import use_generator
        >>> with use_generator(np.random.default_rng(0)):
        ...     first = rand(2).tolist()
        >>> with use_generator(np.random.default_rng(0)):
        ...     first == rand(2).tolist()
        True
    """
    if not isinstance(generator, np.random.Generator):
        raise TypeError(
            f"use_generator: expected a numpy.random.Generator, got {type(generator).__name__}"
        )
    token = _active.set(generator)
    try:
        yield generator
    finally:
        _active.reset(token)


def _shape(op: str, shape: tuple[Any, ...]) -> tuple[int, ...]:
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    try:
        dims = tuple(int(n) for n in shape)
    except TypeError:
        raise TypeError(f"{op}: a shape must be ints or a tuple of ints, got {shape!r}") from None
    if any(n < 0 for n in dims):
        raise ValueError(f"{op}: a shape cannot have negative lengths, got {dims}")
    return dims


def _dtype(dtype: npt.DTypeLike | None) -> np.dtype[Any]:
    return _DEFAULT_FLOAT if dtype is None else np.dtype(dtype)


def _float_dtype(op: str, dtype: npt.DTypeLike | None) -> np.dtype[Any]:
    wanted = _DEFAULT_FLOAT if dtype is None else np.dtype(dtype)
    if wanted.kind != "f":
        raise TypeError(f"{op}: dtype must be a float type, got {wanted}")
    return wanted


def _rng(generator: np.random.Generator | None) -> np.random.Generator:
    # A tensor drawn here is a leaf, not an op: a compiled step would replay its
    # first values, so drawing inside one is refused (dropout's mask is an op).
    check_not_capturing("a random tensor drawn with rand/randn/randint")
    return default_generator() if generator is None else generator


# ------------------------------------------------------------------ constant


def zeros(
    *shape: SupportsIndex | Shape, dtype: npt.DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """A tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))``."""
    dims = _shape("zeros", shape)
    return Tensor(np.zeros(dims, dtype=_dtype(dtype)), requires_grad=requires_grad)


def ones(
    *shape: SupportsIndex | Shape, dtype: npt.DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """A tensor of ones: ``ones(2, 3)`` or ``ones((2, 3))``."""
    dims = _shape("ones", shape)
    return Tensor(np.ones(dims, dtype=_dtype(dtype)), requires_grad=requires_grad)


def empty(
    *shape: SupportsIndex | Shape, dtype: npt.DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """An uninitialised tensor (its values are whatever the memory held)."""
    dims = _shape("empty", shape)
    return Tensor(np.empty(dims, dtype=_dtype(dtype)), requires_grad=requires_grad)


def full(
    shape: SupportsIndex | Shape,
    fill_value: float,
    dtype: npt.DTypeLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """A tensor of ``shape`` filled with ``fill_value`` (float32 unless ``dtype`` says otherwise).

    Example:
        >>> from minigrad.tensor import full
        >>> full((2,), 7.0).tolist()
        [7.0, 7.0]
    """
    dims = _shape("full", (shape,))
    return Tensor(np.full(dims, fill_value, dtype=_dtype(dtype)), requires_grad=requires_grad)


def eye(
    n: int, m: int | None = None, dtype: npt.DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """The ``n`` by ``m`` (default ``n``) identity matrix."""
    _shape("eye", (n,) if m is None else (n, m))
    return Tensor(np.eye(n, m, dtype=_dtype(dtype)), requires_grad=requires_grad)


def arange(
    start: float,
    end: float | None = None,
    step: float = 1,
    dtype: npt.DTypeLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """Evenly spaced values in ``[start, end)`` (``arange(n)`` is ``0 .. n-1``).

    Integer arguments give int64, any float gives float32 (unless ``dtype``).

    Example:
        >>> from minigrad.tensor import arange
        >>> arange(3).tolist(), arange(0, 1, 0.5).tolist()
        ([0, 1, 2], [0.0, 0.5])
    """
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError("arange: step must not be 0")
    if dtype is None:
        all_ints = all(isinstance(v, (int, np.integer)) for v in (start, end, step))
        dtype = np.int64 if all_ints else _DEFAULT_FLOAT
    return Tensor(np.arange(start, end, step, dtype=dtype), requires_grad=requires_grad)


def linspace(
    start: float,
    end: float,
    steps: int,
    dtype: npt.DTypeLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """``steps`` evenly spaced values from ``start`` to ``end``, both included."""
    if steps < 0:
        raise ValueError(f"linspace: steps must be non-negative, got {steps}")
    data = np.linspace(start, end, steps, dtype=_float_dtype("linspace", dtype))
    return Tensor(data, requires_grad=requires_grad)


# -------------------------------------------------------------------- random


def rand(
    *shape: SupportsIndex | Shape,
    dtype: npt.DTypeLike | None = None,
    requires_grad: bool = False,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Uniform random values in ``[0, 1)``."""
    dims = _shape("rand", shape)
    wanted = _float_dtype("rand", dtype)
    data = _rng(generator).random(dims, dtype=np.float64).astype(wanted, copy=False)
    return Tensor(data, requires_grad=requires_grad)


def randn(
    *shape: SupportsIndex | Shape,
    dtype: npt.DTypeLike | None = None,
    requires_grad: bool = False,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Standard normal random values (mean 0, variance 1)."""
    dims = _shape("randn", shape)
    wanted = _float_dtype("randn", dtype)
    data = _rng(generator).standard_normal(dims).astype(wanted, copy=False)
    return Tensor(data, requires_grad=requires_grad)


def randint(
    low: int,
    high: int | None = None,
    size: SupportsIndex | Shape = (),
    dtype: npt.DTypeLike = np.int64,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Random integers in ``[low, high)``, or ``[0, low)`` when ``high`` is None.

    Example:
        >>> from minigrad.tensor import randint
        >>> t = randint(0, 10, (2, 3))
        >>> t.shape, t.dtype.kind
        ((2, 3), 'i')
    """
    if high is None:
        low, high = 0, low
    if high <= low:
        raise ValueError(f"randint: high ({high}) must be greater than low ({low})")
    dims = _shape("randint", (size,))
    return Tensor(_rng(generator).integers(low, high, dims, dtype=dtype))


# ---------------------------------------------------------------- _like forms


def _like_dtype(t: Tensor | np.ndarray, dtype: npt.DTypeLike | None) -> np.dtype[Any]:
    return np.dtype(dtype) if dtype is not None else np.asarray(t).dtype


def zeros_like(
    t: Tensor | np.ndarray, dtype: npt.DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """Zeros with the shape (and, unless given, the dtype) of ``t``."""
    return Tensor(np.zeros(np.shape(t), dtype=_like_dtype(t, dtype)), requires_grad=requires_grad)


def ones_like(
    t: Tensor | np.ndarray, dtype: npt.DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """Ones with the shape (and, unless given, the dtype) of ``t``."""
    return Tensor(np.ones(np.shape(t), dtype=_like_dtype(t, dtype)), requires_grad=requires_grad)


def empty_like(
    t: Tensor | np.ndarray, dtype: npt.DTypeLike | None = None, requires_grad: bool = False
) -> Tensor:
    """An uninitialised tensor with the shape (and, unless given, the dtype) of ``t``."""
    return Tensor(np.empty(np.shape(t), dtype=_like_dtype(t, dtype)), requires_grad=requires_grad)


def full_like(
    t: Tensor | np.ndarray,
    fill_value: float,
    dtype: npt.DTypeLike | None = None,
    requires_grad: bool = False,
) -> Tensor:
    """``fill_value`` everywhere, with the shape (and, unless given, the dtype) of ``t``."""
    data = np.full(np.shape(t), fill_value, dtype=_like_dtype(t, dtype))
    return Tensor(data, requires_grad=requires_grad)


def _like_float_dtype(t: Tensor | np.ndarray, dtype: npt.DTypeLike | None) -> np.dtype[Any]:
    if dtype is not None:
        return np.dtype(dtype)
    own = np.asarray(t).dtype
    return own if own.kind == "f" else _DEFAULT_FLOAT


def rand_like(
    t: Tensor | np.ndarray,
    dtype: npt.DTypeLike | None = None,
    requires_grad: bool = False,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Uniform values in ``[0, 1)`` with the shape of ``t`` (and its dtype if floating)."""
    wanted = _like_float_dtype(t, dtype)
    return rand(np.shape(t), dtype=wanted, requires_grad=requires_grad, generator=generator)


def randn_like(
    t: Tensor | np.ndarray,
    dtype: npt.DTypeLike | None = None,
    requires_grad: bool = False,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Standard normal values with the shape of ``t`` (and its dtype if floating)."""
    wanted = _like_float_dtype(t, dtype)
    return randn(np.shape(t), dtype=wanted, requires_grad=requires_grad, generator=generator)


def randint_like(
    t: Tensor | np.ndarray,
    low: int,
    high: int | None = None,
    dtype: npt.DTypeLike = np.int64,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Random integers in ``[low, high)`` (or ``[0, low)``) with the shape of ``t``."""
    return randint(low, high, np.shape(t), dtype=dtype, generator=generator)
