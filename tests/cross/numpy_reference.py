"""Plain NumPy forward references for the op table: the obvious loops, no autograd.

Each function takes float64 ndarrays (and the op's parameters) and returns the
value the tensor operation must produce.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_erf = np.vectorize(math.erf, otypes=[np.float64])


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def gelu(x: np.ndarray, approximate: str = "none") -> np.ndarray:
    if approximate == "tanh":
        return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))
    return 0.5 * x * (1 + _erf(x / math.sqrt(2)))


def softplus(x: np.ndarray, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    return np.where(beta * x > threshold, x, np.log1p(np.exp(beta * x)) / beta)


def leaky_relu(x: np.ndarray, negative_slope: float = 0.01) -> np.ndarray:
    return np.where(x > 0, x, negative_slope * x)


def softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x: np.ndarray, axis: int = -1) -> np.ndarray:
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def logsumexp(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    shift = np.max(x, axis=axis, keepdims=True)
    total = np.log(np.sum(np.exp(x - shift), axis=axis, keepdims=True)) + shift
    return total if keepdims else np.squeeze(total, axis=axis)


def expand(x: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    lead = len(shape) - x.ndim
    sizes = tuple(x.shape[i - lead] if n == -1 else n for i, n in enumerate(shape))
    return np.broadcast_to(x, sizes)


def flatten(x: np.ndarray, start_axis: int = 0, end_axis: int = -1) -> np.ndarray:
    if x.ndim == 0:
        return x.reshape(1)
    start, end = start_axis % x.ndim, end_axis % x.ndim
    return x.reshape((*x.shape[:start], -1, *x.shape[end + 1 :]))


def linear(x: np.ndarray, weight: np.ndarray, bias: np.ndarray | None = None) -> np.ndarray:
    out = x @ weight.T
    return out if bias is None else out + bias


def conv2d(
    x: np.ndarray,
    weight: np.ndarray,
    bias: np.ndarray | None = None,
    stride: int = 1,
    padding: int = 0,
) -> np.ndarray:
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    n, _, h, w = xp.shape
    c_out, _, kh, kw = weight.shape
    out_h, out_w = (h - kh) // stride + 1, (w - kw) // stride + 1
    out = np.zeros((n, c_out, out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            patch = xp[:, :, i * stride : i * stride + kh, j * stride : j * stride + kw]
            out[:, :, i, j] = np.einsum("nchw,ochw->no", patch, weight)
    return out if bias is None else out + bias.reshape(1, -1, 1, 1)


def _pool(
    x: np.ndarray, kernel: int, stride: int | None, padding: int, fill: float, reduce: Any
) -> np.ndarray:
    stride = kernel if stride is None else stride
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)), constant_values=fill)
    out_h = (xp.shape[2] - kernel) // stride + 1
    out_w = (xp.shape[3] - kernel) // stride + 1
    out = np.zeros((*x.shape[:2], out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            patch = xp[:, :, i * stride : i * stride + kernel, j * stride : j * stride + kernel]
            out[:, :, i, j] = reduce(patch, axis=(2, 3))
    return out


def max_pool2d(
    x: np.ndarray, kernel_size: int, stride: int | None = None, padding: int = 0
) -> np.ndarray:
    return _pool(x, kernel_size, stride, padding, -np.inf, np.max)


def avg_pool2d(
    x: np.ndarray, kernel_size: int, stride: int | None = None, padding: int = 0
) -> np.ndarray:
    return _pool(x, kernel_size, stride, padding, 0.0, np.mean)


def normalize(x: np.ndarray, axes: tuple[int, ...], eps: float) -> np.ndarray:
    mean = x.mean(axis=axes, keepdims=True)
    return (x - mean) / np.sqrt(x.var(axis=axes, keepdims=True) + eps)


def reduce_loss(loss: np.ndarray, reduction: str) -> np.ndarray:
    if reduction == "mean":
        return np.asarray(loss.mean())
    if reduction == "sum":
        return np.asarray(loss.sum())
    return loss


def class_losses(
    log_p: np.ndarray,
    target: np.ndarray,
    weight: np.ndarray | None,
    reduction: str,
    smoothing: float = 0.0,
) -> np.ndarray:
    """Per-sample (1 - e) w[y] (-log p[y]) + e/C sum_c w[c] (-log p[c]); class axis 1."""
    classes = log_p.shape[1]
    w = np.ones(classes) if weight is None else weight
    picked = np.take_along_axis(log_p, np.expand_dims(target, 1), axis=1).squeeze(1)
    shape = [1] * log_p.ndim
    shape[1] = classes
    smooth = -(log_p * w.reshape(shape)).sum(axis=1) * smoothing / classes
    loss = -(1 - smoothing) * w[target] * picked + smooth
    if reduction == "mean":
        return np.asarray(loss.sum() / w[target].sum())
    return reduce_loss(loss, reduction)
