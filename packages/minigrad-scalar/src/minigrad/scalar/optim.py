"""Optimizers: use the gradients from ``backward`` to update the parameters.

The update rules are the ones PyTorch documents for ``torch.optim.SGD`` and
``torch.optim.Adam`` (without the less common options), one parameter at a
time.

Example:
    >>> from minigrad.scalar import Value
    >>> w = Value(1.0)
    >>> optimizer = SGD([w], lr=0.1)
    >>> loss = w * w             # d(loss)/dw = 2w = 2.0
    >>> loss.backward()
    >>> optimizer.step()         # w <- w - 0.1 * 2.0
    >>> w.data
    0.8
    >>> optimizer.zero_grad()
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from minigrad.scalar.engine import Value

__all__ = ["SGD", "Adam", "Optimizer"]


def _check_number(name: str, value: object) -> float:
    """``value`` as a finite float, or a TypeError/ValueError naming the option."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, got {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{name} must be finite, got {number!r}")
    return number


def _check_at_least_zero(name: str, value: object) -> float:
    """``value`` as a float that is >= 0, or an error naming the option."""
    number = _check_number(name, value)
    if number < 0.0:
        raise ValueError(f"{name} must be >= 0, got {number!r}")
    return number


def _check_beta(name: str, value: object) -> float:
    """``value`` as a float in [0, 1), or an error naming the option."""
    number = _check_number(name, value)
    if not 0.0 <= number < 1.0:
        raise ValueError(f"{name} must be in [0, 1), got {number!r}")
    return number


class Optimizer:
    """Base class: holds the parameters, clears their gradients, updates them.

    Args:
        params: the Values to optimize, e.g. ``model.parameters()``.

    Subclasses implement `step`.
    """

    def __init__(self, params: Iterable[Value]) -> None:
        self.params = list(params)
        if not self.params:
            raise ValueError("optimizer got an empty parameter list")
        for param in self.params:
            if not isinstance(param, Value):
                raise TypeError(f"optimizer expects Value parameters, got {type(param).__name__}")

    def zero_grad(self) -> None:
        """Set every parameter's gradient to 0.0 (leaf gradients accumulate otherwise)."""
        for param in self.params:
            param.grad = 0.0

    def step(self) -> None:
        """Update every parameter once from its current gradient."""
        raise NotImplementedError(f"{type(self).__name__} does not define step")


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and weight decay.

    For each parameter p with gradient g, as ``torch.optim.SGD`` does::

        g = g + weight_decay * p
        buf = g                     on the first step,
        buf = momentum * buf + g    after that            (only if momentum != 0)
        p = p - lr * buf            (or p - lr * g without momentum)

    Args:
        params: the Values to optimize.
        lr: the learning rate, >= 0. It is a plain attribute: change
            ``optimizer.lr`` between steps to schedule it.
        momentum: the momentum factor, >= 0 (0 turns momentum off).
        weight_decay: L2 penalty factor, >= 0.

    Example:
        >>> w = Value(2.0)
        >>> w.grad = 1.0
        >>> SGD([w], lr=0.5, weight_decay=0.1).step()   # g = 1 + 0.1*2 = 1.2
        >>> w.data                                       # 2 - 0.5*1.2
        1.4
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float,
        momentum: float = 0.0,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr = _check_at_least_zero("lr", lr)
        self.momentum = _check_at_least_zero("momentum", momentum)
        self.weight_decay = _check_at_least_zero("weight_decay", weight_decay)
        self._momentum_buffers: list[float | None] = [None] * len(self.params)

    def step(self) -> None:
        """Move every parameter against its gradient (see the class docstring)."""
        for i, param in enumerate(self.params):
            gradient = param.grad
            if self.weight_decay != 0.0:
                gradient += self.weight_decay * param.data
            if self.momentum != 0.0:
                buffer = self._momentum_buffers[i]
                buffer = gradient if buffer is None else self.momentum * buffer + gradient
                self._momentum_buffers[i] = buffer
                gradient = buffer
            param.data -= self.lr * gradient


class Adam(Optimizer):
    """Adam: per-parameter steps scaled by running averages of g and g^2.

    For each parameter p with gradient g, at step t = 1, 2, ..., as
    ``torch.optim.Adam`` does::

        g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g          (m, v start at 0)
        v = beta2 * v + (1 - beta2) * g^2
        m_hat = m / (1 - beta1^t)                (bias correction)
        v_hat = v / (1 - beta2^t)
        p = p - lr * m_hat / (sqrt(v_hat) + eps)

    Args:
        params: the Values to optimize.
        lr: the learning rate, >= 0 (a plain attribute, like SGD's).
        betas: the decay rates (beta1, beta2), each in [0, 1).
        eps: added to the denominator for stability, >= 0.
        weight_decay: L2 penalty factor, >= 0.

    Example:
        >>> w = Value(1.0)
        >>> w.grad = 3.0
        >>> Adam([w], lr=0.1).step()   # the first step moves by about lr
        >>> round(w.data, 6)
        0.9
    """

    def __init__(
        self,
        params: Iterable[Value],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params)
        self.lr = _check_at_least_zero("lr", lr)
        if not isinstance(betas, tuple) or len(betas) != 2:
            raise TypeError(f"betas must be a tuple of two numbers, got {betas!r}")
        self.betas = (_check_beta("betas[0]", betas[0]), _check_beta("betas[1]", betas[1]))
        self.eps = _check_at_least_zero("eps", eps)
        self.weight_decay = _check_at_least_zero("weight_decay", weight_decay)
        self.steps_taken = 0
        self._first_moments = [0.0] * len(self.params)
        self._second_moments = [0.0] * len(self.params)

    def step(self) -> None:
        """Move every parameter by its bias-corrected Adam step (see the class docstring)."""
        beta1, beta2 = self.betas
        self.steps_taken += 1
        first_correction = 1.0 - beta1**self.steps_taken
        second_correction = 1.0 - beta2**self.steps_taken
        for i, param in enumerate(self.params):
            gradient = param.grad
            if self.weight_decay != 0.0:
                gradient += self.weight_decay * param.data
            m = beta1 * self._first_moments[i] + (1.0 - beta1) * gradient
            v = beta2 * self._second_moments[i] + (1.0 - beta2) * gradient * gradient
            self._first_moments[i] = m
            self._second_moments[i] = v
            m_hat = m / first_correction
            v_hat = v / second_correction
            param.data -= self.lr * m_hat / (math.sqrt(v_hat) + self.eps)
