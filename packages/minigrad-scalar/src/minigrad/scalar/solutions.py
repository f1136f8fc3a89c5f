"""Reference answers to the tutorials' exercises, kept apart so they stay out of the way.

Try an exercise first; `minigrad.scalar.exercises` tells you what differs.
``show("name")`` prints one answer's source without importing the rest into
your notebook.

Example:
    >>> show("sin_local_grad")
    def sin_local_grad(x: float) -> float:
        \"\"\"d sin(x)/dx = cos(x).\"\"\"
        return math.cos(x)
"""

from __future__ import annotations

import inspect
import math
from typing import Any

__all__ = [
    "PREDICTED",
    "SolutionValue",
    "bias_gradient",
    "cross_entropy_gradient",
    "show",
    "sin_local_grad",
    "softsign_backward",
]


class SolutionValue:
    """Tutorial 0's Value in about 40 lines: +, *, tanh and backward."""

    def __init__(
        self, data: float, children: tuple[Any, ...] = (), local_grads: tuple[float, ...] = ()
    ) -> None:
        self.data = data
        self.grad = 0.0
        self._children = children
        self._local_grads = local_grads  # d(self)/d(child), one per child

    def __add__(self, other: SolutionValue) -> SolutionValue:
        return SolutionValue(self.data + other.data, (self, other), (1.0, 1.0))

    def __mul__(self, other: SolutionValue) -> SolutionValue:
        return SolutionValue(self.data * other.data, (self, other), (other.data, self.data))

    def tanh(self) -> SolutionValue:
        """tanh, whose derivative is 1 - tanh^2."""
        t = math.tanh(self.data)
        return SolutionValue(t, (self,), (1.0 - t * t,))

    def backward(self) -> None:
        """Fill in d(self)/d(node) for every node, visiting each after all its users."""
        order: list[SolutionValue] = []
        visited: set[int] = set()

        def visit(node: SolutionValue) -> None:
            if id(node) not in visited:
                visited.add(id(node))
                for child in node._children:
                    visit(child)
                order.append(node)  # after all its children: a topological order

        visit(self)
        self.grad = 1.0
        for node in reversed(order):
            for child, local_grad in zip(node._children, node._local_grads, strict=True):
                child.grad += local_grad * node.grad


def sin_local_grad(x: float) -> float:
    """d sin(x)/dx = cos(x)."""
    return math.cos(x)


def softsign_backward(g: Any, x: Any) -> Any:
    """Softsign's rule: g / (1 + |x|)^2 (the broken one forgot the square)."""
    return g / (1 + abs(x)) ** 2


def bias_gradient(g: Any) -> Any:
    """A bias broadcast over the rows gets the sum of the rows' gradients."""
    return g.sum(axis=0)


def cross_entropy_gradient(logits: Any, target: int) -> Any:
    """softmax(logits) - one_hot(target)."""
    exps = [math.exp(float(z) - max(float(v) for v in logits)) for z in logits]
    total = sum(exps)
    return [e / total - (1.0 if i == target else 0.0) for i, e in enumerate(exps)]


PREDICTED: dict[str, float] = {
    "reuse_twice": 12.0,  # c = (2a)^2 = 4a^2, dc/da = 8a
    "product_chain": 12.0,  # 3x^2
    "mlp_parameters": 41.0,  # (3*4 + 4) + (4*4 + 4) + (4*1 + 1)
    "relu_neuron_weight_grad": -2.0,  # relu is active (2.6 > 0): its input, -2
    "two_passes_ratio": 2.0,  # leaves accumulate across passes
    # wte 27*32 + wpe 16*32 + 2 layers * (attention 4*32*32 + MLP 2*128*32) + lm_head 27*32
    "gpt_parameters": 26816.0,
    "uniform_loss": math.log(27),  # -log(1/27): every token has probability 1/27
}
"""The answers to `minigrad.scalar.exercises.PREDICTIONS`, worked out by hand."""


def show(name: str) -> None:
    """Print the source of the solution called ``name`` (a function or class here)."""
    solution = globals().get(name)
    if solution is None or name.startswith("_") or name not in __all__:
        raise KeyError(f"no solution named {name!r}; the names are {sorted(__all__)}")
    if isinstance(solution, dict):
        print("\n".join(f"{key}: {value:g}" for key, value in solution.items()))
    else:
        print(inspect.getsource(solution), end="")
