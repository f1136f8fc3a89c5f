"""Indexing (``t[...]``) and its backward rule, a scatter into zeros.

Basic indices (ints, slices, None, Ellipsis) and boolean masks pick every
element at most once, so the backward pass can assign the gradient into a
zero array. Integer-array indices may pick an element several times; their
backward pass accumulates with ``np.add.at`` so that repeated picks add up.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import Op
from minigrad.tensor.autograd.record import apply
from minigrad.tensor.ops.registry import install_methods
from minigrad.tensor.tensor import Tensor

__all__ = ["IndexingMethods", "getitem", "plain_index", "scatter", "scatter_add"]

_BASIC = (int, np.integer, slice, type(None), type(Ellipsis))


def _plain_part(part: Any) -> Any:
    """One component of an index with Tensors and lists turned into ndarrays."""
    if isinstance(part, _BASIC):
        return part
    if isinstance(part, Tensor):
        part = part.data
    elif isinstance(part, (list, tuple)):
        part = np.asarray(part)
    if isinstance(part, np.ndarray):
        if part.dtype.kind not in "iub":
            if part.size == 0:
                return part.astype(np.intp)
            raise IndexError(f"index arrays must hold integers or booleans, got dtype {part.dtype}")
        return part
    raise IndexError(
        "only ints, slices, None, Ellipsis, integer arrays and boolean masks are valid "
        f"indices, got {type(part).__name__}"
    )


def plain_index(index: Any) -> tuple[Any, bool]:
    """The index as NumPy sees it, and whether it may pick an element more than once."""
    parts = index if isinstance(index, tuple) else (index,)
    plain = tuple(_plain_part(p) for p in parts)
    repeats = any(isinstance(p, np.ndarray) and p.dtype.kind != "b" for p in plain)
    return (plain if isinstance(index, tuple) else plain[0]), repeats


def _getitem_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    index, repeats = node.args
    return (scatter(g, index, a.shape, repeats),)


def _getitem_by_tensor_backward(
    node: Node, g: Any, out: Any, a: Any, index: Any
) -> tuple[Any, None]:
    (repeats,) = node.args
    plain = index.data if isinstance(index, Tensor) else index
    return (scatter(g, plain, a.shape, repeats), None)


def _scatter_forward(
    g: np.ndarray, index: Any, shape: tuple[int, ...], repeats: bool
) -> np.ndarray:
    result = np.zeros(shape, dtype=g.dtype)
    if repeats:
        np.add.at(result, index, g)
    else:
        result[index] = g
    return result


def _scatter_backward(node: Node, g: Any, out: Any, src: Any) -> tuple[Any]:
    return (g[node.args[0]],)


GETITEM = Op("getitem", lambda x, index, repeats: x[index], _getitem_backward, reads_inputs=False)
# An index that is one Tensor (a mask, the indices of an embedding) is an input,
# not an argument: replaying the op with new data then picks the new elements.
GETITEM_BY_TENSOR = Op("getitem", lambda x, index, repeats: x[index], _getitem_by_tensor_backward)
SCATTER = Op("scatter", _scatter_forward, _scatter_backward)


def scatter(g: Any, index: Any, shape: tuple[int, ...], repeats: bool) -> Any:
    """Zeros of ``shape`` with ``g`` placed at ``index``; with ``repeats``, repeated indices add up.

    The backward of indexing. Works on arrays, and on Tensors (recording a
    graph whose backward is indexing again).
    """
    if isinstance(g, Tensor):
        return apply(SCATTER, (g,), (index, shape, repeats))
    return _scatter_forward(g, index, shape, repeats)


def scatter_add(g: Any, index: Any, shape: tuple[int, ...]) -> Any:
    """Zeros of ``shape`` with ``g`` added at ``index``; repeated indices add up.

    Works on arrays and on Tensors, like :func:`scatter`.
    """
    return scatter(g, index, shape, True)


def getitem(a: Tensor, index: Any) -> Tensor:
    """``a[index]`` for ints, slices, None, Ellipsis, integer arrays and boolean masks."""
    try:
        if isinstance(index, (int, slice)) and not isinstance(index, bool):
            return apply(GETITEM, (a,), (index, False))
        plain, repeats = plain_index(index)
        if isinstance(index, Tensor) and index.dtype.kind in "iub":
            return apply(GETITEM_BY_TENSOR, (a, index), (repeats,))
        return apply(GETITEM, (a,), (plain, repeats))
    except IndexError as error:
        raise IndexError(
            f"index {index!r} is invalid for a tensor of shape {a.shape}: {error}"
        ) from None


class IndexingMethods:
    """The Tensor methods of this module, installed on Tensor below."""

    __getitem__ = getitem


install_methods(IndexingMethods)
