"""Optimizers: two steps of each against its formula worked by hand, groups, state dicts."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import Tensor, optim

GRADS = (0.5, -1.0)  # the gradients of step 1 and step 2


def run_two_steps(make: Callable[[list[Tensor]], optim.Optimizer], start: float = 1.0) -> float:
    p = Tensor(np.array([start]), requires_grad=True)
    opt = make([p])
    for g in GRADS:
        p.grad = np.array([g])
        opt.step()
    return float(p.data[0])


# ----------------------------------------------------------------------- SGD


def test_sgd_plain_step_is_minus_lr_times_grad() -> None:
    assert run_two_steps(lambda ps: optim.SGD(ps, lr=0.1)) == pytest.approx(1.0 - 0.05 + 0.1)


def test_sgd_momentum_dampening_weight_decay() -> None:
    lr, mu, tau, wd = 0.1, 0.9, 0.5, 0.1
    p = 1.0
    d = GRADS[0] + wd * p  # step 1: the buffer starts as the gradient itself
    buf = d
    p -= lr * buf
    d = GRADS[1] + wd * p
    buf = mu * buf + (1 - tau) * d
    p -= lr * buf
    result = run_two_steps(
        lambda ps: optim.SGD(ps, lr=lr, momentum=mu, dampening=tau, weight_decay=wd)
    )
    assert result == pytest.approx(p, rel=1e-12)
    assert p == pytest.approx(0.9313)


def test_sgd_nesterov() -> None:
    lr, mu = 0.1, 0.9
    p, buf = 1.0, GRADS[0]
    p -= lr * (GRADS[0] + mu * buf)
    buf = mu * buf + GRADS[1]
    p -= lr * (GRADS[1] + mu * buf)
    result = run_two_steps(lambda ps: optim.SGD(ps, lr=lr, momentum=mu, nesterov=True))
    assert result == pytest.approx(p, rel=1e-12)
    assert p == pytest.approx(1.0545)


def test_sgd_nesterov_needs_momentum() -> None:
    with pytest.raises(ValueError, match="nesterov needs momentum > 0"):
        optim.SGD([Tensor([1.0], requires_grad=True)], lr=0.1, nesterov=True)


# ---------------------------------------------------------------------- Adam


def adam_by_hand(
    lr: float, b1: float, b2: float, eps: float, wd: float, decoupled: bool, amsgrad: bool
) -> float:
    p, m, v, v_max = 1.0, 0.0, 0.0, 0.0
    for t, g in enumerate(GRADS, start=1):
        if decoupled:
            p *= 1 - lr * wd
        else:
            g += wd * p
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        v_max = max(v_max, v)
        v_used = v_max if amsgrad else v
        m_hat, v_hat = m / (1 - b1**t), v_used / (1 - b2**t)
        p -= lr * m_hat / (math.sqrt(v_hat) + eps)
    return p


def test_adam_first_step_moves_by_lr() -> None:
    p = Tensor(np.array([1.0]), requires_grad=True)
    opt = optim.Adam([p], lr=0.1)
    p.grad = np.array([123.0])
    opt.step()
    assert p.data[0] == pytest.approx(0.9)


@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_two_steps_with_l2_weight_decay(amsgrad: bool) -> None:
    expected = adam_by_hand(0.1, 0.9, 0.99, 1e-3, 0.2, decoupled=False, amsgrad=amsgrad)
    result = run_two_steps(
        lambda ps: optim.Adam(
            ps, lr=0.1, betas=(0.9, 0.99), eps=1e-3, weight_decay=0.2, amsgrad=amsgrad
        )
    )
    assert result == pytest.approx(expected, rel=1e-12)


def test_amsgrad_keeps_the_largest_second_moment_when_gradients_shrink() -> None:
    # One large gradient, then small ones: with beta2 = 0.5 the second moment
    # falls at once, so amsgrad's running maximum (of the raw second moment,
    # as PyTorch keeps it) decides every later step.
    grads, lr, b1, b2, eps = (3.0, 0.1, 0.1, 0.1, 0.1), 0.1, 0.9, 0.5, 1e-8
    p, m, v, v_max = 1.0, 0.0, 0.0, 0.0
    plain = 1.0
    for t, g in enumerate(grads, start=1):
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g * g
        v_max = max(v_max, v)
        p -= lr * (m / (1 - b1**t)) / (math.sqrt(v_max / (1 - b2**t)) + eps)
        plain -= lr * (m / (1 - b1**t)) / (math.sqrt(v / (1 - b2**t)) + eps)
    param = Tensor(np.array([1.0]), requires_grad=True)
    opt = optim.Adam([param], lr=lr, betas=(b1, b2), eps=eps, amsgrad=True)
    for g in grads:
        param.grad = np.array([g])
        opt.step()
    assert float(param.data[0]) == pytest.approx(p, rel=1e-12)
    assert opt.state[param]["max_exp_avg_sq"][0] == pytest.approx(v_max, rel=1e-12)
    assert v_max > v  # the case this test is about: the maximum is not the current value
    assert p != pytest.approx(plain, rel=1e-3)


def test_adamw_two_steps_with_decoupled_weight_decay() -> None:
    expected = adam_by_hand(0.1, 0.9, 0.99, 1e-8, 0.2, decoupled=True, amsgrad=False)
    result = run_two_steps(lambda ps: optim.AdamW(ps, lr=0.1, betas=(0.9, 0.99), weight_decay=0.2))
    assert result == pytest.approx(expected, rel=1e-12)
    assert expected != pytest.approx(
        adam_by_hand(0.1, 0.9, 0.99, 1e-8, 0.2, decoupled=False, amsgrad=False)
    )


def test_adamw_default_weight_decay_is_one_hundredth() -> None:
    opt = optim.AdamW([Tensor([1.0], requires_grad=True)])
    assert opt.param_groups[0]["weight_decay"] == 0.01


def test_adam_rejects_beta_of_one() -> None:
    with pytest.raises(ValueError, match=r"betas must be a pair of numbers in \[0, 1\)"):
        optim.Adam([Tensor([1.0], requires_grad=True)], betas=(0.9, 1.0))


# ------------------------------------------------------------------- RMSprop


def rmsprop_by_hand(lr: float, alpha: float, eps: float, mu: float, centered: bool) -> float:
    p, sq, avg, buf = 1.0, 0.0, 0.0, 0.0
    for g in GRADS:
        sq = alpha * sq + (1 - alpha) * g * g
        avg = alpha * avg + (1 - alpha) * g
        denom = math.sqrt(sq - avg * avg if centered else sq) + eps
        if mu:
            buf = mu * buf + g / denom
            p -= lr * buf
        else:
            p -= lr * g / denom
    return p


@pytest.mark.parametrize(("momentum", "centered"), [(0.0, False), (0.5, False), (0.5, True)])
def test_rmsprop_two_steps(momentum: float, centered: bool) -> None:
    expected = rmsprop_by_hand(0.01, 0.9, 1e-8, momentum, centered)
    result = run_two_steps(
        lambda ps: optim.RMSprop(ps, lr=0.01, alpha=0.9, momentum=momentum, centered=centered)
    )
    assert result == pytest.approx(expected, rel=1e-12)


# ------------------------------------------------------------- shared rules


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
        lambda ps: optim.Adam(ps),
        lambda ps: optim.AdamW(ps),
        lambda ps: optim.RMSprop(ps, momentum=0.5),
    ],
    ids=["SGD", "Adam", "AdamW", "RMSprop"],
)
def test_parameters_without_gradient_are_left_alone(make: Any) -> None:
    idle = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    opt = make([idle])
    opt.step()
    assert idle.data.tolist() == [1.0, 2.0]
    assert opt.state == {}


def test_updates_are_in_place_on_the_same_array() -> None:
    p = Tensor(np.array([1.0], dtype=np.float32), requires_grad=True)
    data = p.data
    opt = optim.Adam([p])
    p.grad = np.array([1.0], dtype=np.float32)
    opt.step()
    assert p.data is data
    assert p.dtype == np.float32


def test_param_groups_have_their_own_learning_rate() -> None:
    a = Tensor(np.array([1.0]), requires_grad=True)
    b = Tensor(np.array([1.0]), requires_grad=True)
    opt = optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.5}], lr=0.1)
    a.grad, b.grad = np.array([1.0]), np.array([1.0])
    opt.step()
    assert a.data[0] == pytest.approx(0.9)
    assert b.data[0] == pytest.approx(0.5)


def test_add_param_group_fills_defaults_and_rejects_duplicates() -> None:
    a = Tensor(np.array([1.0]), requires_grad=True)
    opt = optim.SGD([a], lr=0.1, momentum=0.9)
    b = Tensor(np.array([1.0]), requires_grad=True)
    opt.add_param_group({"params": b, "lr": 0.01})
    assert opt.param_groups[1]["momentum"] == 0.9
    assert opt.param_groups[1]["lr"] == 0.01
    with pytest.raises(ValueError, match="appears in more than one place"):
        opt.add_param_group({"params": [a]})


def test_zero_grad_sets_none_or_zeros() -> None:
    p = Tensor(np.array([1.0]), requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    p.grad = np.array([3.0])
    opt.zero_grad(set_to_none=False)
    assert p.grad is not None
    assert p.grad.tolist() == [0.0]
    opt.zero_grad()
    assert p.grad is None


def test_optimizer_names_bad_arguments() -> None:
    with pytest.raises(TypeError, match="got a single Tensor"):
        optim.SGD(Tensor([1.0], requires_grad=True), lr=0.1)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)
    with pytest.raises(ValueError, match="lr must be a number >= 0, got -1"):
        optim.SGD([Tensor([1.0], requires_grad=True)], lr=-1)
    with pytest.raises(TypeError, match="params\\[0\\] must be a Tensor, got ndarray"):
        optim.SGD([np.zeros(2)], lr=0.1)  # type: ignore[list-item]


# --------------------------------------------------------------- state dicts


def make_params() -> list[Tensor]:
    rng = np.random.default_rng(0)
    return [Tensor(rng.standard_normal(s), requires_grad=True) for s in [(2, 3), (3,)]]


def train(opt: optim.Optimizer, params: list[Tensor], steps: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        for p in params:
            p.grad = rng.standard_normal(p.shape)
        opt.step()


OPTIMIZERS: dict[str, Callable[[list[Tensor]], optim.Optimizer]] = {
    "SGD": lambda ps: optim.SGD(ps, lr=0.1, momentum=0.9),
    "Adam": lambda ps: optim.Adam(ps, lr=0.01, amsgrad=True),
    "AdamW": lambda ps: optim.AdamW(ps, lr=0.01),
    "RMSprop": lambda ps: optim.RMSprop(ps, momentum=0.5, centered=True),
}


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_resuming_from_state_dict_equals_uninterrupted(name: str) -> None:
    make = OPTIMIZERS[name]
    straight = make_params()
    opt = make(straight)
    train(opt, straight, 3, seed=1)
    train(opt, straight, 2, seed=2)

    resumed = make_params()
    first = make(resumed)
    train(first, resumed, 3, seed=1)
    saved = first.state_dict()
    restored_params = [Tensor(p.data.copy(), requires_grad=True) for p in resumed]
    second = make(restored_params)
    second.load_state_dict(saved)
    train(second, restored_params, 2, seed=2)
    for a, b in zip(straight, restored_params, strict=True):
        np.testing.assert_array_equal(a.data, b.data)


def test_state_dict_layout_is_pytorch_like_and_json_friendly() -> None:
    params = make_params()
    opt = optim.Adam(params, lr=0.01)
    train(opt, params, 1, seed=0)
    state = opt.state_dict()
    assert state["param_groups"][0]["params"] == [0, 1]
    assert set(state["state"]) == {0, 1}
    assert state["state"][0]["step"] == 1
    assert state["state"][0]["exp_avg"].shape == (2, 3)
    json.dumps(state["param_groups"])  # plain numbers, tuples and lists only


def test_state_dict_arrays_are_snapshots() -> None:
    params = make_params()
    opt = optim.SGD(params, lr=0.1, momentum=0.9)
    train(opt, params, 1, seed=0)
    snapshot = opt.state_dict()
    before = snapshot["state"][0]["momentum_buffer"].copy()
    train(opt, params, 1, seed=1)
    np.testing.assert_array_equal(snapshot["state"][0]["momentum_buffer"], before)
    assert not np.array_equal(opt.state[params[0]]["momentum_buffer"], before)


def test_load_state_dict_accepts_string_indices_and_list_betas_from_json() -> None:
    params = make_params()
    opt = optim.Adam(params, lr=0.01)
    train(opt, params, 1, seed=0)
    saved = opt.state_dict()
    saved["state"] = {str(k): v for k, v in saved["state"].items()}
    saved["param_groups"] = json.loads(json.dumps(saved["param_groups"]))
    fresh = optim.Adam(make_params())
    fresh.load_state_dict(saved)
    assert fresh.param_groups[0]["betas"] == (0.9, 0.999)
    assert fresh.state[fresh.param_groups[0]["params"][1]]["step"] == 1


def test_load_state_dict_names_group_size_mismatch() -> None:
    opt = optim.SGD(make_params(), lr=0.1)
    other = optim.SGD(make_params()[:1], lr=0.1)
    with pytest.raises(ValueError, match="group 0 has 1 parameters in the state, 2 in this"):
        opt.load_state_dict(other.state_dict())


def test_load_state_dict_names_array_shape_mismatch() -> None:
    params = make_params()
    opt = optim.SGD(params, lr=0.1, momentum=0.9)
    train(opt, params, 1, seed=0)
    saved = opt.state_dict()
    saved["state"][1]["momentum_buffer"] = np.zeros(4)
    with pytest.raises(ValueError, match=r"'momentum_buffer' of parameter 1 has shape \(4,\)"):
        optim.SGD(make_params(), lr=0.1, momentum=0.9).load_state_dict(saved)
