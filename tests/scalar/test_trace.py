"""The narrated backward pass does exactly what Value.backward does, and says so."""

from __future__ import annotations

import doctest
import random
from pathlib import Path

import pytest

from minigrad.scalar import trace
from minigrad.scalar.engine import Value
from minigrad.scalar.trace import trace_backward


def _random_graph(seed: int) -> tuple[list[Value], Value]:
    rng = random.Random(seed)
    leaves = [Value(rng.uniform(-1, 1)) for _ in range(3)]
    nodes = list(leaves)
    for _ in range(8):
        a, b = rng.choice(nodes), rng.choice(nodes)
        nodes.append(rng.choice([a + b, a * b, a.tanh(), (a - b).exp()]))
    return leaves, nodes[-1]


@pytest.mark.parametrize("seed", range(5))
def test_traced_gradients_equal_backward(seed: int) -> None:
    leaves, root = _random_graph(seed)
    root.backward()
    expected = [leaf.grad for leaf in leaves]
    trace_backward(root, show=None)
    assert [leaf.grad for leaf in leaves] == pytest.approx(expected, rel=1e-12)


def test_trace_reports_each_step_of_the_reused_value_example() -> None:
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b * b
    c.label = "c"
    lines: list[str] = []
    steps = trace_backward(c, show=lines.append)
    assert [(s.node, s.child, s.after) for s in steps] == [
        ("c", "b", 6.0),
        ("c", "b", 12.0),
        ("b", "a", 12.0),
        ("b", "a", 24.0),
    ]
    assert "  a.grad += 1 * 12  ->  12 + 12 = 24" in lines


def test_after_node_is_called_once_per_interior_node_in_backward_order() -> None:
    a = Value(1.0, label="a")
    b = (a * 2).tanh()
    b.label = "b"
    seen: list[str] = []
    trace_backward(b, show=None, after_node=lambda node: seen.append(node._op))
    assert seen == ["tanh", "*"]


def test_script_prints_the_trace_and_writes_one_graph_per_step(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert trace.main(["--dot", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "dc/da = 24" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["step_0.dot", "step_1.dot", "step_2.dot"]
    assert "grad 24.0000" in (tmp_path / "step_2.dot").read_text(encoding="utf-8")


def test_docstring_examples_run() -> None:
    assert doctest.testmod(trace).failed == 0
