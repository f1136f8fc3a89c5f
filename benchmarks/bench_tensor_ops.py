"""Workload 3: the per-operation cost of the tensor engine on 8x8 float32 tensors.

Small tensors are where an engine's Python overhead shows: NumPy adds two 8x8
arrays in well under a microsecond, so everything above that is bookkeeping.
3b runs eagerly and compiled (``minigrad.tensor.compile``: the recorded plan,
replayed); ratios are to the compiled row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from harness import Row, compare, rows_for

from minigrad.tensor import Tensor
from minigrad.tensor.compile import compile


def run(torch: Any | None, rounds: int) -> list[Row]:
    rng = np.random.default_rng(0)
    a_np = rng.standard_normal((8, 8), dtype=np.float32)
    b_np = rng.standard_normal((8, 8), dtype=np.float32)
    a = Tensor(a_np, requires_grad=True)
    b = Tensor(b_np, requires_grad=True)

    def mg_add() -> object:
        return a + b

    def mg_mul_sum_backward() -> None:
        (a * b).sum().backward()

    @compile
    def mul_sum_backward(a: Tensor, b: Tensor) -> Tensor:
        loss = (a * b).sum()
        loss.backward()
        return loss  # returned, so the replay computes the forward too (a step reads its loss)

    def mg_compiled_mul_sum_backward() -> None:
        mul_sum_backward(a, b)

    def np_add() -> object:
        return a_np + b_np

    add = {"MiniGrad": mg_add, "NumPy (no autograd)": np_add}
    fwd_bwd: dict[str, Any] = {
        "MiniGrad compiled": mg_compiled_mul_sum_backward,
        "MiniGrad eager": mg_mul_sum_backward,
    }
    targets_add = {}
    targets_fb = {}
    if torch is not None:
        ta = torch.tensor(a_np, requires_grad=True)
        tb = torch.tensor(b_np, requires_grad=True)

        def torch_mul_sum_backward() -> None:
            (ta * tb).sum().backward()

        add["PyTorch"] = lambda: ta + tb
        fwd_bwd["PyTorch"] = torch_mul_sum_backward
        targets_add["PyTorch"] = (">= 2x slower than MiniGrad", lambda r: r >= 2.0)
        targets_fb["PyTorch"] = (">= 4x slower than MiniGrad compiled", lambda r: r >= 4.0)

    rows = rows_for(
        "3a. 8x8 float32 `a + b`, requires_grad",
        compare(add, rounds=rounds, number=2000),
        "MiniGrad",
        targets_add,
    )
    rows += rows_for(
        "3b. 8x8 float32 `(a * b).sum().backward()`",
        compare(fwd_bwd, rounds=rounds, number=500),
        "MiniGrad compiled",
        targets_fb,
    )
    return rows
