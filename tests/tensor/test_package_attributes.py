"""``import minigrad.tensor as mt`` gives mt.nn, mt.nn.functional, mt.optim and mt.data."""

from __future__ import annotations

import subprocess
import sys

import pytest

import minigrad.tensor as mt


@pytest.mark.parametrize("name", ["nn", "optim", "data"])
def test_a_subpackage_is_an_attribute_of_the_package(name: str) -> None:
    module = getattr(mt, name)
    assert module is sys.modules[f"minigrad.tensor.{name}"]
    assert name in dir(mt)


def test_nn_functional_is_reachable_as_in_pytorch() -> None:
    assert mt.nn.functional.relu(mt.Tensor([-1.0, 2.0])).tolist() == [0.0, 2.0]


def test_an_unknown_attribute_names_itself() -> None:
    with pytest.raises(AttributeError, match="'nope'"):
        _ = mt.nope  # type: ignore[attr-defined]


def test_the_subpackages_load_only_when_first_used() -> None:
    probe = (
        "import sys, minigrad.tensor as mt; "
        "before = [m for m in ('nn', 'optim', 'data') if f'minigrad.tensor.{m}' in sys.modules]; "
        "mt.optim; print(before, 'minigrad.tensor.optim' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["[]", "True"]
