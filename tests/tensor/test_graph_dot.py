"""to_dot's DOT text for tensor graphs: op names, shapes, dtypes, leaves, determinism."""

from __future__ import annotations

import doctest
import re

import numpy as np
import pytest

import minigrad.tensor
from minigrad.tensor import Tensor, graph, no_grad, to_dot
from minigrad.tensor.graph import draw


def _linear_loss() -> tuple[Tensor, Tensor, Tensor]:
    x = Tensor(np.ones((4, 3), dtype=np.float32))
    w = Tensor(np.ones((3, 2), dtype=np.float32), requires_grad=True)
    loss = (x @ w).relu().sum()
    return loss, x, w


def _boxes(dot: str) -> dict[str, str]:
    """Box id -> record label, for every tensor box of the DOT text."""
    return dict(re.findall(r'^  (t\d+) \[label="\{ (.*?) \}"', dot, flags=re.MULTILINE))


def test_to_dot_is_a_digraph_with_record_nodes() -> None:
    dot = to_dot(_linear_loss()[0])
    assert dot.startswith("digraph minigrad {\n  rankdir=LR;\n  node [shape=record];")
    assert dot.endswith("}")


def test_the_graph_module_examples_run() -> None:
    result = doctest.testmod(graph, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0


def test_the_package_exports_to_dot_from_the_graph_module() -> None:
    assert minigrad.tensor.to_dot is graph.to_dot


def test_to_dot_names_each_operation_after_its_node() -> None:
    dot = to_dot(_linear_loss()[0])
    ops = re.findall(r'_op \[label="(.*?)", shape=ellipse\]', dot)
    assert ops == ["matmul", "relu", "sum"]


def test_to_dot_shows_shape_and_dtype_of_every_tensor() -> None:
    boxes = _boxes(to_dot(_linear_loss()[0]))
    assert list(boxes.values()) == [
        "(4, 3) float32 | constant",
        "(3, 2) float32 | requires_grad",
        "(4, 2) float32",
        "(4, 2) float32",
        "() float32",
    ]


def test_to_dot_shows_float64_tensors_as_float64() -> None:
    x = Tensor(np.ones(2), requires_grad=True)
    assert "(2,) float64 | requires_grad" in to_dot(x.exp())


def test_to_dot_draws_a_leaf_without_gradient_dashed() -> None:
    dot = to_dot(_linear_loss()[0])
    assert 't0 [label="{ (4, 3) float32 | constant }", style=dashed];' in dot
    assert 't1 [label="{ (3, 2) float32 | requires_grad }"];' in dot


def test_to_dot_draws_edges_input_to_operation_to_result() -> None:
    dot = to_dot(_linear_loss()[0])
    for edge in ("t0 -> t2_op;", "t1 -> t2_op;", "t2_op -> t2;", "t2 -> t3_op;", "t4_op -> t4;"):
        assert edge in dot


def test_to_dot_labels_tensors_given_in_names() -> None:
    loss, x, w = _linear_loss()
    boxes = _boxes(to_dot(loss, names={"x": x, "w": w, "loss": loss}))
    assert boxes["t0"] == "x | (4, 3) float32 | constant"
    assert boxes["t1"] == "w | (3, 2) float32 | requires_grad"
    assert boxes["t4"] == "loss | () float32"


def test_to_dot_escapes_special_characters_in_names() -> None:
    x = Tensor([1.0], requires_grad=True)
    assert r"x\{1\}\|\"\<y\>\"" in to_dot(x, names={'x{1}|"<y>"': x})


def test_to_dot_does_not_draw_python_number_constants() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    dot = to_dot(x * 2.0)
    assert len(_boxes(dot)) == 2
    assert dot.count("-> t1_op;") == 1


def test_to_dot_draws_a_reused_tensor_once_with_both_edges() -> None:
    x = Tensor([1.0, 2.0], requires_grad=True)
    dot = to_dot(x * x)
    assert len(_boxes(dot)) == 2
    assert dot.count("t0 -> t1_op;") == 2


def test_to_dot_numbers_inputs_before_the_tensors_computed_from_them() -> None:
    a = Tensor([1.0], requires_grad=True)
    b = Tensor([2.0], requires_grad=True)
    dot = to_dot((a * b + a.exp()).sum())
    for source, target in re.findall(r"t(\d+) -> t(\d+)_op;", dot):
        assert int(source) < int(target)


def test_to_dot_is_deterministic_for_the_same_graph_built_twice() -> None:
    assert to_dot(_linear_loss()[0]) == to_dot(_linear_loss()[0])


def test_to_dot_of_a_leaf_is_one_box_without_operations() -> None:
    dot = to_dot(Tensor([[1.0, 2.0]], requires_grad=True))
    assert "_op" not in dot
    assert _boxes(dot) == {"t0": "(1, 2) float32 | requires_grad"}


def test_to_dot_of_a_result_computed_under_no_grad_is_one_leaf() -> None:
    x = Tensor([1.0], requires_grad=True)
    with no_grad():
        y = x.exp()
    assert _boxes(to_dot(y)) == {"t0": "(1,) float32 | constant"}


def test_to_dot_marks_operations_released_by_backward() -> None:
    loss = _linear_loss()[0]
    loss.backward()
    dot = to_dot(loss)
    # The freed inputs are no longer reachable: the loss and its op are all that is left.
    assert 't0_op [label="sum (released)", shape=ellipse];' in dot
    assert _boxes(dot) == {"t0": "() float32"}
    assert dot.count("->") == 1


def test_to_dot_keeps_a_retained_graph_whole() -> None:
    loss = _linear_loss()[0]
    loss.backward(retain_graph=True)
    dot = to_dot(loss)
    assert "released" not in dot
    assert len(_boxes(dot)) == 5


def test_to_dot_handles_a_deep_graph_without_recursion() -> None:
    x = Tensor([0.0], requires_grad=True)
    for _ in range(3000):
        x = x + 1.0
    assert to_dot(x).count("->") == 2 * 3000


def test_to_dot_refuses_what_is_not_a_tensor() -> None:
    with pytest.raises(TypeError, match="to_dot expects a Tensor, got ndarray"):
        to_dot(np.ones(2))  # type: ignore[arg-type]


def test_draw_holds_the_same_dot_text_as_to_dot() -> None:
    loss, _, w = _linear_loss()
    picture = draw(loss, names={"w": w})
    assert picture.source == to_dot(loss, names={"w": w})
    assert repr(picture) == picture.source
