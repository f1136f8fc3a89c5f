"""The transformer layers (MultiheadAttention, RMSNorm, ModuleDict, Embedding's padding_idx),
sampling (multinomial, sample_logits) and the GPT model, against plain NumPy definitions."""

from __future__ import annotations

import numpy as np
import pytest

from minigrad.tensor import Tensor, manual_seed, multinomial, nn, sample_logits
from minigrad.tensor.models import GPT, GPTConfig
from minigrad.tensor.nn import functional as F
from minigrad.tensor.testing import gradcheck


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def _mha_reference(
    layer: nn.MultiheadAttention, q: np.ndarray, kv: np.ndarray, blocked: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's MultiheadAttention for batch-first input, written out in NumPy."""
    e, h = layer.embed_dim, layer.num_heads
    w, b = layer.in_proj_weight.data, layer.in_proj_bias.data
    project = [
        x @ w[i * e : (i + 1) * e].T + b[i * e : (i + 1) * e] for i, x in enumerate((q, kv, kv))
    ]
    n, length, source = q.shape[0], q.shape[1], kv.shape[1]
    heads = [p.reshape(n, -1, h, e // h).transpose(0, 2, 1, 3) for p in project]
    scores = heads[0] @ heads[1].transpose(0, 1, 3, 2) / np.sqrt(e // h)
    if blocked is not None:
        scores = np.where(blocked, -np.inf, scores)
    weights = _softmax(scores)
    merged = (weights @ heads[2]).transpose(0, 2, 1, 3).reshape(n, length, e)
    out = merged @ layer.out_proj.weight.data.T + layer.out_proj.bias.data
    assert weights.shape == (n, h, length, source)
    return out, weights.mean(axis=1)


@pytest.mark.parametrize("need_weights", [True, False])
@pytest.mark.parametrize("masked", [False, True])
def test_multihead_attention_matches_its_definition(need_weights: bool, masked: bool) -> None:
    manual_seed(0)
    layer = nn.MultiheadAttention(8, 2, batch_first=True, dtype=np.float64)
    layer.in_proj_bias.data[:] = np.random.default_rng(1).standard_normal(24)
    rng = np.random.default_rng(0)
    q, kv = rng.standard_normal((3, 4, 8)), rng.standard_normal((3, 5, 8))
    blocked = np.triu(np.ones((4, 5), dtype=bool), 1) if masked else None
    out, weights = layer(
        Tensor(q), Tensor(kv), Tensor(kv), need_weights=need_weights, attn_mask=blocked
    )
    expected, expected_weights = _mha_reference(layer, q, kv, blocked)
    np.testing.assert_allclose(out.data, expected, rtol=1e-10, atol=1e-12)
    if need_weights:
        np.testing.assert_allclose(weights.data, expected_weights, rtol=1e-10, atol=1e-12)
    else:
        assert weights is None


def test_multihead_attention_has_pytorchs_parameter_names_and_layout() -> None:
    layer = nn.MultiheadAttention(6, 3)
    shapes = {name: value.shape for name, value in layer.state_dict().items()}
    assert shapes == {
        "in_proj_weight": (18, 6),
        "in_proj_bias": (18,),
        "out_proj.weight": (6, 6),
        "out_proj.bias": (6,),
    }
    assert not layer.in_proj_bias.data.any()
    assert not layer.out_proj.bias.data.any()


def test_multihead_attention_sequence_first_is_batch_first_transposed() -> None:
    manual_seed(0)
    first = nn.MultiheadAttention(4, 2, dtype=np.float64)
    x = np.random.default_rng(0).standard_normal((5, 2, 4))
    out, _ = first(Tensor(x), Tensor(x), Tensor(x))
    batch = nn.MultiheadAttention(4, 2, batch_first=True, dtype=np.float64)
    batch.load_state_dict(first.state_dict())
    swapped = Tensor(x.transpose(1, 0, 2).copy())
    out_batch, _ = batch(swapped, swapped, swapped)
    np.testing.assert_allclose(out.data.transpose(1, 0, 2), out_batch.data, rtol=1e-12)


def test_multihead_attention_gradients_match_central_differences() -> None:
    manual_seed(0)
    layer = nn.MultiheadAttention(4, 2, batch_first=True, dtype=np.float64)
    x = Tensor(np.random.default_rng(0).standard_normal((2, 3, 4)), requires_grad=True)
    mask = np.zeros((2, 3), dtype=bool)
    mask[1, 2] = True
    assert gradcheck(lambda t: layer(t, t, t, key_padding_mask=mask, need_weights=False)[0], (x,))


def test_multihead_attention_refuses_options_it_does_not_have() -> None:
    with pytest.raises(ValueError, match="kdim"):
        nn.MultiheadAttention(4, 2, kdim=3)
    with pytest.raises(ValueError, match="num_heads must divide embed_dim"):
        nn.MultiheadAttention(5, 2)


def test_rms_norm_eps_none_is_the_dtypes_machine_epsilon() -> None:
    x = np.array([[1e-4, -2e-4, 3e-4]], dtype=np.float32)
    got = nn.RMSNorm(3)(Tensor(x)).data
    expected = x / np.sqrt((x * x).mean(axis=-1, keepdims=True) + np.finfo(np.float32).eps)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert nn.RMSNorm(3, elementwise_affine=False).weight is None


def test_rms_norm_refuses_a_shape_it_cannot_normalise() -> None:
    with pytest.raises(ValueError, match="must end in normalized_shape"):
        F.rms_norm(Tensor(np.ones((2, 3))), 4)


def test_module_dict_registers_its_modules_by_key() -> None:
    blocks = nn.ModuleDict({"a": nn.Linear(2, 3)})
    blocks["b"] = nn.Linear(3, 1)
    assert list(blocks) == ["a", "b"]
    assert "a" in blocks
    assert len(blocks) == 2
    assert sorted(blocks.state_dict()) == ["a.bias", "a.weight", "b.bias", "b.weight"]
    assert blocks.pop("a") is not None
    assert list(blocks.keys()) == ["b"]
    with pytest.raises(KeyError, match="no module named 'c'"):
        blocks["c"]
    with pytest.raises(TypeError, match="must be a Module"):
        blocks["d"] = 3  # type: ignore[assignment]


def test_embedding_padding_row_starts_at_zero_and_stays_there() -> None:
    table = nn.Embedding(5, 3, padding_idx=-1)
    assert table.padding_idx == 4
    assert not table.weight.data[4].any()
    out = table(np.array([[4, 1, 4]]))
    (out * out + out).sum().backward()
    assert table.weight.grad is not None
    assert not table.weight.grad[4].any()
    assert table.weight.grad[1].any()
    with pytest.raises(ValueError, match="padding_idx must be in"):
        nn.Embedding(5, 3, padding_idx=5)


def test_multinomial_draws_in_proportion_to_the_weights() -> None:
    rng = np.random.default_rng(0)
    weights = np.tile([1.0, 2.0, 7.0], (20000, 1))
    draws = multinomial(Tensor(weights), 1, replacement=True, generator=rng).data[:, 0]
    np.testing.assert_allclose(np.bincount(draws) / len(draws), [0.1, 0.2, 0.7], atol=0.01)


def test_multinomial_without_replacement_gives_distinct_categories() -> None:
    picks = multinomial(Tensor(np.ones((50, 4))), 4, generator=np.random.default_rng(0)).data
    assert all(sorted(row) == [0, 1, 2, 3] for row in picks.tolist())
    with pytest.raises(ValueError, match="cannot draw 3 samples without replacement"):
        multinomial(Tensor([1.0, 1.0, 0.0]), 3)


@pytest.mark.parametrize("bad", [[-1.0, 2.0], [0.0, 0.0], [np.nan, 1.0]])
def test_multinomial_refuses_invalid_weights(bad: list[float]) -> None:
    with pytest.raises(ValueError, match="multinomial"):
        multinomial(Tensor(bad), 1, replacement=True)


def test_sample_logits_with_top_k_one_is_the_argmax() -> None:
    logits = Tensor(np.random.default_rng(0).standard_normal((6, 9)))
    picks = sample_logits(logits, temperature=0.5, top_k=1)
    assert picks.shape == (6, 1)
    np.testing.assert_array_equal(picks.data[:, 0], logits.data.argmax(axis=1))


def test_gpt_generation_is_reproducible_with_a_generator() -> None:
    manual_seed(0)
    model = GPT(GPTConfig(vocab_size=7, block_size=5, n_layer=1, n_head=2, n_embd=8))
    start = np.zeros((3, 1), dtype=np.int64)
    first = model.generate(start, 8, top_k=3, generator=np.random.default_rng(4))
    again = model.generate(start, 8, top_k=3, generator=np.random.default_rng(4))
    assert first.shape == (3, 9)
    np.testing.assert_array_equal(first.data, again.data)
    assert model.training


def test_gpt_positions_see_only_their_past() -> None:
    manual_seed(0)
    model = GPT(GPTConfig(vocab_size=7, block_size=6, n_layer=2, n_head=2, n_embd=8))
    a = np.array([[1, 2, 3, 4, 5, 6]])
    b = a.copy()
    b[0, 4:] = [0, 0]
    logits_a, _ = model(a)
    logits_b, _ = model(b)
    np.testing.assert_allclose(logits_a.data[:, :4], logits_b.data[:, :4], rtol=1e-6)


def test_gpt_config_refuses_unknown_choices() -> None:
    with pytest.raises(ValueError, match="activation must be one of"):
        GPTConfig(activation="swish")
    with pytest.raises(ValueError, match="n_head must divide n_embd"):
        GPTConfig(n_embd=10, n_head=4)
