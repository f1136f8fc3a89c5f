"""RMSprop: gradients scaled by a running root mean square."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.optim._checks import check_non_negative
from minigrad.tensor.optim.optimizer import Optimizer, ParamsT

__all__ = ["RMSprop"]


class RMSprop(Optimizer):
    """RMSprop, with PyTorch's update rule.

    For each parameter ``p`` with gradient ``g``::

        g = g + weight_decay * p
        v = alpha * v + (1 - alpha) * g**2
        a = alpha * a + (1 - alpha) * g        (centered only)
        d = sqrt(v - a**2) + eps  if centered else  sqrt(v) + eps
        b = momentum * b + g / d;  p = p - lr * b    (momentum > 0)
        p = p - lr * g / d                           (otherwise)

    Example:
        >>> from minigrad.tensor import Tensor, optim
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = optim.RMSprop([w], lr=0.01)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> round(w.item(), 4)   # 1 - 0.01 * 2 / sqrt(0.01 * 4)
        0.9
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "alpha": alpha,
            "eps": eps,
            "weight_decay": weight_decay,
            "momentum": momentum,
            "centered": centered,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        super()._check_group(group)
        check_non_negative(group, ("alpha", "eps", "weight_decay", "momentum"), "RMSprop")

    def step(self) -> None:
        """Update every parameter that has a gradient, once."""
        for group in self.param_groups:
            lr, alpha, eps = group["lr"], group["alpha"], group["eps"]
            weight_decay, momentum = group["weight_decay"], group["momentum"]
            params = self._params_with_grad(group)
            try:  # one version tick for the group, after its writes (see SGD.step)
                for p in params:
                    assert p.grad is not None
                    g = p.grad
                    state = self.state.setdefault(p, {})
                    if not state:
                        state["step"] = 0
                        state["square_avg"] = np.zeros_like(p.data)
                    state["step"] += 1
                    if weight_decay:
                        g = g + weight_decay * p.data
                    square_avg = state["square_avg"]
                    square_avg *= alpha
                    square_avg += (1.0 - alpha) * (g * g)
                    if group["centered"]:
                        grad_avg = state.setdefault("grad_avg", np.zeros_like(p.data))
                        grad_avg *= alpha
                        grad_avg += (1.0 - alpha) * g
                        denom = np.sqrt(square_avg - grad_avg * grad_avg)
                    else:
                        denom = np.sqrt(square_avg)
                    denom += eps
                    if momentum > 0:
                        buf = state.setdefault("momentum_buffer", np.zeros_like(p.data))
                        buf *= momentum
                        buf += g / denom
                        p.data -= lr * buf
                    else:
                        p.data -= lr * (g / denom)
            finally:
                self._updated_all(params)
