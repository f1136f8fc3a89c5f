"""Graphs hold no reference cycles, and deep graphs need no recursion."""

from __future__ import annotations

import gc
import sys
import weakref
from collections.abc import Callable, Iterator

import numpy as np
import pytest

from minigrad.tensor import Tensor, grad


@pytest.fixture
def gc_disabled() -> Iterator[None]:
    """Only reference counting may free objects inside the test."""
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _build(x: Tensor, w: Tensor) -> tuple[Tensor, list[weakref.ref[object]]]:
    """A small network-like graph; weak references to every tensor and saved array in it."""
    h = (x @ w).tanh()
    s = h.softmax(axis=1)
    out = (s * h).sum() + h.max() + h[0].sum() + (h - h.mean(axis=0)).var()
    watched: list[weakref.ref[object]] = [weakref.ref(t) for t in (x, w, h, s, out)]
    watched += [weakref.ref(t.data) for t in (x, w, h, s, out)]
    return out, watched


def _assert_all_freed(watched: list[weakref.ref[object]]) -> None:
    alive = [ref() for ref in watched if ref() is not None]
    assert not alive, f"{len(alive)} objects survived: {[type(a).__name__ for a in alive]}"


def _inputs() -> tuple[Tensor, Tensor]:
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((4, 3)), requires_grad=True)
    w = Tensor(rng.standard_normal((3, 5)), requires_grad=True)
    return x, w


Run = Callable[[Tensor, Tensor, Tensor], object]

RUNS: dict[str, Run] = {
    "forward_only": lambda out, x, w: None,
    "backward": lambda out, x, w: out.backward(),
    "retain_graph": lambda out, x, w: out.backward(retain_graph=True),
    "create_graph_backward": lambda out, x, w: out.backward(create_graph=True),
    "grad": lambda out, x, w: grad(out, [x, w]),
    "grad_create_graph": lambda out, x, w: grad(out, [x, w], create_graph=True),
    "second_order": lambda out, x, w: grad(grad(out, x, create_graph=True)[0].sum(), w),
}


@pytest.mark.parametrize("name", sorted(RUNS))
@pytest.mark.usefixtures("gc_disabled")
def test_graph_is_freed_by_reference_counting_alone(name: str) -> None:
    x, w = _inputs()
    out, watched = _build(x, w)
    result = RUNS[name](out, x, w)
    if isinstance(result, tuple):
        watched += [weakref.ref(g) for g in result]
    del out, x, w, result
    _assert_all_freed(watched)


@pytest.mark.usefixtures("gc_disabled")
def test_leaf_gradients_do_not_keep_the_graph_alive() -> None:
    x, w = _inputs()
    out, watched = _build(x, w)
    out.backward(retain_graph=True)
    intermediate = watched[2:5]  # h, s, out
    del out
    _assert_all_freed(intermediate)
    assert x.grad is not None
    assert w.grad is not None


def test_100000_op_chain_runs_backward_at_the_default_recursion_limit() -> None:
    assert sys.getrecursionlimit() <= 10_000
    x = Tensor([1.0], dtype="float64", requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0
    y.sum().backward()
    assert x.grad is not None
    assert x.grad.tolist() == [1.0]
    del y  # freeing the (released) chain must not recurse either


@pytest.mark.usefixtures("gc_disabled")
def test_100000_op_chain_is_freed_without_recursion_when_never_differentiated() -> None:
    x = Tensor([1.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 1.0
    first = weakref.ref(y)
    del y
    assert first() is None
