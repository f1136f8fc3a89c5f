"""Workload 9 compares like with like: microgpt's Value and MiniGrad's train the same GPT.

The benchmark's model code (benchmarks/gpt_step.py) runs with either Value
class; from the same initial weights both must give the same loss, step after
step (to rounding: microgpt divides as ``a * b**-1``), and so must MiniGrad
with ``linear`` for every weighted sum.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from minigrad.scalar import Value, linear

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCHMARKS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_microgpt_and_minigrad_values_give_the_same_losses_on_the_first_steps() -> None:
    gpt_step = _load("gpt_step")
    microgpt = _load("microgpt_reference")
    contenders = [
        gpt_step.GPTStep(microgpt.Value),
        gpt_step.GPTStep(Value),
        gpt_step.GPTStep(Value, dot=lambda w, x: linear(x, w)),
    ]
    for step in contenders:
        for _ in range(3):
            step()
    reference = contenders[0].losses
    assert len(reference) == 3
    assert reference[2] < reference[0]  # it trains
    for step in contenders[1:]:
        assert step.losses == pytest.approx(reference, rel=1e-10)
