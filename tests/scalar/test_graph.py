"""to_dot's DOT text, and render with and without the graphviz package."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from minigrad.scalar import Value, to_dot
from minigrad.scalar.graph import draw, render


def _small_graph() -> Value:
    a = Value(2.0, label="a")
    b = Value(-3.0, label="b")
    c = a * b
    c.label = "c"
    return c


def test_to_dot_is_a_digraph_with_record_nodes() -> None:
    dot = to_dot(_small_graph())
    assert dot.startswith("digraph minigrad {")
    assert "node [shape=record];" in dot
    assert dot.endswith("}")


def test_to_dot_shows_label_data_and_grad_of_each_value() -> None:
    c = _small_graph()
    c.backward()
    dot = to_dot(c)
    assert ' [label="{ a | data 2.0000 | grad -3.0000 }"];' in dot
    assert ' [label="{ b | data -3.0000 | grad 2.0000 }"];' in dot
    assert 'v2 [label="{ c | data -6.0000 | grad 1.0000 }"];' in dot  # the root comes last


def test_to_dot_draws_edges_child_to_op_to_result() -> None:
    dot = to_dot(_small_graph())
    assert 'v2_op [label="*", shape=ellipse];' in dot
    assert "v0 -> v2_op;" in dot
    assert "v1 -> v2_op;" in dot
    assert "v2_op -> v2;" in dot


def test_to_dot_has_no_op_node_for_leaves() -> None:
    dot = to_dot(Value(1.0))
    assert "_op" not in dot
    assert 'v0 [label="{ data 1.0000 | grad 0.0000 }"];' in dot


def test_to_dot_draws_a_reused_value_once_with_both_edges() -> None:
    a = Value(1.0, label="a")
    dot = to_dot(a * a)
    assert dot.count('label="{ a |') == 1
    assert dot.count("v0 -> v1_op;") == 2


def test_to_dot_is_deterministic_for_the_same_graph_built_twice() -> None:
    assert to_dot(_small_graph()) == to_dot(_small_graph())


def test_to_dot_escapes_special_characters_in_labels() -> None:
    dot = to_dot(Value(1.0, label='x{1}|"<y>"'))
    assert r"x\{1\}\|\"\<y\>\"" in dot


def test_to_dot_handles_a_deep_graph_without_recursion() -> None:
    x = Value(0.0)
    for _ in range(5000):
        x = x + 1.0
    assert to_dot(x).count("->") == 2 * 5000


def test_render_without_graphviz_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)  # makes `import graphviz` fail
    with pytest.raises(ImportError, match=r"pip install minigrad-scalar\[graph\].*Graphviz"):
        render(_small_graph(), "graph.svg")


class _FakeExecutableNotFoundError(RuntimeError):
    pass


def _fake_graphviz(rendered: list[tuple[str, str, str]], dot_installed: bool) -> types.ModuleType:
    """A stand-in for the graphviz package that records what it was asked to render."""

    class Source:
        def __init__(self, source: str) -> None:
            self.source = source

        def render(self, filename: str, format: str, cleanup: bool) -> str:
            if not dot_installed:
                raise _FakeExecutableNotFoundError("dot not found")
            assert cleanup
            rendered.append((self.source, filename, format))
            return f"{filename}.{format}"

        def pipe(self, format: str, encoding: str) -> str:
            if not dot_installed:
                raise _FakeExecutableNotFoundError("dot not found")
            rendered.append((self.source, "<pipe>", format))
            return "<svg/>"

    module = types.ModuleType("graphviz")
    module.Source = Source  # type: ignore[attr-defined]
    module.ExecutableNotFound = _FakeExecutableNotFoundError  # type: ignore[attr-defined]
    return module


def test_render_passes_the_dot_text_and_returns_the_written_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rendered: list[tuple[str, str, str]] = []
    monkeypatch.setitem(sys.modules, "graphviz", _fake_graphviz(rendered, dot_installed=True))
    graph = _small_graph()
    written = render(graph, tmp_path / "graph.svg", format="png")
    assert written == tmp_path / "graph.png"
    assert rendered == [(to_dot(graph), str(tmp_path / "graph"), "png")]


def test_render_without_the_dot_program_says_how_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", _fake_graphviz([], dot_installed=False))
    with pytest.raises(RuntimeError, match="Graphviz's dot program"):
        render(_small_graph(), "graph.svg")


def test_draw_shows_the_dot_text_as_its_repr() -> None:
    graph = _small_graph()
    assert repr(draw(graph)) == to_dot(graph)


def test_draw_gives_a_notebook_the_svg_from_graphviz(monkeypatch: pytest.MonkeyPatch) -> None:
    rendered: list[tuple[str, str, str]] = []
    monkeypatch.setitem(sys.modules, "graphviz", _fake_graphviz(rendered, dot_installed=True))
    graph = _small_graph()
    assert draw(graph)._repr_svg_() == "<svg/>"
    assert rendered == [(to_dot(graph), "<pipe>", "svg")]


def test_draw_without_graphviz_lets_a_notebook_fall_back_to_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)
    picture = draw(_small_graph())
    assert picture._repr_svg_() is None
    with pytest.raises(ImportError, match=r"pip install minigrad-scalar\[graph\]"):
        picture.svg()
