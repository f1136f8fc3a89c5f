"""`Optimizer`: parameter groups, per-parameter state, and state dicts as PyTorch shapes them.

A subclass defines ``step()``; it reads each group's hyperparameters and each
parameter's ``.grad``, and updates ``p.data`` in place with NumPy operations
(no graph is recorded: the update is plain array arithmetic), then calls
``self._updated_all(params)`` once for all the parameters it wrote, so that a
graph recorded before the step refuses to backpropagate through the old values
(``autograd.version``).
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np

from minigrad.tensor.autograd.modes import under_capture
from minigrad.tensor.autograd.version import bump_versions
from minigrad.tensor.tensor import Tensor

__all__ = ["Optimizer", "ParamsT"]

ParamsT = Iterable[Tensor] | Iterable[dict[str, Any]]
"""What an optimizer accepts: tensors, or dicts each with "params" and overrides (groups)."""


class Optimizer:
    """Base class of the optimizers: parameter groups and their state.

    Args:
        params: an iterable of tensors, or of dicts (parameter groups) each with
            a ``"params"`` entry and optional hyperparameters overriding ``defaults``.
        defaults: the hyperparameters of every group that does not set its own.

    Attributes:
        param_groups: a list of dicts, each with ``"params"`` (a list of tensors)
            and the group's hyperparameters; schedulers change ``"lr"`` here.
        state: per-parameter state (e.g. momentum buffers), keyed by the tensor.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # A subclass's step() reports itself to a capture (minigrad.tensor.compile),
        # which replays it by calling it again: one `if` per step when none is set.
        super().__init_subclass__(**kwargs)
        if "step" in vars(cls):
            cls.step = _reported_step(vars(cls)["step"])  # type: ignore[method-assign,assignment]

    def __init__(self, params: ParamsT, defaults: dict[str, Any]) -> None:
        if isinstance(params, Tensor):
            raise TypeError(
                f"{type(self).__name__}: params must be an iterable of tensors or of dicts, "
                "got a single Tensor (wrap it in a list)"
            )
        self.defaults = dict(defaults)
        self.param_groups: list[dict[str, Any]] = []
        self.state: dict[Tensor, dict[str, Any]] = {}
        items: list[Any] = list(params)
        if not items:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        groups: list[dict[str, Any]] = items if isinstance(items[0], dict) else [{"params": items}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group of parameters with its own hyperparameters (defaults fill the rest).

        Example:
            >>> from minigrad.tensor import Tensor, optim
            >>> a, b = Tensor([1.0], requires_grad=True), Tensor([2.0], requires_grad=True)
            >>> opt = optim.SGD([a], lr=0.1)
            >>> opt.add_param_group({"params": [b], "lr": 0.01})
            >>> [group["lr"] for group in opt.param_groups]
            [0.1, 0.01]
        """
        if not isinstance(param_group, dict) or "params" not in param_group:
            raise TypeError(
                f"{type(self).__name__}: a parameter group must be a dict with a 'params' "
                f"entry, got {param_group!r}"
            )
        raw = param_group["params"]
        params = [raw] if isinstance(raw, Tensor) else list(raw)
        for i, param in enumerate(params):
            if not isinstance(param, Tensor):
                raise TypeError(
                    f"{type(self).__name__}: params[{i}] must be a Tensor, "
                    f"got {type(param).__name__}"
                )
            if param.dtype.kind != "f":
                raise TypeError(
                    f"{type(self).__name__}: params[{i}] must be a floating tensor, "
                    f"got dtype {param.dtype}"
                )
        existing = {id(p) for group in self.param_groups for p in group["params"]}
        seen: set[int] = set()
        for param in params:
            if id(param) in existing or id(param) in seen:
                raise ValueError(
                    f"{type(self).__name__}: a parameter of shape {param.shape} appears in more "
                    "than one place; each parameter may be optimized once"
                )
            seen.add(id(param))
        group = {**self.defaults, **param_group, "params": params}
        self._check_group(group)
        self.param_groups.append(group)

    def _check_group(self, group: dict[str, Any]) -> None:
        """Validate a group's hyperparameters; subclasses raise with the name and value."""
        lr = group.get("lr")
        if not isinstance(lr, (int, float)) or isinstance(lr, bool) or lr < 0:
            raise ValueError(f"{type(self).__name__}: lr must be a number >= 0, got {lr!r}")

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradient of every parameter: to None (default) or to zeros in place."""
        under_capture(Optimizer.zero_grad, self, set_to_none)
        for group in self.param_groups:
            for param in group["params"]:
                if set_to_none or param.grad is None:
                    param.grad = None
                else:
                    param.grad.fill(0)

    def step(self) -> None:
        """Update every parameter that has a gradient, once."""
        raise NotImplementedError(f"{type(self).__name__} does not define step()")

    # ------------------------------------------------------------ state dicts

    def state_dict(self) -> dict[str, Any]:
        """The optimizer's state as PyTorch lays it out, with arrays and plain numbers.

        ``{"state": {index: {name: ndarray | number}}, "param_groups": [{..., "params":
        [index, ...]}]}``, where parameters are numbered in group order. Arrays are
        copies, so the result is a snapshot.
        """
        index_of: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {k: copy.deepcopy(v) for k, v in group.items() if k != "params"}
            packed["params"] = []
            for param in group["params"]:
                index_of.setdefault(id(param), len(index_of))
                packed["params"].append(index_of[id(param)])
            groups.append(packed)
        state = {}
        for group in self.param_groups:
            for param in group["params"]:
                if param in self.state:
                    state[index_of[id(param)]] = {
                        name: value.copy() if isinstance(value, np.ndarray) else value
                        for name, value in self.state[param].items()
                    }
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore hyperparameters and per-parameter state saved by ``state_dict()``.

        Groups must match in number and size; each array must match its
        parameter's shape. Errors name the group or parameter index and both sizes.
        """
        name = type(self).__name__
        if not isinstance(state_dict, Mapping) or not {"state", "param_groups"} <= set(state_dict):
            raise ValueError(
                f"{name}.load_state_dict: expected a dict with 'state' and 'param_groups', "
                f"got {type(state_dict).__name__}"
                + (f" with keys {sorted(state_dict)}" if isinstance(state_dict, Mapping) else "")
            )
        saved_groups = state_dict["param_groups"]
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(
                f"{name}.load_state_dict: the state has {len(saved_groups)} parameter groups, "
                f"this optimizer has {len(self.param_groups)}"
            )
        index_to_param: dict[int, Tensor] = {}
        for g, (saved, group) in enumerate(zip(saved_groups, self.param_groups, strict=True)):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(
                    f"{name}.load_state_dict: parameter group {g} has {len(saved['params'])} "
                    f"parameters in the state, {len(group['params'])} in this optimizer"
                )
            for index, param in zip(saved["params"], group["params"], strict=True):
                index_to_param[int(index)] = param
        new_state: dict[Tensor, dict[str, Any]] = {}
        for raw_index, entries in state_dict["state"].items():
            index = int(raw_index)  # JSON metadata turns int keys into strings
            if index not in index_to_param:
                raise ValueError(
                    f"{name}.load_state_dict: state for parameter {index}, which no group lists"
                )
            param = index_to_param[index]
            restored: dict[str, Any] = {}
            for key, value in entries.items():
                if isinstance(value, (np.ndarray, Tensor)):
                    array = np.array(value.data if isinstance(value, Tensor) else value)
                    if array.shape != param.shape:
                        raise ValueError(
                            f"{name}.load_state_dict: state {key!r} of parameter {index} has "
                            f"shape {array.shape}, the parameter has shape {param.shape}"
                        )
                    restored[key] = array.astype(param.dtype, copy=False)
                else:
                    restored[key] = value
            new_state[param] = restored
        for saved, group in zip(saved_groups, self.param_groups, strict=True):
            for key, value in saved.items():
                if key != "params":
                    group[key] = tuple(value) if isinstance(value, list) else copy.deepcopy(value)
        self.state = new_state

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            for key in sorted(k for k in group if k != "params"):
                lines.append(f"    {key}: {group[key]}")
        lines.append(")")
        return "\n".join(lines)

    def _updated_all(self, params: Iterable[Tensor]) -> None:
        """Count the in-place update ``step()`` just made to each of ``params`` (one clock tick)."""
        bump_versions(params, f"{type(self).__name__}.step")

    def _params_with_grad(self, group: dict[str, Any]) -> list[Tensor]:
        return [p for p in group["params"] if p.grad is not None]


def step_again(optimizer: Optimizer) -> None:
    """Call ``optimizer.step()``: how a compiled step replays the update it recorded.

    Looked up on the object at each replay, so a step patched on the instance
    (a test, a hook) runs as it would eagerly.
    """
    optimizer.step()


def _reported_step(step: Callable[[Any], None]) -> Callable[[Any], None]:
    """``step`` that first reports itself to a running capture (see ``under_capture``)."""

    @functools.wraps(step)
    def reported_step(self: Any) -> None:
        # Reported once per call: not again by a base class's step that a subclass's calls.
        if type(self).step is reported_step:
            under_capture(step_again, self)
        step(self)

    return reported_step
