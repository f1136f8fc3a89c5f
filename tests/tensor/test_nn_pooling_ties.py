"""max_pool2d sends the gradient of a window with tied maxima to the first of them."""

from __future__ import annotations

import numpy as np
import pytest

from minigrad.tensor import Tensor
from minigrad.tensor.nn import functional as F


def _first_max_gradient(x: np.ndarray, kernel: int, stride: int) -> np.ndarray:
    """The gradient of sum(max_pool2d(x)), by a loop: each window's first maximum gets 1."""
    grad = np.zeros_like(x)
    n, c, h, w = x.shape
    for i in range(n):
        for j in range(c):
            for top in range(0, h - kernel + 1, stride):
                for left in range(0, w - kernel + 1, stride):
                    window = x[i, j, top : top + kernel, left : left + kernel]
                    row, col = divmod(int(window.argmax()), kernel)  # argmax: the first
                    grad[i, j, top + row, left + col] += 1.0
    return grad


def test_all_equal_window_sends_the_gradient_to_its_first_element() -> None:
    x = Tensor(np.zeros((1, 1, 2, 2)), requires_grad=True)
    F.max_pool2d(x, 2).sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad, [[[[1.0, 0.0], [0.0, 0.0]]]])


@pytest.mark.parametrize(("kernel", "stride"), [(2, 2), (3, 1), (2, 1)])
def test_relu_output_full_of_ties_matches_a_first_maximum_loop(kernel: int, stride: int) -> None:
    rng = np.random.default_rng(0)
    # ReLU of a mostly negative input: windows full of tied zeros, a few tied positives.
    data = np.maximum(rng.integers(-3, 2, size=(2, 3, 6, 6)), 0).astype(np.float64)
    x = Tensor(data, requires_grad=True)
    F.max_pool2d(x, kernel, stride=stride).sum().backward()
    assert x.grad is not None
    np.testing.assert_array_equal(x.grad, _first_max_gradient(data, kernel, stride))
