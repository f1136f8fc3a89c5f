"""AdamW: Adam with decoupled weight decay."""

from __future__ import annotations

from minigrad.tensor.optim.adam import Adam

__all__ = ["AdamW"]


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter), as PyTorch's AdamW.

    Before the Adam update, each parameter shrinks: ``p = p - lr * weight_decay * p``;
    the decay never enters the moment estimates. Otherwise the same as :class:`Adam`,
    constructor included; only the default ``weight_decay`` differs (1e-2).

    Example:
        >>> from minigrad.tensor import Tensor, optim
        >>> w = Tensor([1.0], requires_grad=True)
        >>> opt = optim.AdamW([w], lr=0.1, weight_decay=0.5)
        >>> (w * 0).sum().backward()   # a zero gradient: only the decay moves w
        >>> opt.step()
        >>> round(w.item(), 6)
        0.95
    """

    _name = "AdamW"
    _decoupled_weight_decay = True
    default_weight_decay = 1e-2
