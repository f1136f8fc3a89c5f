"""Indexing (``t[...]``) and its backward rule, a scatter-add into zeros."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.autograd import Node
from minigrad.tensor.tensor import Tensor, make_result


def _plain_index(index: Any) -> Any:
    """The index with Tensors replaced by their arrays."""
    if isinstance(index, tuple):
        return tuple(i.data if isinstance(i, Tensor) else i for i in index)
    return index.data if isinstance(index, Tensor) else index


def _getitem_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
    (index,) = node.args
    return (scatter_add(g, index, a.shape),)


def _scatter_add_backward(node: Node, g: Any, out: Any, src: Any) -> tuple[Any]:
    (index, _shape) = node.args
    return (g[index],)


def scatter_add(g: Any, index: Any, shape: tuple[int, ...]) -> Any:
    """Zeros of ``shape`` with ``g`` added at ``index``; repeated indices add up.

    The backward of indexing. Works on arrays, and on Tensors (recording a
    graph whose backward is indexing again).
    """
    if isinstance(g, Tensor):
        return make_result(
            scatter_add(g.data, index, shape),
            (g,),
            _scatter_add_backward,
            (index, shape),
            "scatter_add",
        )
    result = np.zeros(shape, dtype=g.dtype)
    np.add.at(result, index, g)
    return result


def getitem(a: Tensor, index: Any) -> Tensor:
    """``a[index]`` for ints, slices, None, Ellipsis, integer arrays and boolean masks."""
    index = _plain_index(index)
    try:
        data = a.data[index]
    except IndexError as error:
        raise IndexError(
            f"index {index!r} is invalid for a tensor of shape {a.shape}: {error}"
        ) from None
    return make_result(np.asarray(data), (a,), _getitem_backward, (index,), "getitem")
