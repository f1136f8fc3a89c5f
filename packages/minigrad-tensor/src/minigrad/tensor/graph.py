"""Draw the graph behind a Tensor: Graphviz DOT text, an image file, or a notebook picture.

The same three steps as ``minigrad.scalar.graph``: `to_dot` needs nothing but
Python and returns DOT text; `render` writes an image file (SVG, PNG, PDF, ...)
through the optional ``graphviz`` package and Graphviz's ``dot`` program;
`draw` returns an object that a Jupyter notebook shows as a picture (or, when
Graphviz is missing, as the DOT text).

Each tensor is a box showing its shape and dtype; each operation is an oval
named after the op that recorded it (``node.name``), with edges input ->
operation -> result. Leaves say whether they require a gradient; a leaf that
does not (the data fed to a model) is drawn dashed. Python numbers in the
arithmetic are constants kept by the op, not tensors, so they are not drawn:
``x * 2`` shows one ``mul`` with one input. An operation whose saved inputs a
backward pass has already freed is marked ``(released)``.

Example:
    >>> from minigrad.tensor import Tensor
    >>> w = Tensor([[1.0, 2.0]], requires_grad=True)
    >>> y = (w * 2).sum()
    >>> print(to_dot(y, names={"w": w}))
    digraph minigrad {
      rankdir=LR;
      node [shape=record];
      t0 [label="{ w | (1, 2) float32 | requires_grad }"];
      t1 [label="{ (1, 2) float32 }"];
      t1_op [label="mul", shape=ellipse];
      t0 -> t1_op;
      t1_op -> t1;
      t2 [label="{ () float32 }"];
      t2_op [label="sum", shape=ellipse];
      t1 -> t2_op;
      t2_op -> t2;
    }
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType

from minigrad.tensor.tensor import Tensor

__all__ = ["INSTALL_HINT", "GraphPicture", "draw", "render", "to_dot"]

INSTALL_HINT = (
    "render needs the graphviz Python package and Graphviz's dot program: "
    "pip install minigrad-tensor[graph], then install Graphviz "
    "(e.g. apt install graphviz, or brew install graphviz)"
)
"""What to install when `render` cannot find Graphviz."""


def _escape(text: str) -> str:
    """``text`` made safe inside a DOT record label (quotes, braces, bars...)."""
    for special in '\\"{}|<>':
        text = text.replace(special, "\\" + special)
    return text


def _inputs_of(tensor: Tensor) -> tuple[Tensor, ...]:
    """The tensors ``tensor`` was computed from (none for a leaf or a released node)."""
    node = tensor.grad_fn
    if node is None or node.inputs is None:
        return ()
    return node.inputs


def _topological_order(root: Tensor) -> list[Tensor]:
    """Every tensor ``root`` depends on, each after its inputs; ``root`` is last.

    An explicit stack instead of recursion, so a chain of any depth is fine.
    Tensors are tracked by ``id``: ``==`` on tensors is elementwise, so they
    cannot be compared the way a set would compare them.
    """
    order: list[Tensor] = []
    visited: set[int] = set()
    stack = [root]
    inputs_pushed = [False]
    while stack:
        tensor = stack.pop()
        if inputs_pushed.pop():
            order.append(tensor)
        elif id(tensor) not in visited:
            visited.add(id(tensor))
            stack.append(tensor)
            inputs_pushed.append(True)
            # Last input first, so that the first input is numbered first.
            for tensor_in in reversed(_inputs_of(tensor)):
                if id(tensor_in) not in visited:
                    stack.append(tensor_in)
                    inputs_pushed.append(False)
    return order


def _describe(tensor: Tensor, name: str | None) -> tuple[str, str]:
    """The record label of ``tensor`` and any extra DOT attributes of its box."""
    fields = [f"{tensor.shape} {tensor.dtype}"]
    if name:
        fields.insert(0, name)
    extra = ""
    if tensor.grad_fn is None:
        fields.append("requires_grad" if tensor.requires_grad else "constant")
        if not tensor.requires_grad:
            extra = ", style=dashed"
    label = " | ".join(_escape(field) for field in fields)
    return f'label="{{ {label} }}"', extra


def to_dot(tensor: Tensor, names: Mapping[str, Tensor] | None = None) -> str:
    """Graphviz DOT text for the graph that ends at ``tensor``.

    Args:
        tensor: the root of the graph, usually a loss.
        names: labels for tensors of the graph, e.g. ``{"x": x}`` or
            ``dict(model.named_parameters())``; tensors have no names of their own.

    Tensors are numbered ``t0, t1, ...`` in topological order (inputs before
    the tensors computed from them, first inputs first), so the same graph
    always gives the same text. The graph is walked without recursion.

    Raises:
        TypeError: ``tensor`` is not a Tensor.
    """
    if not isinstance(tensor, Tensor):
        raise TypeError(f"to_dot expects a Tensor, got {type(tensor).__name__}")
    labels = {id(t): name for name, t in (names or {}).items()}
    order = _topological_order(tensor)
    ids = {id(t): f"t{number}" for number, t in enumerate(order)}
    lines = ["digraph minigrad {", "  rankdir=LR;", "  node [shape=record];"]
    for t in order:
        box = ids[id(t)]
        label, extra = _describe(t, labels.get(id(t)))
        lines.append(f"  {box} [{label}{extra}];")
        node = t.grad_fn
        if node is None:
            continue
        op_name = node.name or "op"
        if node.inputs is None:
            op_name += " (released)"
        lines.append(f'  {box}_op [label="{_escape(op_name)}", shape=ellipse];')
        lines.extend(f"  {ids[id(t_in)]} -> {box}_op;" for t_in in _inputs_of(t))
        lines.append(f"  {box}_op -> {box};")
    lines.append("}")
    return "\n".join(lines)


def _import_graphviz() -> ModuleType:
    """The ``graphviz`` package, or an ImportError saying how to install it."""
    try:
        return importlib.import_module("graphviz")
    except ImportError as error:
        raise ImportError(INSTALL_HINT) from error


def render(
    tensor: Tensor,
    path: str | Path,
    format: str = "svg",
    names: Mapping[str, Tensor] | None = None,
) -> Path:
    """Draw the graph ending at ``tensor`` into an image file and return its path.

    Args:
        tensor: the root of the graph to draw.
        path: where to write; the suffix is replaced by ``format``
            (``"graph"`` and ``"graph.svg"`` both give ``graph.svg``).
        format: any output format Graphviz knows: "svg", "png", "pdf", ...
        names: labels for tensors of the graph (see `to_dot`).

    Raises:
        ImportError: the ``graphviz`` package is not installed.
        RuntimeError: Graphviz's ``dot`` program is not installed.
    """
    graphviz = _import_graphviz()
    target = Path(path).with_suffix("")
    source = graphviz.Source(to_dot(tensor, names))
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


def draw(tensor: Tensor, names: Mapping[str, Tensor] | None = None) -> GraphPicture:
    """The graph ending at ``tensor`` as an object that displays itself in a notebook.

    Args:
        tensor: the root of the graph to draw.
        names: labels for tensors of the graph (see `to_dot`).

    Example:
        >>> from minigrad.tensor import Tensor
        >>> x = Tensor([1.0, 2.0], requires_grad=True)
        >>> picture = draw(x.exp())
        >>> picture.source == to_dot(x.exp())
        True
    """
    return GraphPicture(to_dot(tensor, names))
