"""The scalar engine as oracle at model scale: one GPT, two engines, the same loss and gradients.

``minigrad.scalar.gpt.GPT`` (microgpt, every number a ``Value``) and
``minigrad.tensor.models.GPT`` configured alike (``GPTConfig.like_microgpt``,
float64) get the same weights; the loss of a name must agree to 1e-10 and the
gradient of every parameter element to 1e-8 relative.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from minigrad.tensor import Tensor
from minigrad.tensor.models import GPT, GPTConfig

scalar_gpt = pytest.importorskip("minigrad.scalar.gpt")

CHARS = "abeilmnorst"
NAMES = ["emma", "mia", "liam", "tobias", "nora", "a"]


def _matrix(rows: Any) -> np.ndarray:
    return np.array([[v.data for v in row] for row in rows], dtype=np.float64)


def _gradient(rows: Any) -> np.ndarray:
    return np.array([[v.grad for v in row] for row in rows], dtype=np.float64)


def _tensor_name_of(scalar_name: str) -> str:
    """Where a scalar parameter lives in the tensor GPT (the q, k, v rows share c_attn)."""
    if scalar_name in ("wte", "wpe"):
        return f"transformer.{scalar_name}.weight"
    if scalar_name == "lm_head":
        return "lm_head.weight"
    layer, part = scalar_name.split(".")
    index = layer.removeprefix("layer")
    return {
        "attn_wo": f"transformer.h.{index}.attn.c_proj.weight",
        "mlp_fc1": f"transformer.h.{index}.mlp.c_fc.weight",
        "mlp_fc2": f"transformer.h.{index}.mlp.c_proj.weight",
    }.get(part, f"transformer.h.{index}.attn.c_attn.weight")


def _rows_of(scalar_name: str) -> slice:
    """The rows of the tensor parameter that hold a scalar matrix (q, k, v: thirds of c_attn)."""
    part = scalar_name.rpartition(".")[2]
    third = {"attn_wq": 0, "attn_wk": 1, "attn_wv": 2}.get(part)
    return slice(None) if third is None else slice(third, third + 1)


def _twins(activation: str, n_layer: int) -> tuple[Any, GPT]:
    scalar = scalar_gpt.GPT(
        chars=CHARS,
        n_embd=8,
        n_head=2,
        n_layer=n_layer,
        block_size=8,
        activation=activation,
        seed=3,
    )
    config = GPTConfig.like_microgpt(
        vocab_size=scalar.vocab_size,
        block_size=scalar.block_size,
        n_layer=n_layer,
        n_head=2,
        n_embd=8,
        activation=activation,
        dtype="float64",
    )
    tensor = GPT(config)
    parameters = dict(tensor.named_parameters())
    assert {_tensor_name_of(name) for name in scalar.params} == set(parameters)
    for name, rows in scalar.params.items():
        target = parameters[_tensor_name_of(name)]
        part = _rows_of(name)
        if part == slice(None):
            target.data[...] = _matrix(rows)
        else:
            n = config.n_embd
            target.data[part.start * n : (part.start + 1) * n] = _matrix(rows)
    return scalar, tensor


def _tensor_loss(tensor: GPT, scalar: Any, name: str) -> Tensor:
    tokens = scalar.encode(name)
    n = min(scalar.block_size, len(tokens) - 1)
    idx = np.array([tokens[:n]], dtype=np.int64)
    targets = np.array([tokens[1 : n + 1]], dtype=np.int64)
    _, loss = tensor(idx, targets)
    assert loss is not None
    return loss


@pytest.mark.parametrize("activation", ["relu", "gelu_tanh"])
@pytest.mark.parametrize("name", NAMES)
def test_the_tensor_gpt_gives_the_scalar_gpts_loss_and_every_gradient(
    activation: str, name: str
) -> None:
    scalar, tensor = _twins(activation, n_layer=2)
    scalar_loss = scalar.loss(name)
    scalar_loss.backward()
    tensor_loss = _tensor_loss(tensor, scalar, name)
    tensor_loss.backward()
    assert abs(tensor_loss.item() - scalar_loss.data) <= 1e-10
    parameters = dict(tensor.named_parameters())
    n = tensor.config.n_embd
    for scalar_name, rows in scalar.params.items():
        grad = parameters[_tensor_name_of(scalar_name)].grad
        assert grad is not None
        part = _rows_of(scalar_name)
        got = grad if part == slice(None) else grad[part.start * n : (part.start + 1) * n]
        expected = _gradient(rows)
        np.testing.assert_allclose(
            got, expected, rtol=1e-8, atol=1e-12, err_msg=f"gradient of {scalar_name}"
        )


def test_a_name_longer_than_the_block_is_cut_alike() -> None:
    scalar, tensor = _twins("relu", n_layer=1)
    name = "seraminaroseliamtobias"[: scalar.block_size + 3]
    assert abs(_tensor_loss(tensor, scalar, name).item() - scalar.loss(name).data) <= 1e-10
