"""Workloads 1-2: the scalar engine against micrograd 0.1.0.

1. One full-batch training step of ``MLP(2, [16, 16, 1])`` on 100 two-moons
   points with micrograd's demo loss (max-margin plus L2): forward, backward,
   SGD update. micrograd is timed as users run it, and again with the garbage
   collector switched off during its step (its closures make reference cycles,
   so the collector does real work there). Memory per graph node is measured
   with tracemalloc on the same loss graph.
2. A chain of 1,000,000 operations: build it, then time ``backward()``.
9. A microgpt-sized GPT training step (``gpt_step.py``): the same model code
   run with microgpt's ``Value`` (``microgpt_reference.py``) and with
   MiniGrad's, and once more with ``minigrad.scalar.linear`` for every
   weighted sum. The collector runs, untimed, before every sample: microgpt's
   recursive sort leaves its graph in a reference cycle, and collecting it
   must not land on the next contender's clock.
"""

from __future__ import annotations

import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import microgpt_reference
from gpt_step import GPTStep
from harness import Row, compare, rows_for

from minigrad.scalar import Value, nn
from minigrad.scalar.data import make_moons
from minigrad.scalar.fused import linear

POINTS, SEED = 100, 0


def _moons() -> tuple[list[list[float]], list[float]]:
    points, labels = make_moons(POINTS, noise=0.1, seed=SEED)
    return points, [2.0 * label - 1.0 for label in labels]


def _minigrad_step() -> tuple[Callable[[], Any], Callable[[], Any]]:
    points, targets = _moons()
    model = nn.MLP(2, [16, 16, 1], rng=random.Random(SEED))
    params = model.parameters()

    def loss() -> Value:
        scores = [model(x)[0] for x in points]
        margins = [(1 - t * s).relu() for t, s in zip(targets, scores, strict=True)]
        data_loss = sum(margins, Value(0.0)) * (1.0 / len(margins))
        return data_loss + 1e-4 * sum((p * p for p in params), Value(0.0))

    def step() -> None:
        total = loss()
        model.zero_grad()
        total.backward()
        for p in params:
            p.data -= 0.5 * p.grad

    return step, loss


def _micrograd_step(micrograd: Any) -> tuple[Callable[[], Any], Callable[[], Any]]:
    points, targets = _moons()
    random.seed(SEED)
    model = micrograd.nn.MLP(2, [16, 16, 1])
    value = micrograd.engine.Value

    def loss() -> Any:
        # micrograd's demo.ipynb loss, as written there.
        inputs = [list(map(value, row)) for row in points]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(targets, scores, strict=True)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        return data_loss + reg_loss

    def step() -> None:
        total = loss()
        model.zero_grad()
        total.backward()
        for p in model.parameters():
            p.data -= 0.5 * p.grad

    return step, loss


def _without_gc(fn: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        gc.disable()
        try:
            return fn()
        finally:
            gc.enable()

    return run


def _count_nodes(root: Any, children: Callable[[Any], Any]) -> int:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.extend(children(node))
    return len(seen)


def _bytes_per_node(loss: Callable[[], Any], children: Callable[[Any], Any]) -> float:
    gc.collect()
    gc.disable()
    try:
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        root = loss()
        after = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        return (after - before) / _count_nodes(root, children)
    finally:
        gc.enable()


def training_step(micrograd: Any | None, rounds: int) -> list[Row]:
    mg_step, mg_loss = _minigrad_step()
    contenders: dict[str, Callable[[], Any]] = {"MiniGrad": mg_step}
    targets = {}
    if micrograd is not None:
        micro_step, micro_loss = _micrograd_step(micrograd)
        contenders["micrograd 0.1.0"] = micro_step
        contenders["micrograd 0.1.0, gc off"] = _without_gc(micro_step)
        targets = {
            "micrograd 0.1.0": (">= 10x slower than MiniGrad", lambda r: r >= 10.0),
            "micrograd 0.1.0, gc off": (">= 1.5x slower than MiniGrad", lambda r: r >= 1.5),
        }
    rows = rows_for(
        "1. scalar training step, MLP(2, [16, 16, 1]), 100 moons",
        compare(contenders, rounds=max(5, rounds // 2), warmup=1),
        "MiniGrad",
        targets,
    )
    mg_bytes = _bytes_per_node(mg_loss, lambda v: v._children)
    memory = [Row("1m. memory per graph node", "MiniGrad", mg_bytes, mg_bytes, mg_bytes, "B")]
    if micrograd is not None:
        micro_bytes = _bytes_per_node(micro_loss, lambda v: v._prev)
        ratio = micro_bytes / mg_bytes
        memory.append(
            Row(
                "1m. memory per graph node",
                "micrograd 0.1.0",
                micro_bytes,
                micro_bytes,
                micro_bytes,
                "B",
                ratio,
                ">= 2x MiniGrad's",
                ratio >= 2.0,
            )
        )
    return rows + memory


def chain_backward(rounds: int, length: int = 1_000_000) -> list[Row]:
    samples = []
    for _ in range(max(3, rounds // 5)):
        x = Value(0.5)
        y = x
        for _ in range(length):
            y = y * 1.0000001
        start = time.perf_counter()
        y.backward()
        samples.append(time.perf_counter() - start)
        del x, y
    samples.sort()
    median = samples[len(samples) // 2]
    note = (
        f"{length:,} ops at recursion limit {sys.getrecursionlimit()}; "
        f"{median / length * 1e9:.0f} ns per node"
    )
    return [Row("2. scalar chain backward", "MiniGrad", median, samples[0], samples[-1], note=note)]


def _fused_dot(weights: list[Value], inputs: list[Value]) -> Value:
    return linear(inputs, weights)


def gpt_training_step(rounds: int) -> list[Row]:
    contenders: dict[str, Callable[[], Any]] = {
        "MiniGrad": GPTStep(Value),
        "microgpt Value, same code": GPTStep(microgpt_reference.Value),
        "MiniGrad with linear": GPTStep(Value, dot=_fused_dot),
    }
    timings = compare(contenders, rounds=max(5, rounds // 2), warmup=1, between=gc.collect)
    rows = rows_for(
        "9. GPT step, 1 layer, n_embd 16, 4 heads, block 8, Adam",
        timings,
        "MiniGrad",
        {"microgpt Value, same code": (">= 1.5x slower than MiniGrad", lambda r: r >= 1.5)},
    )
    # The fused variant's target is against microgpt, not against MiniGrad on the same code.
    fused = next(row for row in rows if row.contender == "MiniGrad with linear")
    speedup = timings["microgpt Value, same code"].median / fused.median
    fused.target = "microgpt Value >= 4x slower"
    fused.met = speedup >= 4.0
    fused.note = f"microgpt's Value takes {speedup:.2f}x the time of MiniGrad with linear"
    return rows
