"""Draw the graph behind a Value: Graphviz DOT text, and optionally an image.

`to_dot` needs nothing but Python and returns DOT text: paste it into any
Graphviz viewer. `render` turns it into a file (SVG, PNG, PDF, ...) through the
optional ``graphviz`` package and Graphviz's ``dot`` program, and `draw` gives
an object that a Jupyter notebook shows as the picture.

Each Value is a box showing its label, data and grad; each operation is an
oval, with edges child -> operation -> result. Constants (plain numbers in the
arithmetic) are not nodes of the graph, so they are not drawn: ``x * 2`` shows
one ``*`` with one input.

Example:
    >>> from minigrad.scalar import Value
    >>> a = Value(2.0, label="a")
    >>> b = a.exp()
    >>> print(to_dot(b))  # doctest: +ELLIPSIS
    digraph minigrad {
      rankdir=LR;
      node [shape=record];
      v0 [label="{ a | data 2.0000 | grad 0.0000 }"];
      v1 [label="{ data 7.3891 | grad 0.0000 }"];
      v1_op [label="exp", shape=ellipse];
      v0 -> v1_op;
      v1_op -> v1;
    }
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from minigrad.scalar.engine import Value, topological_order

__all__ = ["INSTALL_HINT", "GraphPicture", "draw", "render", "to_dot"]

INSTALL_HINT = (
    "render needs the graphviz Python package and Graphviz's dot program: "
    "pip install minigrad-scalar[graph], then install Graphviz "
    "(e.g. apt install graphviz, or brew install graphviz)"
)
"""What to install when `render` cannot find Graphviz."""


def _escape(text: str) -> str:
    """``text`` made safe inside a DOT record label (quotes, braces, bars...)."""
    for special in '\\"{}|<>':
        text = text.replace(special, "\\" + special)
    return text


def to_dot(value: Value) -> str:
    """Graphviz DOT text for the graph that ends at ``value``.

    Nodes are numbered ``v0, v1, ...`` in topological order (children before
    the Values computed from them), so the same graph always gives the same
    text. The graph is walked without recursion, so deep graphs are fine.
    """
    order = topological_order(value)
    # graph.py belongs to the engine's package, so it reads the private graph
    # fields (_children, _op) directly rather than widening Value's public API.
    ids = {node: f"v{number}" for number, node in enumerate(order)}
    lines = ["digraph minigrad {", "  rankdir=LR;", "  node [shape=record];"]
    for node in order:
        name = ids[node]
        fields = [f"data {node.data:.4f}", f"grad {node.grad:.4f}"]
        if node.label:
            fields.insert(0, _escape(node.label))
        lines.append(f'  {name} [label="{{ {" | ".join(fields)} }}"];')
        if node._children:
            lines.append(f'  {name}_op [label="{_escape(node._op)}", shape=ellipse];')
            lines.extend(f"  {ids[child]} -> {name}_op;" for child in node._children)
            lines.append(f"  {name}_op -> {name};")
    lines.append("}")
    return "\n".join(lines)


def _import_graphviz() -> ModuleType:
    """The ``graphviz`` package, or an ImportError saying how to install it."""
    try:
        return importlib.import_module("graphviz")
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error


def render(value: Value, path: str | Path, format: str = "svg") -> Path:
    """Draw the graph ending at ``value`` into an image file and return its path.

    Args:
        value: the root of the graph to draw.
        path: where to write; the suffix is replaced by ``format``
            (``"graph"`` and ``"graph.svg"`` both give ``graph.svg``).
        format: any output format Graphviz knows: "svg", "png", "pdf", ...

    Raises:
        ImportError: the ``graphviz`` package is not installed.
        RuntimeError: Graphviz's ``dot`` program is not installed.
    """
    graphviz = _import_graphviz()
    target = Path(path).with_suffix("")
    source = graphviz.Source(to_dot(value))
    try:
        written = source.render(filename=str(target), format=format, cleanup=True)
    except graphviz.ExecutableNotFound as error:
        raise RuntimeError(INSTALL_HINT) from error
    return Path(written)


class GraphPicture:
    """DOT text that a Jupyter notebook shows as a picture; made by `draw`.

    In a notebook the last expression of a cell is displayed through its
    ``_repr_svg_``: an SVG drawn by Graphviz when the ``graphviz`` package and
    the ``dot`` program are installed. Without them the notebook falls back to
    ``repr``, the DOT text itself, so a notebook runs the same everywhere.
    (``minigrad.tensor.graph`` has the same class: the tensor package may not
    import this one.)

    Attributes:
        source: the DOT text.
    """

    __slots__ = ("source",)

    def __init__(self, source: str) -> None:
        self.source = source

    def __repr__(self) -> str:
        return self.source

    def svg(self) -> str:
        """The picture as SVG text.

        Raises:
            ImportError: the ``graphviz`` package is not installed.
            RuntimeError: Graphviz's ``dot`` program is not installed.
        """
        graphviz = _import_graphviz()
        try:
            svg: str = graphviz.Source(self.source).pipe(format="svg", encoding="utf-8")
        except graphviz.ExecutableNotFound as error:
            raise RuntimeError(INSTALL_HINT) from error
        return svg

    def _repr_svg_(self) -> str | None:
        """The SVG for IPython's display, or None (show the text) without Graphviz."""
        try:
            return self.svg()
        except (ImportError, RuntimeError):
            return None


def draw(value: Value) -> GraphPicture:
    """The graph ending at ``value`` as an object that displays itself in a notebook.

    Example:
        >>> from minigrad.scalar import Value
        >>> x = Value(1.0, label="x")
        >>> y = x.exp()
        >>> draw(y).source == to_dot(y)
        True
    """
    return GraphPicture(to_dot(value))
