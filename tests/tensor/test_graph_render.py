"""render and draw: Graphviz when it is installed, a clear message when it is not.

Most tests stand a fake ``graphviz`` module in for the real one, so they run
without Graphviz; one test renders for real where Graphviz is installed.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from minigrad.tensor import Tensor, to_dot
from minigrad.tensor.graph import draw, render


def _graph() -> Tensor:
    w = Tensor(np.ones((3, 2), dtype=np.float32), requires_grad=True)
    return (Tensor(np.ones((4, 3), dtype=np.float32)) @ w).tanh().sum()


class _FakeExecutableNotFoundError(RuntimeError):
    pass


def _fake_graphviz(rendered: list[tuple[str, str, str]], dot_installed: bool) -> types.ModuleType:
    """A stand-in for the graphviz package that records what it was asked to draw."""

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
            return "<svg>fake</svg>"

    module = types.ModuleType("graphviz")
    module.Source = Source  # type: ignore[attr-defined]
    module.ExecutableNotFound = _FakeExecutableNotFoundError  # type: ignore[attr-defined]
    return module


def test_render_without_graphviz_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)  # makes `import graphviz` fail
    with pytest.raises(ImportError, match=r"dot program: pip install minigrad-tensor\[graph\]"):
        render(_graph(), "graph.svg")


def test_render_passes_the_dot_text_and_returns_the_written_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rendered: list[tuple[str, str, str]] = []
    monkeypatch.setitem(sys.modules, "graphviz", _fake_graphviz(rendered, dot_installed=True))
    graph = _graph()
    written = render(graph, tmp_path / "graph.svg", format="png")
    assert written == tmp_path / "graph.png"
    assert rendered == [(to_dot(graph), str(tmp_path / "graph"), "png")]


def test_render_passes_names_on_to_the_dot_text(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rendered: list[tuple[str, str, str]] = []
    monkeypatch.setitem(sys.modules, "graphviz", _fake_graphviz(rendered, dot_installed=True))
    graph = _graph()
    render(graph, tmp_path / "graph", names={"loss": graph})
    assert "loss | () float32" in rendered[0][0]


def test_render_without_the_dot_program_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", _fake_graphviz([], dot_installed=False))
    with pytest.raises(RuntimeError, match="Graphviz's dot program"):
        render(_graph(), "graph.svg")


def test_a_picture_shows_itself_as_svg_when_graphviz_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rendered: list[tuple[str, str, str]] = []
    monkeypatch.setitem(sys.modules, "graphviz", _fake_graphviz(rendered, dot_installed=True))
    picture = draw(_graph())
    assert picture._repr_svg_() == "<svg>fake</svg>"
    assert rendered == [(picture.source, "<pipe>", "svg")]


def test_a_picture_falls_back_to_dot_text_without_graphviz(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)
    picture = draw(_graph())
    assert picture._repr_svg_() is None
    assert repr(picture).startswith("digraph minigrad {")


def test_a_picture_falls_back_to_dot_text_without_the_dot_program(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", _fake_graphviz([], dot_installed=False))
    assert draw(_graph())._repr_svg_() is None


def test_asking_a_picture_for_svg_without_graphviz_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "graphviz", None)
    with pytest.raises(ImportError, match=r"pip install minigrad-tensor\[graph\]"):
        draw(_graph()).svg()


_GRAPHVIZ_WORKS = importlib.util.find_spec("graphviz") is not None and shutil.which("dot")


@pytest.mark.skipif(not _GRAPHVIZ_WORKS, reason="needs the graphviz package and the dot program")
def test_render_with_graphviz_writes_an_svg_naming_the_operations(tmp_path: Path) -> None:
    written = render(_graph(), tmp_path / "graph.svg")
    svg = written.read_text(encoding="utf-8")
    assert written == tmp_path / "graph.svg"
    assert svg.lstrip().startswith("<?xml")
    for op in ("matmul", "tanh", "sum"):
        assert f">{op}</text>" in svg
