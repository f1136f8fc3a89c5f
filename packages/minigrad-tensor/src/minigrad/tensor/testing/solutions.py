"""Reference answers to the tensor exercises (`minigrad.tensor.testing.exercises`), out of the way.

Try an exercise first; its check tells you what differs. ``show("name")``
prints one answer's source.

Example:
    >>> show("causal_mask")
    def causal_mask(scores: Tensor) -> Tensor:
    ...
"""

from __future__ import annotations

import inspect

from minigrad.tensor.creation import ones
from minigrad.tensor.ops.masking import tril
from minigrad.tensor.tensor import Tensor

__all__ = ["causal_mask", "show"]


def causal_mask(scores: Tensor) -> Tensor:
    """Scores ``(..., T, T)`` with every column after its row (the future) set to -inf."""
    size = scores.shape[-1]
    keep = tril(ones(size, size)) > 0  # row t keeps columns 0..t
    return scores.masked_fill(~keep, float("-inf"))


def show(name: str) -> None:
    """Print the source of the solution called ``name``."""
    if name not in __all__ or name == "show":
        raise KeyError(f"no solution named {name!r}; the names are ['causal_mask']")
    print(inspect.getsource(globals()[name]), end="")
