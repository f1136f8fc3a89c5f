"""Every exercise check fails a wrong answer and passes the reference solution."""

from __future__ import annotations

import doctest
import math
from typing import Any

import numpy as np
import pytest

from minigrad.scalar import exercises, solutions
from minigrad.scalar.exercises import (
    check_bias_gradient,
    check_cross_entropy_gradient,
    check_prediction,
    check_repaired_rule,
    check_sin_local_grad,
    check_value_class,
)
from minigrad.scalar.solutions import SolutionValue


class _WrongMulGrad(SolutionValue):
    """Swaps the local gradients of *: d(ab)/da given as a instead of b."""

    def __mul__(self, other: Any) -> Any:
        return _WrongMulGrad(self.data * other.data, (self, other), (self.data, other.data))

    def __add__(self, other: Any) -> Any:
        return _WrongMulGrad(self.data + other.data, (self, other), (1.0, 1.0))

    def tanh(self) -> Any:
        t = math.tanh(self.data)
        return _WrongMulGrad(t, (self,), (1.0 - t * t,))


class _AssignsInsteadOfAccumulating(SolutionValue):
    """Backward with child.grad = ... : a value used twice keeps only one share."""

    def __add__(self, other: Any) -> Any:
        return _AssignsInsteadOfAccumulating(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other: Any) -> Any:
        return _AssignsInsteadOfAccumulating(
            self.data * other.data, (self, other), (other.data, self.data)
        )

    def tanh(self) -> Any:
        t = math.tanh(self.data)
        return _AssignsInsteadOfAccumulating(t, (self,), (1.0 - t * t,))

    def backward(self) -> None:
        self.grad = 1.0
        stack: list[Any] = [self]
        while stack:
            node = stack.pop()
            for child, local in zip(node._children, node._local_grads, strict=True):
                child.grad = local * node.grad
                stack.append(child)


class _RecursiveBackward(SolutionValue):
    """The recursive backward: passes a node's gradient on before all its users added theirs."""

    def __add__(self, other: Any) -> Any:
        return _RecursiveBackward(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other: Any) -> Any:
        return _RecursiveBackward(self.data * other.data, (self, other), (other.data, self.data))

    def tanh(self) -> Any:
        t = math.tanh(self.data)
        return _RecursiveBackward(t, (self,), (1.0 - t * t,))

    def backward(self) -> None:
        self.grad = 1.0
        self._pass_on(self.grad)

    def _pass_on(self, upstream: float) -> None:
        for child, local in zip(self._children, self._local_grads, strict=True):
            child.grad += local * upstream
            child._pass_on(child.grad)


def test_value_check_accepts_the_solution() -> None:
    assert check_value_class(SolutionValue)


@pytest.mark.parametrize(
    ("wrong_class", "words"),
    [
        (_WrongMulGrad, "a * b"),
        (_AssignsInsteadOfAccumulating, "a + a"),
        (_RecursiveBackward, "b + b"),
    ],
)
def test_value_check_names_the_first_expression_that_differs(wrong_class: type, words: str) -> None:
    verdict = check_value_class(wrong_class)
    assert not verdict
    assert words in verdict.message
    assert "minigrad.scalar gives" in verdict.message


def test_value_check_reports_an_exception_in_plain_words() -> None:
    class NoTanh:
        def __init__(self, data: float) -> None:
            self.data, self.grad = data, 0.0

    verdict = check_value_class(NoTanh)
    assert not verdict
    assert "raised TypeError" in verdict.message


def test_sin_check_rejects_sin_and_accepts_cos() -> None:
    assert not check_sin_local_grad(math.sin)
    assert not check_sin_local_grad(lambda x: -math.cos(x))
    assert check_sin_local_grad(solutions.sin_local_grad)


def test_repaired_rule_check_rejects_the_broken_rule_and_accepts_the_repair() -> None:
    broken = check_repaired_rule(lambda g, x: g / (1 + np.abs(x)))
    assert not broken
    assert "1 / (1 + |x|)^2" in broken.message
    assert check_repaired_rule(solutions.softsign_backward)


def test_bias_check_rejects_the_first_row_and_accepts_the_sum() -> None:
    assert not check_bias_gradient(lambda g: g[0])
    assert not check_bias_gradient(lambda g: g.sum(axis=1))  # wrong axis: wrong shape
    assert not check_bias_gradient(lambda g: g.mean(axis=0))
    assert check_bias_gradient(solutions.bias_gradient)


def test_cross_entropy_check_rejects_softmax_alone_and_accepts_softmax_minus_one_hot() -> None:
    def softmax(logits: Any, target: int) -> Any:
        e = np.exp(logits - logits.max())
        return e / e.sum()

    assert not check_cross_entropy_gradient(softmax)
    assert check_cross_entropy_gradient(solutions.cross_entropy_gradient)


@pytest.mark.parametrize("name", sorted(exercises.PREDICTIONS))
def test_prediction_check_rejects_a_wrong_number_and_accepts_the_worked_answer(name: str) -> None:
    right = solutions.PREDICTED[name]
    assert not check_prediction(name, right + 1.0)
    assert not check_prediction(name, "twelve")  # type: ignore[arg-type]
    assert check_prediction(name, right)


def test_every_prediction_has_a_worked_answer() -> None:
    assert sorted(solutions.PREDICTED) == sorted(exercises.PREDICTIONS)


def test_unknown_prediction_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="reuse_twice"):
        check_prediction("nope", 1.0)


def test_a_check_that_raises_inside_the_answer_reports_it() -> None:
    def boom(x: float) -> float:
        raise ValueError("not written yet")

    verdict = check_sin_local_grad(boom)
    assert not verdict
    assert "not written yet" in verdict.message


@pytest.mark.parametrize("module", [exercises, solutions])
def test_docstring_examples_run(module: Any) -> None:
    assert doctest.testmod(module, optionflags=doctest.ELLIPSIS).failed == 0
