"""Compiled steps agree with eager steps bit for bit: N steps from the same start, same parameters.

Each test builds the same model twice from one seed, trains one copy eagerly and
one through ``compile``, and compares every parameter, buffer, optimizer state
and the losses with ``array_equal`` (bitwise: a replay runs the same NumPy calls
on the same arrays in the same order).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import Tensor, default_generator, manual_seed, nn, no_grad, optim
from minigrad.tensor.compile import CompileError, compile
from minigrad.tensor.nn import functional as F

STEPS = 5


def _batches(shape: tuple[int, ...], classes: int, seed: int) -> list[tuple[Tensor, Tensor]]:
    rng = np.random.default_rng(seed)
    return [
        (
            Tensor(rng.standard_normal(shape).astype(np.float32)),
            Tensor(rng.integers(0, classes, shape[0])),
        )
        for _ in range(STEPS)
    ]


def _train(
    make_model: Callable[[], nn.Module],
    make_optimizer: Callable[[Any], optim.Optimizer],
    batches: list[tuple[Tensor, Tensor]],
    compiled: bool,
    scheduler: bool = False,
) -> tuple[nn.Module, optim.Optimizer, list[float], Any]:
    manual_seed(0)
    model = make_model()
    opt = make_optimizer(model.parameters())
    sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5) if scheduler else None

    def step(x: Tensor, y: Tensor) -> Tensor:
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    run = compile(step) if compiled else step
    losses = []
    for x, y in batches:
        losses.append(run(x, y).item())
        if sched is not None:
            sched.step()
    if compiled:
        assert run.recordings == ["first call"]  # type: ignore[attr-defined]  # then replays
    generator_state = default_generator().bit_generator.state
    return model, opt, losses, generator_state


def _assert_same(eager: tuple[Any, ...], compiled: tuple[Any, ...]) -> None:
    model_e, opt_e, losses_e, generator_e = eager
    model_c, opt_c, losses_c, generator_c = compiled
    assert losses_e == losses_c
    assert generator_e == generator_c  # random draws advanced the generator alike
    state_e, state_c = model_e.state_dict(), model_c.state_dict()
    assert state_e.keys() == state_c.keys()
    for name in state_e:
        assert np.array_equal(state_e[name], state_c[name]), name
    opt_state_e, opt_state_c = opt_e.state_dict()["state"], opt_c.state_dict()["state"]
    for index, entries in opt_state_e.items():
        for key, value in entries.items():
            assert np.array_equal(value, opt_state_c[index][key]), (index, key)


def test_an_mlp_trained_compiled_equals_eager_bit_for_bit() -> None:
    batches = _batches((16, 12), 4, seed=1)

    def make() -> nn.Module:
        return nn.Sequential(nn.Linear(12, 32), nn.ReLU(), nn.Linear(32, 4))

    def adam(params: Any) -> optim.Optimizer:
        return optim.AdamW(params, lr=1e-2)

    eager = _train(make, adam, batches, compiled=False, scheduler=True)
    compiled = _train(make, adam, batches, compiled=True, scheduler=True)
    _assert_same(eager, compiled)


def test_a_cnn_with_batch_norm_and_dropout_compiled_equals_eager_bit_for_bit() -> None:
    batches = _batches((8, 1, 8, 8), 3, seed=2)

    def make() -> nn.Module:
        return nn.Sequential(
            nn.Conv2d(1, 4, 3, padding=1),
            nn.BatchNorm2d(4),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Flatten(),
            nn.Dropout(0.3),
            nn.Linear(64, 3),
        )

    def sgd(params: Any) -> optim.Optimizer:
        return optim.SGD(params, lr=0.05, momentum=0.9, weight_decay=1e-4)

    eager = _train(make, sgd, batches, compiled=False)
    compiled = _train(make, sgd, batches, compiled=True)
    _assert_same(eager, compiled)


def test_dropout_draws_a_fresh_mask_on_every_replay() -> None:
    manual_seed(0)
    x = Tensor(np.ones((4, 50), dtype=np.float32))
    masked = compile(lambda x: F.dropout(x, 0.5))
    masks = [masked(x).data.copy() for _ in range(3)]
    assert not np.array_equal(masks[1], masks[2])
    manual_seed(0)
    assert all(np.array_equal(m, F.dropout(x, 0.5).data) for m in masks)


def test_a_compiled_forward_in_eval_mode_reads_the_running_statistics_afresh() -> None:
    manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    x = Tensor(np.random.default_rng(0).standard_normal((5, 3)).astype(np.float32))
    model.eval()
    predict = compile(lambda x: model(x))
    with no_grad():
        first = predict(x).data.copy()
        model[1].running_mean.data += 1.0
        again = predict(x).data
        assert np.array_equal(again, model(x).data)
    assert not np.array_equal(first, again)


def test_the_fused_loss_falls_back_to_eager_for_ignored_targets() -> None:
    rng = np.random.default_rng(3)
    logits = Tensor(rng.standard_normal((6, 4)).astype(np.float32), requires_grad=True)

    def loss_of(x: Tensor, y: Tensor) -> Tensor:
        loss = F.cross_entropy(x * 1.0, y)
        loss.backward()
        return loss

    compiled = compile(loss_of)
    for targets in ([0, 1, 2, 3, 0, 1], [0, -100, 2, 3, -100, 1], [1, 1, 1, 1, 1, 1]):
        y = Tensor(np.array(targets))
        got = compiled(logits, y).data
        got_grad, logits.grad = logits.grad, None
        want = loss_of(logits, y).data
        want_grad, logits.grad = logits.grad, None
        assert np.array_equal(got, want)
        assert np.array_equal(got_grad, want_grad)
    assert "cross_entropy_with_local" in compiled.source


def test_a_gradient_into_a_tensor_made_inside_is_refused() -> None:
    def step(x: Tensor) -> Tensor:
        w = x.detach().requires_grad_()
        (w * w).sum().backward()
        return w

    with pytest.raises(CompileError, match="made inside the compiled function"):
        compile(step)(Tensor(np.ones(3, dtype=np.float32)))


def test_a_gpt_trained_compiled_equals_eager_bit_for_bit() -> None:
    gpt = pytest.importorskip("minigrad.tensor.models.gpt")  # the language-model issue's GPT
    rng = np.random.default_rng(4)
    batches = []
    for _ in range(STEPS):
        targets = rng.integers(0, 27, (4, 8))
        targets[:, 6:] = -1  # positions without a target, as the names data pads them
        batches.append((Tensor(rng.integers(0, 27, (4, 8))), Tensor(targets)))
    runs = []
    for compiled in (False, True):
        manual_seed(0)
        model = gpt.GPT(gpt.GPTConfig(block_size=8, n_layer=1, n_head=2, n_embd=16, dropout=0.1))
        opt = optim.AdamW(model.parameters(), lr=1e-2, weight_decay=0.1)

        def step(x: Tensor, y: Tensor, model: Any = model, opt: Any = opt) -> Tensor:
            _, loss = model(x, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss  # type: ignore[no-any-return]

        run = compile(step) if compiled else step
        losses = [run(x, y).item() for x, y in batches]
        runs.append((model, opt, losses, default_generator().bit_generator.state))
    _assert_same(runs[0], runs[1])
