"""load_scalar_weights: the scalar GPT's weights in the tensor GPT, its gradients back alike."""

from __future__ import annotations

import doctest
from typing import Any

import numpy as np
import pytest

from minigrad.tensor.models import scalar_weights
from minigrad.tensor.models.gpt import GPT, GPTConfig
from minigrad.tensor.models.scalar_weights import (
    load_scalar_weights,
    scalar_layout,
    scalar_layout_gradients,
)

scalar_gpt = pytest.importorskip("minigrad.scalar.gpt")


def _pair(n_layer: int = 2) -> tuple[Any, GPT]:
    scalar = scalar_gpt.GPT(chars="aeilmnor", n_embd=8, n_head=2, n_layer=n_layer, block_size=6)
    config = GPTConfig.like_microgpt(
        vocab_size=scalar.vocab_size,
        block_size=6,
        n_layer=n_layer,
        n_head=2,
        n_embd=8,
        dtype="float64",
    )
    return scalar, GPT(config)


def test_the_layout_names_every_scalar_matrix_in_order_and_covers_the_tensor_gpt() -> None:
    scalar, tensor = _pair()
    layout = scalar_layout(tensor.config)
    assert list(layout) == list(scalar.params)
    assert {name for name, _ in layout.values()} == set(dict(tensor.named_parameters()))


def test_loaded_weights_read_back_as_the_scalar_gpts() -> None:
    scalar, tensor = _pair()
    load_scalar_weights(tensor, scalar.params)
    parameters = dict(tensor.named_parameters())
    for name, (tensor_name, rows) in scalar_layout(tensor.config).items():
        expected = [[v.data for v in row] for row in scalar.params[name]]
        assert np.array_equal(parameters[tensor_name].data[rows], expected), name


def test_loaded_twins_give_the_same_loss_and_gradients_in_the_scalar_layout() -> None:
    scalar, tensor = _pair(n_layer=1)
    load_scalar_weights(tensor, scalar.params)
    tokens = scalar.encode("lionel")
    scalar_loss = scalar.loss("lionel")
    scalar_loss.backward()
    _, loss = tensor(np.array([tokens[:6]]), np.array([tokens[1:7]]))
    assert loss is not None
    loss.backward()
    assert abs(loss.item() - scalar_loss.data) <= 1e-10
    gradients = scalar_layout_gradients(tensor)
    assert list(gradients) == list(scalar.params)
    for name, rows in scalar.params.items():
        expected = np.array([[v.grad for v in row] for row in rows])
        np.testing.assert_allclose(gradients[name], expected, rtol=1e-8, atol=1e-12)


def test_plain_numbers_load_as_well_as_values() -> None:
    scalar, tensor = _pair(n_layer=1)
    numbers = {
        name: [[v.data for v in row] for row in rows] for name, rows in scalar.params.items()
    }
    load_scalar_weights(tensor, numbers)
    assert tensor.lm_head.weight.data[0, 0] == scalar.params["lm_head"][0][0].data


def test_a_tensor_gpt_with_biases_is_refused_naming_the_extra_parameters() -> None:
    scalar, _ = _pair(n_layer=1)
    config = GPTConfig(vocab_size=scalar.vocab_size, block_size=6, n_layer=1, n_head=2, n_embd=8)
    with pytest.raises(ValueError, match=r"c_attn\.bias.*like_microgpt"):
        load_scalar_weights(GPT(config), scalar.params)


def test_a_missing_matrix_is_named() -> None:
    scalar, tensor = _pair(n_layer=1)
    params = dict(scalar.params)
    del params["wpe"]
    with pytest.raises(ValueError, match=r"missing \['wpe'\]"):
        load_scalar_weights(tensor, params)


def test_a_matrix_of_the_wrong_shape_is_named_with_both_shapes() -> None:
    scalar, tensor = _pair(n_layer=1)
    params = dict(scalar.params)
    params["lm_head"] = params["lm_head"][:-1]
    with pytest.raises(ValueError, match=r"lm_head: expected a matrix of shape \(9, 8\).*\(8, 8\)"):
        load_scalar_weights(tensor, params)


def test_gradients_before_backward_are_refused() -> None:
    _, tensor = _pair(n_layer=1)
    with pytest.raises(ValueError, match="backward"):
        scalar_layout_gradients(tensor)


def test_docstring_examples_run() -> None:
    assert doctest.testmod(scalar_weights, optionflags=doctest.ELLIPSIS).failed == 0
