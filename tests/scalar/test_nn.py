"""Neuron, Layer and MLP: shapes, parameters, activations, seeding and bad input."""

from __future__ import annotations

import random

import pytest

from minigrad.scalar import Value, nn


def test_neuron_has_nin_weights_and_a_bias() -> None:
    neuron = nn.Neuron(3, rng=random.Random(0))
    assert len(neuron.parameters()) == 4
    assert neuron.parameters()[-1] is neuron.b
    assert neuron.b.data == 0.0


def test_neuron_weights_are_uniform_in_minus_one_to_one() -> None:
    neuron = nn.Neuron(200, rng=random.Random(0))
    assert all(-1.0 <= w.data <= 1.0 for w in neuron.w)
    assert min(w.data for w in neuron.w) < -0.5 < 0.5 < max(w.data for w in neuron.w)


@pytest.mark.parametrize(
    ("activation", "expected"),
    [("linear", -2.0), ("relu", 0.0), ("tanh", -0.9640275800758169)],
)
def test_neuron_applies_its_activation(activation: str, expected: float) -> None:
    neuron = nn.Neuron(1, activation=activation, rng=random.Random(0))
    neuron.w[0].data = 1.0
    assert neuron([-2.0]).data == pytest.approx(expected)


def test_neuron_sigmoid_activation() -> None:
    neuron = nn.Neuron(1, activation="sigmoid", rng=random.Random(0))
    neuron.w[0].data = 0.0
    assert neuron([5.0]).data == 0.5


def test_neuron_computes_weighted_sum_plus_bias() -> None:
    neuron = nn.Neuron(2, activation="linear", rng=random.Random(0))
    neuron.w[0].data, neuron.w[1].data, neuron.b.data = 2.0, -1.0, 0.5
    assert neuron([3.0, 4.0]).data == 2.5


def test_neuron_accepts_values_and_floats_and_passes_gradients_to_value_inputs() -> None:
    neuron = nn.Neuron(2, activation="linear", rng=random.Random(0))
    x = Value(3.0)
    out = neuron([x, 4.0])
    out.backward()
    assert x.grad == neuron.w[0].data
    assert neuron.w[0].grad == 3.0
    assert neuron.w[1].grad == 4.0
    assert neuron.b.grad == 1.0


def test_unknown_activation_raises_value_error_listing_valid_ones() -> None:
    with pytest.raises(
        ValueError, match=r"unknown activation 'gelu'; valid activations: 'linear', 'relu'"
    ):
        nn.Neuron(2, activation="gelu")


def test_mlp_rejects_unknown_activation() -> None:
    with pytest.raises(ValueError, match="unknown activation"):
        nn.MLP(2, [3, 1], activation="swish")


def test_layer_rejects_wrong_number_of_inputs() -> None:
    layer = nn.Layer(2, 3, rng=random.Random(0))
    with pytest.raises(ValueError, match=r"^Layer expects 2 inputs, got 3$"):
        layer([1.0, 2.0, 3.0])


def test_neuron_rejects_wrong_number_of_inputs() -> None:
    with pytest.raises(ValueError, match=r"^Neuron expects 2 inputs, got 1$"):
        nn.Neuron(2, rng=random.Random(0))([1.0])


def test_mlp_rejects_wrong_number_of_inputs() -> None:
    with pytest.raises(ValueError, match=r"^MLP expects 2 inputs, got 3$"):
        nn.MLP(2, [4, 1], rng=random.Random(0))([1.0, 2.0, 3.0])


@pytest.mark.parametrize("nin", [0, -1])
def test_sizes_must_be_positive(nin: int) -> None:
    with pytest.raises(ValueError, match=f"Layer expects nin to be at least 1, got {nin}"):
        nn.Layer(nin, 2)


def test_sizes_must_be_ints() -> None:
    with pytest.raises(TypeError, match="Neuron expects nin to be an int, got float"):
        nn.Neuron(2.0)  # type: ignore[arg-type]


def test_mlp_needs_at_least_one_layer() -> None:
    with pytest.raises(ValueError, match="at least one layer"):
        nn.MLP(2, [])


def test_layer_returns_one_output_per_neuron() -> None:
    layer = nn.Layer(2, 3, rng=random.Random(0))
    outputs = layer([1.0, -1.0])
    assert len(outputs) == 3
    assert all(isinstance(o, Value) for o in outputs)


def test_mlp_output_length_is_last_layer_size() -> None:
    model = nn.MLP(3, [4, 2], rng=random.Random(0))
    assert len(model([1.0, 2.0, 3.0])) == 2


def test_mlp_parameter_count_matches_micrograd() -> None:
    model = nn.MLP(2, [16, 16, 1], rng=random.Random(0))
    assert len(model.parameters()) == (2 * 16 + 16) + (16 * 16 + 16) + (16 + 1) == 337


def test_mlp_hidden_layers_use_activation_and_last_layer_is_linear() -> None:
    model = nn.MLP(2, [3, 3, 1], activation="tanh", rng=random.Random(0))
    activations = [[n.activation for n in layer.neurons] for layer in model.layers]
    assert activations == [["tanh"] * 3, ["tanh"] * 3, ["linear"]]


def test_mlp_default_activation_is_relu() -> None:
    model = nn.MLP(2, [3, 1], rng=random.Random(0))
    assert model.layers[0].neurons[0].activation == "relu"


def test_same_rng_seed_gives_same_weights() -> None:
    first = nn.MLP(2, [4, 1], rng=random.Random(7))
    second = nn.MLP(2, [4, 1], rng=random.Random(7))
    assert [p.data for p in first.parameters()] == [p.data for p in second.parameters()]


def test_without_rng_weights_come_from_the_global_random_module() -> None:
    random.seed(3)
    first = nn.MLP(2, [4, 1])
    random.seed(3)
    second = nn.MLP(2, [4, 1])
    assert [p.data for p in first.parameters()] == [p.data for p in second.parameters()]


def test_zero_grad_sets_every_parameter_gradient_to_zero() -> None:
    model = nn.MLP(2, [3, 1], rng=random.Random(0))
    model([1.0, 2.0])[0].backward()
    assert any(p.grad != 0.0 for p in model.parameters())
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_module_base_has_no_parameters_and_no_forward() -> None:
    module = nn.Module()
    assert module.parameters() == []
    with pytest.raises(NotImplementedError):
        module([1.0])


def test_reprs_describe_the_architecture() -> None:
    model = nn.MLP(2, [3, 1], rng=random.Random(0))
    assert repr(model) == ("MLP(Layer(2, 3, activation='relu'), Layer(3, 1, activation='linear'))")
    assert repr(model.layers[0].neurons[0]) == "Neuron(2, activation='relu')"
