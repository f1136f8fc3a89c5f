"""Drawing token ids: ``multinomial`` (as ``torch.multinomial``) and ``sample_logits``.

Both take a NumPy :class:`~numpy.random.Generator` (``generator=``) or draw from the
package's generator (:func:`~minigrad.tensor.manual_seed`), so sampling is
reproducible. Neither records a graph: token ids have no gradient.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor import Tensor, multinomial
    >>> rng = np.random.default_rng(0)
    >>> multinomial(Tensor([0.0, 1.0, 0.0]), 2, replacement=True, generator=rng).tolist()
    [1, 1]
"""

from __future__ import annotations

from typing import Any

import numpy as np

from minigrad.tensor.creation import default_generator
from minigrad.tensor.tensor import Tensor

__all__ = ["multinomial", "sample_logits"]


def _weights(input: Any) -> np.ndarray:
    """The category weights as a float64 (rows, categories) array, checked as PyTorch does."""
    data = np.asarray(input.data if isinstance(input, Tensor) else input)
    if data.dtype.kind != "f":
        raise TypeError(f"multinomial: expected floating probabilities, got dtype {data.dtype}")
    if data.ndim not in (1, 2) or data.shape[-1] == 0:
        raise ValueError(
            f"multinomial: expected probabilities of shape (categories,) or (rows, categories) "
            f"with at least one category, got {data.shape}"
        )
    rows = data.reshape(-1, data.shape[-1]).astype(np.float64)
    if not np.isfinite(rows).all() or (rows < 0).any():
        raise ValueError("multinomial: probabilities must be finite and non-negative")
    if (rows.sum(axis=1) <= 0).any():
        raise ValueError("multinomial: every row of probabilities must have a positive sum")
    return rows


def multinomial(
    input: Any,
    num_samples: int,
    replacement: bool = False,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """Draw ``num_samples`` category indices per row, with probabilities proportional to ``input``.

    As ``torch.multinomial``: ``input`` holds non-negative weights (they need not sum to 1)
    of shape ``(categories,)`` or ``(rows, categories)``; the result is int64 of shape
    ``(num_samples,)`` or ``(rows, num_samples)``. Without replacement each row gives
    distinct categories, in the order drawn, and needs at least ``num_samples`` categories
    of non-zero weight.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, multinomial
        >>> picks = multinomial(Tensor([[1.0, 1.0, 0.0]]), 2, generator=np.random.default_rng(1))
        >>> sorted(picks.tolist()[0])
        [0, 1]
    """
    rows = _weights(input)
    if isinstance(num_samples, bool) or not isinstance(num_samples, (int, np.integer)):
        raise TypeError(f"multinomial: num_samples must be an int, got {type(num_samples)}")
    if num_samples < 1:
        raise ValueError(f"multinomial: num_samples must be at least 1, got {num_samples}")
    rng = default_generator() if generator is None else generator
    if replacement:
        cdf = np.cumsum(rows, axis=1)
        draws = rng.random((rows.shape[0], int(num_samples))) * cdf[:, -1:]
        picks = np.stack(
            [np.searchsorted(c, d, side="right") for c, d in zip(cdf, draws, strict=True)]
        )
        # A draw equal to the total (rounding) must not fall off the end.
        picks = np.minimum(picks, rows.shape[1] - 1)
    else:
        available = int((rows > 0).sum(axis=1).min())
        if num_samples > available:
            raise ValueError(
                f"multinomial: cannot draw {num_samples} samples without replacement from a "
                f"row with {available} categories of non-zero probability"
            )
        # Sequential draws without replacement are the categories in increasing order of
        # Exponential(1) / weight (the exponential race), drawn all at once.
        with np.errstate(divide="ignore"):
            keys = rng.standard_exponential(rows.shape) / rows
        picks = np.argsort(keys, axis=1, kind="stable")[:, : int(num_samples)]
    result = picks.astype(np.int64)
    return Tensor(
        result if np.ndim(input.data if isinstance(input, Tensor) else input) == 2 else result[0]
    )


def sample_logits(
    logits: Any,
    temperature: float = 1.0,
    top_k: int | None = None,
    generator: np.random.Generator | None = None,
) -> Tensor:
    """One token id per row of ``logits``, drawn from ``softmax(logits / temperature)``.

    The step of a language model's generation loop (as in nanoGPT): divide by the
    temperature (below 1: surer, above: more varied), keep the ``top_k`` largest logits
    of each row when given, and draw with :func:`multinomial`.

    Args:
        logits: shape ``(vocab,)`` or ``(rows, vocab)``.
        temperature: a positive number.
        top_k: keep only this many of the most likely tokens (None: all).
        generator: the NumPy generator to draw from.

    Returns:
        int64 token ids of shape ``(1,)`` or ``(rows, 1)``, like ``multinomial(probs, 1)``.

    Example:
        >>> import numpy as np
        >>> from minigrad.tensor import Tensor, sample_logits
        >>> sample_logits(Tensor([[0.0, 5.0, 1.0]]), top_k=1).tolist()
        [[1]]
    """
    data = np.asarray(logits.data if isinstance(logits, Tensor) else logits, dtype=np.float64)
    if data.ndim not in (1, 2):
        raise ValueError(
            f"sample_logits: expected logits of shape (vocab,) or (rows, vocab), got {data.shape}"
        )
    if (
        isinstance(temperature, bool)
        or not isinstance(temperature, (int, float))
        or not (temperature > 0 and np.isfinite(temperature))
    ):
        raise ValueError(
            f"sample_logits: temperature must be a positive number, got {temperature!r}"
        )
    scaled = data / temperature
    if top_k is not None:
        if isinstance(top_k, bool) or not isinstance(top_k, (int, np.integer)) or top_k < 1:
            raise ValueError(f"sample_logits: top_k must be a positive int, got {top_k!r}")
        k = min(int(top_k), data.shape[-1])
        kth = np.sort(scaled, axis=-1)[..., -k, None]
        scaled = np.where(scaled < kth, -np.inf, scaled)
    shifted = scaled - scaled.max(axis=-1, keepdims=True)
    probs = np.exp(shifted)
    return multinomial(probs, 1, generator=generator)
