"""Gradients of every nn.functional operation against float64 central differences.

First derivatives for all of them; second derivatives (``create_graph``) for
the fused operations, whose backward rules are hand-written.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from minigrad.tensor import Tensor
from minigrad.tensor.nn import functional as F

RNG = np.random.default_rng(7)
IMAGES = RNG.standard_normal((2, 3, 5, 6))
KERNELS = RNG.standard_normal((4, 3, 3, 2))
CONV_BIAS = RNG.standard_normal(4)
LOGITS = RNG.standard_normal((5, 4)) * 2
TARGETS = np.array([0, 3, 1, 1, 2])
CLASS_WEIGHTS = np.array([0.5, 2.0, 1.0, 1.5])
SPATIAL_LOGITS = RNG.standard_normal((2, 3, 2, 2))
SPATIAL_TARGETS = np.array([[[0, 2], [1, 1]], [[2, 2], [0, 1]]])
BINARY_LOGITS = RNG.standard_normal((3, 4)) * 2
BINARY_TARGETS = RNG.uniform(0.0, 1.0, (3, 4))

Case = tuple[Callable[..., Tensor], tuple[Any, ...]]

FIRST_ORDER: dict[str, Case] = {
    "linear": (F.linear, (RNG.standard_normal((4, 3)), RNG.standard_normal((2, 3)), [0.5, -1.0])),
    "linear_batched_3d_no_bias": (
        lambda x, w: F.linear(x, w),
        (RNG.standard_normal((2, 3, 4)), RNG.standard_normal((5, 4))),
    ),
    "linear_1d_input": (
        F.linear,
        (RNG.standard_normal(3), RNG.standard_normal((2, 3)), [1.0, 2.0]),
    ),
    "conv2d_stride_padding": (
        lambda x, w, b: F.conv2d(x, w, b, stride=(2, 1), padding=(1, 0)),
        (IMAGES, KERNELS, CONV_BIAS),
    ),
    "conv2d_stride_not_dividing": (
        lambda x, w: F.conv2d(x, w, stride=2, padding=1),
        (RNG.standard_normal((1, 2, 6, 5)), RNG.standard_normal((2, 2, 3, 3))),
    ),
    "conv2d_unbatched": (
        lambda x, w: F.conv2d(x, w, padding="same"),
        (RNG.standard_normal((2, 4, 4)), RNG.standard_normal((3, 2, 3, 3))),
    ),
    "max_pool2d": (lambda x: F.max_pool2d(x, 2), (IMAGES[:, :, :4, :],)),
    "max_pool2d_overlapping_padded": (lambda x: F.max_pool2d(x, 3, 1, 1), (IMAGES,)),
    "avg_pool2d": (lambda x: F.avg_pool2d(x, 2), (IMAGES,)),
    "avg_pool2d_overlapping_padded": (lambda x: F.avg_pool2d(x, 3, 2, 1), (IMAGES,)),
    "batch_norm_training": (
        lambda x, w, b: F.batch_norm(x, None, None, w, b, training=True),
        (IMAGES, RNG.standard_normal(3), RNG.standard_normal(3)),
    ),
    "batch_norm_eval": (
        lambda x, w, b: F.batch_norm(x, np.array([0.1, -0.2]), np.array([1.5, 0.5]), w, b),
        (RNG.standard_normal((4, 2)), RNG.standard_normal(2), RNG.standard_normal(2)),
    ),
    "layer_norm": (
        lambda x, w, b: F.layer_norm(x, (2, 3), w, b),
        (RNG.standard_normal((4, 2, 3)), RNG.standard_normal((2, 3)), RNG.standard_normal((2, 3))),
    ),
    "embedding_repeated_indices": (
        lambda w: F.embedding(np.array([[0, 2], [2, 2]]), w),
        (RNG.standard_normal((3, 4)),),
    ),
    "dropout_fixed_mask": (
        lambda x: F.dropout(x, 0.4, generator=np.random.default_rng(3)),
        (RNG.standard_normal((4, 5)),),
    ),
    "mse_loss": (F.mse_loss, (RNG.standard_normal((3, 2)), RNG.standard_normal((3, 2)))),
    "mse_loss_none": (
        lambda a, b: F.mse_loss(a, b, reduction="none"),
        (RNG.standard_normal((3, 2)), RNG.standard_normal((3, 2))),
    ),
    "cross_entropy": (lambda x: F.cross_entropy(x, TARGETS), (LOGITS,)),
    "cross_entropy_weighted_smoothed": (
        lambda x: F.cross_entropy(x, TARGETS, CLASS_WEIGHTS, label_smoothing=0.2),
        (LOGITS,),
    ),
    "cross_entropy_ignore_index_sum": (
        lambda x: F.cross_entropy(x, TARGETS, ignore_index=1, reduction="sum"),
        (LOGITS,),
    ),
    "cross_entropy_none_smoothed": (
        lambda x: F.cross_entropy(x, TARGETS, reduction="none", label_smoothing=0.3),
        (LOGITS,),
    ),
    "cross_entropy_spatial": (
        lambda x: F.cross_entropy(x, SPATIAL_TARGETS, label_smoothing=0.1),
        (SPATIAL_LOGITS,),
    ),
    "nll_loss_weighted_ignore": (
        lambda x: F.nll_loss(x, TARGETS, CLASS_WEIGHTS, ignore_index=3),
        (LOGITS,),
    ),
    "nll_loss_spatial_none": (
        lambda x: F.nll_loss(x, SPATIAL_TARGETS, reduction="none"),
        (SPATIAL_LOGITS,),
    ),
    "bce_with_logits_all_inputs": (
        lambda x, y, w, pw: F.binary_cross_entropy_with_logits(x, y, w, pw),
        (BINARY_LOGITS, BINARY_TARGETS, RNG.uniform(0.5, 2.0, (1, 4)), RNG.uniform(0.5, 3, 4)),
    ),
    "bce_with_logits_at_zero": (
        lambda x, y: F.binary_cross_entropy_with_logits(x, y),
        (np.zeros((2, 2)), np.array([[0.0, 1.0], [0.5, 0.0]])),
    ),
    "bce_with_logits_none": (
        lambda x, y: F.binary_cross_entropy_with_logits(x, y, reduction="none"),
        (BINARY_LOGITS, BINARY_TARGETS),
    ),
    "gelu": (F.gelu, (RNG.standard_normal((3, 4)),)),
    "leaky_relu": (lambda x: F.leaky_relu(x, 0.2), (RNG.standard_normal((3, 4)),)),
    "softplus": (F.softplus, (RNG.standard_normal((3, 4)),)),
    "softmax": (lambda x: F.softmax(x, axis=0), (RNG.standard_normal((3, 4)),)),
    "log_softmax": (F.log_softmax, (RNG.standard_normal((3, 4)),)),
    "sigmoid": (F.sigmoid, (RNG.standard_normal((3, 4)),)),
    "tanh": (F.tanh, (RNG.standard_normal((3, 4)),)),
}

# Pooling is piecewise linear, so its second derivative alone is zero: square
# the result to send a recorded gradient through the pooling's backward rule.
SECOND_ORDER: dict[str, Case] = {
    "max_pool2d_squared": (lambda x: F.max_pool2d(x, 3, 1, 1) ** 2, (IMAGES,)),
    "avg_pool2d_squared": (lambda x: F.avg_pool2d(x, 3, 2, 1) ** 2, (IMAGES,)),
} | {
    name: FIRST_ORDER[name]
    for name in (
        "linear",
        "linear_1d_input",
        "conv2d_stride_padding",
        "conv2d_stride_not_dividing",
        "batch_norm_training",
        "cross_entropy_weighted_smoothed",
        "cross_entropy_spatial",
        "cross_entropy_none_smoothed",
        "bce_with_logits_all_inputs",
        "bce_with_logits_at_zero",
    )
}


@pytest.mark.parametrize("name", sorted(FIRST_ORDER))
def test_gradient_matches_central_differences(name: str, check_gradients: Any) -> None:
    fn, arrays = FIRST_ORDER[name]
    check_gradients(fn, *arrays, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_derivative_matches_central_differences(
    name: str, check_second_derivatives: Any
) -> None:
    fn, arrays = SECOND_ORDER[name]
    check_second_derivatives(fn, *arrays, rtol=1e-4, atol=1e-6)
