"""The package's promises about itself: docstring examples run, the public API is exported."""

from __future__ import annotations

import doctest
import importlib

import pytest

import minigrad.scalar

MODULES = [
    "__init__",
    "engine",
    "grad_mode",
    "operands",
    "powers",
    "comparisons",
    "fused",
    "nn",
    "optim",
    "data",
    "graph",
    "demo",
    "gpt",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    module_name = "minigrad.scalar" if name == "__init__" else f"minigrad.scalar.{name}"
    module = importlib.import_module(module_name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_package_exports_the_documented_names() -> None:
    assert sorted(minigrad.scalar.__all__) == sorted(
        ["Value", "linear", "no_grad", "is_grad_enabled", "to_dot", "nn", "optim", "data"]
    )
    for name in minigrad.scalar.__all__:
        assert hasattr(minigrad.scalar, name)


def test_minigrad_is_a_namespace_package() -> None:
    import minigrad

    assert getattr(minigrad, "__file__", None) is None
