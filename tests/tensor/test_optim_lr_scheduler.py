"""Learning-rate schedulers: their sequences against the closed-form formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest

from minigrad.tensor import Tensor, optim
from minigrad.tensor.optim.lr_scheduler import CosineAnnealingLR, OneCycleLR, StepLR


def sgd(lr: float = 1.0, momentum: float = 0.0) -> optim.SGD:
    return optim.SGD([Tensor(np.zeros(1), requires_grad=True)], lr=lr, momentum=momentum)


def rates(scheduler: optim.lr_scheduler.LRScheduler, steps: int) -> list[float]:
    seen = []
    for _ in range(steps):
        seen.append(scheduler.get_last_lr()[0])
        scheduler.optimizer.step()
        scheduler.step()
    return seen


def test_step_lr_decays_every_step_size_steps() -> None:
    seen = rates(StepLR(sgd(0.5), step_size=3, gamma=0.1), 10)
    assert seen == pytest.approx([0.5 * 0.1 ** (t // 3) for t in range(10)])


def test_scheduler_writes_the_rate_into_the_optimizer() -> None:
    opt = sgd(0.5)
    scheduler = StepLR(opt, step_size=1, gamma=0.5)
    scheduler.step()
    assert opt.param_groups[0]["lr"] == pytest.approx(0.25)


def test_cosine_annealing_follows_half_a_cosine() -> None:
    seen = rates(CosineAnnealingLR(sgd(0.8), T_max=6, eta_min=0.05), 13)
    expected = [0.05 + (0.8 - 0.05) * (1 + math.cos(math.pi * t / 6)) / 2 for t in range(13)]
    assert seen == pytest.approx(expected)
    assert seen[6] == pytest.approx(0.05)


def one_cycle_reference(t: int, total: int, max_lr: float, pct: float, strategy: str) -> float:
    initial, low = max_lr / 25, max_lr / 25 / 1e4
    peak = pct * total - 1

    def anneal(start: float, end: float, fraction: float) -> float:
        if strategy == "cos":
            return end + (start - end) / 2 * (1 + math.cos(math.pi * fraction))
        return start + (end - start) * fraction

    if t <= peak:
        return anneal(initial, max_lr, t / peak)
    return anneal(max_lr, low, (t - peak) / (total - 1 - peak))


@pytest.mark.parametrize("strategy", ["cos", "linear"])
def test_one_cycle_warms_up_then_anneals(strategy: str) -> None:
    scheduler = OneCycleLR(sgd(), max_lr=2.0, total_steps=20, anneal_strategy=strategy)
    seen = rates(scheduler, 20)
    assert seen == pytest.approx(
        [one_cycle_reference(t, 20, 2.0, 0.3, strategy) for t in range(20)]
    )
    assert max(seen) == pytest.approx(2.0)
    assert seen[-1] == pytest.approx(2.0 / 25 / 1e4)


def test_one_cycle_total_steps_from_epochs() -> None:
    scheduler = OneCycleLR(sgd(), max_lr=1.0, epochs=4, steps_per_epoch=5)
    assert scheduler.total_steps == 20


def test_one_cycle_cycles_momentum_the_other_way() -> None:
    opt = sgd(momentum=0.9)
    scheduler = OneCycleLR(opt, max_lr=1.0, total_steps=10, pct_start=0.5)
    assert opt.param_groups[0]["momentum"] == pytest.approx(0.95)
    for _ in range(4):
        scheduler.step()
    assert opt.param_groups[0]["momentum"] == pytest.approx(0.85)  # at the peak rate


def test_one_cycle_cycles_beta1_of_adam() -> None:
    opt = optim.Adam([Tensor(np.zeros(1), requires_grad=True)])
    OneCycleLR(opt, max_lr=1.0, total_steps=10)
    assert opt.param_groups[0]["betas"] == (0.95, 0.999)


def test_one_cycle_refuses_to_step_past_the_end() -> None:
    scheduler = OneCycleLR(sgd(), max_lr=1.0, total_steps=3)
    for _ in range(3):
        scheduler.step()
    with pytest.raises(ValueError, match=r"tried to step 4 times.*total_steps=3"):
        scheduler.step()


def test_one_cycle_needs_a_length() -> None:
    with pytest.raises(ValueError, match="give total_steps, or both epochs and steps_per_epoch"):
        OneCycleLR(sgd(), max_lr=1.0, epochs=3)


def test_one_cycle_without_momentum_support_names_the_fix() -> None:
    class Plain(optim.Optimizer):
        def __init__(self, params: list[Tensor]) -> None:
            super().__init__(params, {"lr": 0.1})

    with pytest.raises(ValueError, match="pass cycle_momentum=False"):
        OneCycleLR(Plain([Tensor(np.zeros(1), requires_grad=True)]), max_lr=1.0, total_steps=5)


@pytest.mark.parametrize(
    "make",
    [
        lambda opt: StepLR(opt, step_size=2, gamma=0.5),
        lambda opt: CosineAnnealingLR(opt, T_max=7),
        lambda opt: OneCycleLR(opt, max_lr=1.0, total_steps=12),
    ],
    ids=["StepLR", "CosineAnnealingLR", "OneCycleLR"],
)
def test_restored_scheduler_continues_the_sequence(make: object) -> None:
    assert callable(make)
    straight = rates(make(sgd(momentum=0.9)), 10)

    first_opt = sgd(momentum=0.9)
    first = make(first_opt)
    head = rates(first, 4)
    opt_state, sched_state = first_opt.state_dict(), first.state_dict()
    second_opt = sgd(momentum=0.9)
    second = make(second_opt)
    second_opt.load_state_dict(opt_state)
    second.load_state_dict(sched_state)
    assert head + rates(second, 6) == pytest.approx(straight)


def test_resuming_with_last_epoch_needs_initial_lr() -> None:
    with pytest.raises(KeyError, match="has no 'initial_lr'"):
        StepLR(sgd(), step_size=1, last_epoch=3)
