"""SGD and Adam steps against hand-computed numbers, and their argument checks."""

from __future__ import annotations

import math

import pytest

from minigrad.scalar import Value, optim


def _parameter(data: float, grad: float) -> Value:
    p = Value(data)
    p.grad = grad
    return p


def test_sgd_step_moves_against_the_gradient() -> None:
    p = _parameter(1.0, 2.0)
    optim.SGD([p], lr=0.1).step()
    assert p.data == pytest.approx(1.0 - 0.1 * 2.0)


def test_sgd_weight_decay_adds_decay_times_parameter_to_gradient() -> None:
    p = _parameter(2.0, 1.0)
    optim.SGD([p], lr=0.5, weight_decay=0.1).step()
    assert p.data == pytest.approx(2.0 - 0.5 * (1.0 + 0.1 * 2.0))


def test_sgd_momentum_first_step_uses_the_gradient_then_accumulates() -> None:
    p = _parameter(1.0, 1.0)
    sgd = optim.SGD([p], lr=0.1, momentum=0.9)
    sgd.step()  # buf = 1.0, p = 1.0 - 0.1 * 1.0 = 0.9
    assert p.data == pytest.approx(0.9)
    p.grad = 0.5
    sgd.step()  # buf = 0.9 * 1.0 + 0.5 = 1.4, p = 0.9 - 0.14 = 0.76
    assert p.data == pytest.approx(0.76)


def test_sgd_lr_can_be_changed_between_steps() -> None:
    p = _parameter(1.0, 1.0)
    sgd = optim.SGD([p], lr=0.1)
    sgd.lr = 0.5
    sgd.step()
    assert p.data == pytest.approx(0.5)


def test_adam_first_step_moves_by_about_lr() -> None:
    p = _parameter(1.0, 3.0)
    optim.Adam([p], lr=0.1).step()
    # m_hat = g, v_hat = g^2: step = lr * g / (|g| + eps)
    assert p.data == pytest.approx(1.0 - 0.1 * 3.0 / (3.0 + 1e-8), rel=1e-12)


def test_adam_two_steps_match_the_documented_formulas() -> None:
    p = _parameter(1.0, 2.0)
    adam = optim.Adam([p], lr=0.01, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1)
    adam.step()
    p.grad = -1.0
    adam.step()

    data, m, v = 1.0, 0.0, 0.0
    for t, grad in [(1, 2.0), (2, -1.0)]:
        g = grad + 0.1 * data
        m = 0.8 * m + 0.2 * g
        v = 0.9 * v + 0.1 * g * g
        m_hat = m / (1 - 0.8**t)
        v_hat = v / (1 - 0.9**t)
        data -= 0.01 * m_hat / (math.sqrt(v_hat) + 1e-6)
    assert p.data == pytest.approx(data, rel=1e-12)


def test_zero_grad_clears_every_parameter_gradient() -> None:
    params = [_parameter(1.0, 2.0), _parameter(3.0, -4.0)]
    optim.SGD(params, lr=0.1).zero_grad()
    assert [p.grad for p in params] == [0.0, 0.0]


def test_sgd_trains_a_linear_fit() -> None:
    w = Value(0.0)
    sgd = optim.SGD([w], lr=0.1)
    for _ in range(50):
        loss = (w * 2.0 - 6.0) ** 2
        sgd.zero_grad()
        loss.backward()
        sgd.step()
    assert w.data == pytest.approx(3.0, abs=1e-6)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda ps: optim.SGD(ps, lr=-0.1), "lr must be >= 0, got -0.1"),
        (lambda ps: optim.SGD(ps, lr=0.1, momentum=-1), "momentum must be >= 0"),
        (lambda ps: optim.SGD(ps, lr=0.1, weight_decay=-1), "weight_decay must be >= 0"),
        (lambda ps: optim.SGD(ps, lr=math.nan), "lr must be finite"),
        (lambda ps: optim.Adam(ps, lr=-1.0), "lr must be >= 0"),
        (lambda ps: optim.Adam(ps, betas=(1.0, 0.999)), r"betas\[0\] must be in \[0, 1\), got 1.0"),
        (lambda ps: optim.Adam(ps, betas=(0.9, -0.1)), r"betas\[1\] must be in \[0, 1\)"),
        (lambda ps: optim.Adam(ps, eps=-1e-8), "eps must be >= 0"),
        (lambda ps: optim.Adam(ps, weight_decay=-1.0), "weight_decay must be >= 0"),
    ],
)
def test_invalid_hyperparameters_raise_value_error_naming_them(make: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make([Value(1.0)])  # type: ignore[operator]


def test_lr_must_be_a_number() -> None:
    with pytest.raises(TypeError, match="lr must be a number, got str"):
        optim.SGD([Value(1.0)], lr="0.1")  # type: ignore[arg-type]


def test_optimizer_rejects_empty_parameter_list() -> None:
    with pytest.raises(ValueError, match="empty parameter list"):
        optim.SGD([], lr=0.1)


def test_optimizer_rejects_non_value_parameters() -> None:
    with pytest.raises(TypeError, match="expects Value parameters, got float"):
        optim.Adam([1.0])  # type: ignore[list-item]


def test_optimizer_base_has_no_step() -> None:
    with pytest.raises(NotImplementedError):
        optim.Optimizer([Value(1.0)]).step()
