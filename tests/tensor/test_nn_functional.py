"""nn.functional values against plain NumPy references (loops and textbook formulas)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from minigrad.tensor import Tensor
from minigrad.tensor.nn import functional as F
from minigrad.tensor.nn.functional._conv import (
    conv2d_columns,
    conv2d_from_columns,
    conv2d_weight_grad_from_columns,
)

RNG = np.random.default_rng(11)


# ---------------------------------------------------------------- references


def conv2d_loops(
    x: np.ndarray,
    w: np.ndarray,
    b: np.ndarray | None,
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> np.ndarray:
    n, _, h, width = x.shape
    out_c, _, kh, kw = w.shape
    (sh, sw), (ph, pw) = stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    out_h, out_w = (h + 2 * ph - kh) // sh + 1, (width + 2 * pw - kw) // sw + 1
    out = np.zeros((n, out_c, out_h, out_w))
    for i in range(n):
        for o in range(out_c):
            for r in range(out_h):
                for c in range(out_w):
                    window = xp[i, :, r * sh : r * sh + kh, c * sw : c * sw + kw]
                    out[i, o, r, c] = (window * w[o]).sum() + (0.0 if b is None else b[o])
    return out


def pool_loops(x: np.ndarray, k: int, s: int, p: int, reduce: str) -> np.ndarray:
    fill = -np.inf if reduce == "max" else 0.0
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p)), constant_values=fill)
    n, c, h, w = x.shape
    out_h, out_w = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
    out = np.zeros((n, c, out_h, out_w))
    for r in range(out_h):
        for col in range(out_w):
            window = xp[:, :, r * s : r * s + k, col * s : col * s + k]
            out[:, :, r, col] = window.max(axis=(2, 3)) if reduce == "max" else window.mean((2, 3))
    return out


def cross_entropy_reference(
    x: np.ndarray, y: np.ndarray, w: np.ndarray, smoothing: float, ignore: int
) -> float:
    """PyTorch's documented formula, one sample at a time, with 'mean' reduction."""
    classes = x.shape[1]
    total, denominator = 0.0, 0.0
    for logits, target in zip(x, y, strict=True):
        if target == ignore:
            continue
        log_p = logits - np.log(np.exp(logits - logits.max()).sum()) - logits.max()
        nll = -w[target] * log_p[target]
        smooth = -(w * log_p).sum() / classes
        total += (1 - smoothing) * nll + smoothing * smooth
        denominator += w[target]
    return total / denominator


# ----------------------------------------------------------------- linear


def test_linear_is_input_times_weight_transposed_plus_bias() -> None:
    x, w, b = RNG.standard_normal((4, 3)), RNG.standard_normal((2, 3)), RNG.standard_normal(2)
    out = F.linear(Tensor(x), Tensor(w), Tensor(b))
    np.testing.assert_allclose(out.data, x @ w.T + b)


def test_linear_names_shapes_when_in_features_differ() -> None:
    with pytest.raises(ValueError, match=r"in_features=3.*\(2, 3\)"):
        F.linear(Tensor(np.zeros((4, 5))), Tensor(np.zeros((2, 3))))


def test_linear_rejects_bias_of_wrong_shape() -> None:
    with pytest.raises(ValueError, match=r"bias must have shape \(2,\).*got \(3,\)"):
        F.linear(Tensor(np.zeros((4, 3))), Tensor(np.zeros((2, 3))), Tensor(np.zeros(3)))


# ------------------------------------------------------------------- conv2d


@given(
    n=st.integers(1, 2),
    c=st.integers(1, 3),
    out_c=st.integers(1, 3),
    h=st.integers(3, 7),
    w=st.integers(3, 7),
    kh=st.integers(1, 3),
    kw=st.integers(1, 3),
    sh=st.integers(1, 3),
    sw=st.integers(1, 3),
    ph=st.integers(0, 2),
    pw=st.integers(0, 2),
    bias=st.booleans(),
)
def test_conv2d_matches_naive_loops(
    n: int, c: int, out_c: int, h: int, w: int, kh: int, kw: int,
    sh: int, sw: int, ph: int, pw: int, bias: bool,
) -> None:  # fmt: skip
    rng = np.random.default_rng(n * 1000 + h * 10 + w)
    x, weight = rng.standard_normal((n, c, h, w)), rng.standard_normal((out_c, c, kh, kw))
    b = rng.standard_normal(out_c) if bias else None
    out = F.conv2d(Tensor(x), Tensor(weight), None if b is None else Tensor(b), (sh, sw), (ph, pw))
    np.testing.assert_allclose(out.data, conv2d_loops(x, weight, b, (sh, sw), (ph, pw)), atol=1e-12)


def test_conv2d_same_padding_keeps_spatial_size() -> None:
    out = F.conv2d(Tensor(np.zeros((1, 2, 5, 6))), Tensor(np.zeros((3, 2, 3, 5))), padding="same")
    assert out.shape == (1, 3, 5, 6)


def test_conv2d_keeps_float32() -> None:
    x = Tensor(np.ones((1, 1, 4, 4), dtype=np.float32))
    assert F.conv2d(x, Tensor(np.ones((1, 1, 2, 2), dtype=np.float32))).dtype == np.float32


def test_conv2d_names_channel_mismatch() -> None:
    with pytest.raises(ValueError, match=r"3 channels.*C_in=2"):
        F.conv2d(Tensor(np.zeros((1, 3, 5, 5))), Tensor(np.zeros((4, 2, 3, 3))))


def test_conv2d_rejects_kernel_larger_than_padded_input() -> None:
    with pytest.raises(ValueError, match=r"5x5 window.*\(1, 1, 3, 3\)"):
        F.conv2d(Tensor(np.zeros((1, 1, 3, 3))), Tensor(np.zeros((1, 1, 5, 5))))


def test_conv2d_rejects_two_dimensional_input() -> None:
    with pytest.raises(ValueError, match=r"\(N, C_in, H, W\).*got \(5, 5\)"):
        F.conv2d(Tensor(np.zeros((5, 5))), Tensor(np.zeros((1, 1, 3, 3))))


# ------------------------------------------------------------------ pooling


@pytest.mark.parametrize(
    ("kernel", "stride", "padding"), [(2, 2, 0), (3, 1, 1), (3, 2, 1), (2, 1, 0)]
)
@pytest.mark.parametrize("reduce", ["max", "avg"])
def test_pooling_matches_loops(kernel: int, stride: int, padding: int, reduce: str) -> None:
    x = RNG.standard_normal((2, 3, 7, 6))
    pool = F.max_pool2d if reduce == "max" else F.avg_pool2d
    out = pool(Tensor(x), kernel, stride, padding)
    np.testing.assert_allclose(out.data, pool_loops(x, kernel, stride, padding, reduce))


def test_max_pool_stride_defaults_to_kernel_size() -> None:
    assert F.max_pool2d(Tensor(np.zeros((1, 1, 8, 8))), 2).shape == (1, 1, 4, 4)


def test_max_pool_gradient_goes_to_the_maximum_only() -> None:
    x = Tensor(np.array([[[[1.0, 5.0], [2.0, 3.0]]]]), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad is not None
    assert x.grad.tolist() == [[[[0.0, 1.0], [0.0, 0.0]]]]


def test_pooling_rejects_padding_over_half_the_kernel() -> None:
    with pytest.raises(ValueError, match="at most half the kernel"):
        F.max_pool2d(Tensor(np.zeros((1, 1, 4, 4))), 2, padding=2)


# ------------------------------------------------------------ normalization


def test_batch_norm_training_normalizes_each_channel_over_batch_and_space() -> None:
    x = RNG.standard_normal((4, 3, 2, 2)) * 5 + 2
    out = F.batch_norm(Tensor(x), None, None, training=True, eps=0.0).data
    np.testing.assert_allclose(out.mean(axis=(0, 2, 3)), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=(0, 2, 3)), 1.0)


def test_batch_norm_updates_running_stats_with_unbiased_variance() -> None:
    x = RNG.standard_normal((5, 2))
    mean, var = np.full(2, 1.0), np.full(2, 2.0)
    F.batch_norm(Tensor(x), mean, var, training=True, momentum=0.25)
    np.testing.assert_allclose(mean, 0.75 * 1.0 + 0.25 * x.mean(axis=0))
    np.testing.assert_allclose(var, 0.75 * 2.0 + 0.25 * x.var(axis=0, ddof=1))


def test_batch_norm_eval_uses_running_stats_and_leaves_them_alone() -> None:
    x = RNG.standard_normal((3, 2))
    mean, var = np.array([0.5, -1.0]), np.array([4.0, 0.25])
    out = F.batch_norm(Tensor(x), mean, var, Tensor([2.0, 1.0]), Tensor([0.0, 3.0]), eps=0.0)
    np.testing.assert_allclose(out.data, (x - mean) / np.sqrt(var) * [2.0, 1.0] + [0.0, 3.0])
    assert mean.tolist() == [0.5, -1.0]


def test_batch_norm_training_rejects_a_single_value_per_channel() -> None:
    with pytest.raises(ValueError, match="more than 1 value per channel"):
        F.batch_norm(Tensor(np.zeros((1, 3))), None, None, training=True)


def test_layer_norm_normalizes_the_trailing_axes() -> None:
    x = RNG.standard_normal((3, 2, 4))
    out = F.layer_norm(Tensor(x), (2, 4), eps=0.0).data
    expected = (x - x.mean(axis=(1, 2), keepdims=True)) / x.std(axis=(1, 2), keepdims=True)
    np.testing.assert_allclose(out, expected)


def test_layer_norm_names_shape_mismatch() -> None:
    with pytest.raises(ValueError, match=r"\(3, 4\) must end in normalized_shape \(3,\)"):
        F.layer_norm(Tensor(np.zeros((3, 4))), 3)


# ------------------------------------------------------ dropout & embedding


def test_dropout_keeps_elements_with_probability_one_minus_p_scaled() -> None:
    out = F.dropout(Tensor(np.ones(20_000)), 0.25, generator=np.random.default_rng(0)).data
    assert set(np.unique(out).tolist()) == {0.0, 1 / 0.75}
    assert abs((out == 0).mean() - 0.25) < 0.02


def test_dropout_outside_training_is_the_identity() -> None:
    x = Tensor(RNG.standard_normal(5))
    assert F.dropout(x, 0.9, training=False) is x


def test_dropout_rejects_probability_outside_unit_interval() -> None:
    with pytest.raises(ValueError, match=r"\[0, 1\], got 1.5"):
        F.dropout(Tensor(np.ones(3)), 1.5)


def test_embedding_picks_rows() -> None:
    w = RNG.standard_normal((5, 3))
    idx = np.array([[4, 0], [0, 2]])
    np.testing.assert_array_equal(F.embedding(idx, Tensor(w)).data, w[idx])


def test_embedding_names_out_of_range_index() -> None:
    with pytest.raises(IndexError, match=r"index 5 is outside \[0, 5\)"):
        F.embedding(np.array([1, 5]), Tensor(np.zeros((5, 3))))


def test_embedding_rejects_float_indices() -> None:
    with pytest.raises(TypeError, match=r"integer indices.*float64"):
        F.embedding(np.array([1.0]), Tensor(np.zeros((5, 3))))


# ------------------------------------------------------------------- losses


def test_mse_loss_reductions() -> None:
    a, b = RNG.standard_normal((3, 2)), RNG.standard_normal((3, 2))
    sq = (a - b) ** 2
    assert F.mse_loss(Tensor(a), Tensor(b)).item() == pytest.approx(sq.mean())
    assert F.mse_loss(Tensor(a), Tensor(b), reduction="sum").item() == pytest.approx(sq.sum())
    np.testing.assert_allclose(F.mse_loss(Tensor(a), Tensor(b), reduction="none").data, sq)


def test_mse_loss_rejects_shapes_that_would_broadcast() -> None:
    with pytest.raises(ValueError, match=r"same shape.*\(3, 1\).*\(3,\)"):
        F.mse_loss(Tensor(np.zeros((3, 1))), Tensor(np.zeros(3)))


def test_loss_rejects_unknown_reduction() -> None:
    with pytest.raises(ValueError, match="'mean', 'sum', 'none', got 'avg'"):
        F.mse_loss(Tensor([1.0]), Tensor([1.0]), reduction="avg")


@pytest.mark.parametrize("smoothing", [0.0, 0.15])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore", [-100, 2])
def test_cross_entropy_matches_pytorch_formula(
    smoothing: float, weighted: bool, ignore: int
) -> None:
    x, y = RNG.standard_normal((6, 4)) * 3, np.array([0, 2, 3, 1, 2, 0])
    w = np.array([0.5, 2.0, 1.0, 1.5]) if weighted else np.ones(4)
    loss = F.cross_entropy(
        Tensor(x), y, w if weighted else None, ignore_index=ignore, label_smoothing=smoothing
    )
    assert loss.item() == pytest.approx(cross_entropy_reference(x, y, w, smoothing, ignore))


def test_cross_entropy_equals_nll_of_log_softmax() -> None:
    x, y = RNG.standard_normal((5, 3)), np.array([0, 2, 1, 1, 0])
    fused = F.cross_entropy(Tensor(x), y, reduction="none").data
    composed = F.nll_loss(F.log_softmax(Tensor(x), axis=1), y, reduction="none").data
    np.testing.assert_allclose(fused, composed)


def test_cross_entropy_is_finite_for_logits_of_1e4() -> None:
    x = Tensor(np.array([[1e4, -1e4, 0.0], [0.0, 1e4, 1e4]]), requires_grad=True)
    loss = F.cross_entropy(x, np.array([1, 2]), label_smoothing=0.1)
    loss.backward()
    # Sample 1: log p = [0, -2e4, -1e4] (to double precision), target 1.
    # Sample 2: log p = [-1e4 - log 2, -log 2, -log 2], target 2.
    log2 = np.log(2.0)
    first = 0.9 * 2e4 + 0.1 * (2e4 + 1e4) / 3
    second = 0.9 * log2 + 0.1 * (1e4 + 3 * log2) / 3
    assert loss.item() == pytest.approx((first + second) / 2, rel=1e-12)
    assert x.grad is not None
    p2 = np.array([0.0, 0.5, 0.5])
    expected_grad = np.array([[1.0, -0.9, 0.0], p2 - [0, 0, 0.9]]) - 0.1 / 3
    np.testing.assert_allclose(x.grad, expected_grad / 2, atol=1e-12)


def test_cross_entropy_in_float32_is_finite_for_logits_of_1e4() -> None:
    x = Tensor(np.array([[1e4, -1e4], [-1e4, 1e4]], dtype=np.float32), requires_grad=True)
    loss = F.cross_entropy(x, np.array([1, 1]))
    loss.backward()
    assert loss.item() == pytest.approx(1e4)
    assert x.grad is not None
    np.testing.assert_allclose(x.grad, [[0.5, -0.5], [0.0, 0.0]])


def test_cross_entropy_accepts_integer_tensor_targets() -> None:
    x = RNG.standard_normal((3, 4))
    as_tensor = F.cross_entropy(Tensor(x), Tensor(np.array([1, 0, 3]))).item()
    assert as_tensor == F.cross_entropy(Tensor(x), [1, 0, 3]).item()


def test_cross_entropy_of_one_sample_without_batch_axis() -> None:
    x = RNG.standard_normal(4)
    batched = F.cross_entropy(Tensor(x[None]), np.array([2])).item()
    assert F.cross_entropy(Tensor(x), np.array(2)).item() == pytest.approx(batched)


def test_cross_entropy_rejects_float_targets() -> None:
    with pytest.raises(
        TypeError, match=r"integer class indices of shape \(3,\), got dtype float64"
    ):
        F.cross_entropy(Tensor(np.zeros((3, 4))), np.array([0.0, 1.0, 2.0]))


def test_cross_entropy_names_target_shape_mismatch() -> None:
    with pytest.raises(ValueError, match=r"target must have shape \(3,\).*\(3, 4\).*got \(4,\)"):
        F.cross_entropy(Tensor(np.zeros((3, 4))), np.array([0, 1, 2, 3]))


def test_cross_entropy_names_class_out_of_range() -> None:
    with pytest.raises(IndexError, match=r"class 4, outside \[0, 4\)"):
        F.cross_entropy(Tensor(np.zeros((2, 4))), np.array([0, 4]))


def test_cross_entropy_names_weight_shape_mismatch() -> None:
    with pytest.raises(ValueError, match=r"one entry per class, shape \(4,\), got \(3,\)"):
        F.cross_entropy(Tensor(np.zeros((2, 4))), np.array([0, 1]), weight=np.ones(3))


def test_nll_loss_weighted_mean_divides_by_total_target_weight() -> None:
    log_p = RNG.standard_normal((4, 3))
    y, w = np.array([0, 2, 2, 1]), np.array([1.0, 3.0, 0.5])
    expected = -(w[y] * log_p[np.arange(4), y]).sum() / w[y].sum()
    assert F.nll_loss(Tensor(log_p), y, w).item() == pytest.approx(expected)


def test_bce_with_logits_matches_the_log_sigmoid_formula() -> None:
    x, y = RNG.standard_normal((3, 4)), RNG.uniform(0, 1, (3, 4))
    w, pw = RNG.uniform(0.5, 2, (3, 4)), RNG.uniform(0.5, 2, 4)
    s = 1 / (1 + np.exp(-x))
    expected = -w * (pw * y * np.log(s) + (1 - y) * np.log(1 - s))
    loss = F.binary_cross_entropy_with_logits(Tensor(x), Tensor(y), w, pw, reduction="none")
    np.testing.assert_allclose(loss.data, expected)


def test_bce_with_logits_is_finite_for_logits_of_1e4() -> None:
    x = Tensor(np.array([1e4, -1e4, 1e4, -1e4], dtype=np.float32), requires_grad=True)
    loss = F.binary_cross_entropy_with_logits(x, Tensor([0.0, 1.0, 1.0, 0.0]), reduction="sum")
    loss.backward()
    assert loss.item() == pytest.approx(2e4)
    assert x.grad is not None
    assert x.grad.tolist() == [1.0, -1.0, 0.0, 0.0]


def test_bce_with_logits_names_shape_mismatch() -> None:
    with pytest.raises(ValueError, match=r"same shape as input.*\(2,\).*\(3,\)"):
        F.binary_cross_entropy_with_logits(Tensor([0.0, 1.0]), Tensor([0.0, 1.0, 1.0]))


# -------------------------------------------------------------- activations


def test_softmax_along_axis_sums_to_one() -> None:
    out = F.softmax(Tensor(RNG.standard_normal((3, 4))), axis=0).data
    np.testing.assert_allclose(out.sum(axis=0), 1.0)


def test_leaky_relu_scales_negatives_by_slope() -> None:
    assert F.leaky_relu(Tensor([-2.0, 3.0]), 0.1).tolist() == pytest.approx([-0.2, 3.0])


def test_activations_reject_integer_input() -> None:
    with pytest.raises(TypeError, match="floating tensor, got dtype int64"):
        F.relu(Tensor(np.array([1, 2])))


@pytest.mark.parametrize(
    ("window", "expected"),
    [
        ([[3.0, 3.0], [1.0, 3.0]], [[1.0, 0.0], [0.0, 0.0]]),  # ties: the first maximum
        ([[1.0, np.nan], [np.nan, 0.0]], [[0.0, 1.0], [0.0, 0.0]]),  # nan: the first nan
        ([[0.0, 1.0], [2.0, 2.0]], [[0.0, 0.0], [1.0, 0.0]]),
    ],
)
def test_max_pool2d_gradient_goes_to_the_window_element_argmax_picks(
    window: list[list[float]], expected: list[list[float]]
) -> None:
    x = Tensor(np.array([[window]]), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad[0, 0], expected)


def test_conv2d_from_its_columns_equals_conv2d_and_its_weight_gradient() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((2, 3, 7, 6)).astype(np.float32)
    w = rng.standard_normal((4, 3, 3, 2)).astype(np.float32)
    stride, padding = (2, 1), (1, 1)
    columns = conv2d_columns(x, (3, 2), stride, padding)
    weight = Tensor(w, requires_grad=True)
    out = F.conv2d(Tensor(x), weight, stride=stride, padding=padding)
    np.testing.assert_array_equal(conv2d_from_columns(columns, w, out.shape[2:]), out.data)
    g = rng.standard_normal(out.shape).astype(np.float32)
    out.backward(Tensor(g))
    np.testing.assert_array_equal(conv2d_weight_grad_from_columns(g, columns, w.shape), weight.grad)
