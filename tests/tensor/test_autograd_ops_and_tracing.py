"""Every operation is an Op run by ``apply``: a tracer sees all of them, and each forward replays.

These are the guarantees a capture-and-replay layer builds on: the tracer is
told of every op (recorded or not, differentiable or not), and calling
``op.forward`` again on the recorded inputs' arrays and arguments reproduces
the result bit for bit.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import Tensor, grad, no_grad, where
from minigrad.tensor.autograd import Op, UnregisteredNumpyFunctionError, apply, tracing
from minigrad.tensor.autograd.modes import state
from minigrad.tensor.nn import functional as F

Call = tuple[Op, tuple[Tensor, ...], tuple[Any, ...], Tensor]


def _traced(function: Any, *args: Any) -> tuple[Any, list[Call]]:
    calls: list[Call] = []
    with tracing(lambda op, inputs, op_args, out: calls.append((op, inputs, op_args, out))):
        result = function(*args)
    return result, calls


def _small_network(x: Tensor, w: Tensor, kernel: Tensor, table: Tensor) -> Tensor:
    rows = F.embedding(np.array([[0, 2], [1, 1]]), table)  # (2, 2, 3)
    image = F.conv2d(x, kernel, padding=1).relu()
    pooled = F.max_pool2d(image, 2).flatten(1)
    hidden = F.layer_norm(F.linear(pooled, w), 3).tanh()
    mixed = hidden + rows.sum(axis=1) * 0.5
    picked = where(mixed > 0, mixed, mixed * 0.1)[:, ::-1]
    return F.cross_entropy(picked.softmax(axis=1).log() + picked, np.array([0, 2]))


def _network_inputs() -> tuple[Tensor, ...]:
    rng = np.random.default_rng(0)
    return (
        Tensor(rng.standard_normal((2, 1, 4, 4)), requires_grad=True),
        Tensor(rng.standard_normal((3, 8)), requires_grad=True),
        Tensor(rng.standard_normal((2, 1, 3, 3)), requires_grad=True),
        Tensor(rng.standard_normal((3, 3)), requires_grad=True),
    )


def test_the_tracer_sees_every_op_of_a_network_and_each_forward_replays_exactly() -> None:
    loss, calls = _traced(_small_network, *_network_inputs())
    names = {op.name for op, *_ in calls}
    assert {"embedding", "conv2d", "max_pool2d", "linear", "cross_entropy", "greater"} <= names
    assert calls[-1][3] is loss
    for op, inputs, args, out in calls:
        again = op.forward(*[x.data.copy() for x in inputs], *args)
        np.testing.assert_array_equal(np.asarray(again), out.data, err_msg=op.name)


def test_the_tracer_sees_ops_without_gradient_and_under_no_grad() -> None:
    x = Tensor([3.0, -1.0, 2.0], requires_grad=True)

    def run() -> None:
        x.argmax()
        (x > 0).astype(np.int64)
        with no_grad():
            x * 2

    _, calls = _traced(run)
    assert [op.name for op, *_ in calls] == ["argmax", "greater", "astype", "mul"]
    assert all(out.grad_fn is None for *_, out in calls)


def test_tracing_ends_with_its_block_and_nested_blocks_restore_the_outer_tracer() -> None:
    outer: list[str] = []
    inner: list[str] = []
    x = Tensor([1.0])
    with tracing(lambda op, *rest: outer.append(op.name)):
        x.exp()
        with tracing(lambda op, *rest: inner.append(op.name)):
            x.log()
        x.sqrt()
    x.tanh()
    assert (outer, inner) == (["exp", "sqrt"], ["log"])


def test_a_recorded_node_keeps_its_op_and_the_forward_arguments() -> None:
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    y = x.sum(axis=-1, keepdims=True)
    assert y.grad_fn is not None
    assert y.grad_fn.op.name == y.grad_fn.name == "sum"
    assert y.grad_fn.args == ((1,), True)


def test_a_dropout_replay_draws_a_fresh_mask_from_the_generator_in_its_arguments() -> None:
    x = Tensor(np.ones((64,)), requires_grad=True)
    _, calls = _traced(F.dropout, x, 0.5, True, np.random.default_rng(0))
    (mask_op, inputs, args, mask) = calls[0]
    assert mask_op.name == "dropout_mask"
    assert not np.array_equal(mask_op.forward(inputs[0].data, *args), mask.data)


def test_a_numpy_function_without_an_op_is_named_with_the_op_whose_rule_called_it() -> None:
    arctan_rule = Op(
        "my_op", lambda x: x * 2, lambda node, g, out, x: (g * np.arctan(x) * 0 + g * 2,)
    )
    x = Tensor(np.array([0.5, 1.0]), requires_grad=True)
    y = apply(arctan_rule, (x,)).sum()
    (first,) = grad(y, x)  # a plain pass works on arrays
    np.testing.assert_array_equal(first.data, [2.0, 2.0])
    y = apply(arctan_rule, (x,)).sum()
    with pytest.raises(UnregisteredNumpyFunctionError, match=r"'my_op'.*np\.arctan.*CONTRIBUTING"):
        grad(y, x, create_graph=True)


def test_a_tracer_set_directly_on_the_state_is_called_and_can_be_removed() -> None:
    seen: list[str] = []
    state.tracer = lambda op, *rest: seen.append(op.name)
    try:
        Tensor([1.0]).exp()
    finally:
        state.tracer = None
    Tensor([1.0]).log()
    assert seen == ["exp"]


def test_a_tracer_belongs_to_the_thread_that_set_it() -> None:
    seen: list[str] = []

    def other_thread() -> None:
        Tensor([1.0]).sqrt()

    with tracing(lambda op, *rest: seen.append(op.name)):
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        Tensor([1.0]).exp()
    assert seen == ["exp"]
