"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.optim._checks import check_non_negative
from minigrad.tensor.optim.optimizer import Optimizer, ParamsT

__all__ = ["SGD"]


class SGD(Optimizer):
    """Stochastic gradient descent, with PyTorch's update rule.

    For each parameter ``p`` with gradient ``g``::

        g = g + weight_decay * p
        if momentum:
            b = g                                    (first step)
            b = momentum * b + (1 - dampening) * g   (later steps)
            g = g + momentum * b if nesterov else b
        p = p - lr * g

    Example:
        >>> from minigrad.tensor import Tensor, optim
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = optim.SGD([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> w.tolist()
        [0.800000011920929]
    """

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        super()._check_group(group)
        check_non_negative(group, ("momentum", "dampening", "weight_decay"), "SGD")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(
                "SGD: nesterov needs momentum > 0 and dampening = 0, got "
                f"momentum={group['momentum']} and dampening={group['dampening']}"
            )

    def step(self) -> None:
        """Update every parameter that has a gradient, once."""
        for group in self.param_groups:
            lr, momentum = group["lr"], group["momentum"]
            dampening, weight_decay = group["dampening"], group["weight_decay"]
            params = self._params_with_grad(group)
            # One version tick for the group, after its writes (also after a failed one:
            # a parameter counted as written that was not is safe, the reverse is not).
            try:
                if not (momentum or weight_decay):  # plain SGD: nothing but the update
                    for p in params:
                        p.data -= lr * p.grad
                    continue
                for p in params:
                    assert p.grad is not None
                    g = p.grad
                    if weight_decay:
                        g = g + weight_decay * p.data
                    if momentum:
                        state = self.state.setdefault(p, {})
                        buf = state.get("momentum_buffer")
                        if buf is None:
                            buf = state["momentum_buffer"] = np.array(g, dtype=p.dtype, copy=True)
                        else:
                            buf *= momentum
                            buf += (1.0 - dampening) * g
                        g = g + momentum * buf if group["nesterov"] else buf
                    p.data -= lr * g
            finally:
                self._updated_all(params)
