"""Checks for the tutorials' tensor exercises, judged by the scalar engine.

The tensor-side companion of ``minigrad.scalar.exercises`` (whose ``Verdict``
every check here returns: true when the answer is right, and a sentence in
plain words either way). It needs the scalar engine
(``pip install minigrad-tensor[scalar]``), imported when a check runs.
Reference answers are in ``minigrad.tensor.testing.solutions``.

Example:
    >>> from minigrad.tensor.testing.solutions import causal_mask
    >>> check_causal_mask(causal_mask)
    Right: ...
    >>> bool(check_causal_mask(lambda scores: scores))
    False
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from minigrad.tensor.tensor import Tensor

if TYPE_CHECKING:
    from minigrad.scalar.exercises import Verdict

__all__ = ["check_causal_mask"]

_TOLERANCE = 1e-6


def _scalar_attention(scores: np.ndarray, upstream: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The scalar GPT's attention weights of each row of ``scores`` ``(T, T)``, and their gradient.

    Position t reads the keys 0..t only (the scalar GPT's KV cache holds nothing
    later), so its weights are the softmax of ``scores[t, :t + 1]`` and 0 after.
    The gradient is that of ``sum(weights * upstream)`` with respect to ``scores``.
    """
    from minigrad.scalar.engine import Value
    from minigrad.scalar.gpt import softmax

    size = scores.shape[-1]
    weights, grads = np.zeros_like(scores), np.zeros_like(scores)
    for t in range(size):
        leaves = [Value(float(s)) for s in scores[t, : t + 1]]
        row = softmax(leaves)
        sum((w * float(u) for w, u in zip(row, upstream[t], strict=False)), Value(0.0)).backward()
        weights[t, : t + 1] = [w.data for w in row]
        grads[t, : t + 1] = [leaf.grad for leaf in leaves]
    return weights, grads


def check_causal_mask(mask_scores: Callable[[Tensor], Tensor]) -> Verdict:
    """Check ``mask_scores(scores)``: attention scores ``(..., T, T)`` with the future masked.

    The answer must return a Tensor of the same shape whose softmax over the last
    axis lets position t (a row) attend to positions 0..t only. Its weights and
    the gradient of a weighted sum of them are compared, row by row, with the
    scalar GPT's attention (``minigrad.scalar.gpt``), which reads keys 0..t only.
    Scores of shape ``(5, 5)`` and ``(2, 5, 5)`` (a batch) are tried.
    """
    from minigrad.scalar.exercises import Verdict

    rng = np.random.default_rng(0)
    for shape in [(5, 5), (2, 5, 5)]:
        data = rng.standard_normal(shape)
        upstream = rng.standard_normal(shape)
        scores = Tensor(data.copy(), requires_grad=True)
        try:
            # A fully masked row makes NaN weights (and NumPy warnings): reported below.
            with np.errstate(invalid="ignore", divide="ignore"):
                masked = mask_scores(scores)
                if not isinstance(masked, Tensor) or masked.shape != scores.shape:
                    got = getattr(masked, "shape", type(masked).__name__)
                    return Verdict(
                        False,
                        f"Not yet: expected a Tensor of the scores' shape {shape}, got {got}.",
                    )
                weights = masked.softmax(axis=-1)
                (weights * Tensor(upstream)).sum().backward()
        except Exception as error:  # the learner's code may fail in any way: report it
            return Verdict(False, f"Not yet: your function raised {type(error).__name__}: {error}")
        grad = scores.grad if scores.grad is not None else np.zeros(shape)
        for index in np.ndindex(*shape[:-2]):
            want, want_grad = _scalar_attention(data[index], upstream[index])
            got = weights.data[index]
            for t in range(shape[-1]):
                if not np.all(np.isfinite(got[t])):
                    return Verdict(
                        False,
                        f"Not yet: with scores of shape {shape}, the weights of position {t} are "
                        f"{np.round(got[t], 4).tolist()}: every score of that row was masked. "
                        f"Position t must still see positions 0..t, itself included.",
                    )
                if not np.allclose(got[t], want[t], rtol=_TOLERANCE, atol=_TOLERANCE):
                    return Verdict(
                        False,
                        f"Not yet: with scores of shape {shape}, position {t} attends with "
                        f"weights {np.round(got[t], 4).tolist()}; the scalar GPT, which reads "
                        f"positions 0..{t} only, gives {np.round(want[t], 4).tolist()}. Fill "
                        f"the scores above the diagonal (column > row) with -inf.",
                    )
            if not np.allclose(grad[index], want_grad, rtol=_TOLERANCE, atol=_TOLERANCE):
                return Verdict(
                    False,
                    f"Not yet: the weights agree, but the gradient of the scores does not: "
                    f"{np.round(grad[index], 4).tolist()}, the scalar engine's "
                    f"{np.round(want_grad, 4).tolist()}. A masked score must get no gradient.",
                )
    return Verdict(
        True,
        "Right: position t attends to positions 0..t only, as in the scalar GPT; the "
        "weights and their gradients agree on every row (shapes (5, 5) and (2, 5, 5)).",
    )
