"""The per-thread switches of the engine: grad mode, anomaly mode, the tracer and the capture.

One small object, :data:`state`, holds them for the current thread (as in
PyTorch, a ``no_grad`` block on one thread leaves the others recording). The
recording function (:func:`minigrad.tensor.autograd.record.apply`) and the
backward pass read it; the context managers below set it.

Example:
    >>> from minigrad.tensor import Tensor, no_grad
    >>> w = Tensor([1.0], requires_grad=True)
    >>> with no_grad():
    ...     (w * 2).requires_grad
    False
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

import numpy as np

if TYPE_CHECKING:
    from minigrad.tensor.autograd.node import Node
    from minigrad.tensor.autograd.op import Op
    from minigrad.tensor.tensor import Tensor

__all__ = [
    "Capture",
    "Tracer",
    "capturing",
    "check_finite",
    "check_not_capturing",
    "detect_anomaly",
    "enable_grad",
    "is_anomaly_enabled",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
    "state",
    "watching",
    "tracing",
    "under_capture",
]

_F = TypeVar("_F", bound=Callable[..., Any])

Tracer = Callable[["Op", "tuple[Tensor, ...]", "tuple[Any, ...]", "Tensor"], None]
"""``tracer(op, inputs, args, out)``: told of every operation the engine runs."""


class Capture(Protocol):
    """What a capture-and-replay compiler is told, besides every forward operation.

    Set with :func:`capturing`. The engine calls these at its few places where
    work happens outside :func:`~minigrad.tensor.autograd.record.apply`: the
    backward pass (each rule it runs, each leaf gradient it stores) and the
    in-place updates that are not operations (an optimizer step, a running
    statistic). Each call is one ``if`` on a plain attribute when no capture is set.
    """

    def op(self, op: Op, inputs: tuple[Tensor, ...], args: tuple[Any, ...], out: Tensor) -> None:
        """A forward operation ran (the tracer)."""

    def backward_pass(self, roots: list[Tensor], implicit_seed: bool, create_graph: bool) -> None:
        """``backward()`` starts from ``roots`` (seeded with 1 when ``implicit_seed``)."""

    def rule(self, node: Node, out: Tensor, grads: Sequence[Any]) -> None:
        """The backward pass ran ``node``'s rule on ``out``'s gradient and got ``grads``."""

    def leaf(self, tensor: Tensor, g: Any) -> None:
        """The backward pass is about to add ``g`` into ``tensor.grad``."""

    def module(self, module: Any) -> None:
        """A module (``minigrad.tensor.nn.Module``) is being called."""

    def effect(self, function: Callable[..., None], args: tuple[Any, ...]) -> None:
        """``function(*args)`` is about to change state in place (see :func:`under_capture`)."""

    def refuse(self, what: str) -> None:
        """Raise: ``what`` cannot be captured (a value read back into Python, say)."""


class _WatchCount:
    """How many tracers and anomaly modes are on, all threads together.

    :func:`~minigrad.tensor.autograd.record.apply` reads this plain attribute
    and looks at the thread-local ``tracer`` and ``anomaly_enabled`` only when
    it is non-zero: each thread-local read costs about 0.04 us, 4% of a small
    ``a + b`` (benchmark W3a, medians of per-process minima: 1.10x the engine
    before Op objects when ``anomaly_enabled`` was read on every recorded op,
    1.06x with this count read instead).
    """

    __slots__ = ("on",)

    def __init__(self) -> None:
        self.on = 0

    def change(self, before: object, after: object) -> None:
        """Count a switch of one thread's setting from ``before`` to ``after`` (None/False: off)."""
        step = bool(after) - bool(before)
        if step:
            with _count_lock:
                self.on += step


watching = _WatchCount()
_count_lock = threading.Lock()


class _ThreadState(threading.local):
    """Grad mode, anomaly mode and the tracer, one copy per thread.

    Attributes:
        grad_enabled: whether operations record a graph.
        anomaly_enabled: whether results and gradients are checked for nan and inf.
        tracer: None, or a function called with every operation run (recorded or not).
        capture: None, or the :class:`Capture` that :func:`capturing` set.
    """

    grad_enabled: bool = True
    _anomaly_enabled: bool = False
    _tracer: Tracer | None = None
    capture: Capture | None = None

    @property
    def anomaly_enabled(self) -> bool:
        """Whether results and gradients are checked for nan and inf on this thread."""
        return self._anomaly_enabled

    @anomaly_enabled.setter
    def anomaly_enabled(self, enabled: bool) -> None:
        watching.change(self._anomaly_enabled, enabled)
        self._anomaly_enabled = enabled

    @property
    def tracer(self) -> Tracer | None:
        """None, or ``tracer(op, inputs, args, out)``, called for every op on this thread."""
        return self._tracer

    @tracer.setter
    def tracer(self, tracer: Tracer | None) -> None:
        watching.change(self._tracer, tracer)
        self._tracer = tracer


state = _ThreadState()
"""This thread's switches (read on every operation, so kept to a few attributes)."""


def is_grad_enabled() -> bool:
    """Whether operations on this thread currently record a graph."""
    return state.grad_enabled


def is_anomaly_enabled() -> bool:
    """Whether :class:`detect_anomaly` is active on this thread."""
    return state.anomaly_enabled


class _SavedModes(threading.local):
    """What one mode-switch object must restore on exit, one copy per thread.

    One ``no_grad()`` object may be entered by two threads at once (a shared
    decorator instance, a module-level context object): each thread restores
    its own previous mode.
    """

    def __init__(self) -> None:
        self.previous: list[bool] = []
        self.quiet: list[Any] = []


class _ModeSwitch(contextlib.ContextDecorator):
    """Sets a thread-local flag for the duration of a ``with`` block or a call."""

    _attribute = ""
    _value = True

    def __init__(self) -> None:
        self._saved = _SavedModes()

    def _recreate_cm(self) -> _ModeSwitch:
        # A fresh instance per decorated call keeps recursion and threads apart.
        return type(self)()

    def __enter__(self) -> None:
        self._saved.previous.append(getattr(state, self._attribute))
        setattr(state, self._attribute, self._value)

    def __exit__(self, *exc_info: object) -> None:
        setattr(state, self._attribute, self._saved.previous.pop())


class no_grad(_ModeSwitch):  # noqa: N801 - named as in PyTorch
    """Context manager and decorator under which operations record no graph.

    The mode belongs to the current thread: other threads keep recording.

    Example:
        >>> from minigrad.tensor import Tensor, no_grad
        >>> w = Tensor([1.0], requires_grad=True)
        >>> with no_grad():
        ...     y = w * 2
        >>> y.requires_grad
        False
        >>> @no_grad()
        ... def predict(x):
        ...     return x * w
        >>> predict(Tensor([3.0])).requires_grad
        False
    """

    _attribute = "grad_enabled"
    _value = False


class enable_grad(_ModeSwitch):  # noqa: N801 - named as in PyTorch
    """Context manager and decorator that turns graph recording back on inside ``no_grad``."""

    _attribute = "grad_enabled"
    _value = True


class set_grad_enabled(contextlib.ContextDecorator):  # noqa: N801 - named as in PyTorch
    """Set grad mode to ``mode`` for a block, a decorated function, or (called bare) from now on.

    Example:
        >>> from minigrad.tensor import Tensor, set_grad_enabled
        >>> w = Tensor([1.0], requires_grad=True)
        >>> with set_grad_enabled(False):
        ...     (w * 2).requires_grad
        False
    """

    def __init__(self, mode: bool) -> None:
        self._mode = bool(mode)
        self._previous = state.grad_enabled
        state.grad_enabled = self._mode

    def __call__(self, func: _F) -> _F:
        """Decorate ``func``: the mode is switched per call, not when ``func`` is defined."""
        state.grad_enabled = self._previous
        return super().__call__(func)

    def _recreate_cm(self) -> Any:
        return enable_grad() if self._mode else no_grad()

    def __enter__(self) -> None:
        state.grad_enabled = self._mode

    def __exit__(self, *exc_info: object) -> None:
        state.grad_enabled = self._previous


class detect_anomaly(_ModeSwitch):  # noqa: N801 - named as in PyTorch
    """Raise at the first operation whose result or gradient holds a NaN or an infinity.

    The error names the operation and the shapes of its inputs, so the search for
    the source of a NaN starts at the right line rather than at the loss. Inside
    the block NumPy's own floating-point warnings are silenced: the error says more.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, detect_anomaly
        >>> x = Tensor([-1.0], requires_grad=True)
        >>> with detect_anomaly():
        ...     x.log()
        Traceback (most recent call last):
        ...
        FloatingPointError: log produced nan in its forward result (input shapes: (1,))
    """

    _attribute = "anomaly_enabled"
    _value = True

    def __enter__(self) -> None:
        super().__enter__()
        quiet = np.errstate(all="ignore")
        quiet.__enter__()
        self._saved.quiet.append(quiet)

    def __exit__(self, *exc_info: object) -> None:
        self._saved.quiet.pop().__exit__(*exc_info)
        super().__exit__(*exc_info)


def check_finite(value: Any, what: str, op_name: str, inputs: tuple[Any, ...]) -> None:
    """Under :class:`detect_anomaly`: raise if a float ``value`` holds a nan or an inf.

    The message names the operation, what was checked and the input shapes.
    """
    data = value.data if not isinstance(value, np.ndarray) else value
    if isinstance(data, np.ndarray) and data.dtype.kind == "f" and not np.isfinite(data).all():
        kind = "nan" if np.isnan(data).any() else "inf"
        shapes = ", ".join(str(x.shape) for x in inputs)
        raise FloatingPointError(
            f"{op_name} produced {kind} in its {what} (input shapes: {shapes})"
        )


@contextlib.contextmanager
def tracing(tracer: Tracer) -> Iterator[None]:
    """Call ``tracer(op, inputs, args, out)`` for every operation run inside the block.

    Every operation is reported, recorded in a graph or not (under ``no_grad``
    too), after its forward computation, with the exact arguments its
    ``op.forward`` received. This is the seam a capture-and-replay compiler
    builds on. Blocks nest; the inner tracer replaces the outer one.

    Example:
        >>> from minigrad.tensor import Tensor
        >>> seen = []
        >>> with tracing(lambda op, inputs, args, out: seen.append(op.name)):
        ...     y = (Tensor([1.0]) * 2).exp()
        >>> seen
        ['mul', 'exp']
    """
    previous = state.tracer
    state.tracer = tracer
    try:
        yield
    finally:
        state.tracer = previous


@contextlib.contextmanager
def capturing(capture: Capture) -> Iterator[None]:
    """Tell ``capture`` of everything the engine does inside the block (see :class:`Capture`).

    This is the seam of :mod:`minigrad.tensor.compile`: forward operations reach
    ``capture.op`` through :func:`tracing`, and the backward pass, the optimizers
    and batch norm's running statistics report to the other methods.
    """
    previous = state.capture
    state.capture = capture
    try:
        with tracing(capture.op):
            yield
    finally:
        state.capture = previous


def under_capture(function: Callable[..., None], *args: Any) -> bool:
    """Report the in-place update ``function(*args)`` to the capture, if one is set.

    Returns whether one is. Call it just before running the update: an
    optimizer's step, a running statistic. A compiler replays the update by
    calling ``function`` again with the same arguments (arrays that the step
    computed are replaced by the replay's), so ``function`` must read all it
    needs from ``args``.
    """
    if watching.on and state.capture is not None:
        state.capture.effect(function, args)
        return True
    return False


def check_not_capturing(what: str) -> None:
    """Raise if a capture is running: ``what`` (``"Tensor.item()"``...) reads a value into Python.

    Python control flow on tensor values is frozen when a step is recorded, so
    a compiled function must not read values; the capture's error says so.
    """
    if watching.on and state.capture is not None:
        state.capture.refuse(what)
