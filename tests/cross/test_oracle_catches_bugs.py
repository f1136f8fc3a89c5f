"""The oracles catch broken backward rules, and their reports name the wrong element.

Each test breaks one real rule of the tensor engine for its duration
(monkeypatch restores it) and checks that the scalar engine and central
differences both refuse the result.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import Tensor
from minigrad.tensor.autograd import backprop
from minigrad.tensor.autograd.node import Node
from minigrad.tensor.autograd.op import BackwardRule, Op
from minigrad.tensor.ops.elementwise import MUL
from minigrad.tensor.ops.registry import ELEMENTWISE
from minigrad.tensor.testing import (
    GradcheckError,
    ScalarMismatchError,
    check_against_scalar,
    gradcheck,
    gradgradcheck,
)

X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])
Y = np.array([[2.0, 0.5, -1.5], [0.3, 1.25, 0.8]])


def _inputs() -> tuple[Tensor, Tensor]:
    return Tensor(X.copy(), requires_grad=True), Tensor(Y.copy(), requires_grad=True)


@pytest.fixture
def break_rule() -> Iterator[Any]:
    """Replace an op's backward rule for one test (ops are frozen against accidents)."""
    replaced: list[tuple[Op, BackwardRule | None]] = []

    def replace(op: Op, rule: BackwardRule) -> None:
        replaced.append((op, op.backward))
        object.__setattr__(op, "backward", rule)

    yield replace
    for op, rule in reversed(replaced):
        object.__setattr__(op, "backward", rule)


def _swapped_mul_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    return g * a, g * b  # each input gets its own value instead of the other's


def _one_element_off_mul_backward(node: Node, g: Any, out: Any, a: Any, b: Any) -> tuple[Any, Any]:
    grad_a = np.array(g * b, copy=True)
    grad_a.reshape(-1)[4] *= 2.0  # flat element 4 of a (2, 3) input is (1, 1)
    return grad_a, g * a


def test_swapped_mul_gradients_are_caught_by_the_scalar_engine(
    break_rule: Any,
) -> None:
    break_rule(MUL, _swapped_mul_backward)
    with pytest.raises(ScalarMismatchError, match=r"gradient of input 0 \(shape \(2, 3\)\)"):
        check_against_scalar(lambda a, b: a * b, *_inputs())


def test_swapped_mul_gradients_are_caught_by_central_differences(
    break_rule: Any,
) -> None:
    break_rule(MUL, _swapped_mul_backward)
    with pytest.raises(GradcheckError, match=r"with respect to input 0 \(shape \(2, 3\)\)"):
        gradcheck(lambda a, b: a * b, _inputs())


def test_the_scalar_report_names_the_one_wrong_element(break_rule: Any) -> None:
    break_rule(MUL, _one_element_off_mul_backward)
    x, y = _inputs()
    grad_output = np.ones((2, 3))
    with pytest.raises(ScalarMismatchError) as caught:
        check_against_scalar(lambda a, b: a * b, x, y, grad_output=grad_output, name="mul")
    message = str(caught.value)
    assert message.startswith(
        "mul: gradient of input 0 (shape (2, 3)) differs from the scalar engine at element (1, 1): "
        f"tensor {2 * float(Y[1, 1])!r}, scalar {float(Y[1, 1])!r}"
    )
    assert "1 of 6 elements differ" in message


def test_the_gradcheck_report_names_the_one_wrong_element(break_rule: Any) -> None:
    break_rule(MUL, _one_element_off_mul_backward)
    with pytest.raises(GradcheckError) as caught:
        gradcheck(lambda a, b: a * b, _inputs())
    message = str(caught.value)
    assert "input 0 element (1, 1), output element (1, 1)" in message
    assert f"analytic {2 * float(Y[1, 1])!r}" in message
    numeric = re.search(r"numeric (\S+)\n", message)
    assert numeric is not None
    assert float(numeric.group(1)) == pytest.approx(Y[1, 1], rel=1e-8)


def test_a_broadcast_gradient_averaged_instead_of_summed_is_caught(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    original = backprop.reduce_to_shape  # the one place the engine reduces broadcast gradients

    def averaging(grad: Any, shape: tuple[int, ...]) -> Any:
        reduced = original(grad, shape)
        return reduced / (np.prod(grad.shape) // max(np.prod(shape), 1))

    monkeypatch.setattr(backprop, "reduce_to_shape", averaging)
    x = Tensor(X.copy(), requires_grad=True)
    row = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    with pytest.raises(ScalarMismatchError, match=r"gradient of input 1 \(shape \(3,\)\)"):
        check_against_scalar(lambda a, b: (a + b).exp(), x, row)
    with pytest.raises(GradcheckError, match=r"input 1 \(shape \(3,\)\)"):
        gradcheck(lambda a, b: (a + b).exp(), (x, row))


def test_a_rule_that_detaches_in_create_graph_mode_is_caught_by_gradgradcheck(
    break_rule: Any,
) -> None:
    def detaching_exp_backward(node: Node, g: Any, out: Any, a: Any) -> tuple[Any]:
        # Right first derivative, but the recorded graph loses d(out)/da.
        return (g * (out.data if isinstance(out, Tensor) else out),)

    break_rule(ELEMENTWISE["exp"], detaching_exp_backward)
    x = Tensor(np.array([0.5, -1.0, 0.25]), requires_grad=True)
    assert gradcheck(lambda t: t.exp(), (x,))
    with pytest.raises(GradcheckError, match=r"gradgradcheck: Jacobian of gradient of input 0"):
        gradgradcheck(lambda t: t.exp(), (x,))
