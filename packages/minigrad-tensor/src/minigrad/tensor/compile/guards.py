"""Guards: what must be true of a call for a recorded plan to give the eager answer.

A plan is a recording of one eager run, so it is right for a later call only if
that call would have run the same operations on arrays of the same shapes.
What decides that, and is checked before every replay:

* the **call's arguments**: each tensor's shape, dtype and ``requires_grad``
  (and which arguments are the same tensor); every other argument by value
  (``==``), since Python code may branch on it;
* **grad mode** (``no_grad`` records no backward pass);
* the ``training`` flag of **every module the step called** (dropout and batch
  norm run different operations in ``train()`` and ``eval()``);
* every **tensor from outside the call** (parameters, buffers): its shape,
  dtype and ``requires_grad`` (a frozen layer has no gradient);
* the **structure of the modules** (a parameter or layer added, removed or
  replaced anywhere: :func:`~minigrad.tensor.nn.module.structure_version`).

A call that fails a guard is recorded again (a compiled function keeps a few
plans, one per combination it has seen) or, with ``recompile=False``, refused
with an error that says what changed. Hyperparameters are not guarded because
they are not recorded: the optimizer's own ``step`` runs on every replay and
reads its learning rate live, so a scheduler's change is honoured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from minigrad.tensor.compile.record import CompileError, External
from minigrad.tensor.tensor import Tensor

__all__ = ["CallKey", "describe_call", "externals_changed", "key_changes", "modules_changed"]

CallKey = tuple[Any, ...]
"""What a call looks like to the guards: its arguments' description and grad mode."""


def describe_call(
    args: Sequence[Any], kwargs: Mapping[str, Any], grad_enabled: bool
) -> tuple[list[Tensor], CallKey]:
    """The call's tensors (in order) and its key: tensors by shape, the rest by value.

    The key is ``(grad_enabled, one entry per argument...)``: ``(shape, dtype,
    requires_grad)`` for a tensor, ``("same as", i)`` for a tensor passed
    twice, ``("value", v)`` for anything else. Raises :class:`CompileError` for
    an argument that is neither a tensor nor hashable, or a tensor that carries
    a graph from before the call.
    """
    if not kwargs:  # the common case, kept short: this runs before every replay
        parts: list[Any] = [grad_enabled]
        seen: set[int] = set()
        for value in args:
            if value.__class__ is not Tensor or value._node is not None or id(value) in seen:
                break
            seen.add(id(value))
            data = value.data
            parts.append((data.shape, data.dtype, value.requires_grad))
        else:
            return list(args), tuple(parts)
    tensors: list[Tensor] = []
    position: dict[int, int] = {}
    parts = [grad_enabled]
    for where, value in [*enumerate(args), *sorted(kwargs.items())]:
        entry: tuple[Any, ...]
        if isinstance(value, Tensor):
            if value._node is not None:
                raise CompileError(
                    f"argument {where!r} (shape {value.shape}) carries a graph from before the "
                    "call; pass it .detach()ed, or compute it inside the compiled function"
                )
            if id(value) in position:
                entry = ("same as", position[id(value)])
            else:
                position[id(value)] = len(parts) - 1
                tensors.append(value)
                entry = (value.data.shape, value.data.dtype, value.requires_grad)
        else:
            try:
                hash(value)
            except TypeError:
                raise CompileError(
                    f"argument {where!r} of a compiled function must be a Tensor or a hashable "
                    f"value (compared with == to pick a plan), got {type(value).__name__}"
                ) from None
            entry = ("value", value)
        parts.append(entry if isinstance(where, int) else (where, *entry))
    return tensors, tuple(parts)


def key_changes(recorded: CallKey, now: CallKey) -> str:
    """What differs between two call keys, in words (for the re-record log and errors)."""
    if recorded[0] != now[0]:
        return f"grad mode was {'on' if recorded[0] else 'off'}, now {'on' if now[0] else 'off'}"
    if len(recorded) != len(now):
        return f"{len(recorded) - 1} arguments were recorded, {len(now) - 1} given"
    for i, (old, new) in enumerate(zip(recorded[1:], now[1:], strict=True)):
        if old == new:
            continue
        where = (
            repr(old[0]) if isinstance(old[0], str) and old[0] not in ("value", "same as") else i
        )
        if len(old) == 3 and len(new) == 3 and old[0] != "value":
            for name, a, b in zip(("shape", "dtype", "requires_grad"), old, new, strict=True):
                if a != b:
                    return f"argument {where}: {name} was {a}, now {b}"
        return f"argument {where} was {_shown(old)}, now {_shown(new)}"
    return "nothing"


def _shown(entry: tuple[Any, ...]) -> str:
    if entry[0] == "value":
        return repr(entry[1])
    if entry[0] == "same as":
        return f"the same tensor as argument {entry[1]}"
    return f"a tensor of shape {entry[0]}"


def modules_changed(modules: Sequence[tuple[Any, bool]]) -> str | None:
    """Which module's ``train()``/``eval()`` state differs from the recording, or None."""
    for module, training in modules:
        if module.training is not training:
            mode = "train()" if training else "eval()"
            return (
                f"{type(module).__name__} was recorded in {mode} mode, now in "
                f"{'train()' if module.training else 'eval()'}"
            )
    return None


def externals_changed(externals: Sequence[External]) -> str | None:
    """Which parameter or buffer no longer matches its recording, or None.

    The fast path is one identity test per tensor; only a tensor whose array was
    replaced (``module.to(dtype)``, an assignment to ``.data``) is looked at closer.
    """
    for external in externals:
        tensor = external.tensor
        data = tensor.data
        if data is external.array and tensor.requires_grad is external.requires_grad:
            continue
        if data.shape != external.shape or data.dtype != external.dtype:
            return (
                f"a tensor from outside the call (recorded shape {external.shape}, dtype "
                f"{external.dtype}) is now shape {data.shape}, dtype {data.dtype}"
            )
        if tensor.requires_grad is not external.requires_grad:
            return (
                f"a tensor of shape {external.shape} had requires_grad="
                f"{external.requires_grad} when recorded, now {tensor.requires_grad}"
            )
        external.array = data  # a new array of the same kind: the replay reads it live
    return None
