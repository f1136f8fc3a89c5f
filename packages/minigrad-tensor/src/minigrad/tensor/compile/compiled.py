"""``compile(fn)``: record on the first call, replay on the next ones, re-record on a guard."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar, overload

from minigrad.tensor.autograd.modes import capturing, state, watching
from minigrad.tensor.compile.guards import (
    CallKey,
    describe_call,
    externals_changed,
    key_changes,
    modules_changed,
)
from minigrad.tensor.compile.plan import Plan
from minigrad.tensor.compile.record import CompileError, Recorder
from minigrad.tensor.creation import default_generator
from minigrad.tensor.nn.module import structure_version
from minigrad.tensor.tensor import Tensor

__all__ = ["CompiledFunction", "compile"]

_P = ParamSpec("_P")
_R = TypeVar("_R")


class _Entry:
    """A plan with what it was recorded for."""

    __slots__ = ("generator", "key", "modules", "plan", "structure")

    def __init__(
        self,
        key: CallKey,
        modules: list[tuple[Any, bool]],
        plan: Plan,
        structure: int,
        generator: Any,
    ) -> None:
        self.key = key
        self.modules = modules
        self.plan = plan
        self.structure = structure
        self.generator = generator

    def mismatch(self, key: CallKey) -> str | None:
        """Why this plan does not fit a call with ``key`` now, or None when it does.

        Runs before every replay, so the passing case is a few comparisons; the
        helpers that explain a failure run only then.
        """
        if key != self.key:
            return key_changes(self.key, key)
        if structure_version() != self.structure:
            return "a module's parameters, buffers or submodules were added or replaced"
        if self.generator is not None and default_generator() is not self.generator:
            return "the default random generator is another one now (use_generator)"
        for module, training in self.modules:
            if module.training is not training:
                return modules_changed(self.modules)
        for external in self.plan.externals:
            tensor = external.tensor
            if (
                tensor.data is not external.array
                or tensor.requires_grad is not external.requires_grad
            ):
                return externals_changed(self.plan.externals)
        return None


class CompiledFunction(Generic[_P, _R]):
    """A function of tensors that runs from a recorded plan after its first call.

    Made by :func:`compile`; call it as the function itself. Attributes for
    the curious: :attr:`plan` (the last plan used; ``print(f.plan)`` shows its
    code), :attr:`plans` (all kept), :attr:`recordings` (why each was recorded).
    """

    def __init__(
        self, function: Callable[_P, _R], *, max_plans: int = 8, recompile: bool = True
    ) -> None:
        if not callable(function):
            raise TypeError(f"compile: expected a function, got {type(function).__name__}")
        if isinstance(max_plans, bool) or not isinstance(max_plans, int):
            raise TypeError(f"compile: max_plans must be an int, got {max_plans!r}")
        if max_plans < 1:
            raise ValueError(f"compile: max_plans must be at least 1, got {max_plans}")
        self.function = function
        self.max_plans = max_plans
        self.recompile = recompile
        self._entries: list[_Entry] = []
        self.recordings: list[str] = []
        """Why each plan was recorded, oldest first ("first call", "argument 0: shape ...")."""
        functools.update_wrapper(self, function)

    @property
    def plans(self) -> list[Plan]:
        """The plans kept, most recently used first."""
        return [entry.plan for entry in self._entries]

    @property
    def plan(self) -> Plan:
        """The most recently used plan (``print(f.plan)`` shows the code a replay runs)."""
        if not self._entries:
            raise RuntimeError("compile: no plan yet; call the compiled function once first")
        return self._entries[0].plan

    @property
    def source(self) -> str:
        """The Python source of the most recently used plan."""
        return self.plan.source

    def __call__(self, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        """Replay the plan recorded for calls like this one, or record one (eager run)."""
        if state.capture is not None:  # called inside another recording: be part of it
            return self.function(*args, **kwargs)
        if watching.on and state.anomaly_enabled:  # a replay checks nothing: run it eagerly
            return self.function(*args, **kwargs)
        tensors, key = describe_call(args, kwargs, state.grad_enabled)
        reasons = []
        for index, entry in enumerate(self._entries):
            reason = entry.mismatch(key)
            if reason is None:
                if index:
                    self._entries.insert(0, self._entries.pop(index))
                result: _R = entry.plan.run(*tensors)
                return result
            reasons.append(reason)
        why = reasons[0] if reasons else "first call"
        if reasons and not self.recompile:
            raise CompileError(
                f"compile: {getattr(self.function, '__name__', 'function')} was recorded for "
                f"other conditions ({why}); recompile=False refuses to record it again"
            )
        return self._record(key, tensors, why, args, kwargs)

    def _record(self, key: CallKey, tensors: list[Tensor], why: str, args: Any, kwargs: Any) -> _R:
        structure = structure_version()
        recorder = Recorder(tensors)
        with capturing(recorder):
            result = self.function(*args, **kwargs)
        constants: dict[str, Any] = {}
        output, slots = _output(result, recorder, constants)
        plan = Plan(
            recorder.instructions, len(tensors), recorder.externals, output, slots, constants
        )
        modules = [(module, module.training) for module in recorder.modules.values()]
        # Flags are guarded as they were when the step ran; a module that the step
        # itself switched would fail its guard: call train()/eval() outside.
        # A plan that draws random numbers holds the generator it drew from; under
        # another default generator (use_generator) it must draw from that one.
        generator = default_generator() if plan.random else None
        self._entries.insert(0, _Entry(key, modules, plan, structure, generator))
        del self._entries[self.max_plans :]
        self.recordings.append(why)
        return result  # the first call's answer is the eager run's own


def _output(value: Any, recorder: Recorder, constants: dict[str, Any]) -> tuple[str, set[str]]:
    """The source of the replay's return value, and the slots it reads."""
    if isinstance(value, Tensor):
        node = value._node
        if node is not None and node.inputs is not None:
            raise CompileError(
                f"the compiled function returned a tensor of shape {value.shape} that still "
                "has a graph; a replay returns plain tensors. Call backward() inside the "
                "function, or run a forward-only function under no_grad()"
            )
        name = recorder.tensor_name(value)
        if name[0] == "x":
            return "t" + name[1:], set()
        if name[0] == "p":
            return name.upper(), set()
        return f"Tensor({name})", {name}
    if isinstance(value, (tuple, list)):
        parts = [_output(v, recorder, constants) for v in value]
        inner = ", ".join(p[0] for p in parts)
        slots = set().union(*(p[1] for p in parts)) if parts else set()
        if isinstance(value, list):
            return f"[{inner}]", slots
        return (f"({inner},)" if len(parts) == 1 else f"({inner})"), slots
    if isinstance(value, dict):
        entries = [(repr(k), _output(v, recorder, constants)) for k, v in value.items()]
        if not all(isinstance(k, str) for k in value):
            raise CompileError("a compiled function may return dicts with string keys only")
        inner = ", ".join(f"{k}: {source}" for k, (source, _) in entries)
        found: set[str] = set()
        for _, (_, slots) in entries:
            found |= slots
        return "{" + inner + "}", found
    if value is None or isinstance(value, (bool, int, str)):
        return repr(value), set()
    raise CompileError(
        f"a compiled function may return tensors, tuples, lists and dicts of them, None, "
        f"ints and strings; got {type(value).__name__} (a value computed in Python would be "
        "frozen at its first value)"
    )


@overload
def compile(
    function: Callable[_P, _R], *, max_plans: int = 8, recompile: bool = True
) -> CompiledFunction[_P, _R]: ...


@overload
def compile(
    function: None = None, *, max_plans: int = 8, recompile: bool = True
) -> Callable[[Callable[_P, _R]], CompiledFunction[_P, _R]]: ...


def compile(
    function: Callable[_P, _R] | None = None, *, max_plans: int = 8, recompile: bool = True
) -> CompiledFunction[_P, _R] | Callable[[Callable[_P, _R]], CompiledFunction[_P, _R]]:
    """Compile ``function`` (a step of tensors): record it on its first call, replay it after.

    Usable as ``step = compile(step)``, ``@compile`` or ``@compile(max_plans=2)``.
    See :mod:`minigrad.tensor.compile` for what is recorded, the guards and
    what cannot be compiled.

    Args:
        function: takes tensors (and hashable Python values) and returns tensors
            (in tuples, lists or dicts), None, ints or strings.
        max_plans: how many plans (one per shape/mode combination) to keep.
        recompile: when a call fails every plan's guards, record it again
            (True) or raise :class:`CompileError` saying what changed (False).

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, nn, optim
        >>> from minigrad.tensor.compile import compile
        >>> model = nn.Linear(3, 1)
        >>> opt = optim.SGD(model.parameters(), lr=0.1)
        >>> @compile
        ... def step(x, y):
        ...     opt.zero_grad()
        ...     loss = ((model(x) - y) ** 2).mean()
        ...     loss.backward()
        ...     opt.step()
        ...     return loss
        >>> x, y = Tensor(np.ones((4, 3))), Tensor(np.zeros((4, 1)))
        >>> first = step(x, y)   # runs eagerly and records
        >>> later = step(x, y)   # replays the plan
        >>> step.plan.kernels > 0
        True
    """
    if function is None:
        return functools.partial(CompiledFunction, max_plans=max_plans, recompile=recompile)
    return CompiledFunction(function, max_plans=max_plans, recompile=recompile)
