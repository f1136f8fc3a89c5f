"""Adam: adaptive moment estimation, with PyTorch's bias-corrected update."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from minigrad.tensor.optim._checks import check_betas, check_non_negative
from minigrad.tensor.optim.optimizer import Optimizer, ParamsT

__all__ = ["Adam"]


class Adam(Optimizer):
    """Adam, with PyTorch's update rule (L2 weight decay added to the gradient).

    For each parameter ``p`` with gradient ``g``, at step ``t = 1, 2, ...``::

        g = g + weight_decay * p
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g**2
        v_max = max(v_max, v)                  (amsgrad only; then v_max replaces v)
        p = p - lr * (m / (1 - beta1**t)) / (sqrt(v / (1 - beta2**t)) + eps)

    ``weight_decay=None`` takes the class's default: 0 for Adam, 1e-2 for AdamW,
    as in PyTorch.

    Example:
        >>> from minigrad.tensor import Tensor, optim
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = optim.Adam([w], lr=0.1)
        >>> (w * w).sum().backward()
        >>> opt.step()
        >>> round(w.item(), 6)   # the first step moves by lr, whatever the gradient's size
        0.9
    """

    _name = "Adam"
    _decoupled_weight_decay = False
    default_weight_decay = 0.0

    def __init__(
        self,
        params: ParamsT,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float | None = None,
        amsgrad: bool = False,
    ) -> None:
        if weight_decay is None:
            weight_decay = self.default_weight_decay
        defaults = {
            "lr": lr,
            "betas": tuple(betas),
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
        }
        super().__init__(params, defaults)

    def _check_group(self, group: dict[str, Any]) -> None:
        super()._check_group(group)
        check_non_negative(group, ("eps", "weight_decay"), self._name)
        check_betas(group, self._name)

    def step(self) -> None:
        """Update every parameter that has a gradient, once."""
        for group in self.param_groups:
            lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            params = self._params_with_grad(group)
            try:  # one version tick for the group, after its writes (see SGD.step)
                for p in params:
                    assert p.grad is not None
                    g = p.grad
                    state = self.state.setdefault(p, {})
                    if not state:
                        state["step"] = 0
                        state["exp_avg"] = np.zeros_like(p.data)
                        state["exp_avg_sq"] = np.zeros_like(p.data)
                    state["step"] += 1
                    t = state["step"]
                    if weight_decay:
                        if self._decoupled_weight_decay:
                            p.data *= 1.0 - lr * weight_decay
                        else:
                            g = g + weight_decay * p.data
                    m, v = state["exp_avg"], state["exp_avg_sq"]
                    m *= beta1
                    m += (1.0 - beta1) * g
                    v *= beta2
                    v += (1.0 - beta2) * (g * g)
                    if group["amsgrad"]:
                        v_max = state.setdefault("max_exp_avg_sq", np.zeros_like(p.data))
                        np.maximum(v_max, v, out=v_max)
                        v = v_max
                    bias_correction1 = 1.0 - beta1**t
                    bias_correction2 = 1.0 - beta2**t
                    denom = np.sqrt(v) / math.sqrt(bias_correction2)
                    denom += eps
                    p.data -= (lr / bias_correction1) * (m / denom)
            finally:
                self._updated_all(params)
