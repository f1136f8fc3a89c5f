"""Version counters: how the backward pass notices that a saved tensor was changed in place.

A backward rule reads its inputs' ``.data`` when the backward pass runs, not
when the forward pass recorded the node. If something changed an input in
place in between (an optimizer step, a running-statistics update), the rule
would silently compute with the new values. As PyTorch does, MiniGrad counts
the in-place writes it makes itself and the backward pass refuses a node whose
inputs were written after it was recorded.

How it stays cheap:

* every in-place write MiniGrad makes calls :func:`bump_version`, which ticks
  one global write clock and stamps the tensor with the tick, its new version
  (how many times it was written, PyTorch's ``tensor._version``) and who wrote it
  (an optimizer step stamps all its parameters with one tick: :func:`bump_versions`);
* a recorded node keeps one int, the clock when it was recorded
  (``node.recorded_at``); nothing is stored on the no-grad path;
* before a node's rule runs, the backward pass compares that int with the
  clock. Only when something was written since does it look at the inputs
  (:func:`check_unmodified`), so a plain forward-backward pays one comparison
  per node.

Writing to ``tensor.data`` by hand is not counted (as in PyTorch): that is the
user's business.

Example:
    >>> from minigrad.tensor import Tensor
    >>> w = Tensor([1.0, 2.0], requires_grad=True)
    >>> y = (w * w).sum()
    >>> w.data -= 1.0  # what an optimizer does to a parameter...
    >>> bump_version(w, "an example")  # ...and then tells the engine
    >>> w._version
    1
    >>> y.backward()
    Traceback (most recent call last):
    ...
    RuntimeError: backward: one of the variables needed for gradient computation has been \
modified by an inplace operation: input 0 of 'mul' (a leaf of shape (2,), float32, that \
requires grad) was changed in place by an example after 'mul' recorded it (it is now at \
version 1); call backward() before changing it (e.g. before optimizer.step()), or compute \
the graph again after the change
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from minigrad.tensor.autograd.node import Node
    from minigrad.tensor.tensor import Tensor

__all__ = [
    "LastWrite",
    "bump_version",
    "bump_versions",
    "check_unmodified",
    "version_of",
    "write_clock",
]

LastWrite = tuple[int, int, str]
"""``(version, clock tick, writer)`` of a tensor's last in-place write (``tensor._last_write``)."""


class _WriteClock:
    """The number of in-place writes MiniGrad has made, on all threads together.

    A plain attribute: :func:`~minigrad.tensor.autograd.record.apply` reads it
    once per recorded node, and the backward pass once per node.
    """

    __slots__ = ("now",)

    def __init__(self) -> None:
        self.now = 0


write_clock = _WriteClock()
_tick_lock = threading.Lock()


def _tick() -> int:
    """Advance the write clock by one and return its new value (under a lock: threads share it)."""
    with _tick_lock:
        write_clock.now += 1
        return write_clock.now


def bump_version(tensor: Tensor, writer: str) -> None:
    """Record that ``writer`` (e.g. ``"SGD.step"``) has just changed ``tensor``'s data in place.

    Graphs recorded before this call that saved ``tensor`` refuse to run
    their backward pass through it. Call it after the write.
    """
    tensor._last_write = (version_of(tensor) + 1, _tick(), writer)


def bump_versions(tensors: Iterable[Tensor], writer: str) -> None:
    """:func:`bump_version` for several tensors written by one update, with one clock tick.

    An optimizer step calls it once, after it wrote all its parameters: each
    gets a new version, and all the same tick. Sharing the tick loses nothing:
    a node records the clock when it is recorded, and every node recorded
    before this call (even on another thread, during the update) has an older
    tick, so it sees every one of these tensors as written after it.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> a, b = Tensor([1.0]), Tensor([2.0])
        >>> bump_versions([a, b], "an example")
        >>> a._last_write[1] == b._last_write[1], version_of(a), version_of(b)
        (True, 1, 1)
    """
    tick = _tick()
    for tensor in tensors:
        last: LastWrite | None = getattr(tensor, "_last_write", None)
        tensor._last_write = (1 if last is None else last[0] + 1, tick, writer)


def version_of(tensor: Tensor) -> int:
    """How many in-place writes MiniGrad has made to ``tensor`` (0 for a fresh tensor)."""
    last: LastWrite | None = getattr(tensor, "_last_write", None)
    return 0 if last is None else last[0]


def _written_since(tensor: Tensor, tick: int) -> LastWrite | None:
    last: LastWrite | None = getattr(tensor, "_last_write", None)
    return last if last is not None and last[1] > tick else None


def _describe(tensor: Tensor) -> str:
    kind = "a leaf" if tensor._node is None else "a tensor"
    grad = ", that requires grad" if tensor.requires_grad else ""
    return f"{kind} of shape {tensor.shape}, {tensor.dtype}{grad}"


def _viewed_tensor(tensor: Tensor) -> Tensor | None:
    """The tensor whose memory ``tensor.data`` shares, if known: what it views or was detached from.

    A reshape, transpose or slice of a parameter shares the parameter's memory,
    so a write to the parameter changes it too; so does ``detach()``. Views are
    followed through the graph (the input of the view's own node), so a view
    made under ``no_grad`` is not followed.
    """
    source: Tensor | None = getattr(tensor, "_detached_from", None)
    if source is not None:
        return source
    data = tensor.data
    node = tensor._node
    if data.base is None or node is None or node.inputs is None:
        return None
    for source in node.inputs:
        if np.may_share_memory(data, source.data):
            return source
    return None


def check_unmodified(node: Node, inputs: tuple[Tensor, ...]) -> None:
    """Raise RuntimeError if an input of ``node`` (or what it views) was written since recording.

    Called by the backward pass only when the write clock moved since the node
    was recorded, and only for ops whose rule reads its inputs' values.
    """
    tick = node.recorded_at
    for index, tensor in enumerate(inputs):
        viewed: Tensor | None = tensor
        via = ""
        while viewed is not None:
            last = _written_since(viewed, tick)
            if last is not None:
                version, _, writer = last
                raise RuntimeError(
                    "backward: one of the variables needed for gradient computation has been "
                    f"modified by an inplace operation: input {index} of '{node.op.name}' "
                    f"({_describe(tensor)}){via} was changed in place by {writer} after "
                    f"'{node.op.name}' recorded it (it is now at version {version}); call "
                    "backward() before changing it (e.g. before optimizer.step()), or compute "
                    "the graph again after the change"
                )
            viewed = _viewed_tensor(viewed)
            if viewed is not None:
                via = f", which shares the memory of {_describe(viewed)},"
