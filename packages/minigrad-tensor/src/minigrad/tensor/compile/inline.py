"""Backward rules simple enough to write into the plan as expressions, not calls.

The rule of ``a * b`` is two products; calling it costs a Python call, a tuple
and a look at ``node.needs``, more than the products themselves on small
arrays. A plan knows at recording which inputs need a gradient, so for the
arithmetic ops it writes the rule's expressions straight into its source:
``g2 = g1 * x1`` instead of ``g2, g3 = mul_backward(mul_node, g1, v0, x0, x1)``.
The expressions are the rules' own, so the numbers are the same bit for bit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from minigrad.tensor.autograd.op import Op
from minigrad.tensor.ops.elementwise import (
    ADD,
    ADD_CONSTANT,
    MUL,
    MUL_CONSTANT,
    NEG,
    RSUB_CONSTANT,
    SUB,
    SUB_CONSTANT,
)
from minigrad.tensor.ops.registry import ELEMENTWISE

__all__ = ["inline_rule", "linear_lines", "sum_lines"]

# template(g, inputs, args) -> one expression per input (None: no gradient for it)
_Template = Callable[[str, Sequence[str], tuple[Any, ...]], Sequence[str | None]]


def sum_lines(
    g: str, result: str, shape: tuple[int, ...], axes: tuple[int, ...], keepdims: bool
) -> list[str]:
    """The rule of ``sum``: a fresh array of the input's shape filled with the gradient.

    The same two steps as ``expand_reduced`` (an ``empty`` array, a broadcasting
    copy); ``DTYPE`` stands for the gradient's dtype, named by the plan.
    """
    source = g
    if not keepdims and axes and len(axes) != len(shape):
        kept = [n if i not in axes else 1 for i, n in enumerate(shape)]
        source = f"{g}.reshape({tuple(kept)!r})"
    return [f"{result} = empty({shape!r}, DTYPE)", f"{result}[...] = {source}"]


def linear_lines(
    g: str, inputs: Sequence[str], results: Sequence[str | None], in_shape: tuple[int, ...]
) -> list[str] | None:
    """The rule of ``linear`` on 2-D input: ``g @ W``, ``g.T @ x`` and ``g.sum(axis=0)``.

    The rule's own products (it reshapes to 2-D first, which 2-D input already is).
    """
    if len(in_shape) != 2:
        return None
    x, weight = inputs[0], inputs[1]
    expressions = [f"{g} @ {weight}", f"{g}.T @ {x}", f"{g}.sum(axis=0)"]
    return [
        f"{result} = {expression}"
        for result, expression in zip(results, expressions, strict=False)
        if result is not None
    ]


_RELU = ELEMENTWISE["relu"]

_TEMPLATES: dict[Op, _Template] = {
    _RELU: lambda g, x, args: (f"{g} * ({x[0]} > 0)",),
    ADD: lambda g, x, args: (g, g),
    ADD_CONSTANT: lambda g, x, args: (g,),
    SUB_CONSTANT: lambda g, x, args: (g,),
    SUB: lambda g, x, args: (g, f"-{g}"),
    NEG: lambda g, x, args: (f"-{g}",),
    RSUB_CONSTANT: lambda g, x, args: (f"-{g}",),
    MUL: lambda g, x, args: (f"{g} * {x[1]}", f"{g} * {x[0]}"),
    MUL_CONSTANT: lambda g, x, args: (f"{g} * {args[0]!r}",),
}


def inline_rule(
    op: Op, g: str, inputs: Sequence[str], args: tuple[Any, ...], results: Sequence[str | None]
) -> list[str] | None:
    """Lines computing ``results`` without calling ``op``'s rule, or None if it has no template.

    A constant argument must print as an exact literal (a finite float or an int).
    """
    template = _TEMPLATES.get(op)
    if template is None:
        return None
    if args and not all(
        type(a) in (int, float) and a == a and abs(a) != float("inf") for a in args
    ):
        return None
    expressions = template(g, inputs, args)
    return [
        f"{result} = {expression}"
        for result, expression in zip(results, expressions, strict=True)
        if result is not None
    ]
