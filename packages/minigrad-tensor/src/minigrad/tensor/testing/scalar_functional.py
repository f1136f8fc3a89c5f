"""``minigrad.tensor.nn.functional``, defined from the mathematics on :class:`ScalarArray`.

The tensor engine fuses these operations (conv2d through im2col, cross_entropy
with its own gradient); here each one is written the slow, obvious way (explicit
window loops, log-softmax then a pick) with ``Value`` arithmetic, so that the
fused gradients are checked against the chain rule of the definition.

Example:
    >>> import numpy as np
    >>> from minigrad.tensor.testing.scalar_array import ScalarArray
    >>> x = ScalarArray.from_numbers(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> max_pool2d(x, 2).data.tolist()
    [[[[5.0, 7.0], [13.0, 15.0]]]]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from minigrad.tensor.testing.scalar_array import (
    ScalarArray,
    number,
    total,
    values_of,
)

__all__ = [
    "avg_pool2d",
    "batch_norm",
    "binary_cross_entropy_with_logits",
    "conv2d",
    "cross_entropy",
    "dropout",
    "embedding",
    "gelu",
    "layer_norm",
    "leaky_relu",
    "linear",
    "log_softmax",
    "max_pool2d",
    "mse_loss",
    "nll_loss",
    "relu",
    "rms_norm",
    "scaled_dot_product_attention",
    "sigmoid",
    "softmax",
    "softplus",
    "tanh",
]

_Pair = tuple[int, int]


def _lift(x: Any) -> ScalarArray:
    if isinstance(x, ScalarArray):
        return x
    return ScalarArray(np.asarray(values_of(x)))


def _pair(value: Any) -> _Pair:
    if isinstance(value, (int, np.integer)):
        return (int(value), int(value))
    return (int(value[0]), int(value[1]))


def _reduce(loss: ScalarArray, reduction: str) -> ScalarArray:
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


# ---------------------------------------------------------------- activations


def relu(input: Any) -> ScalarArray:
    """max(x, 0)."""
    return _lift(input).relu()


def tanh(input: Any) -> ScalarArray:
    """tanh(x)."""
    return _lift(input).tanh()


def sigmoid(input: Any) -> ScalarArray:
    """1 / (1 + exp(-x))."""
    return _lift(input).sigmoid()


def gelu(input: Any, approximate: str = "none") -> ScalarArray:
    """x * Phi(x)."""
    return _lift(input).gelu(approximate)


def leaky_relu(input: Any, negative_slope: float = 0.01) -> ScalarArray:
    """x for x > 0, else negative_slope * x."""
    return _lift(input).leaky_relu(negative_slope)


def softplus(input: Any, beta: float = 1.0, threshold: float = 20.0) -> ScalarArray:
    """log(1 + exp(beta x)) / beta."""
    return _lift(input).softplus(beta, threshold)


def softmax(input: Any, axis: int = -1) -> ScalarArray:
    """exp(x) / sum(exp(x)) along ``axis``."""
    return _lift(input).softmax(axis)


def log_softmax(input: Any, axis: int = -1) -> ScalarArray:
    """x - logsumexp(x) along ``axis``."""
    return _lift(input).log_softmax(axis)


def dropout(
    input: Any, p: float = 0.5, training: bool = True, generator: Any = None
) -> ScalarArray:
    """x * mask / (1 - p), with the keep-mask the tensor engine draws for this shape.

    A random mask has no scalar definition; what is checked is what dropout does
    with it. The mask comes from ``minigrad.tensor``'s own dropout applied to ones,
    drawing from ``generator`` (or the package's generator) exactly as the tensor
    call does, so a freshly seeded generator (or ``manual_seed`` right before
    each call) makes both sides drop the same elements.
    """
    x = _lift(input)
    if not training or p == 0:
        return x
    from minigrad.tensor.nn.functional import dropout as tensor_dropout
    from minigrad.tensor.tensor import Tensor

    scaled_mask = tensor_dropout(Tensor(np.ones(x.shape)), p, True, generator).data
    return x * scaled_mask


# ---------------------------------------------------------------- linear layers


def linear(input: Any, weight: Any, bias: Any = None) -> ScalarArray:
    """input @ weight.T + bias."""
    out = _lift(input) @ _lift(weight).T
    return out if bias is None else out + _lift(bias)


def embedding(input: Any, weight: Any, padding_idx: int | None = None) -> ScalarArray:
    """weight[input]: one row per index; the padding row's numbers are constants."""
    indices = np.asarray(values_of(input))
    rows = _lift(weight)
    if padding_idx is None:
        return rows[indices]
    table = rows.values.copy()
    padding = padding_idx % table.shape[0]
    table[padding] = rows.data[padding]  # plain numbers: no gradient reaches the row
    return ScalarArray(table)[indices]


# ---------------------------------------------------------------- convolution


def _padded(values: np.ndarray, padding: _Pair, fill: float) -> np.ndarray:
    n, c, h, w = values.shape
    ph, pw = padding
    result = np.full((n, c, h + 2 * ph, w + 2 * pw), fill, dtype=object)
    result[:, :, ph : ph + h, pw : pw + w] = values
    return result


def _padding(padding: Any, kernel: _Pair) -> _Pair:
    if padding == "valid":
        return (0, 0)
    if padding == "same":
        return (kernel[0] // 2, kernel[1] // 2)
    return _pair(padding)


def _windows(
    values: np.ndarray, kernel: _Pair, stride: _Pair, padding: _Pair, fill: float
) -> tuple[np.ndarray, int, int]:
    """The padded input and the output size of a sliding window."""
    padded = _padded(values, padding, fill)
    out_h = (padded.shape[2] - kernel[0]) // stride[0] + 1
    out_w = (padded.shape[3] - kernel[1]) // stride[1] + 1
    return padded, out_h, out_w


def conv2d(
    input: Any, weight: Any, bias: Any = None, stride: Any = 1, padding: Any = 0
) -> ScalarArray:
    """out[n, o, i, j] = sum over c, u, v of x[n, c, i*s + u, j*s + v] * w[o, c, u, v] + b[o]."""
    x = _lift(input).values
    if x.ndim == 3:
        return conv2d(ScalarArray(x[None]), weight, bias, stride, padding)[0]
    w = _lift(weight).values
    kernel = (w.shape[2], w.shape[3])
    sh, sw = _pair(stride)
    padded, out_h, out_w = _windows(x, kernel, (sh, sw), _padding(padding, kernel), 0.0)
    out = np.empty((x.shape[0], w.shape[0], out_h, out_w), dtype=object)
    for i in range(out_h):
        for j in range(out_w):
            window = padded[:, :, i * sh : i * sh + kernel[0], j * sw : j * sw + kernel[1]]
            out[:, :, i, j] = np.tensordot(window, w, axes=([1, 2, 3], [1, 2, 3]))
    result = ScalarArray(out)
    if bias is not None:
        result = result + _lift(bias).reshape(1, -1, 1, 1)
    return result


def _pool(
    input: Any,
    kernel_size: Any,
    stride: Any,
    padding: Any,
    fill: float,
    reduce: Any,
) -> ScalarArray:
    x = _lift(input).values
    kernel = _pair(kernel_size)
    sh, sw = kernel if stride is None else _pair(stride)
    padded, out_h, out_w = _windows(x, kernel, (sh, sw), _pair(padding), fill)
    out = np.empty((x.shape[0], x.shape[1], out_h, out_w), dtype=object)
    for index in np.ndindex(*out.shape):
        n, c, i, j = index
        window = padded[n, c, i * sh : i * sh + kernel[0], j * sw : j * sw + kernel[1]]
        out[index] = reduce(list(window.reshape(-1)))
    return ScalarArray(out)


def _first_maximum(window: list[Any]) -> Any:
    # The first maximum wins, as the tensor engine documents (and PyTorch does).
    best = window[0]
    for v in window[1:]:
        if number(v) > number(best):
            best = v
    return best


def max_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0) -> ScalarArray:
    """The maximum of each window; padding is minus infinity."""
    return _pool(input, kernel_size, stride, padding, -math.inf, _first_maximum)


def avg_pool2d(input: Any, kernel_size: Any, stride: Any = None, padding: Any = 0) -> ScalarArray:
    """The mean of each window, zero padding included in the count."""
    return _pool(input, kernel_size, stride, padding, 0.0, lambda w: total(w) / len(w))


# ---------------------------------------------------------------- normalization


def batch_norm(
    input: Any,
    running_mean: Any,
    running_var: Any,
    weight: Any = None,
    bias: Any = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> ScalarArray:
    """(x - mean) / sqrt(var + eps) per channel (axis 1), then weight and bias.

    Batch statistics (biased variance) in training or without running statistics,
    the running statistics otherwise. The running statistics are not updated here:
    they do not change the output or its gradient.
    """
    x = _lift(input)
    channels = x.shape[1]
    axes = (0, *range(2, x.ndim))
    broadcast = (1, channels) + (1,) * (x.ndim - 2)
    if training or running_mean is None or running_var is None:
        mean = x.mean(axis=axes, keepdims=True)
        centered = x - mean
        var = (centered * centered).mean(axis=axes, keepdims=True)
        normalized = centered / (var + eps).sqrt()
    else:
        shift = np.asarray(values_of(running_mean), dtype=np.float64).reshape(broadcast)
        var_array = np.asarray(values_of(running_var), dtype=np.float64).reshape(broadcast)
        normalized = (x - shift) / np.sqrt(var_array + eps)
    if weight is not None:
        normalized = normalized * _lift(weight).reshape(broadcast)
    if bias is not None:
        normalized = normalized + _lift(bias).reshape(broadcast)
    return normalized


def layer_norm(
    input: Any,
    normalized_shape: int | Sequence[int],
    weight: Any = None,
    bias: Any = None,
    eps: float = 1e-5,
) -> ScalarArray:
    """(x - mean) / sqrt(var + eps) over the last axes, then weight and bias."""
    x = _lift(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    centered = x - mean
    var = (centered * centered).mean(axis=axes, keepdims=True)
    normalized = centered / (var + eps).sqrt()
    if weight is not None:
        normalized = normalized * _lift(weight)
    if bias is not None:
        normalized = normalized + _lift(bias)
    return normalized


def rms_norm(
    input: Any,
    normalized_shape: int | Sequence[int],
    weight: Any = None,
    eps: float | None = None,
) -> ScalarArray:
    """x / sqrt(mean(x**2) + eps) over the last axes, then weight (eps None: float64's)."""
    x = _lift(input)
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    epsilon = float(np.finfo(np.float64).eps) if eps is None else eps
    normalized = x / ((x * x).mean(axis=axes, keepdims=True) + epsilon).sqrt()
    return normalized if weight is None else normalized * _lift(weight)


# ---------------------------------------------------------------- attention


def scaled_dot_product_attention(
    query: Any,
    key: Any,
    value: Any,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    *,
    generator: Any = None,
) -> ScalarArray:
    """Each query's softmax over the keys it may see, weighting the values (the definition).

    A boolean mask (True: attend) or ``is_causal`` (key j <= query i) leaves keys out of
    the softmax altogether; a float mask is added to the scores. Dropout of the weights
    uses the tensor engine's mask for this shape, as :func:`dropout` does.
    """
    q, k, v = _lift(query), _lift(key), _lift(value)
    factor = 1.0 / math.sqrt(q.shape[-1]) if scale is None else scale
    scores = (q @ k.transpose(-2, -1)) * factor
    length, source = scores.shape[-2], scores.shape[-1]
    allowed = np.ones(scores.shape, dtype=bool)
    if is_causal:
        allowed &= np.tril(np.ones((length, source), dtype=bool))
    if attn_mask is not None:
        mask_values = values_of(attn_mask)
        if np.asarray(mask_values).dtype == np.bool_:
            allowed &= np.asarray(mask_values)
        else:
            scores = scores + _lift(attn_mask)
    allowed = np.broadcast_to(allowed, scores.shape)
    weights = np.empty(scores.shape, dtype=object)
    for index in np.ndindex(*scores.shape[:-1]):
        row = [s for s, keep in zip(scores.values[index], allowed[index], strict=True) if keep]
        probabilities = iter(_softmax_values(row))
        weights[index] = np.array(
            [next(probabilities) if keep else 0.0 for keep in allowed[index]], dtype=object
        )
    attention = ScalarArray(weights)
    if dropout_p > 0:
        attention = dropout(attention, dropout_p, True, generator)
    return attention @ v


def _softmax_values(row: list[Any]) -> list[Any]:
    shift = max(number(s) for s in row)
    exps = [(s - shift).exp() for s in row]
    denominator = total(exps)
    return [e / denominator for e in exps]


# ---------------------------------------------------------------- losses


def mse_loss(input: Any, target: Any, reduction: str = "mean") -> ScalarArray:
    """(input - target) ** 2, reduced."""
    diff = _lift(input) - _lift(target)
    return _reduce(diff * diff, reduction)


def _class_terms(
    log_p: ScalarArray,
    target: Any,
    weight: Any,
    ignore_index: int,
    smoothing: float,
) -> tuple[ScalarArray, float]:
    """Per-sample losses from log-probabilities (class axis 1, or 0 for one sample)."""
    labels = np.asarray(values_of(target))
    values = log_p.values if log_p.ndim >= 2 else log_p.values[None]
    labels = labels if log_p.ndim >= 2 else labels[None]
    classes = values.shape[1]
    w = None if weight is None else np.asarray(values_of(weight), dtype=np.float64)
    per_sample = np.empty(labels.shape, dtype=object)
    weight_sum = 0.0
    for index in np.ndindex(*labels.shape):
        label = int(labels[index])
        if label == ignore_index:
            per_sample[index] = 0.0
            continue
        column = (index[0], slice(None), *index[1:])
        row = list(values[column])
        w_y = 1.0 if w is None else float(w[label])
        weight_sum += w_y
        loss = -row[label] * ((1.0 - smoothing) * w_y)
        if smoothing:
            weights = [1.0] * classes if w is None else [float(c) for c in w]
            loss = loss + total([-v * wc for v, wc in zip(row, weights, strict=True)]) * (
                smoothing / classes
            )
        per_sample[index] = loss
    result = ScalarArray(per_sample if log_p.ndim >= 2 else per_sample[0])
    return result, weight_sum


def _weighted_reduce(per_sample: ScalarArray, weight_sum: float, reduction: str) -> ScalarArray:
    if reduction == "none":
        return per_sample
    summed = per_sample.sum()
    return summed if reduction == "sum" else summed / weight_sum


def cross_entropy(
    input: Any,
    target: Any,
    weight: Any = None,
    ignore_index: int = -100,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
) -> ScalarArray:
    """(1 - e) w[y] (-log p[y]) + e / C sum_c w[c] (-log p[c]), p = softmax over the class axis."""
    x = _lift(input)
    log_p = x.log_softmax(axis=1 if x.ndim >= 2 else 0)
    per_sample, weight_sum = _class_terms(log_p, target, weight, ignore_index, label_smoothing)
    # The mean divides by the total weight of the targets, as PyTorch does.
    return _weighted_reduce(per_sample, weight_sum, reduction)


def nll_loss(
    input: Any,
    target: Any,
    weight: Any = None,
    ignore_index: int = -100,
    reduction: str = "mean",
) -> ScalarArray:
    """-w[y] * input[y] per sample, reduced by the total weight for the mean."""
    per_sample, weight_sum = _class_terms(_lift(input), target, weight, ignore_index, 0.0)
    return _weighted_reduce(per_sample, weight_sum, reduction)


def binary_cross_entropy_with_logits(
    input: Any,
    target: Any,
    weight: Any = None,
    pos_weight: Any = None,
    reduction: str = "mean",
) -> ScalarArray:
    """-w (pos_weight y log(sigmoid x) + (1 - y) log(1 - sigmoid x)), reduced."""
    x, y = _lift(input), _lift(target)
    s = x.sigmoid()
    positive = y * s.log()
    if pos_weight is not None:
        positive = positive * _lift(pos_weight)
    loss = -(positive + (1 - y) * (1 - s).log())
    if weight is not None:
        loss = loss * _lift(weight)
    return _reduce(loss, reduction)
