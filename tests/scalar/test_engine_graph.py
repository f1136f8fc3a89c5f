"""How the graph is recorded and walked: depth, memory, no_grad, the fused linear op."""

from __future__ import annotations

import gc
import random
import sys
import threading

import pytest

from minigrad.scalar import Value, is_grad_enabled, no_grad
from minigrad.scalar.engine import topological_order
from minigrad.scalar.fused import linear
from minigrad.scalar.nn import MLP

# -- depth ---------------------------------------------------------------------


def test_backward_through_a_million_op_chain_needs_no_recursion() -> None:
    limit = sys.getrecursionlimit()
    gc.disable()  # only for speed: a million long-lived nodes keep the collector busy
    try:
        x = leaf = Value(1.0)
        for _ in range(1_000_000):
            x = x + 1.0
        x.backward()
        assert leaf.grad == 1.0
        assert x.data == 1_000_001.0
        del x
    finally:
        gc.enable()
    assert sys.getrecursionlimit() == limit


def test_topological_order_lists_children_before_parents() -> None:
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    e = d * c
    order = topological_order(e)
    position = {node: i for i, node in enumerate(order)}
    assert len(order) == 5
    assert order[-1] is e
    for parent, child in [(c, a), (c, b), (d, c), (d, a), (e, d), (e, c)]:
        assert position[child] < position[parent]


# -- memory ----------------------------------------------------------------------


def _live_values() -> int:
    """How many Values exist (every Value is tracked by the collector, which is off)."""
    return sum(1 for obj in gc.get_objects() if type(obj) is Value)


def test_graph_is_freed_by_reference_counting_alone() -> None:
    gc.collect()
    gc.disable()
    try:
        before = _live_values()
        a, b = Value(2.0), Value(-1.0)
        c = a * b + a
        d = (c.tanh() * c).exp() / (b**2 + 1) + 2**a
        d.backward()
        assert _live_values() - before == len(topological_order(d)) > 8
        del a, b, c, d
        assert _live_values() == before
    finally:
        gc.enable()


def test_training_step_graph_is_freed_by_reference_counting_alone() -> None:
    model = MLP(2, [4, 4, 1], rng=random.Random(0))
    gc.collect()
    gc.disable()
    try:
        before = _live_values()
        loss = sum(((model([x, -x])[0] - 1.0) ** 2 for x in (0.1, 0.5, 0.9)), Value(0.0))
        loss.backward()
        assert _live_values() > before
        del loss
        assert _live_values() == before
    finally:
        gc.enable()


# -- no_grad ----------------------------------------------------------------------


def test_grad_is_enabled_by_default() -> None:
    assert is_grad_enabled()


def test_no_grad_records_no_children() -> None:
    x = Value(3.0)
    with no_grad():
        y = (x * x).exp() + x
        assert not is_grad_enabled()
    assert topological_order(y) == [y]
    assert y.data == pytest.approx(2.718281828459045**9 + 3)


def test_no_grad_results_pass_no_gradient_back() -> None:
    x = Value(3.0)
    with no_grad():
        y = x * x
    (y * x).backward()
    assert x.grad == 9.0  # only the path recorded outside no_grad


def test_no_grad_restores_grad_mode_on_exit() -> None:
    with no_grad():
        pass
    assert is_grad_enabled()


def test_no_grad_restores_grad_mode_after_an_exception() -> None:
    with pytest.raises(RuntimeError), no_grad():
        raise RuntimeError("boom")
    assert is_grad_enabled()


def test_no_grad_nests() -> None:
    with no_grad():
        with no_grad():
            pass
        assert not is_grad_enabled()
    assert is_grad_enabled()


def test_no_grad_works_as_a_decorator() -> None:
    @no_grad()
    def square(v: Value) -> Value:
        return v * v

    x = Value(2.0)
    y = square(x)
    assert topological_order(y) == [y]
    assert is_grad_enabled()


def test_no_grad_in_one_thread_leaves_other_threads_recording() -> None:
    seen_in_thread: list[bool] = []

    def record() -> None:
        seen_in_thread.append(is_grad_enabled())
        x = Value(1.0)
        seen_in_thread.append(len(topological_order(x * 2.0)) == 2)

    with no_grad():
        thread = threading.Thread(target=record)
        thread.start()
        thread.join()
    assert seen_in_thread == [True, True]


def test_no_grad_in_another_thread_does_not_affect_this_one() -> None:
    entered = threading.Event()
    release = threading.Event()

    def hold_no_grad() -> None:
        with no_grad():
            entered.set()
            release.wait(timeout=5)

    thread = threading.Thread(target=hold_no_grad)
    thread.start()
    try:
        assert entered.wait(timeout=5)
        assert is_grad_enabled()
    finally:
        release.set()
        thread.join()


# -- the fused linear op -------------------------------------------------------------


def test_linear_matches_the_chain_of_products_and_sums_exactly() -> None:
    rng = random.Random(1)
    weights_a = [Value(rng.uniform(-1, 1)) for _ in range(5)]
    weights_b = [Value(w.data) for w in weights_a]
    inputs_a = [Value(rng.uniform(-2, 2)) for _ in range(5)]
    inputs_b = [Value(x.data) for x in inputs_a]
    bias_a, bias_b = Value(0.3), Value(0.3)

    fused = linear(inputs_a, weights_a, bias_a).tanh()
    chained = sum((w * x for w, x in zip(weights_b, inputs_b, strict=True)), bias_b).tanh()
    fused.backward()
    chained.backward()

    assert fused.data == chained.data
    assert [w.grad for w in weights_a] == [w.grad for w in weights_b]
    assert [x.grad for x in inputs_a] == [x.grad for x in inputs_b]
    assert bias_a.grad == bias_b.grad


def test_linear_treats_plain_numbers_as_constants() -> None:
    w = [Value(2.0), Value(3.0)]
    b = Value(1.0)
    y = linear([0.5, -1.0], w, b)
    assert y.data == 1.0 + 1.0 - 3.0
    assert set(topological_order(y)) == {*w, b, y}


def test_linear_with_a_value_used_as_weight_and_input_counts_both_roles() -> None:
    a = Value(3.0)
    y = linear([a], [a], Value(0.0))  # y = a * a
    y.backward()
    assert a.grad == 6.0


def test_linear_rejects_mismatched_lengths() -> None:
    with pytest.raises(ValueError, match=r"linear expects as many inputs as weights \(2\), got 3"):
        linear([1.0, 2.0, 3.0], [Value(1.0), Value(1.0)], Value(0.0))


def test_linear_rejects_non_numeric_inputs_naming_the_type() -> None:
    with pytest.raises(TypeError, match="got str"):
        linear(["1"], [Value(1.0)], Value(0.0))  # type: ignore[list-item]
