"""Optimizers and learning-rate schedules with PyTorch's names, formulas and state dicts.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import Tensor, optim
    >>> w = Tensor(np.array([3.0]), requires_grad=True)
    >>> opt = optim.SGD([w], lr=0.25)
    >>> for _ in range(2):
    ...     opt.zero_grad()
    ...     (w * w).sum().backward()
    ...     opt.step()
    >>> w.tolist()   # each step halves w
    [0.75]
"""

from __future__ import annotations

from minigrad.tensor.optim import lr_scheduler
from minigrad.tensor.optim.adam import Adam
from minigrad.tensor.optim.adamw import AdamW
from minigrad.tensor.optim.optimizer import Optimizer
from minigrad.tensor.optim.rmsprop import RMSprop
from minigrad.tensor.optim.sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "RMSprop", "lr_scheduler"]
