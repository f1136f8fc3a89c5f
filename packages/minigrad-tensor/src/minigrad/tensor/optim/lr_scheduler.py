"""Learning-rate schedules: ``StepLR``, ``CosineAnnealingLR`` and ``OneCycleLR``.

A scheduler sets ``group["lr"]`` of its optimizer's parameter groups. As in
PyTorch, constructing it sets the learning rate of step 0, and each ``step()``
(called after ``optimizer.step()``) moves to the next one. The rates come from
closed-form formulas of the step count, so a scheduler restored from its
``state_dict()`` continues exactly where it stopped.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from minigrad.tensor.autograd.modes import under_capture
from minigrad.tensor.optim.optimizer import Optimizer

__all__ = ["CosineAnnealingLR", "LRScheduler", "OneCycleLR", "StepLR"]


class LRScheduler:
    """Base class: keeps the step count and writes each group's learning rate.

    Subclasses define ``get_lr()``, the rates at step ``self.last_epoch``.

    Args:
        optimizer: the optimizer whose groups' ``"lr"`` is scheduled.
        last_epoch: the index of the last step taken, -1 for a fresh schedule
            (which records each group's current ``lr`` as its ``initial_lr``).
    """

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}: expected an Optimizer, got {type(optimizer).__name__}"
            )
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"{type(self).__name__}: last_epoch={last_epoch} resumes a schedule, but "
                        f"param_groups[{i}] has no 'initial_lr'; pass last_epoch=-1 to start one"
                    )
        self.base_lrs: list[float] = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._last_lr: list[float] = []
        self.step()

    def get_lr(self) -> list[float]:
        """The learning rate of each group at step ``last_epoch``."""
        raise NotImplementedError(f"{type(self).__name__} does not define get_lr()")

    def step(self) -> None:
        """Advance one step and set each group's learning rate."""
        # Inside a compiled step, recorded so that every replay advances the schedule.
        under_capture(LRScheduler.step, self)
        self.last_epoch += 1
        lrs = self.get_lr()
        for group, lr in zip(self.optimizer.param_groups, lrs, strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list[float]:
        """The learning rates the last ``step()`` (or the constructor) set, one per group."""
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        """Everything but the optimizer, as plain numbers, strings and lists."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict: Mapping[str, Any]) -> None:
        """Restore a state saved by ``state_dict()``; the next ``step()`` continues from it."""
        unknown = sorted(set(state_dict) - set(self.__dict__))
        if unknown:
            raise ValueError(
                f"{type(self).__name__}.load_state_dict: unexpected keys {unknown} "
                "(a state of another scheduler?)"
            )
        self.__dict__.update(state_dict)


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` steps.

    ``lr(t) = initial_lr * gamma ** (t // step_size)``

    Example:
        >>> from minigrad.tensor import Tensor, optim
        >>> opt = optim.SGD([Tensor([0.0], requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
        >>> rates = []
        >>> for _ in range(5):
        ...     rates.append(sched.get_last_lr()[0])
        ...     sched.step()
        >>> rates
        [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        if not isinstance(step_size, int) or isinstance(step_size, bool) or step_size < 1:
            raise ValueError(f"StepLR: step_size must be an int >= 1, got {step_size!r}")
        self.step_size = step_size
        self.gamma = gamma
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """``initial_lr * gamma ** (last_epoch // step_size)`` for each group."""
        factor = self.gamma ** (self.last_epoch // self.step_size)
        return [base * factor for base in self.base_lrs]


class CosineAnnealingLR(LRScheduler):
    """Anneal the learning rate from its initial value to ``eta_min`` along half a cosine.

    ``lr(t) = eta_min + (initial_lr - eta_min) * (1 + cos(pi * t / T_max)) / 2``

    (PyTorch's closed form; past ``T_max`` the cosine climbs back up.)

    Example:
        >>> from minigrad.tensor import Tensor, optim
        >>> opt = optim.SGD([Tensor([0.0], requires_grad=True)], lr=1.0)
        >>> sched = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=2)
        >>> sched.step()
        >>> round(sched.get_last_lr()[0], 6)
        0.5
    """

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        if not isinstance(T_max, int) or isinstance(T_max, bool) or T_max < 1:
            raise ValueError(f"CosineAnnealingLR: T_max must be an int >= 1, got {T_max!r}")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        """The cosine-annealed rate at ``last_epoch`` for each group."""
        cosine = (1.0 + math.cos(math.pi * self.last_epoch / self.T_max)) / 2.0
        return [self.eta_min + (base - self.eta_min) * cosine for base in self.base_lrs]


def _anneal(strategy: str, start: float, end: float, pct: float) -> float:
    if strategy == "cos":
        return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1.0)
    return (end - start) * pct + start


class OneCycleLR(LRScheduler):
    """The 1cycle policy: warm up to ``max_lr``, then anneal far below the start.

    With ``initial_lr = max_lr / div_factor`` and ``min_lr = initial_lr /
    final_div_factor``, the rate goes from ``initial_lr`` to ``max_lr`` over the
    first ``pct_start`` of ``total_steps`` and from ``max_lr`` to ``min_lr`` over
    the rest (``three_phase=True``: back to ``initial_lr`` first, then to
    ``min_lr``). ``cycle_momentum`` moves momentum (SGD) or ``betas[0]`` (Adam)
    the opposite way between ``max_momentum`` and ``base_momentum``. Call
    ``step()`` after every batch; stepping past ``total_steps`` raises.

    Args:
        max_lr: the peak rate, one for all groups or one per group.
        total_steps: the number of steps, or give ``epochs`` and ``steps_per_epoch``.
        anneal_strategy: ``"cos"`` or ``"linear"``.

    Example:
        >>> from minigrad.tensor import Tensor, optim
        >>> opt = optim.SGD([Tensor([0.0], requires_grad=True)], lr=0.1)
        >>> sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
        >>> round(sched.get_last_lr()[0], 6)   # max_lr / div_factor
        0.04
    """

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | Sequence[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float = 0.85,
        max_momentum: float = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        self.total_steps = self._total_steps(total_steps, epochs, steps_per_epoch)
        if not 0.0 <= pct_start <= 1.0:
            raise ValueError(f"OneCycleLR: pct_start must be in [0, 1], got {pct_start!r}")
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"OneCycleLR: anneal_strategy must be 'cos' or 'linear', got {anneal_strategy!r}"
            )
        self.anneal_strategy = anneal_strategy
        groups = optimizer.param_groups
        max_lrs = (
            [float(max_lr)] * len(groups)
            if isinstance(max_lr, (int, float))
            else [float(v) for v in max_lr]
        )
        if len(max_lrs) != len(groups):
            raise ValueError(
                f"OneCycleLR: got {len(max_lrs)} values of max_lr for {len(groups)} param groups"
            )
        ends = [float(pct_start * self.total_steps) - 1, float(self.total_steps - 1)]
        if three_phase:
            ends = [ends[0], float(2 * pct_start * self.total_steps) - 2, ends[1]]
        # (end step, start lr, end lr, start momentum, end momentum) per phase.
        self._phases: list[tuple[float, str, str, str, str]] = (
            [
                (ends[0], "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (ends[1], "max_lr", "initial_lr", "base_momentum", "max_momentum"),
                (ends[2], "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
            if three_phase
            else [
                (ends[0], "initial_lr", "max_lr", "max_momentum", "base_momentum"),
                (ends[1], "max_lr", "min_lr", "base_momentum", "max_momentum"),
            ]
        )
        if last_epoch == -1:
            for group, peak in zip(groups, max_lrs, strict=True):
                group["initial_lr"] = peak / div_factor
                group["max_lr"] = peak
                group["min_lr"] = group["initial_lr"] / final_div_factor
        self.cycle_momentum = cycle_momentum
        self.use_beta1 = "betas" in optimizer.defaults
        if cycle_momentum:
            if "momentum" not in optimizer.defaults and not self.use_beta1:
                raise ValueError(
                    f"OneCycleLR: cycle_momentum needs an optimizer with 'momentum' or 'betas', "
                    f"got {type(optimizer).__name__}; pass cycle_momentum=False"
                )
            if last_epoch == -1:
                for group in groups:
                    self._set_momentum(group, max_momentum)
                    group["max_momentum"] = max_momentum
                    group["base_momentum"] = base_momentum
        super().__init__(optimizer, last_epoch)

    @staticmethod
    def _total_steps(
        total_steps: int | None, epochs: int | None, steps_per_epoch: int | None
    ) -> int:
        if total_steps is not None:
            if not isinstance(total_steps, int) or total_steps < 1:
                raise ValueError(
                    f"OneCycleLR: total_steps must be an int >= 1, got {total_steps!r}"
                )
            return total_steps
        if epochs is None or steps_per_epoch is None:
            raise ValueError(
                "OneCycleLR: give total_steps, or both epochs and steps_per_epoch "
                f"(got epochs={epochs!r}, steps_per_epoch={steps_per_epoch!r})"
            )
        if epochs < 1 or steps_per_epoch < 1:
            raise ValueError(
                f"OneCycleLR: epochs and steps_per_epoch must be >= 1, "
                f"got {epochs!r} and {steps_per_epoch!r}"
            )
        return epochs * steps_per_epoch

    def _set_momentum(self, group: dict[str, Any], momentum: float) -> None:
        if self.use_beta1:
            group["betas"] = (momentum, *group["betas"][1:])
        else:
            group["momentum"] = momentum

    def get_lr(self) -> list[float]:
        """The 1cycle rate at ``last_epoch`` for each group (and it sets the momentum)."""
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"OneCycleLR: tried to step {step} times; the schedule has total_steps="
                f"{self.total_steps}"
            )
        lrs = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, (end_step, lr0, lr1, m0, m1) in enumerate(self._phases):
                if step <= end_step or i == len(self._phases) - 1:
                    pct = (step - start_step) / (end_step - start_step)
                    lrs.append(_anneal(self.anneal_strategy, group[lr0], group[lr1], pct))
                    if self.cycle_momentum:
                        momentum = _anneal(self.anneal_strategy, group[m0], group[m1], pct)
                        self._set_momentum(group, momentum)
                    break
                start_step = end_step
        return lrs
