"""The tensor exercises' check, judged by the scalar engine: wrong answers fail, solutions pass."""

from __future__ import annotations

import doctest
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import Tensor
from minigrad.tensor.creation import ones
from minigrad.tensor.ops.masking import tril, triu
from minigrad.tensor.testing import exercises, solutions
from minigrad.tensor.testing.exercises import check_causal_mask

pytest.importorskip("minigrad.scalar")


def _keep(size: int, diagonal: int = 0) -> Tensor:
    return tril(ones(size, size), diagonal) > 0


WRONG_MASKS: dict[str, Callable[[Tensor], Any]] = {
    "no mask": lambda s: s,
    "the past masked instead of the future": lambda s: s.masked_fill(_keep(5), float("-inf")),
    "the diagonal masked too": lambda s: s.masked_fill(~_keep(5, -1), float("-inf")),
    "scores multiplied by the triangle": lambda s: s * tril(ones(5, 5)),
    "one position too many": lambda s: s.masked_fill(triu(ones(5, 5), 2) > 0, float("-inf")),
    "a single row returned": lambda s: s[..., 0, :],
    "not a Tensor": lambda s: s.data,
}


@pytest.mark.parametrize("wrong", sorted(WRONG_MASKS))
def test_causal_mask_check_rejects_a_wrong_mask(wrong: str) -> None:
    verdict = check_causal_mask(WRONG_MASKS[wrong])
    assert not verdict
    assert verdict.message.startswith("Not yet")


def test_causal_mask_check_accepts_the_solution_and_a_large_negative_fill() -> None:
    assert check_causal_mask(solutions.causal_mask)
    assert check_causal_mask(lambda s: s.masked_fill(~_keep(5), -1e9))


def test_causal_mask_check_names_the_row_and_the_scalar_weights() -> None:
    verdict = check_causal_mask(WRONG_MASKS["no mask"])
    assert "position 0" in verdict.message
    assert "[1.0, 0.0, 0.0, 0.0, 0.0]" in verdict.message


def test_causal_mask_check_reports_a_fully_masked_row_without_a_warning() -> None:
    verdict = check_causal_mask(WRONG_MASKS["the diagonal masked too"])
    assert "every score of that row was masked" in verdict.message


def test_causal_mask_check_reports_an_exception_in_plain_words() -> None:
    def boom(scores: Tensor) -> Tensor:
        raise ValueError("not written yet")

    verdict = check_causal_mask(boom)
    assert not verdict
    assert "raised ValueError: not written yet" in verdict.message


def test_solutions_show_prints_the_source_and_refuses_unknown_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    solutions.show("causal_mask")
    assert "masked_fill" in capsys.readouterr().out
    with pytest.raises(KeyError, match="causal_mask"):
        solutions.show("nope")


def test_the_causal_mask_solution_blocks_the_future_exactly() -> None:
    masked = solutions.causal_mask(Tensor(np.zeros((3, 3))))
    assert np.array_equal(np.isinf(masked.data), np.triu(np.ones((3, 3)), 1) > 0)


@pytest.mark.parametrize("module", [exercises, solutions])
def test_docstring_examples_run(module: Any) -> None:
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0
