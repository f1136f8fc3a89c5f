"""No differentiable public operation can skip the oracle: each must be in the op table.

The public surface is read from the package itself: the Tensor's public methods,
operators and properties, the public functions of ``minigrad.tensor`` and of
``minigrad.tensor.nn.functional``. Whatever is not in the op table must be in
one of the documented non-differentiable lists of ``op_table``, and those lists
name only things that exist. Every op in the table also runs on the scalar
adapter (``ScalarArray`` and its function modules), or the oracle could not check it.
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
from minigrad.tensor.testing import ScalarArray, scalar_functional, scalar_functions


def _tensor_attributes() -> set[str]:
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
    return names


def _tensor_surface() -> set[str]:
    return {f"Tensor.{name}" for name in _tensor_attributes() - NOT_DIFFERENTIABLE_TENSOR}


def _public_functions(module: object) -> set[str]:
    public = getattr(module, "__all__", [n for n in dir(module) if not n.startswith("_")])
    return {name for name in public if inspect.isfunction(getattr(module, name))}


def _function_surface(module: object, prefix: str, excluded: set[str]) -> set[str]:
    return {f"{prefix}{name}" for name in _public_functions(module) - excluded}


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


def test_the_exclusion_lists_name_only_what_exists() -> None:
    stale = sorted(
        {f"Tensor.{n}" for n in NOT_DIFFERENTIABLE_TENSOR - _tensor_attributes()}
        | (NOT_DIFFERENTIABLE_FUNCTIONS - set(minigrad.tensor.__all__))
        | {f"nn.functional.{n}" for n in NOT_DIFFERENTIABLE_FUNCTIONAL - set(functional.__all__)}
    )
    assert not stale, f"tests/cross/op_table.py excludes names the package does not have: {stale}"


def _scalar_counterpart_exists(name: str) -> bool:
    if name.startswith("Tensor."):
        return hasattr(ScalarArray, name.removeprefix("Tensor."))
    if name.startswith("nn.functional."):
        return name.removeprefix("nn.functional.") in scalar_functional.__all__
    return name in scalar_functions.__all__


def test_every_op_in_the_table_runs_on_the_scalar_adapter() -> None:
    missing = sorted(name for name in _covered() if not _scalar_counterpart_exists(name))
    assert not missing, (
        f"ops without a scalar counterpart, so the scalar oracle cannot check them: {missing} "
        "(a one-input elementwise op gets one from its ScalarRule; otherwise add a method to "
        "minigrad/tensor/testing/scalar_array.py or a function to scalar_functions.py / "
        "scalar_functional.py)"
    )


def test_case_names_are_unique() -> None:
    names = [case.name for case in CASES]
    assert len(names) == len(set(names))
