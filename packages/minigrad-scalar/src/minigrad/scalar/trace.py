"""The backward pass, one chain-rule step at a time: what `Value.backward` does, narrated.

`trace_backward` walks a graph exactly as the engine does (reverse topological
order, ``child.grad += local_grad * upstream``) and reports every step as it
happens. In a notebook, pass ``after_node`` to draw the graph after each node::

    from IPython.display import display
    from minigrad.scalar.graph import draw
    trace_backward(c, after_node=lambda node: display(draw(c)))

From a shell, ``python -m minigrad.scalar.trace`` traces ``b = a + a; c = b * b``
(``--dot DIR`` also writes the graph after each node as Graphviz files).

Example:
    >>> from minigrad.scalar import Value
    >>> a = Value(3.0, label="a")
    >>> b = a + a
    >>> b.label = "b"
    >>> steps = trace_backward(b)
    b.grad = 1 (the root: db/db = 1)
    node b = a + a, upstream b.grad = 1
      a.grad += 1 * 1  ->  0 + 1 = 1
      a.grad += 1 * 1  ->  1 + 1 = 2
    >>> a.grad
    2.0
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from minigrad.scalar.engine import Value, topological_order
from minigrad.scalar.graph import to_dot

__all__ = ["Step", "name_nodes", "trace_backward"]


@dataclass(frozen=True)
class Step:
    """One application of the chain rule: ``child.grad += local_grad * upstream``.

    Attributes:
        node: the name of the node passing its gradient on.
        child: the name of the child receiving a share.
        local_grad: d(node)/d(child), recorded in the forward pass.
        upstream: d(root)/d(node), complete by the time the node is visited.
        before: the child's gradient before this step.
        after: the child's gradient after it.
    """

    node: str
    child: str
    local_grad: float
    upstream: float
    before: float
    after: float

    def __str__(self) -> str:
        return (
            f"  {self.child}.grad += {_number(self.local_grad)} * {_number(self.upstream)}"
            f"  ->  {_number(self.before)} + {_number(self.local_grad * self.upstream)}"
            f" = {_number(self.after)}"
        )


def _number(x: float) -> str:
    """``x`` short: integers without a decimal point, others to 4 significant digits."""
    return f"{x:.4g}"


def name_nodes(root: Value) -> dict[Value, str]:
    """A name for every node of the graph: its label, else ``v0, v1, ...`` in topological order."""
    return {node: node.label or f"v{number}" for number, node in enumerate(topological_order(root))}


def _describe(node: Value, names: dict[Value, str]) -> str:
    """``c = a * b``: how ``node`` was computed, in the graph's names."""
    children = [names[child] for child in node._children]
    if node._op in {"+", "-", "*", "/", "**"} and len(children) == 2:
        return f"{names[node]} = {children[0]} {node._op} {children[1]}"
    if node._op in {"+", "-", "*", "/", "**"}:
        return f"{names[node]} = {children[0]} {node._op} (a constant)"
    return f"{names[node]} = {node._op}({', '.join(children)})"


def trace_backward(
    root: Value,
    *,
    show: Callable[[str], object] | None = print,
    after_node: Callable[[Value], object] | None = None,
) -> list[Step]:
    """Run the backward pass from ``root``, reporting each chain-rule step; return the steps.

    Every gradient in the graph is first set to 0 (as for a first ``backward``),
    then ``root.grad`` to 1. The nodes are visited in reverse topological order,
    and each passes ``local_grad * upstream`` to each of its children.

    Args:
        root: the Value to differentiate.
        show: called with each line of the narration (``print`` by default;
            None for silence).
        after_node: called with each node once it has passed its gradient on,
            e.g. to draw the graph at that moment.
    """
    names = name_nodes(root)
    order = topological_order(root)
    say = show if show is not None else (lambda line: None)
    for node in order:
        node.grad = 0.0
    root.grad = 1.0
    say(f"{names[root]}.grad = 1 (the root: d{names[root]}/d{names[root]} = 1)")
    steps: list[Step] = []
    for node in reversed(order):
        if not node._children:
            continue  # a leaf: nothing to pass on
        upstream = node.grad
        say(f"node {_describe(node, names)}, upstream {names[node]}.grad = {_number(upstream)}")
        for child, local_grad in zip(node._children, node._local_grads, strict=True):
            before = child.grad
            child.grad += local_grad * upstream
            step = Step(names[node], names[child], local_grad, upstream, before, child.grad)
            steps.append(step)
            say(str(step))
        if after_node is not None:
            after_node(node)
    return steps


def _example() -> Value:
    """``b = a + a; c = b * b`` at a = 3: the reused value the recursive version gets wrong."""
    a = Value(3.0, label="a")
    b = a + a
    b.label = "b"
    c = b * b
    c.label = "c"
    return c


def main(argv: Sequence[str] | None = None) -> int:
    """Trace ``b = a + a; c = b * b``; with ``--dot DIR`` write the graph after each node."""
    parser = argparse.ArgumentParser(
        prog="python -m minigrad.scalar.trace",
        description="Trace the backward pass of b = a + a; c = b * b (a = 3), step by step.",
    )
    parser.add_argument(
        "--dot",
        type=Path,
        metavar="DIR",
        help="also write the graph after each node as DIR/step_N.dot (Graphviz text)",
    )
    args = parser.parse_args(argv)
    root = _example()
    print("c = b * b with b = a + a, a = 3: dc/da = 8a = 24\n")
    pictures: list[str] = [to_dot(root)]
    trace_backward(root, after_node=lambda node: pictures.append(to_dot(root)))
    print(f"\ndc/da = {_number(root._children[0]._children[0].grad)}")
    if args.dot is not None:
        try:
            args.dot.mkdir(parents=True, exist_ok=True)
            for number, source in enumerate(pictures):
                (args.dot / f"step_{number}.dot").write_text(source + "\n", encoding="utf-8")
        except OSError as error:
            print(f"error: cannot write the graphs to {args.dot}: {error}", file=sys.stderr)
            return 1
        print(f"{len(pictures)} graphs written to {args.dot}/ (dot -Tsvg -O {args.dot}/*.dot)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
