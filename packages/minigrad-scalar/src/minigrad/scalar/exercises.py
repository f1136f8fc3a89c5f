"""Checks for the tutorials' exercises: each compares an answer with the scalar engine.

Every check returns a `Verdict`: true when the answer is right, false when it
is not, and in both cases a sentence in plain words saying what was compared
(and, for a wrong answer, what differs). In a notebook the verdict shows
itself as that sentence. The expected results are never typed in here: they
are computed with `minigrad.scalar` itself, the reference semantics.

The checks need nothing but Python. Where a tutorial's answer is written with
NumPy (a broadcast gradient, a backward rule), the check hands it NumPy arrays
when NumPy is installed and plain floats otherwise. Reference answers live in
`minigrad.scalar.solutions`, out of the way until wanted.

Example:
    >>> import math
    >>> check_sin_local_grad(math.cos)
    Right: your local gradient matches d sin(x)/dx at all 7 points.
    >>> bool(check_sin_local_grad(math.sin))
    False
"""

from __future__ import annotations

import importlib
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from minigrad.scalar.engine import Value
from minigrad.scalar.gpt import GPT, cross_entropy
from minigrad.scalar.nn import MLP

__all__ = [
    "PREDICTIONS",
    "Verdict",
    "check_bias_gradient",
    "check_cross_entropy_gradient",
    "check_prediction",
    "check_repaired_rule",
    "check_sin_local_grad",
    "check_value_class",
]

_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Verdict:
    """The outcome of a check: ``passed`` and a message in plain words; true when passed."""

    passed: bool
    message: str

    def __bool__(self) -> bool:
        return self.passed

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return self.message


def _right(message: str) -> Verdict:
    return Verdict(True, f"Right: {message}")


def _not_yet(message: str) -> Verdict:
    return Verdict(False, f"Not yet: {message}")


def _close(got: float, want: float) -> bool:
    return math.isclose(got, want, rel_tol=_TOLERANCE, abs_tol=_TOLERANCE)


def _as_float(x: object) -> float | None:
    """``x`` as a float if it is a real number (a NumPy scalar counts), else None."""
    try:
        return float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _as_floats(x: object) -> list[float] | None:
    """``x`` (a list, tuple, NumPy array or Tensor) as a flat list of floats, else None."""
    data = getattr(x, "data", x)  # a Tensor holds its array in .data
    if hasattr(data, "tolist"):
        data = data.tolist()
    if not isinstance(data, (list, tuple)):
        return None
    flat: list[float] = []
    for item in data:
        inner = _as_floats(item) if isinstance(item, (list, tuple)) else None
        if inner is not None:
            flat.extend(inner)
            continue
        number = _as_float(item)
        if number is None:
            return None
        flat.append(number)
    return flat


def _numpy() -> Any:
    """NumPy if it is installed, else None (answers then get plain Python numbers)."""
    try:
        return importlib.import_module("numpy")
    except ImportError:
        return None


# ---------------------------------------------------------------------------
# Tutorial 0: your own Value, compared with minigrad.scalar.Value
# ---------------------------------------------------------------------------

# An expression is a leaf name ("a", "b", "c") or (op, operand...) with op "+", "*", "tanh".
_Expression = Any
_LEAVES = ("a", "b", "c")

# The graded ladder: each op alone, then reuse (gradients must add up), then the
# shapes where the order of the backward pass matters.
_FIXED_EXPRESSIONS: list[tuple[str, _Expression]] = [
    ("a + b", ("+", "a", "b")),
    ("a * b", ("*", "a", "b")),
    ("tanh(a)", ("tanh", "a")),
    ("a + a (a used twice: both uses add to a.grad)", ("+", "a", "a")),
    ("a * a (a used twice)", ("*", "a", "a")),
    ("b = a + a; c = b + b (b used twice)", ("+", ("+", "a", "a"), ("+", "a", "a"))),
    (
        "d = a * b; e = tanh(d) + d (d used twice)",
        ("+", ("tanh", ("*", "a", "b")), ("*", "a", "b")),
    ),
]


def _random_expression(rng: random.Random, depth: int) -> _Expression:
    if depth == 0 or rng.random() < 0.25:
        return rng.choice(_LEAVES)
    op = rng.choice(["+", "*", "tanh"])
    if op == "tanh":
        return ("tanh", _random_expression(rng, depth - 1))
    return (op, _random_expression(rng, depth - 1), _random_expression(rng, depth - 1))


def _leaves_of(expression: _Expression) -> set[str]:
    if isinstance(expression, str):
        return {expression}
    return set().union(*(_leaves_of(operand) for operand in expression[1:]))


def _text(expression: _Expression) -> str:
    if isinstance(expression, str):
        return expression
    if expression[0] == "tanh":
        return f"tanh({_text(expression[1])})"
    return f"({_text(expression[1])} {expression[0]} {_text(expression[2])})"


def _evaluate(expression: _Expression, leaves: dict[str, Any], cache: dict[int, Any]) -> Any:
    """Build ``expression`` from ``leaves``; equal sub-expressions share one node (reuse)."""
    if isinstance(expression, str):
        return leaves[expression]
    key = hash(expression)
    if key not in cache:
        operands = [_evaluate(operand, leaves, cache) for operand in expression[1:]]
        if expression[0] == "tanh":
            cache[key] = operands[0].tanh()
        elif expression[0] == "+":
            cache[key] = operands[0] + operands[1]
        else:
            cache[key] = operands[0] * operands[1]
    return cache[key]


def _compare_one(
    value_class: type, text: str, expression: _Expression, inputs: dict[str, float]
) -> Verdict | None:
    """None if ``value_class`` agrees with the engine on this expression, else a Verdict."""
    where = ", ".join(f"{name} = {x:g}" for name, x in inputs.items())
    reference = {name: Value(x) for name, x in inputs.items()}
    want = _evaluate(expression, reference, {})
    want.backward()
    try:
        yours = {name: value_class(x) for name, x in inputs.items()}
        got = _evaluate(expression, yours, {})
        got_data = _as_float(getattr(got, "data", None))
    except Exception as error:  # the learner's code may fail in any way: report it
        return _not_yet(f"computing {text} with {where} raised {type(error).__name__}: {error}")
    if got_data is None or not _close(got_data, want.data):
        return _not_yet(
            f"the forward value of {text} with {where} is {got_data}, minigrad.scalar "
            f"gives {want.data:.6g}. Check the forward computation (the .data of each result)."
        )
    try:
        got.backward()
    except Exception as error:
        return _not_yet(f"backward() of {text} with {where} raised {type(error).__name__}: {error}")
    for name in inputs:
        got_grad = _as_float(getattr(yours[name], "grad", None))
        want_grad = reference[name].grad
        if got_grad is None or not _close(got_grad, want_grad):
            return _not_yet(
                f"in {text} with {where}, your {name}.grad is {got_grad}, minigrad.scalar "
                f"gives {want_grad:.6g}. The forward values agree, so a backward rule, the "
                f"accumulation (+=) or the order of the backward pass is wrong."
            )
    return None


def check_value_class(value_class: type, trials: int = 200, seed: int = 0) -> Verdict:
    """Compare a hand-written Value class with `minigrad.scalar.Value`, op by op.

    ``value_class(x)`` must make a leaf; its objects need ``+`` and ``*`` with
    each other, ``.tanh()``, ``.backward()``, ``.data`` and ``.grad``. The check
    runs each operation alone, then values used twice, then ``trials`` random
    expressions of ``a``, ``b`` and ``c``, and reports the first difference in
    a forward value or a gradient.
    """
    rng = random.Random(seed)

    def random_inputs() -> dict[str, float]:
        return {name: round(rng.uniform(-2.0, 2.0), 3) for name in _LEAVES}

    for text, expression in _FIXED_EXPRESSIONS:
        used = _leaves_of(expression)
        inputs = {name: x for name, x in random_inputs().items() if name in used}
        failure = _compare_one(value_class, text, expression, inputs)
        if failure is not None:
            return failure
    for _ in range(trials):
        expression = _random_expression(rng, depth=4)
        failure = _compare_one(value_class, _text(expression), expression, random_inputs())
        if failure is not None:
            return failure
    return _right(
        f"your {value_class.__name__} agrees with minigrad.scalar on +, *, tanh, reused "
        f"values and {trials} random expressions, forward values and gradients."
    )


# ---------------------------------------------------------------------------
# Tutorial 1: a local gradient, and predictions
# ---------------------------------------------------------------------------


def check_sin_local_grad(local_grad: Callable[[float], float]) -> Verdict:
    """Check ``local_grad(x)``, meant to be d sin(x)/dx, at seven points from -3 to 3.

    The reference is the engine's own derivative, by central differences of
    ``math.sin`` (the scalar engine has no ``sin``: that is the exercise).
    """
    points = [-3.0, -2.0, -1.0, 0.0, 0.5, 1.5, 3.0]
    h = 1e-6
    for x in points:
        want = (math.sin(x + h) - math.sin(x - h)) / (2 * h)
        try:
            got = _as_float(local_grad(x))
        except Exception as error:
            return _not_yet(f"your function raised {type(error).__name__} at x = {x}: {error}")
        if got is None or not math.isclose(got, want, abs_tol=1e-6):
            return _not_yet(
                f"at x = {x} your local gradient is {got}, but sin changes at rate {want:.6f} "
                f"there (nudge x and watch sin(x))."
            )
    return _right(f"your local gradient matches d sin(x)/dx at all {len(points)} points.")


def _reuse_twice() -> float:
    """dc/da for b = a + a; c = b * b at a = 1.5."""
    a = Value(1.5)
    b = a + a
    c = b * b
    c.backward()
    return a.grad


def _product_chain() -> float:
    """dy/dx for y = x * x * x at x = -2."""
    x = Value(-2.0)
    y = x * x * x
    y.backward()
    return x.grad


def _mlp_parameters() -> float:
    """How many parameters MLP(3, [4, 4, 1]) has."""
    return float(len(MLP(3, [4, 4, 1], rng=random.Random(0)).parameters()))


def _relu_neuron_weight_grad() -> float:
    """d out/d w1 for out = relu(w0*1 + w1*(-2) + b) with w = (0.5, -1), b = 0.1."""
    w0, w1, b = Value(0.5), Value(-1.0), Value(0.1)
    out = (w0 * 1.0 + w1 * -2.0 + b).relu()
    out.backward()
    return w1.grad


def _two_passes_ratio() -> float:
    """Leaf gradient after two backward passes over one graph, divided by one pass's."""
    a = Value(0.7)
    c = a * a + a
    c.backward()
    once = a.grad
    c.backward()
    return a.grad / once


def _gpt_parameters() -> float:
    """How many parameters the scalar GPT has on the letters a-z with n_embd 32 and 2 layers."""
    model = GPT(chars="abcdefghijklmnopqrstuvwxyz", n_embd=32, n_layer=2)
    return float(len(model.parameters()))


def _uniform_loss() -> float:
    """The cross-entropy of a model that gives all 27 tokens the same score."""
    return cross_entropy([Value(0.0) for _ in range(27)], target=0).data


PREDICTIONS: dict[str, tuple[str, Callable[[], float]]] = {
    "reuse_twice": ("b = a + a; c = b * b at a = 1.5: dc/da", _reuse_twice),
    "product_chain": ("y = x * x * x at x = -2: dy/dx", _product_chain),
    "mlp_parameters": ("the number of parameters of MLP(3, [4, 4, 1])", _mlp_parameters),
    "relu_neuron_weight_grad": (
        "out = relu(0.5 * 1 + (-1) * (-2) + 0.1): d out / d w1 (w1 = -1, its input -2)",
        _relu_neuron_weight_grad,
    ),
    "two_passes_ratio": (
        "a leaf's gradient after two backward passes over one graph, over one pass's",
        _two_passes_ratio,
    ),
    "gpt_parameters": (
        "the number of parameters of the scalar GPT with 27 tokens, n_embd 32, 2 layers "
        "and block_size 16",
        _gpt_parameters,
    ),
    "uniform_loss": (
        "the loss per token of a model that gives all 27 tokens the same probability",
        _uniform_loss,
    ),
}
"""The predictions the tutorials ask for: name -> (the question, how the engine answers it)."""

_BACKWARD_HINT = "Trace the backward pass by hand, one child.grad += local * upstream at a time."
_HINTS = {
    "mlp_parameters": "Count the weights and biases layer by layer.",
    "gpt_parameters": "Count each matrix, rows times columns: wte, wpe, the layer's six, lm_head.",
    "uniform_loss": "The loss is -log of the probability given to the right token.",
}


def check_prediction(name: str, answer: float | None) -> Verdict:
    """Compare a predicted number with what the engine computes for question ``name``.

    The questions are listed in `PREDICTIONS`; each is computed fresh with
    `minigrad.scalar` when checked.
    """
    if name not in PREDICTIONS:
        raise KeyError(f"no prediction named {name!r}; the names are {sorted(PREDICTIONS)}")
    question, compute = PREDICTIONS[name]
    want = compute()
    if answer is None:
        return _not_yet(f"{question}: write your prediction first (it is None).")
    got = _as_float(answer)
    if got is None:
        return _not_yet(f"{question}: your answer {answer!r} is not a number.")
    if not _close(got, want):
        return _not_yet(
            f"{question}: you predicted {got:g}; run it and see {want:g}. "
            f"{_HINTS.get(name, _BACKWARD_HINT)}"
        )
    return _right(f"{question} is {want:g}.")


# ---------------------------------------------------------------------------
# Tutorial 3: a broken backward rule, and a broadcast bug
# ---------------------------------------------------------------------------


def _softsign_definition(x: Value) -> Value:
    return x / (1 + abs(x))


def check_repaired_rule(rule: Callable[[Any, Any], Any]) -> Verdict:
    """Check ``rule(g, x)``, the backward rule of softsign ``x / (1 + |x|)``.

    The rule gets the output's gradient ``g`` and the input ``x`` (NumPy
    arrays when NumPy is installed) and must return the input's gradient. It
    is compared, element by element, with the gradient the scalar engine gets
    from the definition.
    """
    xs = [-3.0, -0.5, 0.25, 2.0]
    gs = [1.0, -2.0, 0.5, 3.0]
    want = []
    for x, g in zip(xs, gs, strict=True):
        leaf = Value(x)
        (_softsign_definition(leaf) * g).backward()
        want.append(leaf.grad)
    np = _numpy()
    try:
        got = (
            _as_floats(rule(np.array(gs), np.array(xs)))
            if np is not None
            else [_as_float(rule(g, x)) for g, x in zip(gs, xs, strict=True)]
        )
    except Exception as error:
        return _not_yet(f"your rule raised {type(error).__name__}: {error}")
    if got is None or len(got) != len(xs) or None in got:
        return _not_yet(f"your rule should return {len(xs)} numbers, one per element; got {got}")
    for x, g, mine, theirs in zip(xs, gs, got, want, strict=True):
        if mine is None or not _close(mine, theirs):
            return _not_yet(
                f"at x = {x} with upstream gradient {g}, your rule gives {mine}, the scalar "
                f"engine {theirs:.6g} (the derivative of softsign is 1 / (1 + |x|)^2)."
            )
    return _right("the scalar engine agrees with your rule on every element.")


def check_bias_gradient(bias_gradient: Callable[[Any], Any]) -> Verdict:
    """Check ``bias_gradient(g)``: the gradient of a ``(2,)`` bias broadcast over 3 rows.

    ``g`` is the gradient of ``x + bias`` (shape ``(3, 2)``); the answer must
    have the bias's shape. The reference spells the broadcast out in scalars:
    one bias Value reused in every row.
    """
    g = [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]
    bias = [Value(10.0), Value(20.0)]
    total = sum(((Value(0.0) + bias[j]) * g[i][j] for i in range(3) for j in range(2)), Value(0.0))
    total.backward()
    want = [b.grad for b in bias]
    np = _numpy()
    try:
        got = _as_floats(bias_gradient(np.array(g) if np is not None else g))
    except Exception as error:
        return _not_yet(f"your function raised {type(error).__name__}: {error}")
    if got is None or len(got) != 2:
        return _not_yet(
            f"the bias has shape (2,), so its gradient has 2 numbers; your function gave {got}."
        )
    if not all(_close(a, b) for a, b in zip(got, want, strict=True)):
        return _not_yet(
            f"your bias gradient is {got}, the scalar engine's is {want}: the bias is used "
            f"once per row, and each use adds its share."
        )
    return _right(f"the bias gradient is {want}, one share per row, summed.")


# ---------------------------------------------------------------------------
# Tutorial 4: the gradient of cross-entropy
# ---------------------------------------------------------------------------


def _cross_entropy(logits: Sequence[Value], target: int) -> Value:
    """-log softmax(logits)[target], written with the scalar engine's elementary ops."""
    top = max(logit.data for logit in logits)
    exps = [(logit - top).exp() for logit in logits]
    return -((exps[target] / sum(exps, Value(0.0))).log())


def check_cross_entropy_gradient(gradient: Callable[[Any, int], Any]) -> Verdict:
    """Check ``gradient(logits, target)``: d cross_entropy / d logits for one example.

    ``logits`` is a vector of 4 scores (a NumPy array when NumPy is installed),
    ``target`` the index of the right class. The reference differentiates
    ``-log(softmax(logits)[target])`` with the scalar engine.
    """
    cases = [([2.0, -1.0, 0.5, 0.0], 0), ([0.1, 0.2, 3.0, -2.0], 3)]
    np = _numpy()
    for scores, target in cases:
        leaves = [Value(s) for s in scores]
        _cross_entropy(leaves, target).backward()
        want = [leaf.grad for leaf in leaves]
        try:
            got = _as_floats(gradient(np.array(scores) if np is not None else scores, target))
        except Exception as error:
            return _not_yet(f"your function raised {type(error).__name__}: {error}")
        if got is None or len(got) != len(scores):
            return _not_yet(f"expected {len(scores)} numbers, one per logit; got {got}")
        if not all(_close(a, b) for a, b in zip(got, want, strict=True)):
            shown = [round(w, 4) for w in want]
            return _not_yet(
                f"for logits {scores} and target {target} you give {got}; the scalar engine "
                f"gives {shown}. Compare with softmax(logits) and the one-hot target."
            )
    return _right("your gradient is softmax(logits) - one_hot(target), as the engine finds.")
