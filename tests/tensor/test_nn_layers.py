"""Layers: shapes, values against NumPy, default initialisation, train/eval behaviour."""

from __future__ import annotations

import math

import numpy as np
import pytest

from minigrad.tensor import Tensor, manual_seed, nn

RNG = np.random.default_rng(5)


def float32(*shape: int) -> Tensor:
    return Tensor(RNG.standard_normal(shape).astype(np.float32))


# -------------------------------------------------------------------- Linear


def test_linear_has_pytorch_shapes_and_computes_affine_map() -> None:
    layer = nn.Linear(3, 2)
    assert layer.weight.shape == (2, 3)
    assert layer.bias is not None
    assert layer.bias.shape == (2,)
    x = float32(4, 3)
    np.testing.assert_allclose(
        layer(x).data, x.data @ layer.weight.data.T + layer.bias.data, rtol=1e-6
    )


def test_linear_default_init_is_uniform_within_one_over_sqrt_fan_in() -> None:
    layer = nn.Linear(50, 400)
    bound = 1 / math.sqrt(50)
    for param in (layer.weight, layer.bias):
        assert param is not None
        assert np.abs(param.data).max() <= bound
        assert np.abs(param.data).max() > 0.9 * bound  # spread over the whole range


def test_linear_without_bias_has_no_bias_entry() -> None:
    layer = nn.Linear(3, 2, bias=False)
    assert layer.bias is None
    assert list(layer.state_dict()) == ["weight"]
    assert "bias=False" in repr(layer)


def test_linear_dtype_argument() -> None:
    assert nn.Linear(2, 2).weight.dtype == np.float32
    assert nn.Linear(2, 2, dtype=np.float64).weight.dtype == np.float64
    with pytest.raises(TypeError, match="floating type, got int32"):
        nn.Linear(2, 2, dtype=np.int32)


def test_linear_rejects_non_positive_sizes() -> None:
    with pytest.raises(ValueError, match="in_features must be at least 1, got 0"):
        nn.Linear(0, 2)


def test_same_seed_gives_same_initialisation() -> None:
    manual_seed(123)
    first = nn.MLP(4, [8, 3]).state_dict()
    manual_seed(123)
    second = nn.MLP(4, [8, 3]).state_dict()
    for key in first:
        np.testing.assert_array_equal(first[key], second[key])
    manual_seed(124)
    assert not np.array_equal(nn.MLP(4, [8, 3]).state_dict()["0.weight"], first["0.weight"])


# -------------------------------------------------------------------- Conv2d


def test_conv2d_weight_layout_and_output_shape() -> None:
    conv = nn.Conv2d(3, 5, kernel_size=(3, 2), stride=2, padding=1)
    assert conv.weight.shape == (5, 3, 3, 2)
    assert conv.bias is not None
    assert conv.bias.shape == (5,)
    assert conv(float32(2, 3, 8, 9)).shape == (2, 5, 4, 5)  # (8+2-3)//2+1, (9+2-2)//2+1


def test_conv2d_default_init_bound_uses_fan_in_of_the_kernel() -> None:
    conv = nn.Conv2d(4, 64, 3)
    bound = 1 / math.sqrt(4 * 3 * 3)
    assert np.abs(conv.weight.data).max() <= bound
    assert np.abs(conv.weight.data).max() > 0.9 * bound


def test_conv2d_of_one_by_one_kernel_is_a_per_pixel_linear_map() -> None:
    conv = nn.Conv2d(3, 2, 1)
    x = float32(2, 3, 4, 4)
    expected = np.einsum("nchw,oc->nohw", x.data, conv.weight.data[:, :, 0, 0])
    assert conv.bias is not None
    expected += conv.bias.data[None, :, None, None]
    np.testing.assert_allclose(conv(x).data, expected, rtol=1e-5, atol=1e-6)


# ------------------------------------------------------------------- Pooling


def test_pool_layers_halve_spatial_size() -> None:
    x = float32(1, 2, 6, 6)
    assert nn.MaxPool2d(2)(x).shape == (1, 2, 3, 3)
    assert nn.AvgPool2d(2)(x).shape == (1, 2, 3, 3)
    # float32 sums in another order (a matrix product): atol for means that nearly cancel.
    expected = x.data.reshape(1, 2, 3, 2, 3, 2).mean(axis=(3, 5))
    np.testing.assert_allclose(nn.AvgPool2d(2)(x).data, expected, rtol=1e-6, atol=1e-6)


# ------------------------------------------------------------------- Flatten


def test_flatten_keeps_the_batch_axis() -> None:
    assert nn.Flatten()(float32(2, 3, 4, 5)).shape == (2, 60)
    assert nn.Flatten(0, 1)(float32(2, 3, 4)).shape == (6, 4)


# ------------------------------------------------------------------- Dropout


def test_dropout_is_active_in_training_and_identity_in_eval() -> None:
    drop = nn.Dropout(0.5)
    x = Tensor(np.ones((50, 50), dtype=np.float32))
    trained = drop(x).data
    assert set(np.unique(trained).tolist()) == {0.0, 2.0}
    drop.eval()
    assert drop(x) is x


def test_dropout_draws_from_the_seeded_generator() -> None:
    x = Tensor(np.ones(100, dtype=np.float32))
    manual_seed(9)
    first = nn.Dropout(0.3)(x).data
    manual_seed(9)
    np.testing.assert_array_equal(nn.Dropout(0.3)(x).data, first)


# ----------------------------------------------------------------- BatchNorm


def test_batchnorm2d_training_normalizes_and_tracks_running_stats() -> None:
    bn = nn.BatchNorm2d(3, momentum=0.5)
    x = Tensor((RNG.standard_normal((8, 3, 4, 4)) * 3 + 1).astype(np.float64))
    bn.double()
    out = bn(x).data
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0.0, atol=1e-12)
    assert bn.running_mean is not None
    assert bn.running_var is not None
    np.testing.assert_allclose(bn.running_mean.data, 0.5 * x.data.mean(axis=(0, 2, 3)))
    unbiased = x.data.var(axis=(0, 2, 3), ddof=1)
    np.testing.assert_allclose(bn.running_var.data, 0.5 + 0.5 * unbiased)
    assert bn.state_dict()["num_batches_tracked"] == 1


def test_batchnorm_eval_uses_running_stats() -> None:
    bn = nn.BatchNorm1d(2, dtype=np.float64)
    bn.load_state_dict(
        {
            "weight": np.array([2.0, 1.0]),
            "bias": np.array([0.0, 1.0]),
            "running_mean": np.array([1.0, -1.0]),
            "running_var": np.array([4.0, 1.0]),
            "num_batches_tracked": np.array(5),
        }
    )
    bn.eval()
    x = np.array([[3.0, 0.0], [1.0, -1.0]])
    expected = (x - [1.0, -1.0]) / np.sqrt(np.array([4.0, 1.0]) + bn.eps) * [2.0, 1.0] + [0.0, 1.0]
    np.testing.assert_allclose(bn(Tensor(x)).data, expected)
    assert bn.state_dict()["num_batches_tracked"] == 5


def test_batchnorm_momentum_none_keeps_a_cumulative_average() -> None:
    bn = nn.BatchNorm1d(1, momentum=None, dtype=np.float64)
    batches = [np.array([[1.0], [3.0]]), np.array([[5.0], [9.0]]), np.array([[0.0], [2.0]])]
    for batch in batches:
        bn(Tensor(batch))
    assert bn.running_mean is not None
    np.testing.assert_allclose(bn.running_mean.data, [np.mean([2.0, 7.0, 1.0])])


def test_batchnorm_without_running_stats_always_uses_batch_stats() -> None:
    bn = nn.BatchNorm1d(2, track_running_stats=False, affine=False).eval()
    out = bn(Tensor(np.array([[1.0, 2.0], [3.0, 6.0]], dtype=np.float32))).data
    np.testing.assert_allclose(out, [[-1.0, -1.0], [1.0, 1.0]], rtol=1e-4)
    assert list(bn.state_dict()) == []


def test_batchnorm_names_channel_mismatch() -> None:
    with pytest.raises(ValueError, match=r"expected 3 channels.*\(2, 4\)"):
        nn.BatchNorm1d(3)(float32(2, 4))


def test_batchnorm2d_rejects_2d_input() -> None:
    with pytest.raises(ValueError, match=r"\(N, C, H, W\), got \(2, 4\)"):
        nn.BatchNorm2d(4)(float32(2, 4))


# ----------------------------------------------------------------- LayerNorm


def test_layernorm_parameters_and_normalization() -> None:
    ln = nn.LayerNorm((2, 3))
    assert {k: v.shape for k, v in ln.state_dict().items()} == {
        "weight": (2, 3),
        "bias": (2, 3),
    }
    out = ln(float32(4, 2, 3)).data
    np.testing.assert_allclose(out.reshape(4, 6).mean(axis=1), 0.0, atol=1e-6)


# ----------------------------------------------------------------- Embedding


def test_embedding_layer_looks_up_rows() -> None:
    table = nn.Embedding(10, 4)
    assert table.weight.shape == (10, 4)
    idx = np.array([[1, 9], [1, 0]])
    np.testing.assert_array_equal(table(idx).data, table.weight.data[idx])


# --------------------------------------------------------------- activations


@pytest.mark.parametrize(
    ("module", "reference"),
    [
        (nn.ReLU(), lambda x: np.maximum(x, 0)),
        (nn.Tanh(), np.tanh),
        (nn.Sigmoid(), lambda x: 1 / (1 + np.exp(-x))),
        (nn.LeakyReLU(0.2), lambda x: np.where(x > 0, x, 0.2 * x)),
        (nn.GELU(), lambda x: x * 0.5 * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))),
        (nn.Softplus(), lambda x: np.log1p(np.exp(x))),
        (nn.Softmax(axis=1), lambda x: np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)),
        (nn.LogSoftmax(axis=1), lambda x: x - np.log(np.exp(x).sum(axis=1, keepdims=True))),
    ],
    ids=lambda v: type(v).__name__,
)
def test_activation_module_matches_numpy(module: nn.Module, reference: object) -> None:
    x = RNG.standard_normal((3, 4))
    assert callable(reference)
    np.testing.assert_allclose(module(Tensor(x)).data, reference(x), rtol=1e-6, atol=1e-12)


# ---------------------------------------------------------------- containers


def test_sequential_indexing_slicing_and_append() -> None:
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU())
    assert isinstance(model[0], nn.Linear)
    assert isinstance(model[-1], nn.ReLU)
    assert len(model[:1]) == 1
    model.append(nn.Linear(3, 1))
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    assert model(float32(5, 2)).shape == (5, 1)


def test_sequential_rejects_non_modules() -> None:
    with pytest.raises(TypeError, match="element 1 must be a Module, got function"):
        nn.Sequential(nn.ReLU(), lambda x: x)  # type: ignore[arg-type]


def test_sequential_index_out_of_range() -> None:
    with pytest.raises(IndexError, match="index 2 is out of range for 2 modules"):
        nn.Sequential(nn.ReLU(), nn.ReLU())[2]


def test_module_list_registers_its_modules() -> None:
    class Stack(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])

    names = list(Stack().state_dict())
    assert names == ["layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"]


def test_module_list_insert_renumbers() -> None:
    layers = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    layers.insert(1, nn.Sigmoid())
    assert [type(m).__name__ for m in layers] == ["ReLU", "Sigmoid", "Tanh"]
    assert [name for name, _ in layers.named_children()] == ["0", "1", "2"]


def test_mlp_matches_scalar_signature_and_pytorch_names() -> None:
    model = nn.MLP(64, [128, 10], activation="tanh")
    assert [type(m).__name__ for m in model] == ["Linear", "Tanh", "Linear"]
    assert {k: v.shape for k, v in model.state_dict().items()} == {
        "0.weight": (128, 64),
        "0.bias": (128,),
        "2.weight": (10, 128),
        "2.bias": (10,),
    }


def test_mlp_rejects_unknown_activation() -> None:
    with pytest.raises(ValueError, match="unknown activation 'swish'"):
        nn.MLP(2, [2], activation="swish")


def test_small_cnn_trains_end_to_end_one_step() -> None:
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.BatchNorm2d(4),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Dropout(0.1),
        nn.Linear(4 * 4 * 4, 10),
    )
    x = float32(6, 1, 8, 8)
    out = model(x)
    assert out.shape == (6, 10)
    loss = nn.functional.cross_entropy(out, np.arange(6))
    loss.backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in model.parameters())
