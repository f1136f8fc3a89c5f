"""No differentiable public operation can skip the oracle: each must be in the op table.

The public surface is read from the package itself: the Tensor's public methods,
operators and properties, the public functions of ``minigrad.tensor`` and of
``minigrad.tensor.nn.functional``. Whatever is not in the op table must be in
one of the documented non-differentiable lists of ``op_table``.
"""

from __future__ import annotations

import inspect

from op_table import (
    CASES,
    NOT_DIFFERENTIABLE_FUNCTIONAL,
    NOT_DIFFERENTIABLE_FUNCTIONS,
    NOT_DIFFERENTIABLE_TENSOR,
)

import minigrad.tensor
import minigrad.tensor.nn.functional as functional
from minigrad.tensor import Tensor


def _tensor_surface() -> set[str]:
    names: set[str] = set()
    for klass in Tensor.__mro__[:-1]:  # everything but ``object``
        for name, value in vars(klass).items():
            is_dunder = name.startswith("__") and name.endswith("__")
            if name.startswith("_") and not is_dunder:
                continue
            if is_dunder and not (callable(value) or isinstance(value, property)):
                continue  # __slots__, __doc__, __array_priority__ ...
            if name in ("__weakref__", "__module__", "__annotations__", "__dict__"):
                continue
            names.add(name)
    return {f"Tensor.{name}" for name in names - NOT_DIFFERENTIABLE_TENSOR}


def _function_surface(module: object, prefix: str, excluded: set[str]) -> set[str]:
    public = getattr(module, "__all__", [n for n in dir(module) if not n.startswith("_")])
    return {
        f"{prefix}{name}"
        for name in public
        if name not in excluded and inspect.isfunction(getattr(module, name))
    }


def _covered() -> set[str]:
    return {name for case in CASES for name in case.covers}


def test_every_differentiable_tensor_method_is_in_the_op_table() -> None:
    missing = sorted(_tensor_surface() - _covered())
    assert not missing, (
        f"differentiable Tensor attributes missing from tests/cross/op_table.py: {missing} "
        "(add a Case, or list them in NOT_DIFFERENTIABLE_TENSOR with the reason)"
    )


def test_every_differentiable_tensor_function_is_in_the_op_table() -> None:
    surface = _function_surface(minigrad.tensor, "", NOT_DIFFERENTIABLE_FUNCTIONS)
    missing = sorted(surface - _covered())
    assert not missing, (
        f"differentiable functions of minigrad.tensor missing from the op table: {missing} "
        "(add a Case, or list them in NOT_DIFFERENTIABLE_FUNCTIONS with the reason)"
    )


def test_every_nn_functional_op_is_in_the_op_table() -> None:
    surface = _function_surface(functional, "nn.functional.", NOT_DIFFERENTIABLE_FUNCTIONAL)
    missing = sorted(surface - _covered())
    assert not missing, (
        f"nn.functional ops missing from the op table: {missing} "
        "(add a Case, or list them in NOT_DIFFERENTIABLE_FUNCTIONAL with the reason)"
    )


def test_the_op_table_names_only_operations_that_exist() -> None:
    surface = (
        _tensor_surface()
        | _function_surface(minigrad.tensor, "", NOT_DIFFERENTIABLE_FUNCTIONS)
        | _function_surface(functional, "nn.functional.", NOT_DIFFERENTIABLE_FUNCTIONAL)
    )
    stale = sorted(_covered() - surface)
    assert not stale, f"the op table covers names the package does not have: {stale}"


def test_case_names_are_unique() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
