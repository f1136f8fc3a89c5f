"""Grad mode: whether operations record the graph (on by default, per thread).

`no_grad` turns recording off for a block, in the current thread only;
`is_grad_enabled` says whether it is on. The engine asks at every operation,
so the question is answered in two steps: a plain module-level count of the
``no_grad`` blocks open in any thread (almost always 0, and cheap to read),
and only while some block is open, this thread's own switch.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["is_grad_enabled", "no_grad", "open_blocks"]


class _GradMode(threading.local):
    """Per-thread switch: each thread starts with recording on."""

    def __init__(self) -> None:
        self.enabled = True


_grad_mode = _GradMode()
_count_lock = threading.Lock()

open_blocks = 0
"""How many `no_grad` blocks are open right now, over all threads (read by the engine)."""


def is_grad_enabled() -> bool:
    """Whether operations in this thread currently record the graph.

    Example:
        >>> is_grad_enabled()
        True
        >>> with no_grad():
        ...     is_grad_enabled()
        False
    """
    return _grad_mode.enabled


@contextmanager
def no_grad() -> Iterator[None]:
    """Inside this block, operations compute results but record no graph.

    Use it where no gradient is wanted (evaluating a trained model, updating
    parameters): results are then leaves with no children, which saves the
    memory and time the graph would cost. The switch is per thread, and the
    previous mode comes back on exit, even after an exception. It also works
    as a decorator: ``@no_grad()``.

    Example:
        >>> from minigrad.scalar.engine import Value
        >>> x = Value(3.0)
        >>> with no_grad():
        ...     y = x * x
        >>> y.backward()   # y is a leaf: x is not reached
        >>> x.grad
        0.0
    """
    global open_blocks
    previous = _grad_mode.enabled
    with _count_lock:
        open_blocks += 1
    _grad_mode.enabled = False
    try:
        yield
    finally:
        _grad_mode.enabled = previous
        with _count_lock:
            open_blocks -= 1
