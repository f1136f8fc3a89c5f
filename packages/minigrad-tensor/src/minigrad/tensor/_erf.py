"""The error function and the exact GELU with its derivative, vectorised over NumPy arrays.

Every function here is a few dozen whole-array NumPy operations (Horner steps done in
place, one ``exp``), with no Python loop over elements and no boolean-mask indexing
(``np.where`` or a masked assignment on random signs costs as much as fifty arithmetic
passes). Regions are combined by multiplying with 0/1 masks, which is exact because every
branch is evaluated on a clamped argument where it is finite. Intermediate float32 arrays
are reused per thread (see ``_scratch``): allocating a fresh 512 KB array costs page faults
that, measured, outweighed the arithmetic of the code this module replaces.

float64 follows the Cephes Math Library (S. L. Moshier, release 2.8, ``ndtr.c``): for
``|x| < 1``, ``erf(x) = x T(x**2) / U(x**2)``; above, ``erfc(x) = exp(-x**2) P(x) / Q(x)``
(``1 <= x < 8``) or ``exp(-x**2) R(x) / S(x)`` (``x >= 8``), with the published coefficients;
``exp(-x**2 / 2)`` for GELU's tail is split as in Cephes's ``expx2`` so that rounding ``x*x``
costs nothing. Measured: ``erf`` within 3 ulp of ``math.erf`` (tests allow 4), GELU within
about 13 ulp (3e-15 relative) of ``x * erfc(-x / sqrt 2) / 2`` on ``[-8, 8]``.

float32 needs only float32 accuracy and is computed in float32: ``erf`` uses Cephes's
``T/U`` for ``|x| < 1``; the upper tail of the standard normal distribution,
``Phi(-a) = exp(-a**2 / 2) P4(a) / Q5(a)`` for ``a >= 0``, uses a rational function fitted
for MiniGrad by ``tools/fit_normal_tail.py`` (relative minimax on ``[0, 15]`` by reweighted
least squares against ``math.erfc``; relative error 7.3e-9, below float32's 6e-8).
Measured: ``erf`` within 3 float32 ulp; GELU within 3 ulp for ``x >= 0`` and 7 ulp on
``[-3, 0)``; further out the float32 rounding of ``x*x`` inside ``exp`` gives about
``x**2 / 2`` ulp (64 at ``x = -11``), still relative, where ``0.5 x (1 + erf(x / sqrt 2))``
in float32 has no correct digit left. GELU and its derivative use that tail directly.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor._erf import erf, gelu_exact, gelu_exact_grad
    >>> erf(np.array([0.0, 0.5, -2.0])).round(6).tolist()
    [0.0, 0.5205, -0.995322]
    >>> erf(np.array([1.0], dtype=np.float32)).dtype
    dtype('float32')
    >>> gelu_exact(np.array([-1.0, 0.0, 1.0])).round(6).tolist()
    [-0.158655, 0.0, 0.841345]
    >>> gelu_exact_grad(np.array([0.0, 1.0])).round(6).tolist()
    [0.5, 1.083315]
"""

from __future__ import annotations

import math
import threading

import numpy as np

__all__ = ["erf", "gelu_exact", "gelu_exact_backward", "gelu_exact_grad"]

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_SQRT_HALF = math.sqrt(0.5)
_SQRT_TWO = math.sqrt(2.0)

# Cephes ndtr.c: erf(x) = x T(x^2) / U(x^2) on |x| < 1 (U monic), relative error 3.7e-16.
_CEPHES_T = (
    9.60497373987051638749e0,
    9.00260197203842689217e1,
    2.23200534594684319226e3,
    7.00332514112805075473e3,
    5.55923013010394962768e4,
)
_CEPHES_U = (
    3.35617141647503099647e1,
    5.21357949780152679795e2,
    4.59432382970980127987e3,
    2.26290000613890934246e4,
    4.92673942608635921086e4,
)
# Cephes ndtr.c: erfc(x) = exp(-x^2) P(x) / Q(x) on 1 <= x < 8 (Q monic).
_CEPHES_P = (
    2.46196981473530512524e-10,
    5.64189564831068821977e-1,
    7.46321056442269912687e0,
    4.86371970985681366614e1,
    1.96520832956077098242e2,
    5.26445194995477358631e2,
    9.34528527171957607540e2,
    1.02755188689515710272e3,
    5.57535335369399327526e2,
)
_CEPHES_Q = (
    1.32281951154744992508e1,
    8.67072140885989742329e1,
    3.54937778887819891062e2,
    9.75708501743205489753e2,
    1.82390916687909736289e3,
    2.24633760818710981792e3,
    1.65666309194161350182e3,
    5.57535340817727675546e2,
)
# Cephes ndtr.c: erfc(x) = exp(-x^2) R(x) / S(x) on x >= 8 (S monic).
_CEPHES_R = (
    5.64189583547755073984e-1,
    1.27536670759978104416e0,
    5.01905042251180477414e0,
    6.16021097993053585195e0,
    7.40974269950448939160e0,
    2.97886665372100240670e0,
)
_CEPHES_S = (
    2.26052863220117276590e0,
    9.39603524938001434673e0,
    1.20489539808096656605e1,
    1.70814450747565897222e1,
    9.60896809063285878198e0,
    3.36907645100081516050e0,
)
# Fitted for float32: Phi(-a) = exp(-a^2/2) TAIL_P(a) / TAIL_Q(a) on 0 <= a <= 15 (TAIL_Q
# monic), relative error 7.3e-9. TAIL_P's leading term is about 1/sqrt(2 pi), the
# asymptote of a Phi(-a) exp(a^2/2); TAIL_P(0) / TAIL_Q(0) = 1/2.
_TAIL_P = (
    0.39894684152643367,
    3.9462437309277094,
    17.816246141204854,
    42.65314865962859,
    48.699657447782855,
)
_TAIL_Q = (
    9.89238857572029,
    45.644151056488695,
    117.00336177879595,
    163.01974027846077,
    97.39931447449234,
)

# Beyond these, Phi(-a) underflows to 0 in the dtype (exp(-a^2/2) < the smallest subnormal).
_TAIL_END = {np.dtype(np.float32): 15.0, np.dtype(np.float64): 40.0}
# Below this largest |x|, no polynomial above overflows, so no clamp pass is needed.
_NO_CLAMP_BELOW = 1.0e3
# Work arrays up to this size are kept per thread and reused between calls (at most
# eight per dtype, so at most 32 MiB each).
_SCRATCH_LIMIT_BYTES = 1 << 22
_scratch_pool = threading.local()


def _scratch(count: int, like: np.ndarray) -> list[np.ndarray]:
    """``count`` work arrays of ``like``'s size and dtype, for intermediate results only.

    A fresh array of a few hundred KB costs page faults on each call (a 131,072-element
    GELU spent more time there than in arithmetic), so arrays up to
    ``_SCRATCH_LIMIT_BYTES`` are kept per thread, per dtype, and reused. They never
    reach a caller, and no function here holds two sets at once.
    """
    if like.nbytes > _SCRATCH_LIMIT_BYTES:
        return [np.empty_like(like) for _ in range(count)]
    pool: dict[str, list[np.ndarray]] = _scratch_pool.__dict__.setdefault("by_dtype", {})
    buffers = pool.get(like.dtype.str, [])
    if len(buffers) < count or buffers[0].size < like.size:
        size = max(like.size, buffers[0].size if buffers else 0)
        buffers = [np.empty(size, like.dtype) for _ in range(max(count, len(buffers)))]
        pool[like.dtype.str] = buffers
    return [buffer[: like.size] for buffer in buffers[:count]]


def _horner(
    x: np.ndarray,
    coefficients: tuple[float, ...],
    monic: bool = False,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """The polynomial with ``coefficients`` (highest power first) at ``x``, into ``out``.

    With ``monic``, the leading coefficient 1 is implied (Cephes's ``p1evl``). Every step
    is in place: each fresh 512 KB array can cost as much as ten arithmetic passes in page
    faults, so the functions below allocate as few as they can.
    """
    if monic:
        out = np.add(x, coefficients[0], out=out)
    else:
        out = np.multiply(x, coefficients[0], out=out)
        out += coefficients[1]
    for c in coefficients[2 - monic :]:
        out *= x
        out += c
    return out


def _negative_mask(x: np.ndarray, out: np.ndarray) -> np.ndarray:
    """``[x < 0]`` as 0.0 / 1.0 written into the float buffer ``out``."""
    np.less(x, 0, out=out, casting="unsafe")
    return out


def _exp_neg_half_square(
    a: np.ndarray, out: np.ndarray, hi: np.ndarray, lo: np.ndarray
) -> np.ndarray:
    """``exp(-a**2 / 2)`` for float64 ``0 <= a <= 1e3``, to a few ulp, into ``out``.

    ``a*a`` rounded would cost ``a**2 / 2`` ulp; splitting ``a = hi + lo`` with ``hi`` a
    multiple of 1/64 makes ``hi**2 / 2`` exact, and the rest is small (Cephes's ``expx2``).
    """
    np.multiply(a, 64.0, out=hi)
    np.rint(hi, out=hi)
    hi /= 64.0
    np.subtract(a, hi, out=lo)
    rest: np.ndarray = np.multiply(lo, 0.5, out=out)
    rest += hi
    rest *= lo
    np.negative(rest, out=rest)
    np.exp(rest, out=rest)
    np.square(hi, out=hi)
    hi *= -0.5
    rest *= np.exp(hi, out=hi)
    return rest


def _tail32(c: np.ndarray, tail: np.ndarray, gauss: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(exp(-c**2/2), Phi(-c))`` for float32 ``c >= 0``, written into ``gauss`` and ``tail``."""
    _horner(c, _TAIL_P, out=tail)
    _horner(c, _TAIL_Q, monic=True, out=gauss)
    tail /= gauss
    np.square(c, out=gauss)
    gauss *= -0.5
    np.exp(gauss, out=gauss)
    tail *= gauss
    return gauss, tail


def _tail64(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(exp(-c**2/2), Phi(-c))`` for float64 ``0 <= c <= 1e3``, via Cephes's erfc.

    ``Phi(-c) = erfc(z) / 2`` with ``z = c / sqrt 2``: ``1 - erf(z)`` for ``z < 1``,
    ``P/Q`` for ``1 <= z < 8``, ``R/S`` beyond, each evaluated on a clamped ``z``.
    """
    gauss, tail, z, b3, b4, b5, b6, b7 = _scratch(8, c)
    _exp_neg_half_square(c, gauss, b3, b4)
    np.multiply(c, _SQRT_HALF, out=z)
    # near: 1/2 - erf(min(z, 1))/2, in b5
    zs = np.minimum(z, 1.0, out=b3)
    zz = np.square(zs, out=b4)
    near = _horner(zz, _CEPHES_T, out=b5)
    near /= _horner(zz, _CEPHES_U, monic=True, out=b6)
    near *= zs
    near *= -0.5
    near += 0.5
    # mid: P/Q on clip(z, 1, 8), in b4
    zm = np.clip(z, 1.0, 8.0, out=b3)
    mid = _horner(zm, _CEPHES_P, out=b4)
    mid /= _horner(zm, _CEPHES_Q, monic=True, out=b6)
    # far: R/S on max(z, 8), in b6
    zf = np.maximum(z, 8.0, out=b3)
    far = _horner(zf, _CEPHES_R, out=b6)
    far /= _horner(zf, _CEPHES_S, monic=True, out=b7)
    inside = np.less(z, 8.0, out=b3, casting="unsafe")
    mid *= inside
    np.subtract(1.0, inside, out=inside)
    far *= inside
    far += mid
    far *= gauss
    far *= 0.5
    inside = np.less(z, 1.0, out=b3, casting="unsafe")
    near *= inside
    np.subtract(1.0, inside, out=inside)
    far *= inside
    np.add(near, far, out=tail)
    return gauss, tail


def _to_work(x: np.ndarray, name: str) -> np.ndarray:
    """``x`` as a 1-d float32 (float16/float32 input) or float64 (other real input) array.

    1-d because in-place NumPy operations on a 0-d array return scalars, not the array.
    """
    if x.dtype.kind not in "biuf":
        raise TypeError(f"{name}: expected an array of real numbers, got dtype {x.dtype}")
    single = x.dtype.kind == "f" and x.itemsize <= 4
    return np.asarray(x, dtype=np.float32 if single else np.float64).reshape(-1)


def _from_work(out: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The result in ``x``'s shape, and in its dtype when that is floating."""
    shaped = out.reshape(x.shape)
    return shaped.astype(x.dtype, copy=False) if x.dtype.kind == "f" else shaped


def _prepare(x: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """``(x, |x|, clamped |x|, clamped?)``, 1-d in the working dtype (float32 or float64)."""
    work = _to_work(x, name)
    a = np.abs(work)
    largest = a.max() if a.size else 0.0
    if largest <= _NO_CLAMP_BELOW:  # False for nan: the clamp then propagates it
        return work, a, a, False
    return work, a, np.minimum(a, _TAIL_END[work.dtype]), True


def _tail(c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(exp(-c**2/2), Phi(-c))`` for ``c >= 0`` in ``c``'s dtype, in arrays not aliasing ``c``."""
    if c.dtype == np.float32:
        tail, gauss = _scratch(2, c)
        return _tail32(c, tail, gauss)
    return _tail64(c)


def erf(x: np.ndarray) -> np.ndarray:
    """The error function, elementwise, to a few ulp of the result's dtype.

    float32 (and float16) arrays are computed in float32 and keep their dtype; float64
    and integer arrays give float64. ``erf(+-0) = +-0``, ``erf(+-inf) = +-1``, nan stays nan.
    Methods: Cephes ``ndtr.c`` (S. L. Moshier) in float64; in float32 Cephes's ``|x| < 1``
    branch and a fitted normal-tail rational function (see the module docstring).

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor._erf import erf
        >>> round(float(erf(np.array(1.0))), 15)
        0.842700792949715
    """
    x = np.asarray(x)
    work = _to_work(x, "erf")
    out = _erf32(work) if work.dtype == np.float32 else _erf64(work)
    return _from_work(out, x)


def _erf32(x: np.ndarray) -> np.ndarray:
    """erf of a 1-d float32 array: ``|x| < 1`` by Cephes's T/U, above by the normal tail."""
    a = np.abs(x)
    largest = a.max() if a.size else 0.0
    # 1e3 keeps the polynomials below float32's overflow; erf(10) is 1 in float32.
    c = a if largest <= _NO_CLAMP_BELOW else np.minimum(a, 10.0)
    s0, s1, s2, s3 = _scratch(4, a)
    # erfc(c) = 2 Phi(-c sqrt 2)
    np.multiply(c, _SQRT_TWO, out=s0)
    _, large = _tail32(s0, s1, s2)
    large *= -2.0
    large += 1.0
    z = np.square(c, out=s0)
    small = _horner(z, _CEPHES_T, out=s2)
    small /= _horner(z, _CEPHES_U, monic=True, out=s3)
    small *= c
    inside = np.less(a, 1.0, out=s0, casting="unsafe")
    small *= inside
    np.subtract(1, inside, out=inside)
    large *= inside
    out: np.ndarray = np.add(large, small, out=a)
    np.copysign(out, x, out=out)
    return out


def _erf64(x: np.ndarray) -> np.ndarray:
    """erf of a 1-d float64 array by Cephes's ``ndtr.c``."""
    a = np.abs(x)
    b0, b1, b2, b3, b4 = _scratch(5, a)
    # erfc(6) < 2.2e-17: erf rounds to 1 beyond.
    c = np.clip(a, 1.0, 6.0, out=b0)
    large = _horner(c, _CEPHES_P, out=b1)
    large /= _horner(c, _CEPHES_Q, monic=True, out=b2)
    np.square(c, out=b2)
    np.negative(b2, out=b2)
    large *= np.exp(b2, out=b2)
    np.subtract(1.0, large, out=large)
    xs = np.minimum(a, 1.0, out=b0)
    z = np.square(xs, out=b2)
    small = _horner(z, _CEPHES_T, out=b3)
    small /= _horner(z, _CEPHES_U, monic=True, out=b4)
    small *= xs
    inside = np.less(a, 1.0, out=b4, casting="unsafe")
    small *= inside
    np.subtract(1.0, inside, out=inside)
    large *= inside
    out: np.ndarray = np.add(large, small, out=a)
    np.copysign(out, x, out=out)
    return out


def gelu_exact(x: np.ndarray) -> np.ndarray:
    """GELU without approximation, ``x Phi(x)``, elementwise (PyTorch's ``approximate="none"``).

    Computed as ``max(x, 0) - |x| Phi(-|x|)``, so that negative ``x`` keeps its relative
    accuracy (``0.5 x (1 + erf(x / sqrt 2))`` cancels there). Keeps float32 / float64.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor._erf import gelu_exact
        >>> [round(v, 6) for v in gelu_exact(np.array([-3.0, 3.0], dtype=np.float32)).tolist()]
        [-0.00405, 2.99595]
    """
    x = np.asarray(x)
    work, a, c, clamped = _prepare(x, "gelu_exact")
    _, tail = _tail(c)
    tail *= c
    # a (a fresh |x|) becomes the result; when clamped, c is a separate array.
    if clamped:
        out = np.maximum(work, 0, out=a)
    else:
        out = np.add(work, a, out=a)  # 2 max(x, 0), exactly, for finite x
        out *= 0.5
    out -= tail
    return _from_work(out, x)


def gelu_exact_grad(x: np.ndarray) -> np.ndarray:
    """The derivative of :func:`gelu_exact`, ``Phi(x) + x phi(x)``, elementwise.

    Computed as ``Phi(-|x|) - |x| phi(x)`` for ``x < 0`` (accurate relative to its tiny
    value in the tail) and one minus that for ``x >= 0``; 0 at ``-inf``, 1 at ``+inf``.
    Multiply by the incoming gradient for the backward pass. Keeps float32 / float64.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor._erf import gelu_exact_grad
        >>> gelu_exact_grad(np.array([-30.0, 0.0, 30.0], dtype=np.float32)).tolist()
        [0.0, 0.5, 1.0]
    """
    x = np.asarray(x)
    work, _, c, _ = _prepare(x, "gelu_exact_grad")
    gauss, tail = _tail(c)
    # For x < 0 the derivative is Phi(-|x|) - |x| phi(x); for x >= 0, one minus that.
    # Blending the two (not 1/2 +- ...) keeps the negative tail's relative accuracy.
    below = np.multiply(c, -_INV_SQRT_2PI, out=c)  # c is a fresh |x|, free to overwrite
    below *= gauss
    below += tail
    above = np.subtract(1.0, below, out=tail)
    mask = _negative_mask(work, out=gauss)
    below *= mask
    np.subtract(1, mask, out=mask)
    above *= mask
    out = np.add(below, above, out=below)  # below is c, a fresh array: the result
    return _from_work(out, x)


def gelu_exact_backward(grad_output: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The backward pass of :func:`gelu_exact`: ``grad_output * gelu_exact_grad(x)``.

    The product is taken in place in the derivative's buffer (one array fewer than
    multiplying afterwards). ``grad_output`` must have ``x``'s shape; the result has
    ``x``'s dtype.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor._erf import gelu_exact_backward
        >>> gelu_exact_backward(np.array([2.0, 2.0]), np.array([0.0, 30.0])).tolist()
        [1.0, 2.0]
    """
    x = np.asarray(x)
    grad_output = np.asarray(grad_output)
    if grad_output.shape != x.shape:
        raise ValueError(
            f"gelu_exact_backward: expected grad_output of the input's shape {x.shape}, "
            f"got {grad_output.shape}"
        )
    derivative = gelu_exact_grad(x)
    derivative *= grad_output
    return derivative
