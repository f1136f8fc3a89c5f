"""Hand-written NumPy training steps: the physical limit for an engine built on NumPy.

Each step does by hand what MiniGrad does through its graph: the forward pass,
the cross-entropy loss, the backward pass written out formula by formula, and
an SGD update, with PyTorch's parameter layout (a Linear weight is
``(out, in)``, a Conv2d weight ``(out, in, kh, kw)``) so the same weights can
be loaded into every engine. ``tests/test_benchmark_references.py`` checks
that these gradients equal MiniGrad's.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

Array = np.ndarray


def cross_entropy_and_grad(logits: Array, labels: Array) -> tuple[float, Array]:
    """Mean cross-entropy of ``logits`` (N, C) against integer ``labels`` and its gradient."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    sum_exp = exp.sum(axis=1, keepdims=True)
    n = len(labels)
    rows = np.arange(n)
    loss = float(np.mean(np.log(sum_exp[:, 0]) - shifted[rows, labels]))
    grad = exp / sum_exp
    grad[rows, labels] -= 1.0
    grad /= n
    return loss, grad


def mlp_loss_and_grads(
    params: list[tuple[Array, Array]], x: Array, labels: Array
) -> tuple[float, list[tuple[Array, Array]]]:
    """Loss and parameter gradients of a ReLU MLP (linear last layer) with cross-entropy."""
    activations = [x]
    h = x
    for i, (weight, bias) in enumerate(params):
        h = h @ weight.T + bias
        if i < len(params) - 1:
            h = np.maximum(h, 0)
        activations.append(h)
    loss, grad = cross_entropy_and_grad(h, labels)
    grads: list[tuple[Array, Array]] = []
    for i in range(len(params) - 1, -1, -1):
        weight, _ = params[i]
        a_prev = activations[i]
        grads.append((grad.T @ a_prev, grad.sum(axis=0)))
        if i > 0:
            grad = (grad @ weight) * (a_prev > 0)
    grads.reverse()
    return loss, grads


def mlp_sgd_step(params: list[tuple[Array, Array]], x: Array, labels: Array, lr: float) -> float:
    """One SGD step of the MLP in place; returns the loss before the step."""
    loss, grads = mlp_loss_and_grads(params, x, labels)
    for (weight, bias), (grad_w, grad_b) in zip(params, grads, strict=True):
        weight -= lr * grad_w
        bias -= lr * grad_b
    return loss


def cnn_loss_and_grads(
    conv_w: Array, conv_b: Array, fc_w: Array, fc_b: Array, x: Array, labels: Array
) -> tuple[float, tuple[Array, Array, Array, Array]]:
    """Conv2d(k x k, no padding) - ReLU - MaxPool2d(2) - Flatten - Linear, with cross-entropy.

    The convolution is im2col (a strided view of the input's patches) and one
    matmul; the pooling is a reshape and a max over each 2 x 2 block.
    """
    n, c_in, height, width = x.shape
    c_out, _, k, _ = conv_w.shape
    oh, ow = height - k + 1, width - k + 1
    patches = sliding_window_view(x, (k, k), axis=(2, 3))  # (N, Cin, OH, OW, k, k)
    cols = patches.transpose(0, 2, 3, 1, 4, 5).reshape(n * oh * ow, c_in * k * k)
    conv = cols @ conv_w.reshape(c_out, -1).T + conv_b  # (N*OH*OW, Cout)
    conv = conv.reshape(n, oh, ow, c_out).transpose(0, 3, 1, 2)  # NCHW
    relu = np.maximum(conv, 0)
    ph, pw = oh // 2, ow // 2
    # The four corners of every 2 x 2 block, as strided views; their elementwise
    # maximum is the pooled value (NumPy's max over axes (3, 5) is far slower).
    blocks = relu[:, :, : ph * 2, : pw * 2].reshape(n, c_out, ph, 2, pw, 2)
    corners = [blocks[:, :, :, i, :, j] for i in (0, 1) for j in (0, 1)]
    pooled = np.maximum(np.maximum(corners[0], corners[1]), np.maximum(corners[2], corners[3]))
    flat = pooled.reshape(n, -1)
    logits = flat @ fc_w.T + fc_b
    loss, grad_logits = cross_entropy_and_grad(logits, labels)

    grad_fc_w = grad_logits.T @ flat
    grad_fc_b = grad_logits.sum(axis=0)
    grad_pooled = (grad_logits @ fc_w).reshape(pooled.shape)
    # The gradient goes to the first corner holding the maximum, as in MiniGrad
    # and PyTorch (ties matter where ReLU made several corners 0).
    grad_relu = np.zeros_like(relu)
    unclaimed = np.ones(pooled.shape, dtype=bool)
    for k, corner in enumerate(corners):
        wins = unclaimed & (corner == pooled)
        i, j = divmod(k, 2)
        grad_relu[:, :, i : ph * 2 : 2, j : pw * 2 : 2] = wins * grad_pooled
        unclaimed &= ~wins
    grad_conv = grad_relu * (conv > 0)
    grad_conv_rows = grad_conv.transpose(0, 2, 3, 1).reshape(n * oh * ow, c_out)
    grad_conv_w = (grad_conv_rows.T @ cols).reshape(conv_w.shape)
    grad_conv_b = grad_conv_rows.sum(axis=0)
    return loss, (grad_conv_w, grad_conv_b, grad_fc_w, grad_fc_b)


def cnn_sgd_step(params: list[Array], x: Array, labels: Array, lr: float) -> float:
    """One SGD step of the CNN in place; ``params`` is [conv_w, conv_b, fc_w, fc_b]."""
    loss, grads = cnn_loss_and_grads(*params, x, labels)
    for param, grad in zip(params, grads, strict=True):
        param -= lr * grad
    return loss
