"""The demo behind ``python -m minigrad.scalar``: an MLP learns to separate two moons.

The recipe is micrograd's demo: a ``MLP(2, [16, 16, 1])`` scores each point,
the loss is the SVM max-margin loss ``mean(relu(1 - y * score))`` (targets
y = -1 or +1) plus an L2 penalty ``1e-4 * sum(p * p)``, and plain SGD takes
full-batch steps with a learning rate decaying from 1.0 to 0.1.

Example:
    >>> main(["--steps", "3", "--points", "20", "--quiet"])  # doctest: +ELLIPSIS
    final accuracy ...
    0
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Sequence

from minigrad.scalar.data import make_moons
from minigrad.scalar.engine import Value
from minigrad.scalar.grad_mode import no_grad
from minigrad.scalar.nn import MLP
from minigrad.scalar.optim import SGD

__all__ = ["decision_boundary", "main", "max_margin_loss"]

L2_PENALTY = 1e-4
"""Weight of the L2 penalty on the parameters, as in micrograd's demo."""


def max_margin_loss(
    model: MLP, points: Sequence[Sequence[float]], targets: Sequence[int]
) -> tuple[Value, float]:
    """The demo's loss on all points, and the fraction of points classified right.

    Args:
        model: scores a point; a score > 0 means class +1.
        points: the inputs, ``[x, y]`` each.
        targets: the classes, -1 or +1.

    Returns:
        ``(loss, accuracy)``: loss is ``mean(relu(1 - t * score)) +
        1e-4 * sum(p * p)``, a Value ready for ``backward``.
    """
    scores = [model(point)[0] for point in points]
    margins = [(1 - target * score).relu() for target, score in zip(targets, scores, strict=True)]
    data_loss = sum(margins, Value(0.0)) * (1.0 / len(margins))
    l2_loss = L2_PENALTY * sum((p * p for p in model.parameters()), Value(0.0))
    correct = sum(
        (score.data > 0) == (target > 0) for target, score in zip(targets, scores, strict=True)
    )
    return data_loss + l2_loss, correct / len(points)


def decision_boundary(
    model: MLP,
    points: Sequence[Sequence[float]],
    targets: Sequence[int],
    rows: int = 20,
    columns: int = 40,
) -> str:
    """A text picture of the model's two regions, with the training points on top.

    ``.`` marks where the model says class -1 and ``:`` where it says +1; the
    training points are drawn as ``o`` (class -1) and ``x`` (class +1).
    """
    xs = [point[0] for point in points]
    ys = [point[1] for point in points]
    x_low, x_high = min(xs) - 0.25, max(xs) + 0.25
    y_low, y_high = min(ys) - 0.25, max(ys) + 0.25
    x_step = (x_high - x_low) / columns
    y_step = (y_high - y_low) / rows

    grid: list[list[str]] = []
    with no_grad():  # drawing needs scores, not gradients
        for row in range(rows):
            y = y_high - (row + 0.5) * y_step  # row 0 is the top
            line = []
            for column in range(columns):
                x = x_low + (column + 0.5) * x_step
                line.append(":" if model([x, y])[0].data > 0 else ".")
            grid.append(line)

    for (x, y), target in zip(points, targets, strict=True):
        row = min(int((y_high - y) / y_step), rows - 1)
        column = min(int((x - x_low) / x_step), columns - 1)
        grid[row][column] = "x" if target > 0 else "o"
    return "\n".join("".join(line) for line in grid)


def _positive_int(text: str) -> int:
    """An argparse type: an int >= 1."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return number


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line options of the demo."""
    parser = argparse.ArgumentParser(
        prog="python -m minigrad.scalar",
        description="Train MLP(2, [16, 16, 1]) on two moons with the scalar autograd engine.",
    )
    parser.add_argument(
        "--steps", type=_positive_int, default=100, help="training steps (default: 100)"
    )
    parser.add_argument(
        "--points", type=_positive_int, default=100, help="two-moons points (default: 100)"
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seeds the data and the weights (default: 0)"
    )
    parser.add_argument("--quiet", action="store_true", help="print only the final result")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Train, print progress and the result, and return the exit status (0).

    Args:
        argv: the command line arguments (without the program name); None
            reads ``sys.argv``. Bad arguments exit through argparse.
    """
    args = _parse_args(argv)
    points, labels = make_moons(n_samples=args.points, noise=0.1, seed=args.seed)
    targets = [2 * label - 1 for label in labels]  # classes 0/1 -> targets -1/+1
    model = MLP(2, [16, 16, 1], rng=random.Random(args.seed))
    optimizer = SGD(model.parameters(), lr=1.0)

    accuracy = 0.0
    start = time.perf_counter()
    for step in range(args.steps):
        loss, accuracy = max_margin_loss(model, points, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.lr = 1.0 - 0.9 * step / args.steps
        optimizer.step()
        if not args.quiet:
            print(f"step {step + 1}/{args.steps}  loss {loss.data:.4f}  accuracy {accuracy:.0%}")
    seconds = time.perf_counter() - start

    with no_grad():
        _, accuracy = max_margin_loss(model, points, targets)  # after the last step
    print(f"final accuracy {accuracy:.0%} on {len(points)} points")
    if not args.quiet:
        print(
            f"{args.steps} steps in {seconds:.1f} s ({1000 * seconds / args.steps:.0f} ms per step)"
        )
        print(decision_boundary(model, points, targets))
    return 0
