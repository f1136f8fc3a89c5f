"""Every public method of minigrad.scalar.Value exists on Tensor with the same meaning."""

from __future__ import annotations

import operator
from collections.abc import Callable

import pytest

from minigrad.tensor import Tensor

scalar = pytest.importorskip("minigrad.scalar")
Value = scalar.Value

UNARY_METHODS = ["exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs"]
BINARY_OPERATORS: list[Callable[[object, object], object]] = [
    operator.add,
    operator.sub,
    operator.mul,
    operator.truediv,
    operator.pow,
]
COMPARISONS = [operator.lt, operator.le, operator.gt, operator.ge]


def _public_value_names() -> set[str]:
    return {name for name in dir(Value) if not name.startswith("_")} - {"data", "grad", "label"}


def test_every_public_value_method_exists_on_tensor() -> None:
    missing = sorted(name for name in _public_value_names() if not hasattr(Tensor, name))
    assert not missing, f"Tensor lacks Value's {missing}"


def test_every_value_operator_exists_on_tensor() -> None:
    dunders = {name for name in vars(Value) if name.startswith("__") and name.endswith("__")}
    operators = dunders - {
        "__init__",
        "__repr__",
        "__slots__",
        "__doc__",
        "__module__",
        "__weakref__",
        "__annotations__",
    }
    missing = sorted(name for name in operators if not hasattr(Tensor, name))
    assert not missing, f"Tensor lacks Value's {missing}"


@pytest.mark.parametrize("name", UNARY_METHODS)
@pytest.mark.parametrize("x", [-1.3, 0.4, 2.5])
def test_unary_methods_agree_in_value_and_gradient(name: str, x: float) -> None:
    if name in ("log", "sqrt"):
        x = abs(x)  # inside the domain
    v = Value(x)
    out_v = getattr(v, name)()
    out_v.backward()
    t = Tensor(x, dtype="float64", requires_grad=True)
    out_t = getattr(t, name)()
    out_t.backward()
    assert out_t.item() == pytest.approx(out_v.data, rel=1e-12, abs=1e-15)
    assert t.grad is not None
    assert t.grad.item() == pytest.approx(v.grad, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("op", BINARY_OPERATORS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("x", "y"), [(1.5, 0.5), (2.0, -1.25), (0.75, 3.0)])
def test_binary_operators_agree_in_value_and_gradients(op, x: float, y: float) -> None:
    vx, vy = Value(x), Value(y)
    out_v = op(vx, vy)
    out_v.backward()
    tx = Tensor(x, dtype="float64", requires_grad=True)
    ty = Tensor(y, dtype="float64", requires_grad=True)
    out_t = op(tx, ty)
    out_t.backward()
    assert out_t.item() == pytest.approx(out_v.data, rel=1e-12)
    assert tx.grad is not None
    assert tx.grad.item() == pytest.approx(vx.grad, rel=1e-12)
    assert ty.grad is not None
    assert ty.grad.item() == pytest.approx(vy.grad, rel=1e-12)


@pytest.mark.parametrize("op", BINARY_OPERATORS, ids=lambda f: f.__name__)
def test_operators_with_a_python_number_on_either_side_agree(op) -> None:
    for make in (lambda a: op(a, 1.5), lambda a: op(1.5, a)):
        v = Value(0.8)
        out_v = make(v)
        out_v.backward()
        t = Tensor(0.8, dtype="float64", requires_grad=True)
        out_t = make(t)
        out_t.backward()
        assert out_t.item() == pytest.approx(out_v.data, rel=1e-12)
        assert t.grad is not None
        assert t.grad.item() == pytest.approx(v.grad, rel=1e-12)


def test_negation_and_builtin_abs_agree() -> None:
    v = Value(-2.0)
    out_v = abs(-v)
    out_v.backward()
    t = Tensor(-2.0, dtype="float64", requires_grad=True)
    out_t = abs(-t)
    out_t.backward()
    assert out_t.item() == out_v.data
    assert t.grad is not None
    assert t.grad.item() == v.grad


@pytest.mark.parametrize("op", COMPARISONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize(("x", "y"), [(1.0, 2.0), (2.0, 2.0), (3.0, 2.0)])
def test_comparisons_agree(op, x: float, y: float) -> None:
    assert bool(op(Tensor(x), Tensor(y))) == op(Value(x), Value(y))
    assert bool(op(Tensor(x), y)) == op(Value(x), y)
