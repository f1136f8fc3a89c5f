"""Gradients against float64 central differences: ``gradcheck`` and ``gradgradcheck``.

The meaning and defaults are PyTorch's: the full Jacobian of every output with
respect to every input that requires grad, computed once by the autograd engine
(one backward pass per output element) and once numerically,
``(f(x + eps) - f(x - eps)) / (2 eps)`` per input element, must agree within
``atol + rtol * |numeric|`` everywhere.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import Tensor
    >>> x = Tensor(np.array([0.5, 1.5]), requires_grad=True)
    >>> gradcheck(lambda t: (t * t).exp(), (x,))
    True
    >>> gradgradcheck(lambda t: (t * t).exp(), (x,))
    True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from minigrad.tensor.autograd import grad
from minigrad.tensor.tensor import Tensor
from minigrad.tensor.testing.report import GradcheckError, describe_tolerance, find_mismatch

__all__ = ["gradcheck", "gradgradcheck"]


def gradcheck(
    fn: Callable[..., Any],
    inputs: Tensor | Sequence[Any],
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check the gradients of ``fn`` at ``inputs`` against float64 central differences.

    Args:
        fn: a function of the inputs returning a Tensor or a tuple of Tensors.
        inputs: a Tensor or a sequence of arguments for ``fn``. Tensors that require
            grad are checked and must be float64; other arguments pass through.
        eps: the finite-difference step.
        atol: absolute tolerance.
        rtol: relative tolerance, relative to the numeric value.
        raise_exception: raise :class:`GradcheckError` on a mismatch (the default);
            otherwise return False.

    Returns:
        True when every Jacobian entry agrees.

    Raises:
        GradcheckError: naming the output, the input, both element indices, the
            analytic and numeric values and the shapes.
        TypeError: an input that requires grad is not float64.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> a = Tensor(np.ones((2, 3)), requires_grad=True)
        >>> b = Tensor(np.arange(3.0), requires_grad=True)
        >>> gradcheck(lambda x, y: (x * y).sum(axis=0), (a, b))
        True
    """
    arguments = _as_arguments(inputs)
    names = [f"input {i}" for i in range(len(arguments))]
    return _check(fn, arguments, names, "gradcheck", eps, atol, rtol, raise_exception)


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Tensor | Sequence[Any],
    grad_outputs: Tensor | Sequence[Tensor] | None = None,
    *,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    raise_exception: bool = True,
) -> bool:
    """Check second derivatives of ``fn``: ``gradcheck`` of its gradient function.

    The gradient function maps ``(inputs, grad_outputs)`` to the gradients of
    ``fn``'s outputs, weighted by ``grad_outputs``, with respect to the inputs that
    require grad, computed with ``create_graph=True``. Its own gradients are then
    checked against central differences, with respect to the inputs and to the
    ``grad_outputs`` that require grad.

    Args:
        fn: as for :func:`gradcheck`.
        inputs: as for :func:`gradcheck`.
        grad_outputs: one float64 Tensor per differentiable output of ``fn``. By
            default, standard-normal values (seeded, so a failure repeats) that
            require grad.
        eps: the finite-difference step.
        atol: absolute tolerance.
        rtol: relative tolerance.
        raise_exception: raise :class:`GradcheckError` on a mismatch, else return False.

    Returns:
        True when every second-order Jacobian entry agrees.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor
        >>> x = Tensor(np.array([[0.3, -1.2]]), requires_grad=True)
        >>> gradgradcheck(lambda t: t.tanh().sum(axis=1), (x,))
        True
    """
    arguments = _as_arguments(inputs)
    checked = _checked_positions(arguments, "gradgradcheck")
    outputs = _differentiable_outputs(fn(*arguments))
    seeds = _grad_outputs(grad_outputs, outputs)
    count = len(arguments)

    def gradient_of_fn(*values: Any) -> tuple[Tensor, ...]:
        now = _differentiable_outputs(fn(*values[:count]))
        wanted = [values[i] for i in checked]
        roots = [o for o in now if o.requires_grad]
        weights = [g for o, g in zip(now, values[count:], strict=True) if o.requires_grad]
        if not roots:
            return tuple(Tensor(np.zeros_like(x.data)) for x in wanted)
        return grad(roots, wanted, grad_outputs=weights, create_graph=True, allow_unused=True)

    names = [f"input {i}" for i in range(count)] + [f"grad_output {i}" for i in range(len(seeds))]
    return _check(
        gradient_of_fn,
        (*arguments, *seeds),
        names,
        "gradgradcheck",
        eps,
        atol,
        rtol,
        raise_exception,
        output_names=[f"gradient of input {i}" for i in checked],
    )


# --------------------------------------------------------------------------- internals


def _as_arguments(inputs: Any) -> tuple[Any, ...]:
    if isinstance(inputs, Tensor):
        return (inputs,)
    if not isinstance(inputs, (tuple, list)):
        raise TypeError(
            f"inputs must be a Tensor or a tuple of arguments, got {type(inputs).__name__}"
        )
    return tuple(inputs)


def _checked_positions(arguments: tuple[Any, ...], caller: str) -> list[int]:
    """Positions of the Tensors that require grad; refuses any that is not float64."""
    checked = [i for i, x in enumerate(arguments) if isinstance(x, Tensor) and x.requires_grad]
    if not checked:
        raise ValueError(
            f"{caller}: no input requires grad, so there is nothing to check; "
            "create the inputs with requires_grad=True"
        )
    for i in checked:
        x = arguments[i]
        if x.dtype != np.float64:
            raise TypeError(
                f"{caller}: input {i} (shape {x.shape}) requires grad but has dtype {x.dtype}; "
                "it must be float64, because central differences in lower precision are too "
                f"coarse to compare with (rounding error ~1e-7/eps); "
                "use Tensor(data, dtype='float64', requires_grad=True)"
            )
    return checked


def _differentiable_outputs(result: Any) -> tuple[Tensor, ...]:
    """``fn``'s floating outputs (integer and boolean outputs have no gradient)."""
    outputs = (result,) if isinstance(result, Tensor) else result
    if not isinstance(outputs, (tuple, list)) or not all(isinstance(o, Tensor) for o in outputs):
        raise TypeError(
            f"fn must return a Tensor or a tuple of Tensors, got {type(result).__name__}"
        )
    return tuple(o for o in outputs if o.dtype.kind == "f")


def _grad_outputs(
    given: Tensor | Sequence[Tensor] | None, outputs: tuple[Tensor, ...]
) -> tuple[Tensor, ...]:
    if given is None:
        rng = np.random.default_rng(0)
        return tuple(Tensor(rng.standard_normal(o.shape), requires_grad=True) for o in outputs)
    seeds = (given,) if isinstance(given, Tensor) else tuple(given)
    if len(seeds) != len(outputs):
        raise ValueError(
            f"gradgradcheck: fn has {len(outputs)} floating outputs but {len(seeds)} "
            "grad_outputs were given"
        )
    for i, (seed, out) in enumerate(zip(seeds, outputs, strict=True)):
        if not isinstance(seed, Tensor) or seed.shape != out.shape:
            given_shape = getattr(seed, "shape", type(seed).__name__)
            raise ValueError(
                f"gradgradcheck: grad_outputs[{i}] must be a Tensor of the output's shape "
                f"{out.shape}, got {given_shape}"
            )
        if seed.requires_grad and seed.dtype != np.float64:
            raise TypeError(
                f"gradgradcheck: grad_outputs[{i}] requires grad but has dtype {seed.dtype}; "
                "it must be float64 for central differences to be accurate enough"
            )
    return seeds


def _check(
    fn: Callable[..., Any],
    arguments: tuple[Any, ...],
    input_names: list[str],
    caller: str,
    eps: float,
    atol: float,
    rtol: float,
    raise_exception: bool,
    output_names: list[str] | None = None,
) -> bool:
    checked = _checked_positions(arguments, caller)
    outputs = _differentiable_outputs(fn(*arguments))
    out_names = output_names or [f"output {k}" for k in range(len(outputs))]
    wanted = [arguments[i] for i in checked]
    analytic = _analytic_jacobians(outputs, wanted, [input_names[i] for i in checked], caller)
    numeric = _numeric_jacobians(fn, arguments, checked, eps)
    for position, i in enumerate(checked):
        x = arguments[i]
        for k, out in enumerate(outputs):
            mismatch = find_mismatch(
                analytic[position][k], numeric[position][k], atol=atol, rtol=rtol
            )
            if mismatch is None:
                continue
            if not raise_exception:
                return False
            out_index, in_index = mismatch.index
            raise GradcheckError(
                f"{caller}: Jacobian of {out_names[k]} (shape {out.shape}) with respect to "
                f"{input_names[i]} (shape {x.shape}) differs from central differences at "
                f"{input_names[i]} element {_element(in_index, x.shape)}, "
                f"output element {_element(out_index, out.shape)}: "
                f"analytic {mismatch.actual!r}, numeric {mismatch.expected!r}\n  "
                + describe_tolerance(mismatch, atol=atol, rtol=rtol, reference="numeric")
                + f" (eps {eps:g})"
            )
    return True


def _element(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def _analytic_jacobians(
    outputs: tuple[Tensor, ...], wanted: list[Tensor], names: list[str], caller: str
) -> list[list[np.ndarray]]:
    """``J[input][output]`` of shape (output size, input size), one backward pass per row."""
    jacobians = [[np.zeros((o.size, x.size)) for o in outputs] for x in wanted]
    for k, out in enumerate(outputs):
        if not out.requires_grad:
            continue  # nothing depends on a checked input: the Jacobian is zero
        for row in range(out.size):
            seed = np.zeros(out.shape, dtype=out.dtype)
            seed.reshape(-1)[row] = 1.0
            grads = grad(out, wanted, grad_outputs=seed, retain_graph=True, allow_unused=True)
            for position, (x, g) in enumerate(zip(wanted, grads, strict=True)):
                if g.shape != x.shape or g.dtype != x.dtype:
                    raise GradcheckError(
                        f"{caller}: the gradient of {names[position]} has shape {g.shape} and "
                        f"dtype {g.dtype}, but the input has shape {x.shape} and dtype {x.dtype}"
                    )
                jacobians[position][k][row] = g.data.reshape(-1)
    return jacobians


def _numeric_jacobians(
    fn: Callable[..., Any], arguments: tuple[Any, ...], checked: list[int], eps: float
) -> list[list[np.ndarray]]:
    """Central differences, perturbing a private copy of each input's data."""
    base = _output_values(fn(*arguments))
    jacobians: list[list[np.ndarray]] = []
    for i in checked:
        x: Tensor = arguments[i]
        original = x.data
        working = original.copy()
        flat = working.reshape(-1)  # a view: writing it perturbs ``working``
        jacobian = [np.zeros((b.size, x.size)) for b in base]
        x.data = working
        try:
            for element in range(x.size):
                centre = flat[element]
                flat[element] = centre + eps
                plus = _output_values(fn(*arguments))
                flat[element] = centre - eps
                minus = _output_values(fn(*arguments))
                flat[element] = centre
                for k, (p, m) in enumerate(zip(plus, minus, strict=True)):
                    jacobian[k][:, element] = (p - m) / (2 * eps)
        finally:
            x.data = original
        jacobians.append(jacobian)
    return jacobians


def _output_values(result: Any) -> list[np.ndarray]:
    return [np.array(o.data, dtype=np.float64).reshape(-1) for o in _differentiable_outputs(result)]
