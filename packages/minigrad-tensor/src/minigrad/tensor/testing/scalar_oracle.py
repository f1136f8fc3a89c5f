"""``check_against_scalar``: one function, run on both engines, every gradient compared.

The tensor engine is checked against the scalar engine, MiniGrad's
specification: the same ``fn`` runs once on Tensors and once on
:class:`~minigrad.tensor.testing.scalar_array.ScalarArray` (arrays of
``minigrad.scalar.Value``), where broadcasting, reductions and matrix products
are nothing but repeated scalar operations. Outputs and the gradient of every
element of every input must agree.

A function written with Tensor methods and operators runs on both as it is.
Module-level functions (``concatenate``, ``nn.functional.conv2d``, …) are found
through :func:`array_namespace`, as in the Array API standard, or passed
directly as ``fn``.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import Tensor
    >>> x = Tensor(np.array([[1.0, 2.0], [3.0, 4.0]]), requires_grad=True)
    >>> y = Tensor(np.array([0.5, -1.0]), requires_grad=True)
    >>> check_against_scalar(lambda a, b: (a * b).sum(axis=0).exp(), x, y)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from minigrad.tensor.autograd import backward
from minigrad.tensor.tensor import Tensor
from minigrad.tensor.testing.report import ScalarMismatchError, describe_tolerance, find_mismatch
from minigrad.tensor.testing.scalar_array import ScalarArray, is_value, total, value_type

__all__ = ["array_namespace", "check_against_scalar", "scalar_counterpart"]


def array_namespace(*arrays: Any) -> Any:
    """The module of functions that fits ``arrays``: ``minigrad.tensor`` or its scalar twin.

    Lets a function use ``concatenate``, ``where``, ``nn.functional.conv2d`` … and
    still run on both engines, as the Array API standard's ``array_namespace``.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> def joined(a, b):
        ...     return array_namespace(a, b).concatenate([a, b], axis=0)
        >>> x = Tensor(np.ones(2), requires_grad=True)
        >>> check_against_scalar(joined, x, Tensor(np.zeros(3), requires_grad=True))
    """
    if any(isinstance(a, ScalarArray) for a in _flatten(arrays)):
        from minigrad.tensor.testing import scalar_functions

        return scalar_functions
    import minigrad.tensor
    import minigrad.tensor.nn.functional

    return minigrad.tensor


def scalar_counterpart(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The function to run on the scalar side for ``fn``.

    ``Tensor.exp`` maps to ``ScalarArray.exp``; public functions of
    ``minigrad.tensor`` and ``minigrad.tensor.nn.functional`` map to their
    definitions in ``scalar_functions``; anything else (a lambda written with the
    Tensor API) runs as it is.
    """
    name = getattr(fn, "__name__", "")
    if name and getattr(Tensor, name, None) is fn:
        method = getattr(ScalarArray, name, None)
        if method is None:
            raise NotImplementedError(
                f"the scalar adapter has no counterpart of Tensor.{name}; add ScalarArray.{name}"
            )
        return method  # type: ignore[no-any-return]
    return _function_table().get(fn, fn)


def check_against_scalar(
    fn: Callable[..., Any],
    *inputs: Any,
    atol: float = 1e-8,
    rtol: float = 1e-6,
    grad_output: Any = None,
    name: str | None = None,
) -> None:
    """Run ``fn`` on Tensors and on scalar-engine Values; compare outputs and all gradients.

    Args:
        fn: a function written against the Tensor API, returning a Tensor or a
            tuple (or list) of Tensors.
        *inputs: the arguments of ``fn``. Floating Tensors must be float64; those
            that require grad have every element's gradient compared. Integer
            Tensors (labels, indices) and other arguments pass through as constants.
        atol: absolute tolerance (the two engines differ only by rounding).
        rtol: relative tolerance, relative to the scalar engine's value.
        grad_output: the gradient flowing into each floating output (an array or
            Tensor, or a sequence of them for several outputs). By default seeded
            standard-normal values, not ones: ones would hide a backward rule that
            puts the right numbers in the wrong places.
        name: the operation's name for the report (default: ``fn``'s name, or for a
            lambda the last operation it recorded).

    Raises:
        ScalarMismatchError: an output or a gradient differs; the message names the
            op, the input, the element, both values and the shapes.
        TypeError: a floating input is not float64.
        ImportError: ``minigrad-scalar`` is not installed.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> x = Tensor(np.array([0.5, 2.0, 3.0]), requires_grad=True)
        >>> check_against_scalar(lambda t: t.log().softmax(axis=0), x)
    """
    value_type()  # fail early, with the install hint, when the scalar engine is missing
    for i, x in enumerate(inputs):
        if isinstance(x, Tensor) and x.dtype.kind == "f" and x.dtype != np.float64:
            raise TypeError(
                f"check_against_scalar: input {i} (shape {x.shape}) has dtype {x.dtype}; "
                "floating inputs must be float64, the precision of the scalar engine"
            )
    copies = tuple(_fresh_leaf(x) for x in inputs)
    tensor_outputs = _tensor_outputs(fn(*copies))
    label = name or _describe(fn, tensor_outputs)
    lifted = tuple(ScalarArray.from_numbers(x.data) if isinstance(x, Tensor) else x for x in inputs)
    scalar_outputs = _scalar_outputs(scalar_counterpart(fn)(*lifted), label)
    _compare_outputs(tensor_outputs, scalar_outputs, label, atol, rtol)

    seeds = _seeds(grad_output, tensor_outputs, label)
    roots = [
        (o, s)
        for o, s in zip(tensor_outputs, seeds, strict=True)
        if s is not None and o.requires_grad
    ]
    if roots:
        backward([o for o, _ in roots], [s for _, s in roots])
    weighted = [
        v * float(w)
        for out, seed in zip(scalar_outputs, seeds, strict=True)
        if seed is not None
        for v, w in zip(out.values.reshape(-1), seed.reshape(-1), strict=True)
        if is_value(v)
    ]
    if weighted:
        total(weighted).backward()

    for i, (copy, scalar) in enumerate(zip(copies, lifted, strict=True)):
        if not (isinstance(copy, Tensor) and copy.requires_grad):
            continue
        assert isinstance(scalar, ScalarArray)
        expected = np.vectorize(lambda v: v.grad, otypes=[np.float64])(scalar.values)
        got = copy.grad
        if got is None:
            got = np.zeros(copy.shape)
        elif got.shape != copy.shape or got.dtype != copy.dtype:
            raise ScalarMismatchError(
                f"{label}: gradient of input {i} has shape {got.shape} and dtype {got.dtype}, "
                f"but the input has shape {copy.shape} and dtype {copy.dtype}"
            )
        mismatch = find_mismatch(got, expected.reshape(copy.shape), atol=atol, rtol=rtol)
        if mismatch is not None:
            raise ScalarMismatchError(
                f"{label}: gradient of input {i} (shape {copy.shape}) differs from the scalar "
                f"engine at element {mismatch.index}: tensor {mismatch.actual!r}, "
                f"scalar {mismatch.expected!r}\n  "
                + describe_tolerance(mismatch, atol=atol, rtol=rtol, reference="scalar")
                + f"; output shapes {[o.shape for o in tensor_outputs]}"
            )


# --------------------------------------------------------------------------- internals


def _flatten(items: Sequence[Any]) -> list[Any]:
    flat: list[Any] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            flat.extend(_flatten(item))
        else:
            flat.append(item)
    return flat


def _function_table() -> dict[Any, Callable[..., Any]]:
    """Public tensor functions -> their scalar definitions, matched by name."""
    import minigrad.tensor
    from minigrad.tensor.testing import scalar_functional, scalar_functions

    table: dict[Any, Callable[..., Any]] = {}
    for name in scalar_functions.__all__:
        tensor_function = getattr(minigrad.tensor, name, None)
        if callable(tensor_function):
            table[tensor_function] = getattr(scalar_functions, name)
    try:
        import minigrad.tensor.nn.functional as functional
    except ImportError:  # pragma: no cover - nn arrives with its own issue
        return table
    for name in scalar_functional.__all__:
        tensor_function = getattr(functional, name, None)
        if callable(tensor_function):
            table[tensor_function] = getattr(scalar_functional, name)
    return table


def _fresh_leaf(x: Any) -> Any:
    """A private copy of a Tensor input, so ``fn`` never touches the caller's tensors."""
    if not isinstance(x, Tensor):
        return x
    return Tensor(x.data.copy(), requires_grad=x.requires_grad)


def _tensor_outputs(result: Any) -> tuple[Tensor, ...]:
    outputs = (result,) if isinstance(result, Tensor) else result
    if not isinstance(outputs, (tuple, list)) or not all(isinstance(o, Tensor) for o in outputs):
        raise TypeError(
            "check_against_scalar: fn must return a Tensor or a tuple of Tensors on Tensors, "
            f"got {type(result).__name__}"
        )
    return tuple(outputs)


def _scalar_outputs(result: Any, label: str) -> tuple[ScalarArray, ...]:
    outputs = (result,) if isinstance(result, ScalarArray) else result
    if not isinstance(outputs, (tuple, list)) or not all(
        isinstance(o, ScalarArray) for o in outputs
    ):
        raise TypeError(
            f"{label}: on the scalar side fn must return ScalarArrays, got "
            f"{type(result).__name__}; write fn with Tensor methods, or reach module "
            "functions through array_namespace(x)"
        )
    return tuple(outputs)


def _describe(fn: Callable[..., Any], outputs: tuple[Tensor, ...]) -> str:
    name = getattr(fn, "__name__", "")
    if name and name != "<lambda>":
        return name
    recorded = [o.grad_fn.name for o in outputs if o.grad_fn is not None]
    return f"lambda ending in {', '.join(recorded)}" if recorded else "lambda"


def _compare_outputs(
    tensors: tuple[Tensor, ...],
    scalars: tuple[ScalarArray, ...],
    label: str,
    atol: float,
    rtol: float,
) -> None:
    if len(tensors) != len(scalars):
        raise ScalarMismatchError(
            f"{label}: {len(tensors)} outputs on the tensor engine but {len(scalars)} on the "
            "scalar engine"
        )
    for k, (t, s) in enumerate(zip(tensors, scalars, strict=True)):
        if t.shape != s.shape:
            raise ScalarMismatchError(
                f"{label}: output {k} has shape {t.shape} on the tensor engine but {s.shape} on "
                "the scalar engine"
            )
        mismatch = find_mismatch(t.data, s.data, atol=atol, rtol=rtol)
        if mismatch is not None:
            raise ScalarMismatchError(
                f"{label}: output {k} (shape {t.shape}) differs from the scalar engine at "
                f"element {mismatch.index}: tensor {mismatch.actual!r}, "
                f"scalar {mismatch.expected!r}\n  "
                + describe_tolerance(mismatch, atol=atol, rtol=rtol, reference="scalar")
            )


def _seeds(given: Any, outputs: tuple[Tensor, ...], label: str) -> list[np.ndarray | None]:
    """One float64 gradient per floating output (None for integer or boolean outputs)."""
    floating = [o.dtype.kind == "f" for o in outputs]
    if given is None:
        rng = np.random.default_rng(0)
        return [
            rng.standard_normal(o.shape) if f else None
            for o, f in zip(outputs, floating, strict=True)
        ]
    single = isinstance(given, (Tensor, np.ndarray)) or np.isscalar(given)
    listed = [given] if single else list(given)
    if len(listed) != sum(floating):
        raise ValueError(
            f"{label}: {sum(floating)} floating outputs but {len(listed)} grad_output arrays"
        )
    supplied = iter(listed)
    seeds: list[np.ndarray | None] = []
    for out, f in zip(outputs, floating, strict=True):
        if not f:
            seeds.append(None)
            continue
        seed = np.asarray(_raw(next(supplied)), dtype=np.float64)
        if seed.shape != out.shape:
            raise ValueError(
                f"{label}: grad_output has shape {seed.shape} but the output has shape {out.shape}"
            )
        seeds.append(seed)
    return seeds


def _raw(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x
